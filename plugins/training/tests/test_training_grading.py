"""The grading policy's arithmetic: weights, rounding, pass mark, completion rule."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from ent_plugins.training import grading
from hypothesis import given
from hypothesis import strategies as st


def test_weighted_grade_weighs_each_assessment():
    # quiz 80 (weight 1), assignment 50 (weight 3): (80 + 150) / 4 = 57.5
    assert grading.weighted_grade([(D("1"), D("80")), (D("3"), D("50"))]) == D("57.50")


def test_a_missing_score_counts_as_zero():
    assert grading.weighted_grade([(D("1"), D("90")), (D("1"), None)]) == D("45.00")


def test_rounding_is_half_up_to_the_cent():
    # 100 / 3 = 33.333... ; 2 * 100 / 3 = 66.666...
    assert grading.weighted_grade([(D("1"), D("100")), (D("2"), D("0"))]) == D("33.33")
    assert grading.weighted_grade([(D("2"), D("100")), (D("1"), D("0"))]) == D("66.67")
    assert grading.round_score(D("50.005")) == D("50.01")
    assert grading.round_score(D("50.004")) == D("50.00")


def test_no_weight_means_no_grade():
    assert grading.weighted_grade([]) is None
    assert grading.weighted_grade([(D("0"), D("10"))]) is None


def test_negative_weights_are_refused():
    with pytest.raises(ValueError):
        grading.weighted_grade([(D("-1"), D("10"))])


def test_quiz_score_is_the_share_of_exact_answers():
    assert grading.quiz_score(2, 3) == D("66.67")
    assert grading.quiz_score(0, 0) == D("0.00")


@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=0, max_value=100, places=2),
            st.decimals(min_value=0, max_value=100, places=2),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_the_grade_stays_between_the_lowest_and_highest_score(pairs):
    grade = grading.weighted_grade(pairs)
    weighted = [score for weight, score in pairs if weight > 0]
    if not weighted:
        assert grade is None
        return
    assert min(weighted) - D("0.01") <= grade <= max(weighted) + D("0.01")
    assert grade == grade.quantize(D("0.01"))


POLICY = grading.Policy(pass_mark=D("60"), lessons_share=D("80"), attendance_share=D("75"))


def _progress(**kwargs):
    values = dict(
        lessons_done=4,
        lessons_total=5,
        sessions_attended=3,
        sessions_total=4,
        scores=[(D("1"), D("60"))],
    )
    values.update(kwargs)
    return grading.Progress(**values)


def test_the_rule_is_met_exactly_at_the_thresholds():
    outcome = grading.evaluate(POLICY, _progress())
    assert outcome.met, outcome.reasons
    assert (outcome.lessons, outcome.attendance, outcome.grade) == (
        D("80.00"),
        D("75.00"),
        D("60.00"),
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"lessons_done": 3}, "lessons"),
        ({"sessions_attended": 2}, "attendance"),
        ({"scores": [(D("1"), D("59.99"))]}, "grade"),
        ({"pending": ["Essay"]}, "pending"),
    ],
)
def test_each_missing_part_is_named(change, reason):
    outcome = grading.evaluate(POLICY, _progress(**change))
    assert not outcome.met and outcome.reasons == (reason,)


def test_attendance_counts_only_where_it_was_taken_online():
    online = grading.evaluate(POLICY, _progress(sessions_attended=0, sessions_total=0))
    in_person = grading.evaluate(
        POLICY, _progress(sessions_attended=0, sessions_total=0, in_person=True)
    )
    assert online.met and not in_person.met


def test_a_course_without_assessments_completes_on_lessons():
    outcome = grading.evaluate(
        grading.Policy(pass_mark=D("50")), grading.Progress(1, 1, 0, 0, scores=[])
    )
    assert outcome.met and outcome.grade is None
