"""Background work: issue certificates when the rule is met, mail a cohort, tell promoted learners.

Jobs receive ids, reload the rows (across workspaces: there is no current workspace in a worker)
and are idempotent: issuing relies on the certificate's unique key, not on the job running once.
"""

from __future__ import annotations

from typing import Any

from ent_plugins.training.models import Cohort, Enrolment
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from ent_core import sdk


def _get(model: Any, ident: int) -> Any:
    return sdk.db.session.scalar(
        select(model).where(model.id == ident).execution_options(ent_all_workspaces=True)
    )


def _locale(user: Any) -> str:
    return user.locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "fr")


def evaluate_enrolment(enrolment_id: int) -> str | None:
    """Issue the learner's certificate if the completion rule is met; returns its number."""
    from ent_plugins.training import certificates, service

    enrolment = _get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.status != service.ACTIVE:
        return None
    result = service.outcome(enrolment)
    if not result.met:
        return None
    certificate, created = certificates.issue_for(enrolment, grade=result.grade)
    if created:
        sdk.enqueue(mail_certificate, certificate.id, job_id=f"training-cert-mail-{certificate.id}")
    return certificate.number


def issue_for_cohort(cohort_id: int) -> list[str]:
    """Look at every active learner of a cohort (the trainer's bulk issue); numbers issued."""
    cohort = _get(Cohort, cohort_id)
    if cohort is None:
        return []
    numbers = []
    for enrolment in cohort.enrolments:
        number = evaluate_enrolment(enrolment.id)
        if number:
            numbers.append(number)
    return numbers


def mail_certificate(certificate_id: int) -> bool:
    """Tell the learner their certificate is ready, with its public link."""
    from ent_plugins.training import certificates
    from ent_plugins.training.models import Certificate

    certificate = _get(Certificate, certificate_id)
    if certificate is None or certificate.user is None:
        return False
    with force_locale(_locale(certificate.user)):
        subject = sdk._("Your certificate: %(course)s", course=certificate.course_title)
        text = sdk._(
            "Congratulations! %(issuer)s issued your certificate for %(course)s.\n\n"
            "Anyone can check it here: %(url)s\n",
            issuer=certificate.issuer_name,
            course=certificate.course_title,
            url=certificates.verify_url(certificate),
        )
    sdk.send_mail(certificate.recipient_email, subject, text)
    return True


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
    sent = 0
    for enrolment in cohort.enrolments:
        if enrolment.status != "enrolled" or enrolment.user is None:
            continue
        sdk.send_mail(enrolment.user.email, f"[{cohort.name}] {subject}", body)
        sent += 1
    return sent
