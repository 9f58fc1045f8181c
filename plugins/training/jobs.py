"""Background work: issue certificates when the rule is met, mail a cohort, tell promoted learners.

Jobs receive ids, reload the rows (across workspaces: there is no current workspace in a worker)
and are idempotent: issuing relies on the certificate's unique key, not on the job running once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ent_plugins.training.models import Certificate, Cohort, Enrolment
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload

from ent_core import sdk


def _get(model: Any, ident: int) -> Any:
    return sdk.db.session.scalar(
        select(model).where(model.id == ident).execution_options(ent_all_workspaces=True)
    )


def _locale(user: Any) -> str:
    return user.locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "fr")


#: Learners looked at per transaction by the cohort's job (a cohort is usually smaller).
BATCH = 200
#: Rounds of one cohort job; learners flagged again past that wait for the sweep.
MAX_ROUNDS = 50
#: A request for evaluation older than this, still flagged, is picked up by the sweep.
STALE_REQUEST = timedelta(minutes=1)
#: Certificate-ready mails still due after this are queued again by the sweep (for a while).
MAIL_GRACE = timedelta(minutes=5)
MAIL_GIVE_UP = timedelta(days=2)


def evaluate_cohort(cohort_id: int) -> list[str]:
    """Issue the certificates of the cohort's learners flagged for evaluation; numbers issued.

    One job per cohort, not per learner (``service.request_evaluations`` queues it once while
    it waits): learners finishing at the same time share the job, its statements and its
    commit. Flags are cleared in the transaction that issues, and only if nobody set them
    again meanwhile, so a change made while the job runs is looked at by the next round (or
    by the sweep). Safe to run twice: issuing relies on the certificate's unique key.
    """
    cohort = _get(Cohort, cohort_id)
    if cohort is None:
        return []
    numbers: list[str] = []
    for _ in range(MAX_ROUNDS):
        flagged = sdk.db.session.execute(
            select(Enrolment.id, Enrolment.evaluation_requested_at)
            .where(Enrolment.cohort_id == cohort.id, Enrolment.evaluation_requested_at.is_not(None))
            .order_by(Enrolment.id)
            .limit(BATCH)
            .execution_options(ent_all_workspaces=True)
        ).all()
        if not flagged:
            break
        issued, created = _evaluate(cohort, [ident for ident, _ in flagged])
        # On the table, not the entity: one executemany, not the ORM's update by primary key.
        table = Enrolment.__table__
        sdk.db.session.execute(
            update(table)
            .where(
                table.c.id == bindparam("ident"),
                table.c.evaluation_requested_at == bindparam("seen"),
            )
            .values(evaluation_requested_at=None),
            [{"ident": ident, "seen": seen} for ident, seen in flagged],
        )
        sdk.db.session.commit()
        _queue_mails(created)
        numbers.extend(issued)
    return numbers


def evaluate_enrolment(enrolment_id: int) -> str | None:
    """Issue one learner's certificate if the completion rule is met; returns its number."""
    enrolment = _get(Enrolment, enrolment_id)
    if enrolment is None:
        return None
    numbers, created = _evaluate(enrolment.cohort, [enrolment.id], all_numbers=True)
    sdk.db.session.commit()
    _queue_mails(created)
    return numbers[0] if numbers else None


def _evaluate(
    cohort: Cohort, enrolment_ids: list[int], all_numbers: bool = False
) -> tuple[list[str], list[int]]:
    """Issue what is due to these learners of ``cohort``, without committing: the numbers
    issued now (with ``all_numbers``, also those issued before) and the new certificates' ids."""
    from ent_plugins.training import certificates, service

    enrolments = list(
        sdk.db.session.scalars(
            select(Enrolment)
            .where(Enrolment.id.in_(enrolment_ids), Enrolment.status == service.ACTIVE)
            .order_by(Enrolment.id)
            .execution_options(ent_all_workspaces=True)
        )
    )
    results = service.outcomes_many(cohort, enrolments)
    met = [(e, results[e.id][1].grade) for e in enrolments if results[e.id][1].met]
    issued = certificates.issue_many(cohort, met)
    numbers = [item.number for item in issued.values() if item.created or all_numbers]
    return numbers, [item.certificate_id for item in issued.values() if item.created]


def _queue_mails(certificate_ids: list[int]) -> None:
    """The certificate-ready mails, after the commit that made the rows visible (one job for
    the batch; if queuing fails, the sweep finds the mails still due)."""
    if certificate_ids:
        sdk.enqueue(
            mail_certificates,
            certificate_ids,
            job_id=f"training-mail-{certificate_ids[0]}-{certificate_ids[-1]}",
        )


def issue_for_cohort(cohort_id: int) -> list[str]:
    """The trainer's bulk issue: look at every active learner of the cohort; numbers issued."""
    from ent_plugins.training import service

    cohort = _get(Cohort, cohort_id)
    if cohort is None:
        return []
    service.flag_for_evaluation(
        [e.id for e in cohort.enrolments if e.status == service.ACTIVE], commit=True
    )
    return evaluate_cohort(cohort_id)


