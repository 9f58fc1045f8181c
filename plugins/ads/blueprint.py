"""URL rules of the ads plugin, and nothing else.

Members' pages under ``/w/<workspace>/ads/``, public pages under ``/s/<workspace>/ads/``, the
API under ``/api/v1/workspaces/<workspace>/ads/``; the platform's own addresses: delivery
(``/ads/...``: decisions, clicks, beacons, tags), the sector boards of classified ads
(``/classifieds/...``) and the moderators' pages (``/admin/ads/...``).
"""

from __future__ import annotations

from typing import Any

from ent_plugins.ads.views import home
from flask import Blueprint

from ent_core import sdk

GP = ["GET", "POST"]
P = ["POST"]

members = sdk.WorkspaceBlueprint("ads", __name__, template_folder="templates")
public_bp = sdk.PublicBlueprint("ads_public", __name__, template_folder="templates")
api_bp = sdk.ApiBlueprint("ads_api", __name__)
#: Delivery: public, platform-wide, no session needed (docs/ads.md, "Delivery").
serve_bp = Blueprint("ads_serve", __name__, url_prefix="/ads", static_folder=None)
#: The sector boards of classified ads, platform-wide like the portal.
boards_bp = Blueprint(
    "ads_boards", __name__, url_prefix="/classifieds", template_folder="templates"
)
#: Platform moderators: creatives, campaigns, classified ads and their reports.
admin_bp = sdk.PlatformBlueprint(
    "ads_admin", __name__, url_prefix="/admin/ads", template_folder="templates"
)

rule = members.add_url_rule
rule("/", view_func=home.index)

# -- delivery (helper dv) --
from ent_plugins.ads import serve  # noqa: E402 - the block stays apart for merges

serve_bp.add_url_rule("/d", "decision", serve.decision)
serve_bp.add_url_rule("/c/<token>", "click", serve.click)
serve_bp.add_url_rule("/creatives/<int:creative_id>/", "creative", serve.creative)
serve_bp.add_url_rule("/creatives/<int:creative_id>/<path:path>", "creative_file", serve.creative)
serve_bp.add_url_rule("/tag.js", "tag", serve.tag)
serve_bp.add_url_rule("/frame/<public_id>", "frame", serve.frame)
# -- end of delivery --


def blueprints() -> list[Any]:
    return [members, public_bp, api_bp, serve_bp, boards_bp, admin_bp, *EXTRA]


#: Blueprints of a part beyond the six above (each part appends its own in its block).
EXTRA: list[Any] = []


