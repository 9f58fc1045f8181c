"""A plugin's operator settings: platform-wide values the operator sets, not each workspace.

A plugin declares them as a class (``PluginMeta(operator_settings=AdsSettings)``) whose fields
have types and defaults; the operator sets them in the configuration file's
``[plugins.<name>]`` table or as ``ENT_PLUGIN_<NAME>__<SETTING>`` variables
(docs/configuration.md). They are checked once, at start-up, after the plugins are loaded: an
unknown name, a value of the wrong type or a missing required value stops the start with one
line that names the plugin, the setting and where it was read.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from pydantic import BaseModel, ConfigDict, ValidationError

from ent_core.config import ConfigurationError, PluginConfiguration


class OperatorSettings(BaseModel):
    """Base of a plugin's operator settings (pydantic: typed fields with defaults, frozen)."""

    # Environment variables are text: "30" reads as 30 and "1"/"true" as True (pydantic's
    # lax mode); unknown names are refused rather than ignored (a typo would be silent).
    model_config = ConfigDict(extra="forbid", frozen=True)


def load(
    configuration: PluginConfiguration, plugins: dict[str, Any]
) -> dict[str, OperatorSettings]:
    """Each loaded plugin's operator settings, checked; ``plugins`` maps names to metadata."""
    unknown = sorted(set(configuration.enabled_by_default) - plugins.keys())
    if unknown:
        raise ConfigurationError(
            f"plugins enabled by default are not installed: {', '.join(unknown)} "
            f"(installed: {', '.join(sorted(plugins)) or 'none'})"
        )
    for name, values in sorted(configuration.operator.items()):
        if name not in plugins:
            where = ", ".join(source for _, source in values.values())
            raise ConfigurationError(
                f"operator settings for plugin {name!r} ({where}), which is not installed"
            )
        if plugins[name].operator_settings is None:
            where = ", ".join(source for _, source in values.values())
            raise ConfigurationError(
                f"plugin {name!r} has no operator settings, but {where} sets one"
            )
    loaded = {}
    for name, meta in sorted(plugins.items()):
        if meta.operator_settings is None:
            continue
        given = configuration.operator.get(name, {})
        try:
            loaded[name] = meta.operator_settings.model_validate(
                {key: value for key, (value, _) in given.items()}
            )
        except ValidationError as exc:
            raise ConfigurationError(_explain(name, exc, given)) from None
    return loaded


def _explain(name: str, exc: ValidationError, given: dict[str, tuple[Any, str]]) -> str:
    problems = []
    for error in exc.errors():
        key = str(error["loc"][0]) if error["loc"] else "?"
        if key in given:
            value, source = given[key]
            problems.append(f"{source} = {value!r}: {error['msg']}")
        else:
            variable = f"ENT_PLUGIN_{name.upper()}__{key.upper()}"
            problems.append(f"{key}: {error['msg']} (set it as {variable} or in [plugins.{name}])")
    return f"plugin {name!r}, operator settings: " + "; ".join(problems)


def operator_settings(name: str) -> Any:
    """The operator settings of plugin ``name``, as checked at start-up."""
    loaded = current_app.extensions["ent.operator_settings"]
    try:
        return loaded[name]
    except KeyError:
        raise LookupError(
            f"plugin {name!r} declares no operator settings (PluginMeta(operator_settings=...))"
        ) from None
