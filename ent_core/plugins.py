"""Plugin discovery, metadata checks, per-workspace activation and hook dispatch."""

from __future__ import annotations

import difflib
import importlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy
from flask import Blueprint
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from ent_core import hookspecs
from ent_core.version import __version__

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "ent.plugins"
hookimpl = pluggy.HookimplMarker("ent")

#: pluggy's registration names of the core's modules start with this (plugin names cannot).
CORE_PREFIX = "core:"
#: Modules of the core that implement hooks like any plugin (datasette's habit).
CORE_PLUGIN_MODULES = (
    "ent_core.default_hooks",
    "ent_core.default_payments",
    "ent_core.default_trust",
    "ent_core.charter.hooks",
    "ent_core.billing.hooks",
    "ent_core.sanctions.hooks",
)


class PluginError(RuntimeError):
    """A plugin cannot be loaded: the message names the plugin and what to fix."""


@dataclass(frozen=True)
class PlanQuota:
    """A quota a plugin counts (``sdk.consume_quota``), with the label plans show."""

    name: str
    label: Any


@dataclass(frozen=True)
class PluginMeta:
    """What a plugin declares about itself in ``plugin.py`` as ``meta = PluginMeta(...)``.

    ``plan_feature`` names the feature a plan must sell for a workspace to switch the plugin on
    (``None``: free for every approved workspace); ``quotas`` the plan quotas it uses. Plans
    show features and quotas by these labels, so the core needs no list of plugin names.
    """

    name: str
    version: str
    label: Any
    description: Any = ""
    category: str = "other"
    requires: tuple[str, ...] = ()
    compatibility: str = ""
    plan_feature: str | None = None
    quotas: tuple[PlanQuota, ...] = ()
    restricted: bool = False
    order: int = 100
    settings_form: type | None = None
    #: Platform-wide settings the operator gives (an ``sdk.OperatorSettings`` subclass).
    operator_settings: type | None = None


@dataclass
class LoadedPlugin:
    meta: PluginMeta
    module: ModuleType
    distribution: str | None = None
    blueprints: list[Blueprint] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def root(self) -> Path:
        return Path(self.module.__file__ or ".").parent

    @property
    def migrations_dir(self) -> Path | None:
        path = self.root / "migrations"
        return path if path.is_dir() else None

    @property
    def translations_dir(self) -> Path | None:
        path = self.root / "translations"
        return path if path.is_dir() else None


def _check_meta(module: ModuleType, source: str) -> PluginMeta:
    meta = getattr(module, "meta", None)
    if not isinstance(meta, PluginMeta):
        raise PluginError(
            f"{source}: module {module.__name__!r} has no `meta = PluginMeta(...)`; "
            "see docs/plugin_guide.md"
        )
    if not meta.name.isidentifier() or meta.name != meta.name.lower():
        raise PluginError(f"plugin {meta.name!r}: the name must be a lower-case identifier")
    for quota in meta.quotas:
        if not isinstance(quota, PlanQuota) or not quota.name.isidentifier():
            raise PluginError(
                f"plugin {meta.name!r}: quotas must be PlanQuota(name, label) with an "
                f"identifier as name, not {quota!r}"
            )
    if meta.operator_settings is not None:
        from ent_core.operator_settings import OperatorSettings

        if not (
            isinstance(meta.operator_settings, type)
            and issubclass(meta.operator_settings, OperatorSettings)
        ):
            raise PluginError(
                f"plugin {meta.name!r}: operator_settings must be a subclass of "
                f"sdk.OperatorSettings, not {meta.operator_settings!r}"
            )
    if meta.compatibility:
        try:
            spec = SpecifierSet(meta.compatibility)
        except InvalidSpecifier as exc:
            raise PluginError(
                f"plugin {meta.name!r}: compatibility {meta.compatibility!r} is not a "
                f"version specifier ({exc})"
            ) from None
        if Version(__version__) not in spec:
            raise PluginError(
                f"plugin {meta.name!r} {meta.version} needs ent_core{meta.compatibility}, "
                f"but ent_core {__version__} is installed; upgrade the plugin or the platform"
            )
    return meta


def _package_of(module: ModuleType) -> str:
    """The package a plugin's code lives in: its own if it is one, else its parent's."""
    if hasattr(module, "__path__"):
        return module.__name__
    return module.__name__.rpartition(".")[0] or module.__name__


