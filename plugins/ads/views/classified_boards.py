"""The public sector boards of classified ads (``/classifieds/...``): lists, an ad's page,
its contact details on request, reports, pictures and the Atom feeds."""

from __future__ import annotations

import hashlib
from typing import Any

from ent_plugins.ads import classified_boards as boards
from ent_plugins.ads.catalogues import CLASSIFIED_KINDS
from ent_plugins.ads.classified_forms import ActionForm, ReportForm
from ent_plugins.ads.classified_moderation import file_report, reporter_key
from ent_plugins.ads.classifieds import boosted
from ent_plugins.ads.models import ClassifiedAd, ClassifiedImage
from flask import Response, flash, redirect, render_template, request, url_for

from ent_core import sdk


def _kind() -> str | None:
    kind = request.args.get("kind") or None
    return kind if kind in CLASSIFIED_KINDS else None


def _page_number() -> int:
    try:
        return max(1, min(int(request.args.get("page", "1")), 1000))
    except ValueError:
        return 1


def _sector_or_404(sector: str) -> str:
    if not boards.sector_exists(sector):
        sdk.abort(404)
    return sector


def _board(sector: str | None) -> Any:
    kind = _kind()
    page = _page_number()
    ads, more = boards.board_page(sector, kind, page)
    return render_template(
        "ads/boards/board.html",
        sector_label=sdk.sector_label,
        sector=sector,
        sectors=boards.sectors(),
        kind=kind,
        kinds=CLASSIFIED_KINDS,
        ads=ads,
        page=page,
        more=more,
        boosted=boosted,
    )


def index() -> Any:
    return _board(None)


def board(sector: str) -> Any:
    return _board(_sector_or_404(sector))


def _ad_or_404(sector: str, classified_id: int) -> ClassifiedAd:
    ad = boards.public_ad(sector, classified_id)
    if ad is None:
        sdk.abort(404)
    return ad


def _ad_page(ad: ClassifiedAd, *, contact: bool = False, form: Any = None) -> Any:
    return render_template(
        "ads/boards/ad.html",
        sector_label=sdk.sector_label,
        ad=ad,
        body=boards.body_html(ad),
        kinds=CLASSIFIED_KINDS,
        contact=contact,
        contact_form=ActionForm(),
        report_form=form or ReportForm(),
        date=sdk.format_date(ad.published_at, "long", workspace=ad.workspace),
        expires=sdk.format_date(ad.expires_at, "long", workspace=ad.workspace),
    )


def ad(sector: str, classified_id: int) -> Any:
    return _ad_page(_ad_or_404(sector, classified_id))


def contact(sector: str, classified_id: int) -> Any:
    """The contact details, shown after a button press (a POST with its token): robots that
    read pages never see them."""
    found = _ad_or_404(sector, classified_id)
    if not ActionForm().validate_on_submit():
        sdk.abort(400)
    response = Response(_ad_page(found, contact=True))
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def report(sector: str, classified_id: int) -> Any:
    found = _ad_or_404(sector, classified_id)
    form = ReportForm()
    if not form.validate_on_submit():
        return _ad_page(found, form=form), 422
    if form.website.data:  # the trap field: a robot filled it
        flash(sdk._("Thank you: the moderators will read your report."), "success")
        return redirect(url_for(".ad", sector=sector, classified_id=found.id), 303)
    user = sdk.current_user if sdk.current_user.is_authenticated else None
    with sdk.user_errors(form) as refused, sdk.all_workspaces():
        file_report(
            found,
            reason=form.reason.data,
            details=form.details.data or "",
            key=reporter_key(user, request.remote_addr),
            reporter=user,
        )
        sdk.db.session.commit()
        flash(sdk._("Thank you: the moderators will read your report."), "success")
        return redirect(url_for(".ad", sector=sector, classified_id=found.id), 303)
    return _ad_page(found, form=form), refused.status()


@sdk.all_workspaces()
def image(image_id: int) -> Any:
    """A picture of an ad the boards show (content-addressed: cached a day)."""
    picture = sdk.db.session.get(ClassifiedImage, image_id)
    if picture is None:
        sdk.abort(404)
    visible = boards.public_ads().where(ClassifiedAd.id == picture.classified_id)
    if sdk.db.session.scalar(visible) is None:
        sdk.abort(404)
    response = sdk.send_upload(picture.file_token)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def _feed(sector: str | None) -> Response:
    ads, _more = boards.board_page(sector, None, 1, boards.FEED_SIZE)
    if sector:
        title = sdk._("Classified ads: %(sector)s", sector=sdk.sector_label(sector))
        self_url = sdk.external_url("ads_boards.feed", sector=sector)
        html_url = sdk.external_url("ads_boards.board", sector=sector)
    else:
        title = sdk._("Classified ads")
        self_url = sdk.external_url("ads_boards.feed_all")
        html_url = sdk.external_url("ads_boards.index")
    body = boards.atom(ads, title=str(title), self_url=self_url, html_url=html_url)
    response = Response(body, mimetype="application/atom+xml")
    digest = hashlib.sha256()
    for item in ads:
        digest.update(f"{item.id}|{item.renewals}|{item.updated_at.isoformat()}".encode())
    response.set_etag(digest.hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.no_cache = True
    return response.make_conditional(request)


def feed_all() -> Response:
    return _feed(None)


def feed(sector: str) -> Response:
    return _feed(_sector_or_404(sector))
