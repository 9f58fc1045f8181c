"""Projects in the members' area: budget, funders and contributions, milestones, indicators,
progress updates with photos. Writes need ``governance.manage_projects``; other members see
published projects and their published updates."""

from __future__ import annotations

from typing import Any

from ent_plugins.governance import projects as service
from ent_plugins.governance import transparency
from ent_plugins.governance.forms import choices
from ent_plugins.governance.models import (
    BudgetLine,
    Contribution,
    DevelopmentPlan,
    Funder,
    Indicator,
    Milestone,
    Project,
    ProjectUpdate,
)
from ent_plugins.governance.permissions import MANAGE_PROJECTS, VIEW
from ent_plugins.governance.plans import may_manage
from ent_plugins.governance.projects_forms import (
    ActionForm,
    BudgetLineForm,
    ContributionForm,
    FunderForm,
    IndicatorForm,
    MeasurementForm,
    MilestoneForm,
    ProjectForm,
    UpdateForm,
)
from ent_plugins.governance.views.plans import form_page, posted
from flask import flash, redirect, render_template, request, url_for

from ent_core import sdk


def _back(project: Project, anchor: str = "") -> Any:
    url = url_for(".project", project_id=project.id)
    return redirect(f"{url}#{anchor}" if anchor else url, 303)


def _project_form(form: ProjectForm) -> None:
    form.status.choices = choices([(k, str(v)) for k, v in service.STATUSES.items()])
    options: list[tuple[str, str]] = [("", sdk._("None"))]
    plans = sdk.db.session.scalars(
        sdk.scoped(DevelopmentPlan).order_by(DevelopmentPlan.starts_year)
    ).all()
    for plan in plans:
        options.append((f"plan:{plan.id}", plan.title))
        options += [(f"goal:{g.id}", f"{plan.title} — {g.title}") for g in plan.goals]
    form.goal_id.choices = choices(options)


def _placement(value: str) -> dict[str, int | None]:
    kind, _, ident = (value or "").partition(":")
    if kind == "goal" and ident.isdigit():
        return {"plan_id": None, "goal_id": int(ident)}
    if kind == "plan" and ident.isdigit():
        return {"plan_id": int(ident), "goal_id": None}
    return {"plan_id": None, "goal_id": None}


def _project_fields(form: ProjectForm) -> dict[str, Any]:
    return {
        "title": form.title.data,
        "summary": form.summary.data,
        "location": form.location.data,
        "status": form.status.data,
        "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data,
        "published": form.published.data,
        **_placement(form.goal_id.data),
    }


@sdk.require_permission(MANAGE_PROJECTS)
def project_new() -> Any:
    form = ProjectForm()
    _project_form(form)
    if request.method == "GET" and request.args.get("plan_id", "").isdigit():
        form.goal_id.data = f"plan:{request.args['plan_id']}"
    if form.validate_on_submit():
        with sdk.user_errors(form, rename={"plan_id": "goal_id"}):
            project = service.save_project(None, **_project_fields(form))
            sdk.db.session.commit()
            flash(sdk._("The project is saved."), "success")
            return _back(project)
    return form_page(form, sdk._("New project"), url_for(".plans"))


