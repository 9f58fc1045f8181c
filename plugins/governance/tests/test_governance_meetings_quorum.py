"""The quorum rule as properties over random assemblies: present plus represented members
reach it exactly when they are at least the quorum's share of the roll."""

from __future__ import annotations

from decimal import Decimal

from ent_plugins.governance.quorum import quorum, required_for
from hypothesis import given
from hypothesis import strategies as st

shares = st.decimals(min_value=0, max_value=1, places=4)


@st.composite
def assemblies(draw: st.DrawFn) -> tuple[int, Decimal, int, int]:
    size = draw(st.integers(min_value=0, max_value=5_000))
    present = draw(st.integers(min_value=0, max_value=size))
    represented = draw(st.integers(min_value=0, max_value=size - present))
    return size, draw(shares), present, represented


@given(assemblies())
def test_reached_exactly_at_the_share_of_the_roll(assembly: tuple) -> None:
    size, share, present, represented = assembly
    assert quorum(size, present, represented, share).reached == (
        present + represented >= share * size
    )


@given(st.integers(min_value=0, max_value=5_000), shares)
def test_required_is_the_smallest_count_that_reaches_it(size: int, share: Decimal) -> None:
    need = required_for(size, share)
    assert need >= share * size and (need == 0 or need - 1 < share * size)


@given(st.integers(min_value=0, max_value=5_000))
def test_a_quorum_of_zero_is_always_reached(size: int) -> None:
    assert quorum(size, 0, 0, Decimal(0)).reached


@given(assemblies())
def test_one_more_member_present_never_loses_the_quorum(assembly: tuple) -> None:
    size, share, present, represented = assembly
    before = quorum(size + 1, present, represented, share).reached
    assert not before or quorum(size + 1, present + 1, represented, share).reached


def test_half_of_41_is_21() -> None:
    assert required_for(41, Decimal("0.5")) == 21
