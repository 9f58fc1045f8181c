"""Trust signals: what the platform can prove about a workspace, shown to buyers.

A *platform* hook (``ent_trust_signals``): every installed module says what it knows of the
workspace (the core: vetted, charter signed; training: certificates its members hold; the
marketplace: completed sales), and the page that shows them calls ``trust_signals`` once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app


@dataclass(frozen=True, slots=True)
class TrustSignal:
    """One mark: a stable ``code`` (explained on /marketplace/trust), a short label, a detail,
    a public page proving it, and since when it holds."""

    code: str
    label: str
    detail: str = ""
    url: str | None = None
    since: datetime | None = None


def trust_signals(workspace: Any) -> list[TrustSignal]:
    """Every installed module's signals for ``workspace``, in hook order (core first)."""
    if workspace is None:
        return []
    batches = current_app.extensions["ent"].hook.ent_trust_signals(workspace=workspace)
    return [signal for batch in batches for signal in batch or ()]
