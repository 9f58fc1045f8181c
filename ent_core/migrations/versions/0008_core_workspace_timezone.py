"""workspace time zone

Revision ID: core_0008
Revises: core_0007
Create Date: 2026-12-07 09:30:00.000000

The zone was a setting of the publishing plugin (``timezone`` in its activation's settings);
it is the workspace's now, for every module. A workspace whose newsroom had chosen a zone keeps
it, and the old setting leaves the plugin's settings.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "core_0008"
down_revision = "core_0007"
branch_labels = None
depends_on = None

DEFAULT = "Africa/Casablanca"

workspace = sa.table("workspace", sa.column("id", sa.Integer), sa.column("timezone", sa.String))
activation = sa.table(
    "plugin_activation",
    sa.column("id", sa.Integer),
    sa.column("workspace_id", sa.Integer),
    sa.column("plugin", sa.String),
    sa.column("settings", sa.JSON),
)


def _publishing_settings() -> list[Any]:
    return list(
        op.get_bind().execute(
            sa.select(activation.c.id, activation.c.workspace_id, activation.c.settings).where(
                activation.c.plugin == "publishing"
            )
        )
    )


def upgrade() -> None:
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("timezone", sa.String(length=64), server_default=DEFAULT, nullable=False)
        )
    known = zoneinfo.available_timezones()
    bind = op.get_bind()
    for row_id, workspace_id, settings in _publishing_settings():
        if not isinstance(settings, dict) or "timezone" not in settings:
            continue
        chosen = settings["timezone"]
        if isinstance(chosen, str) and chosen in known:
            bind.execute(
                workspace.update().where(workspace.c.id == workspace_id).values(timezone=chosen)
            )
        kept = {key: value for key, value in settings.items() if key != "timezone"}
        bind.execute(activation.update().where(activation.c.id == row_id).values(settings=kept))


def downgrade() -> None:
    bind = op.get_bind()
    zones = dict(bind.execute(sa.select(workspace.c.id, workspace.c.timezone)).all())
    for row_id, workspace_id, settings in _publishing_settings():
        restored = {**(settings or {}), "timezone": zones.get(workspace_id, DEFAULT)}
        bind.execute(activation.update().where(activation.c.id == row_id).values(settings=restored))
    # Never by copying the table (batch mode's way on SQLite): dropping the old one would
    # cascade to every membership and activation. SQLite has had DROP COLUMN since 3.35.
    with op.batch_alter_table("workspace", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("timezone")
