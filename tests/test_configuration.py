"""One loader for the platform's configuration: environment, TOML file, plugins' operator settings
(docs/configuration.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from ent_core import create_app, sdk
from ent_core.config import PLATFORM_SETTINGS, ConfigurationError, load
from ent_core.testing import EntTestClient, all_workspaces
from tests.fixture_plugins import alpha, beta, gated

DOCS = Path(__file__).parents[1] / "docs" / "configuration.md"


def _file(tmp_path: Path, text: str, name: str = "ent.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _load(tmp_path: Path, text: str, **environ: str) -> dict[str, Any]:
    path = _file(tmp_path, text)
    return load({"ENT_CONFIG_FILE": str(path), "ENT_INSTANCE_PATH": str(tmp_path), **environ})


@pytest.fixture
def app_from(ent_config: dict[str, Any]) -> Iterator[Any]:
    """Build another application on the session's database with a configuration file."""
    built: list[Flask] = []

    def build(path: Path, **environ: str) -> Flask:
        config = {k: v for k, v in ent_config.items() if k != "ENT_PLUGINS"}
        monkey.setenv("ENT_CONFIG_FILE", str(path))
        for key, value in environ.items():
            monkey.setenv(key, value)
        other = create_app(config, plugin_modules=[alpha, beta, gated])
        other.test_client_class = EntTestClient
        other.extensions["ent.mail_outbox"] = []
        built.append(other)
        return other

    monkey = pytest.MonkeyPatch()
    yield build
    monkey.undo()
    from ent_core.db import db

    for other in built:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


# -- the file -----------------------------------------------------------------------------------


def test_the_file_sets_platform_settings_by_their_environment_names(tmp_path):
    config = _load(
        tmp_path,
        '[platform]\nENT_HSTS_SECONDS = 0\nENT_CONTACT_EMAIL = "appeal@ent.ma"\n'
        "ENT_GC_FREEZE = true\nENT_JOB_RETRY_INTERVALS = [5, 30]\n",
    )

    assert config["ENT_HSTS_SECONDS"] == 0
    assert config["ENT_CONTACT_EMAIL"] == "appeal@ent.ma"
    assert config["ENT_GC_FREEZE"] is True
    assert config["ENT_JOB_RETRY_INTERVALS"] == "5,30"


def test_the_environment_wins_over_the_file(tmp_path):
    config = _load(tmp_path, "[platform]\nENT_HSTS_SECONDS = 0\n", ENT_HSTS_SECONDS="600")

    assert config["ENT_HSTS_SECONDS"] == 600


def test_the_instance_folder_s_ent_toml_is_read_without_being_named(tmp_path):
    _file(tmp_path, '[platform]\nENT_CONTACT_EMAIL = "here@ent.ma"\n')

    config = load({"ENT_INSTANCE_PATH": str(tmp_path)})

    assert config["ENT_CONTACT_EMAIL"] == "here@ent.ma"
    assert config["ENT_CONFIG_FILE"] == str(tmp_path / "ent.toml")
    assert load({"ENT_INSTANCE_PATH": str(tmp_path / "empty")})["ENT_CONFIG_FILE"] is None


def test_a_bad_value_in_the_file_names_the_setting_and_the_file(tmp_path):
    with pytest.raises(ConfigurationError) as exc:
        _load(tmp_path, "[platform]\nENT_REMEMBER_DAYS = 0\n")

    message = str(exc.value)
    assert message.startswith("ENT_REMEMBER_DAYS must be a whole number of at least 1, not '0'")
    assert f"(set in {tmp_path / 'ent.toml'} [platform])" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[platform]\nENT_BASE_ULR = 'https://x'\n", "unknown setting; did you mean ENT_BASE_URL"),
        ("[platfrom]\nENT_ENV = 'development'\n", "unknown table(s) platfrom"),
        ("[platform]\nENT_INSTANCE_PATH = '/srv'\n", "read from the environment only"),
        ("[platform]\nENT_PLUGINS = ['alpha']\n", "the file says this in [plugins]"),
        ("[platform]\nENT_CONTACT_EMAIL = {a = 1}\n", "a text, a number, true/false or a list"),
        ("[platform\n", "cannot be read as TOML"),
        ("platform = 3\n", "[platform] must be a table"),
    ],
)
def test_a_file_the_platform_cannot_read_stops_the_start_saying_why(tmp_path, text, expected):
    with pytest.raises(ConfigurationError) as exc:
        _load(tmp_path, text)

    assert expected in str(exc.value)
    assert str(tmp_path / "ent.toml") in str(exc.value)


def test_a_named_file_that_does_not_exist_stops_the_start(tmp_path):
    with pytest.raises(ConfigurationError, match=r"ENT_CONFIG_FILE=.*no such file"):
        load({"ENT_CONFIG_FILE": str(tmp_path / "missing.toml")})


@pytest.mark.parametrize(
    "name", ["ENT_PROXY_FIX", "ENT_HSTS_SECONDS", "ENT_SIGN_IN_MAX_FAILURES", "ENT_JOB_TIMEOUT"]
)
def test_a_number_that_is_not_one_is_a_clear_error_not_a_traceback(name):
    with pytest.raises(ConfigurationError, match=f"^{name} must be a whole number"):
        load({name: "ten"})


