"""The events the core emits (declared through ``ent_event_types`` in ``default_hooks``)."""

from __future__ import annotations

from typing import Any

from ent_core.events.dispatch import emit
from ent_core.events.types import EventField, EventType

_SLUG = EventField(str, "the workspace's slug")
_REASON = EventField(str, "why, as the administrator wrote it")
_REPORT = EventField(int, "the charter report acted on, if any", optional=True)
_USER = EventField(int, "the member's user id")
_ROLE = EventField(str, "the member's core role (owner, admin, editor, member)")

CORE_EVENT_TYPES = [
    EventType(
        "workspace.approved",
        "A platform administrator approved the workspace's application.",
        {"slug": _SLUG, "kind": EventField(str, "the workspace's kind")},
        # No plugin can be on in a workspace before its approval: every installed one hears it.
        platform=True,
    ),
    EventType(
        "workspace.suspended",
        "The workspace was suspended for a breach of the ethics charter.",
        {"slug": _SLUG, "reason": _REASON, "report_id": _REPORT},
    ),
    EventType(
        "workspace.reinstated",
        "The workspace's suspension was lifted.",
        {"slug": _SLUG, "reason": _REASON, "report_id": _REPORT},
    ),
    EventType(
        "workspace.plugin_switched",
        "A module was switched on or off in the workspace.",
        {
            "plugin": EventField(str, "the module's name"),
            "enabled": EventField(bool, "on (true) or off (false) now"),
        },
    ),
    EventType(
        "invoice.paid",
        "A payment of the workspace's invoice was confirmed.",
        {
            "invoice_id": EventField(int, "the invoice's id"),
            "number": EventField(str, "the invoice number, as printed"),
            "amount": EventField(str, "what the workspace paid, a decimal string"),
            "currency": EventField(str, "ISO 4217 code of the amount"),
            "provider": EventField(str, "the payment provider's name"),
            "reference": EventField(str, "the provider's payment reference"),
        },
    ),
    EventType(
        "member.joined",
        "Someone became a member of the workspace by accepting an invitation.",
        {
            "user_id": _USER,
            "role": _ROLE,
            "invitation_id": EventField(int, "the invitation accepted"),
        },
    ),
    EventType(
        "member.left",
        "A member was removed from the workspace.",
        {
            "user_id": _USER,
            "role": _ROLE,
            "removed_by": EventField(int, "the user id of who removed them", optional=True),
        },
    ),
]


# The emitting sites call these: one line there, the payload's shape kept next to its type.
def emit_sanction(name: str, workspace: Any, reason: str, report: Any) -> None:
    """``workspace.suspended`` or ``workspace.reinstated``."""
    report_id = report.id if report is not None else None
    emit(name, workspace=workspace, slug=workspace.slug, reason=reason, report_id=report_id)


def emit_invoice_paid(invoice: Any) -> None:
    emit(
        "invoice.paid",
        workspace=invoice.workspace,
        invoice_id=invoice.id,
        number=invoice.number,
        amount=str(invoice.subscriber_share),
        currency=invoice.currency,
        provider=invoice.payment_provider,
        reference=invoice.payment_reference,
    )


def emit_member(name: str, membership: Any, **extra: Any) -> None:
    """``member.joined`` or ``member.left``, with what only the emitting site knows."""
    emit(
        name,
        workspace=membership.workspace_id,  # the row may not be flushed yet
        user_id=membership.user_id,
        role=membership.role,
        **extra,
    )
