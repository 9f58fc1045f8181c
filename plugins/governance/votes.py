"""Votes: preparing, opening and closing them, casting ballots, results and receipts.

One member, one vote: a ballot is cast with its :class:`Participation` row in one transaction,
and the unique ``(vote_id, member_id)`` of participations refuses the second whatever the
concurrency (``already_voted``). A secret ballot keeps nothing that leads from the
participation to the ballot (docs/governance.md, "Secret ballots").
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from ent_plugins.governance.models import (
    Ballot,
    Mandate,
    ManualTally,
    Member,
    Office,
    Participation,
    Proxy,
    RollEntry,
    Vote,
    VoteOption,
)
from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ent_core import sdk

KINDS = ("resolution", "single", "multiple", "election")
MAJORITIES = ("simple", "absolute", "two_thirds")
BALLOTS = ("open", "secret")
RESOLUTION_CODES = ("for", "against", "abstain")
DRAFT, OPEN, CLOSED = "draft", "open", "closed"


#: Statements of the casting path, built once (a ballot runs them at every request; the
#: tenant criterion is still added to each execution by the core).
ON_ROLL = select(RollEntry.id).where(
    RollEntry.roll_id == bindparam("roll_id"), RollEntry.member_id == bindparam("member_id")
)
OPTION_IDS = select(VoteOption.id).where(VoteOption.vote_id == bindparam("vote_id"))
MEMBER_OF_USER = (
    select(Member).where(Member.user_id == bindparam("user_id")).order_by(Member.id).limit(1)
)
INSERT_PARTICIPATION = insert(Participation)
INSERT_BALLOT = insert(Ballot)


class VoteError(sdk.UserError):
    default_status = 409


def kind_labels() -> dict[str, str]:
    return {
        "resolution": sdk._("Resolution (for, against, abstain)"),
        "single": sdk._("Single choice"),
        "multiple": sdk._("Multiple choice"),
        "election": sdk._("Election"),
    }


def majority_labels() -> dict[str, str]:
    return {
        "simple": sdk._("Simple majority"),
        "absolute": sdk._("Absolute majority"),
        "two_thirds": sdk._("Two-thirds majority"),
    }


def status_labels() -> dict[str, str]:
    return {DRAFT: sdk._("Draft"), OPEN: sdk._("Open"), CLOSED: sdk._("Closed")}


def resolution_labels() -> dict[str, str]:
    return {"for": sdk._("For"), "against": sdk._("Against"), "abstain": sdk._("Abstain")}


def option_labels(vote: Vote) -> dict[int, str]:
    """Option id to label; for, against and abstain in the reader's language."""
    fixed = resolution_labels()
    return {o.id: fixed.get(o.code or "", o.label) for o in vote.options}


def receipt_hash(receipt: str) -> str:
    """The SHA-256 (hex) of a receipt as the voter was given it, spaces and case ignored."""
    return hashlib.sha256(receipt.strip().lower().encode("ascii", "ignore")).hexdigest()


# -- preparing ---------------------------------------------------------------------------------
def _member(member_id: int) -> Member:
    member = sdk.db.session.scalar(select(Member).where(Member.id == member_id))
    if member is None:
        raise VoteError("unknown_member", sdk._("This member is not on the registry."), 422)
    return member


def _check_times(opens_at: datetime | None, closes_at: datetime | None) -> None:
    if opens_at and closes_at and closes_at <= opens_at:
        raise VoteError(
            "invalid_dates", sdk._("A vote closes after it opens."), 422, field="closes_at"
        )


