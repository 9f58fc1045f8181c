"""API of development plans and projects under ``/api/v1/workspaces/<slug>/governance/``.

Reads need ``workspace.view`` (non-managers see published plans, projects and updates only);
writes need ``governance.manage_projects``. Money is ``{"amount": "1188.00", "currency": "MAD"}``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ent_plugins.governance import plans as plan_service
from ent_plugins.governance import projects as service
from ent_plugins.governance import transparency
from ent_plugins.governance.models import (
    BudgetLine,
    Contribution,
    DevelopmentPlan,
    Funder,
    Goal,
    Indicator,
    Measurement,
    Milestone,
    Project,
    ProjectUpdate,
)
from ent_plugins.governance.permissions import MANAGE_PROJECTS, VIEW
from flask import Response, request
from pydantic import Field
from sqlalchemy.orm import selectinload

from ent_core import sdk

TAGS = ("governance",)
WRITE_ERRORS = (403, 404, 409, 422)


def _page(statement: Any, key: Any, serialize: Any, query: sdk.PageQuery) -> dict[str, Any]:
    return sdk.paginate(
        statement, key=key, serialize=lambda rows: [serialize(r) for r in rows], query=query
    )


def _fields(body: sdk.ApiModel) -> dict[str, Any]:
    """The body's fields as they are (``Money`` kept as ``Money`` for the services)."""
    return dict(body)


def _merge(row: Any, body: sdk.ApiModel, names: tuple[str, ...]) -> dict[str, Any]:
    """The row's current values of ``names``, overridden by what the PATCH body sets."""
    return {name: getattr(row, name) for name in names} | {
        name: getattr(body, name) for name in body.model_fields_set
    }


def _url(endpoint: str, **values: Any) -> str:
    return sdk.external_url(endpoint, workspace=sdk.current_workspace().slug, **values)


# -- plans and goals -------------------------------------------------------------------------
class GoalIn(sdk.ApiModel):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=5_000)
    position: int | None = Field(default=None, ge=0, le=10_000)


class GoalPatch(sdk.ApiModel):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=5_000)
    position: int | None = Field(default=None, ge=0, le=10_000)


class GoalOut(sdk.ApiModel):
    id: int
    plan_id: int
    position: int
    title: str
    description: str


def goal_json(goal: Goal) -> GoalOut:
    return GoalOut(
        id=goal.id,
        plan_id=goal.plan_id,
        position=goal.position,
        title=goal.title,
        description=goal.description,
    )


class PlanIn(sdk.ApiModel):
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(default="", max_length=20_000)
    starts_year: int
    ends_year: int
    published: bool = False


class PlanPatch(sdk.ApiModel):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    summary: str | None = Field(default=None, max_length=20_000)
    starts_year: int | None = None
    ends_year: int | None = None
    published: bool | None = None


class PlanOut(sdk.ApiModel):
    id: int
    title: str
    summary: str
    starts_year: int
    ends_year: int
    published: bool
    goals: list[GoalOut]
    url: str = Field(description="The public page of the plan (answers 404 while unpublished).")


def plan_json(plan: DevelopmentPlan) -> PlanOut:
    return PlanOut(
        id=plan.id,
        title=plan.title,
        summary=plan.summary,
        starts_year=plan.starts_year,
        ends_year=plan.ends_year,
        published=plan.published,
        goals=[goal_json(g) for g in plan.goals],
        url=_url("governance_public.plan", plan_id=plan.id),
    )


PLAN_FIELDS = ("title", "summary", "starts_year", "ends_year", "published")


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="List the development plans",
    description="Members who do not manage projects see published plans only.",
    query=sdk.PageQuery,
    response=sdk.Page[PlanOut],
    tags=TAGS,
)
def list_plans(query: sdk.PageQuery) -> dict[str, Any]:
    statement = sdk.scoped(DevelopmentPlan)
    if not plan_service.may_manage():
        statement = statement.where(DevelopmentPlan.published.is_(True))
    return _page(statement, DevelopmentPlan.id, plan_json, query)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Create a development plan",
    body=PlanIn,
    response=PlanOut,
    status=201,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def create_plan(body: PlanIn) -> PlanOut:
    plan = plan_service.save_plan(None, **body.model_dump())
    sdk.db.session.commit()
    return plan_json(plan)


