"""Publishing: articles, authors, sectors, tags, slug history, review comments, revisions.

Revision ID: publishing_0001
Revises: -
Create Date: 2026-11-27 18:42:46.019444
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "publishing_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publishing_article",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("standfirst", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_format", sa.String(length=16), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("cover_key", sa.String(length=200), nullable=True),
        sa.Column("cover_alt", sa.String(length=300), nullable=False),
        sa.Column("cover_variants", sa.JSON(), nullable=False),
        sa.Column("seo_title", sa.String(length=300), nullable=False),
        sa.Column("seo_description", sa.String(length=500), nullable=False),
        sa.Column("canonical_url", sa.String(length=500), nullable=False),
        sa.Column("editorial_state", sa.String(length=24), nullable=False),
        sa.Column("publication_state", sa.String(length=16), nullable=False),
        sa.Column("publish_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("syndicated", sa.Boolean(), nullable=False),
        sa.Column("locked_by_id", sa.Integer(), nullable=True),
        sa.Column("lock_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_publishing_article_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["locked_by_id"],
            ["user_account.id"],
            name=op.f("fk_publishing_article_locked_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_publishing_article_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publishing_article")),
        sa.UniqueConstraint(
            "workspace_id", "slug", name=op.f("uq_publishing_article_workspace_id")
        ),
    )
    with op.batch_alter_table("publishing_article", schema=None) as batch_op:
        batch_op.create_index(
            "ix_publishing_article_due", ["publication_state", "publish_at"], unique=False
        )
        batch_op.create_index(
            "ix_publishing_article_public",
            ["workspace_id", "publication_state", "published_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_publishing_article_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "publishing_author",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("bio", sa.Text(), nullable=False),
        sa.Column("photo_key", sa.String(length=200), nullable=True),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_publishing_author_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_publishing_author_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publishing_author")),
        sa.UniqueConstraint("workspace_id", "slug", name=op.f("uq_publishing_author_workspace_id")),
    )
    with op.batch_alter_table("publishing_author", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publishing_author_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_publishing_author_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "publishing_tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_publishing_tag_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publishing_tag")),
        sa.UniqueConstraint("workspace_id", "slug", name=op.f("uq_publishing_tag_workspace_id")),
    )
    with op.batch_alter_table("publishing_tag", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publishing_tag_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "publishing_article_author",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["publishing_article.id"],
            name=op.f("fk_publishing_article_author_article_id_publishing_article"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["publishing_author.id"],
            name=op.f("fk_publishing_article_author_author_id_publishing_author"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "article_id", "author_id", name=op.f("pk_publishing_article_author")
        ),
    )
    with op.batch_alter_table("publishing_article_author", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publishing_article_author_author_id"), ["author_id"], unique=False
        )

    op.create_table(
        "publishing_article_sector",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["publishing_article.id"],
            name=op.f("fk_publishing_article_sector_article_id_publishing_article"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "sector", name=op.f("pk_publishing_article_sector")),
    )
    with op.batch_alter_table("publishing_article_sector", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publishing_article_sector_sector"), ["sector"], unique=False
        )

    op.create_table(
        "publishing_article_tag",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["publishing_article.id"],
            name=op.f("fk_publishing_article_tag_article_id_publishing_article"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["publishing_tag.id"],
            name=op.f("fk_publishing_article_tag_tag_id_publishing_tag"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "tag_id", name=op.f("pk_publishing_article_tag")),
    )
    with op.batch_alter_table("publishing_article_tag", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publishing_article_tag_tag_id"), ["tag_id"], unique=False
        )

    op.create_table(
        "publishing_review_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["publishing_article.id"],
            name=op.f("fk_publishing_review_comment_article_id_publishing_article"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_publishing_review_comment_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_publishing_review_comment_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publishing_review_comment")),
    )
    with op.batch_alter_table("publishing_review_comment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publishing_review_comment_article_id"), ["article_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_publishing_review_comment_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "publishing_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=24), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["publishing_article.id"],
            name=op.f("fk_publishing_revision_article_id_publishing_article"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_publishing_revision_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_publishing_revision_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publishing_revision")),
        sa.UniqueConstraint("article_id", "number", name=op.f("uq_publishing_revision_article_id")),
    )
    with op.batch_alter_table("publishing_revision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publishing_revision_article_id"), ["article_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_publishing_revision_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "publishing_slug_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["publishing_article.id"],
            name=op.f("fk_publishing_slug_history_article_id_publishing_article"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_publishing_slug_history_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publishing_slug_history")),
        sa.UniqueConstraint(
            "workspace_id", "slug", name=op.f("uq_publishing_slug_history_workspace_id")
        ),
    )
    with op.batch_alter_table("publishing_slug_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publishing_slug_history_article_id"), ["article_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_publishing_slug_history_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("publishing_slug_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publishing_slug_history_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_publishing_slug_history_article_id"))

    op.drop_table("publishing_slug_history")
    with op.batch_alter_table("publishing_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publishing_revision_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_publishing_revision_article_id"))

    op.drop_table("publishing_revision")
    with op.batch_alter_table("publishing_review_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publishing_review_comment_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_publishing_review_comment_article_id"))

    op.drop_table("publishing_review_comment")
    with op.batch_alter_table("publishing_article_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publishing_article_tag_tag_id"))

    op.drop_table("publishing_article_tag")
    with op.batch_alter_table("publishing_article_sector", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publishing_article_sector_sector"))

    op.drop_table("publishing_article_sector")
    with op.batch_alter_table("publishing_article_author", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publishing_article_author_author_id"))

    op.drop_table("publishing_article_author")
    with op.batch_alter_table("publishing_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publishing_tag_workspace_id"))

    op.drop_table("publishing_tag")
    with op.batch_alter_table("publishing_author", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publishing_author_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_publishing_author_user_id"))

    op.drop_table("publishing_author")
    with op.batch_alter_table("publishing_article", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publishing_article_workspace_id"))
        batch_op.drop_index("ix_publishing_article_public")
        batch_op.drop_index("ix_publishing_article_due")

    op.drop_table("publishing_article")
