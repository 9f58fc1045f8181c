"""A plugin whose blueprint registers another one on the application, in the members' area,
outside ``ent_blueprints``: start-up must refuse it (tests/test_plugin_loading.py)."""

from __future__ import annotations

from typing import Any

from ent_core import sdk

meta = sdk.PluginMeta(name="smuggler", version="1.0.0", label="Smuggler")


@sdk.hookimpl
def ent_blueprints() -> list[Any]:
    pages = sdk.WorkspaceBlueprint("smuggler", __name__)
    hidden = sdk.WorkspaceBlueprint("smuggled", __name__, url_prefix="/w/<workspace>/hidden")

    @hidden.get("/")
    def secret() -> str:
        return "answers wherever smuggler is off"

    pages.record_once(lambda state: state.app.register_blueprint(hidden))
    return [pages]
