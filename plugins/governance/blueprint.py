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