def sweep() -> int:
    """Every minute (``ent_schedules``): queue again what a lost job would leave behind:
    cohorts with learners flagged for more than a minute, and certificate-ready mails still
    due after five minutes (for two days; after that, nobody waits for that mail any more)."""
    now = sdk.utcnow()
    live = sdk.public_workspace_ids("training")
    cohorts = sdk.db.session.scalars(
        select(Enrolment.cohort_id)
        .where(
            Enrolment.evaluation_requested_at < now - STALE_REQUEST,
            Enrolment.workspace_id.in_(live),
        )
        .distinct()
        .execution_options(ent_all_workspaces=True)
    ).all()
    for cohort_id in cohorts:
        sdk.enqueue(evaluate_cohort, cohort_id, job_id=f"training-evaluate-cohort-{cohort_id}")
    due = sdk.db.session.scalars(
        select(Certificate.id)
        .where(
            Certificate.notified_at.is_(None),
            Certificate.issued_at < now - MAIL_GRACE,
            Certificate.issued_at > now - MAIL_GIVE_UP,
            Certificate.workspace_id.in_(live),
        )
        .order_by(Certificate.id)
        .execution_options(ent_all_workspaces=True)
    ).all()
    for start in range(0, len(due), BATCH):
        batch = list(due[start : start + BATCH])
        sdk.enqueue(mail_certificates, batch, job_id=f"training-mail-{batch[0]}-{batch[-1]}")
    return len(cohorts) + len(due)


def mail_certificates(certificate_ids: list[int]) -> int:
    """Tell each learner their certificate is ready, with its public link; how many were told.

    The batch is claimed first (``notified_at`` set where it was empty, in one committed
    statement), so two runs never send the same mail; if sending fails, the mails not sent
    are given back and the job is retried.
    """
    from ent_plugins.training import certificates

    if not certificate_ids:
        return 0
    claimed = sdk.db.session.scalars(
        update(Certificate)
        .where(Certificate.id.in_(certificate_ids), Certificate.notified_at.is_(None))
        .values(notified_at=sdk.utcnow())
        .returning(Certificate.id)
        .execution_options(synchronize_session=False, ent_all_workspaces=True)
    ).all()
    sdk.db.session.commit()
    rows = sdk.db.session.scalars(
        select(Certificate)
        .where(Certificate.id.in_(claimed))
        .options(joinedload(Certificate.user), joinedload(Certificate.workspace))
        .order_by(Certificate.id)
        .execution_options(ent_all_workspaces=True)
    ).all()
    told = [c for c in rows if c.user is not None]  # a deleted account: nobody to tell
    try:
        # one delivery job and SMTP session per 50 messages (sdk.send_mails)
        sdk.send_mails(_certificate_mail(c, certificates.verify_url(c)) for c in told)
    except Exception:
        sdk.db.session.rollback()
        sdk.db.session.execute(
            update(Certificate)
            .where(Certificate.id.in_(claimed))
            .values(notified_at=None)
            .execution_options(synchronize_session=False, ent_all_workspaces=True)
        )
        sdk.db.session.commit()
        raise
    return len(told)


def mail_certificate(certificate_id: int) -> bool:
    """One certificate's mail (jobs queued before mails went by batch call this)."""
    return mail_certificates([certificate_id]) == 1


def _certificate_mail(certificate: Certificate, url: str) -> Any:
    """The certificate-ready message, in the learner's language."""
    with force_locale(_locale(certificate.user)):
        subject = sdk._("Your certificate: %(course)s", course=certificate.course_title)
        text = sdk._(
            "Congratulations! %(issuer)s issued your certificate for %(course)s.\n\n"
            "Anyone can check it here: %(url)s\n",
            issuer=certificate.issuer_name,
            course=certificate.course_title,
            url=url,
        )
    return sdk.Mail(certificate.recipient_email, str(subject), str(text))


def mail_promoted(enrolment_id: int) -> bool:
    """A seat freed up: the first learner on the waiting list now has it."""
    enrolment = _get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.status != "enrolled":
        return False
    cohort = enrolment.cohort
    with force_locale(_locale(enrolment.user)):
        subject = sdk._("A seat is yours: %(cohort)s", cohort=cohort.name)
        text = sdk._(
            "A seat freed up in %(cohort)s (%(course)s) and you are now enrolled.\n\n%(url)s\n",
            cohort=cohort.name,
            course=cohort.course.title,
            url=sdk.external_url(
                "training.cohort", workspace=cohort.course.workspace.slug, cohort_id=cohort.id
            ),
        )
    sdk.send_mail(enrolment.user.email, subject, text)
    return True


def mail_cohort(cohort_id: int, subject: str, body: str, sender_id: int | None = None) -> int:
    """The trainer's message to every enrolled learner of a cohort; returns how many."""
    cohort = _get(Cohort, cohort_id)
    if cohort is None:
        return 0
    return sdk.send_mails(
        sdk.Mail(enrolment.user.email, f"[{cohort.name}] {subject}", body)
        for enrolment in cohort.enrolments
        if enrolment.status == "enrolled" and enrolment.user is not None
    )
