"""Votes' pages: the list, preparing a vote, the ballot, the chair's buttons, the results."""

from __future__ import annotations

from typing import Any

from ent_plugins.governance import votes as service
from ent_plugins.governance.forms import choices
from ent_plugins.governance.models import AgendaItem, Meeting, Member, Office, Vote
from ent_plugins.governance.permissions import MANAGE_VOTES, VIEW
from ent_plugins.governance.vote_forms import (
    ActionForm,
    MandatesForm,
    OptionForm,
    ReceiptForm,
    VoteEditForm,
    VoteForm,
)
from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ent_core import sdk


def _posted() -> None:
    if not ActionForm().validate_on_submit():
        sdk.abort(400)


def _vote(vote_id: int) -> Vote:
    return sdk.get_or_404(Vote, vote_id)


def _local(moment: Any) -> Any:
    return None if moment is None else sdk.to_local(moment).replace(tzinfo=None)


def _utc(moment: Any) -> Any:
    return None if moment is None else sdk.to_utc(moment)


@sdk.require_permission(VIEW)
def vote_list() -> Any:
    """Open votes on top of the first page (those the member can still cast first), then the
    others newest first, a page at a time (an association keeps every vote it ever held)."""
    manages = sdk.has_permission(MANAGE_VOTES)
    others = sdk.scoped(Vote).where(Vote.status != service.OPEN)
    if not manages:
        others = others.where(Vote.status != service.DRAFT)
    page = sdk.paginate(others, key=Vote.id, descending=True)
    running = []
    if not request.args.get("cursor"):
        running = list(
            sdk.db.session.scalars(
                sdk.scoped(Vote).where(Vote.status == service.OPEN).order_by(Vote.id.desc())
            )
        )
    member = service.member_of(sdk.current_user)
    castable = service.awaiting(running, member) if member is not None and running else set()
    running.sort(key=lambda v: v.id not in castable)
    return render_template(
        "governance/votes/list.html",
        votes=running + page["items"],
        next_cursor=page["next_cursor"],
        castable=castable,
        labels=service.status_labels(),
        kinds=service.kind_labels(),
    )


def _vote_choices(form: Any) -> None:
    form.kind.choices = choices(service.kind_labels().items())
    form.majority.choices = choices(service.majority_labels().items())
    items = sdk.db.session.execute(
        select(AgendaItem.id, AgendaItem.title, Meeting.title)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaItem.workspace_id == sdk.current_workspace().id)
        .order_by(Meeting.starts_at.desc(), AgendaItem.position)
    ).all()
    form.agenda_item_id.choices = choices(
        [(0, sdk._("None: a consultation between meetings"))]
        + [(i, f"{meeting} — {title}") for i, title, meeting in items]
    )
    offices = sdk.db.session.scalars(sdk.scoped(Office).order_by(Office.position)).all()
    form.office_id.choices = choices([(0, sdk._("None"))] + [(o.id, o.title) for o in offices])


def _form_page(form: Any, title: str, back: str) -> Any:
    return render_template(
        "governance/votes/form.html", form=form, title=title, back=back
    ), 422 if form.errors else 200


@sdk.require_permission(MANAGE_VOTES)
def vote_new() -> Any:
    # From a meeting's agenda ("Prepare a vote on this item"), the item comes chosen.
    form = VoteForm(agenda_item_id=request.args.get("agenda_item_id", type=int))
    _vote_choices(form)
    if form.validate_on_submit():
        with sdk.user_errors(form):
            vote = service.create_vote(
                title=form.title.data,
                description=form.description.data or "",
                kind=form.kind.data,
                secret=form.secret.data,
                majority=form.majority.data,
                abstentions_count=form.abstentions_count.data,
                max_choices=form.max_choices.data or 1,
                agenda_item_id=form.agenda_item_id.data or None,
                cutoff_on=form.cutoff_on.data,
                office_id=form.office_id.data or None,
                opens_at=_utc(form.opens_at.data),
                closes_at=_utc(form.closes_at.data),
                manual=form.manual.data,
                options=[
                    line.strip() for line in (form.options.data or "").splitlines() if line.strip()
                ]
                if form.kind.data in ("single", "multiple")
                else [],
            )
            sdk.db.session.commit()
            flash(sdk._("The vote is prepared."), "success")
            return redirect(url_for(".vote", vote_id=vote.id), 303)
    return _form_page(form, sdk._("New vote"), url_for(".vote_list"))