@sdk.require_permission(VIEW)
@sdk.api_operation(summary="One development plan", response=PlanOut, tags=TAGS, errors=(404,))
def get_plan(plan_id: int) -> PlanOut:
    return plan_json(plan_service.plan_for_reader(plan_id))


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Change a development plan",
    body=PlanPatch,
    response=PlanOut,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def update_plan(plan_id: int, body: PlanPatch) -> PlanOut:
    plan = sdk.get_or_404(DevelopmentPlan, plan_id)
    plan_service.save_plan(plan, **_merge(plan, body, PLAN_FIELDS))
    sdk.db.session.commit()
    return plan_json(plan)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Delete a development plan",
    description="Its goals go; its projects stay, outside any plan.",
    status=204,
    tags=TAGS,
    errors=(403, 404),
)
def delete_plan(plan_id: int) -> None:
    plan_service.delete_plan(sdk.get_or_404(DevelopmentPlan, plan_id))
    sdk.db.session.commit()


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="List a plan's goals",
    query=sdk.PageQuery,
    response=sdk.Page[GoalOut],
    tags=TAGS,
    errors=(404,),
)
def list_goals(plan_id: int, query: sdk.PageQuery) -> dict[str, Any]:
    plan = plan_service.plan_for_reader(plan_id)
    return _page(sdk.scoped(Goal).where(Goal.plan_id == plan.id), Goal.id, goal_json, query)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Add a goal to a plan",
    body=GoalIn,
    response=GoalOut,
    status=201,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def create_goal(plan_id: int, body: GoalIn) -> GoalOut:
    plan = sdk.get_or_404(DevelopmentPlan, plan_id)
    goal = plan_service.save_goal(None, plan, **body.model_dump())
    sdk.db.session.commit()
    return goal_json(goal)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Change a goal", body=GoalPatch, response=GoalOut, tags=TAGS, errors=WRITE_ERRORS
)
def update_goal(plan_id: int, goal_id: int, body: GoalPatch) -> GoalOut:
    plan = sdk.get_or_404(DevelopmentPlan, plan_id)
    goal = plan_service.goal_of(plan, goal_id)
    plan_service.save_goal(goal, plan, **_merge(goal, body, ("title", "description", "position")))
    sdk.db.session.commit()
    return goal_json(goal)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(summary="Delete a goal", status=204, tags=TAGS, errors=(403, 404))
def delete_goal(plan_id: int, goal_id: int) -> None:
    plan = sdk.get_or_404(DevelopmentPlan, plan_id)
    plan_service.delete_goal(plan_service.goal_of(plan, goal_id))
    sdk.db.session.commit()


# -- projects --------------------------------------------------------------------------------
class ProjectIn(sdk.ApiModel):
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(default="", max_length=20_000)
    location: str = Field(default="", max_length=200)
    status: str = Field(default="planned", pattern="^(planned|running|completed|cancelled)$")
    starts_on: date | None = None
    ends_on: date | None = None
    plan_id: int | None = None
    goal_id: int | None = None
    published: bool = False


class ProjectPatch(sdk.ApiModel):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    summary: str | None = Field(default=None, max_length=20_000)
    location: str | None = Field(default=None, max_length=200)
    status: str | None = Field(default=None, pattern="^(planned|running|completed|cancelled)$")
    starts_on: date | None = None
    ends_on: date | None = None
    plan_id: int | None = None
    goal_id: int | None = None
    published: bool | None = None


