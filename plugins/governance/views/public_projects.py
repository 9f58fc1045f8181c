"""Public pages of plans and projects under ``/s/<slug>/governance/``: published projects and
plans, the transparency page and the annual moral and financial report (PDF)."""

from __future__ import annotations

from typing import Any

from ent_plugins.governance import projects as service
from ent_plugins.governance import transparency
from ent_plugins.governance.models import DevelopmentPlan, Project, ProjectUpdate
from ent_plugins.governance.plans import FIRST_YEAR, LAST_YEAR
from flask import Response, render_template, request

from ent_core import sdk


def _published(model: Any, row_id: int) -> Any:
    row = sdk.get_or_404(model, row_id)
    if not row.published:
        sdk.abort(404)
    return row


def projects() -> Any:
    rows = sdk.db.session.scalars(
        transparency.published_projects().order_by(Project.id.desc())
    ).all()
    plans = sdk.db.session.scalars(
        sdk.scoped(DevelopmentPlan)
        .where(DevelopmentPlan.published.is_(True))
        .order_by(DevelopmentPlan.starts_year)
    ).all()
    return render_template(
        "governance/public/projects.html",
        projects=rows,
        plans=plans,
        years=service.years_with_money(),
        statuses=service.STATUSES,
    )


def project(project_id: int) -> Any:
    item = service.project_for_reader(project_id, whole=True)
    if not item.published:
        sdk.abort(404)
    plan = item.plan if item.plan is not None and item.plan.published else None
    return render_template(
        "governance/public/projects_project.html",
        project=item,
        plan=plan,
        totals=service.budget_totals(list(item.budget_lines)),
        received=sum((c.received for c in item.contributions), transparency.ZERO),
        updates=[u for u in item.updates if u.published],
        service=service,
    )


def update_photo(project_id: int, update_id: int, index: int) -> Any:
    item = _published(Project, project_id)
    update = service.child_of(ProjectUpdate, item, update_id)
    if not update.published:
        sdk.abort(404)
    return sdk.send_upload(service.photo_key(update, index))


def plan(plan_id: int) -> Any:
    item = _published(DevelopmentPlan, plan_id)
    rows = sdk.db.session.scalars(
        transparency.published_projects().where(Project.plan_id == item.id).order_by(Project.title)
    ).all()
    return render_template(
        "governance/public/projects_plan.html",
        plan=item,
        projects=rows,
        statuses=service.STATUSES,
    )


def transparency_page() -> Any:
    year = request.args.get("year", type=int)
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        sdk.abort(404)
    rows = transparency.spending()
    return render_template(
        "governance/public/projects_transparency.html",
        funds=transparency.funds(year),
        spending=rows,
        spending_totals=transparency.spending_totals(rows),
        year=year,
        years=service.years_with_money(),
    )


def report(year: int) -> Any:
    """The year's moral and financial report, in the page's language (``?lang=ar``)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        sdk.abort(404)
    data = transparency.report_pdf(transparency.annual_report(year))
    filename = f"{sdk.current_workspace().slug}-report-{year}.pdf"
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )
