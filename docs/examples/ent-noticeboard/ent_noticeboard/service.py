"""Posting and pinning notices: the rules the pages and the API share."""

from __future__ import annotations

from typing import Any

from ent_core import sdk

from ent_noticeboard.models import Notice

TITLE_MAX = 200
BODY_MAX = 20_000


class NoticeError(Exception):
    """A refused change; ``field`` is the form field (and API field) to blame."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def pinned_count() -> int:
    """Pinned notices of the current workspace."""
    return sdk.db.session.scalar(
        sdk.db.select(sdk.db.func.count(Notice.id)).where(
            Notice.workspace_id == sdk.current_workspace().id, Notice.pinned.is_(True)
        )
    )


def _check_pin_room() -> None:
    limit = int(sdk.plugin_settings("noticeboard")["max_pinned"])
    if pinned_count() >= limit:
        raise NoticeError(
            sdk.ngettext(
                "At most %(num)d notice can be pinned; unpin one first.",
                "At most %(num)d notices can be pinned; unpin one first.",
                limit,
            ),
            field="pinned",
        )


def post_notice(*, title: str, body: str, pinned: bool, author: Any) -> Notice:
    """Create a notice in the current workspace (pinned ones notify the members)."""
    if pinned:
        _check_pin_room()
    notice = Notice(title=title.strip(), body=body, author_id=author.id)
    sdk.db.session.add(notice)
    if pinned:
        _pin(notice)
    sdk.db.session.commit()
    if pinned:
        _notify(notice)
    return notice


def set_pinned(notice: Notice, pinned: bool) -> None:
    """Pin or unpin; pinning respects the workspace's ``max_pinned`` setting."""
    if pinned == notice.pinned:
        return
    if pinned:
        _check_pin_room()
        _pin(notice)
    else:
        notice.pinned = False
        notice.pinned_at = None
    sdk.db.session.commit()
    if pinned:
        _notify(notice)


def delete_notice(notice: Notice) -> None:
    sdk.db.session.delete(notice)
    sdk.db.session.commit()


def _pin(notice: Notice) -> None:
    notice.pinned = True
    notice.pinned_at = sdk.utcnow()


def _notify(notice: Notice) -> None:
    from ent_noticeboard.jobs import mail_pinned_notice

    if sdk.plugin_settings("noticeboard")["notify_members"]:
        # The id, not the object: the job may run in a worker process.
        # One job per pinning: a retried enqueue of the same pinning mails nobody twice.
        stamp = int(notice.pinned_at.timestamp()) if notice.pinned_at else 0
        sdk.enqueue(mail_pinned_notice, notice.id, job_id=f"noticeboard-pinned-{notice.id}-{stamp}")