class ProjectOut(sdk.ApiModel):
    id: int
    title: str
    summary: str
    location: str
    status: str
    starts_on: date | None
    ends_on: date | None
    plan_id: int | None
    goal_id: int | None
    published: bool
    planned: sdk.Money
    committed: sdk.Money
    spent: sdk.Money
    pledged: sdk.Money
    received: sdk.Money
    url: str = Field(description="The public page of the project (404 while unpublished).")


def _money(value: Decimal) -> sdk.Money:
    return sdk.Money(value, service.CURRENCY)


def project_json(project: Project) -> ProjectOut:
    totals = service.budget_totals(list(project.budget_lines))
    return ProjectOut(
        id=project.id,
        title=project.title,
        summary=project.summary,
        location=project.location,
        status=project.status,
        starts_on=project.starts_on,
        ends_on=project.ends_on,
        plan_id=project.plan_id,
        goal_id=project.goal_id,
        published=project.published,
        **{name: _money(value) for name, value in totals.items()},
        pledged=_money(sum((c.pledged for c in project.contributions), Decimal(0))),
        received=_money(sum((c.received for c in project.contributions), Decimal(0))),
        url=_url("governance_public.project", project_id=project.id),
    )


class ProjectQuery(sdk.PageQuery):
    plan_id: int | None = None


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="List the projects",
    description="Members who do not manage projects see published projects only.",
    query=ProjectQuery,
    response=sdk.Page[ProjectOut],
    tags=TAGS,
)
def list_projects(query: ProjectQuery) -> dict[str, Any]:
    statement = sdk.scoped(Project).options(
        selectinload(Project.budget_lines), selectinload(Project.contributions)
    )
    if not plan_service.may_manage():
        statement = statement.where(Project.published.is_(True))
    if query.plan_id is not None:
        statement = statement.where(Project.plan_id == query.plan_id)
    return _page(statement, Project.id, project_json, query)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Create a project",
    body=ProjectIn,
    response=ProjectOut,
    status=201,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def create_project(body: ProjectIn) -> ProjectOut:
    project = service.save_project(None, **body.model_dump())
    sdk.db.session.commit()
    return project_json(project)


@sdk.require_permission(VIEW)
@sdk.api_operation(summary="One project", response=ProjectOut, tags=TAGS, errors=(404,))
def get_project(project_id: int) -> ProjectOut:
    return project_json(service.project_for_reader(project_id))


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Change a project",
    body=ProjectPatch,
    response=ProjectOut,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def update_project(project_id: int, body: ProjectPatch) -> ProjectOut:
    project = sdk.get_or_404(Project, project_id)
    service.save_project(project, **body.model_dump(exclude_unset=True))
    sdk.db.session.commit()
    return project_json(project)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Delete a project",
    description="With its budget, contributions, milestones, indicators and updates.",
    status=204,
    tags=TAGS,
    errors=(403, 404),
)
def delete_project(project_id: int) -> None:
    service.delete_project(sdk.get_or_404(Project, project_id))
    sdk.db.session.commit()


# -- budget lines ----------------------------------------------------------------------------
class BudgetLineIn(sdk.ApiModel):
    label: str = Field(min_length=1, max_length=200)
    planned: sdk.Money | None = None
    committed: sdk.Money | None = None
    spent: sdk.Money | None = None


class BudgetLinePatch(sdk.ApiModel):
    label: str | None = Field(default=None, min_length=1, max_length=200)
    planned: sdk.Money | None = None
    committed: sdk.Money | None = None
    spent: sdk.Money | None = None


class BudgetLineOut(sdk.ApiModel):
    id: int
    project_id: int
    position: int
    label: str
    planned: sdk.Money
    committed: sdk.Money
    spent: sdk.Money


