"""The public marketplace (``/marketplace/...``, no sign-in): home, categories, sectors,
search, a listing's page, storefronts, pictures and Atom feeds."""

from __future__ import annotations

import hashlib
from typing import Any

from ent_plugins.marketplace import listing_display as display
from ent_plugins.marketplace import parts, search, storefronts
from ent_plugins.marketplace.catalogues import DELIVERIES, KINDS, UNITS, category_name
from ent_plugins.marketplace.categories import active_categories, category_by_code
from ent_plugins.marketplace.models import Listing, ListingImage
from ent_plugins.marketplace.visibility import visible_listings
from flask import Response, render_template, request, url_for
from sqlalchemy.orm import selectinload

from ent_core import sdk

FEED_SIZE = 50


def _page_number() -> int:
    try:
        return max(1, min(int(request.args.get("page", "1")), search.MAX_PAGE))
    except ValueError:
        return 1


def _page_url(args: dict[str, str]) -> Any:
    """Links to the other pages of this list, with the same filters."""
    view_args = dict(request.view_args or {})
    return lambda n: url_for(request.endpoint or "", **view_args, **args, page=n)


def _render(template: str, **context: Any) -> str:
    return render_template(
        f"marketplace/discovery/{template}",
        display=display,
        category_name=category_name,
        sector_label=sdk.sector_label,
        kinds=KINDS,
        sorts=search.SORTS,
        **context,
    )


def index() -> Any:
    categories = active_categories()
    return _render(
        "home.html",
        groups=search.categories_by_sector(categories, search.category_counts()),
        newest=search.newest(),
        best=search.best_rated(),
        filters=search.SearchFilters(),
    )


def _results(template: str, filters: search.SearchFilters, **context: Any) -> str:
    page = _page_number()
    listings, more = search.search_page(filters, page)
    taken = {"page", *(request.view_args or {})}
    args = {k: v for k, v in request.args.items() if k not in taken and v}
    return _render(
        template,
        filters=filters,
        listings=listings,
        page=page,
        more=more,
        page_url=_page_url(args),
        categories=active_categories(),
        **context,
    )


def search_view() -> Any:
    return _results("search.html", search.filters_from(request.args))


def category(code: str) -> Any:
    found = category_by_code(code)
    if found is None or not found.active:
        sdk.abort(404)
    filters = search.filters_from(request.args).with_(category=code, sector=None)
    return _results("category.html", filters, category=found)


def sector(sector: str) -> Any:
    categories = active_categories(sector)
    if not categories:
        sdk.abort(404)
    filters = search.filters_from(request.args).with_(sector=sector, category=None)
    counts = search.category_counts()
    return _results(
        "sector.html",
        filters,
        sector=sector,
        sector_categories=[(c, counts.get(c.id, 0)) for c in categories],
    )


@sdk.all_workspaces()
def _visible_or_404(listing_id: int) -> Listing:
    statement = visible_listings().where(Listing.id == listing_id)
    found = sdk.db.session.scalar(
        statement.options(
            selectinload(Listing.images),
            selectinload(Listing.variants),
            selectinload(Listing.translations),
            selectinload(Listing.workspace),
            selectinload(Listing.category),
        )
    )
    if found is None:
        sdk.abort(404)
    return found  # type: ignore[no-any-return]


def _seller_side(workspace_id: int, panel: str, **context: Any) -> tuple[Any, Any]:
    """The seller's profile and what the other parts show in ``panel``: they run in the
    seller's workspace (its rows, nobody else's), as on the seller's own pages."""
    profile = storefronts.profile_of(workspace_id)
    with sdk.in_workspace(workspace_id):
        return profile, parts.markup(panel, **context)


def listing(listing_id: int) -> Any:
    found = _visible_or_404(listing_id)
    text = display.text_for(found)
    profile, panel = _seller_side(found.workspace_id, "listing_panel", listing=found)
    return _render(
        "listing.html",
        listing=found,
        text=text,
        description=sdk.render_markdown(text.description),
        price=display.price_of(found),
        variants=[(v, display.price_of(found, v.price)) for v in found.variants if v.active],
        deliveries=DELIVERIES,
        units=UNITS,
        profile=profile,
        panel=panel,
        published=sdk.format_date(found.published_at, "long", workspace=found.workspace)
        if found.published_at
        else "",
    )


def storefront(seller: str) -> Any:
    workspace = storefronts.public_seller(seller)
    if workspace is None:
        sdk.abort(404)
    page = _page_number()
    listings, more = search.search_page(search.SearchFilters(seller_id=workspace.id), page)
    profile, panel = _seller_side(workspace.id, "seller_panel", workspace=workspace)
    return _render(
        "storefront.html",
        workspace=workspace,
        profile=profile,
        about=sdk.render_markdown(profile.about) if profile and profile.about else "",
        listings=listings,
        page=page,
        more=more,
        page_url=_page_url({}),
        panel=panel,
    )


@sdk.all_workspaces()
def _image_or_404(image_id: int) -> ListingImage:
    picture = sdk.db.session.get(ListingImage, image_id)
    if picture is None:
        sdk.abort(404)
    visible = visible_listings().where(Listing.id == picture.listing_id)
    if sdk.db.session.scalar(visible.with_only_columns(Listing.id)) is None:
        sdk.abort(404)
    return picture


def _send(token: str) -> Response:
    response = sdk.send_upload(token)
    # content-addressed files: a day in shared caches; a hidden listing's stop at once after
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def image(image_id: int) -> Any:
    return _send(_image_or_404(image_id).file_token)


def thumbnail(image_id: int) -> Any:
    picture = _image_or_404(image_id)
    return _send(picture.thumb_token or picture.file_token)


def _feed(code: str | None) -> Response:
    filters = search.SearchFilters(category=code)
    listings = search.newest(FEED_SIZE, filters)
    if code:
        found = category_by_code(code)
        if found is None or not found.active:
            sdk.abort(404)
        title = sdk._("New listings: %(category)s", category=category_name(found))
        self_url = sdk.external_url("marketplace_public.category_feed", code=code)
        html_url = sdk.external_url("marketplace_public.category", code=code)
    else:
        title = sdk._("New listings on the marketplace")
        self_url = sdk.external_url("marketplace_public.feed")
        html_url = sdk.external_url("marketplace_public.index")
    body = display.atom(listings, title=str(title), self_url=self_url, html_url=html_url)
    response = Response(body, mimetype="application/atom+xml")
    digest = hashlib.sha256()
    for item in listings:
        digest.update(f"{item.id}|{item.updated_at.isoformat()}".encode())
    response.set_etag(digest.hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.no_cache = True
    return response.make_conditional(request)


@sdk.public_feed
def feed() -> Response:
    return _feed(None)


@sdk.public_feed
def category_feed(code: str) -> Response:
    return _feed(code)
