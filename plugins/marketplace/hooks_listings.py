"""The listings part's answers to the marketplace's shared hooks: its URL rules, the report
form on a listing's public page, and its cards on the seller's and the operator's homes."""

from __future__ import annotations

from typing import Any

from ent_core import sdk

GP = ["GET", "POST"]
P = ["POST"]


def routes(bps: Any) -> None:
    _seller_pages(bps.members)
    _api(bps.api)
    _operator_pages(bps.admin)
    from ent_plugins.marketplace.views import listings_public as public

    lid = "/listings/<int:listing_id>"
    bps.market.add_url_rule(f"{lid}/report", "listings_report", public.report, methods=P)
    bps.market.add_url_rule(
        f"{lid}/images/<int:image_id>/<any(large, thumb):size>", "listings_image", public.image
    )


def _seller_pages(members: Any) -> None:
    from ent_plugins.marketplace.views import listings as pages
    from ent_plugins.marketplace.views import listings_extras as extras

    rule = members.add_url_rule
    lid = "/listings/<int:listing_id>"
    rule("/listings/", "listings", pages.listings)
    rule("/listings/new", "listing_new", pages.listing_new, methods=GP)
    rule(lid, "listing", pages.listing)
    rule(f"{lid}/edit", "listing_edit", pages.listing_edit, methods=GP)
    rule(f"{lid}/submit", "listing_submit", pages.listing_submit, methods=P)
    rule(f"{lid}/withdraw", "listing_withdraw", pages.listing_withdraw, methods=P)
    rule(f"{lid}/delete", "listing_delete", pages.listing_delete, methods=P)
    rule(f"{lid}/file", "listing_file", pages.listing_file)
    rule(f"{lid}/images", "listing_image_add", extras.image_add, methods=P)
    iid = f"{lid}/images/<int:image_id>"
    rule(f"{iid}/<any(large, thumb):size>", "listing_image", extras.image_file)
    rule(f"{iid}/delete", "listing_image_delete", extras.image_delete, methods=P)
    rule(
        f"{iid}/earlier",
        "listing_image_earlier",
        extras.image_move,
        methods=P,
        defaults={"step": -1},
    )
    rule(f"{iid}/later", "listing_image_later", extras.image_move, methods=P, defaults={"step": 1})
    rule(f"{lid}/variants", "listing_variant_add", extras.variant_add, methods=P)
    vid = f"{lid}/variants/<int:variant_id>"
    rule(f"{vid}/edit", "listing_variant_edit", extras.variant_edit, methods=GP)
    rule(f"{vid}/delete", "listing_variant_delete", extras.variant_delete, methods=P)
    rule(f"{lid}/slots", "listing_slot_add", extras.slot_add, methods=P)
    rule(f"{lid}/slots/<int:slot_id>/delete", "listing_slot_delete", extras.slot_delete, methods=P)


def _api(api: Any) -> None:
    from ent_plugins.marketplace.api import listings as api_listings
    from ent_plugins.marketplace.api import listings_parts as api_parts

    route = api.add_url_rule
    lid = "/listings/<int:listing_id>"
    route("/listings", "listings_list", api_listings.list_listings, methods=["GET"])
    route("/listings", "listings_create", api_listings.create_listing, methods=P)
    route(lid, "listings_get", api_listings.get_listing, methods=["GET"])
    route(lid, "listings_patch", api_listings.patch_listing, methods=["PATCH"])
    route(lid, "listings_delete", api_listings.delete_listing, methods=["DELETE"])
    route(f"{lid}/transitions", "listings_transition", api_listings.listing_transition, methods=P)
    route(f"{lid}/file", "listings_file", api_parts.put_file, methods=["PUT"])
    route(f"{lid}/images", "listings_image_add", api_parts.add_image, methods=P)
    iid = f"{lid}/images/<int:image_id>"
    route(iid, "listings_image_delete", api_parts.delete_image, methods=["DELETE"])
    route(
        f"{iid}/<any(large, thumb):size>",
        "listings_image_file",
        api_listings.image_file,
        methods=["GET"],
    )
    route(f"{lid}/variants", "listings_variants", api_parts.list_variants, methods=["GET"])
    route(f"{lid}/variants", "listings_variant_add", api_parts.add_variant, methods=P)
    vid = f"{lid}/variants/<int:variant_id>"
    route(vid, "listings_variant_put", api_parts.put_variant, methods=["PUT"])
    route(vid, "listings_variant_delete", api_parts.delete_variant, methods=["DELETE"])
    route(f"{lid}/slots", "listings_slots", api_parts.list_slots, methods=["GET"])
    route(f"{lid}/slots", "listings_slot_add", api_parts.add_slots, methods=P)
    sid = f"{lid}/slots/<int:slot_id>"
    route(sid, "listings_slot_delete", api_parts.delete_slot, methods=["DELETE"])


def _operator_pages(admin: Any) -> None:
    from ent_plugins.marketplace.views import listings_admin as operator

    rule = admin.add_url_rule
    rule("/listings", "listings", operator.queue)
    rule("/listings/reports", "listing_reports", operator.reports_queue)
    decisions = (
        ("/listings/<int:listing_id>", "listing", operator.decide, ("approve", "reject")),
        (
            "/listings/reports/<int:report_id>",
            "listing_report",
            operator.report_decide,
            ("uphold", "dismiss"),
        ),
    )
    for base, name, view, choices in decisions:
        for decision in choices:
            rule(
                f"{base}/{decision}",
                f"{name}_{decision}",
                view,
                methods=P,
                defaults={"decision": decision},
            )
    rule("/listings/<int:listing_id>/images/<int:image_id>", "listing_image", operator.image)


def listing_panel(listing: Any) -> Any:
    """On the public page of a listing: a small form to report it to the platform."""
    from ent_plugins.marketplace.views.listings_forms import ReportForm
    from flask import render_template
    from markupsafe import Markup

    return Markup(  # noqa: S704 - a template of ours, rendered with autoescape
        render_template(
            "marketplace/listings/_report_panel.html",
            listing=listing,
            form=ReportForm(formdata=None),
        )
    )


def home_sections(workspace: Any) -> list[Any]:
    """The seller's home: a card of the listings (counting those waiting for the platform)."""
    from ent_plugins.marketplace.models import Listing
    from ent_plugins.marketplace.permissions import MANAGE_LISTINGS

    if not sdk.has_permission(MANAGE_LISTINGS):
        return []
    with sdk.in_workspace(workspace):
        count = sdk.db.session.scalar(
            sdk.db.select(sdk.db.func.count(Listing.id)).where(
                Listing.status.in_(("draft", "pending", "published", "rejected"))
            )
        )
    return [(sdk._l("Listings"), "marketplace.listings", int(count or 0))]


def admin_sections() -> list[Any]:
    """The operator's home: listings to review, reported listings."""
    from ent_plugins.marketplace.listing_approval import awaiting_review
    from ent_plugins.marketplace.models import Listing, ListingReport

    with sdk.all_workspaces():
        waiting = sdk.db.session.scalar(
            sdk.db.select(sdk.db.func.count(Listing.id)).where(awaiting_review())
        )
        reported = sdk.db.session.scalar(
            sdk.db.select(sdk.db.func.count(ListingReport.id)).where(ListingReport.status == "open")
        )
    return [
        (sdk._l("Listings to review"), "marketplace_admin.listings", int(waiting or 0)),
        (sdk._l("Reported listings"), "marketplace_admin.listing_reports", int(reported or 0)),
    ]