def line_json(line: BudgetLine) -> BudgetLineOut:
    return BudgetLineOut(
        id=line.id,
        project_id=line.project_id,
        position=line.position,
        label=line.label,
        planned=_money(line.planned),
        committed=_money(line.committed),
        spent=_money(line.spent),
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="List a project's budget lines",
    query=sdk.PageQuery,
    response=sdk.Page[BudgetLineOut],
    tags=TAGS,
    errors=(404,),
)
def list_budget_lines(project_id: int, query: sdk.PageQuery) -> dict[str, Any]:
    project = service.project_for_reader(project_id)
    statement = sdk.scoped(BudgetLine).where(BudgetLine.project_id == project.id)
    return _page(statement, BudgetLine.id, line_json, query)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Add a budget line",
    body=BudgetLineIn,
    response=BudgetLineOut,
    status=201,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def create_budget_line(project_id: int, body: BudgetLineIn) -> BudgetLineOut:
    project = sdk.get_or_404(Project, project_id)
    line = service.save_budget_line(None, project, **_fields(body))
    sdk.db.session.commit()
    return line_json(line)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Change a budget line (the treasurer's figures)",
    body=BudgetLinePatch,
    response=BudgetLineOut,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def update_budget_line(project_id: int, line_id: int, body: BudgetLinePatch) -> BudgetLineOut:
    project = sdk.get_or_404(Project, project_id)
    line = service.child_of(BudgetLine, project, line_id)
    values = _merge(line, body, ("label", "planned", "committed", "spent"))
    service.save_budget_line(line, project, **values)
    sdk.db.session.commit()
    return line_json(line)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(summary="Delete a budget line", status=204, tags=TAGS, errors=(403, 404))
def delete_budget_line(project_id: int, line_id: int) -> None:
    project = sdk.get_or_404(Project, project_id)
    line = service.child_of(BudgetLine, project, line_id)
    sdk.db.session.delete(line)
    sdk.audit("governance.budget_line_deleted", subject=f"budget_line:{line.id}")
    sdk.db.session.commit()


# -- funders ---------------------------------------------------------------------------------
KIND_PATTERN = "^(" + "|".join(service.FUNDER_KINDS) + ")$"


class FunderIn(sdk.ApiModel):
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(pattern=KIND_PATTERN)


class FunderPatch(sdk.ApiModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: str | None = Field(default=None, pattern=KIND_PATTERN)


class FunderOut(sdk.ApiModel):
    id: int
    name: str
    kind: str


def funder_json(funder: Funder) -> FunderOut:
    return FunderOut(id=funder.id, name=funder.name, kind=funder.kind)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="List the funders",
    query=sdk.PageQuery,
    response=sdk.Page[FunderOut],
    tags=TAGS,
    errors=(403,),
)
def list_funders(query: sdk.PageQuery) -> dict[str, Any]:
    return _page(sdk.scoped(Funder), Funder.id, funder_json, query)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Add a funder",
    body=FunderIn,
    response=FunderOut,
    status=201,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def create_funder(body: FunderIn) -> FunderOut:
    funder = service.save_funder(None, **body.model_dump())
    sdk.db.session.commit()
    return funder_json(funder)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Change a funder",
    body=FunderPatch,
    response=FunderOut,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def update_funder(funder_id: int, body: FunderPatch) -> FunderOut:
    funder = sdk.get_or_404(Funder, funder_id)
    service.save_funder(funder, **_merge(funder, body, ("name", "kind")))
    sdk.db.session.commit()
    return funder_json(funder)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Delete a funder",
    description="Refused (409 `funder_in_use`) while it has contributions.",
    status=204,
    tags=TAGS,
    errors=(403, 404, 409),
)
def delete_funder(funder_id: int) -> None:
    service.delete_funder(sdk.get_or_404(Funder, funder_id))
    sdk.db.session.commit()


# -- contributions ---------------------------------------------------------------------------
class ContributionIn(sdk.ApiModel):
    funder_id: int
    year: int
    pledged: sdk.Money | None = None
    received: sdk.Money | None = None
    received_on: date | None = None


class ContributionPatch(sdk.ApiModel):
    funder_id: int | None = None
    year: int | None = None
    pledged: sdk.Money | None = None
    received: sdk.Money | None = None
    received_on: date | None = None


