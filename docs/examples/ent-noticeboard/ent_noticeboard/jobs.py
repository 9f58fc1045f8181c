"""Background work: tell the members about a pinned notice, each in their own language."""

from __future__ import annotations

from ent_core import sdk
from flask import current_app
from flask_babel import force_locale

from ent_noticeboard.models import Notice


def mail_pinned_notice(notice_id: int) -> int:
    """Mail every member but the author; returns how many mails were queued.

    Runs in a worker (or inline without Redis): it receives an id and reloads the notice, and
    does nothing if the notice was unpinned or deleted in the meantime.
    """
    # A worker has no current workspace (tenancy fails closed): the notice says which it is.
    with sdk.all_workspaces():
        notice = sdk.db.session.get(Notice, notice_id)
    if notice is None or not notice.pinned:
        return 0
    link = sdk.external_url(
        "noticeboard.show", workspace=notice.workspace.slug, notice_id=notice.id
    )
    default = current_app.config.get("BABEL_DEFAULT_LOCALE", "fr")
    sent = 0
    for member in sdk.workspace_members(notice.workspace):
        if member.id == notice.author_id:
            continue
        with force_locale(member.locale or default):
            subject = sdk._(
                "[%(workspace)s] Pinned: %(title)s",
                workspace=notice.workspace.name,
                title=notice.title,
            )
            text = sdk._(
                "A notice was pinned on the notice board of %(workspace)s:\n\n"
                "%(title)s\n\n%(body)s\n\nRead it here: %(link)s",
                workspace=notice.workspace.name,
                title=notice.title,
                body=notice.body,
                link=link,
            )
        sdk.send_mail(member.email, subject, text)
        sent += 1
    return sent
