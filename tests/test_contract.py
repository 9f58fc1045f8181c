"""Contract tests: every hook is documented and tested; the SDK keeps its public names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ent_core import hookspecs

ROOT = Path(__file__).resolve().parent.parent
HOOKS = sorted(
    name
    for name in dir(hookspecs)
    if name.startswith("ent_") and callable(getattr(hookspecs, name))
)


def _hook_doc_headings() -> set[str]:
    text = (ROOT / "docs" / "plugin_hooks.md").read_text(encoding="utf-8")
    return set(re.findall(r"^## (ent_\w+)\s*$", text, flags=re.MULTILINE))


def _test_names(pattern: str) -> set[str]:
    """What ``pattern`` captures in the core's and the bundled plugins' test modules."""
    names: set[str] = set()
    paths = [*(ROOT / "tests").rglob("test_*.py"), *(ROOT / "plugins").glob("*/tests/test_*.py")]
    for path in paths:
        names.update(re.findall(pattern, path.read_text(encoding="utf-8"), re.MULTILINE))
    return names


def _tested_hooks() -> set[str]:
    return _test_names(r"^(?:def |)test_hook_(ent_\w+?)(?:\(| =)")


def test_there_are_hooks():
    assert len(HOOKS) >= 10


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented(hook):
    assert hook in _hook_doc_headings(), f"docs/plugin_hooks.md needs a '## {hook}' section"


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test(hook):
    assert hook in _tested_hooks(), f"add a test named test_hook_{hook}"


def test_documented_hooks_exist():
    unknown = _hook_doc_headings() - set(HOOKS)
    assert not unknown, f"docs/plugin_hooks.md documents hooks that do not exist: {unknown}"


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hookspec_has_a_one_line_docstring(hook):
    doc = getattr(hookspecs, hook).__doc__ or ""
    assert doc.strip() and "\n" not in doc.strip()


def _declared_events() -> dict[str, list[str]]:
    """Every event the core and the installed plugins declare, with its payload fields."""
    from ent_core.events.core import CORE_EVENT_TYPES
    from ent_core.plugins import discover

    types = list(CORE_EVENT_TYPES)
    for module, _ in discover():
        hook = getattr(module, "ent_event_types", None)
        types.extend(hook() if hook is not None else ())
    return {t.name: list(t.fields) for t in types}


EVENTS = sorted(_declared_events())


def _event_doc_sections() -> dict[str, str]:
    text = (ROOT / "docs" / "plugin_hooks.md").read_text(encoding="utf-8")
    parts = re.split(r"^### `([a-z_.]+)`\s*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _tested_events() -> set[str]:
    return _test_names(r"^def test_event_(\w+)\(")


def test_there_are_events():
    assert {"article.published", "certificate.issued", "invoice.paid"} <= set(EVENTS)


@pytest.mark.parametrize("event", EVENTS)
def test_every_event_is_documented_with_its_payload(event):
    section = _event_doc_sections().get(event)
    assert section is not None, f"docs/plugin_hooks.md needs a '### `{event}`' entry"
    undocumented = [f for f in _declared_events()[event] if f"| `{f}` |" not in section]
    assert not undocumented, f"the entry of {event} does not describe {undocumented}"


@pytest.mark.parametrize("event", EVENTS)
def test_every_event_has_a_test(event):
    name = event.replace(".", "_")
    assert name in _tested_events(), f"add a test named test_event_{name}"


def test_documented_events_exist():
    unknown = _event_doc_sections().keys() - set(EVENTS)
    assert not unknown, f"docs/plugin_hooks.md documents events that do not exist: {unknown}"
