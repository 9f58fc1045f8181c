"""Certificates: numbering, issuing exactly once, expiry, revocation, the PDF with its QR code.

Exactly once: the row is written by one ``INSERT ... ON CONFLICT DO NOTHING`` on the unique key
(learner, course, cohort), with the signed credential already in it. When two jobs race, both
may sign, but only one row lands; the loser sees ``rowcount == 0`` and returns the winner's.
Nothing here needs a current workspace: the jobs call it with ids.
"""

from __future__ import annotations

import io
import secrets
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from ent_plugins.training.models import Certificate, Enrolment, StatusSlot
from sqlalchemy import insert, select

from ent_core import sdk

NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _all(statement: Any) -> Any:
    return statement.execution_options(ent_all_workspaces=True)


def new_number(moment: datetime) -> str:
    """``2026-K7QX-M2XD``: the year, then 8 random characters (not guessable, so the public
    pages cannot be walked to list every learner)."""
    token = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
    return f"{moment.year}-{token[:4]}-{token[4:]}"


def allocate_status_index() -> int:
    """A status-list position never handed out before (an autoincrement row, kept forever)."""
    slot = StatusSlot()
    sdk.db.session.add(slot)
    sdk.db.session.flush()
    return slot.id


def verify_url(certificate: Certificate, slug: str | None = None) -> str:
    return sdk.external_url(
        "training_public.verify",
        workspace=slug or certificate.workspace.slug,
        number=certificate.number,
    )


def credential_url(certificate: Certificate, slug: str | None = None) -> str:
    return sdk.external_url(
        "training_public.credential",
        workspace=slug or certificate.workspace.slug,
        number=certificate.number,
    )


def status_list_url(slug: str, key_id: str) -> str:
    """One list per workspace and signing key: verifiers want the list signed by the issuer of
    the credential, and earlier keys keep signing their own lists after a rotation."""
    return sdk.external_url("training_public.status_list", workspace=slug, key_id=key_id)


def find(user_id: int, course_id: int, cohort_id: int) -> Certificate | None:
    return sdk.db.session.scalar(
        _all(
            select(Certificate).where(
                Certificate.user_id == user_id,
                Certificate.course_id == course_id,
                Certificate.cohort_id == cohort_id,
            )
        )
    )


def issue_for(
    enrolment: Enrolment, grade: Decimal | None = None, now: datetime | None = None
) -> tuple[Certificate, bool]:
    """The learner's certificate for this cohort, created if missing: ``(certificate, created)``."""
    from ent_plugins.training import credentials

    cohort = enrolment.cohort
    course = cohort.course
    workspace = course.workspace
    existing = find(enrolment.user_id, course.id, cohort.id)
    if existing is not None:
        return existing, False
    issued_at = now or sdk.utcnow()
    expires_at = (
        issued_at + relativedelta(months=course.validity_months) if course.validity_months else None
    )
    number = new_number(issued_at)
    key_id = credentials.current_key_id()
    index = allocate_status_index()
    learner = enrolment.user
    recipient_name = learner.display_name if hasattr(learner, "display_name") else learner.name
    achievement_url = sdk.external_url(
        "training_public.course", workspace=workspace.slug, course_id=course.id
    )
    claim = credentials.CertificateClaim(
        certificate_id=sdk.external_url(
            "training_public.verify", workspace=workspace.slug, number=number
        ),
        number=number,
        recipient_email=learner.email,
        recipient_name=recipient_name,
        achievement_id=achievement_url,
        achievement_name=course.title,
        achievement_description=course.summary or course.title,
        criteria=course.criteria or sdk._("Completed the course and met its grading policy."),
        issuer_name=workspace.name,
        issuer_url=sdk.external_url("training_public.index", workspace=workspace.slug),
        issued_at=issued_at,
        expires_at=expires_at,
        status_list_url=status_list_url(workspace.slug, key_id),
        status_index=index,
    )
    signed = credentials.issue_credential(claim, issuer=key_id)
    values = dict(
        workspace_id=workspace.id,
        number=number,
        status_index=index,
        user_id=learner.id,
        course_id=course.id,
        cohort_id=cohort.id,
        recipient_name=recipient_name,
        recipient_email=learner.email,
        course_title=course.title,
        issuer_name=workspace.name,
        issuer_key=key_id,
        grade=grade,
        issued_at=issued_at,
        expires_at=expires_at,
        revoked_reason="",
        credential=signed,
    )
    # RETURNING tells who won: no row comes back when the conflict skipped the insert
    # (rowcount is not reliable for this statement on every driver).
    inserted = sdk.db.session.execute(_insert_once(values)).scalar_one_or_none()
    created = inserted is not None
    if created:
        # In the insert's transaction: the certificate and its record land together, and one
        # commit (not two) leaves fewer expired rows to reload (docs/performance.md, Training).
        sdk.audit(
            "training.certificate_issued",
            subject=f"certificate:{number}",
            workspace=workspace,
            details={"user": learner.id, "course": course.id},
        )
    key = (learner.id, course.id, cohort.id)
    sdk.db.session.commit()
    certificate = find(*key)
    assert certificate is not None
    return certificate, created