def _check_table_prefixes(plugins: Iterable[LoadedPlugin]) -> None:
    """Refuse a plugin whose mapped classes use a table not named ``<plugin>_...``.

    Each plugin's migrations own exactly the tables with its prefix (migrations/env.py); a
    table outside it would be migrated by nobody or by the core. A class belongs to the plugin
    whose package is the longest prefix of the class's module.
    """
    from ent_core.db import Base, import_core_models

    import_core_models()
    plugins = list(plugins)
    packages = sorted(((_package_of(p.module), p) for p in plugins), key=lambda item: -len(item[0]))
    core_tables: set[str] = set()
    for mapper in list(Base.registry.mappers):
        if mapper.class_.__module__.startswith("ent_core."):
            core_tables.update(t.name for t in mapper.tables)
            core_tables.update(
                r.secondary.name for r in mapper.relationships if r.secondary is not None
            )
    for plugin in plugins:
        taken = sorted(t for t in core_tables if t.startswith(f"{plugin.name}_"))
        if taken:
            raise PluginError(
                f"plugin {plugin.name!r}: its table prefix '{plugin.name}_' is already used by "
                f"the core ({', '.join(taken)}); give the plugin another name"
            )
    for mapper in list(Base.registry.mappers):
        module = mapper.class_.__module__
        owner = next(
            (p for pkg, p in packages if module == pkg or module.startswith(pkg + ".")), None
        )
        if owner is None:
            continue
        for table in mapper.tables:
            if not table.name.startswith(f"{owner.name}_"):
                raise PluginError(
                    f"plugin {owner.name!r}: model {module}.{mapper.class_.__qualname__} uses "
                    f"table {table.name!r}, but a plugin's tables must be named "
                    f"'{owner.name}_...'; rename it, e.g. __tablename__ = "
                    f"'{owner.name}_{table.name}'"
                )


def discover(names: Iterable[str] | None = None) -> list[tuple[ModuleType, str | None]]:
    """Load the modules registered under the ``ent.plugins`` entry-point group."""
    wanted = set(names) if names is not None else None
    found = []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if wanted is not None and ep.name not in wanted:
            continue
        try:
            module = ep.load()
        except Exception as exc:
            raise PluginError(f"plugin {ep.name!r}: importing {ep.value!r} failed: {exc}") from exc
        dist = ep.dist.name if ep.dist else None
        found.append((module, dist))
    if wanted is not None:
        missing = wanted - {
            m.meta.name for m, _ in found if isinstance(getattr(m, "meta", None), PluginMeta)
        }
        if missing:
            raise PluginError(f"plugins not installed: {', '.join(sorted(missing))}")
    return found


@dataclass(frozen=True, slots=True)
class HookAnswer:
    """One implementation's answer to a hook, with who gave it."""

    #: pluggy's registration name: the plugin's name, ``core:<module>``, or anything else for
    #: an object registered with pluggy directly (no plugin owns what it returns).
    source: str
    #: The plugin that answered; ``None`` for the core and for those direct registrations.
    plugin: str | None
    value: Any

    @property
    def owned(self) -> bool:
        """A plugin or the core answered (not an object registered behind the registry)."""
        return self.plugin is not None or self.source.startswith(CORE_PREFIX)