def create_vote(
    *,
    title: str,
    kind: str,
    description: str = "",
    secret: bool = False,
    majority: str = "simple",
    abstentions_count: bool = False,
    max_choices: int = 1,
    meeting_id: int | None = None,
    agenda_item_id: int | None = None,
    cutoff_on: date | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    manual: bool = False,
    options: Iterable[str] = (),
    candidate_ids: Iterable[int] = (),
    office_id: int | None = None,
    today: date | None = None,
) -> Vote:
    """A draft vote; a resolution gets its three options, an election its candidates.

    A vote at a meeting uses the meeting's roll; a standalone consultation freezes its own at
    ``cutoff_on`` (the members up to date with their dues that day), which cannot be after
    ``today`` (the workspace's, ``sdk.local_today()`` in a request; pass it outside one).
    """
    from ent_plugins.governance.models import AgendaItem, Meeting

    if kind not in KINDS:
        raise VoteError("invalid_kind", sdk._("Unknown kind of vote."), 422, field="kind")
    if majority not in MAJORITIES:
        raise VoteError("invalid_majority", sdk._("Unknown majority."), 422, field="majority")
    _check_times(opens_at, closes_at)
    vote = Vote(
        title=title.strip(),
        description=description or "",
        kind=kind,
        ballot="secret" if secret else "open",
        majority=majority,
        abstentions_count=abstentions_count,
        max_choices=max(1, max_choices) if kind in ("multiple", "election") else 1,
        opens_at=opens_at,
        closes_at=closes_at,
        manual=manual,
        status=DRAFT,
    )
    if agenda_item_id is not None:
        item = sdk.db.session.scalar(select(AgendaItem).where(AgendaItem.id == agenda_item_id))
        if item is None:
            raise VoteError("unknown_agenda_item", sdk._("Unknown agenda item."), 422)
        meeting_id = item.meeting_id
        vote.agenda_item_id = item.id
    if meeting_id is not None:
        meeting = sdk.db.session.scalar(select(Meeting).where(Meeting.id == meeting_id))
        if meeting is None:
            raise VoteError("unknown_meeting", sdk._("Unknown meeting."), 422, field="meeting_id")
        vote.meeting_id = meeting.id
    elif cutoff_on is not None:
        from ent_plugins.governance.roll import freeze_roll

        if cutoff_on > (today or sdk.local_today()):
            # The roll is frozen now: payments until a later cut-off would be missed.
            raise VoteError(
                "cutoff_in_future",
                sdk._("The roll's cut-off date cannot be after today."),
                422,
                field="cutoff_on",
            )

        vote.roll_id = freeze_roll(cutoff_on).id
    else:
        raise VoteError(
            "cutoff_required",
            sdk._("A consultation outside a meeting needs the cut-off date of its roll."),
            422,
            field="cutoff_on",
        )
    if office_id is not None:
        if kind != "election":
            raise VoteError("not_an_election", sdk._("Only an election fills an office."), 422)
        if sdk.db.session.scalar(select(Office).where(Office.id == office_id)) is None:
            raise VoteError("unknown_office", sdk._("Unknown office."), 422, field="office_id")
        vote.office_id = office_id
    sdk.db.session.add(vote)
    sdk.db.session.flush()
    if kind == "resolution":
        labels = resolution_labels()
        for position, code in enumerate(RESOLUTION_CODES):
            sdk.db.session.add(
                VoteOption(vote_id=vote.id, position=position, label=labels[code], code=code)
            )
    for label in options:
        add_option(vote, label=label)
    for member_id in candidate_ids:
        add_option(vote, candidate_id=member_id)
    sdk.db.session.flush()
    sdk.db.session.refresh(vote)
    return vote


def _draft(vote: Vote) -> None:
    if vote.status != DRAFT:
        raise VoteError("vote_not_draft", sdk._("A vote can only be changed before it opens."), 409)


def update_vote(vote: Vote, **changes: Any) -> Vote:
    """Change a draft: title, description, majority, abstentions, times, choices allowed."""
    _draft(vote)
    if "majority" in changes and changes["majority"] not in MAJORITIES:
        raise VoteError("invalid_majority", sdk._("Unknown majority."), 422, field="majority")
    for name in ("title", "description", "majority", "abstentions_count", "opens_at"):
        if name in changes:
            setattr(vote, name, changes[name])
    if "closes_at" in changes:
        vote.closes_at = changes["closes_at"]
    if "secret" in changes:
        vote.ballot = "secret" if changes["secret"] else "open"
    if "max_choices" in changes and vote.kind in ("multiple", "election"):
        vote.max_choices = max(1, changes["max_choices"])
    _check_times(vote.opens_at, vote.closes_at)
    return vote