def _insert_once(values: dict[str, Any]) -> Any:
    """``INSERT ... ON CONFLICT (user, course, cohort) DO NOTHING RETURNING id``."""
    dialect = sdk.db.session.get_bind().dialect.name
    keys = ["user_id", "course_id", "cohort_id"]
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement = (
            pg_insert(Certificate).values(**values).on_conflict_do_nothing(index_elements=keys)
        )
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = (
            sqlite_insert(Certificate).values(**values).on_conflict_do_nothing(index_elements=keys)
        )
    else:  # other databases: the unique key still refuses a second row (with an error)
        statement = insert(Certificate).values(**values)
    return statement.returning(Certificate.id)


def revoke(certificate: Certificate, reason: str, actor: Any = None) -> bool:
    """Revoke with a reason (shown on the verification page); False if already revoked."""
    if certificate.revoked_at is not None:
        return False
    certificate.revoked_at = sdk.utcnow()
    certificate.revoked_reason = reason.strip()
    sdk.audit(
        "training.certificate_revoked",
        subject=f"certificate:{certificate.number}",
        details={"reason": certificate.revoked_reason},
    )
    sdk.db.session.commit()
    return True


def _font(pdf: Any) -> tuple[str, Any]:
    """DejaVu Sans where the system has it (accents, most scripts); Helvetica otherwise."""
    if DEJAVU.exists():
        pdf.add_font("DejaVu", "", str(DEJAVU))
        bold = DEJAVU.with_name("DejaVuSans-Bold.ttf")
        pdf.add_font("DejaVu", "B", str(bold if bold.exists() else DEJAVU))
        return "DejaVu", str
    return "Helvetica", lambda text: str(text).encode("latin-1", "replace").decode("latin-1")


def certificate_pdf(certificate: Certificate) -> bytes:
    """An A4 landscape certificate with a QR code of its public verification URL."""
    import segno
    from fpdf import FPDF

    url = verify_url(certificate)
    pdf = FPDF(orientation="L", format="A4")
    family, text = _font(pdf)
    pdf.set_title(text(sdk._("Certificate %(number)s", number=certificate.number)))
    pdf.set_creator("Smart Médias ENT")
    pdf.add_page()
    pdf.set_line_width(1)
    pdf.rect(10, 10, 277, 190)
    pdf.set_y(30)
    pdf.set_font(family, "B", 28)
    pdf.cell(
        0, 14, text(sdk._("Certificate of completion")), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font(family, "", 14)
    pdf.ln(6)
    pdf.cell(0, 8, text(sdk._("This certifies that")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "B", 22)
    pdf.cell(0, 14, text(certificate.recipient_name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 14)
    pdf.cell(0, 8, text(sdk._("completed the course")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "B", 18)
    pdf.multi_cell(0, 10, text(certificate.course_title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 12)
    pdf.ln(4)
    lines = [
        sdk._(
            "Issued by %(issuer)s on %(date)s",
            issuer=certificate.issuer_name,
            date=certificate.issued_at.strftime("%Y-%m-%d"),
        )
    ]
    if certificate.expires_at is not None:
        lines.append(
            sdk._("Valid until %(date)s", date=certificate.expires_at.strftime("%Y-%m-%d"))
        )
    lines.append(sdk._("Certificate number: %(number)s", number=certificate.number))
    for line in lines:
        pdf.cell(0, 7, text(line), align="C", new_x="LMARGIN", new_y="NEXT")
    qr = segno.make(url, error="m")
    png = io.BytesIO()
    qr.save(png, kind="png", scale=8, border=2)
    png.seek(0)
    pdf.image(png, x=237, y=150, w=40, h=40)
    pdf.set_xy(20, 178)
    pdf.set_font(family, "", 9)
    pdf.cell(210, 5, text(sdk._("Check this certificate: %(url)s", url=url)))
    return bytes(pdf.output())
