"""A plugin with its own catalogue: "Withdraw" is translated its own way (docs/i18n.md)."""

from __future__ import annotations

from typing import Any

from flask import render_template

from ent_core import sdk

meta = sdk.PluginMeta(name="magpie", version="1.0.0", label=sdk._l("Magpie"), compatibility=">=0.1")

members = sdk.WorkspaceBlueprint("magpie", __name__, template_folder="templates")

WITHDRAW = sdk._l("Withdraw")


def words(count: int = 2) -> dict[str, str]:
    """The plugin's strings as its Python code translates them."""
    return {
        "now": sdk._("Withdraw"),
        "lazy": str(WITHDRAW),
        "with_variables": sdk._("Withdraw %(what)s", what="X"),
        "plural": sdk.ngettext("%(num)d item withdrawn", "%(num)d items withdrawn", count),
        "named": sdk.translations_for(__name__).gettext("Withdraw"),
        "core": sdk._("Sign in"),
    }


def page() -> str:
    return render_template("magpie/words.html", what="X", count=2)


@sdk.hookimpl
def ent_blueprints() -> list[Any]:
    return [members]
