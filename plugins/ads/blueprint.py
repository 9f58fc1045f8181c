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
    return [members, public_bp, api_bp, serve_bp, boards_bp, admin_bp]
