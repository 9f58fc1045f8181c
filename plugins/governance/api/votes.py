"""Votes through the API: ``/api/v1/workspaces/<slug>/governance/votes...``.

The kinds are named as docs/api.md and the platform's conventions say (``for_against_abstain``
for a resolution); ballots, results and receipts go through the same service as the pages.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ent_plugins.governance import votes as service
from ent_plugins.governance.models import Vote
from ent_plugins.governance.permissions import MANAGE_VOTES, VIEW
from pydantic import Field
from sqlalchemy.orm import selectinload

from ent_core import sdk

TAGS = ("governance",)
#: The API's names of the kinds, and the stored ones.
API_KINDS = {"for_against_abstain": "resolution", "single": "single", "multiple": "multiple"}
API_KINDS["election"] = "election"
STORED_KINDS = {v: k for k, v in API_KINDS.items()}
KIND_PATTERN = "^(for_against_abstain|single|multiple|election)$"
MAJORITY_PATTERN = "^(simple|absolute|two_thirds)$"


class OptionOut(sdk.ApiModel):
    id: int
    label: str
    code: str | None = Field(description="`for`, `against` or `abstain` on resolutions.")
    candidate_id: int | None = Field(description="The member standing, in an election.")


class VoteOut(sdk.ApiModel):
    id: int
    title: str
    description: str
    kind: str = Field(description="`for_against_abstain`, `single`, `multiple` or `election`.")
    secret: bool
    majority: str = Field(description="`simple`, `absolute` or `two_thirds`.")
    abstentions_count: bool
    max_choices: int
    manual: bool = Field(description="Counted by a show of hands: the chair enters the counts.")
    status: str = Field(description="`draft`, `open` or `closed`.")
    meeting_id: int | None
    agenda_item_id: int | None
    roll_id: int | None
    office_id: int | None
    opens_at: datetime | None
    closes_at: datetime | None
    opened_at: datetime | None
    closed_at: datetime | None
    options: list[OptionOut]
    voted: bool = Field(description="Whether the caller (as a member) has voted.")


def vote_json(vote: Vote, member: Any = None, *, voted: bool | None = None) -> VoteOut:
    labels = service.option_labels(vote)
    return VoteOut(
        id=vote.id,
        title=vote.title,
        description=vote.description,
        kind=STORED_KINDS[vote.kind],
        secret=vote.ballot == "secret",
        majority=vote.majority,
        abstentions_count=vote.abstentions_count,
        max_choices=vote.max_choices,
        manual=vote.manual,
        status=vote.status,
        meeting_id=vote.meeting_id,
        agenda_item_id=vote.agenda_item_id,
        roll_id=vote.roll_id,
        office_id=vote.office_id,
        opens_at=vote.opens_at,
        closes_at=vote.closes_at,
        opened_at=vote.opened_at,
        closed_at=vote.closed_at,
        options=[
            OptionOut(id=o.id, label=labels[o.id], code=o.code, candidate_id=o.candidate_id)
            for o in vote.options
        ],
        voted=voted if voted is not None else bool(member and service.has_voted(vote, [member.id])),
    )


class VoteQuery(sdk.PageQuery):
    status: str | None = Field(default=None, pattern="^(draft|open|closed)$")
    meeting_id: int | None = None


@sdk.require_permission(VIEW)
@sdk.api_operation(summary="List the votes", query=VoteQuery, response=sdk.Page[VoteOut], tags=TAGS)
def list_votes(query: VoteQuery) -> dict[str, Any]:
    statement = sdk.scoped(Vote)
    if query.status:
        statement = statement.where(Vote.status == query.status)
    if query.meeting_id is not None:
        statement = statement.where(Vote.meeting_id == query.meeting_id)
    member = service.member_of(sdk.current_user)

    def serialize(rows: list[Vote]) -> list[VoteOut]:
        voted = service.voted_in(rows, member)
        return [vote_json(v, voted=v.id in voted) for v in rows]

    return sdk.paginate(
        statement.options(selectinload(Vote.options)),
        key=Vote.id,
        serialize=serialize,
        query=query,
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(summary="One vote", response=VoteOut, tags=TAGS, errors=(404,))
def get_vote(vote_id: int) -> VoteOut:
    return vote_json(sdk.get_or_404(Vote, vote_id), service.member_of(sdk.current_user))


class VoteIn(sdk.ApiModel):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=20_000)
    kind: str = Field(pattern=KIND_PATTERN)
    secret: bool = False
    majority: str = Field(default="simple", pattern=MAJORITY_PATTERN)
    abstentions_count: bool = False
    max_choices: int = Field(default=1, ge=1, le=100)
    manual: bool = False
    meeting_id: int | None = None
    agenda_item_id: int | None = None
    cutoff_on: date | None = Field(
        default=None, description="A consultation outside a meeting: its roll's cut-off date."
    )
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    options: list[str] = Field(default_factory=list, max_length=100)
    candidate_ids: list[int] = Field(default_factory=list, max_length=100)
    office_id: int | None = None


@sdk.require_permission(MANAGE_VOTES)
@sdk.api_operation(
    summary="Prepare a vote",
    description="A draft; a resolution gets its options for, against and abstain.",
    body=VoteIn,
    response=VoteOut,
    status=201,
    tags=TAGS,
    errors=(403, 422),
)
def create_vote(body: VoteIn) -> VoteOut:
    data = body.model_dump()
    data["kind"] = API_KINDS[data["kind"]]
    for name in ("opens_at", "closes_at"):
        if data[name] is not None:
            data[name] = sdk.to_utc(data[name])
    vote = service.create_vote(**data)
    sdk.db.session.commit()
    return vote_json(vote)


class VotePatch(sdk.ApiModel):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=20_000)
    secret: bool | None = None
    majority: str | None = Field(default=None, pattern=MAJORITY_PATTERN)
    abstentions_count: bool | None = None
    max_choices: int | None = Field(default=None, ge=1, le=100)
    opens_at: datetime | None = None
    closes_at: datetime | None = None


@sdk.require_permission(MANAGE_VOTES)
@sdk.api_operation(
    summary="Change a draft vote",
    body=VotePatch,
    response=VoteOut,
    tags=TAGS,
    errors=(403, 404, 409, 422),
)
def patch_vote(vote_id: int, body: VotePatch) -> VoteOut:
    vote = sdk.get_or_404(Vote, vote_id)
    changes = body.model_dump(exclude_unset=True)
    for name in ("opens_at", "closes_at"):
        if changes.get(name) is not None:
            changes[name] = sdk.to_utc(changes[name])
    service.update_vote(vote, **changes)
    sdk.db.session.commit()
    return vote_json(vote)


class OptionIn(sdk.ApiModel):
    label: str = Field(default="", max_length=300)
    candidate_id: int | None = None


@sdk.require_permission(MANAGE_VOTES)
@sdk.api_operation(
    summary="Add a choice or a candidate to a draft vote",
    body=OptionIn,
    response=OptionOut,
    status=201,
    tags=TAGS,
    errors=(403, 404, 409, 422),
)
def add_option(vote_id: int, body: OptionIn) -> OptionOut:
    vote = sdk.get_or_404(Vote, vote_id)
    option = service.add_option(vote, label=body.label, candidate_id=body.candidate_id)
    sdk.db.session.commit()
    return OptionOut(
        id=option.id, label=option.label, code=option.code, candidate_id=option.candidate_id
    )


class TransitionIn(sdk.ApiModel):
    transition: str = Field(description="`open` or `close`.")


@sdk.require_permission(MANAGE_VOTES)
@sdk.api_operation(
    summary="Open or close a vote",
    body=TransitionIn,
    response=VoteOut,
    tags=TAGS,
    errors=(403, 404, 409),
)
def vote_transition(vote_id: int, body: TransitionIn) -> VoteOut:
    vote = sdk.get_or_404(Vote, vote_id)
    allowed = {service.DRAFT: ["open"], service.OPEN: ["close"]}.get(vote.status, [])
    if body.transition not in allowed:
        raise sdk.ApiError(
            "invalid_transition",
            sdk._("This change is not possible now."),
            409,
            {"allowed": allowed},
        )
    (service.open_vote if body.transition == "open" else service.close_vote)(vote)
    sdk.db.session.commit()
    return vote_json(vote)


class BallotIn(sdk.ApiModel):
    choices: list[int] = Field(max_length=100, description="Ids of the chosen options.")
    on_behalf_of: int | None = Field(
        default=None, description="The member whose proxy the caller holds for the meeting."
    )


class ReceiptOut(sdk.ApiModel):
    receipt: str = Field(
        description="Given once: check it against the published ballots after the close."
    )
    member_id: int = Field(description="The member for whom the ballot was cast.")


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="Cast a ballot",
    description="One per member: a second answers 409 `already_voted`.",
    body=BallotIn,
    response=ReceiptOut,
    status=201,
    tags=TAGS,
    errors=(403, 404, 409, 422),
)
def cast_ballot(vote_id: int, body: BallotIn) -> ReceiptOut:
    vote = sdk.get_or_404(Vote, vote_id)
    voter = service.member_of(sdk.current_user)
    voter_id = voter.id if voter is not None else None  # before the commit expires it
    receipt = service.cast(vote, voter, body.choices, body.on_behalf_of)
    return ReceiptOut(receipt=receipt, member_id=body.on_behalf_of or voter_id)


class CountOut(sdk.ApiModel):
    option_id: int
    label: str
    count: int


class PublishedBallot(sdk.ApiModel):
    receipt_hash: str = Field(description="SHA-256 (hex) of the voter's receipt.")
    choices: list[int]
    member: str | None = Field(description="The voter's name, on open ballots only.")


class ResultsOut(sdk.ApiModel):
    counts: list[CountOut]
    outcome: dict[str, Any]
    participants: int
    electorate: int
    ballots: list[PublishedBallot]


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="The results of a closed vote",
    description="403 `results_hidden` until the vote closes.",
    response=ResultsOut,
    tags=TAGS,
    errors=(403, 404),
)
def vote_results(vote_id: int) -> ResultsOut:
    vote = sdk.get_or_404(Vote, vote_id)
    found = service.results(vote)
    labels = service.option_labels(vote)
    return ResultsOut(
        counts=[
            CountOut(option_id=o.id, label=labels[o.id], count=found["counts"].get(o.id, 0))
            for o in vote.options
        ],
        outcome=found["outcome"],
        participants=found["participants"],
        electorate=found["electorate"],
        ballots=[PublishedBallot(**b) for b in found["ballots"]],
    )


class TallyIn(sdk.ApiModel):
    counts: dict[int, int] = Field(description="Hands raised per option id.")


@sdk.require_permission(MANAGE_VOTES)
@sdk.api_operation(
    summary="Enter the counts of a show of hands",
    body=TallyIn,
    response=VoteOut,
    tags=TAGS,
    errors=(403, 404, 409, 422),
)
def manual_tally(vote_id: int, body: TallyIn) -> VoteOut:
    vote = sdk.get_or_404(Vote, vote_id)
    service.set_manual_tally(vote, body.counts)
    sdk.db.session.commit()
    return vote_json(vote)


class ReceiptIn(sdk.ApiModel):
    receipt: str = Field(min_length=1, max_length=100)


class ReceiptCheckOut(sdk.ApiModel):
    found: bool
    choices: list[int]


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="Check a receipt against the published ballots",
    body=ReceiptIn,
    response=ReceiptCheckOut,
    tags=TAGS,
    errors=(403, 404),
)
def check_receipt(vote_id: int, body: ReceiptIn) -> ReceiptCheckOut:
    vote = sdk.get_or_404(Vote, vote_id)
    choices = service.check_receipt(vote, body.receipt)
    return ReceiptCheckOut(found=choices is not None, choices=choices or [])


class MandatesIn(sdk.ApiModel):
    starts_on: date | None = None


class MandatesOut(sdk.ApiModel):
    mandates: list[int] = Field(description="Ids of the mandates started.")
    members: list[int]


@sdk.require_permission(MANAGE_VOTES)
@sdk.api_operation(
    summary="Start the mandates of an election's winners",
    body=MandatesIn,
    body_required=False,
    response=MandatesOut,
    status=201,
    tags=TAGS,
    errors=(403, 404, 409),
)
def start_mandates(vote_id: int, body: MandatesIn | None) -> MandatesOut:
    vote = sdk.get_or_404(Vote, vote_id)
    mandates = service.start_mandates(vote, body.starts_on if body else None)
    sdk.db.session.commit()
    return MandatesOut(mandates=[m.id for m in mandates], members=[m.member_id for m in mandates])
