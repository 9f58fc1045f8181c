"""Counting a vote and applying its majority rule (docs/governance.md, "Majorities").

A resolution is adopted when the votes *for* reach the majority of the votes cast: *simple*
more for than against, *absolute* more than half, *two_thirds* at least two thirds. The votes
cast are for + against, plus abstentions when the statutes count them. For choices and
elections the options with the most votes win (``max_choices`` of them); under an absolute
or two-thirds rule a winner also needs that share of the ballots cast.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ent_plugins.governance.models import Ballot, ManualTally, Vote
from sqlalchemy import select

from ent_core import sdk

SIMPLE, ABSOLUTE, TWO_THIRDS = "simple", "absolute", "two_thirds"
MAJORITIES = (SIMPLE, ABSOLUTE, TWO_THIRDS)


@dataclass(frozen=True, slots=True)
class Tally:
    """Votes per option id, and ballots: cast (with at least one choice) and blank."""

    counts: dict[int, int]
    ballots: int
    blank: int


@dataclass(frozen=True, slots=True)
class Outcome:
    tally: Tally
    #: Votes the majority is measured against.
    cast: int
    #: Resolutions: adopted or not; ``None`` for choices and elections.
    adopted: bool | None
    #: Winning option ids (choices and elections); empty when nobody reached the majority.
    winners: list[int] = field(default_factory=list)
    #: Options tied for the last winning place (the statutes decide: a new round, the eldest).
    tied: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "cast": self.cast,
            "ballots": self.tally.ballots,
            "blank": self.tally.blank,
            "adopted": self.adopted,
            "winners": self.winners,
            "tied": self.tied,
        }


def tally(vote: Vote) -> Tally:
    """Counts from the ballots, or from the chair's entry for a show of hands."""
    if vote.manual:
        rows = sdk.db.session.execute(
            select(ManualTally.option_id, ManualTally.count).where(ManualTally.vote_id == vote.id)
        ).all()
        counts = {option_id: count for option_id, count in rows}
        return Tally(counts, sum(counts.values()), 0)
    return count_ballots(
        sdk.db.session.scalars(select(Ballot.choices).where(Ballot.vote_id == vote.id))
    )


def count_ballots(ballots: Iterable[list[int]]) -> Tally:
    """The rule on plain values: each ballot is the list of the option ids it chose."""
    counts: Counter[int] = Counter()
    cast = blank = 0
    for choices in ballots:
        cast += 1
        if choices:
            counts.update(choices)
        else:
            blank += 1
    return Tally(dict(counts), cast, blank)


def reaches(votes: int, cast: int, majority: str, *, against: int = 0) -> bool:
    """Whether ``votes`` out of ``cast`` meet ``majority`` (``against`` for the simple rule)."""
    if votes <= 0:
        return False
    if majority == SIMPLE:
        return votes > against
    if majority == ABSOLUTE:
        return 2 * votes > cast
    if majority == TWO_THIRDS:
        return 3 * votes >= 2 * cast
    raise ValueError(f"unknown majority rule {majority!r}")


def resolution_outcome(
    for_: int, against: int, abstain: int, majority: str, abstentions_count: bool
) -> tuple[int, bool]:
    """(votes cast, adopted) of a resolution."""
    cast = for_ + against + (abstain if abstentions_count else 0)
    return cast, reaches(for_, cast, majority, against=against)


def outcome(vote: Vote, counted: Tally | None = None) -> Outcome:
    """The result of ``vote`` (from ``counted`` when the caller has tallied already)."""
    counted = counted if counted is not None else tally(vote)
    if vote.kind == "resolution":
        by_code = {o.code: counted.counts.get(o.id, 0) for o in vote.options}
        cast, adopted = resolution_outcome(
            by_code.get("for", 0),
            by_code.get("against", 0),
            by_code.get("abstain", 0),
            vote.majority,
            vote.abstentions_count,
        )
        return Outcome(counted, cast, adopted)
    cast = counted.ballots - counted.blank
    winners, tied = choice_winners(
        {o.id: counted.counts.get(o.id, 0) for o in vote.options},
        cast,
        vote.majority,
        max(vote.max_choices, 1),
    )
    return Outcome(counted, cast, None, winners, tied)


def choice_winners(
    counts: dict[int, int], cast: int, majority: str, seats: int
) -> tuple[list[int], list[int]]:
    """(winners, tied) of a choice or an election: the ``seats`` options with the most votes
    among those that reach ``majority`` of the ``cast`` ballots; options tied for the last
    seat(s) are all winners when they fit, else listed apart for the statutes to decide."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    eligible = [
        (votes, option_id)
        for option_id, votes in ranked
        if votes > 0 and (majority == SIMPLE or reaches(votes, cast, majority))
    ]
    if len(eligible) <= seats:
        return [o for _, o in eligible], []
    last = eligible[seats - 1][0]
    winners = [o for v, o in eligible if v > last]
    tied = [o for v, o in eligible if v == last]
    if len(winners) + len(tied) <= seats:
        return winners + tied, []
    return winners, tied