# -- campaigns, creatives, moderation (helper cs) --
def _campaigns() -> None:
    """Members' pages and API of campaigns and creatives; the moderators' pages."""
    from ent_plugins.ads.api import campaigns as campaigns_api
    from ent_plugins.ads.views import campaigns, creatives, moderation

    cid = "/campaigns/<int:campaign_id>"
    rule("/campaigns/", view_func=campaigns.campaign_list)
    rule("/campaigns/new", view_func=campaigns.campaign_new, methods=GP)
    rule(cid, view_func=campaigns.campaign)
    rule(f"{cid}/edit", view_func=campaigns.campaign_edit, methods=GP)
    rule(f"{cid}/pay", view_func=campaigns.campaign_pay, methods=P)
    for name in ("submit", "pause", "resume"):
        rule(
            f"{cid}/{name}",
            endpoint=f"campaign_{name}",
            view_func=campaigns.campaign_move,
            defaults={"name": name},
            methods=P,
        )
    rule(f"{cid}/creatives", view_func=creatives.creative_list)
    rule(f"{cid}/creatives/new", view_func=creatives.creative_new, methods=GP)
    crid = f"{cid}/creatives/<int:creative_id>"
    rule(f"{crid}/edit", view_func=creatives.creative_edit, methods=GP)
    rule(f"{crid}/delete", view_func=creatives.creative_delete, methods=P)
    rule(f"{crid}/file", view_func=creatives.creative_file)

    route = api_bp.add_url_rule
    route("/campaigns", view_func=campaigns_api.list_campaigns, methods=["GET"])
    route("/campaigns", view_func=campaigns_api.create_campaign, methods=P)
    route(f"{cid}", view_func=campaigns_api.get_campaign, methods=["GET"])
    route(f"{cid}", view_func=campaigns_api.update_campaign, methods=["PATCH"])
    route(f"{cid}/transitions", view_func=campaigns_api.campaign_transition, methods=P)
    route(f"{cid}/invoice", view_func=campaigns_api.campaign_invoice, methods=P)
    route(f"{cid}/creatives", view_func=campaigns_api.list_creatives, methods=["GET"])
    route(f"{cid}/creatives", view_func=campaigns_api.create_creative, methods=P)
    route(f"{crid}", view_func=campaigns_api.get_creative, methods=["GET"])
    route(f"{crid}", view_func=campaigns_api.delete_creative, methods=["DELETE"])

    admin = admin_bp.add_url_rule
    admin("/", view_func=moderation.index, endpoint="index")
    admin("/campaigns/<int:campaign_id>", view_func=moderation.review, endpoint="review")
    for decision in ("approve", "reject"):
        admin(
            f"/campaigns/<int:campaign_id>/{decision}",
            endpoint=f"campaign_{decision}",
            view_func=moderation.decide,
            defaults={"decision": decision},
            methods=P,
        )
        admin(
            f"/creatives/<int:creative_id>/{decision}",
            endpoint=f"creative_{decision}",
            view_func=moderation.creative_decide,
            defaults={"decision": decision},
            methods=P,
        )
    admin(
        "/creatives/<int:creative_id>/file",
        view_func=moderation.creative_file,
        endpoint="creative_file",
    )
    admin("/terms", view_func=moderation.terms, endpoint="terms", methods=P)


_campaigns()
# -- end of campaigns, creatives, moderation --


# -- inventory, reports and the command line (helper rp) --
def _inventory_and_reports() -> None:
    from ent_plugins.ads.api import placements as placements_api
    from ent_plugins.ads.api import stats as stats_api
    from ent_plugins.ads.views import placements, reports

    rule("/placements/", view_func=placements.placements)
    rule("/placements/places/<code>", view_func=placements.place, methods=GP)
    rule("/placements/external/new", view_func=placements.external_new, methods=GP)
    rule("/placements/<int:placement_id>", view_func=placements.placement, methods=GP)
    rule("/reports/", view_func=reports.reports_index, endpoint="reports")
    rule("/reports/campaigns.csv", view_func=reports.campaigns_csv, endpoint="report_campaigns_csv")
    rule(
        "/reports/campaigns/<int:campaign_id>",
        view_func=reports.campaign,
        endpoint="report_campaign",
    )
    rule(
        "/reports/campaigns/<int:campaign_id>.csv",
        view_func=reports.campaign_csv,
        endpoint="report_campaign_csv",
    )
    rule("/reports/placements/", view_func=reports.placements_index, endpoint="report_placements")
    rule(
        "/reports/placements.csv",
        view_func=reports.placements_csv,
        endpoint="report_placements_csv",
    )
    rule(
        "/reports/placements/<int:placement_id>",
        view_func=reports.placement,
        endpoint="report_placement",
    )
    rule(
        "/reports/placements/<int:placement_id>.csv",
        view_func=reports.placement_csv,
        endpoint="report_placement_csv",
    )
    route = api_bp.add_url_rule
    route("/placements", view_func=placements_api.list_placements, methods=["GET"])
    route("/placements", view_func=placements_api.create_placement, methods=P)
    route("/placements/places", view_func=placements_api.list_places, methods=["GET"])
    route("/placements/<int:placement_id>", view_func=placements_api.get_placement, methods=["GET"])
    route(
        "/placements/<int:placement_id>",
        view_func=placements_api.update_placement,
        methods=["PATCH"],
    )
    route(
        "/placements/<int:placement_id>/stats",
        view_func=stats_api.placement_stats,
        methods=["GET"],
    )
    route("/campaigns/<int:campaign_id>/stats", view_func=stats_api.campaign_stats, methods=["GET"])


