"""Cohorts: creating them, enrolment (seats, waiting list, withdrawal), mailing learners."""

from __future__ import annotations

from typing import Any

from ent_plugins.training import service
from ent_plugins.training.forms import (
    ActionForm,
    CohortForm,
    EmailForm,
    MailForm,
    RevokeForm,
    SessionForm,
)
from ent_plugins.training.models import Certificate, Cohort, Course, Enrolment
from ent_plugins.training.permissions import MANAGE_COURSE, WITHDRAW, course_of
from ent_plugins.training.views.base import VIEW, form_page, member_by_email, posted, status_label
from flask import flash, redirect, render_template, url_for

from ent_core import sdk


@sdk.require_object_permission(MANAGE_COURSE, Course, "course_id")
def cohort_new(course: Course) -> Any:
    form = CohortForm()
    if form.validate_on_submit():
        item = Cohort(
            course_id=course.id,
            name=form.name.data.strip(),
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            capacity=form.capacity.data,
            mode=form.mode.data,
            location=form.location.data or "",
        )
        sdk.db.session.add(item)
        sdk.db.session.commit()
        flash(sdk._("The cohort is created."), "success")
        return redirect(url_for(".cohort", cohort_id=item.id))
    return form_page(form, sdk._("New cohort"), url_for(".course", course_id=course.id))


@sdk.require_object_permission(MANAGE_COURSE, Cohort, "cohort_id", via=course_of)
def cohort_edit(cohort: Cohort) -> Any:
    form = CohortForm(obj=cohort)
    form.submit.label.text = sdk._("Save the cohort")
    if form.validate_on_submit():
        cohort.name = form.name.data.strip()
        cohort.starts_on = form.starts_on.data
        cohort.ends_on = form.ends_on.data
        cohort.capacity = form.capacity.data
        cohort.mode = form.mode.data
        cohort.location = form.location.data or ""
        sdk.db.session.commit()
        # More seats: the waiting list moves up.
        for enrolment in service.promote_waiting(cohort):
            flash(sdk._("%(name)s got the freed seat.", name=enrolment.user.display_name), "info")
        flash(sdk._("The cohort is saved."), "success")
        return redirect(url_for(".cohort", cohort_id=cohort.id))
    return form_page(form, sdk._("Edit the cohort"), url_for(".cohort", cohort_id=cohort.id))


@sdk.require_permission(VIEW)
def cohort(cohort_id: int) -> Any:
    item = sdk.get_or_404(Cohort, cohort_id)
    mine = next((e for e in item.enrolments if e.user_id == sdk.current_user.id), None)
    rows = []
    if sdk.can(MANAGE_COURSE, item.course):
        active = [e for e in item.enrolments if e.status == service.ACTIVE]
        results = service.outcomes_many(item, active)
        rows = [(e, results[e.id][1]) for e in active]
    issued = {
        c.user_id: c
        for c in sdk.db.session.scalars(
            sdk.scoped(Certificate).where(Certificate.cohort_id == item.id)
        )
    }
    return render_template(
        "training/cohort.html",
        cohort=item,
        mine=mine,
        rows=rows,
        waiting=[e for e in item.enrolments if e.status == service.WAITING],
        seats=service.seats_taken(item),
        issued=issued,
        learner_form=EmailForm(),
        session_form=SessionForm(),
        action_form=ActionForm(),
        revoke_form=RevokeForm(),
    )


@sdk.require_permission(VIEW)
def cohort_enrol(cohort_id: int) -> Any:
    item = sdk.get_or_404(Cohort, cohort_id)
    posted()
    with sdk.user_errors():
        enrolment = service.enrol(item, sdk.current_user)
        if enrolment.status == service.WAITING:
            flash(sdk._("The cohort is full: you are on the waiting list."), "info")
        else:
            flash(sdk._("You are enrolled."), "success")
    return redirect(url_for(".cohort", cohort_id=item.id))


@sdk.require_object_permission(MANAGE_COURSE, Cohort, "cohort_id", via=course_of)
def cohort_add_learner(cohort: Cohort) -> Any:
    form = EmailForm()
    member = member_by_email(form.email.data) if form.validate_on_submit() else None
    if member is None:
        flash(sdk._("No member of this workspace has that email."), "error")
    else:
        with sdk.user_errors():
            enrolment = service.enrol(cohort, member, by_trainer=True)
            flash(
                sdk._(
                    "%(name)s is enrolled (%(status)s).",
                    name=member.display_name,
                    status=status_label(enrolment.status),
                ),
                "success",
            )
    return redirect(url_for(".cohort", cohort_id=cohort.id))


@sdk.require_object_permission(WITHDRAW, Enrolment, "enrolment_id")
def enrolment_withdraw(enrolment: Enrolment) -> Any:
    posted()
    promoted = service.withdraw(enrolment)
    flash(sdk._("Withdrawn from the cohort."), "info")
    for moved_up in promoted:
        flash(sdk._("%(name)s got the freed seat.", name=moved_up.user.display_name), "info")
    return redirect(url_for(".cohort", cohort_id=enrolment.cohort_id))


@sdk.require_object_permission(MANAGE_COURSE, Cohort, "cohort_id", via=course_of)
def cohort_mail(cohort: Cohort) -> Any:
    form = MailForm()
    if form.validate_on_submit():
        from ent_plugins.training.jobs import mail_cohort

        sdk.enqueue(
            mail_cohort, cohort.id, form.subject.data.strip(), form.body.data, sdk.current_user.id
        )
        sdk.audit("training.cohort_mailed", subject=f"cohort:{cohort.id}")
        sdk.db.session.commit()
        flash(sdk._("The message is on its way to the cohort."), "success")
        return redirect(url_for(".cohort", cohort_id=cohort.id))
    return form_page(form, sdk._("Mail the cohort"), url_for(".cohort", cohort_id=cohort.id))
