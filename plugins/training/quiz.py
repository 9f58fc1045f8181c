"""Quiz attempts: shuffled per attempt, limited in number and in time, graded on the server.

A quiz may be a question bank: each attempt then draws ``questions_per_attempt`` of its
questions at random, and is scored on the questions it drew. An attempt is graded once, against
the questions as they are when it is submitted; a trainer's later edit never changes a recorded
score.

The server is the only clock: an attempt stores its start and its deadline, and answers that
arrive after the deadline plus :data:`GRACE` are refused (the attempt is closed and counts, with
the score of nothing answered). The attempt number is part of a unique key, so two concurrent
"start" calls cannot both create the last allowed attempt.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from ent_plugins.training import grading
from ent_plugins.training.models import Assessment, Choice, Enrolment, Question, QuizAttempt
from ent_plugins.training.service import TrainingError, schedule_evaluation
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ent_core import sdk

#: Network latency allowance: answers sent this long after the deadline still count.
GRACE = timedelta(seconds=10)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything stored is UTC.
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def open_attempt(assessment: Assessment, enrolment: Enrolment) -> QuizAttempt | None:
    """The learner's unfinished attempt (from any of their cohorts of this course)."""
    return sdk.db.session.scalar(
        select(QuizAttempt).where(
            QuizAttempt.assessment_id == assessment.id,
            QuizAttempt.user_id == enrolment.user_id,
            QuizAttempt.submitted_at.is_(None),
        )
    )


def attempts_used(assessment: Assessment, enrolment: Enrolment) -> int:
    return (
        sdk.db.session.scalar(
            select(func.count(QuizAttempt.id)).where(
                QuizAttempt.assessment_id == assessment.id,
                QuizAttempt.user_id == enrolment.user_id,
            )
        )
        or 0
    )


