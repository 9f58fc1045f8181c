"""Which events exist, who emits them and who hears them: collected once from the hooks."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from ent_core.events.types import AFTER_COMMIT, IN_TRANSACTION, EventError, EventType, Subscription
from ent_core.jobs.calls import dotted
from ent_core.plugins import PluginError, PluginRegistry


@dataclass(frozen=True, slots=True)
class Declared:
    """An event type with its emitter: a plugin's name, or ``None`` for the core."""

    type: EventType
    emitter: str | None


@dataclass(frozen=True, slots=True)
class Subscriber:
    """A subscription with its owner (``None``: the core, always on) and, after commit, the
    job path of its handler."""

    subscription: Subscription
    plugin: str | None
    job_path: str | None

    @property
    def after_commit(self) -> bool:
        return self.job_path is not None


class EventCatalogue:
    """Every declared event and subscription; subscriber lists cached per activation set."""

    # Read on every emit; slots keep attribute access cheap.
    __slots__ = ("_by_event", "_cache", "declared", "everyone", "registry", "subscribers_of")

    def __init__(self, registry: PluginRegistry) -> None:
        self.registry = registry
        self.refresh()

    def refresh(self) -> None:
        """Ask the hooks again (start-up; tests that install a plugin at run time)."""
        self.declared: dict[str, Declared] = {}
        for answer in self.registry.answers("ent_event_types"):
            for event_type in answer.value:
                self._declare(event_type, answer.plugin, answer.source)
        self._by_event: dict[str, list[Subscriber]] = {}
        self.subscribers_of: dict[str | None, list[Subscriber]] = {}
        for answer in self.registry.answers("ent_event_subscriptions"):
            for subscription in answer.value:
                if self._emitter_absent(subscription):
                    continue
                subscriber = self._subscriber(subscription, answer.plugin, answer.source)
                self._by_event.setdefault(subscription.event, []).append(subscriber)
                self.subscribers_of.setdefault(answer.plugin, []).append(subscriber)
        self.everyone = frozenset(self.registry.plugins)
        self._cache: dict[tuple[str, frozenset[str]], tuple[Subscriber, ...]] = {}

    def _declare(self, event_type: Any, plugin: str | None, source: str) -> None:
        if not isinstance(event_type, EventType):
            raise PluginError(f"{source}: ent_event_types returned {event_type!r}, not EventType")
        problems = event_type.problems()
        if problems:
            raise PluginError(f"{source}: " + "; ".join(problems))
        earlier = self.declared.get(event_type.name)
        if earlier is not None:
            raise PluginError(
                f"{source}: event {event_type.name!r} is declared by "
                f"{earlier.emitter or 'the core'} already; name yours after your plugin"
            )
        self.declared[event_type.name] = Declared(event_type, plugin)

    def _emitter_absent(self, subscription: Any) -> bool:
        """A subscription to another plugin's event, that plugin not installed: left out (an
        emitter installed that does not declare the event is still refused below)."""
        emitter = getattr(subscription, "emitter", None)
        return (
            emitter is not None
            and emitter not in self.registry.plugins
            and subscription.event not in self.declared
        )

    def _subscriber(self, subscription: Any, plugin: str | None, source: str) -> Subscriber:
        if not isinstance(subscription, Subscription):
            raise PluginError(
                f"{source}: ent_event_subscriptions returned {subscription!r}, not Subscription"
            )
        if subscription.event not in self.declared:
            close = difflib.get_close_matches(subscription.event, list(self.declared), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise PluginError(f"{source}: subscribes to unknown event {subscription.event!r}{hint}")
        if subscription.when not in (IN_TRANSACTION, AFTER_COMMIT):
            raise PluginError(
                f"{source}: subscription to {subscription.event!r} must say when it runs: "
                f"when={IN_TRANSACTION!r} or when={AFTER_COMMIT!r}, not {subscription.when!r}"
            )
        job_path = None
        if subscription.when == AFTER_COMMIT:
            try:
                job_path = dotted(subscription.handler)
            except ValueError as exc:
                raise PluginError(f"{source}: {subscription.event!r} after commit: {exc}") from None
        return Subscriber(subscription, plugin, job_path)

    def declaration(self, name: str) -> Declared:
        found = self.declared.get(name)
        if found is None:
            close = difflib.get_close_matches(name, list(self.declared), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise EventError(
                f"event {name!r} is not declared{hint}: return an EventType for it from "
                "your plugin's ent_event_types (docs/plugin_hooks.md, 'Events')"
            )
        return found

    def subscribers(self, name: str, enabled: frozenset[str]) -> tuple[Subscriber, ...]:
        """The core's subscribers of ``name``, then those of the plugins in ``enabled``, in
        hook order (core first, then plugin order, then name); built once per set."""
        key = (name, enabled)
        found = self._cache.get(key)
        if found is None:
            found = tuple(
                s for s in self._by_event.get(name, ()) if s.plugin is None or s.plugin in enabled
            )
            self._cache[key] = found
        return found