class ContributionOut(sdk.ApiModel):
    id: int
    project_id: int
    funder: FunderOut
    year: int
    pledged: sdk.Money
    received: sdk.Money
    received_on: date | None


def contribution_json(c: Contribution) -> ContributionOut:
    return ContributionOut(
        id=c.id,
        project_id=c.project_id,
        funder=funder_json(c.funder),
        year=c.year,
        pledged=_money(c.pledged),
        received=_money(c.received),
        received_on=c.received_on,
    )


CONTRIBUTION_FIELDS = ("funder_id", "year", "pledged", "received", "received_on")


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="List a project's contributions",
    query=sdk.PageQuery,
    response=sdk.Page[ContributionOut],
    tags=TAGS,
    errors=(404,),
)
def list_contributions(project_id: int, query: sdk.PageQuery) -> dict[str, Any]:
    project = service.project_for_reader(project_id)
    statement = (
        sdk.scoped(Contribution)
        .where(Contribution.project_id == project.id)
        .options(selectinload(Contribution.funder))
    )
    return _page(statement, Contribution.id, contribution_json, query)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Record a funder's contribution for a year",
    description="One per project, funder and year (409 `contribution_exists`).",
    body=ContributionIn,
    response=ContributionOut,
    status=201,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def create_contribution(project_id: int, body: ContributionIn) -> ContributionOut:
    project = sdk.get_or_404(Project, project_id)
    contribution = service.save_contribution(None, project, **_fields(body))
    sdk.db.session.commit()
    return contribution_json(contribution)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Change a contribution",
    body=ContributionPatch,
    response=ContributionOut,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def update_contribution(
    project_id: int, contribution_id: int, body: ContributionPatch
) -> ContributionOut:
    project = sdk.get_or_404(Project, project_id)
    contribution = service.child_of(Contribution, project, contribution_id)
    service.save_contribution(
        contribution, project, **_merge(contribution, body, CONTRIBUTION_FIELDS)
    )
    sdk.db.session.commit()
    return contribution_json(contribution)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(summary="Delete a contribution", status=204, tags=TAGS, errors=(403, 404))
def delete_contribution(project_id: int, contribution_id: int) -> None:
    project = sdk.get_or_404(Project, project_id)
    contribution = service.child_of(Contribution, project, contribution_id)
    sdk.db.session.delete(contribution)
    sdk.audit("governance.contribution_deleted", subject=f"contribution:{contribution.id}")
    sdk.db.session.commit()


# -- milestones ------------------------------------------------------------------------------
class MilestoneIn(sdk.ApiModel):
    title: str = Field(min_length=1, max_length=200)
    due_on: date | None = None
    done_on: date | None = None


class MilestonePatch(sdk.ApiModel):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    due_on: date | None = None
    done_on: date | None = None


class MilestoneOut(sdk.ApiModel):
    id: int
    project_id: int
    title: str
    due_on: date | None
    done_on: date | None
    late: bool


def milestone_json(m: Milestone) -> MilestoneOut:
    return MilestoneOut(
        id=m.id,
        project_id=m.project_id,
        title=m.title,
        due_on=m.due_on,
        done_on=m.done_on,
        late=service.is_late(m),
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="List a project's milestones",
    query=sdk.PageQuery,
    response=sdk.Page[MilestoneOut],
    tags=TAGS,
    errors=(404,),
)
def list_milestones(project_id: int, query: sdk.PageQuery) -> dict[str, Any]:
    project = service.project_for_reader(project_id)
    statement = sdk.scoped(Milestone).where(Milestone.project_id == project.id)
    return _page(statement, Milestone.id, milestone_json, query)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Add a milestone",
    body=MilestoneIn,
    response=MilestoneOut,
    status=201,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def create_milestone(project_id: int, body: MilestoneIn) -> MilestoneOut:
    project = sdk.get_or_404(Project, project_id)
    milestone = service.save_milestone(None, project, **body.model_dump())
    sdk.db.session.commit()
    return milestone_json(milestone)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Change a milestone",
    description="Set `done_on` to mark it reached (not in the future), `null` to open it again.",
    body=MilestonePatch,
    response=MilestoneOut,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def update_milestone(project_id: int, milestone_id: int, body: MilestonePatch) -> MilestoneOut:
    project = sdk.get_or_404(Project, project_id)
    milestone = service.child_of(Milestone, project, milestone_id)
    service.save_milestone(
        milestone, project, **_merge(milestone, body, ("title", "due_on", "done_on"))
    )
    sdk.db.session.commit()
    return milestone_json(milestone)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(summary="Delete a milestone", status=204, tags=TAGS, errors=(403, 404))
