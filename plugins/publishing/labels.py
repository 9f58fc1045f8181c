"""Translated names of states, transitions and fields, shared by pages and mails."""

from __future__ import annotations

from ent_core import sdk

_l = sdk._l

EDITORIAL_LABELS = {
    "draft": _l("Draft"),
    "in_review": _l("In review"),
    "changes_requested": _l("Changes requested"),
    "approved": _l("Approved"),
}
PUBLICATION_LABELS = {
    "unpublished": _l("Unpublished"),
    "scheduled": _l("Scheduled"),
    "published": _l("Published"),
    "withdrawn": _l("Withdrawn"),
}
TRANSITION_LABELS = {
    "submit": _l("Submit for review"),
    "request_changes": _l("Request changes"),
    "approve": _l("Approve"),
    "publish": _l("Publish now"),
    "schedule": _l("Schedule"),
    "unschedule": _l("Cancel the schedule"),
    "withdraw": _l("Withdraw"),
}
LANGUAGE_LABELS = {"fr": _l("French"), "en": _l("English"), "ar": _l("Arabic")}
FIELD_LABELS = {
    "title": _l("Title"),
    "standfirst": _l("Standfirst"),
    "body": _l("Body"),
    "body_format": _l("Body format"),
    "language": _l("Language"),
    "slug": _l("Address (slug)"),
    "sectors": _l("Sectors"),
    "tags": _l("Tags"),
    "author_ids": _l("Authors"),
    "seo_title": _l("Title for search engines"),
    "seo_description": _l("Description for search engines"),
    "canonical_url": _l("Canonical address"),
    "cover_alt": _l("Cover description (alternative text)"),
}
REASON_LABELS = {"create": _l("Created"), "save": _l("Saved"), "restore": _l("Restored")}
BADGE_CLASSES = {
    "draft": "muted",
    "in_review": "warn",
    "changes_requested": "danger",
    "approved": "ok",
    "unpublished": "muted",
    "scheduled": "warn",
    "published": "ok",
    "withdrawn": "danger",
}
