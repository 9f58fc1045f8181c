"""Majority and quorum rules as properties (hypothesis) over random counts and assemblies."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ent_plugins.governance.quorum import quorum, required_for
from ent_plugins.governance.tally import (
    ABSOLUTE,
    MAJORITIES,
    SIMPLE,
    TWO_THIRDS,
    choice_winners,
    count_ballots,
    reaches,
    resolution_outcome,
)
from hypothesis import given
from hypothesis import strategies as st

votes = st.integers(min_value=0, max_value=5_000)
majorities = st.sampled_from(MAJORITIES)


# -- resolutions -------------------------------------------------------------------------------
@given(votes, votes, votes, st.booleans())
def test_the_rules_nest_two_thirds_then_absolute_then_simple(f, a, x, counted) -> None:
    adopted = {m: resolution_outcome(f, a, x, m, counted)[1] for m in MAJORITIES}
    assert not adopted[TWO_THIRDS] or adopted[ABSOLUTE]
    assert not adopted[ABSOLUTE] or adopted[SIMPLE]


@given(votes, votes, votes, majorities, st.booleans())
def test_each_rule_is_its_fraction_of_the_votes_cast(f, a, x, majority, counted) -> None:
    cast, adopted = resolution_outcome(f, a, x, majority, counted)
    assert cast == f + a + (x if counted else 0)
    expected = {
        SIMPLE: f > a,
        ABSOLUTE: Fraction(f) > Fraction(cast, 2) if cast else False,
        TWO_THIRDS: Fraction(f) >= Fraction(2 * cast, 3) if cast else False,
    }[majority]
    assert adopted == (expected and f > 0)


@given(votes, votes, votes, votes, majorities)
def test_uncounted_abstentions_change_nothing(f, a, x, y, majority) -> None:
    assert resolution_outcome(f, a, x, majority, False) == resolution_outcome(
        f, a, y, majority, False
    )


@given(votes, votes, votes, majorities, st.booleans())
def test_more_for_never_rejects_and_more_against_never_adopts(f, a, x, majority, counted) -> None:
    adopted = resolution_outcome(f, a, x, majority, counted)[1]
    assert not adopted or resolution_outcome(f + 1, a, x, majority, counted)[1]
    assert adopted or not resolution_outcome(f, a + 1, x, majority, counted)[1]


@given(votes, votes)
def test_without_abstentions_simple_and_absolute_agree(f, a) -> None:
    simple = resolution_outcome(f, a, 0, SIMPLE, False)[1]
    assert simple == resolution_outcome(f, a, 0, ABSOLUTE, False)[1]


@given(votes, majorities)
def test_no_vote_for_never_adopts(cast, majority) -> None:
    assert not reaches(0, cast, majority, against=0)


# -- choices and elections ---------------------------------------------------------------------
counts_strategy = st.dictionaries(st.integers(1, 40), votes, min_size=1, max_size=12)


@given(counts_strategy, st.integers(0, 5_000), majorities, st.integers(1, 6))
def test_winners_fill_at_most_the_seats_with_the_most_votes(counts, extra, majority, seats):
    cast = max(counts.values()) + extra
    winners, tied = choice_winners(counts, cast, majority, seats)
    assert len(winners) <= seats
    assert not set(winners) & set(tied)
    if tied:
        assert len(winners) + len(tied) > seats
        assert len({counts[o] for o in tied}) == 1
    chosen = set(winners) | set(tied)

    def qualifies(n: int) -> bool:
        return n > 0 and (majority == SIMPLE or reaches(n, cast, majority))

    assert all(qualifies(counts[o]) for o in chosen)
    left_out = [n for o, n in counts.items() if o not in chosen and qualifies(n)]
    if left_out:
        assert max(left_out) < min(counts[o] for o in chosen)


@given(st.lists(st.lists(st.integers(1, 8), max_size=3, unique=True), max_size=300))
def test_counting_ballots_loses_and_adds_nothing(ballots) -> None:
    counted = count_ballots(ballots)
    assert counted.ballots == len(ballots)
    assert counted.blank == sum(1 for b in ballots if not b)
    assert sum(counted.counts.values()) == sum(len(b) for b in ballots)
    for option_id, n in counted.counts.items():
        assert n == sum(option_id in b for b in ballots)


# -- quorum over random assemblies -------------------------------------------------------------
ratios = st.decimals(min_value=0, max_value=1, places=4)


@st.composite
def assemblies(draw):
    """A roll, who came, and proxies (principal -> holder) from absent to present members."""
    size = draw(st.integers(0, 300))
    roll = list(range(size))
    present = set(draw(st.lists(st.sampled_from(roll), unique=True))) if roll else set()
    absent = [m for m in roll if m not in present]
    proxies = {}
    if present and absent:
        for principal in draw(st.lists(st.sampled_from(absent), unique=True)):
            proxies[principal] = draw(st.sampled_from(sorted(present)))
    return size, present, proxies


@given(assemblies(), ratios)
def test_quorum_is_reached_exactly_when_the_share_is_met(assembly, ratio) -> None:
    size, present, proxies = assembly
    state = quorum(size, len(present), len(proxies), ratio)
    assert state.counted == len(present) + len(proxies) <= size
    if ratio == 0:
        assert state.reached
    else:
        assert state.reached == (Decimal(state.counted) >= ratio * size)
    assert 0 <= state.required <= size


@given(assemblies(), ratios, ratios)
def test_a_lower_quorum_never_needs_more_members(assembly, first, second) -> None:
    size, present, proxies = assembly
    low, high = sorted((first, second))
    assert required_for(size, low) <= required_for(size, high)
    if quorum(size, len(present), len(proxies), high).reached:
        assert quorum(size, len(present), len(proxies), low).reached


@given(assemblies(), ratios)
def test_one_more_member_present_never_loses_the_quorum(assembly, ratio) -> None:
    size, present, proxies = assembly
    before = quorum(size, len(present), len(proxies), ratio)
    if before.counted < size:
        assert not before.reached or quorum(size, len(present) + 1, len(proxies), ratio).reached
