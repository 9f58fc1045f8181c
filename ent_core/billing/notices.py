"""Mail to a workspace's owners about its invoices and subscription (sent through jobs)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from ent_core.billing.models import Invoice
from ent_core.db import db
from ent_core.identity.models import User
from ent_core.mail import send_mail
from ent_core.workspaces.models import Membership


def billing_contacts(workspace: Any) -> list[str]:
    """Addresses of the workspace's owners: they hold the purse."""
    return list(
        db.session.scalars(
            db.select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.workspace_id == workspace.id, Membership.role == "owner")
            .order_by(User.id)
            .execution_options(ent_workspace_id=workspace.id)
        )
    )


def _invoice_text(invoice: Invoice) -> str:
    from ent_core.billing.providers import get_provider
    from ent_core.sdk import external_url

    url = external_url("billing.invoice", workspace=invoice.workspace.slug, number=invoice.number)
    lines = [
        _(
            "Invoice %(number)s for %(workspace)s",
            number=invoice.number,
            workspace=invoice.customer_name,
        ),
        _("Total: %(amount)s %(currency)s", amount=invoice.total, currency=invoice.currency),
    ]
    if invoice.sponsor_name:
        lines.append(
            _(
                "Paid by %(sponsor)s: %(amount)s %(currency)s",
                sponsor=invoice.sponsor_name,
                amount=invoice.sponsor_share,
                currency=invoice.currency,
            )
        )
    lines.append(
        _(
            "Your share: %(amount)s %(currency)s",
            amount=invoice.subscriber_share,
            currency=invoice.currency,
        )
    )
    lines.append(_("Due on %(date)s.", date=invoice.due_at.strftime("%Y-%m-%d")))
    lines += ["", get_provider("bank_transfer").instructions(invoice), "", url]
    return "\n".join(lines)


def invoice_issued(invoice: Invoice) -> None:
    if invoice.status != "issued":
        return
    text = _invoice_text(invoice)
    for email in billing_contacts(invoice.workspace):
        send_mail(email, _("New invoice %(number)s", number=invoice.number), text)


def payment_reminder(invoice: Invoice) -> None:
    text = _invoice_text(invoice)
    for email in billing_contacts(invoice.workspace):
        send_mail(email, _("Reminder: invoice %(number)s is unpaid", number=invoice.number), text)


def subscription_expired(workspace: Any) -> None:
    text = _(
        "The subscription of %(workspace)s has ended. Modules of its plan are switched off; "
        "their data is kept and comes back when you subscribe again.",
        workspace=workspace.name,
    )
    for email in billing_contacts(workspace):
        send_mail(email, _("Subscription ended: %(workspace)s", workspace=workspace.name), text)
