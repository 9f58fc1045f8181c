"""Development plans and their goals in the members' area."""

from __future__ import annotations

from typing import Any

from ent_plugins.governance import plans as service
from ent_plugins.governance.models import DevelopmentPlan, Project
from ent_plugins.governance.permissions import MANAGE_PROJECTS, VIEW
from ent_plugins.governance.projects import visible_projects
from ent_plugins.governance.projects_forms import ActionForm, GoalForm, PlanForm
from flask import flash, redirect, render_template, url_for

from ent_core import sdk


def form_page(form: Any, title: str, back: str, *, multipart: bool = False) -> Any:
    """The generic page of one form (422 when it comes back with errors)."""
    status = 422 if form.errors else 200
    page = render_template(
        "governance/plans/form.html", form=form, title=title, back=back, multipart=multipart
    )
    return page, status


def posted() -> None:
    """A button's POST carries a valid CSRF token, or it is a 400."""
    if not ActionForm().validate_on_submit():
        sdk.abort(400)


@sdk.require_permission(VIEW)
def index() -> Any:
    plans = sdk.db.session.scalars(service.visible_plans()).all()
    projects = sdk.db.session.scalars(visible_projects()).all()
    return render_template(
        "governance/plans/index.html",
        plans=plans,
        projects=projects,
        may_manage=service.may_manage(),
        current_year=sdk.local_today().year,
    )


def _plan_fields(form: PlanForm) -> dict[str, Any]:
    return {
        "title": form.title.data,
        "summary": form.summary.data,
        "starts_year": form.starts_year.data,
        "ends_year": form.ends_year.data,
        "published": form.published.data,
    }


@sdk.require_permission(MANAGE_PROJECTS)
def plan_new() -> Any:
    form = PlanForm()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            plan = service.save_plan(None, **_plan_fields(form))
            sdk.db.session.commit()
            flash(sdk._("The plan is saved."), "success")
            return redirect(url_for(".plan", plan_id=plan.id), 303)
    return form_page(form, sdk._("New development plan"), url_for(".plans"))


@sdk.require_permission(VIEW)
def plan(plan_id: int) -> Any:
    item = service.plan_for_reader(plan_id)
    projects = sdk.db.session.scalars(visible_projects().where(Project.plan_id == item.id)).all()
    return render_template(
        "governance/plans/plan.html",
        plan=item,
        projects=projects,
        goal_form=GoalForm(),
        action_form=ActionForm(),
        may_manage=service.may_manage(),
    )


@sdk.require_permission(MANAGE_PROJECTS)
def plan_edit(plan_id: int) -> Any:
    item = sdk.get_or_404(DevelopmentPlan, plan_id)
    form = PlanForm(obj=item)
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.save_plan(item, **_plan_fields(form))
            sdk.db.session.commit()
            flash(sdk._("The plan is saved."), "success")
            return redirect(url_for(".plan", plan_id=item.id), 303)
    return form_page(form, sdk._("Edit the plan"), url_for(".plan", plan_id=item.id))


@sdk.require_permission(MANAGE_PROJECTS)
def plan_delete(plan_id: int) -> Any:
    item = sdk.get_or_404(DevelopmentPlan, plan_id)
    posted()
    service.delete_plan(item)
    sdk.db.session.commit()
    flash(sdk._("The plan is deleted; its projects are kept."), "success")
    return redirect(url_for(".plans"), 303)


@sdk.require_permission(MANAGE_PROJECTS)
def goal_add(plan_id: int) -> Any:
    item = sdk.get_or_404(DevelopmentPlan, plan_id)
    form = GoalForm()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.save_goal(None, item, title=form.title.data, description=form.description.data)
            sdk.db.session.commit()
            flash(sdk._("The goal is added."), "success")
            return redirect(url_for(".plan", plan_id=item.id), 303)
    return form_page(form, sdk._("New goal"), url_for(".plan", plan_id=item.id))


@sdk.require_permission(MANAGE_PROJECTS)
def goal_edit(plan_id: int, goal_id: int) -> Any:
    item = sdk.get_or_404(DevelopmentPlan, plan_id)
    goal = service.goal_of(item, goal_id)
    form = GoalForm(obj=goal)
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.save_goal(goal, item, title=form.title.data, description=form.description.data)
            sdk.db.session.commit()
            flash(sdk._("The goal is saved."), "success")
            return redirect(url_for(".plan", plan_id=item.id), 303)
    return form_page(form, sdk._("Edit the goal"), url_for(".plan", plan_id=item.id))


@sdk.require_permission(MANAGE_PROJECTS)
def goal_delete(plan_id: int, goal_id: int) -> Any:
    item = sdk.get_or_404(DevelopmentPlan, plan_id)
    goal = service.goal_of(item, goal_id)
    posted()
    service.delete_goal(goal)
    sdk.db.session.commit()
    flash(sdk._("The goal is deleted."), "success")
    return redirect(url_for(".plan", plan_id=item.id), 303)