_inventory_and_reports()
# -- end of inventory, reports and the command line --


# -- classified ads (helper cl) --
from ent_plugins.ads.api import classifieds as classifieds_api  # noqa: E402
from ent_plugins.ads.views import classified_admin, classified_boards, classifieds  # noqa: E402

rule("/classifieds/", view_func=classifieds.classifieds)
rule("/classifieds/new", view_func=classifieds.classified_new, methods=GP)
rule("/classifieds/<int:classified_id>", view_func=classifieds.classified)
rule("/classifieds/<int:classified_id>/edit", view_func=classifieds.classified_edit, methods=GP)
rule(
    "/classifieds/<int:classified_id>/withdraw",
    view_func=classifieds.classified_withdraw,
    methods=P,
)
rule("/classifieds/<int:classified_id>/renew", view_func=classifieds.classified_renew, methods=P)
rule("/classifieds/<int:classified_id>/boost", view_func=classifieds.classified_boost, methods=P)
rule("/classifieds/images/<int:image_id>", view_func=classifieds.classified_image)

board = boards_bp.add_url_rule
board("/", view_func=classified_boards.index, endpoint="index")
board("/feed.atom", view_func=classified_boards.feed_all, endpoint="feed_all")
board("/images/<int:image_id>", view_func=classified_boards.image, endpoint="image")
board("/<sector>/", view_func=classified_boards.board, endpoint="board")
board("/<sector>/feed.atom", view_func=classified_boards.feed, endpoint="feed")
board("/<sector>/<int:classified_id>", view_func=classified_boards.ad, endpoint="ad")
board(
    "/<sector>/<int:classified_id>/contact",
    view_func=classified_boards.contact,
    endpoint="contact",
    methods=P,
)
board(
    "/<sector>/<int:classified_id>/report",
    view_func=classified_boards.report,
    endpoint="report",
    methods=P,
)

admin_bp.context_processor(classified_admin.template_helpers)
moderate = admin_bp.add_url_rule
moderate("/classifieds", view_func=classified_admin.queue, endpoint="classifieds")
moderate("/classifieds/<int:classified_id>/approve", view_func=classified_admin.approve, methods=P)
moderate("/classifieds/<int:classified_id>/reject", view_func=classified_admin.reject, methods=P)
moderate("/classified-reports/<int:report_id>/uphold", view_func=classified_admin.uphold, methods=P)
moderate(
    "/classified-reports/<int:report_id>/dismiss", view_func=classified_admin.dismiss, methods=P
)

api = api_bp.add_url_rule
api("/classifieds", view_func=classifieds_api.list_classifieds, methods=["GET"])
api("/classifieds", view_func=classifieds_api.create_classified, methods=P)
api("/classifieds/<int:classified_id>", view_func=classifieds_api.get_classified, methods=["GET"])
api(
    "/classifieds/<int:classified_id>",
    view_func=classifieds_api.patch_classified,
    methods=["PATCH"],
)
api(
    "/classifieds/<int:classified_id>/transitions",
    view_func=classifieds_api.classified_transition,
    methods=P,
)
#: The boards through the API, public and read-only (like /api/v1/marketplace/listings).
public_classifieds_api = Blueprint(
    "ads_classifieds_api", __name__, url_prefix="/api/v1/classifieds"
)
public_classifieds_api.add_url_rule(
    "", view_func=classifieds_api.public_classifieds, endpoint="list", methods=["GET"]
)
EXTRA.append(public_classifieds_api)
# Public pages and feeds stay outside the charter gate (CONVENTIONS.md), like the portal.
boards_bp.public_pages = True  # type: ignore[attr-defined]
public_classifieds_api.public_pages = True  # type: ignore[attr-defined]
# -- end of classified ads --