@sdk.require_permission(MANAGE_PROJECTS)
def project_edit(project_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    form = ProjectForm(obj=project)
    _project_form(form)
    if request.method == "GET":
        form.goal_id.data = (
            f"goal:{project.goal_id}"
            if project.goal_id
            else (f"plan:{project.plan_id}" if project.plan_id else "")
        )
    if form.validate_on_submit():
        with sdk.user_errors(form, rename={"plan_id": "goal_id"}):
            service.save_project(project, **_project_fields(form))
            sdk.db.session.commit()
            flash(sdk._("The project is saved."), "success")
            return _back(project)
    return form_page(form, sdk._("Edit the project"), url_for(".project", project_id=project.id))


@sdk.require_permission(MANAGE_PROJECTS)
def project_delete(project_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    posted()
    service.delete_project(project)
    sdk.db.session.commit()
    flash(sdk._("The project is deleted."), "success")
    return redirect(url_for(".plans"), 303)


def _contribution_form(form: ContributionForm) -> None:
    form.funder_id.choices = choices(
        [(f.id, f"{f.name} ({service.FUNDER_KINDS[f.kind]})") for f in service.funders()]
    )


@sdk.require_permission(VIEW)
def project(project_id: int) -> Any:
    item = service.project_for_reader(project_id, whole=True)
    contribution_form = ContributionForm(year=sdk.local_today().year)
    _contribution_form(contribution_form)
    return render_template(
        "governance/plans/project.html",
        project=item,
        totals=service.budget_totals(list(item.budget_lines)),
        received=sum((c.received for c in item.contributions), transparency.ZERO),
        pledged=sum((c.pledged for c in item.contributions), transparency.ZERO),
        updates=service.visible_updates(item),
        may_manage=may_manage(),
        service=service,
        line_form=BudgetLineForm(formdata=None),
        contribution_form=contribution_form,
        milestone_form=MilestoneForm(formdata=None),
        indicator_form=IndicatorForm(formdata=None),
        action_form=ActionForm(),
    )


# -- budget lines ----------------------------------------------------------------------------
def _line_fields(form: BudgetLineForm) -> dict[str, Any]:
    return {
        "label": form.label.data,
        "planned": form.planned.data,
        "committed": form.committed.data,
        "spent": form.spent.data,
    }


@sdk.require_permission(MANAGE_PROJECTS)
def line_add(project_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    form = BudgetLineForm()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.save_budget_line(None, project, **_line_fields(form))
            sdk.db.session.commit()
            flash(sdk._("The budget line is saved."), "success")
            return _back(project, "budget")
    return form_page(form, sdk._("New budget line"), url_for(".project", project_id=project.id))


@sdk.require_permission(MANAGE_PROJECTS)
def line_edit(project_id: int, line_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    line = service.child_of(BudgetLine, project, line_id)
    form = BudgetLineForm(obj=line)
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.save_budget_line(line, project, **_line_fields(form))
            sdk.db.session.commit()
            flash(sdk._("The budget line is saved."), "success")
            return _back(project, "budget")
    return form_page(
        form, sdk._("Edit the budget line"), url_for(".project", project_id=project.id)
    )


@sdk.require_permission(MANAGE_PROJECTS)
def line_delete(project_id: int, line_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    line = service.child_of(BudgetLine, project, line_id)
    posted()
    sdk.db.session.delete(line)
    sdk.audit("governance.budget_line_deleted", subject=f"budget_line:{line.id}")
    sdk.db.session.commit()
    flash(sdk._("The budget line is deleted."), "success")
    return _back(project, "budget")


# -- funders and contributions ---------------------------------------------------------------
def _funder_form(form: FunderForm) -> None:
    form.kind.choices = choices([(k, str(v)) for k, v in service.FUNDER_KINDS.items()])


@sdk.require_permission(MANAGE_PROJECTS)
def funders() -> Any:
    form = FunderForm()
    _funder_form(form)
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.save_funder(None, name=form.name.data, kind=form.kind.data)
            sdk.db.session.commit()
            flash(sdk._("The funder is saved."), "success")
            return redirect(url_for(".funders"), 303)
    page = render_template(
        "governance/plans/funders.html",
        funders=service.funders(),
        kinds=service.FUNDER_KINDS,
        form=form,
        action_form=ActionForm(),
    )
    return page, 422 if form.errors else 200


@sdk.require_permission(MANAGE_PROJECTS)
def funder_edit(funder_id: int) -> Any:
    funder = sdk.get_or_404(Funder, funder_id)
    form = FunderForm(obj=funder)
    _funder_form(form)
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.save_funder(funder, name=form.name.data, kind=form.kind.data)
            sdk.db.session.commit()
            flash(sdk._("The funder is saved."), "success")
            return redirect(url_for(".funders"), 303)
    return form_page(form, sdk._("Edit the funder"), url_for(".funders"))


@sdk.require_permission(MANAGE_PROJECTS)
def funder_delete(funder_id: int) -> Any:
    funder = sdk.get_or_404(Funder, funder_id)
    posted()
    with sdk.user_errors():
        service.delete_funder(funder)
        sdk.db.session.commit()
        flash(sdk._("The funder is deleted."), "success")
    return redirect(url_for(".funders"), 303)


def _contribution_fields(form: ContributionForm) -> dict[str, Any]:
    return {
        "funder_id": form.funder_id.data,
        "year": form.year.data,
        "pledged": form.pledged.data,
        "received": form.received.data,
        "received_on": form.received_on.data,
    }


@sdk.require_permission(MANAGE_PROJECTS)
def contribution_add(project_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    form = ContributionForm()
    _contribution_form(form)
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.save_contribution(None, project, **_contribution_fields(form))
            sdk.db.session.commit()
            flash(sdk._("The contribution is saved."), "success")
            return _back(project, "funding")
    return form_page(form, sdk._("New contribution"), url_for(".project", project_id=project.id))


@sdk.require_permission(MANAGE_PROJECTS)
def contribution_edit(project_id: int, contribution_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    contribution = service.child_of(Contribution, project, contribution_id)
    form = ContributionForm(obj=contribution)
    _contribution_form(form)
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.save_contribution(contribution, project, **_contribution_fields(form))
            sdk.db.session.commit()
            flash(sdk._("The contribution is saved."), "success")
            return _back(project, "funding")
    return form_page(
        form, sdk._("Edit the contribution"), url_for(".project", project_id=project.id)
    )


@sdk.require_permission(MANAGE_PROJECTS)
def contribution_delete(project_id: int, contribution_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    contribution = service.child_of(Contribution, project, contribution_id)
    posted()
    sdk.db.session.delete(contribution)
    sdk.audit("governance.contribution_deleted", subject=f"contribution:{contribution.id}")
    sdk.db.session.commit()
    flash(sdk._("The contribution is deleted."), "success")
    return _back(project, "funding")


# -- milestones ------------------------------------------------------------------------------
@sdk.require_permission(MANAGE_PROJECTS)
def milestone_add(project_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    form = MilestoneForm()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.save_milestone(
                None,
                project,
                title=form.title.data,
                due_on=form.due_on.data,
                done_on=form.done_on.data,
            )
            sdk.db.session.commit()
            flash(sdk._("The milestone is saved."), "success")
            return _back(project, "milestones")
    return form_page(form, sdk._("New milestone"), url_for(".project", project_id=project.id))


@sdk.require_permission(MANAGE_PROJECTS)
def milestone_edit(project_id: int, milestone_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    milestone = service.child_of(Milestone, project, milestone_id)
    form = MilestoneForm(obj=milestone)
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.save_milestone(
                milestone,
                project,
                title=form.title.data,
                due_on=form.due_on.data,
                done_on=form.done_on.data,
            )
            sdk.db.session.commit()
            flash(sdk._("The milestone is saved."), "success")
            return _back(project, "milestones")
    return form_page(form, sdk._("Edit the milestone"), url_for(".project", project_id=project.id))


@sdk.require_permission(MANAGE_PROJECTS)
def milestone_done(project_id: int, milestone_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    milestone = service.child_of(Milestone, project, milestone_id)
    posted()
    service.mark_milestone(milestone, milestone.done_on is None)
    sdk.db.session.commit()
    return _back(project, "milestones")


@sdk.require_permission(MANAGE_PROJECTS)
def milestone_delete(project_id: int, milestone_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    milestone = service.child_of(Milestone, project, milestone_id)
    posted()
    sdk.db.session.delete(milestone)
    sdk.db.session.commit()
    flash(sdk._("The milestone is deleted."), "success")
    return _back(project, "milestones")


# -- indicators ------------------------------------------------------------------------------
def _indicator_fields(form: IndicatorForm) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "unit": form.unit.data,
        "baseline": form.baseline.data,
        "target": form.target.data,
    }


@sdk.require_permission(MANAGE_PROJECTS)
def indicator_add(project_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    form = IndicatorForm()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.save_indicator(None, project, **_indicator_fields(form))
            sdk.db.session.commit()
            flash(sdk._("The indicator is saved."), "success")
            return _back(project, "indicators")
    return form_page(form, sdk._("New indicator"), url_for(".project", project_id=project.id))


@sdk.require_permission(MANAGE_PROJECTS)
def indicator_edit(project_id: int, indicator_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    indicator = service.child_of(Indicator, project, indicator_id)
    form = IndicatorForm(obj=indicator)
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.save_indicator(indicator, project, **_indicator_fields(form))
            sdk.db.session.commit()
            flash(sdk._("The indicator is saved."), "success")
            return _back(project, "indicators")
    return form_page(form, sdk._("Edit the indicator"), url_for(".project", project_id=project.id))


@sdk.require_permission(MANAGE_PROJECTS)
def indicator_delete(project_id: int, indicator_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    indicator = service.child_of(Indicator, project, indicator_id)
    posted()
    for measurement in indicator.measurements:
        sdk.db.session.delete(measurement)
    sdk.db.session.delete(indicator)
    sdk.db.session.commit()
    flash(sdk._("The indicator is deleted."), "success")
    return _back(project, "indicators")


@sdk.require_permission(MANAGE_PROJECTS)
def measurement_add(project_id: int, indicator_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    indicator = service.child_of(Indicator, project, indicator_id)
    form = MeasurementForm()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.add_measurement(
                indicator, measured_on=form.measured_on.data, value=form.value.data
            )
            sdk.db.session.commit()
            flash(sdk._("The measurement is added."), "success")
            return _back(project, "indicators")
    return form_page(
        form,
        sdk._("New measurement of %(name)s", name=indicator.name),
        url_for(".project", project_id=project.id),
    )


@sdk.require_permission(MANAGE_PROJECTS)
def measurement_delete(project_id: int, indicator_id: int, measurement_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    indicator = service.child_of(Indicator, project, indicator_id)
    measurement = service.measurement_of(indicator, measurement_id)
    posted()
    sdk.db.session.delete(measurement)
    sdk.db.session.commit()
    flash(sdk._("The measurement is deleted."), "success")
    return _back(project, "indicators")


# -- updates ---------------------------------------------------------------------------------
def _update_fields(form: UpdateForm) -> dict[str, Any]:
    return {
        "title": form.title.data,
        "body": form.body.data,
        "photos_alt": form.photos_alt.data,
    }


def _photos(form: UpdateForm) -> list[Any]:
    return [f for f in (form.photos.data or []) if f and getattr(f, "filename", "")]


@sdk.require_permission(MANAGE_PROJECTS)
def update_new(project_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    form = UpdateForm()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            update = service.save_update(None, project, **_update_fields(form))
            service.add_photos(update, _photos(form))
            sdk.db.session.commit()
            flash(sdk._("The update is saved as a draft."), "success")
            return _back(project, "updates")
    return form_page(
        form, sdk._("New update"), url_for(".project", project_id=project.id), multipart=True
    )


@sdk.require_permission(MANAGE_PROJECTS)
def update_edit(project_id: int, update_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    update = service.child_of(ProjectUpdate, project, update_id)
    form = UpdateForm(obj=update)
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.save_update(update, project, **_update_fields(form))
            service.add_photos(update, _photos(form))
            sdk.db.session.commit()
            flash(sdk._("The update is saved."), "success")
            return _back(project, "updates")
    return form_page(
        form, sdk._("Edit the update"), url_for(".project", project_id=project.id), multipart=True
    )


@sdk.require_permission(MANAGE_PROJECTS)
def update_transition(project_id: int, update_id: int, name: str) -> Any:
    project = sdk.get_or_404(Project, project_id)
    update = service.child_of(ProjectUpdate, project, update_id)
    posted()
    with sdk.user_errors():
        service.transition_update(update, name)
        sdk.db.session.commit()
        if update.published:
            flash(sdk._("The update is published."), "success")
        else:
            flash(sdk._("The update is withdrawn."), "success")
    return _back(project, "updates")


@sdk.require_permission(MANAGE_PROJECTS)
def update_delete(project_id: int, update_id: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    update = service.child_of(ProjectUpdate, project, update_id)
    posted()
    service.delete_update(update)
    sdk.db.session.commit()
    flash(sdk._("The update is deleted."), "success")
    return _back(project, "updates")


@sdk.require_permission(VIEW)
def update_photo(project_id: int, update_id: int, index: int) -> Any:
    project = service.project_for_reader(project_id)
    update = service.update_for_reader(project, update_id)
    return sdk.send_upload(service.photo_key(update, index))


@sdk.require_permission(MANAGE_PROJECTS)
def update_photo_delete(project_id: int, update_id: int, index: int) -> Any:
    project = sdk.get_or_404(Project, project_id)
    update = service.child_of(ProjectUpdate, project, update_id)
    posted()
    service.remove_photo(update, index)
    sdk.db.session.commit()
    flash(sdk._("The photo is removed."), "success")
    return _back(project, "updates")