def test_every_platform_setting_is_documented_and_every_documented_one_is_read():
    text = DOCS.read_text(encoding="utf-8")
    environment = text.split("## The environment", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`((?:ENT|SECRET|DATABASE|REDIS|SMTP)[A-Z0-9_]*)`", environment))
    documented -= {"ENT_OIDC_", "ENT_PLUGIN_"}  # the patterns ENT_OIDC_<NAME>_..., ENT_PLUGIN_...

    assert documented >= PLATFORM_SETTINGS
    assert documented - PLATFORM_SETTINGS <= {
        "ENT_CONFIG_FILE",
        "ENT_INSTANCE_PATH",
        "ENT_PLUGINS",
        "ENT_PLUGINS_ENABLED_BY_DEFAULT",
    }


# -- plugins ------------------------------------------------------------------------------------


def test_the_file_says_which_plugins_are_installed(tmp_path):
    config = _load(tmp_path, '[plugins]\ninstalled = ["publishing", "training"]\n')

    assert config["ENT_PLUGINS"] == ["publishing", "training"]
    assert _load(tmp_path, "", ENT_PLUGINS="training")["ENT_PLUGINS"] == ["training"]
    assert _load(tmp_path, "")["ENT_PLUGINS"] is None  # every plugin found


def test_workspace_defaults_of_a_plugin_come_from_its_table(tmp_path):
    config = _load(tmp_path, '[plugins.alpha.workspace_defaults]\ngreeting = "Marhaba"\n')

    assert config["ENT_PLUGIN_SETTINGS"] == {"alpha": {"greeting": "Marhaba"}}


def test_operator_settings_are_typed_from_the_file_and_the_environment(tmp_path, app_from):
    path = _file(
        tmp_path,
        '[plugins.alpha]\napi_key = "from-file"\nflush_seconds = 5\nchannels = ["web", "tag"]\n',
    )
    other = app_from(path, ENT_PLUGIN_ALPHA__FLUSH_SECONDS="30", ENT_PLUGIN_ALPHA__LOUD="1")

    with other.app_context():
        settings = sdk.operator_settings("alpha")
    assert settings.api_key == "from-file"
    assert settings.flush_seconds == 30  # the environment wins, read as a number
    assert settings.loud is True
    assert settings.channels == ["web", "tag"]
    with other.app_context(), pytest.raises(LookupError, match="'beta' declares no operator"):
        sdk.operator_settings("beta")


def test_operator_settings_take_their_defaults(tmp_path, app_from):
    other = app_from(_file(tmp_path, ""))

    with other.app_context():
        assert sdk.operator_settings("alpha").flush_seconds == 60


@pytest.mark.parametrize(
    ("text", "environ", "expected"),
    [
        (
            "[plugins.alpha]\nflush_seconds = 'soon'\n",
            {},
            "plugin 'alpha', operator settings: flush_seconds in {file} [plugins.alpha] = 'soon': "
            "Input should be a valid integer",
        ),
        (
            "",
            {"ENT_PLUGIN_ALPHA__FLUSH_SECONDS": "soon"},
            "ENT_PLUGIN_ALPHA__FLUSH_SECONDS = 'soon': Input should be a valid integer",
        ),
        ("[plugins.alpha]\nflush = 3\n", {}, "flush in {file} [plugins.alpha] = 3: Extra inputs"),
        ("[plugins.beta]\nx = 1\n", {}, "plugin 'beta' has no operator settings, but x in"),
        (
            "",
            {"ENT_PLUGIN_WEATHER__RATE": "3"},
            "operator settings for plugin 'weather' (ENT_PLUGIN_WEATHER__RATE), which is not "
            "installed",
        ),
        (
            "[plugins]\nenabled_by_default = ['alpha', 'weather']\n",
            {},
            "plugins enabled by default are not installed: weather",
        ),
    ],
)
def test_wrong_operator_settings_stop_the_start_naming_plugin_setting_and_source(
    tmp_path, app_from, text, environ, expected
):
    path = _file(tmp_path, text)

    with pytest.raises(ConfigurationError) as exc:
        app_from(path, **environ)

    assert expected.format(file=path) in str(exc.value)


def test_a_plugin_s_operator_settings_must_be_an_operator_settings_class():
    from ent_core.plugins import PluginError, PluginMeta, PluginRegistry

    module = type(alpha)("odd")
    module.meta = PluginMeta(name="odd", version="1", label="Odd", operator_settings=dict)

    with pytest.raises(PluginError, match=r"operator_settings must be a subclass of sdk\.Operator"):
        PluginRegistry().load([(module, None)])


# -- enabled by default -------------------------------------------------------------------------


def test_an_approved_workspace_gets_the_modules_enabled_by_default_its_plan_allows(
    app, make_workspace, make_user, client, monkeypatch
):
    from ent_core.testing import sign_in

    monkeypatch.setitem(app.config, "ENT_PLUGINS_ENABLED_BY_DEFAULT", ("beta", "alpha", "gated"))
    workspace = make_workspace("acme", status="pending")
    sign_in(client, make_user("root@example.ma", admin=True))

    resp = client.post("/admin/workspaces/acme/approve")

    assert resp.status_code == 303
    with all_workspaces():
        enabled = app.extensions["ent"].enabled_for(workspace)
    # beta requires alpha (switched on first); gated needs a plan the workspace lacks.
    assert sorted(enabled) == ["alpha", "beta"]
