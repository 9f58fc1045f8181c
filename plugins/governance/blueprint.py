"""URL rules of the governance plugin, and nothing else.

Members' pages under ``/w/<workspace>/governance/``, public pages under
``/s/<workspace>/governance/``, the API under ``/api/v1/workspaces/<workspace>/governance/``.
"""

from __future__ import annotations

from ent_plugins.governance.api import bodies as bodies_api
from ent_plugins.governance.api import meetings as meetings_api
from ent_plugins.governance.api import members as members_api
from ent_plugins.governance.api import votes as votes_api
from ent_plugins.governance.views import bodies, dues, home, meetings
from ent_plugins.governance.views import members as registry
from ent_plugins.governance.views import votes as votes_views

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
# -- bodies, mandates and meetings (items 2 and 3) --
rule("/bodies/", view_func=bodies.bodies)
rule("/bodies/new", view_func=bodies.body_new, methods=GP)
rule("/bodies/<int:body_id>", view_func=bodies.body)
rule("/bodies/<int:body_id>/edit", view_func=bodies.body_edit, methods=GP)
rule("/bodies/<int:body_id>/offices/new", view_func=bodies.office_new, methods=GP)
rule("/offices/<int:office_id>/edit", view_func=bodies.office_edit, methods=GP)
rule("/mandates/", view_func=bodies.holders)
rule("/mandates/new", view_func=bodies.mandate_new, methods=GP)
rule("/mandates/<int:mandate_id>/end", view_func=bodies.mandate_end, methods=GP)
rule("/mandates/<int:mandate_id>/renew", view_func=bodies.mandate_renew, methods=GP)
rule("/meetings/", view_func=meetings.meetings)
rule("/meetings.ics", view_func=meetings.meetings_ics)
rule("/meetings/new", view_func=meetings.meeting_new, methods=GP)
rule("/meetings/<int:meeting_id>", view_func=meetings.meeting)
rule("/meetings/<int:meeting_id>.ics", view_func=meetings.meeting_ics)
rule("/meetings/<int:meeting_id>/edit", view_func=meetings.meeting_edit, methods=GP)
rule("/meetings/<int:meeting_id>/agenda", view_func=meetings.agenda_add, methods=P)
rule("/agenda/<int:item_id>/move", view_func=meetings.agenda_move, methods=P)
rule("/agenda/<int:item_id>/delete", view_func=meetings.agenda_delete, methods=P)
rule("/meetings/<int:meeting_id>/documents", view_func=meetings.document_add, methods=P)
rule("/documents/<int:document_id>", view_func=meetings.document)
rule("/documents/<int:document_id>/delete", view_func=meetings.document_delete, methods=P)
rule("/meetings/<int:meeting_id>/convene", view_func=meetings.convene, methods=GP)
rule("/meetings/<int:meeting_id>/cancel", view_func=meetings.cancel, methods=GP)
for _name in ("hold", "adjourn", "close"):
    rule(
        f"/meetings/<int:meeting_id>/{_name}",
        endpoint=f"meeting_{_name}",
        view_func=meetings.outcome,
        defaults={"transition": _name},
        methods=P,
    )
rule("/meetings/<int:meeting_id>/second", view_func=meetings.second_convocation, methods=GP)
rule("/meetings/<int:meeting_id>/rsvp", view_func=meetings.rsvp, methods=P)
rule("/meetings/<int:meeting_id>/check-in", view_func=meetings.check_in, methods=P)
rule("/meetings/<int:meeting_id>/attendance", view_func=meetings.attendance, methods=GP)
rule("/meetings/<int:meeting_id>/proxies", view_func=meetings.proxy_add, methods=P)
rule("/proxies/<int:proxy_id>/withdraw", view_func=meetings.proxy_withdraw, methods=P)
# -- end of bodies, mandates and meetings --

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
public_bp.add_url_rule(  # bodies, mandates and meetings
    "/meetings.ics", view_func=meetings.public_meetings_ics, endpoint="meetings_ics"
)
public_bp.add_url_rule(
    "/feeds/<token>/meetings.ics",
    view_func=meetings.private_meetings_ics,
    endpoint="private_meetings_ics",
)

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


