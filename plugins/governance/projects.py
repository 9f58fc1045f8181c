"""Projects and what hangs on them: budget lines, funders and contributions, milestones,
indicators and their measurements, progress updates with photos.

Amounts are ``Decimal`` dirhams rounded to the centime through ``sdk.Money``; every refusal is a
``ProjectError`` (a ``sdk.UserError``) the pages show under the field and the API as JSON.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

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
from ent_plugins.governance.plans import FIRST_YEAR, LAST_YEAR, may_manage
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ent_core import sdk

_l = sdk._l

STATUSES = {
    "planned": _l("planned"),
    "running": _l("running"),
    "completed": _l("completed"),
    "cancelled": _l("cancelled"),
}
FUNDER_KINDS = {
    "indh": _l("INDH"),
    "commune": _l("Commune"),
    "region": _l("Region"),
    "state": _l("State"),
    "foreign": _l("Foreign donor"),
    "private": _l("Private"),
    "members": _l("Members"),
}
PHOTO_TYPES = ("image/png", "image/jpeg", "image/webp")
PHOTO_MAX_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 8
CURRENCY = "MAD"


class ProjectError(sdk.UserError):
    default_status = 422


def _invalid(message: str, field: str) -> ProjectError:
    return ProjectError("validation_error", message, field=field)


def _text(value: str | None, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise _invalid(message, field)
    return value


def amount(value: Any, field: str) -> Decimal:
    """A non-negative amount of dirhams rounded to the centime; refuses floats and junk."""
    if value is None or value == "":
        return Decimal("0.00")
    if isinstance(value, float):
        raise _invalid(sdk._("Write the amount as a decimal number."), field)
    try:
        money = value if isinstance(value, sdk.Money) else sdk.Money(Decimal(str(value)), CURRENCY)
    except (InvalidOperation, ValueError):
        raise _invalid(sdk._("Write the amount as a decimal number."), field) from None
    if money.currency != CURRENCY:
        raise _invalid(sdk._("Amounts are in dirhams (MAD)."), field)
    if money.amount < 0:
        raise _invalid(sdk._("An amount cannot be negative."), field)
    if money.amount >= Decimal("1e12"):
        raise _invalid(sdk._("This amount is too large."), field)
    return money.amount


def _year(value: int, field: str) -> int:
    if value is None or not FIRST_YEAR <= int(value) <= LAST_YEAR:
        raise _invalid(
            sdk._("Give a year between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR),
            field,
        )
    return int(value)


# -- projects --------------------------------------------------------------------------------
def visible_projects() -> Any:
    """The projects the current reader may see, newest first."""
    statement = sdk.scoped(Project).order_by(Project.id.desc())
    if not may_manage():
        statement = statement.where(Project.published.is_(True))
    return statement


def project_for_reader(project_id: int, *, whole: bool = False) -> Project:
    """A project the reader may see, else 404; ``whole`` loads everything its page shows in
    a fixed number of statements, however many lines, funders and measurements it has."""
    if whole:
        project = sdk.db.session.scalar(
            sdk.scoped(Project).where(Project.id == project_id).options(*PAGE_LOADS)
        )
        if project is None:
            sdk.abort(404)
    else:
        project = sdk.get_or_404(Project, project_id)
    if not project.published and not may_manage():
        sdk.abort(404)
    return project


PAGE_LOADS = (
    selectinload(Project.plan),
    selectinload(Project.goal),
    selectinload(Project.budget_lines),
    selectinload(Project.contributions).selectinload(Contribution.funder),
    selectinload(Project.milestones),
    selectinload(Project.indicators).selectinload(Indicator.measurements),
    selectinload(Project.updates),
)


def save_project(project: Project | None, **fields: Any) -> Project:
    """Create (``project`` None) or change a project from ``fields`` (title, summary,
    location, status, starts_on, ends_on, plan_id, goal_id, published); absent ones stay."""
    target = project or Project(status="planned")
    values = {name: getattr(target, name, None) for name in _PROJECT_FIELDS} | fields
    title = _text(values["title"], "title", sdk._("Give the project a title."))
    status = values["status"] or "planned"
    if status not in STATUSES:
        raise _invalid(sdk._("Choose a status from the list."), "status")
    starts_on, ends_on = values["starts_on"], values["ends_on"]
    if starts_on and ends_on and ends_on < starts_on:
        raise _invalid(sdk._("The project cannot end before it starts."), "ends_on")
    plan_id, goal_id = values["plan_id"] or None, values["goal_id"] or None
    if goal_id is not None:
        goal = sdk.db.session.get(Goal, goal_id)
        if goal is None:
            raise _invalid(sdk._("Choose a goal of this association's plans."), "goal_id")
        if plan_id is not None and goal.plan_id != plan_id:
            raise _invalid(sdk._("This goal belongs to another plan."), "goal_id")
        plan_id = goal.plan_id
    if plan_id is not None and sdk.db.session.get(DevelopmentPlan, plan_id) is None:
        raise _invalid(sdk._("Choose one of this association's plans."), "plan_id")
    if project is None:
        sdk.db.session.add(target)
    target.title = title
    target.summary = (values["summary"] or "").strip()
    target.location = (values["location"] or "").strip()
    target.status = status
    target.starts_on, target.ends_on = starts_on, ends_on
    target.plan_id, target.goal_id = plan_id, goal_id
    target.published = bool(values["published"])
    sdk.db.session.flush()
    return target


_PROJECT_FIELDS = (
    "title",
    "summary",
    "location",
    "status",
    "starts_on",
    "ends_on",
    "plan_id",
    "goal_id",
    "published",
)


def delete_project(project: Project) -> None:
    for update in project.updates:
        sdk.db.session.delete(update)
    for collection in (project.budget_lines, project.contributions, project.milestones):
        for row in collection:
            sdk.db.session.delete(row)
    for indicator in project.indicators:
        for measurement in indicator.measurements:
            sdk.db.session.delete(measurement)
        sdk.db.session.delete(indicator)
    sdk.audit("governance.project_deleted", subject=f"project:{project.id}")
    sdk.db.session.delete(project)
    sdk.db.session.flush()


def child_of(model: Any, project: Project, row_id: int) -> Any:
    """A row of ``model`` belonging to ``project``, else 404."""
    row = sdk.get_or_404(model, row_id)
    if row.project_id != project.id:
        sdk.abort(404)
    return row


# -- budget lines ----------------------------------------------------------------------------
def save_budget_line(
    line: BudgetLine | None,
    project: Project,
    *,
    label: str,
    planned: Any = None,
    committed: Any = None,
    spent: Any = None,
) -> BudgetLine:
    label = _text(label, "label", sdk._("Say what the money is for."))
    figures = {
        "planned": amount(planned, "planned"),
        "committed": amount(committed, "committed"),
        "spent": amount(spent, "spent"),
    }
    if line is None:
        line = BudgetLine(project_id=project.id, position=len(project.budget_lines) + 1)
        sdk.db.session.add(line)
    before = {name: getattr(line, name) for name in figures}
    line.label = label
    for name, value in figures.items():
        setattr(line, name, value)
    sdk.db.session.flush()
    sdk.audit(
        "governance.budget_line_saved",
        subject=f"budget_line:{line.id}",
        details={
            "project": project.id,
            **{k: str(v) for k, v in figures.items()},
            "before": {k: None if v is None else str(v) for k, v in before.items()},
        },
    )
    return line


def budget_totals(lines: list[BudgetLine]) -> dict[str, Decimal]:
    return {
        name: sum((getattr(line, name) for line in lines), Decimal("0.00"))
        for name in ("planned", "committed", "spent")
    }


# -- funders and contributions ---------------------------------------------------------------
def funders() -> list[Funder]:
    return list(sdk.db.session.scalars(sdk.scoped(Funder).order_by(Funder.name, Funder.id)))


def save_funder(funder: Funder | None, *, name: str, kind: str) -> Funder:
    name = _text(name, "name", sdk._("Give the funder's name."))
    if kind not in FUNDER_KINDS:
        raise _invalid(sdk._("Choose a kind of funder from the list."), "kind")
    same = sdk.db.session.scalar(
        sdk.scoped(Funder).where(sdk.db.func.lower(Funder.name) == name.lower())
    )
    if same is not None and same is not funder:
        raise ProjectError(
            "funder_exists", sdk._("A funder with this name exists already."), 409, field="name"
        )
    if funder is None:
        funder = Funder()
        sdk.db.session.add(funder)
    funder.name, funder.kind = name, kind
    sdk.db.session.flush()
    return funder


def delete_funder(funder: Funder) -> None:
    used = sdk.db.session.scalar(
        sdk.scoped(Contribution).where(Contribution.funder_id == funder.id).limit(1)
    )
    if used is not None:
        raise ProjectError(
            "funder_in_use",
            sdk._("This funder has contributions; delete them first."),
            409,
        )
    sdk.db.session.delete(funder)
    sdk.db.session.flush()


def save_contribution(
    contribution: Contribution | None,
    project: Project,
    *,
    funder_id: int,
    year: int,
    pledged: Any = None,
    received: Any = None,
    received_on: date | None = None,
) -> Contribution:
    funder = sdk.db.session.get(Funder, funder_id) if funder_id else None
    if funder is None:
        raise _invalid(sdk._("Choose one of the association's funders."), "funder_id")
    year = _year(year, "year")
    figures = {"pledged": amount(pledged, "pledged"), "received": amount(received, "received")}
    if received_on is not None and received_on.year != year:
        raise _invalid(
            sdk._("The money was received in another year than the contribution's."),
            "received_on",
        )
    same = sdk.db.session.scalar(
        sdk.scoped(Contribution).where(
            Contribution.project_id == project.id,
            Contribution.funder_id == funder.id,
            Contribution.year == year,
        )
    )
    if same is not None and same is not contribution:
        raise ProjectError(
            "contribution_exists",
            sdk._("This funder has a contribution to this project for that year already."),
            409,
            field="year",
        )
    if contribution is None:
        contribution = Contribution(project_id=project.id)
        sdk.db.session.add(contribution)
    contribution.funder_id, contribution.year = funder.id, year
    contribution.pledged, contribution.received = figures["pledged"], figures["received"]
    contribution.received_on = received_on
    sdk.db.session.flush()
    sdk.audit(
        "governance.contribution_saved",
        subject=f"contribution:{contribution.id}",
        details={"project": project.id, "funder": funder.id, "year": year}
        | {k: str(v) for k, v in figures.items()},
    )
    return contribution


# -- milestones ------------------------------------------------------------------------------
def save_milestone(
    milestone: Milestone | None,
    project: Project,
    *,
    title: str,
    due_on: date | None = None,
    done_on: date | None = None,
) -> Milestone:
    title = _text(title, "title", sdk._("Give the milestone a title."))
    if done_on is not None and done_on > sdk.local_today():
        raise _invalid(sdk._("A milestone cannot be reached in the future."), "done_on")
    if milestone is None:
        milestone = Milestone(project_id=project.id)
        sdk.db.session.add(milestone)
    milestone.title, milestone.due_on, milestone.done_on = title, due_on, done_on
    sdk.db.session.flush()
    return milestone


def mark_milestone(milestone: Milestone, done: bool) -> Milestone:
    """Reached today (in the workspace's time zone), or open again."""
    milestone.done_on = sdk.local_today() if done else None
    sdk.db.session.flush()
    return milestone


def is_late(milestone: Milestone) -> bool:
    return (
        milestone.done_on is None
        and milestone.due_on is not None
        and milestone.due_on < sdk.local_today()
    )


# -- indicators ------------------------------------------------------------------------------
def _value(value: Any, field: str) -> Decimal:
    if isinstance(value, float) or value is None or value == "":
        raise _invalid(sdk._("Write the value as a decimal number."), field)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise _invalid(sdk._("Write the value as a decimal number."), field) from None
    if not number.is_finite() or abs(number) >= Decimal("1e10"):
        raise _invalid(sdk._("This value is too large."), field)
    return number.quantize(Decimal("0.0001"))


def save_indicator(
    indicator: Indicator | None,
    project: Project,
    *,
    name: str,
    unit: str = "",
    baseline: Any = None,
    target: Any = None,
) -> Indicator:
    name = _text(name, "name", sdk._("Name what is measured."))
    baseline_value = _value(baseline if baseline not in (None, "") else 0, "baseline")
    target_value = _value(target, "target")
    if target_value == baseline_value:
        raise _invalid(sdk._("The target must differ from the baseline."), "target")
    if indicator is None:
        indicator = Indicator(project_id=project.id)
        sdk.db.session.add(indicator)
    indicator.name, indicator.unit = name, (unit or "").strip()
    indicator.baseline, indicator.target = baseline_value, target_value
    sdk.db.session.flush()
    return indicator


def add_measurement(indicator: Indicator, *, measured_on: date, value: Any) -> Measurement:
    if measured_on is None:
        raise _invalid(sdk._("Give the date of the measurement."), "measured_on")
    if measured_on > sdk.local_today():
        raise _invalid(sdk._("A measurement cannot be taken in the future."), "measured_on")
    measurement = Measurement(
        indicator_id=indicator.id, measured_on=measured_on, value=_value(value, "value")
    )
    sdk.db.session.add(measurement)
    sdk.db.session.flush()
    sdk.db.session.refresh(indicator)
    return measurement


def measurement_of(indicator: Indicator, measurement_id: int) -> Measurement:
    row = sdk.get_or_404(Measurement, measurement_id)
    if row.indicator_id != indicator.id:
        sdk.abort(404)
    return row


def latest(indicator: Indicator, until: date | None = None) -> Measurement | None:
    rows = [m for m in indicator.measurements if until is None or m.measured_on <= until]
    return rows[-1] if rows else None


def progress(indicator: Indicator, until: date | None = None) -> int | None:
    """How far the latest value has gone from the baseline to the target, in whole percent
    (0 to 100; a value that went the wrong way counts 0); None before any measurement."""
    last = latest(indicator, until)
    if last is None:
        return None
    span = indicator.target - indicator.baseline
    share = (last.value - indicator.baseline) / span * 100
    return int(max(Decimal(0), min(Decimal(100), share)).to_integral_value())


def chart(indicator: Indicator, width: int = 320, height: int = 120) -> dict[str, Any]:
    """Coordinates of a small line chart (inline SVG) of the measurements, with the baseline
    and target as horizontal lines; the page shows the same figures as a table too."""
    values = [indicator.baseline, indicator.target, *(m.value for m in indicator.measurements)]
    low, high = min(values), max(values)
    span = (high - low) or Decimal(1)
    pad = 10

    def y(value: Decimal) -> float:
        return round(pad + float((high - value) / span) * (height - 2 * pad), 1)

    rows = indicator.measurements
    step = (width - 2 * pad) / max(1, len(rows) - 1)
    points = [
        (round(pad + (i * step if len(rows) > 1 else (width - 2 * pad) / 2), 1), y(m.value))
        for i, m in enumerate(rows)
    ]
    return {
        "width": width,
        "height": height,
        "baseline_y": y(indicator.baseline),
        "target_y": y(indicator.target),
        "points": points,
        "polyline": " ".join(f"{x},{py}" for x, py in points),
    }


# -- updates and their photos ----------------------------------------------------------------
def save_update(
    update: ProjectUpdate | None,
    project: Project,
    *,
    title: str,
    body: str = "",
    photos_alt: str = "",
) -> ProjectUpdate:
    title = _text(title, "title", sdk._("Give the update a title."))
    photos_alt = (photos_alt or "").strip()
    if update is not None and update.photos and not photos_alt:
        raise _missing_description()
    if update is None:
        update = ProjectUpdate(project_id=project.id, photos=[])
        sdk.db.session.add(update)
    update.title, update.body, update.photos_alt = title, (body or "").strip(), photos_alt
    sdk.db.session.flush()
    return update


def _missing_description() -> ProjectError:
    return _invalid(
        sdk._("Describe what the photos show, for readers who cannot see them."), "photos_alt"
    )


def check_photos(update: ProjectUpdate, files: list[Any]) -> list[Any]:
    """Check every photo by its content before any is stored (``sdk.check_upload``); refuses
    anything but PNG, JPEG or WebP, and more than ``MAX_PHOTOS`` on one update."""
    if files and not (update.photos_alt or "").strip():
        raise _missing_description()
    if len(update.photos or []) + len(files) > MAX_PHOTOS:
        raise _invalid(
            sdk._("An update holds at most %(count)s photos.", count=MAX_PHOTOS), "photos"
        )
    checked = []
    for file in files:
        try:
            checked.append(
                sdk.check_upload(
                    file,
                    allowed=PHOTO_TYPES,
                    max_bytes=PHOTO_MAX_BYTES,
                    original_name=getattr(file, "filename", None),
                )
            )
        except sdk.UploadRejected as exc:
            raise ProjectError("upload_rejected", exc.message, field="photos") from None
    return checked


def add_photos(update: ProjectUpdate, files: list[Any]) -> list[str]:
    """Store checked photos (all or none) and append their keys to the update."""
    checked = check_photos(update, files)
    keys = [item.store().key for item in checked]
    update.photos = [*(update.photos or []), *keys]
    sdk.db.session.flush()
    return keys


def remove_photo(update: ProjectUpdate, index: int) -> None:
    photos = list(update.photos or [])
    if not 0 <= index < len(photos):
        sdk.abort(404)
    del photos[index]
    update.photos = photos
    sdk.db.session.flush()


def photo_key(update: ProjectUpdate, index: int) -> str:
    photos = update.photos or []
    if not 0 <= index < len(photos):
        sdk.abort(404)
    return photos[index]


def visible_updates(project: Project) -> list[ProjectUpdate]:
    if may_manage():
        return list(project.updates)
    return [u for u in project.updates if u.published]


def update_for_reader(project: Project, update_id: int) -> ProjectUpdate:
    update = child_of(ProjectUpdate, project, update_id)
    if not update.published and not may_manage():
        sdk.abort(404)
    return update


UPDATE_TRANSITIONS = ("publish", "withdraw")


def transition_update(update: ProjectUpdate, name: str) -> ProjectUpdate:
    """``publish`` a draft update (its project must be published) or ``withdraw`` it."""
    allowed = ["withdraw"] if update.published else ["publish"]
    if name not in allowed:
        raise ProjectError(
            "invalid_transition",
            sdk._("This update cannot do that now."),
            409,
            details={"allowed": allowed},
        )
    if name == "publish":
        if not update.project.published:
            raise ProjectError(
                "project_not_published",
                sdk._("Publish the project before its updates."),
                409,
            )
        update.published, update.published_at = True, sdk.utcnow()
        sdk.db.session.flush()
        sdk.audit("governance.project_update_published", subject=f"project_update:{update.id}")
        _announce(update)
    else:
        update.published, update.published_at = False, None
        sdk.db.session.flush()
        sdk.audit("governance.project_update_withdrawn", subject=f"project_update:{update.id}")
    return update


def _announce(update: ProjectUpdate) -> None:
    """Tell the portal and publishing that ``update`` was just published.

    The one seam with the portal part of the module: at merge this calls
    ``ent_plugins.governance.portal.announce_project_update(update)``, which emits the event.
    """


def delete_update(update: ProjectUpdate) -> None:
    sdk.db.session.delete(update)
    sdk.db.session.flush()


def years_with_money() -> list[int]:
    """The years with contributions to published projects, for the public pages' menus."""
    statement = (
        select(Contribution.year)
        .join(Project, Project.id == Contribution.project_id)
        .where(Project.published.is_(True))
        .distinct()
        .order_by(Contribution.year)
    )
    return list(sdk.db.session.scalars(statement))