@sdk.require_permission(MANAGE_VOTES)
def vote_edit(vote_id: int) -> Any:
    vote = _vote(vote_id)
    form = VoteEditForm(obj=vote)
    form.majority.choices = choices(service.majority_labels().items())
    if request.method == "GET":
        form.secret.data = vote.ballot == "secret"
        form.opens_at.data = _local(vote.opens_at)
        form.closes_at.data = _local(vote.closes_at)
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.update_vote(
                vote,
                title=form.title.data,
                description=form.description.data or "",
                secret=form.secret.data,
                majority=form.majority.data,
                abstentions_count=form.abstentions_count.data,
                max_choices=form.max_choices.data or 1,
                opens_at=_utc(form.opens_at.data),
                closes_at=_utc(form.closes_at.data),
            )
            sdk.db.session.commit()
            flash(sdk._("The vote is saved."), "success")
            return redirect(url_for(".vote", vote_id=vote.id), 303)
    return _form_page(form, sdk._("Edit the vote"), url_for(".vote", vote_id=vote.id))


def _option_form(vote: Vote) -> OptionForm:
    form = OptionForm()
    members = sdk.db.session.scalars(
        sdk.scoped(Member).where(Member.left_on.is_(None)).order_by(Member.name)
    ).all()
    form.candidate_id.choices = choices(
        [(0, "—")] + [(m.id, f"{m.name} ({m.number})") for m in members]
    )
    return form


@sdk.require_permission(VIEW)
def vote(vote_id: int, receipts: list[tuple[str, str]] | None = None) -> Any:
    item = _vote(vote_id)
    manages = sdk.has_permission(MANAGE_VOTES)
    if item.status == service.DRAFT and not manages:
        sdk.abort(404)
    member = service.member_of(sdk.current_user)
    people = []
    if member is not None and service.is_running(item) and not item.manual:
        candidates = [member, *service.principals_of(item, member)]
        done = service.has_voted(item, [p.id for p in candidates])
        people = [
            (p, p.id in done) for p in candidates if p.id in done or service.eligible(item, p)
        ]
    return render_template(
        "governance/votes/vote.html",
        vote=item,
        names=service.option_labels(item),
        manages=manages,
        member=member,
        people=people,
        receipts=receipts or [],
        running=service.is_running(item),
        manual_counts=service.manual_counts(item) if item.manual else {},
        option_form=_option_form(item) if manages and item.status == service.DRAFT else None,
        mandates_form=MandatesForm(starts_on=sdk.local_today())
        if manages and item.kind == "election" and item.office_id
        else None,
        labels=service.status_labels(),
        kinds=service.kind_labels(),
        majorities=service.majority_labels(),
    ), (201 if receipts else 200)


@sdk.require_permission(MANAGE_VOTES)
def option_add(vote_id: int) -> Any:
    item = _vote(vote_id)
    form = _option_form(item)
    if not form.validate_on_submit():
        sdk.abort(400)
    with sdk.user_errors():
        service.add_option(
            item, label=form.label.data or "", candidate_id=form.candidate_id.data or None
        )
        sdk.db.session.commit()
        flash(sdk._("The choice is added."), "success")
    return redirect(url_for(".vote", vote_id=item.id), 303)