# -- development plans and projects (views/plans.py, views/projects.py, views/public_projects.py,
# api/plans.py) -------------------------------------------------------------------------------
def _plans_and_projects() -> None:
    from ent_plugins.governance.api import plans as plans_api
    from ent_plugins.governance.views import plans, projects, public_projects

    @members.context_processor
    @public_bp.context_processor
    def _markdown() -> dict[str, object]:
        return {"render_markdown": sdk.render_markdown}

    pid = "/projects/<int:project_id>"
    rule("/plans/", view_func=plans.index, endpoint="plans")
    rule("/plans/new", view_func=plans.plan_new, methods=GP)
    rule("/plans/<int:plan_id>", view_func=plans.plan)
    rule("/plans/<int:plan_id>/edit", view_func=plans.plan_edit, methods=GP)
    rule("/plans/<int:plan_id>/delete", view_func=plans.plan_delete, methods=P)
    rule("/plans/<int:plan_id>/goals/new", view_func=plans.goal_add, methods=GP)
    rule("/plans/<int:plan_id>/goals/<int:goal_id>/edit", view_func=plans.goal_edit, methods=GP)
    rule("/plans/<int:plan_id>/goals/<int:goal_id>/delete", view_func=plans.goal_delete, methods=P)
    rule("/projects/new", view_func=projects.project_new, methods=GP)
    rule(pid, view_func=projects.project)
    rule(f"{pid}/edit", view_func=projects.project_edit, methods=GP)
    rule(f"{pid}/delete", view_func=projects.project_delete, methods=P)
    rule(f"{pid}/budget/new", view_func=projects.line_add, methods=GP)
    rule(f"{pid}/budget/<int:line_id>/edit", view_func=projects.line_edit, methods=GP)
    rule(f"{pid}/budget/<int:line_id>/delete", view_func=projects.line_delete, methods=P)
    rule(f"{pid}/contributions/new", view_func=projects.contribution_add, methods=GP)
    rule(
        f"{pid}/contributions/<int:contribution_id>/edit",
        view_func=projects.contribution_edit,
        methods=GP,
    )
    rule(
        f"{pid}/contributions/<int:contribution_id>/delete",
        view_func=projects.contribution_delete,
        methods=P,
    )
    rule(f"{pid}/milestones/new", view_func=projects.milestone_add, methods=GP)
    rule(f"{pid}/milestones/<int:milestone_id>/edit", view_func=projects.milestone_edit, methods=GP)
    rule(f"{pid}/milestones/<int:milestone_id>/done", view_func=projects.milestone_done, methods=P)
    rule(
        f"{pid}/milestones/<int:milestone_id>/delete",
        view_func=projects.milestone_delete,
        methods=P,
    )
    rule(f"{pid}/indicators/new", view_func=projects.indicator_add, methods=GP)
    ind = f"{pid}/indicators/<int:indicator_id>"
    rule(f"{ind}/edit", view_func=projects.indicator_edit, methods=GP)
    rule(f"{ind}/delete", view_func=projects.indicator_delete, methods=P)
    rule(f"{ind}/measurements/new", view_func=projects.measurement_add, methods=GP)
    rule(
        f"{ind}/measurements/<int:measurement_id>/delete",
        view_func=projects.measurement_delete,
        methods=P,
    )
    rule(f"{pid}/updates/new", view_func=projects.update_new, methods=GP)
    upd = f"{pid}/updates/<int:update_id>"
    rule(f"{upd}/edit", view_func=projects.update_edit, methods=GP)
    for transition in ("publish", "withdraw"):
        rule(
            f"{upd}/{transition}",
            view_func=projects.update_transition,
            methods=P,
            defaults={"name": transition},
        )
    rule(f"{upd}/delete", view_func=projects.update_delete, methods=P)
    rule(
        f"{upd}/photos/<int:index>",
        view_func=projects.update_photo,
        endpoint="project_update_photo",
    )
    rule(f"{upd}/photos/<int:index>/delete", view_func=projects.update_photo_delete, methods=P)
    rule("/funders/", view_func=projects.funders, methods=GP)
    rule("/funders/<int:funder_id>/edit", view_func=projects.funder_edit, methods=GP)
    rule("/funders/<int:funder_id>/delete", view_func=projects.funder_delete, methods=P)

    public = public_bp.add_url_rule
    public("/projects/", view_func=public_projects.projects, endpoint="projects")
    public(pid, view_func=public_projects.project, endpoint="project")
    public(
        f"{pid}/updates/<int:update_id>/photos/<int:index>",
        view_func=public_projects.update_photo,
        endpoint="project_update_photo",
    )
    public("/plans/<int:plan_id>", view_func=public_projects.plan, endpoint="plan")
    public("/transparency", view_func=public_projects.transparency_page, endpoint="transparency")
    public("/reports/<int:year>.pdf", view_func=public_projects.report, endpoint="report")

    api = plans_api
    crud = (
        ("/plans", "plans", "/<int:plan_id>", "plan"),
        ("/plans/<int:plan_id>/goals", "goals", "/<int:goal_id>", "goal"),
        ("/projects", "projects", "/<int:project_id>", "project"),
        (f"{pid}/budget-lines", "budget_lines", "/<int:line_id>", "budget_line"),
        ("/funders", "funders", "/<int:funder_id>", "funder"),
        (f"{pid}/contributions", "contributions", "/<int:contribution_id>", "contribution"),
        (f"{pid}/milestones", "milestones", "/<int:milestone_id>", "milestone"),
        (f"{pid}/indicators", "indicators", "/<int:indicator_id>", "indicator"),
        (f"{pid}/updates", "updates", "/<int:update_id>", "update"),
    )
    for path, plural, item, one in crud:
        route(path, view_func=getattr(api, f"list_{plural}"), methods=["GET"])
        route(path, view_func=getattr(api, f"create_{one}"), methods=P)
        if hasattr(api, f"get_{one}"):
            route(path + item, view_func=getattr(api, f"get_{one}"), methods=["GET"])
        patch = getattr(api, f"update_{one}", None) or getattr(api, f"patch_{one}")
        route(path + item, view_func=patch, methods=["PATCH"])
        route(path + item, view_func=getattr(api, f"delete_{one}"), methods=["DELETE"])
    measurements = f"{pid}/indicators/<int:indicator_id>/measurements"
    route(measurements, view_func=api.list_measurements, methods=["GET"])
    route(measurements, view_func=api.create_measurement, methods=P)
    route(
        f"{measurements}/<int:measurement_id>", view_func=api.delete_measurement, methods=["DELETE"]
    )
    upd_api = f"{pid}/updates/<int:update_id>"
    route(f"{upd_api}/transitions", view_func=api.update_transition, methods=P)
    route(f"{upd_api}/photos", view_func=api.add_update_photo, methods=P)
    route(f"{upd_api}/photos/<int:index>", view_func=api.delete_update_photo, methods=["DELETE"])
    route("/transparency", view_func=api.get_transparency, methods=["GET"])
    route("/reports/<int:year>.pdf", view_func=api.get_report, methods=["GET"])


