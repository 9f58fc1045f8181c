"""URL rules of the governance plugin, and nothing else.

Members' pages under ``/w/<workspace>/governance/``, public pages under
``/s/<workspace>/governance/``, the API under ``/api/v1/workspaces/<workspace>/governance/``.
"""

from __future__ import annotations

from ent_plugins.governance.api import members as members_api
from ent_plugins.governance.views import dues, home
from ent_plugins.governance.views import members as registry

from ent_core import sdk

GP = ["GET", "POST"]
P = ["POST"]

members = sdk.WorkspaceBlueprint("governance", __name__, template_folder="templates")
rule = members.add_url_rule
rule("/", view_func=home.index)
# -- members and dues (registry) --
rule("/members/", view_func=registry.registry)
rule("/members/new", view_func=registry.member_new, methods=GP)
rule("/members/import", view_func=registry.member_import, methods=GP)
rule("/members/export.csv", view_func=registry.member_export)
rule("/members/<int:member_id>", view_func=registry.member)
rule("/members/<int:member_id>/edit", view_func=registry.member_edit, methods=GP)
rule("/members/<int:member_id>/payments", view_func=dues.payment_new, methods=P)
rule("/membership", view_func=registry.my_membership, endpoint="my_membership")
rule("/membership/pay", view_func=registry.pay_online, methods=P)
rule("/categories", view_func=dues.categories, methods=GP)
rule("/categories/<int:category_id>/edit", view_func=dues.category_edit, methods=GP)
rule("/dues/rates", view_func=dues.rates, methods=GP)
rule("/dues/payments", view_func=dues.payment_list)
rule("/dues/payments.csv", view_func=dues.payment_export)
rule("/dues/payments/<int:payment_id>/cancel", view_func=dues.payment_cancel, methods=P)
rule("/dues/payments/<int:payment_id>/receipt.pdf", view_func=dues.receipt)
rule("/dues/reminders", view_func=dues.remind, methods=P)
# -- end of members and dues --

public_bp = sdk.PublicBlueprint("governance_public", __name__, template_folder="templates")
public_bp.add_url_rule("/", view_func=home.public_index, endpoint="index")

api_bp = sdk.ApiBlueprint("governance_api", __name__)
route = api_bp.add_url_rule
# -- members and dues (registry) --
route("/members", view_func=members_api.list_members, methods=["GET"])
route("/members", view_func=members_api.create_member, methods=P)
route("/members/<int:member_id>", view_func=members_api.get_member, methods=["GET"])
route("/members/<int:member_id>", view_func=members_api.patch_member, methods=["PATCH"])
route("/members/<int:member_id>/dues", view_func=members_api.member_dues, methods=["GET"])
route("/categories", view_func=members_api.list_categories, methods=["GET"])
route("/categories", view_func=members_api.create_category, methods=P)
route("/dues-rates", view_func=members_api.list_rates, methods=["GET"])
route("/dues-rates", view_func=members_api.set_rate, methods=["PUT"])
route("/payments", view_func=members_api.list_payments, methods=["GET"])
route("/payments", view_func=members_api.record_payment, methods=P)
route(
    "/payments/<int:payment_id>/transitions",
    view_func=members_api.payment_transition,
    methods=P,
)
route("/payments/<int:payment_id>/receipt.pdf", view_func=members_api.payment_receipt)
route("/reminders", view_func=members_api.send_reminders, methods=P)
# -- end of members and dues --
