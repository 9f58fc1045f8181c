"""An order's thread: messages between buyer and seller, with checked attachments.

Files are checked by content (``sdk.check_upload``) and stored only once the whole message
is accepted; they are served to the two sides and platform administrators only (the views
check access first). A seller's first message counts as its first answer.
"""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.models import Order, OrderAttachment, OrderMessage
from ent_plugins.marketplace.order_effects import record_first_answer
from ent_plugins.marketplace.order_mail import BUYER, SELLER, notify

from ent_core import sdk

ALLOWED = ("image/png", "image/jpeg", "image/webp", "application/pdf")
MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024


def messages(order: Order) -> list[OrderMessage]:
    with sdk.in_workspace(order.workspace_id):
        return list(
            sdk.db.session.scalars(
                sdk.db.select(OrderMessage)
                .where(OrderMessage.order_id == order.id)
                .order_by(OrderMessage.id)
            )
        )


def post(order: Order, side: str, author: Any, body: str, files: list[Any] = ()) -> OrderMessage:  # type: ignore[assignment]
    """Add a message (422 ``validation_error`` when empty; ``upload_rejected`` for a file)."""
    text = (body or "").strip()
    files = [f for f in files if f is not None and getattr(f, "filename", "")]
    if not text:
        raise sdk.UserError("validation_error", sdk._("Write a message."), field="body")
    if len(files) > MAX_FILES:
        raise sdk.UserError(
            "validation_error",
            sdk._("Attach at most %(count)s files.", count=MAX_FILES),
            field="files",
        )
    checked = [sdk.check_upload(f, allowed=ALLOWED, max_bytes=MAX_BYTES) for f in files]
    with sdk.in_workspace(order.workspace_id):
        message = OrderMessage(
            workspace_id=order.workspace_id,
            order_id=order.id,
            side=side,
            author_id=getattr(author, "id", None),
            body=text[:10000],
        )
        for upload in checked:
            stored = upload.store()
            message.attachments.append(
                OrderAttachment(
                    workspace_id=order.workspace_id,
                    file_token=stored.key,
                    file_name=(stored.original_name or "file")[:200],
                    content_type=stored.content_type,
                    size=stored.size,
                )
            )
        sdk.db.session.add(message)
        sdk.db.session.flush()
        if side == SELLER:
            record_first_answer(order)
    notify(order, "message", to=(BUYER,) if side == SELLER else (SELLER,), note=text[:500])
    return message


def attachment(order: Order, attachment_id: int) -> OrderAttachment:
    """A file of ``order``'s thread (the caller already checked who may see the order)."""
    with sdk.in_workspace(order.workspace_id):
        found = sdk.db.session.scalar(
            sdk.db.select(OrderAttachment)
            .join(OrderMessage, OrderMessage.id == OrderAttachment.message_id)
            .where(OrderAttachment.id == attachment_id, OrderMessage.order_id == order.id)
        )
    if found is None:
        sdk.abort(404)
    return found
