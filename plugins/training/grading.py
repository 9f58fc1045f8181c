"""The grading policy: weighted final grade and the completion rule, in Decimal arithmetic.

Pure functions over plain values (no database), so the arithmetic is tested on its own. A score
is a percentage (0 to 100); grades are rounded half-up to two decimals, once, at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal("100")
CENT = Decimal("0.01")


def round_score(value: Decimal) -> Decimal:
    """Two decimals, half up (50.005 -> 50.01): the rounding a learner expects."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def share(done: int, total: int) -> Decimal | None:
    """``done`` out of ``total`` as a percentage; ``None`` when there is nothing to count."""
    if total <= 0:
        return None
    return round_score(Decimal(done) * HUNDRED / Decimal(total))


def weighted_grade(scores: Iterable[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """Final grade from ``(weight, score)`` pairs; a missing score counts as 0.

    ``None`` when no assessment weighs anything (a course graded on attendance only).
    """
    total_weight = Decimal(0)
    total = Decimal(0)
    for weight, score in scores:
        weight = Decimal(weight)
        if weight < 0:
            raise ValueError("weights cannot be negative")
        total_weight += weight
        total += weight * (Decimal(score) if score is not None else Decimal(0))
    if total_weight == 0:
        return None
    return round_score(total / total_weight)


def quiz_score(correct: int, questions: int) -> Decimal:
    """Percentage of questions answered exactly right."""
    if questions <= 0:
        return Decimal("0.00")
    return round_score(Decimal(correct) * HUNDRED / Decimal(questions))


@dataclass(frozen=True, slots=True)
class Policy:
    """A course's rule: pass mark and the minimum shares of lessons done and sessions attended.

    Attendance counts where it was taken: online cohorts without sessions skip it, in-person
    cohorts without any session recorded cannot complete yet."""

    pass_mark: Decimal
    lessons_share: Decimal = HUNDRED
    attendance_share: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a learner stands; ``pending`` names assessments still waiting (ungraded work)."""

    lessons_done: int
    lessons_total: int
    sessions_attended: int
    sessions_total: int
    scores: Sequence[tuple[Decimal, Decimal | None]]
    pending: Sequence[str] = field(default=())
    in_person: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    grade: Decimal | None
    lessons: Decimal | None
    attendance: Decimal | None
    met: bool
    reasons: tuple[str, ...]


def evaluate(policy: Policy, progress: Progress) -> Outcome:
    """Apply the completion rule; ``reasons`` says what is missing (stable codes)."""
    reasons: list[str] = []
    lessons = share(progress.lessons_done, progress.lessons_total)
    if lessons is not None and lessons < policy.lessons_share:
        reasons.append("lessons")
    attendance = share(progress.sessions_attended, progress.sessions_total)
    # Online cohorts count attendance only where the trainer took it; in person, always.
    if policy.attendance_share > 0:
        if attendance is None:
            if progress.in_person:
                reasons.append("attendance")
        elif attendance < policy.attendance_share:
            reasons.append("attendance")
    if progress.pending:
        reasons.append("pending")
    grade = weighted_grade(progress.scores)
    if grade is not None and grade < policy.pass_mark:
        reasons.append("grade")
    return Outcome(grade, lessons, attendance, not reasons, tuple(reasons))
