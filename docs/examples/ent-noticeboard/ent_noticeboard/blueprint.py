"""URL rules of the notice board, and nothing else.

Members' pages live under ``/w/<workspace>/noticeboard/`` and the API under
``/api/v1/workspaces/<workspace>/noticeboard/``: the platform adds the prefixes and answers 404
wherever the module is off.
"""

from __future__ import annotations

from ent_core import sdk

from ent_noticeboard import api, views

members = sdk.WorkspaceBlueprint("noticeboard", __name__, template_folder="templates")
members.add_url_rule("/", view_func=views.index)
members.add_url_rule("/new", view_func=views.new, methods=["GET", "POST"])
members.add_url_rule("/<int:notice_id>", view_func=views.show)
members.add_url_rule("/<int:notice_id>/pin", view_func=views.pin, methods=["POST"])
members.add_url_rule("/<int:notice_id>/unpin", view_func=views.unpin, methods=["POST"])
members.add_url_rule("/<int:notice_id>/delete", view_func=views.delete, methods=["POST"])

api_bp = sdk.ApiBlueprint("noticeboard_api", __name__)
api_bp.add_url_rule("/notices", view_func=api.list_notices, methods=["GET"])
api_bp.add_url_rule("/notices", view_func=api.create_notice, methods=["POST"])
