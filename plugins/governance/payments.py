"""Dues: rates, payments recorded by the treasurer or made online, receipts, reminders.

Receipt numbers are ``<year>-<sequence>`` per association and calendar year of payment
(``2026-00007``), taken from a counter row per year (:class:`ReceiptCounter`) by a locking
``UPDATE``; the unique key (workspace, number) backs it up, and a cancelled payment keeps its
number, so none is ever reused. Statements work in a request and inside
``sdk.in_workspace`` (the reminder schedule).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ent_plugins.governance import dues
from ent_plugins.governance.members import csv_safe
from ent_plugins.governance.models import (
    DuesPayment,
    DuesRate,
    Member,
    MemberCategory,
    ReceiptCounter,
)
from flask_babel import force_locale
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ent_core import sdk

_ = sdk._
CASH, TRANSFER, CHEQUE, ONLINE = "cash", "transfer", "cheque", "online"
RECORDED_METHODS = (CASH, TRANSFER, CHEQUE)
METHODS = (*RECORDED_METHODS, ONLINE)
#: The platform's own bank transfer pays the platform's invoices, not an association's dues.
NOT_FOR_DUES = frozenset({"bank_transfer"})


def method_label(method: str) -> str:
    labels = {
        CASH: _("cash"),
        TRANSFER: _("bank transfer"),
        CHEQUE: _("cheque"),
        ONLINE: _("online"),
    }
    return labels.get(method, method)


# -- rates ----------------------------------------------------------------------------------
def rates() -> list[DuesRate]:
    statement = select(DuesRate).options(joinedload(DuesRate.category))
    return list(sdk.db.session.scalars(statement.order_by(DuesRate.year.desc(), DuesRate.id)))


def set_rate(category: MemberCategory, year: int, amount: Decimal) -> DuesRate:
    """Set what a member of ``category`` owes for ``year`` (replacing an earlier rate)."""
    if not 1900 <= year <= 2200:
        raise sdk.UserError("validation_error", _("Give a year like 2026."), field="year")
    if amount < 0:
        raise sdk.UserError("validation_error", _("An amount cannot be negative."), field="amount")
    rate = sdk.db.session.scalar(
        select(DuesRate).where(DuesRate.category_id == category.id, DuesRate.year == year)
    )
    if rate is None:
        rate = DuesRate(workspace_id=category.workspace_id, category_id=category.id, year=year)
        sdk.db.session.add(rate)
    rate.amount = sdk.Money(amount).amount
    sdk.audit(
        "governance.dues_rate_set",
        details={"category": category.code, "year": year, "amount": str(rate.amount)},
    )
    sdk.db.session.commit()
    return rate


# -- payments -------------------------------------------------------------------------------
def _next_receipt(workspace_id: int, year: int) -> str:
    """The next receipt number of ``year``; the counter's row stays locked until the payment
    commits, so payments recorded at once take turns and each gets its own number."""
    counter = ReceiptCounter.__table__
    for _attempt in range(3):
        taken = sdk.db.session.execute(
            update(ReceiptCounter)
            .where(ReceiptCounter.year == year)
            .values(last_number=ReceiptCounter.last_number + 1)
            .returning(ReceiptCounter.last_number)
        ).scalar()
        if taken is not None:
            return f"{year}-{taken:05d}"
        try:
            with sdk.db.session.begin_nested():
                sdk.db.session.execute(
                    counter.insert().values(
                        workspace_id=workspace_id, year=year, last_number=_highest_receipt(year)
                    )
                )
        except IntegrityError:  # another payment made the year's counter a moment ago
            continue
    raise sdk.UserError("busy", _("Try again in a moment."), 503)  # pragma: no cover


def _highest_receipt(year: int) -> int:
    """The highest sequence already printed for ``year`` (receipts written before the counter
    existed, by an import or the demo), where the year's counter starts."""
    prefix = f"{year}-"
    numbers = sdk.db.session.scalars(
        select(DuesPayment.receipt_number).where(DuesPayment.receipt_number.like(f"{prefix}%"))
    )
    tails = (n[len(prefix) :] for n in numbers)
    return max((int(t) for t in tails if t.isdigit()), default=0)


