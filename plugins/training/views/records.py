"""A cohort's records: class sessions and their attendance, the gradebook and its CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC
from typing import Any

from ent_plugins.training import service
from ent_plugins.training.forms import ActionForm, SessionForm
from ent_plugins.training.models import Assessment, Attendance, ClassSession, Cohort
from ent_plugins.training.permissions import MANAGE_COURSE, course_of
from ent_plugins.training.views.base import form_page, posted
from flask import Response, flash, redirect, render_template, request, url_for

from ent_core import sdk


@sdk.require_object_permission(MANAGE_COURSE, Cohort, "cohort_id", via=course_of)
def session_new(cohort: Cohort) -> Any:
    form = SessionForm()
    if form.validate_on_submit():
        session_item = ClassSession(
            cohort_id=cohort.id,
            title=form.title.data.strip(),
            starts_at=form.starts_at.data.replace(tzinfo=UTC),
        )
        sdk.db.session.add(session_item)
        sdk.db.session.commit()
        return redirect(url_for(".attendance", session_id=session_item.id))
    return form_page(form, sdk._("New session"), url_for(".cohort", cohort_id=cohort.id))


@sdk.require_object_permission(MANAGE_COURSE, ClassSession, "session_id", via=course_of)
def attendance(session: ClassSession) -> Any:
    learners = [e for e in session.cohort.enrolments if e.status == service.ACTIVE]
    present = {a.enrolment_id for a in session.attendance if a.present}
    if request.method == "POST":
        posted()
        ticked = {int(v) for v in request.form.getlist("present") if v.isdigit()}
        records = {a.enrolment_id: a for a in session.attendance}
        for enrolment in learners:
            record = records.get(enrolment.id)
            if record is None:
                record = Attendance(session_id=session.id, enrolment_id=enrolment.id)
                sdk.db.session.add(record)
            record.present = enrolment.id in ticked
        sdk.db.session.commit()
        service.request_evaluations(session.cohort_id, [e.id for e in learners])
        flash(sdk._("Attendance saved."), "success")
        return redirect(url_for(".cohort", cohort_id=session.cohort_id))
    return render_template(
        "training/attendance.html",
        session=session,
        learners=learners,
        present=present,
        action_form=ActionForm(),
    )


def _gradebook(cohort: Cohort) -> tuple[list[Assessment], list[dict[str, Any]]]:
    assessments = list(cohort.course.assessments)
    active = [e for e in cohort.enrolments if e.status == service.ACTIVE]
    results = service.outcomes_many(cohort, active)
    rows = [
        {
            "enrolment": enrolment,
            "scores": [s for _, s in results[enrolment.id][0].scores],
            "outcome": results[enrolment.id][1],
        }
        for enrolment in active
    ]
    return assessments, rows


@sdk.require_object_permission(MANAGE_COURSE, Cohort, "cohort_id", via=course_of)
def gradebook(cohort: Cohort) -> Any:
    assessments, rows = _gradebook(cohort)
    return render_template(
        "training/gradebook.html", cohort=cohort, assessments=assessments, rows=rows
    )


@sdk.require_object_permission(MANAGE_COURSE, Cohort, "cohort_id", via=course_of)
def gradebook_csv(cohort: Cohort) -> Any:
    assessments, rows = _gradebook(cohort)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            sdk._("Learner"),
            sdk._("Email"),
            *[a.title for a in assessments],
            sdk._("Lessons (%)"),
            sdk._("Attendance (%)"),
            sdk._("Final grade"),
            sdk._("Complete"),
        ]
    )
    for row in rows:
        result = row["outcome"]
        user = row["enrolment"].user
        writer.writerow(
            [
                _csv_safe(user.display_name),
                user.email,
                *["" if s is None else str(s) for s in row["scores"]],
                "" if result.lessons is None else str(result.lessons),
                "" if result.attendance is None else str(result.attendance),
                "" if result.grade is None else str(result.grade),
                sdk._("yes") if result.met else sdk._("no"),
            ]
        )
    filename = f"gradebook-{cohort.id}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _csv_safe(value: str) -> str:
    """Neutralise spreadsheet formulas in user-written cells."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