def delete_milestone(project_id: int, milestone_id: int) -> None:
    project = sdk.get_or_404(Project, project_id)
    sdk.db.session.delete(service.child_of(Milestone, project, milestone_id))
    sdk.db.session.commit()


# -- indicators and measurements -------------------------------------------------------------
class IndicatorIn(sdk.ApiModel):
    name: str = Field(min_length=1, max_length=200)
    unit: str = Field(default="", max_length=40)
    baseline: Decimal = Decimal(0)
    target: Decimal


class IndicatorPatch(sdk.ApiModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    unit: str | None = Field(default=None, max_length=40)
    baseline: Decimal | None = None
    target: Decimal | None = None


class MeasurementIn(sdk.ApiModel):
    measured_on: date
    value: Decimal


class MeasurementOut(sdk.ApiModel):
    id: int
    measured_on: date
    value: Decimal


class IndicatorOut(sdk.ApiModel):
    id: int
    project_id: int
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    progress: int | None = Field(
        description="Percent of the way from baseline to target reached by the latest value."
    )
    measurements: list[MeasurementOut]


def measurement_json(m: Measurement) -> MeasurementOut:
    return MeasurementOut(id=m.id, measured_on=m.measured_on, value=m.value)


def indicator_json(i: Indicator) -> IndicatorOut:
    return IndicatorOut(
        id=i.id,
        project_id=i.project_id,
        name=i.name,
        unit=i.unit,
        baseline=i.baseline,
        target=i.target,
        progress=service.progress(i),
        measurements=[measurement_json(m) for m in i.measurements],
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="List a project's indicators with their measurements",
    query=sdk.PageQuery,
    response=sdk.Page[IndicatorOut],
    tags=TAGS,
    errors=(404,),
)
def list_indicators(project_id: int, query: sdk.PageQuery) -> dict[str, Any]:
    project = service.project_for_reader(project_id)
    statement = (
        sdk.scoped(Indicator)
        .where(Indicator.project_id == project.id)
        .options(selectinload(Indicator.measurements))
    )
    return _page(statement, Indicator.id, indicator_json, query)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Add an indicator",
    body=IndicatorIn,
    response=IndicatorOut,
    status=201,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def create_indicator(project_id: int, body: IndicatorIn) -> IndicatorOut:
    project = sdk.get_or_404(Project, project_id)
    indicator = service.save_indicator(None, project, **_fields(body))
    sdk.db.session.commit()
    return indicator_json(indicator)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Change an indicator",
    body=IndicatorPatch,
    response=IndicatorOut,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def update_indicator(project_id: int, indicator_id: int, body: IndicatorPatch) -> IndicatorOut:
    project = sdk.get_or_404(Project, project_id)
    indicator = service.child_of(Indicator, project, indicator_id)
    service.save_indicator(
        indicator, project, **_merge(indicator, body, ("name", "unit", "baseline", "target"))
    )
    sdk.db.session.commit()
    return indicator_json(indicator)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(summary="Delete an indicator", status=204, tags=TAGS, errors=(403, 404))
def delete_indicator(project_id: int, indicator_id: int) -> None:
    project = sdk.get_or_404(Project, project_id)
    indicator = service.child_of(Indicator, project, indicator_id)
    for measurement in indicator.measurements:
        sdk.db.session.delete(measurement)
    sdk.db.session.delete(indicator)
    sdk.db.session.commit()


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="List an indicator's measurements",
    query=sdk.PageQuery,
    response=sdk.Page[MeasurementOut],
    tags=TAGS,
    errors=(404,),
)
def list_measurements(project_id: int, indicator_id: int, query: sdk.PageQuery) -> dict[str, Any]:
    project = service.project_for_reader(project_id)
    indicator = service.child_of(Indicator, project, indicator_id)
    statement = sdk.scoped(Measurement).where(Measurement.indicator_id == indicator.id)
    return _page(statement, Measurement.id, measurement_json, query)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Record a measured value",
    description="Not in the future (the workspace's today).",
    body=MeasurementIn,
    response=MeasurementOut,
    status=201,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def create_measurement(project_id: int, indicator_id: int, body: MeasurementIn) -> MeasurementOut:
    project = sdk.get_or_404(Project, project_id)
    indicator = service.child_of(Indicator, project, indicator_id)
    measurement = service.add_measurement(indicator, **_fields(body))
    sdk.db.session.commit()
    return measurement_json(measurement)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(summary="Delete a measurement", status=204, tags=TAGS, errors=(403, 404))
