"""create tables

Revision ID: ads_0001
Revises: -
Create Date: 2026-12-07 17:05:19.657282
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "ads_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ads_advertiser_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("monthly_billing", sa.Boolean(), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["granted_by_id"],
            ["user_account.id"],
            name=op.f("fk_ads_advertiser_terms_granted_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_ads_advertiser_terms_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ads_advertiser_terms")),
    )
    with op.batch_alter_table("ads_advertiser_terms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ads_advertiser_terms_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "ads_billing_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("invoice_number", sa.String(length=16), nullable=True),
        sa.Column("spend_micros", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_ads_billing_period_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ads_billing_period")),
        sa.UniqueConstraint(
            "workspace_id", "month", name=op.f("uq_ads_billing_period_workspace_id")
        ),
    )
    with op.batch_alter_table("ads_billing_period", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ads_billing_period_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "ads_campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("priority", sa.String(length=12), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pricing", sa.String(length=5), nullable=False),
        sa.Column("rate", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("budget", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("daily_budget", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("max_impressions", sa.Integer(), nullable=True),
        sa.Column("max_daily_impressions", sa.Integer(), nullable=True),
        sa.Column("max_clicks", sa.Integer(), nullable=True),
        sa.Column("max_daily_clicks", sa.Integer(), nullable=True),
        sa.Column("frequency_cap", sa.Integer(), nullable=True),
        sa.Column("frequency_hours", sa.Integer(), nullable=False),
        sa.Column("dayparts", sa.JSON(), nullable=False),
        sa.Column("pacing", sa.String(length=5), nullable=False),
        sa.Column("target_sectors", sa.JSON(), nullable=False),
        sa.Column("target_tags", sa.JSON(), nullable=False),
        sa.Column("target_languages", sa.JSON(), nullable=False),
        sa.Column("target_workspaces", sa.JSON(), nullable=False),
        sa.Column("target_placements", sa.JSON(), nullable=False),
        sa.Column("billing", sa.String(length=8), nullable=False),
        sa.Column("invoice_number", sa.String(length=16), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("spent", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("landing_url", sa.String(length=1000), nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["user_account.id"],
            name=op.f("fk_ads_campaign_approved_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_ads_campaign_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_ads_campaign_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ads_campaign")),
    )
    with op.batch_alter_table("ads_campaign", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ads_campaign_invoice_number"), ["invoice_number"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ads_campaign_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ads_campaign_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "ads_classified",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("body_format", sa.String(length=8), nullable=False),
        sa.Column("price", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("location", sa.String(length=120), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("contact_phone", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("renewals", sa.Integer(), nullable=False),
        sa.Column("boosted_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("free", sa.Boolean(), nullable=False),
        sa.Column("invoice_number", sa.String(length=16), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("moderated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_ads_classified_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["moderated_by_id"],
            ["user_account.id"],
            name=op.f("fk_ads_classified_moderated_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_ads_classified_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ads_classified")),
    )
    with op.batch_alter_table("ads_classified", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ads_classified_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ads_classified_invoice_number"), ["invoice_number"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ads_classified_published_at"), ["published_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ads_classified_sector"), ["sector"], unique=False)
        batch_op.create_index(batch_op.f("ix_ads_classified_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ads_classified_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "ads_placement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("sizes", sa.JSON(), nullable=False),
        sa.Column("formats", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("excluded_categories", sa.JSON(), nullable=False),
        sa.Column("site_url", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_ads_placement_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ads_placement")),
        sa.UniqueConstraint("public_id", name=op.f("uq_ads_placement_public_id")),
        sa.UniqueConstraint("workspace_id", "code", name=op.f("uq_ads_placement_workspace_id")),
    )
    with op.batch_alter_table("ads_placement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ads_placement_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "ads_campaign_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("from_status", sa.String(length=10), nullable=False),
        sa.Column("to_status", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user_account.id"],
            name=op.f("fk_ads_campaign_history_actor_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["ads_campaign.id"],
            name=op.f("fk_ads_campaign_history_campaign_id_ads_campaign"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_ads_campaign_history_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ads_campaign_history")),
    )
    with op.batch_alter_table("ads_campaign_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ads_campaign_history_campaign_id"), ["campaign_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ads_campaign_history_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "ads_classified_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("classified_id", sa.Integer(), nullable=False),
        sa.Column("file_token", sa.String(length=200), nullable=False),
        sa.Column("alt_text", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["classified_id"],
            ["ads_classified.id"],
            name=op.f("fk_ads_classified_image_classified_id_ads_classified"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_ads_classified_image_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ads_classified_image")),
    )
    with op.batch_alter_table("ads_classified_image", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ads_classified_image_classified_id"), ["classified_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ads_classified_image_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "ads_classified_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("classified_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=8), nullable=False),
        sa.Column("invoice_number", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["classified_id"],
            ["ads_classified.id"],
            name=op.f("fk_ads_classified_payment_classified_id_ads_classified"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_ads_classified_payment_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ads_classified_payment")),
        sa.UniqueConstraint(
            "invoice_number", name=op.f("uq_ads_classified_payment_invoice_number")
        ),
    )
    with op.batch_alter_table("ads_classified_payment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ads_classified_payment_classified_id"), ["classified_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ads_classified_payment_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "ads_classified_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("classified_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("reporter_key", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["classified_id"],
            ["ads_classified.id"],
            name=op.f("fk_ads_classified_report_classified_id_ads_classified"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["user_account.id"],
            name=op.f("fk_ads_classified_report_reporter_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["user_account.id"],
            name=op.f("fk_ads_classified_report_resolved_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ads_classified_report")),
    )
    with op.batch_alter_table("ads_classified_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ads_classified_report_classified_id"), ["classified_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ads_classified_report_reporter_key"), ["reporter_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ads_classified_report_status"), ["status"], unique=False
        )

    op.create_table(
        "ads_creative",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("format", sa.String(length=6), nullable=False),
        sa.Column("size", sa.String(length=9), nullable=True),
        sa.Column("file_token", sa.String(length=200), nullable=True),
        sa.Column("file_type", sa.String(length=80), nullable=False),
        sa.Column("entry", sa.String(length=200), nullable=False),
        sa.Column("headline", sa.String(length=90), nullable=False),
        sa.Column("body", sa.String(length=300), nullable=False),
        sa.Column("alt_text", sa.String(length=200), nullable=False),
        sa.Column("click_url", sa.String(length=1000), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=False),
        sa.Column("moderated_by_id", sa.Integer(), nullable=True),
        sa.Column("moderated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["ads_campaign.id"],
            name=op.f("fk_ads_creative_campaign_id_ads_campaign"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["moderated_by_id"],
            ["user_account.id"],
            name=op.f("fk_ads_creative_moderated_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_ads_creative_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ads_creative")),
    )
    with op.batch_alter_table("ads_creative", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ads_creative_campaign_id"), ["campaign_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ads_creative_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ads_creative_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "ads_placement_stat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requests", sa.BigInteger(), nullable=False),
        sa.Column("impressions", sa.BigInteger(), nullable=False),
        sa.Column("viewable", sa.BigInteger(), nullable=False),
        sa.Column("clicks", sa.BigInteger(), nullable=False),
        sa.Column("spend_micros", sa.BigInteger(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["ads_placement.id"],
            name=op.f("fk_ads_placement_stat_placement_id_ads_placement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_ads_placement_stat_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ads_placement_stat")),
        sa.UniqueConstraint(
            "placement_id", "hour", name=op.f("uq_ads_placement_stat_placement_id")
        ),
    )
    with op.batch_alter_table("ads_placement_stat", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ads_placement_stat_hour"), ["hour"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ads_placement_stat_placement_id"), ["placement_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ads_placement_stat_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "ads_campaign_stat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("creative_id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("impressions", sa.BigInteger(), nullable=False),
        sa.Column("viewable", sa.BigInteger(), nullable=False),
        sa.Column("clicks", sa.BigInteger(), nullable=False),
        sa.Column("spend_micros", sa.BigInteger(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["ads_campaign.id"],
            name=op.f("fk_ads_campaign_stat_campaign_id_ads_campaign"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["creative_id"],
            ["ads_creative.id"],
            name=op.f("fk_ads_campaign_stat_creative_id_ads_creative"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_ads_campaign_stat_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ads_campaign_stat")),
        sa.UniqueConstraint(
            "creative_id", "placement_id", "hour", name=op.f("uq_ads_campaign_stat_creative_id")
        ),
    )
    with op.batch_alter_table("ads_campaign_stat", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ads_campaign_stat_campaign_id"), ["campaign_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ads_campaign_stat_hour"), ["hour"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ads_campaign_stat_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ads_campaign_stat", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ads_campaign_stat_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_ads_campaign_stat_hour"))
        batch_op.drop_index(batch_op.f("ix_ads_campaign_stat_campaign_id"))

    op.drop_table("ads_campaign_stat")
    with op.batch_alter_table("ads_placement_stat", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ads_placement_stat_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_ads_placement_stat_placement_id"))
        batch_op.drop_index(batch_op.f("ix_ads_placement_stat_hour"))

    op.drop_table("ads_placement_stat")
    with op.batch_alter_table("ads_creative", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ads_creative_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_ads_creative_status"))
        batch_op.drop_index(batch_op.f("ix_ads_creative_campaign_id"))

    op.drop_table("ads_creative")
    with op.batch_alter_table("ads_classified_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ads_classified_report_status"))
        batch_op.drop_index(batch_op.f("ix_ads_classified_report_reporter_key"))
        batch_op.drop_index(batch_op.f("ix_ads_classified_report_classified_id"))

    op.drop_table("ads_classified_report")
    with op.batch_alter_table("ads_classified_payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ads_classified_payment_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_ads_classified_payment_classified_id"))

    op.drop_table("ads_classified_payment")
    with op.batch_alter_table("ads_classified_image", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ads_classified_image_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_ads_classified_image_classified_id"))

    op.drop_table("ads_classified_image")
    with op.batch_alter_table("ads_campaign_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ads_campaign_history_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_ads_campaign_history_campaign_id"))

    op.drop_table("ads_campaign_history")
    with op.batch_alter_table("ads_placement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ads_placement_workspace_id"))

    op.drop_table("ads_placement")
    with op.batch_alter_table("ads_classified", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ads_classified_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_ads_classified_status"))
        batch_op.drop_index(batch_op.f("ix_ads_classified_sector"))
        batch_op.drop_index(batch_op.f("ix_ads_classified_published_at"))
        batch_op.drop_index(batch_op.f("ix_ads_classified_invoice_number"))
        batch_op.drop_index(batch_op.f("ix_ads_classified_expires_at"))

    op.drop_table("ads_classified")
    with op.batch_alter_table("ads_campaign", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ads_campaign_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_ads_campaign_status"))
        batch_op.drop_index(batch_op.f("ix_ads_campaign_invoice_number"))

    op.drop_table("ads_campaign")
    with op.batch_alter_table("ads_billing_period", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ads_billing_period_workspace_id"))

    op.drop_table("ads_billing_period")
    with op.batch_alter_table("ads_advertiser_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ads_advertiser_terms_workspace_id"))

    op.drop_table("ads_advertiser_terms")
