"""A course's sessions as an iCalendar feed (``/s/<workspace>/training/courses/<id>/sessions.ics``).

Public like the course page it belongs to: a learner subscribes once and their calendar follows
the sessions trainers add, shown at the workspace's local time. A suspended workspace's feed
answers 410 Gone (``sdk.public_feed``), so that calendar clients drop it.
"""

from __future__ import annotations

from typing import Any

from ent_plugins.training.models import ClassSession, Cohort, Course
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from ent_core import sdk


def session_event(course: Course, session: ClassSession, course_url: str) -> sdk.CalendarEvent:
    """One session as a calendar event; its UID names the session row, so a moved session
    replaces the old entry in the learner's calendar instead of adding one."""
    cohort = session.cohort
    return sdk.CalendarEvent(
        uid=sdk.calendar_uid("training", "session", session.id),
        summary=f"{course.title} — {session.title}",
        start=session.starts_at,
        description=cohort.name,
        location=cohort.location if cohort.mode == "in_person" else sdk._("Online"),
        url=course_url,
    )


@sdk.public_feed
def course_sessions(course_id: int) -> Any:
    course = sdk.get_or_404(Course, course_id)
    sessions = sdk.db.session.scalars(
        select(ClassSession)
        .join(ClassSession.cohort)
        .where(Cohort.course_id == course.id)
        .options(contains_eager(ClassSession.cohort))
        .order_by(ClassSession.starts_at, ClassSession.id)
    ).all()
    course_url = sdk.external_url("training_public.course", course_id=course.id)
    feed = sdk.calendar_feed(
        [session_event(course, s, course_url) for s in sessions],
        name=sdk._("Sessions: %(course)s", course=course.title),
        description=sdk.current_workspace().name,
        url=sdk.external_url("training_public.course_calendar", course_id=course.id),
    )
    return sdk.calendar_response(feed, filename=f"course-{course.id}-sessions.ics")