def delete_measurement(project_id: int, indicator_id: int, measurement_id: int) -> None:
    project = sdk.get_or_404(Project, project_id)
    indicator = service.child_of(Indicator, project, indicator_id)
    sdk.db.session.delete(service.measurement_of(indicator, measurement_id))
    sdk.db.session.commit()


# -- updates ---------------------------------------------------------------------------------
class UpdateIn(sdk.ApiModel):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(default="", max_length=20_000)
    photos_alt: str = Field(
        default="",
        max_length=1_000,
        description="What the photos show, for readers who cannot see them (needed with photos).",
    )


class UpdatePatch(sdk.ApiModel):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    body: str | None = Field(default=None, max_length=20_000)
    photos_alt: str | None = Field(default=None, max_length=1_000)


class UpdateOut(sdk.ApiModel):
    id: int
    project_id: int
    title: str
    body: str
    photos: list[str] = Field(description="Addresses of the photos, in order.")
    photos_alt: str
    published: bool
    published_at: datetime | None
    created_at: datetime


class TransitionIn(sdk.ApiModel):
    transition: str = Field(pattern="^(publish|withdraw)$")


def update_json(u: ProjectUpdate) -> UpdateOut:
    return UpdateOut(
        id=u.id,
        project_id=u.project_id,
        title=u.title,
        body=u.body,
        photos=[
            _url(
                "governance.project_update_photo",
                project_id=u.project_id,
                update_id=u.id,
                index=i,
            )
            for i in range(len(u.photos or []))
        ],
        photos_alt=u.photos_alt,
        published=u.published,
        published_at=u.published_at,
        created_at=u.created_at,
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="List a project's updates",
    description="Members who do not manage projects see published updates only.",
    query=sdk.PageQuery,
    response=sdk.Page[UpdateOut],
    tags=TAGS,
    errors=(404,),
)
def list_updates(project_id: int, query: sdk.PageQuery) -> dict[str, Any]:
    project = service.project_for_reader(project_id)
    statement = sdk.scoped(ProjectUpdate).where(ProjectUpdate.project_id == project.id)
    if not plan_service.may_manage():
        statement = statement.where(ProjectUpdate.published.is_(True))
    return _page(statement, ProjectUpdate.id, update_json, query)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Write a progress update (a draft)",
    body=UpdateIn,
    response=UpdateOut,
    status=201,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def create_update(project_id: int, body: UpdateIn) -> UpdateOut:
    project = sdk.get_or_404(Project, project_id)
    update = service.save_update(None, project, **body.model_dump())
    sdk.db.session.commit()
    return update_json(update)


