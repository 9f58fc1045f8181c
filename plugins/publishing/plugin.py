"""Publishing: metadata and the hooks through which it joins the platform."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ent_plugins.publishing import models  # noqa: F401 - maps the tables
from ent_plugins.publishing.blueprint import api_bp, members
from ent_plugins.publishing.forms import PublishingSettings
from ent_plugins.publishing.jobs import publish_due_articles
from ent_plugins.publishing.portal import ent_portal_items  # noqa: F401 - a hookimpl
from flask import render_template
from markupsafe import Markup

from ent_core import sdk

meta = sdk.PluginMeta(
    name="publishing",
    version="0.1.0",
    label=sdk._l("Publishing"),
    description=sdk._l("Newsroom workflow, public site, feeds and the sector portal."),
    category="content",
    compatibility=">=0.1,<1",
    plan_feature="publishing",
    settings_form=PublishingSettings,
)

WIDGET_SIZE = 5
#: Roles that write: contributors (drafts, submit) and authors (publish their own).
WRITERS = ("owner", "admin", "editor", "contributor", "author")
EDITORS = ("owner", "admin", "editor")


@sdk.hookimpl
def ent_blueprints() -> list[Any]:
    from ent_plugins.publishing import feeds  # noqa: F401 - adds the feed rules
    from ent_plugins.publishing.public.blueprint import public_bp
    from ent_plugins.publishing.public_api import public_api_bp

    return [members, api_bp, public_bp, public_api_bp]


@sdk.hookimpl
def ent_roles() -> list[Any]:
    return [
        sdk.Role(
            "contributor",
            sdk._l("Contributor"),
            sdk._l("Writes drafts and submits them for review."),
        ),
        sdk.Role("author", sdk._l("Author"), sdk._l("Writes and publishes their own articles.")),
    ]


@sdk.hookimpl
def ent_permissions() -> list[Any]:
    return [
        sdk.Permission("publishing.read", sdk._l("Read the newsroom"), (*WRITERS, "member")),
        sdk.Permission("publishing.write", sdk._l("Write articles and submit them"), WRITERS),
        sdk.Permission(
            "publishing.publish_own", sdk._l("Publish one's own articles"), (*EDITORS, "author")
        ),
        sdk.Permission("publishing.review", sdk._l("Review and edit any article"), EDITORS),
        sdk.Permission("publishing.publish", sdk._l("Publish any article"), EDITORS),
        sdk.Permission(
            "publishing.override_lock", sdk._l("Take over an article being edited"), EDITORS
        ),
        sdk.Permission("publishing.authors", sdk._l("Manage author profiles"), EDITORS),
    ]


@sdk.hookimpl
def ent_nav_items(workspace: Any, user: Any) -> list[Any]:
    return [
        sdk.NavItem(
            sdk._l("Newsroom"),
            "publishing.index",
            icon="newspaper",
            permission="publishing.read",
            order=150,
        )
    ]


@sdk.hookimpl
def ent_dashboard_widgets(workspace: Any, user: Any) -> list[Any]:
    if not sdk.has_permission("publishing.read"):
        return []
    from ent_plugins.publishing.labels import BADGE_CLASSES, EDITORIAL_LABELS, PUBLICATION_LABELS
    from ent_plugins.publishing.views import latest_changes

    body = render_template(
        "publishing/_widget.html",
        articles=latest_changes(WIDGET_SIZE),
        editorial_labels=EDITORIAL_LABELS,
        publication_labels=PUBLICATION_LABELS,
        badge_classes=BADGE_CLASSES,
    )
    return [sdk.Widget(sdk._l("Newsroom"), Markup(body), order=20)]  # noqa: S704


@sdk.hookimpl
def ent_cli_commands(cli: Any) -> None:
    import click

    @cli.group("publishing", help="The newsroom: scheduled publishing.")
    def publishing() -> None:
        """Commands of the publishing plugin."""

    @publishing.command(
        "publish-due",
        help="Publish every scheduled article whose time has come (what `ent worker` does "
        "every minute; for cron on a platform without Redis).",
    )
    def publish_due() -> None:
        click.echo(f"{publish_due_articles()} article(s) published")


@sdk.hookimpl
def ent_event_types() -> list[Any]:
    from ent_plugins.publishing.events import EVENT_TYPES

    return EVENT_TYPES


@sdk.hookimpl
def ent_schedules() -> list[Any]:
    return [sdk.Schedule("publishing.publish_due", publish_due_articles, timedelta(minutes=1))]


@sdk.hookimpl
def ent_demo_data(workspaces: dict[str, Any], users: dict[str, Any]) -> list[str] | None:
    from ent_plugins.publishing.demo import load_demo

    return load_demo(workspaces, users)


@sdk.hookimpl
def ent_event_subscriptions() -> list[Any]:
    """Draft articles from the association's published minutes and project news."""
    from ent_plugins.publishing.proposals import subscriptions

    return subscriptions()


@sdk.hookimpl
def ent_ad_slots() -> list[Any]:
    """Where the publication's pages can carry an ad (an ads module decides what goes there)."""
    return [
        sdk.AdSlot(
            "publishing.article.aside",
            sdk._l("Article: beside and after the text"),
            ("300x250", "300x600"),
        ),
        sdk.AdSlot(
            "publishing.home.top",
            sdk._l("Home page: banner above the latest articles"),
            ("728x90", "970x250", "320x50"),
        ),
    ]
