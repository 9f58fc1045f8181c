"""``ent plugin new`` writes a plugin that installs with pip, passes its tests and serves a page."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ent_core.cli import main

BIN = Path(sys.executable).parent


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def installed_scaffold(tmp_path_factory):
    work = tmp_path_factory.mktemp("scaffold")
    result = CliRunner().invoke(main, ["plugin", "new", "field_notes", "--directory", str(work)])
    assert result.exit_code == 0, result.output
    source = work / "ent-field_notes"
    target = work / "site"
    pip = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(source),
        ],
        dict(os.environ),
        work,
    )
    assert pip.returncode == 0, pip.stderr
    env = dict(os.environ, PYTHONPATH=str(target), ENT_INSTANCE_PATH=str(work / "instance"))
    env.pop("DATABASE_URL", None)
    return source, target, env, work


def test_scaffold_refuses_bad_names_and_existing_folders(tmp_path):
    runner = CliRunner()
    bad = runner.invoke(main, ["plugin", "new", "Bad-Name", "--directory", str(tmp_path)])
    assert bad.exit_code != 0
    assert "not a valid plugin name" in bad.output
    assert runner.invoke(main, ["plugin", "new", "notes", "-d", str(tmp_path)]).exit_code == 0
    again = runner.invoke(main, ["plugin", "new", "notes", "-d", str(tmp_path)])
    assert again.exit_code != 0
    assert "already exists" in again.output


def test_scaffold_layout_and_compiled_catalogues(installed_scaffold):
    source, target, _, _ = installed_scaffold
    for relative in (
        "pyproject.toml",
        "ent_field_notes/plugin.py",
        "ent_field_notes/models.py",
        "ent_field_notes/blueprint.py",
        "ent_field_notes/views.py",
        "ent_field_notes/forms.py",
        "ent_field_notes/templates/field_notes/index.html",
        "ent_field_notes/static/field_notes/field_notes.css",
        "ent_field_notes/migrations/versions/0001_create_entry.py",
        "tests/test_plugin.py",
    ):
        assert (source / relative).is_file(), relative
    assert (target / "ent_field_notes/translations/fr/LC_MESSAGES/messages.mo").is_file()
    assert list(target.glob("ent_field_notes-*.dist-info/entry_points.txt"))


def test_generated_plugin_passes_its_own_tests(installed_scaffold):
    source, _, env, _ = installed_scaffold
    result = _run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(source / "tests")],
        env,
        source,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "8 passed" in result.stdout


def test_doctor_reports_the_generated_plugin_and_its_migrations(installed_scaffold):
    _, _, env, work = installed_scaffold
    before = _run([str(BIN / "ent"), "plugin", "doctor", "--json"], env, work)
    report = json.loads(before.stdout)
    plugin = next(p for p in report["plugins"] if p["name"] == "field_notes")
    assert plugin["hooks"] == [
        "ent_blueprints",
        "ent_event_subscriptions",
        "ent_event_types",
        "ent_nav_items",
    ]
    assert plugin["events"] == {
        "emits": ["field_notes.entry_posted"],
        "subscribes": [{"event": "member.joined", "when": "after_commit"}],
    }
    assert plugin["operator_settings"] == {"max_entries": False, "welcome_new_members": False}
    assert plugin["compatible"] is True
    assert before.returncode == 1  # database not migrated yet
    upgrade = _run([str(BIN / "ent"), "db", "upgrade"], env, work)
    assert upgrade.returncode == 0, upgrade.stderr
    assert "field_notes" in upgrade.stdout
    operated = {**env, "ENT_PLUGIN_FIELD_NOTES__MAX_ENTRIES": "50"}
    after = _run([str(BIN / "ent"), "plugin", "doctor", "--json"], operated, work)
    assert after.returncode == 0, after.stdout + after.stderr
    plugin = next(p for p in json.loads(after.stdout)["plugins"] if p["name"] == "field_notes")
    assert plugin["operator_settings"] == {"max_entries": True, "welcome_new_members": False}
    assert plugin["migrations"]["pending"] is False
    assert plugin["enabled_in"] == []


def test_doctor_names_an_unknown_hook_and_its_closest_match(tmp_path, monkeypatch):
    """A typo in a hook name stops the platform; doctor still reports it, with a suggestion."""
    package = tmp_path / "typo_plugin"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from ent_core import sdk\n"
        "meta = sdk.PluginMeta(name='typo', version='1.0', label='Typo')\n"
        "@sdk.hookimpl\n"
        "def ent_nav_item(workspace, user):\n"
        "    return []\n"
    )
    dist = tmp_path / "typo_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: typo-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[ent.plugins]\ntypo = typo_plugin\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path), ENT_INSTANCE_PATH=str(tmp_path / "i"))
    env.pop("DATABASE_URL", None)
    result = _run([str(BIN / "ent"), "plugin", "doctor", "--json"], env, tmp_path)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    typo = next(p for p in report["plugins"] if p["name"] == "typo")
    assert typo["unknown_hooks"] == [{"name": "ent_nav_item", "did_you_mean": ["ent_nav_items"]}]
    assert "ent_nav_item" in report["app_error"]