def _lock_member(member: Member) -> None:
    """Payments of one member take turns (PostgreSQL: a row lock; SQLite: the write lock)."""
    sdk.db.session.execute(
        update(Member).where(Member.id == member.id).values(reminded_at=Member.reminded_at)
    )


def record_payment(
    member: Member,
    *,
    year: int,
    amount: Decimal,
    method: str,
    paid_on: date,
    reference: str = "",
    actor: Any = None,
) -> DuesPayment:
    """Record dues ``member`` paid for ``year`` (all of it, or a part: instalments add up);
    refused once that year is paid in full."""
    if method not in METHODS:
        raise sdk.UserError("validation_error", _("Choose how it was paid."), field="method")
    if not 1900 <= year <= 2200:
        raise sdk.UserError("validation_error", _("Give a year like 2026."), field="year")
    if amount <= 0:
        raise sdk.UserError("validation_error", _("Give the amount paid."), field="amount")
    if paid_on > sdk.local_today():
        raise sdk.UserError(
            "validation_error", _("A payment cannot be dated in the future."), field="paid_on"
        )
    _lock_member(member)
    rate = dues.rate_for(member.category_id, year)
    paid = dues.paid_for(member.id, year)
    if (rate and paid >= rate) or (not rate and paid > 0):
        raise sdk.UserError(
            "already_paid",
            _("The dues of %(year)s are already recorded for this member.", year=year),
            409,
            field="year",
        )
    payment = DuesPayment(
        workspace_id=member.workspace_id,
        member_id=member.id,
        year=year,
        amount=sdk.Money(amount).amount,
        method=method,
        paid_on=paid_on,
        reference=reference.strip()[:120],
        receipt_number=_next_receipt(member.workspace_id, paid_on.year),
        recorded_by_id=actor.id if actor is not None else None,
    )
    sdk.db.session.add(payment)
    sdk.db.session.flush()
    sdk.audit(
        "governance.dues_paid",
        subject=f"governance_member:{member.id}",
        actor=actor,
        details={"receipt": payment.receipt_number, "year": year, "amount": str(payment.amount)},
    )
    sdk.db.session.commit()
    return payment