class PluginRegistry:
    """Owns the pluggy manager and knows which plugin is on where."""

    # Looked up on every request; slots keep attribute access cheap and the instance small.
    __slots__ = ("_defaults", "_subset_cache", "_workspace_cache", "core_modules", "plugins", "pm")

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager("ent")
        self.pm.add_hookspecs(hookspecs)
        self.plugins: dict[str, LoadedPlugin] = {}
        self.core_modules: list[ModuleType] = []
        self._subset_cache: dict[tuple[str, frozenset[str]], Any] = {}
        #: Per workspace id: (activation serial, (names on, saved settings, cache generations)).
        self._workspace_cache: dict[int, tuple[int, tuple[Any, ...]]] = {}
        self._defaults: dict[str, dict[str, Any]] = {}

    # -- loading -------------------------------------------------------------------------
    def load(self, modules: Iterable[tuple[ModuleType, str | None]]) -> None:
        for module, dist in modules:
            meta = _check_meta(module, dist or module.__name__)
            if meta.name in self.plugins:
                raise PluginError(
                    f"plugin {meta.name!r} is provided twice: by "
                    f"{self.plugins[meta.name].module.__name__} and {module.__name__}"
                )
            self.plugins[meta.name] = LoadedPlugin(meta, module, dist)
        for plugin in self.plugins.values():
            missing = [r for r in plugin.meta.requires if r not in self.plugins]
            if missing:
                raise PluginError(
                    f"plugin {plugin.name!r} requires {', '.join(missing)}, which is not installed"
                )
        _check_table_prefixes(self.plugins.values())
        # pluggy calls the last registered first: register in reverse of the wanted order
        # (core first, then by declared order, then by name) so calls follow that order.
        ordered = sorted(self.plugins.values(), key=lambda p: (p.meta.order, p.name))
        for plugin in reversed(ordered):
            try:
                self.pm.register(plugin.module, name=plugin.name)
            except pluggy.PluginValidationError as exc:
                raise PluginError(f"plugin {plugin.name!r}: {exc}") from None
        for dotted in reversed(CORE_PLUGIN_MODULES):
            module = importlib.import_module(dotted)
            self.core_modules.append(module)
            self.pm.register(module, name=f"{CORE_PREFIX}{dotted}")
        self._check_unknown_hooks()
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            plugin = self.pm.get_name(exc.plugin) if exc.plugin else "?"
            raise PluginError(f"plugin {plugin!r}: {exc}") from None

    def _check_unknown_hooks(self) -> None:
        """Name the plugin, the unknown hook and the closest real one (a typo, usually)."""
        known = [n for n in dir(hookspecs) if n.startswith("ent_")]
        for hook_name, caller in vars(self.pm.hook).items():
            if caller.spec is not None:
                continue
            for impl in caller.get_hookimpls():
                if impl.optionalhook:
                    continue
                close = difflib.get_close_matches(hook_name, known, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise PluginError(
                    f"plugin {impl.plugin_name!r} implements {hook_name!r}, which is not a hook "
                    f"of ent_core {__version__}{hint} (hooks: docs/plugin_hooks.md)"
                )

    def answers(self, hook_name: str, **kwargs: Any) -> list[HookAnswer]:
        """Call every implementation of a start-up hook once, keeping who gave each answer.

        ``pm.hook.NAME()`` returns bare results; calling the implementations a second time to
        learn their owners is how a blueprint built inside the hook once lost its plugin (a
        second, untagged object was mounted). pluggy's public ``HookCaller.get_hookimpls()``
        lists the implementations (``HookImpl.function``, ``argnames``, ``plugin_name``) in the
        reverse of its call order; each is called here once, in pluggy's order, with the
        arguments it declares and ``None`` answers left out, as pluggy itself does (pinned by
        ``test_answers_follow_the_order_of_a_hook_call``). Wrappers are refused: these hooks
        hand over objects to register, there is nothing to wrap. One subset caller per plugin
        would also call each once, but builds and keeps a caller per plugin for a one-off.
        """
        found = []
        for impl in reversed(getattr(self.pm.hook, hook_name).get_hookimpls()):
            if impl.wrapper or impl.hookwrapper:
                raise PluginError(
                    f"plugin {impl.plugin_name!r}: {hook_name} is called once at start-up and "
                    "what it returns is registered; it cannot be a wrapper"
                )
            value = impl.function(*(kwargs[name] for name in impl.argnames))
            if value is not None:
                plugin = impl.plugin_name if impl.plugin_name in self.plugins else None
                found.append(HookAnswer(impl.plugin_name, plugin, value))
        return found

    def ordered(self) -> list[LoadedPlugin]:
        return sorted(self.plugins.values(), key=lambda p: (p.meta.order, p.name))

    def get(self, name: str) -> LoadedPlugin | None:
        return self.plugins.get(name)

    def feature_labels(self) -> dict[str, Any]:
        """Plan features the installed plugins need, each with the label of a plugin needing it
        (the plugin named like the feature first): what a plan may sell here."""
        labels: dict[str, Any] = {}
        for plugin in sorted(self.ordered(), key=lambda p: p.name != p.meta.plan_feature):
            if plugin.meta.plan_feature is not None:
                labels.setdefault(plugin.meta.plan_feature, plugin.meta.label)
        return labels

    def quota_labels(self) -> dict[str, Any]:
        """Quotas the installed plugins declare, with their labels (first declaration wins)."""
        labels: dict[str, Any] = {}
        for plugin in self.ordered():
            for quota in plugin.meta.quotas:
                labels.setdefault(quota.name, quota.label)
        return labels

    @property
    def hook(self) -> Any:
        """Platform hooks: every installed plugin answers."""
        return self.pm.hook

    def only(self, name: str, hook_name: str) -> Any:
        """A caller of ``hook_name`` that reaches only plugin ``name`` (lifecycle hooks)."""
        others = frozenset(self.pm.get_name(p) for p in self.pm.get_plugins()) - {name}
        return self._subset(hook_name, others)

    # -- per-workspace activation ----------------------------------------------------------
    def _activations(self, workspace: Any) -> tuple[Any, ...]:
        """One query per workspace and activation serial: the names on, every saved setting
        and the cache generation of each plugin on (``ent_core/cache.py``)."""
        cached = self._workspace_cache.get(workspace.id)
        if cached is not None and cached[0] == workspace.activation_serial:
            return cached[1]  # type: ignore[no-any-return]
        from ent_core.db import db
        from ent_core.workspaces.models import PluginActivation

        rows = db.session.execute(
            db.select(
                PluginActivation.plugin,
                PluginActivation.enabled,
                PluginActivation.settings,
                PluginActivation.cache_generation,
            )
            .where(PluginActivation.workspace_id == workspace.id)
            # the caller may look at another workspace than the current one (admins, CLI)
            .execution_options(ent_all_workspaces=True)
        ).all()
        names = frozenset(p for p, on, _, _ in rows if on and p in self.plugins)
        settings = {p: dict(saved or {}) for p, _, saved, _ in rows}
        generations = {p: generation for p, on, _, generation in rows if on}
        found = (names, settings, generations)
        self._workspace_cache[workspace.id] = (workspace.activation_serial, found)
        return found

    def enabled_for(self, workspace: Any) -> frozenset[str]:
        """Names switched on for ``workspace``, cached until its activation serial changes."""
        return self._activations(workspace)[0]

    def cache_generation(self, workspace: Any, name: str) -> str | None:
        """Plugin ``name``'s activation token in ``workspace`` (renewed by every switch on
        and off), ``None`` while it is off: part of its cache keys there."""
        return self._activations(workspace)[2].get(name)  # type: ignore[no-any-return]

    def saved_settings(self, workspace: Any, name: str) -> dict[str, Any]:
        """The settings saved for plugin ``name`` in ``workspace`` (same cache as above)."""
        return dict(self._activations(workspace)[1].get(name, {}))

    def default_settings(self, name: str) -> dict[str, Any]:
        """The defaults of a plugin's settings form, computed once per process."""
        defaults = self._defaults.get(name)
        if defaults is None:
            plugin = self.plugins.get(name)
            form_class = plugin.meta.settings_form if plugin else None
            defaults = {}
            if form_class is not None:
                defaults = {f.name: f.default for f in form_class(meta={"csrf": False})}
            self._defaults[name] = defaults
        return dict(defaults)

    def forget(self, workspace: Any) -> None:
        self._workspace_cache.pop(workspace.id, None)

    def workspace_hooks(self, workspace: Any) -> WorkspaceHooks:
        """Hooks that reach only the plugins switched on for ``workspace`` (and the core)."""
        disabled = frozenset(self.plugins.keys() - self.enabled_for(workspace))
        return WorkspaceHooks(self, disabled)

    def _subset(self, hook_name: str, removed: frozenset[str]) -> Any:
        key = (hook_name, removed)
        caller = self._subset_cache.get(key)
        if caller is None:
            if not removed:
                caller = getattr(self.pm.hook, hook_name)
            else:
                plugins = [self.pm.get_plugin(n) for n in removed]
                caller = self.pm.subset_hook_caller(hook_name, [p for p in plugins if p])
            self._subset_cache[key] = caller
        return caller


class WorkspaceHooks:
    """Attribute access returns a hook caller filtered to one workspace's plugins."""

    __slots__ = ("_disabled", "_registry")

    def __init__(self, registry: PluginRegistry, disabled: frozenset[str]) -> None:
        self._registry = registry
        self._disabled = disabled

    def __getattr__(self, hook_name: str) -> Any:
        return self._registry._subset(hook_name, self._disabled)
