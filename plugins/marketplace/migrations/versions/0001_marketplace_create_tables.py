"""create tables

Revision ID: marketplace_0001
Revises: -
Create Date: 2026-12-07 23:23:36.203090
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = "marketplace_0001"
down_revision = None
branch_labels = None
depends_on = None

_CATEGORIES = (
    (
        "cms-themes",
        "it",
        "Thèmes et extensions CMS",
        "CMS themes and extensions",
        "قوالب وإضافات أنظمة إدارة المحتوى",
        "0.10",
    ),
    (
        "newsroom-software",
        "it",
        "Logiciels de rédaction",
        "Newsroom software",
        "برمجيات غرف الأخبار",
        "0.10",
    ),
    ("fact-checking", "it", "Vérification des faits", "Fact-checking", "التحقق من الأخبار", "0.08"),
    ("photo-video", "it", "Photo et vidéo", "Photo and video", "التصوير والفيديو", "0.12"),
    (
        "podcast-studio",
        "it",
        "Studios de podcast",
        "Podcast studios",
        "استوديوهات البودكاست",
        "0.12",
    ),
    ("training-seats", "it", "Places de formation", "Training seats", "مقاعد التكوين", "0.05"),
    (
        "green-reporting",
        "green",
        "Reportages environnement",
        "Environmental reporting",
        "روبورتاجات البيئة",
        "0.08",
    ),
    (
        "ngo-communication",
        "civil_society",
        "Communication associative",
        "Communication for associations",
        "تواصل الجمعيات",
        "0.05",
    ),
)


def upgrade() -> None:
    op.create_table(
        "marketplace_category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("sector", sa.String(length=40), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("commission_rate", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_category")),
        sa.UniqueConstraint("code", name=op.f("uq_marketplace_category_code")),
    )
    with op.batch_alter_table("marketplace_category", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_marketplace_category_sector"), ["sector"], unique=False
        )

    op.create_table(
        "marketplace_listing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("delivery", sa.String(length=10), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=40), nullable=False),
        sa.Column("price", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("vat_rate", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=True),
        sa.Column("location", sa.String(length=120), nullable=False),
        sa.Column("hold_minutes", sa.Integer(), nullable=False),
        sa.Column("file_token", sa.String(length=200), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=False),
        sa.Column("pending_changes", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sales_count", sa.Integer(), nullable=False),
        sa.Column("rating_sum", sa.Integer(), nullable=False),
        sa.Column("rating_count", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["marketplace_category.id"],
            name=op.f("fk_marketplace_listing_category_id_marketplace_category"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_marketplace_listing_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_marketplace_listing_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_listing")),
    )
    with op.batch_alter_table("marketplace_listing", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_marketplace_listing_category_id"), ["category_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_listing_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_listing_published_at"), ["published_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_marketplace_listing_sector"), ["sector"], unique=False)
        batch_op.create_index(batch_op.f("ix_marketplace_listing_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_marketplace_listing_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "marketplace_payout",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("gross", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("commission", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("commission_vat", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("net", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("invoice_number", sa.String(length=20), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_reference", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_marketplace_payout_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_payout")),
        sa.UniqueConstraint("workspace_id", "period_start", name="uq_marketplace_payout_period"),
    )
    with op.batch_alter_table("marketplace_payout", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_marketplace_payout_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_marketplace_payout_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "marketplace_seller",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tagline", sa.String(length=200), nullable=False),
        sa.Column("about", sa.Text(), nullable=False),
        sa.Column("location", sa.String(length=120), nullable=False),
        sa.Column("payout_rib", sa.String(length=34), nullable=False),
        sa.Column("payout_holder", sa.String(length=150), nullable=False),
        sa.Column("trusted", sa.Boolean(), nullable=False),
        sa.Column("approved_listings", sa.Integer(), nullable=False),
        sa.Column("completed_orders", sa.Integer(), nullable=False),
        sa.Column("response_minutes", sa.Integer(), nullable=True),
        sa.Column("rating_sum", sa.Integer(), nullable=False),
        sa.Column("rating_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_marketplace_seller_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_seller")),
        sa.UniqueConstraint("workspace_id", name="uq_marketplace_seller_workspace"),
    )
    with op.batch_alter_table("marketplace_seller", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_marketplace_seller_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "marketplace_listing_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("file_token", sa.String(length=200), nullable=False),
        sa.Column("thumb_token", sa.String(length=200), nullable=True),
        sa.Column("alt_text", sa.String(length=200), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["marketplace_listing.id"],
            name=op.f("fk_marketplace_listing_image_listing_id_marketplace_listing"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_marketplace_listing_image_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_listing_image")),
    )
    with op.batch_alter_table("marketplace_listing_image", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_marketplace_listing_image_listing_id"), ["listing_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_listing_image_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "marketplace_listing_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("reporter_key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_marketplace_listing_report_decided_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["marketplace_listing.id"],
            name=op.f("fk_marketplace_listing_report_listing_id_marketplace_listing"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["user_account.id"],
            name=op.f("fk_marketplace_listing_report_reporter_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_marketplace_listing_report_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_listing_report")),
    )
    with op.batch_alter_table("marketplace_listing_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_marketplace_listing_report_listing_id"), ["listing_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_listing_report_status"), ["status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_listing_report_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "marketplace_listing_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("taken", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["marketplace_listing.id"],
            name=op.f("fk_marketplace_listing_slot_listing_id_marketplace_listing"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_marketplace_listing_slot_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_listing_slot")),
    )
    with op.batch_alter_table("marketplace_listing_slot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_marketplace_listing_slot_listing_id"), ["listing_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_listing_slot_starts_at"), ["starts_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_listing_slot_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "marketplace_listing_translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["marketplace_listing.id"],
            name=op.f("fk_marketplace_listing_translation_listing_id_marketplace_listing"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_marketplace_listing_translation_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_listing_translation")),
        sa.UniqueConstraint("listing_id", "language", name="uq_marketplace_translation_language"),
    )
    with op.batch_alter_table("marketplace_listing_translation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_marketplace_listing_translation_listing_id"),
            ["listing_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_listing_translation_workspace_id"),
            ["workspace_id"],
            unique=False,
        )

    op.create_table(
        "marketplace_listing_variant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("price", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("stock", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["marketplace_listing.id"],
            name=op.f("fk_marketplace_listing_variant_listing_id_marketplace_listing"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_marketplace_listing_variant_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_listing_variant")),
    )
    with op.batch_alter_table("marketplace_listing_variant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_marketplace_listing_variant_listing_id"), ["listing_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_listing_variant_workspace_id"),
            ["workspace_id"],
            unique=False,
        )

    op.create_table(
        "marketplace_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("process", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=True),
        sa.Column("buyer_workspace_id", sa.Integer(), nullable=True),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("quote_note", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("subtotal", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("vat", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("total", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("commission_rate", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("commission", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("refunded", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("payment_provider", sa.String(length=40), nullable=False),
        sa.Column("payment_reference", sa.String(length=120), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_reason", sa.Text(), nullable=False),
        sa.Column("first_answer_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("payout_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["buyer_id"],
            ["user_account.id"],
            name=op.f("fk_marketplace_order_buyer_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["buyer_workspace_id"],
            ["workspace.id"],
            name=op.f("fk_marketplace_order_buyer_workspace_id_workspace"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["payout_id"],
            ["marketplace_payout.id"],
            name=op.f("fk_marketplace_order_payout_id_marketplace_payout"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_marketplace_order_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_order")),
        sa.UniqueConstraint("reference", name=op.f("uq_marketplace_order_reference")),
    )
    with op.batch_alter_table("marketplace_order", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_marketplace_order_buyer_id"), ["buyer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_order_buyer_workspace_id"),
            ["buyer_workspace_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_order_completed_at"), ["completed_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_order_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_order_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_order_payout_id"), ["payout_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_marketplace_order_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_marketplace_order_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "marketplace_order_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("transition", sa.String(length=20), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=False),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("side", sa.String(length=10), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user_account.id"],
            name=op.f("fk_marketplace_order_event_actor_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["marketplace_order.id"],
            name=op.f("fk_marketplace_order_event_order_id_marketplace_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_marketplace_order_event_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_order_event")),
    )
    with op.batch_alter_table("marketplace_order_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_marketplace_order_event_order_id"), ["order_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_order_event_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "marketplace_order_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=True),
        sa.Column("variant_id", sa.Integer(), nullable=True),
        sa.Column("slot_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=250), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("vat_rate", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("net", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("vat", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("total", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("downloads", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["marketplace_listing.id"],
            name=op.f("fk_marketplace_order_line_listing_id_marketplace_listing"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["marketplace_order.id"],
            name=op.f("fk_marketplace_order_line_order_id_marketplace_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["marketplace_listing_slot.id"],
            name=op.f("fk_marketplace_order_line_slot_id_marketplace_listing_slot"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"],
            ["marketplace_listing_variant.id"],
            name=op.f("fk_marketplace_order_line_variant_id_marketplace_listing_variant"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_marketplace_order_line_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_order_line")),
    )
    with op.batch_alter_table("marketplace_order_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_marketplace_order_line_listing_id"), ["listing_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_order_line_order_id"), ["order_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_order_line_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "marketplace_order_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=10), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_marketplace_order_message_author_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["marketplace_order.id"],
            name=op.f("fk_marketplace_order_message_order_id_marketplace_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_marketplace_order_message_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_order_message")),
    )
    with op.batch_alter_table("marketplace_order_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_marketplace_order_message_order_id"), ["order_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_order_message_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "marketplace_refund",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("provider_reference", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("credit_note_number", sa.String(length=20), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_marketplace_refund_decided_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["marketplace_order.id"],
            name=op.f("fk_marketplace_refund_order_id_marketplace_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_marketplace_refund_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_refund")),
    )
    with op.batch_alter_table("marketplace_refund", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_marketplace_refund_order_id"), ["order_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_refund_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "marketplace_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=True),
        sa.Column("side", sa.String(length=10), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_marketplace_review_author_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["marketplace_listing.id"],
            name=op.f("fk_marketplace_review_listing_id_marketplace_listing"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["marketplace_order.id"],
            name=op.f("fk_marketplace_review_order_id_marketplace_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_marketplace_review_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_review")),
        sa.UniqueConstraint("order_id", "side", name="uq_marketplace_review_side"),
    )
    with op.batch_alter_table("marketplace_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_marketplace_review_listing_id"), ["listing_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_review_order_id"), ["order_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_review_published_at"), ["published_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_review_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "marketplace_order_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("file_token", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["marketplace_order_message.id"],
            name=op.f("fk_marketplace_order_attachment_message_id_marketplace_order_message"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_marketplace_order_attachment_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_order_attachment")),
    )
    with op.batch_alter_table("marketplace_order_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_marketplace_order_attachment_message_id"), ["message_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_order_attachment_workspace_id"),
            ["workspace_id"],
            unique=False,
        )

    op.create_table(
        "marketplace_review_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["user_account.id"],
            name=op.f("fk_marketplace_review_report_reporter_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["marketplace_review.id"],
            name=op.f("fk_marketplace_review_report_review_id_marketplace_review"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_marketplace_review_report_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_review_report")),
    )
    with op.batch_alter_table("marketplace_review_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_marketplace_review_report_review_id"), ["review_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_review_report_status"), ["status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_marketplace_review_report_workspace_id"), ["workspace_id"], unique=False
        )

    # The platform's first categories (catalogues.DEFAULT_CATEGORIES as of this revision).
    category = sa.table(
        "marketplace_category",
        sa.column("code", sa.String),
        sa.column("sector", sa.String),
        sa.column("names", sa.JSON),
        sa.column("commission_rate", sa.Numeric),
        sa.column("position", sa.Integer),
        sa.column("active", sa.Boolean),
    )
    op.bulk_insert(
        category,
        [
            {
                "code": code,
                "sector": sector,
                "names": {"fr": fr, "en": en, "ar": ar},
                "commission_rate": Decimal(rate),
                "position": n,
                "active": True,
            }
            for n, (code, sector, fr, en, ar, rate) in enumerate(_CATEGORIES)
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("marketplace_review_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_review_report_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_review_report_status"))
        batch_op.drop_index(batch_op.f("ix_marketplace_review_report_review_id"))

    op.drop_table("marketplace_review_report")
    with op.batch_alter_table("marketplace_order_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_order_attachment_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_order_attachment_message_id"))

    op.drop_table("marketplace_order_attachment")
    with op.batch_alter_table("marketplace_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_review_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_review_published_at"))
        batch_op.drop_index(batch_op.f("ix_marketplace_review_order_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_review_listing_id"))

    op.drop_table("marketplace_review")
    with op.batch_alter_table("marketplace_refund", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_refund_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_refund_order_id"))

    op.drop_table("marketplace_refund")
    with op.batch_alter_table("marketplace_order_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_order_message_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_order_message_order_id"))

    op.drop_table("marketplace_order_message")
    with op.batch_alter_table("marketplace_order_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_order_line_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_order_line_order_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_order_line_listing_id"))

    op.drop_table("marketplace_order_line")
    with op.batch_alter_table("marketplace_order_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_order_event_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_order_event_order_id"))

    op.drop_table("marketplace_order_event")
    with op.batch_alter_table("marketplace_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_order_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_order_status"))
        batch_op.drop_index(batch_op.f("ix_marketplace_order_payout_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_order_expires_at"))
        batch_op.drop_index(batch_op.f("ix_marketplace_order_created_at"))
        batch_op.drop_index(batch_op.f("ix_marketplace_order_completed_at"))
        batch_op.drop_index(batch_op.f("ix_marketplace_order_buyer_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_order_buyer_id"))

    op.drop_table("marketplace_order")
    with op.batch_alter_table("marketplace_listing_variant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_listing_variant_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_listing_variant_listing_id"))

    op.drop_table("marketplace_listing_variant")
    with op.batch_alter_table("marketplace_listing_translation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_listing_translation_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_listing_translation_listing_id"))

    op.drop_table("marketplace_listing_translation")
    with op.batch_alter_table("marketplace_listing_slot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_listing_slot_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_listing_slot_starts_at"))
        batch_op.drop_index(batch_op.f("ix_marketplace_listing_slot_listing_id"))

    op.drop_table("marketplace_listing_slot")
    with op.batch_alter_table("marketplace_listing_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_listing_report_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_listing_report_status"))
        batch_op.drop_index(batch_op.f("ix_marketplace_listing_report_listing_id"))

    op.drop_table("marketplace_listing_report")
    with op.batch_alter_table("marketplace_listing_image", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_listing_image_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_listing_image_listing_id"))

    op.drop_table("marketplace_listing_image")
    with op.batch_alter_table("marketplace_seller", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_seller_workspace_id"))

    op.drop_table("marketplace_seller")
    with op.batch_alter_table("marketplace_payout", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_payout_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_payout_status"))

    op.drop_table("marketplace_payout")
    with op.batch_alter_table("marketplace_listing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_listing_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_marketplace_listing_status"))
        batch_op.drop_index(batch_op.f("ix_marketplace_listing_sector"))
        batch_op.drop_index(batch_op.f("ix_marketplace_listing_published_at"))
        batch_op.drop_index(batch_op.f("ix_marketplace_listing_created_at"))
        batch_op.drop_index(batch_op.f("ix_marketplace_listing_category_id"))

    op.drop_table("marketplace_listing")
    with op.batch_alter_table("marketplace_category", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marketplace_category_sector"))

    op.drop_table("marketplace_category")
