"""A plugin with a members' page, a public page, an API route and UI hooks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import click
from flask import jsonify, render_template_string, request
from markupsafe import Markup
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import NumberRange, Optional

from ent_core import sdk
from tests.fixture_plugins.alpha import tally
from tests.fixture_plugins.alpha.models import AlphaItem

CALLS: list[tuple[str, ...]] = []


class AlphaSettings(sdk.SettingsForm):
    greeting = StringField("Greeting", default="Salam")
    limit = IntegerField("Limit", default=3, validators=[Optional(), NumberRange(min=1, max=10)])
    loud = BooleanField("Loud", default=False)


class AlphaOperator(sdk.OperatorSettings):
    api_key: str = ""
    flush_seconds: int = 60
    loud: bool = False
    channels: list[str] = ["web"]


meta = sdk.PluginMeta(
    name="alpha",
    version="1.0.0",
    label="Alpha",
    description="Test plugin alpha",
    compatibility=">=0.1",
    settings_form=AlphaSettings,
    operator_settings=AlphaOperator,
)

members = sdk.WorkspaceBlueprint("alpha", __name__)
public = sdk.PublicBlueprint("alpha_public", __name__)
api = sdk.ApiBlueprint("alpha_api", __name__)


@members.get("/items/<int:item_id>")
def item(item_id: int) -> Any:
    return jsonify(title=sdk.get_or_404(AlphaItem, item_id).title)


@api.post("/items/<int:item_id>/rename")
def rename(item_id: int) -> Any:
    found = sdk.get_or_404(AlphaItem, item_id)
    found.title = "renamed"
    sdk.db.session.commit()
    return jsonify(title=found.title)


class NewItemForm(sdk.FlaskForm):
    title = StringField("Title")


def _create(title: str) -> AlphaItem:
    """Writes first, refuses after: a refusal must leave nothing behind."""
    created = AlphaItem(title=title)
    sdk.db.session.add(created)
    sdk.db.session.flush()
    if title == "taken":
        raise sdk.UserError("title_taken", "This title is taken.", 409, field="title")
    if title == "anywhere":
        raise sdk.UserError("refused", "Refused as a whole.", 409)
    return created


@members.route("/items/new", methods=["GET", "POST"])
def new_item() -> Any:
    form = NewItemForm()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            _create(form.title.data or "")
            sdk.db.session.commit()
            return "created", 201
    # A page that saves something of its own as it renders (a draft, a last-seen mark) must
    # not save the refused work with it.
    sdk.db.session.commit()
    return render_template_string(
        "{% from '_forms.html' import field, form_errors %}{{ form_errors(form) }}"
        "{{ field(form.title) }}",
        form=form,
    ), 422 if form.errors else 200


@members.post("/items/quick")
def quick_item() -> Any:
    _create(request.form.get("title", ""))
    sdk.db.session.commit()
    return "created", 201


@api.post("/items")
def api_create() -> Any:
    created = _create((request.get_json(silent=True) or {}).get("title", ""))
    sdk.db.session.commit()
    return jsonify(id=created.id), 201


def tick() -> None:
    CALLS.append(("tick",))


@members.get("/")
def index() -> Any:
    return jsonify(workspace=sdk.current_workspace().slug, settings=sdk.plugin_settings("alpha"))


@public.get("/")
def public_index() -> Any:
    return "alpha public"


@members.get("/cached")
def cached() -> Any:
    return jsonify(answer=tally.recall_or("answer", lambda: 42))


@api.get("/ping")
def ping() -> Any:
    return jsonify(pong=sdk.current_workspace().slug)


@sdk.hookimpl
def ent_blueprints() -> list[Any]:
    return [members, public, api]


@sdk.hookimpl
def ent_template_slot(slot: str, context: dict[str, Any]) -> Any:
    if slot == "test.slot":
        return Markup("<b>alpha</b>")
    return None


@sdk.hookimpl
def ent_nav_items(workspace: Any, user: Any) -> list[Any]:
    return [sdk.NavItem("Alpha", "alpha.index")]


@sdk.hookimpl
def ent_workspace_enabled(workspace: Any, settings: dict[str, Any]) -> None:
    CALLS.append(("enabled", workspace.slug))


@sdk.hookimpl
def ent_workspace_disabled(workspace: Any) -> None:
    CALLS.append(("disabled", workspace.slug))


@sdk.hookimpl
def ent_dashboard_widgets(workspace: Any, user: Any) -> list[Any]:
    return [sdk.Widget("Alpha widget", Markup("<p>alpha-widget-body</p>"))]


@sdk.hookimpl
def ent_roles() -> list[Any]:
    return [sdk.Role("reviewer", "Reviewer")]


@sdk.hookimpl
def ent_permissions() -> list[Any]:
    return [
        sdk.Permission("alpha.review", "Review alpha items", ("owner", "reviewer")),
        sdk.ObjectPermission(
            "alpha.edit_item", "Edit an item", model=AlphaItem, check=_keeps, roles=("owner",)
        ),
    ]


@sdk.hookimpl
def ent_cli_commands(cli: Any) -> None:
    @cli.command("alpha-hello")
    def hello() -> None:
        click.echo("hello from alpha")


@sdk.hookimpl
def ent_schedules() -> list[Any]:
    return [sdk.Schedule("alpha-tick", tick, timedelta(minutes=5))]


@sdk.hookimpl
def ent_installed() -> None:
    CALLS.append(("installed",))


@sdk.hookimpl
def ent_upgraded(from_revision: str, to_revision: str) -> None:
    CALLS.append(("upgraded", from_revision, to_revision))


DEMO_CALLS: list[tuple[list[str], list[str]]] = []


@sdk.hookimpl
def ent_demo_data(workspaces: dict[str, Any], users: dict[str, Any]) -> list[str]:
    DEMO_CALLS.append((sorted(workspaces), sorted(users)))
    return [f"  alpha: demo content for {', '.join(sorted(workspaces))}"]


# -- row-level permissions (tests/test_object_permissions.py) ---------------------------------
#: Every call of the predicate, to show when it is asked and when a role answers first.
KEEPER_CHECKS: list[int] = []


def _keeps(user: Any, found: AlphaItem, membership: Any) -> bool:
    """The member whose email is the item's note keeps it; owners hold it by role."""
    KEEPER_CHECKS.append(found.id)
    return found.note == user.email


@members.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@sdk.require_object_permission("alpha.edit_item", AlphaItem, "item_id")
def edit_item(item: AlphaItem) -> Any:
    return render_template_string(
        "{{ item.title }}{% if can('alpha.edit_item', item) %} <a>edit</a>{% endif %}"
        "{% if can('alpha.edit_item', item) %} <a>delete</a>{% endif %}",
        item=item,
    )


@members.get("/items/<int:item_id>/card")
def item_card(item_id: int) -> Any:
    found = sdk.get_or_404(AlphaItem, item_id)
    return render_template_string(
        "{{ item.title }}{% if can('alpha.edit_item', item) %} <a>edit</a>{% endif %}", item=found
    )


@api.post("/items/<int:item_id>/keep")
@sdk.require_object_permission("alpha.edit_item", AlphaItem, "item_id")
def keep_item(item: AlphaItem) -> Any:
    return jsonify(kept=item.id)
