"""Minutes in the members' area: drafting, editing, signing, approving, publishing, the PDF.

Officers who write or sign minutes see drafts; every member of the association reads the
approved ones.
"""

from __future__ import annotations

from typing import Any

from ent_plugins.governance import minutes as service
from ent_plugins.governance.forms import choices
from ent_plugins.governance.minutes_pdf import minutes_pdf
from ent_plugins.governance.models import Meeting, Minutes, Vote
from ent_plugins.governance.permissions import MANAGE_MINUTES, SIGN_MINUTES, VIEW
from flask import Response, flash, redirect, render_template, request, url_for
from sqlalchemy.orm import contains_eager
from wtforms import HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from ent_core import sdk

_l = sdk._l
HELD = ("held", "adjourned", "closed")


LANGUAGE_CHOICES = choices([("fr", _l("French")), ("ar", _l("Arabic"))])


class DraftForm(sdk.FlaskForm):
    meeting_id = SelectField(_l("Meeting"), coerce=int, validators=[InputRequired()])
    language = SelectField(_l("Language of the minutes"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Draft the minutes"))


class EditForm(sdk.FlaskForm):
    body = TextAreaField(
        _l("Text (Markdown)"), validators=[DataRequired(), Length(max=service.BODY_MAX)]
    )
    submit = SubmitField(_l("Save"))


class ApproveForm(sdk.FlaskForm):
    vote_id = SelectField(_l("Approving vote"), coerce=int, validators=[InputRequired()])
    submit = SubmitField(_l("Approve with this vote"))


class SignForm(sdk.FlaskForm):
    role = HiddenField()
    submit = SubmitField(_l("Sign"))


class ActionForm(sdk.FlaskForm):
    """A button's POST: its CSRF token only."""


def may_sign() -> bool:
    """President or secretary: by role on the members page, or by a running mandate."""
    return sdk.has_permission(SIGN_MINUTES) or service.may_sign(sdk.current_user)


def sees_drafts() -> bool:
    return sdk.has_permission(MANAGE_MINUTES) or may_sign()


def visible(minutes_id: int) -> Minutes:
    """The minutes, for someone who may read them (drafts: their writers and signers)."""
    minutes = sdk.get_or_404(Minutes, minutes_id)
    if not service.is_frozen(minutes) and not sees_drafts():
        sdk.abort(404)
    return minutes


def _posted() -> None:
    if not ActionForm().validate_on_submit():
        sdk.abort(400)


@sdk.require_permission(VIEW)
def minutes_list() -> Any:
    statement = (
        sdk.scoped(Minutes)
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .options(contains_eager(Minutes.meeting))
        .order_by(Meeting.starts_at.desc(), Minutes.id.desc())
    )
    if not sees_drafts():
        statement = statement.where(Minutes.status == "approved")
    rows = sdk.db.session.scalars(statement).all()
    return render_template(
        "governance/minutes/list.html", rows=rows, manages=sdk.has_permission(MANAGE_MINUTES)
    )


def _meetings_without_minutes() -> list[Meeting]:
    return list(
        sdk.db.session.scalars(
            sdk.scoped(Meeting)
            .where(
                Meeting.status.in_(HELD),
                Meeting.id.not_in(sdk.db.select(Minutes.meeting_id)),
            )
            .order_by(Meeting.starts_at.desc())
        )
    )


@sdk.require_permission(MANAGE_MINUTES)
def minutes_new() -> Any:
    form = DraftForm(meeting_id=request.args.get("meeting_id", type=int))
    form.meeting_id.choices = choices(
        [(m.id, f"{m.title} — {sdk.format_date(m.starts_at)}") for m in _meetings_without_minutes()]
    )
    if form.validate_on_submit():
        with sdk.user_errors(form):
            meeting = sdk.get_or_404(Meeting, form.meeting_id.data)
            minutes = service.create_draft(meeting, form.language.data)
            sdk.db.session.commit()
            flash(sdk._("The minutes are drafted from the meeting: read them and edit."), "success")
            return redirect(url_for(".minutes", minutes_id=minutes.id), 303)
    status = 422 if form.errors else 200
    return render_template("governance/minutes/new.html", form=form), status


@sdk.require_permission(VIEW)
def minutes(minutes_id: int) -> Any:
    item = visible(minutes_id)
    return render_template("governance/minutes/show.html", **_page(item))


def _page(item: Minutes) -> dict[str, Any]:
    held = service.roles_to_sign(sdk.current_user)
    signed = {s.office_role for s in item.signatures}
    approve_form = None
    if sdk.has_permission(MANAGE_MINUTES) and not service.is_frozen(item):
        approve_form = ApproveForm()
        approve_form.vote_id.choices = _vote_choices(item)
    vote = sdk.db.session.get(Vote, item.approved_by_vote_id) if item.approved_by_vote_id else None
    return {
        "item": item,
        "html": sdk.render_markdown(item.body),
        "frozen": service.is_frozen(item),
        "manages": sdk.has_permission(MANAGE_MINUTES),
        "may_sign": [r for r in held if r not in signed] if not service.is_frozen(item) else [],
        "signatures": _signatures(item),
        "approve_form": approve_form,
        "approving_vote": vote,
        "sign_form": SignForm(),
        "action_form": ActionForm(),
        "public_url": url_for("governance_public.minutes", minutes_id=item.id)
        if item.published
        else None,
    }


def _signatures(item: Minutes) -> list[tuple[str, str, Any]]:
    from ent_plugins.governance.models import Member

    names = {
        m.id: m.name
        for m in sdk.db.session.scalars(
            sdk.scoped(Member).where(Member.id.in_([s.member_id for s in item.signatures]))
        )
    }
    return [(s.office_role, names.get(s.member_id, ""), s.signed_at) for s in item.signatures]


def _vote_choices(item: Minutes) -> list[SelectChoice]:
    return choices(
        [
            (v.id, f"{v.title} — {v.meeting.title} ({sdk.format_date(v.meeting.starts_at)})")
            for v in service.approving_votes(item)
        ]
    )


@sdk.require_permission(MANAGE_MINUTES)
def minutes_edit(minutes_id: int) -> Any:
    item = sdk.get_or_404(Minutes, minutes_id)
    if service.is_frozen(item):
        flash(sdk._("Approved minutes are frozen: they can no longer change."), "error")
        return redirect(url_for(".minutes", minutes_id=item.id), 303)
    form = EditForm(obj=item)
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.update_body(item, form.body.data)
            sdk.db.session.commit()
            flash(sdk._("The minutes are saved."), "success")
            return redirect(url_for(".minutes", minutes_id=item.id), 303)
    status = 422 if form.errors else 200
    return render_template("governance/minutes/edit.html", form=form, item=item), status


@sdk.require_permission(VIEW)
def minutes_sign(minutes_id: int) -> Any:
    item = visible(minutes_id)
    if not may_sign():
        sdk.abort(403)  # after the look-up: another workspace's minutes are not found
    form = SignForm()
    if not form.validate_on_submit():
        sdk.abort(400)
    with sdk.user_errors():
        service.sign(item, sdk.current_user, form.role.data or None)
        sdk.db.session.commit()
        flash(
            sdk._("The minutes are approved and frozen.")
            if service.is_frozen(item)
            else sdk._("Your signature is recorded."),
            "success",
        )
    return redirect(url_for(".minutes", minutes_id=item.id), 303)


@sdk.require_permission(MANAGE_MINUTES)
def minutes_approve(minutes_id: int) -> Any:
    item = sdk.get_or_404(Minutes, minutes_id)
    form = ApproveForm()
    form.vote_id.choices = _vote_choices(item)
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.approve_by_vote(item, form.vote_id.data)
            sdk.db.session.commit()
            flash(sdk._("The minutes are approved and frozen."), "success")
            return redirect(url_for(".minutes", minutes_id=item.id), 303)
    page = _page(item)
    page["approve_form"] = form
    return render_template("governance/minutes/show.html", **page), 422


@sdk.require_permission(MANAGE_MINUTES)
def minutes_publish(minutes_id: int) -> Any:
    item = sdk.get_or_404(Minutes, minutes_id)
    _posted()
    with sdk.user_errors():
        service.publish(item)
        sdk.db.session.commit()
        flash(sdk._("The minutes are on the association's public pages."), "success")
    return redirect(url_for(".minutes", minutes_id=item.id), 303)


@sdk.require_permission(MANAGE_MINUTES)
def minutes_unpublish(minutes_id: int) -> Any:
    item = sdk.get_or_404(Minutes, minutes_id)
    _posted()
    with sdk.user_errors():
        service.unpublish(item)
        sdk.db.session.commit()
        flash(sdk._("The minutes are no longer public."), "success")
    return redirect(url_for(".minutes", minutes_id=item.id), 303)


@sdk.require_permission(VIEW)
def minutes_pdf_view(minutes_id: int) -> Any:
    return pdf_response(visible(minutes_id))


def pdf_response(item: Minutes) -> Response:
    return Response(
        minutes_pdf(item),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="minutes-{item.id}.pdf"'},
    )