def add_option(vote: Vote, *, label: str = "", candidate_id: int | None = None) -> VoteOption:
    """A choice of a single- or multiple-choice vote, or a candidate (a member) of an election."""
    _draft(vote)
    if vote.kind == "resolution":
        raise VoteError(
            "fixed_options", sdk._("A resolution's choices are for, against and abstain."), 409
        )
    if vote.kind == "election":
        if candidate_id is None:
            raise VoteError(
                "candidate_required", sdk._("Choose the candidate."), 422, field="candidate_id"
            )
        member = _member(candidate_id)
        if any(o.candidate_id == member.id for o in vote.options):
            raise VoteError("duplicate_candidate", sdk._("This member is already a candidate."))
        label = member.name
    elif not label.strip():
        raise VoteError("label_required", sdk._("Write the choice."), 422, field="label")
    option = VoteOption(
        vote_id=vote.id,
        position=len(vote.options),
        label=label.strip(),
        candidate_id=candidate_id if vote.kind == "election" else None,
    )
    sdk.db.session.add(option)
    sdk.db.session.flush()
    sdk.db.session.refresh(vote)
    return option


# -- opening and closing -----------------------------------------------------------------------
def open_vote(vote: Vote) -> Vote:
    """Draft to open, once (a guarded update: the chair and the schedule may race)."""
    if len(vote.options) < 2:
        raise VoteError("too_few_options", sdk._("A vote needs at least two choices."), 409)
    now = sdk.utcnow()
    done = sdk.db.session.execute(
        update(Vote)
        .where(Vote.id == vote.id, Vote.status == DRAFT)
        .values(status=OPEN, opened_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not done:
        raise VoteError("invalid_transition", sdk._("This vote cannot be opened now."), 409)
    sdk.db.session.refresh(vote)
    sdk.audit("governance.vote_opened", subject=f"vote:{vote.id}")
    return vote


def close_vote(vote: Vote) -> Vote:
    """Open to closed, once; a secret vote's ballots are then rewritten in random order."""
    now = sdk.utcnow()
    done = sdk.db.session.execute(
        update(Vote)
        .where(Vote.id == vote.id, Vote.status == OPEN)
        .values(status=CLOSED, closed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not done:
        raise VoteError("invalid_transition", sdk._("This vote cannot be closed now."), 409)
    if vote.ballot == "secret":
        shuffle_ballots(vote)
    sdk.db.session.refresh(vote)
    sdk.audit("governance.vote_closed", subject=f"vote:{vote.id}")
    return vote


def shuffle_ballots(vote: Vote) -> int:
    """Delete and insert again every ballot of ``vote`` in random order under new random keys.

    Rows written in the casting transactions carry traces of their order (PostgreSQL's
    ``xmin`` and heap position, SQLite's ``rowid``) that a database administrator could
    match with the participations; after this the live rows all come from the closing
    transaction, in an order nothing decided (docs/governance.md, "Secret ballots").
    """
    rows = [
        {"choices": b.choices, "receipt_hash": b.receipt_hash}
        for b in sdk.db.session.scalars(select(Ballot).where(Ballot.vote_id == vote.id))
    ]
    random.SystemRandom().shuffle(rows)
    sdk.db.session.execute(
        delete(Ballot).where(Ballot.vote_id == vote.id).execution_options(synchronize_session=False)
    )
    if rows:
        sdk.db.session.execute(
            insert(Ballot),
            [
                {
                    "id": secrets.token_hex(16),
                    "vote_id": vote.id,
                    "workspace_id": vote.workspace_id,
                    "member_id": None,
                    **row,
                }
                for row in rows
            ],
        )
    return len(rows)


def run_due(now: datetime | None = None) -> tuple[int, int]:
    """Open the drafts whose time has come and close the open votes whose time is up, in every
    workspace; ``(opened, closed)``."""
    now = now or sdk.utcnow()
    opened = closed = 0
    with sdk.all_workspaces():
        due_open = sdk.db.session.scalars(
            select(Vote).where(Vote.status == DRAFT, Vote.opens_at <= now)
        ).all()
        due_close = sdk.db.session.scalars(
            select(Vote).where(Vote.status == OPEN, Vote.closes_at <= now)
        ).all()
        pairs = [(v.id, v.workspace_id, open_vote) for v in due_open]
        pairs += [(v.id, v.workspace_id, close_vote) for v in due_close]
    for vote_id, workspace_id, move in pairs:
        with sdk.in_workspace(workspace_id):
            vote = sdk.db.session.get(Vote, vote_id)
            try:
                move(vote)
                sdk.db.session.commit()
            except VoteError:
                sdk.db.session.rollback()  # changed meanwhile, or too few options: left alone
                continue
            if move is open_vote:
                opened += 1
            else:
                closed += 1
    return opened, closed


def open_and_close_votes() -> tuple[int, int]:
    """The schedule's job (``ent_schedules``): :func:`run_due` now."""
    return run_due()


# -- who may vote ------------------------------------------------------------------------------
def member_of(user: Any) -> Member | None:
    """The registry's member who is this platform account, in the current workspace."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return sdk.db.session.scalar(MEMBER_OF_USER, {"user_id": user.id})


def roll_id_of(vote: Vote) -> int | None:
    if vote.roll_id is not None:
        return vote.roll_id
    return vote.meeting.roll_id if vote.meeting is not None else None


def eligible(vote: Vote, member: Member) -> bool:
    """On the vote's roll (the meeting's, or the consultation's own); without a frozen roll,
    a current member of a voting category."""
    roll_id = roll_id_of(vote)
    if roll_id is not None:
        found = sdk.db.session.scalar(ON_ROLL, {"roll_id": roll_id, "member_id": member.id})
        return found is not None
    return member.left_on is None and member.category.votes


def electorate(vote: Vote) -> int:
    """How many may vote: the roll's size, or the current members of voting categories."""
    from ent_plugins.governance.models import MemberCategory

    roll_id = roll_id_of(vote)
    if roll_id is not None:
        return sdk.db.session.scalar(
            select(func.count(RollEntry.id)).where(RollEntry.roll_id == roll_id)
        )
    return sdk.db.session.scalar(
        select(func.count(Member.id))
        .join(MemberCategory, MemberCategory.id == Member.category_id)
        .where(Member.left_on.is_(None), MemberCategory.votes.is_(True))
    )


def principals_of(vote: Vote, holder: Member) -> list[Member]:
    """The members who gave ``holder`` their proxy for the vote's meeting."""
    if vote.meeting_id is None:
        return []
    return list(
        sdk.db.session.scalars(
            select(Member)
            .join(Proxy, Proxy.principal_id == Member.id)
            .where(Proxy.meeting_id == vote.meeting_id, Proxy.holder_id == holder.id)
            .order_by(Member.name)
        )
    )


def has_voted(vote: Vote, member_ids: Iterable[int]) -> set[int]:
    ids = list(member_ids)
    if not ids:
        return set()
    return set(
        sdk.db.session.scalars(
            select(Participation.member_id).where(
                Participation.vote_id == vote.id, Participation.member_id.in_(ids)
            )
        )
    )


def awaiting(votes: Iterable[Vote], member: Member) -> set[int]:
    """Ids of the running online votes where ``member`` (or a principal whose proxy they hold)
    is on the roll and has not voted yet; a few statements whatever the number of votes."""
    from ent_plugins.governance.models import Meeting

    running = [v for v in votes if is_running(v) and not v.manual]
    if not running:
        return set()
    meeting_ids = {v.meeting_id for v in running if v.meeting_id is not None}
    meeting_rolls: dict[int, int | None] = {}
    principals: dict[int, set[int]] = {}
    if meeting_ids:
        meeting_rolls = dict(
            sdk.db.session.execute(
                select(Meeting.id, Meeting.roll_id).where(Meeting.id.in_(meeting_ids))
            ).all()
        )
        for meeting_id, principal_id in sdk.db.session.execute(
            select(Proxy.meeting_id, Proxy.principal_id).where(
                Proxy.meeting_id.in_(meeting_ids), Proxy.holder_id == member.id
            )
        ):
            principals.setdefault(meeting_id, set()).add(principal_id)
    people = {member.id}.union(*principals.values())
    rolls = {v.id: v.roll_id or meeting_rolls.get(v.meeting_id) for v in running}
    on_roll = set(
        sdk.db.session.execute(
            select(RollEntry.roll_id, RollEntry.member_id).where(
                RollEntry.roll_id.in_({r for r in rolls.values() if r is not None}),
                RollEntry.member_id.in_(people),
            )
        ).all()
    )
    voted = set(
        sdk.db.session.execute(
            select(Participation.vote_id, Participation.member_id).where(
                Participation.vote_id.in_([v.id for v in running]),
                Participation.member_id.in_(people),
            )
        ).all()
    )
    found = set()
    for vote in running:
        for person in {member.id} | principals.get(vote.meeting_id, set()):
            roll_id = rolls[vote.id]
            allowed = (roll_id, person) in on_roll if roll_id is not None else person == member.id
            if allowed and (vote.id, person) not in voted:
                found.add(vote.id)
                break
    return found


def voted_in(votes: Iterable[Vote], member: Member | None) -> set[int]:
    """Ids of ``votes`` in which ``member`` has voted (one statement)."""
    ids = [v.id for v in votes]
    if member is None or not ids:
        return set()
    return set(
        sdk.db.session.scalars(
            select(Participation.vote_id).where(
                Participation.vote_id.in_(ids), Participation.member_id == member.id
            )
        )
    )


def is_running(vote: Vote, now: datetime | None = None) -> bool:
    now = now or sdk.utcnow()
    return vote.status == OPEN and (vote.closes_at is None or _aware(vote.closes_at) > now)


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# -- casting -----------------------------------------------------------------------------------
def _check_choices(vote: Vote, choices: list[int]) -> list[int]:
    valid = set(sdk.db.session.scalars(OPTION_IDS, {"vote_id": vote.id}))
    picked = sorted(set(choices))
    if len(picked) != len(choices) or not set(picked) <= valid:
        raise VoteError("invalid_choice", sdk._("Choose among the vote's options."), 422)
    if vote.kind in ("resolution", "single") and len(picked) != 1:
        raise VoteError("invalid_choice", sdk._("Choose one option."), 422, field="choices")
    if len(picked) > vote.max_choices:
        raise VoteError(
            "too_many_choices",
            sdk._("Choose at most %(count)d options.", count=vote.max_choices),
            422,
            field="choices",
        )
    return picked


def cast(
    vote: Vote, voter: Member | None, choices: list[int], on_behalf_of: int | None = None
) -> str:
    """Cast ``voter``'s ballot (or, as their proxy holder, ``on_behalf_of``'s); the receipt.

    The receipt is given once: only its SHA-256 is stored, on the ballot.
    """
    if voter is None:
        raise VoteError(
            "not_a_member", sdk._("Your account is not on the association's registry."), 403
        )
    if not is_running(vote):
        raise VoteError("vote_not_open", sdk._("This vote is not open."), 409)
    if vote.manual:
        raise VoteError(
            "manual_vote", sdk._("This vote is counted by a show of hands in the room."), 409
        )
    member = voter
    if on_behalf_of is not None and on_behalf_of != voter.id:
        member = next((p for p in principals_of(vote, voter) if p.id == on_behalf_of), None)
        if member is None:
            raise VoteError(
                "no_proxy",
                sdk._("You hold no proxy from this member for this meeting."),
                403,
                field="on_behalf_of",
            )
    if not eligible(vote, member):
        raise VoteError(
            "not_on_roll", sdk._("This member is not on the vote's electoral roll."), 403
        )
    picked = _check_choices(vote, choices)
    receipt = secrets.token_hex(10)
    session = sdk.db.session
    # Core inserts (the workspace named from the vote, itself loaded in this workspace): no
    # unit of work to build for two rows. The unique (vote_id, member_id) of participations
    # refuses a second ballot at the insert, whatever ran meanwhile; nothing is read first.
    rows = {"workspace_id": vote.workspace_id, "vote_id": vote.id}
    try:
        session.execute(
            INSERT_PARTICIPATION,
            {**rows, "member_id": member.id, "cast_by_id": voter.id, "cast_at": sdk.utcnow()},
        )
        session.execute(
            INSERT_BALLOT,
            {
                **rows,
                "id": secrets.token_hex(16),
                "choices": picked,
                "member_id": member.id if vote.ballot == "open" else None,
                "receipt_hash": receipt_hash(receipt),
            },
        )
        session.commit()
    except IntegrityError:
        session.rollback()
        raise VoteError("already_voted", sdk._("This member has already voted."), 409) from None
    return receipt


# -- manual tally ------------------------------------------------------------------------------
def set_manual_tally(vote: Vote, counts: dict[int, int]) -> None:
    """The chair's counts for a show of hands (replacing the ones entered before)."""
    if not vote.manual:
        raise VoteError("not_manual", sdk._("This vote is cast online, not by show of hands."))
    if vote.status == CLOSED:
        raise VoteError("vote_closed", sdk._("This vote is closed."))
    valid = {o.id for o in vote.options}
    if not set(counts) <= valid or any(n < 0 for n in counts.values()):
        raise VoteError("invalid_counts", sdk._("Give a count of zero or more per option."), 422)
    existing = {
        t.option_id: t
        for t in sdk.db.session.scalars(select(ManualTally).where(ManualTally.vote_id == vote.id))
    }
    for option_id, count in counts.items():
        row = existing.get(option_id)
        if row is None:
            sdk.db.session.add(ManualTally(vote_id=vote.id, option_id=option_id, count=count))
        else:
            row.count = count
    sdk.audit("governance.manual_tally", subject=f"vote:{vote.id}", details={"counts": counts})


def manual_counts(vote: Vote) -> dict[int, int]:
    return {
        t.option_id: t.count
        for t in sdk.db.session.scalars(select(ManualTally).where(ManualTally.vote_id == vote.id))
    }


# -- results -----------------------------------------------------------------------------------
def results(vote: Vote) -> dict[str, Any]:
    """Counts, outcome, turnout and the published ballots; refused until the vote closes."""
    from ent_plugins.governance.tally import outcome, tally

    if vote.status != CLOSED:
        raise VoteError(
            "results_hidden", sdk._("The results are published when the vote closes."), 403
        )
    counted = tally(vote)
    result = outcome(vote, counted)
    participants = sdk.db.session.scalar(
        select(func.count(Participation.id)).where(Participation.vote_id == vote.id)
    )
    ballots = []
    if not vote.manual:
        # Plain rows, sorted by the database: the list is as long as the assembly. Names
        # (open ballots) come apart: a join lets the planner pick a nested loop on fresh tables.
        rows = sdk.db.session.execute(
            select(Ballot.receipt_hash, Ballot.choices, Ballot.member_id)
            .where(Ballot.vote_id == vote.id)
            .order_by(Ballot.receipt_hash)
        ).all()
        names = {}
        if vote.ballot == "open":
            names = dict(
                sdk.db.session.execute(
                    select(Member.id, Member.name).where(
                        Member.id.in_(
                            select(Participation.member_id).where(Participation.vote_id == vote.id)
                        )
                    )
                ).all()
            )
        ballots = [
            {"receipt_hash": digest, "choices": list(choices), "member": names.get(member_id)}
            for digest, choices, member_id in rows
        ]
    return {
        "counts": counted.counts,
        "outcome": result.as_json(),
        "participants": participants,
        "electorate": electorate(vote),
        "ballots": ballots,
    }


def check_receipt(vote: Vote, receipt: str) -> list[int] | None:
    """The options counted for this receipt, once the vote is closed; None if unknown."""
    if vote.status != CLOSED:
        raise VoteError(
            "results_hidden", sdk._("The results are published when the vote closes."), 403
        )
    ballot = sdk.db.session.scalar(
        select(Ballot).where(
            Ballot.vote_id == vote.id, Ballot.receipt_hash == receipt_hash(receipt)
        )
    )
    return None if ballot is None else list(ballot.choices)


# -- mandates from an election -----------------------------------------------------------------
def start_mandates(vote: Vote, starts_on: date | None = None) -> list[Mandate]:
    """The elected take the vote's office from ``starts_on`` (today by default), once."""
    from ent_plugins.governance.tally import outcome

    if vote.kind != "election" or vote.office_id is None:
        raise VoteError("not_an_election", sdk._("This vote fills no office."), 409)
    if vote.status != CLOSED:
        raise VoteError("vote_not_closed", sdk._("Close the vote first."), 409)
    already = sdk.db.session.scalar(
        select(func.count(Mandate.id)).where(Mandate.vote_id == vote.id)
    )
    if already:
        raise VoteError("mandates_started", sdk._("The mandates of this election have started."))
    winners = winners_of(vote, outcome(vote))
    if not winners:
        raise VoteError("no_winner", sdk._("Nobody was elected."), 409)
    from ent_plugins.governance.mandates import appoint

    starts_on = starts_on or sdk.local_today()
    office = sdk.db.session.get(Office, vote.office_id)
    # The registry's rules for mandates (term of the body, seats, membership on that day).
    mandates = [
        appoint(office, sdk.db.session.get(Member, member_id), starts_on, vote_id=vote.id)
        for member_id in winners
    ]
    sdk.audit("governance.mandates_started", subject=f"vote:{vote.id}")
    return mandates


def winners_of(vote: Vote, result: Any) -> list[int]:
    """The candidates (member ids) an election's outcome elected (ties left to the statutes)."""
    by_option = {o.id: o.candidate_id for o in vote.options}
    return [by_option[o] for o in result.winners if by_option.get(o) is not None]