_plans_and_projects()
# -- bodies, mandates and meetings (items 2 and 3) --
route("/bodies", view_func=bodies_api.list_bodies, methods=["GET"])
route("/bodies", view_func=bodies_api.create_body, methods=P)
route("/bodies/<int:body_id>", view_func=bodies_api.get_body, methods=["GET"])
route("/bodies/<int:body_id>", view_func=bodies_api.patch_body, methods=["PATCH"])
route("/offices", view_func=bodies_api.list_offices, methods=["GET"])
route("/offices", view_func=bodies_api.create_office, methods=P)
route("/offices/<int:office_id>", view_func=bodies_api.patch_office, methods=["PATCH"])
route("/mandates", view_func=bodies_api.list_mandates, methods=["GET"])
route("/mandates", view_func=bodies_api.create_mandate, methods=P)
route("/mandates/<int:mandate_id>", view_func=bodies_api.get_mandate, methods=["GET"])
route("/mandates/<int:mandate_id>", view_func=bodies_api.patch_mandate, methods=["PATCH"])
route("/mandates/<int:mandate_id>/renewal", view_func=bodies_api.renew_mandate, methods=P)
route("/meetings", view_func=meetings_api.list_meetings, methods=["GET"])
route("/meetings", view_func=meetings_api.create_meeting, methods=P)
route("/meetings/<int:meeting_id>", view_func=meetings_api.get_meeting, methods=["GET"])
route("/meetings/<int:meeting_id>", view_func=meetings_api.patch_meeting, methods=["PATCH"])
route(
    "/meetings/<int:meeting_id>/transitions",
    view_func=meetings_api.meeting_transition,
    methods=P,
)
route(
    "/meetings/<int:meeting_id>/second-convocation",
    view_func=meetings_api.create_second_convocation,
    methods=P,
)
route("/meetings/<int:meeting_id>/check-in", view_func=meetings_api.check_in, methods=P)
route("/meetings/<int:meeting_id>/quorum", view_func=meetings_api.get_quorum, methods=["GET"])
route("/meetings/<int:meeting_id>/agenda", view_func=meetings_api.list_agenda, methods=["GET"])
route("/meetings/<int:meeting_id>/agenda", view_func=meetings_api.create_agenda_item, methods=P)
route(
    "/agenda-items/<int:item_id>",
    view_func=meetings_api.patch_agenda_item,
    methods=["PATCH"],
)
route(
    "/agenda-items/<int:item_id>",
    view_func=meetings_api.delete_agenda_item,
    methods=["DELETE"],
)
route(
    "/meetings/<int:meeting_id>/attendance",
    view_func=meetings_api.list_attendance,
    methods=["GET"],
)
route(
    "/meetings/<int:meeting_id>/attendance/<int:member_id>",
    view_func=meetings_api.put_attendance,
    methods=["PUT"],
)
route("/meetings/<int:meeting_id>/proxies", view_func=meetings_api.list_proxies, methods=["GET"])
route("/meetings/<int:meeting_id>/proxies", view_func=meetings_api.create_proxy, methods=P)
route("/proxies/<int:proxy_id>", view_func=meetings_api.delete_proxy, methods=["DELETE"])
route(
    "/meetings/<int:meeting_id>/documents",
    view_func=meetings_api.list_documents,
    methods=["GET"],
)
route(
    "/documents/<int:document_id>/file",
    view_func=meetings_api.document_file,
    methods=["GET"],
    endpoint="document_file",
)
# -- end of bodies, mandates and meetings --
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
