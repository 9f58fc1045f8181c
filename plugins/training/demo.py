"""Demo content for ``ent demo``: CIME's course, a cohort, and one issued certificate.

Idempotent: everything is looked up by its title first, and the certificate's unique key
(learner, course, cohort) keeps a second run from issuing another.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from ent_plugins.training.models import (
    Assessment,
    Choice,
    Cohort,
    Course,
    CourseTrainer,
    Enrolment,
    LearnerPreference,
    Lesson,
    LessonCompletion,
    Module,
    Programme,
    Question,
    QuizAttempt,
)
from sqlalchemy import select

from ent_core import sdk

COURSE = "Vérification des faits et des sources"
LEARNER = "journaliste@demo.ent.ma"
TRAINER = "cime@demo.ent.ma"


def _one(model: Any, **where: Any) -> Any:
    statement = select(model).filter_by(**where).execution_options(ent_all_workspaces=True)
    return sdk.db.session.scalars(statement).first()


def _course(ws_id: int, trainer: Any) -> tuple[Course, bool]:
    course = _one(Course, workspace_id=ws_id, title=COURSE)
    if course is not None:
        return course, False
    programme = _one(Programme, workspace_id=ws_id, title="Journalisme numérique")
    if programme is None:
        programme = Programme(
            workspace_id=ws_id,
            title="Journalisme numérique",
            description="Le parcours certifiant du CIME pour les rédactions.",
        )
        sdk.db.session.add(programme)
        sdk.db.session.flush()
    course = Course(
        workspace_id=ws_id,
        programme_id=programme.id,
        title=COURSE,
        summary="Méthodes et outils pour vérifier une information, une image ou une source "
        "avant publication.",
        criteria="Suivre toutes les leçons et obtenir au moins 60 % au quiz final.",
        pass_mark=Decimal("60"),
        lessons_share=Decimal("100"),
        attendance_share=Decimal("0"),
        validity_months=36,
    )
    sdk.db.session.add(course)
    sdk.db.session.flush()
    sdk.db.session.add(CourseTrainer(workspace_id=ws_id, course_id=course.id, user_id=trainer.id))
    module = Module(workspace_id=ws_id, course_id=course.id, title="Les bases", position=1)
    sdk.db.session.add(module)
    sdk.db.session.flush()
    sdk.db.session.add(
        Lesson(
            workspace_id=ws_id,
            module_id=module.id,
            title="Remonter à la source",
            position=1,
            body="## Pourquoi\n\nToute information publiée doit pouvoir être **retracée** jusqu'à "
            "sa source première.\n\n- Qui parle ?\n- D'où le sait-il ?\n- Qui d'autre le "
            "confirme ?",
        )
    )
    quiz = Assessment(
        workspace_id=ws_id,
        course_id=course.id,
        kind="quiz",
        title="Quiz final",
        weight=Decimal("1"),
        max_attempts=2,
        time_limit_minutes=15,
    )
    sdk.db.session.add(quiz)
    sdk.db.session.flush()
    for position, (text, choices) in enumerate(
        [
            (
                "Une photo virale doit d'abord être…",
                [("recherchée par image inversée", True), ("publiée vite", False)],
            ),
            (
                "Une source anonyme suffit-elle seule ?",
                [("Non, il faut la recouper", True), ("Oui", False)],
            ),
        ]
    ):
        question = Question(workspace_id=ws_id, assessment_id=quiz.id, text=text, position=position)
        sdk.db.session.add(question)
        sdk.db.session.flush()
        for choice, correct in choices:
            sdk.db.session.add(
                Choice(workspace_id=ws_id, question_id=question.id, text=choice, correct=correct)
            )
    sdk.db.session.commit()
    return course, True


def load_demo(workspaces: dict[str, Any], users: dict[str, Any]) -> list[str]:
    """Create what is missing; return the lines ``ent demo`` prints."""
    from ent_plugins.training import certificates, service

    workspace = workspaces.get("cime")
    trainer = users.get(TRAINER)
    learner = users.get(LEARNER)
    if workspace is None or trainer is None or learner is None:
        return []
    lines = []
    course, created = _course(workspace.id, trainer)
    lines.append(f"  {'created' if created else 'kept'} training course {course.title!r}")
    cohort = _one(Cohort, workspace_id=workspace.id, course_id=course.id)
    if cohort is None:
        today = sdk.utcnow().date()
        cohort = Cohort(
            workspace_id=workspace.id,
            course_id=course.id,
            name="Session d'automne",
            starts_on=today - timedelta(days=30),
            ends_on=today - timedelta(days=2),
            capacity=12,
            mode="online",
        )
        sdk.db.session.add(cohort)
        sdk.db.session.commit()
        lines.append('  created cohort "Session d\'automne"')
    enrolment = _one(Enrolment, cohort_id=cohort.id, user_id=learner.id)
    if enrolment is None:
        enrolment = Enrolment(
            workspace_id=workspace.id,
            cohort_id=cohort.id,
            user_id=learner.id,
            status="enrolled",
            enrolled_at=sdk.utcnow(),
        )
        sdk.db.session.add(enrolment)
        sdk.db.session.flush()
        for lesson in course.lessons:
            sdk.db.session.add(
                LessonCompletion(
                    workspace_id=workspace.id, enrolment_id=enrolment.id, lesson_id=lesson.id
                )
            )
        quiz = next(a for a in course.assessments if a.kind == "quiz")
        sdk.db.session.add(
            QuizAttempt(
                workspace_id=workspace.id,
                assessment_id=quiz.id,
                enrolment_id=enrolment.id,
                user_id=learner.id,
                number=1,
                started_at=sdk.utcnow() - timedelta(minutes=9),
                submitted_at=sdk.utcnow() - timedelta(minutes=1),
                score=Decimal("100.00"),
                layout=[],
                answers={},
            )
        )
        if _one(LearnerPreference, user_id=learner.id) is None:
            sdk.db.session.add(LearnerPreference(user_id=learner.id, show_badges=True))
        sdk.db.session.commit()
    result = service.outcome(enrolment)
    if result.met:
        certificate, issued = certificates.issue_for(enrolment, grade=result.grade)
        lines.append(
            f"  {'issued' if issued else 'kept'} certificate {certificate.number} "
            f"to {learner.email}: {certificates.verify_url(certificate)}"
        )
    return lines