@sdk.require_permission(MANAGE_VOTES)
def vote_open(vote_id: int) -> Any:
    _posted()
    item = _vote(vote_id)
    with sdk.user_errors():
        service.open_vote(item)
        sdk.db.session.commit()
        flash(sdk._("The vote is open."), "success")
    return redirect(url_for(".vote", vote_id=item.id), 303)


@sdk.require_permission(MANAGE_VOTES)
def vote_close(vote_id: int) -> Any:
    _posted()
    item = _vote(vote_id)
    with sdk.user_errors():
        service.close_vote(item)
        sdk.db.session.commit()
        flash(sdk._("The vote is closed: the results are published."), "success")
    return redirect(url_for(".vote_results", vote_id=item.id), 303)


@sdk.require_permission(VIEW)
def ballot_cast(vote_id: int) -> Any:
    """Casts the member's ballot and each principal's whose form was ticked; shows receipts."""
    _posted()
    item = _vote(vote_id)
    voter = service.member_of(sdk.current_user)
    raw = request.form.get("on_behalf_of", "")
    on_behalf_of = int(raw) if raw.isdigit() else None
    try:
        picked = [int(c) for c in request.form.getlist("choice")]
    except ValueError:
        sdk.abort(400)
    receipts = []
    with sdk.user_errors():
        receipt = service.cast(item, voter, picked, on_behalf_of)
        whom = voter
        if on_behalf_of and voter is not None and on_behalf_of != voter.id:
            whom = sdk.get_or_404(Member, on_behalf_of)
        receipts.append((whom.name, receipt))
    if not receipts:
        return redirect(url_for(".vote", vote_id=item.id), 303)
    flash(sdk._("Your ballot is cast."), "success")
    return vote(vote_id=item.id, receipts=receipts)


@sdk.require_permission(MANAGE_VOTES)
def manual_tally(vote_id: int) -> Any:
    _posted()
    item = _vote(vote_id)
    counts = {}
    for option in item.options:
        raw = request.form.get(f"count-{option.id}", "").strip()
        if raw:
            if not raw.isdigit():
                sdk.abort(400)
            counts[option.id] = int(raw)
    with sdk.user_errors():
        service.set_manual_tally(item, counts)
        sdk.db.session.commit()
        flash(sdk._("The counts are saved."), "success")
    return redirect(url_for(".vote", vote_id=item.id), 303)


@sdk.require_permission(VIEW)
def vote_results(vote_id: int) -> Any:
    item = _vote(vote_id)
    found = service.results(item)
    form = ReceiptForm()
    checked = None
    if form.validate_on_submit():
        chosen = service.check_receipt(item, form.receipt.data)
        names = service.option_labels(item)
        checked = {
            "found": chosen is not None,
            "choices": ", ".join(names.get(c, str(c)) for c in chosen or []),
        }
    return render_template(
        "governance/votes/results.html",
        vote=item,
        found=found,
        labels=service.option_labels(item),
        form=form,
        checked=checked,
        majorities=service.majority_labels(),
        mandates_form=MandatesForm(starts_on=sdk.local_today())
        if sdk.has_permission(MANAGE_VOTES) and item.kind == "election" and item.office_id
        else None,
    )


@sdk.require_permission(MANAGE_VOTES)
def mandates_start(vote_id: int) -> Any:
    item = _vote(vote_id)
    form = MandatesForm()
    if not form.validate_on_submit():
        sdk.abort(400)
    with sdk.user_errors():
        mandates = service.start_mandates(item, form.starts_on.data)
        sdk.db.session.commit()
        flash(
            sdk.ngettext("%(num)d mandate started.", "%(num)d mandates started.", len(mandates)),
            "success",
        )
    return redirect(url_for(".vote_results", vote_id=item.id), 303)


def home_votes() -> list[Vote]:
    """For the governance home's section: the open votes, most recent first."""
    return list(
        sdk.db.session.scalars(
            sdk.scoped(Vote).where(Vote.status == service.OPEN).order_by(Vote.id.desc()).limit(5)
        )
    )
