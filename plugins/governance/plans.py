"""Development plans and their goals: the rules the pages and the API share.

A plan spans years (``starts_year`` to ``ends_year``) and lists goals in order; projects may
belong to a plan and one of its goals (``projects.py``). Managers (``governance.manage_projects``)
see and change everything; other members and the public see published plans only.
"""

from __future__ import annotations

from typing import Any

from ent_plugins.governance.models import DevelopmentPlan, Goal, Project
from ent_plugins.governance.permissions import MANAGE_PROJECTS

from ent_core import sdk

#: The widest plan an association writes (communal plans run six years, regional ones longer).
MAX_PLAN_YEARS = 15
FIRST_YEAR, LAST_YEAR = 1990, 2100


class PlanError(sdk.UserError):
    default_status = 422


def may_manage() -> bool:
    return sdk.has_permission(MANAGE_PROJECTS)


def visible_plans() -> Any:
    """The plans the current reader may see, earliest first."""
    statement = sdk.scoped(DevelopmentPlan).order_by(
        DevelopmentPlan.starts_year, DevelopmentPlan.id
    )
    if not may_manage():
        statement = statement.where(DevelopmentPlan.published.is_(True))
    return statement


def plan_for_reader(plan_id: int) -> DevelopmentPlan:
    """A plan of this workspace the reader may see, else 404 (a draft is nobody else's news)."""
    plan = sdk.get_or_404(DevelopmentPlan, plan_id)
    if not plan.published and not may_manage():
        sdk.abort(404)
    return plan


def save_plan(
    plan: DevelopmentPlan | None,
    *,
    title: str,
    summary: str = "",
    starts_year: int,
    ends_year: int,
    published: bool = False,
) -> DevelopmentPlan:
    """Create (``plan`` None) or change a plan; refuses a title-less one and reversed years."""
    title = (title or "").strip()
    if not title:
        raise PlanError("validation_error", sdk._("Give the plan a title."), field="title")
    for name, year in (("starts_year", starts_year), ("ends_year", ends_year)):
        if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
            raise PlanError(
                "validation_error",
                sdk._(
                    "Give a year between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR
                ),
                field=name,
            )
    if ends_year < starts_year:
        raise PlanError(
            "validation_error",
            sdk._("The plan cannot end before it starts."),
            field="ends_year",
        )
    if ends_year - starts_year + 1 > MAX_PLAN_YEARS:
        raise PlanError(
            "validation_error",
            sdk._("A plan spans at most %(years)s years.", years=MAX_PLAN_YEARS),
            field="ends_year",
        )
    if plan is None:
        plan = DevelopmentPlan()
        sdk.db.session.add(plan)
    plan.title = title
    plan.summary = (summary or "").strip()
    plan.starts_year, plan.ends_year = starts_year, ends_year
    plan.published = bool(published)
    sdk.db.session.flush()
    return plan


def delete_plan(plan: DevelopmentPlan) -> None:
    """Delete a plan and its goals; its projects stay, outside any plan."""
    for project in sdk.db.session.scalars(sdk.scoped(Project).where(Project.plan_id == plan.id)):
        project.plan_id = None
        project.goal_id = None
    for goal in list(plan.goals):
        sdk.db.session.delete(goal)
    sdk.db.session.delete(plan)
    sdk.audit("governance.plan_deleted", subject=f"plan:{plan.id}")
    sdk.db.session.flush()


def save_goal(
    goal: Goal | None,
    plan: DevelopmentPlan,
    *,
    title: str,
    description: str = "",
    position: int | None = None,
) -> Goal:
    title = (title or "").strip()
    if not title:
        raise PlanError("validation_error", sdk._("Give the goal a title."), field="title")
    if goal is None:
        goal = Goal(plan_id=plan.id)
        if position is None:
            position = len(plan.goals) + 1
        sdk.db.session.add(goal)
    goal.title = title
    goal.description = (description or "").strip()
    if position is not None:
        goal.position = position
    sdk.db.session.flush()
    sdk.db.session.refresh(plan)
    return goal


def delete_goal(goal: Goal) -> None:
    """Delete a goal; its projects stay in the plan, without a goal."""
    for project in sdk.db.session.scalars(sdk.scoped(Project).where(Project.goal_id == goal.id)):
        project.goal_id = None
    sdk.db.session.delete(goal)
    sdk.db.session.flush()


def goal_of(plan: DevelopmentPlan, goal_id: int) -> Goal:
    """A goal of this plan, else 404."""
    goal = sdk.get_or_404(Goal, goal_id)
    if goal.plan_id != plan.id:
        sdk.abort(404)
    return goal
