"""Rows every platform needs before anyone signs up: the sector list and the first charter."""

from __future__ import annotations

from ent_core.db import db


def ensure_reference_data() -> None:
    """Idempotent; runs after the core's migrations, in ``ent demo`` and in the test kit."""
    from ent_core.charter.service import ensure_default_charter
    from ent_core.workspaces.service import ensure_sectors

    ensure_sectors()
    db.session.commit()
    ensure_default_charter()
    from ent_core.billing.plans import ensure_plans
    from ent_core.billing.subsidies import ensure_programmes

    ensure_plans()
    ensure_programmes()
    db.session.commit()
