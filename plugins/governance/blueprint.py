"""URL rules of the governance plugin, and nothing else.

Members' pages under ``/w/<workspace>/governance/``, public pages under
``/s/<workspace>/governance/``, the API under ``/api/v1/workspaces/<workspace>/governance/``.
"""

from __future__ import annotations

from ent_plugins.governance.api import votes as votes_api
from ent_plugins.governance.views import home
from ent_plugins.governance.views import votes as votes_views

from ent_core import sdk

GP = ["GET", "POST"]
P = ["POST"]

members = sdk.WorkspaceBlueprint("governance", __name__, template_folder="templates")
rule = members.add_url_rule
rule("/", view_func=home.index)

# -- votes (issue #16 item 4) --
rule("/votes/", view_func=votes_views.vote_list)
rule("/votes/new", view_func=votes_views.vote_new, methods=GP)
rule("/votes/<int:vote_id>", view_func=votes_views.vote)
rule("/votes/<int:vote_id>/edit", view_func=votes_views.vote_edit, methods=GP)
rule("/votes/<int:vote_id>/options", view_func=votes_views.option_add, methods=P)
rule("/votes/<int:vote_id>/open", view_func=votes_views.vote_open, methods=P)
rule("/votes/<int:vote_id>/close", view_func=votes_views.vote_close, methods=P)
rule("/votes/<int:vote_id>/ballots", view_func=votes_views.ballot_cast, methods=P)
rule("/votes/<int:vote_id>/tally", view_func=votes_views.manual_tally, methods=P)
rule("/votes/<int:vote_id>/results", view_func=votes_views.vote_results, methods=GP)
rule("/votes/<int:vote_id>/mandates", view_func=votes_views.mandates_start, methods=P)
members.context_processor(lambda: {"governance_open_votes": votes_views.home_votes})

public_bp = sdk.PublicBlueprint("governance_public", __name__, template_folder="templates")
public_bp.add_url_rule("/", view_func=home.public_index, endpoint="index")

api_bp = sdk.ApiBlueprint("governance_api", __name__)
route = api_bp.add_url_rule

# -- votes (issue #16 item 4) --
route("/votes", view_func=votes_api.list_votes, methods=["GET"])
route("/votes", view_func=votes_api.create_vote, methods=P)
route("/votes/<int:vote_id>", view_func=votes_api.get_vote, methods=["GET"])
route("/votes/<int:vote_id>", view_func=votes_api.patch_vote, methods=["PATCH"])
route("/votes/<int:vote_id>/options", view_func=votes_api.add_option, methods=P)
route("/votes/<int:vote_id>/transitions", view_func=votes_api.vote_transition, methods=P)
route("/votes/<int:vote_id>/ballots", view_func=votes_api.cast_ballot, methods=P)
route("/votes/<int:vote_id>/results", view_func=votes_api.vote_results, methods=["GET"])
route("/votes/<int:vote_id>/tally", view_func=votes_api.manual_tally, methods=["PUT"])
route("/votes/<int:vote_id>/receipts/check", view_func=votes_api.check_receipt, methods=P)
route("/votes/<int:vote_id>/mandates", view_func=votes_api.start_mandates, methods=P)
