"""URL rules of the governance plugin, and nothing else.

Members' pages under ``/w/<workspace>/governance/``, public pages under
``/s/<workspace>/governance/``, the API under ``/api/v1/workspaces/<workspace>/governance/``.
"""

from __future__ import annotations

from ent_plugins.governance.views import home

from ent_core import sdk

GP = ["GET", "POST"]
P = ["POST"]

members = sdk.WorkspaceBlueprint("governance", __name__, template_folder="templates")
rule = members.add_url_rule
rule("/", view_func=home.index)

public_bp = sdk.PublicBlueprint("governance_public", __name__, template_folder="templates")
public_bp.add_url_rule("/", view_func=home.public_index, endpoint="index")

api_bp = sdk.ApiBlueprint("governance_api", __name__)
route = api_bp.add_url_rule

# -- minutes, the public minutes and the associates' verification page (helper gn) ----------
from ent_plugins.governance import associates  # noqa: E402
from ent_plugins.governance.api import associates as associates_api  # noqa: E402
from ent_plugins.governance.api import minutes as minutes_api  # noqa: E402
from ent_plugins.governance.views import associates as associates_views  # noqa: E402
from ent_plugins.governance.views import minutes as minutes_views  # noqa: E402
from ent_plugins.governance.views import public_minutes  # noqa: E402

rule("/minutes/", view_func=minutes_views.minutes_list)
rule("/minutes/new", view_func=minutes_views.minutes_new, methods=GP)
rule("/minutes/<int:minutes_id>", view_func=minutes_views.minutes)
rule("/minutes/<int:minutes_id>/edit", view_func=minutes_views.minutes_edit, methods=GP)
rule("/minutes/<int:minutes_id>/sign", view_func=minutes_views.minutes_sign, methods=P)
rule("/minutes/<int:minutes_id>/approve", view_func=minutes_views.minutes_approve, methods=P)
rule("/minutes/<int:minutes_id>/publish", view_func=minutes_views.minutes_publish, methods=P)
rule("/minutes/<int:minutes_id>/unpublish", view_func=minutes_views.minutes_unpublish, methods=P)
rule("/minutes/<int:minutes_id>/pdf", view_func=minutes_views.minutes_pdf_view)
rule("/associates/badge", view_func=associates_views.associate_badge, methods=GP)
members.context_processor(
    lambda: {"governance_associates_here": associates.is_associates_workspace}
)
public_bp.add_url_rule("/minutes/", view_func=public_minutes.minutes_list, endpoint="minutes_list")
public_bp.add_url_rule(
    "/minutes/<int:minutes_id>", view_func=public_minutes.minutes, endpoint="minutes"
)
public_bp.add_url_rule(
    "/minutes/<int:minutes_id>.pdf", view_func=public_minutes.minutes_pdf, endpoint="minutes_pdf"
)
public_bp.add_url_rule(
    "/associates/<token>", view_func=public_minutes.associate, endpoint="associate"
)
route("/minutes", view_func=minutes_api.list_minutes, methods=["GET"])
route("/minutes", view_func=minutes_api.create_minutes, methods=P)
route("/minutes/<int:minutes_id>", view_func=minutes_api.get_minutes, methods=["GET"])
route("/minutes/<int:minutes_id>", view_func=minutes_api.patch_minutes, methods=["PATCH"])
route(
    "/minutes/<int:minutes_id>/transitions",
    view_func=minutes_api.minutes_transition,
    methods=P,
)
route("/minutes/<int:minutes_id>/pdf", view_func=minutes_api.minutes_pdf, methods=["GET"])
route("/associates/badge", view_func=associates_api.get_badge, methods=["GET"])
route("/associates/badge", view_func=associates_api.put_badge, methods=["PUT"])