@sdk.require_permission(VIEW)
@sdk.api_operation(summary="One update", response=UpdateOut, tags=TAGS, errors=(404,))
def get_update(project_id: int, update_id: int) -> UpdateOut:
    project = service.project_for_reader(project_id)
    return update_json(service.update_for_reader(project, update_id))


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Change an update",
    body=UpdatePatch,
    response=UpdateOut,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def patch_update(project_id: int, update_id: int, body: UpdatePatch) -> UpdateOut:
    project = sdk.get_or_404(Project, project_id)
    update = service.child_of(ProjectUpdate, project, update_id)
    service.save_update(update, project, **_merge(update, body, ("title", "body", "photos_alt")))
    sdk.db.session.commit()
    return update_json(update)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(summary="Delete an update", status=204, tags=TAGS, errors=(403, 404))
def delete_update(project_id: int, update_id: int) -> None:
    project = sdk.get_or_404(Project, project_id)
    service.delete_update(service.child_of(ProjectUpdate, project, update_id))
    sdk.db.session.commit()


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Publish or withdraw an update",
    description=(
        "`publish` (the project must be published: 409 `project_not_published`) or "
        "`withdraw`; a refused one answers 409 `invalid_transition` with `details.allowed`."
    ),
    body=TransitionIn,
    response=UpdateOut,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def update_transition(project_id: int, update_id: int, body: TransitionIn) -> UpdateOut:
    project = sdk.get_or_404(Project, project_id)
    update = service.child_of(ProjectUpdate, project, update_id)
    service.transition_update(update, body.transition)
    sdk.db.session.commit()
    return update_json(update)


class PhotoQuery(sdk.ApiModel):
    alt: str | None = Field(
        default=None,
        max_length=1_000,
        description="What the update's photos show (sets `photos_alt`; needed once).",
    )


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Add a photo to an update",
    description=(
        "The request body is the image itself (PNG, JPEG or WebP, 8 MB at most), checked by "
        "its content: anything else answers 422 `upload_rejected`. The update needs a "
        "description of its photos (`photos_alt`, or `?alt=` here): 422 `validation_error` "
        "without one."
    ),
    query=PhotoQuery,
    response=UpdateOut,
    status=201,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def add_update_photo(project_id: int, update_id: int, query: PhotoQuery) -> UpdateOut:
    project = sdk.get_or_404(Project, project_id)
    update = service.child_of(ProjectUpdate, project, update_id)
    if query.alt is not None and query.alt.strip():
        update.photos_alt = query.alt.strip()
    service.add_photos(update, [request.get_data()[: service.PHOTO_MAX_BYTES + 1]])
    sdk.db.session.commit()
    return update_json(update)


@sdk.require_permission(MANAGE_PROJECTS)
@sdk.api_operation(
    summary="Remove a photo of an update", response=UpdateOut, tags=TAGS, errors=(403, 404)
)
def delete_update_photo(project_id: int, update_id: int, index: int) -> UpdateOut:
    project = sdk.get_or_404(Project, project_id)
    update = service.child_of(ProjectUpdate, project, update_id)
    service.remove_photo(update, index)
    sdk.db.session.commit()
    return update_json(update)


# -- transparency and the annual report ------------------------------------------------------
class TransparencyQuery(sdk.ApiModel):
    year: int | None = Field(default=None, ge=1990, le=2100)


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="The transparency figures",
    description=(
        "What the public transparency page shows, for published projects: money received by "
        "funder kind, funder and year (with what was pledged), and the budget lines of each "
        "project (planned, committed, spent), with totals that add up to the centime."
    ),
    query=TransparencyQuery,
    tags=TAGS,
)
def get_transparency(query: TransparencyQuery) -> dict[str, Any]:
    return transparency.figures_json(query.year)


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="The annual moral and financial report (PDF)",
    description="In the language asked with `?lang=` (`fr`, `ar` right to left, `en`).",
    tags=TAGS,
    errors=(404,),
)
def get_report(year: int) -> Response:
    if not 1990 <= year <= 2100:
        sdk.abort(404)
    data = transparency.report_pdf(transparency.annual_report(year))
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="report-{year}.pdf"'},
    )