def cancel_payment(payment: DuesPayment, actor: Any = None) -> DuesPayment:
    """Cancel a payment recorded in error: it stays, with its receipt number, marked cancelled."""
    done = sdk.db.session.execute(
        update(DuesPayment)
        .where(DuesPayment.id == payment.id, DuesPayment.cancelled_at.is_(None))
        .values(cancelled_at=sdk.utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if done != 1:
        sdk.db.session.rollback()
        raise sdk.UserError(
            "invalid_transition",
            _("This payment is already cancelled."),
            409,
            details={"allowed": []},
        )
    sdk.audit(
        "governance.dues_cancelled",
        subject=f"governance_member:{payment.member_id}",
        actor=actor,
        details={"receipt": payment.receipt_number},
    )
    sdk.db.session.commit()
    sdk.db.session.refresh(payment)
    return payment


def payments_statement(member_id: int | None = None, year: int | None = None) -> Any:
    statement = sdk.scoped(DuesPayment).options(joinedload(DuesPayment.member))
    if member_id is not None:
        statement = statement.where(DuesPayment.member_id == member_id)
    if year is not None:
        statement = statement.where(DuesPayment.year == year)
    return statement


def history(member: Member) -> list[DuesPayment]:
    statement = select(DuesPayment).where(DuesPayment.member_id == member.id)
    return list(sdk.db.session.scalars(statement.order_by(DuesPayment.year.desc())))


def export_csv(payments: Iterable[DuesPayment]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            "receipt_number",
            "member_number",
            "member_name",
            "year",
            "amount",
            "currency",
            "method",
            "paid_on",
            "reference",
            "cancelled",
        ]
    )
    for p in payments:
        writer.writerow(
            [
                p.receipt_number,
                csv_safe(p.member.number),
                csv_safe(p.member.name),
                p.year,
                str(p.amount),
                "MAD",
                p.method,
                p.paid_on.isoformat(),
                csv_safe(p.reference),
                "yes" if p.cancelled_at else "",
            ]
        )
    return out.getvalue()


# -- online payments ------------------------------------------------------------------------
@dataclass(frozen=True)
class DuesOrder:
    """What a payment provider is asked to check: a member's dues for one year.

    It has the fields providers read on an invoice (``number``, ``total``,
    ``subscriber_share``, ``currency``, ``workspace``), so the providers of
    ``ent_payment_providers`` check it the same way.
    """

    number: str
    total: Decimal
    currency: str
    workspace: Any
    member_id: int
    year: int

    @property
    def subscriber_share(self) -> Decimal:
        return self.total


def online_providers() -> dict[str, Any]:
    """The payment providers installed for this workspace that can take a member's dues."""
    found: dict[str, Any] = {}
    for batch in sdk.workspace_hooks().ent_payment_providers():
        for provider in batch or ():
            if provider.name not in NOT_FOR_DUES:
                found.setdefault(provider.name, provider)
    return found


def remaining(member: Member, year: int) -> Decimal:
    """What ``member`` still owes for ``year`` (zero when no rate is set)."""
    rate = dues.rate_for(member.category_id, year)
    if not rate:
        return Decimal(0)
    return max(rate - dues.paid_for(member.id, year), Decimal(0))


def dues_order(member: Member, year: int) -> DuesOrder:
    """The order for what ``member`` still owes for ``year`` at their category's rate."""
    amount = remaining(member, year)
    if amount <= 0:
        raise sdk.UserError(
            "no_dues", _("No dues are set for %(year)s in this category.", year=year), 409
        )
    return DuesOrder(
        number=f"DUES-{member.number}-{year}",
        total=amount,
        currency="MAD",
        workspace=sdk.current_workspace(),
        member_id=member.id,
        year=year,
    )


def pay_online(member: Member, year: int, provider_name: str, reference: str) -> DuesPayment:
    """The member paid their own dues of ``year`` through a provider: it checks the payment
    reference (``PaymentError`` refuses), then the payment is recorded with its receipt."""
    user = sdk.current_user
    if member.user_id != user.id:
        raise sdk.UserError("forbidden", _("Only the member pays their own dues online."), 403)
    provider = online_providers().get(provider_name)
    if provider is None:
        raise sdk.UserError("validation_error", _("Choose a way to pay."), field="provider")
    if not reference.strip():
        raise sdk.UserError(
            "validation_error", _("Give the payment's reference."), field="reference"
        )
    order = dues_order(member, year)
    provider.confirm(order, reference.strip(), user)
    return record_payment(
        member,
        year=year,
        amount=order.total,
        method=ONLINE,
        paid_on=sdk.local_today(),
        reference=f"{provider.name}:{reference.strip()}",
        actor=user,
    )


# -- receipts -------------------------------------------------------------------------------
def receipt_pdf(payment: DuesPayment, workspace: Any) -> bytes:
    """The receipt of ``payment`` as an A4 PDF in the member's language (Arabic right to left)."""
    member = payment.member
    with force_locale(member.language or "fr"):
        kit = sdk.pdf
        pdf = kit.new_document(format="A4")
        family, align = kit.FONT_FAMILY, kit.start_align()
        title = _("Receipt for membership dues")
        pdf.set_title(f"{title} {payment.receipt_number}")
        pdf.add_page()
        pdf.set_font(family, "B", 16)
        pdf.cell(0, 10, kit.isolate(workspace.name), align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "B", 14)
        pdf.cell(0, 10, title, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 11)
        lines = [
            _("Receipt number: %(number)s", number=kit.ltr(payment.receipt_number)),
            _("Member: %(name)s", name=kit.isolate(member.name)),
            _("Membership number: %(number)s", number=kit.ltr(member.number)),
            _("Dues for the year %(year)s", year=kit.ltr(payment.year)),
            _("Amount: %(amount)s", amount=kit.pdf_money(payment.amount, "MAD")),
            _(
                "Paid on %(date)s by %(method)s",
                date=kit.pdf_date(payment.paid_on),
                method=method_label(payment.method),
            ),
        ]
        if payment.cancelled_at is not None:
            lines.append(_("This payment was cancelled."))
        pdf.ln(4)
        for line in lines:
            pdf.multi_cell(0, 8, line, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.cell(0, 8, _("The treasurer"), align=kit.end_align(), new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())


# -- reminders ------------------------------------------------------------------------------
def reminder_days(workspace: Any) -> int:
    return int(sdk.plugin_settings("governance", workspace=workspace).get("reminder_days", 30))


def send_reminders(workspace: Any, day: date) -> int:
    """Mail each late or lapsed member (with an e-mail, still on the registry) a reminder in
    their language, unless one went to them in the last ``reminder_days``; how many sent.

    The claim is one guarded ``UPDATE`` of ``reminded_at``: a button pressed twice and the
    schedule running at the same time send one mail per member, not two.
    """
    with sdk.in_workspace(workspace):
        standings = dues.registry_standings(day)
        behind = [i for i, s in standings.items() if s.status != dues.UP_TO_DATE]
        if not behind:
            return 0
        now = sdk.utcnow()
        before = now - timedelta(days=reminder_days(workspace))
        claimed = list(
            sdk.db.session.scalars(
                update(Member)
                .where(
                    Member.id.in_(behind),
                    Member.email.is_not(None),
                    or_(Member.reminded_at.is_(None), Member.reminded_at <= before),
                )
                .values(reminded_at=now)
                .returning(Member.id)
            )
        )
        told = sdk.db.session.scalars(select(Member).where(Member.id.in_(claimed)))
        mails = [_reminder(m, standings[m.id], workspace) for m in told]
        sdk.send_mails(mails)
        if mails:
            sdk.audit(
                "governance.dues_reminded", workspace=workspace, details={"count": len(mails)}
            )
        sdk.db.session.commit()
        return len(mails)


def _reminder(member: Member, standing: dues.Standing, workspace: Any) -> Any:
    with force_locale(member.language or "fr"):
        subject = _("%(association)s: your membership dues", association=workspace.name)
        text = _(
            "Dear %(name)s,\n\nOur records show unpaid membership dues for %(years)s "
            "(%(amount)s in all). You can pay the treasurer, or online from your membership "
            "page: %(url)s\n\nIf you have paid already, please ignore this message.\n\n"
            "%(association)s\n",
            name=member.name,
            years=", ".join(str(y) for y in sorted(standing.unpaid_years)),
            amount=sdk.Money(standing.due).format(),
            url=sdk.external_url("governance.my_membership", workspace=workspace.slug),
            association=workspace.name,
        )
    return sdk.Mail(member.email or "", str(subject), str(text))


def remind_all() -> int:
    """The schedule: remind the late members of every association with the module on."""
    total = 0
    with sdk.all_workspaces():
        workspaces = list(_workspaces_with_registry())
    for workspace in workspaces:
        total += send_reminders(workspace, sdk.local_today(workspace=workspace))
    return total


def _workspaces_with_registry() -> Iterable[Any]:
    """Approved workspaces with governance on that have at least one member."""
    ids = sdk.db.session.scalars(
        select(func.distinct(Member.workspace_id)).where(
            Member.workspace_id.in_(sdk.public_workspace_ids("governance"))
        )
    )
    for workspace_id in list(ids):
        member = sdk.db.session.scalar(
            select(Member).where(Member.workspace_id == workspace_id).limit(1)
        )
        yield member.workspace
