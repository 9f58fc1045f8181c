"""The portal's public pages and Atom feeds, and the administrators' hide and show actions."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ent_core.audit import record
from ent_core.db import db, utcnow
from ent_core.links import base_url
from ent_core.portal.items import PortalPage, portal_page
from ent_core.portal.models import PortalHiddenItem
from ent_core.tenancy import CrossWorkspaceBlueprint
from ent_core.ui import render_slot
from ent_core.workspaces.labels import SECTOR_LABELS, label
from ent_core.workspaces.models import Sector

PAGE_SIZE = 20
FEED_SIZE = 50
#: Template slots of the portal's pages, filled by every installed plugin (docs/plugin_hooks.md).
SLOTS = ("portal.head", "portal.sidebar", "portal.after_items")

bp = Blueprint("portal", __name__, url_prefix="/portal")
admin_bp = CrossWorkspaceBlueprint("portal_admin", __name__, url_prefix="/admin/portal")


def _sectors() -> list[Sector]:
    return list(db.session.scalars(db.select(Sector).order_by(Sector.position, Sector.code)))


def _sector_or_404(code: str) -> Sector:
    sector = db.session.scalar(db.select(Sector).where(Sector.code == code))
    if sector is None:
        abort(404)
    return sector


def _before() -> datetime | None:
    raw = request.args.get("before")
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        abort(400)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _etag(page: PortalPage, *parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() + b"\0")
    for item in page.items:
        digest.update(f"{item.key}|{item.published_at.isoformat()}|{item.title}".encode())
    return digest.hexdigest()[:32]


def _conditional(response: Response, page: PortalPage, *parts: str) -> Response:
    """ETag and Last-Modified from what is listed; 304 when the client's copy is current."""
    response.set_etag(_etag(page, *parts))
    if page.items:
        response.last_modified = max(i.published_at for i in page.items)
    if current_user.is_authenticated:
        response.cache_control.private = True
    else:
        response.cache_control.public = True
    response.cache_control.no_cache = True  # revalidated each time; the ETag makes it a 304
    response.vary.add("Cookie")
    return response.make_conditional(request)


def _render(template: str, page: PortalPage, sector: Sector | None) -> Response:
    viewer = "admin" if current_user.is_authenticated and current_user.is_admin else "public"
    # Filled here, once each, so that the ETag covers what the plugins put in them.
    slots = {
        name: render_slot(name, sector=sector.code if sector else None, page=page) for name in SLOTS
    }
    html = render_template(
        template,
        page=page,
        sector=sector,
        sectors=_sectors(),
        sector_label=lambda code: label(SECTOR_LABELS, code),
        is_admin=viewer == "admin",
        slots=slots,
    )
    response = current_app.make_response(html)
    return _conditional(
        response, page, template, viewer, request.full_path, str(get_locale()), *slots.values()
    )


@bp.get("/")
def index() -> Response:
    return _render("portal/index.html", portal_page(None, PAGE_SIZE, _before()), None)


@bp.get("/<sector>/")
def sector(sector: str) -> Response:
    found = _sector_or_404(sector)
    return _render("portal/sector.html", portal_page(found.code, PAGE_SIZE, _before()), found)


def _feed(page: PortalPage, title: str, self_url: str, html_url: str) -> bytes:
    from feedgen.feed import FeedGenerator  # here: feedgen and lxml (~5 MB) load with a feed

    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(title)
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=html_url, rel="alternate", type="text/html")
    feed.author({"name": _("Smart Médias ENT")})
    feed.language(str(get_locale() or "fr"))
    feed.updated(max((i.published_at for i in page.items), default=utcnow()))
    for item in reversed(page.items):  # feedgen prepends: oldest first keeps newest on top
        entry = feed.add_entry()
        entry.id(f"urn:ent:portal:{item.key}")
        entry.title(item.title)
        entry.link(href=item.url, rel="alternate")
        entry.updated(item.published_at)
        entry.published(item.published_at)
        entry.author({"name": item.workspace_name})
        if item.summary:
            entry.summary(item.summary)
        entry.category(term=item.sector)
    return feed.atom_str(pretty=True)


@bp.get("/atom.xml")
def feed_all() -> Response:
    page = portal_page(None, FEED_SIZE)
    base = base_url()
    body = _feed(
        page,
        _("Sector portal"),
        base + url_for("portal.feed_all"),
        base + url_for("portal.index"),
    )
    response = Response(body, mimetype="application/atom+xml")
    return _conditional(response, page, "atom-all")


@bp.get("/<sector>/atom.xml")
def feed(sector: str) -> Response:
    found = _sector_or_404(sector)
    page = portal_page(found.code, FEED_SIZE)
    base = base_url()
    body = _feed(
        page,
        _("Sector portal: %(sector)s", sector=label(SECTOR_LABELS, found.code)),
        base + url_for("portal.feed", sector=found.code),
        base + url_for("portal.sector", sector=found.code),
    )
    response = Response(body, mimetype="application/atom+xml")
    return _conditional(response, page, "atom", found.code)


def _admin_only() -> None:
    if not current_user.is_admin:
        abort(403)


def _back(default: str) -> Any:
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = default
    return redirect(target)


@admin_bp.get("/")
@login_required
def hidden() -> str:
    _admin_only()
    rows = db.session.scalars(
        db.select(PortalHiddenItem).order_by(PortalHiddenItem.hidden_at.desc())
    ).all()
    return render_template("portal/admin.html", rows=rows)


@admin_bp.post("/hide")
@login_required
def hide() -> Any:
    _admin_only()
    key = request.form.get("key", "").strip()[:200]
    if not key:
        abort(400)
    if db.session.scalar(db.select(PortalHiddenItem).where(PortalHiddenItem.key == key)) is None:
        db.session.add(
            PortalHiddenItem(
                key=key,
                title=request.form.get("title", "")[:300],
                url=request.form.get("url", "")[:500],
                hidden_by_id=current_user.id,
            )
        )
        record("portal.item_hidden", subject=key)
        db.session.commit()
    flash(_("The item is hidden from the portal."), "success")
    return _back(url_for("portal_admin.hidden"))


@admin_bp.post("/<int:hidden_id>/show")
@login_required
def show(hidden_id: int) -> Any:
    _admin_only()
    row = db.session.get(PortalHiddenItem, hidden_id)
    if row is None:
        abort(404)
    record("portal.item_shown", subject=row.key)
    db.session.delete(row)
    db.session.commit()
    flash(_("The item is back on the portal."), "success")
    return redirect(url_for("portal_admin.hidden"))
