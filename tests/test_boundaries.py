"""Architecture rules: the core never imports a plugin; plugins import only the SDK."""

from __future__ import annotations

import ast
from importlib.metadata import entry_points
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED_FOR_PLUGINS = {"ent_core.sdk"}
ALLOWED_IN_PLUGIN_TESTS = {"ent_core.sdk", "ent_core.testing"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            # ``from ent_core import sdk`` imports the module ent_core.sdk
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def plugin_packages() -> dict[str, Path]:
    """Plugin packages of this repository: bundled ones and the examples in docs/."""
    roots: dict[str, Path] = {}
    for init in ROOT.glob("plugins/*/__init__.py"):
        roots[f"ent_plugins.{init.parent.name}"] = init.parent
    for init in ROOT.glob("docs/examples/*/*/__init__.py"):
        if init.parent.name != "tests":
            roots[init.parent.name] = init.parent
    return roots


def plugin_import_names() -> set[str]:
    names = {ep.value.split(":")[0].split(".")[0] for ep in entry_points(group="ent.plugins")}
    return names | {name.split(".")[0] for name in plugin_packages()} | {"ent_plugins"}


def test_core_never_imports_a_plugin():
    forbidden = plugin_import_names() - {"ent_core"}
    offenders = []
    for path in (ROOT / "ent_core").rglob("*.py"):
        for module in imported_modules(path):
            if module.split(".")[0] in forbidden or module.startswith("tests"):
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not offenders, offenders


def _ent_core_imports(path: Path) -> set[str]:
    mods = imported_modules(path)
    result = set()
    for m in mods:
        if m == "ent_core":
            continue
        if m.startswith("ent_core."):
            # keep the module itself, not "ent_core.sdk.X" attribute spellings
            parts = m.split(".")
            result.add(".".join(parts[:2]))
    return result


def test_plugins_import_only_the_sdk_and_never_each_other():
    packages = plugin_packages()
    assert packages, "no plugin package found (docs/examples or plugins/)"
    offenders = []
    for name, root in packages.items():
        others = {n.split(".")[-1] for n in packages} - {name.split(".")[-1]}
        for path in root.rglob("*.py"):
            in_tests = "tests" in path.relative_to(root.parent).parts
            allowed = ALLOWED_IN_PLUGIN_TESTS if in_tests else ALLOWED_FOR_PLUGINS
            for module in _ent_core_imports(path) - allowed:
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
            for module in imported_modules(path):
                head = module.split(".")
                if head[0] in others or (
                    head[0] == "ent_plugins" and len(head) > 1 and head[1] in others
                ):
                    offenders.append(f"{path.relative_to(ROOT)} imports plugin {module}")
    # the example's own tests folder sits beside the package
    for tests_dir in ROOT.glob("docs/examples/*/tests"):
        for path in tests_dir.rglob("*.py"):
            for module in _ent_core_imports(path) - ALLOWED_IN_PLUGIN_TESTS:
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not offenders, offenders


def test_the_bundled_payment_provider_is_written_on_the_sdk_alone():
    """The bank transfer is a provider like a third party's: the SDK is all it may import (and
    the fixture plugin whose provider refunds, which the billing tests drive, likewise)."""
    for path in (
        ROOT / "ent_core" / "default_payments.py",
        ROOT / "tests/fixture_plugins/gated.py",
    ):
        assert _ent_core_imports(path) == {"ent_core.sdk"}, path


def test_boundary_checker_catches_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from ent_core.db import db\nfrom ent_core import sdk\n")
    assert _ent_core_imports(bad) == {"ent_core.db", "ent_core.sdk"}