def is_expired(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.deadline_at is not None and now > _aware(attempt.deadline_at) + GRACE


def close_if_expired(attempt: QuizAttempt, now: datetime) -> bool:
    """An open attempt past its deadline is closed as submitted at the deadline, empty."""
    if attempt.submitted_at is None and is_expired(attempt, now):
        attempt.submitted_at = attempt.deadline_at
        attempt.late = True
        attempt.score = grading.quiz_score(0, len(attempt.layout))
        sdk.db.session.commit()
        schedule_evaluation(attempt.enrolment)
        return True
    return False


def questions_drawn(assessment: Assessment) -> int:
    """How many questions an attempt shows: the quiz's draw, or all of them."""
    available = len(assessment.questions)
    wanted = assessment.questions_per_attempt or 0
    return min(wanted, available) if wanted else available


def shown_questions(attempt: QuizAttempt) -> list[tuple[Question, list[Choice]]]:
    """The attempt's questions in its order, as they are now: the choices it shuffled, then any
    choice a trainer added since (an edited question stays answerable while the attempt is open).
    """
    questions = {q.id: q for q in attempt.assessment.questions}
    shown = []
    for row in attempt.layout:
        question = questions.get(row["question"])
        if question is None:
            continue
        current = {c.id: c for c in question.choices}
        order = [c for c in row["choices"] if c in current]
        order += [c for c in current if c not in order]
        shown.append((question, [current[c] for c in order]))
    return shown


def own_attempt(attempt_id: int) -> QuizAttempt:
    """One of the current user's attempts; anyone else's is hidden (404) like a missing one:
    attempts are private to their learner, whatever the role."""
    attempt = sdk.get_or_404(QuizAttempt, attempt_id)
    if attempt.enrolment.user_id != sdk.current_user.id:
        sdk.abort(404)
    return attempt


def start_attempt(
    assessment: Assessment, enrolment: Enrolment, now: datetime | None = None
) -> QuizAttempt:
    """Resume the open attempt, or start a new one if attempts remain."""
    now = now or sdk.utcnow()
    if assessment.kind != "quiz":
        raise TrainingError("not_a_quiz", sdk._("This assessment is not a quiz."), 404)
    current = open_attempt(assessment, enrolment)
    if current is not None and not close_if_expired(current, now):
        return current
    used = attempts_used(assessment, enrolment)
    if used >= assessment.max_attempts:
        raise TrainingError(
            "attempts_exhausted",
            sdk._("You have used all your attempts at this quiz."),
            details={"max_attempts": assessment.max_attempts},
        )
    if not assessment.questions:
        raise TrainingError("quiz_empty", sdk._("This quiz has no questions yet."))
    rng = random.SystemRandom()
    layout = []
    for question in rng.sample(assessment.questions, questions_drawn(assessment)):
        choices = [c.id for c in question.choices]
        rng.shuffle(choices)
        layout.append({"question": question.id, "choices": choices})
    deadline = (
        now + timedelta(minutes=assessment.time_limit_minutes)
        if assessment.time_limit_minutes
        else None
    )
    attempt = QuizAttempt(
        workspace_id=assessment.workspace_id,
        assessment_id=assessment.id,
        enrolment_id=enrolment.id,
        user_id=enrolment.user_id,
        number=used + 1,
        started_at=now,
        deadline_at=deadline,
        layout=layout,
        answers={},
    )
    sdk.db.session.add(attempt)
    try:
        sdk.db.session.commit()
    except IntegrityError:
        # Another request started attempt number ``used + 1`` at the same moment.
        sdk.db.session.rollback()
        raise TrainingError(
            "attempt_in_progress", sdk._("Another attempt was started at the same time.")
        ) from None
    return attempt


def _normalise(attempt: QuizAttempt, answers: dict[Any, Any]) -> dict[str, list[int]]:
    """Keep only known questions and their own choices; refuse malformed answers."""
    shown = shown_questions(attempt)
    allowed = {str(q.id): {c.id for c in choices} for q, choices in shown}
    multiple = {str(q.id): q.multiple for q, _ in shown}
    clean: dict[str, list[int]] = {}
    for key, value in (answers or {}).items():
        key = str(key)
        if key not in allowed:
            raise TrainingError(
                "invalid_answer",
                sdk._("An answer names an unknown question."),
                422,
                details={"question": key},
            )
        picked = value if isinstance(value, list) else [value]
        try:
            ids = sorted({int(v) for v in picked})
        except (TypeError, ValueError):
            raise TrainingError(
                "invalid_answer",
                sdk._("Answers must be choice numbers."),
                422,
                details={"question": key},
            ) from None
        if not set(ids) <= allowed[key] or (len(ids) > 1 and not multiple.get(key)):
            raise TrainingError(
                "invalid_answer",
                sdk._("An answer is not valid for its question."),
                422,
                details={"question": key},
            )
        clean[key] = ids
    return clean


def submit_attempt(
    attempt: QuizAttempt, answers: dict[Any, Any], now: datetime | None = None
) -> QuizAttempt:
    """Grade the answers, once; too late (after deadline + grace) is refused."""
    now = now or sdk.utcnow()
    if attempt.submitted_at is not None:
        raise TrainingError("attempt_closed", sdk._("This attempt was already submitted."))
    if close_if_expired(attempt, now):
        raise TrainingError(
            "deadline_passed",
            sdk._("The time for this attempt ran out; late answers are not counted."),
            details={"deadline_at": _aware(attempt.deadline_at).isoformat()},
        )
    clean = _normalise(attempt, answers)
    questions = {str(q.id): q for q in attempt.assessment.questions}
    correct = 0
    for item in attempt.layout:
        question = questions.get(str(item["question"]))
        if question is None:
            continue
        right = sorted(c.id for c in question.choices if c.correct)
        if clean.get(str(question.id)) == right:
            correct += 1
    # Only a conditional update closes the attempt: a second, concurrent submit changes nothing.
    result = sdk.db.session.execute(
        QuizAttempt.__table__.update()
        .where(
            QuizAttempt.__table__.c.id == attempt.id, QuizAttempt.__table__.c.submitted_at.is_(None)
        )
        .values(
            submitted_at=now, answers=clean, score=grading.quiz_score(correct, len(attempt.layout))
        )
    )
    if result.rowcount != 1:
        sdk.db.session.rollback()
        raise TrainingError("attempt_closed", sdk._("This attempt was already submitted."))
    sdk.db.session.commit()
    sdk.db.session.refresh(attempt)
    schedule_evaluation(attempt.enrolment)
    return attempt


def remaining_seconds(attempt: QuizAttempt, now: datetime | None = None) -> int | None:
    if attempt.deadline_at is None:
        return None
    left = _aware(attempt.deadline_at) - (now or sdk.utcnow())
    return max(0, int(left.total_seconds()))
