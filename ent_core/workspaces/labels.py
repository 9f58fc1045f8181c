"""Translated labels of the workspace vocabulary (kinds, sectors, statuses, module categories)."""

from __future__ import annotations

from typing import Any

from ent_core.lazytext import lazy_gettext as _l

KIND_LABELS: dict[str, Any] = {
    "media": _l("Media"),
    "auto_entrepreneur": _l("Auto-entrepreneur"),
    "association": _l("Association"),
    "training_centre": _l("Training centre"),
}

SECTOR_LABELS: dict[str, Any] = {
    "it": _l("IT"),
    "green": _l("Green economy"),
    "civil_society": _l("Civil society"),
    "culture": _l("Culture"),
    "economy": _l("Economy"),
    "tourism": _l("Tourism"),
}

STATUS_LABELS: dict[str, Any] = {
    "pending": _l("Awaiting approval"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "suspended": _l("Suspended"),
}

#: The categories a plugin may declare (``PluginMeta.category``): a vocabulary of kinds of
#: module, not a list of plugins. A category not listed shows as its code, capitalised.
CATEGORY_LABELS: dict[str, Any] = {
    "content": _l("Content and publishing"),
    "education": _l("Education and training"),
    "organisation": _l("Organisation and governance"),
    "advertising": _l("Advertising"),
    "commerce": _l("Commerce"),
    "communication": _l("Communication"),
    "community": _l("Community"),
    "other": _l("Other"),
}


def label(mapping: dict[str, Any], code: str) -> Any:
    """The translated label of ``code``, or the code itself for values added later."""
    return mapping.get(code, code.replace("_", " ").capitalize())


def role_label(role: str) -> Any:
    """A role's label as its declaring plugin (or the core) wrote it."""
    from flask import current_app

    declared = current_app.extensions["ent.permissions"].roles.get(role)
    return declared.label if declared is not None else role
