"""Loading plugins: metadata checks with clear errors, deterministic hook order, and the
activation cache shared correctly between processes."""

from __future__ import annotations

import itertools
import subprocess
import sys
import textwrap
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from ent_core import create_app
from ent_core.plugins import PlanQuota, PluginError, PluginMeta, PluginRegistry, hookimpl
from ent_core.testing import ApiClient, EntTestClient, sign_in
from ent_core.version import __version__
from ent_core.workspaces.service import disable_plugin, enable_plugin

_counter = itertools.count()


def fake_plugin(name: str, *, order: int = 100, **hooks: Callable[..., Any]) -> types.ModuleType:
    """A plugin module built in memory: ``meta`` plus the given hook implementations."""
    meta_fields = {
        k: hooks.pop(k)
        for k in ("version", "compatibility", "requires", "plan_feature", "quotas")
        if k in hooks
    }
    module = types.ModuleType(f"fake_plugin_{next(_counter)}_{name.lower().replace('-', '_')}")
    module.meta = PluginMeta(  # type: ignore[attr-defined]
        name=name, label=name, order=order, **{"version": "1.0.0", **meta_fields}
    )
    for hook_name, function in hooks.items():
        setattr(module, hook_name, hookimpl(function))
    return module


def load(*modules: types.ModuleType) -> PluginRegistry:
    registry = PluginRegistry()
    registry.load([(m, None) for m in modules])
    return registry


# -- metadata checks -------------------------------------------------------------------------


def test_an_incompatible_plugin_is_refused_with_versions_and_a_fix() -> None:
    with pytest.raises(PluginError) as exc:
        load(fake_plugin("future", version="3.0.0", compatibility=">=99"))

    message = str(exc.value)
    assert "'future'" in message and "3.0.0" in message
    assert ">=99" in message and __version__ in message
    assert "upgrade" in message


def test_a_malformed_compatibility_is_refused() -> None:
    with pytest.raises(PluginError, match=r"plugin 'odd': compatibility 'soon' is not a version"):
        load(fake_plugin("odd", compatibility="soon"))


def test_plan_features_and_quotas_come_from_the_metadata() -> None:
    registry = load(
        fake_plugin("stand", plan_feature="stands", quotas=(PlanQuota("stands", "Stands"),)),
        fake_plugin("kiosk", plan_feature="stands"),
        fake_plugin("free"),
    )
    assert registry.feature_labels() == {"stands": "kiosk"}  # no plugin named like it: first
    assert registry.quota_labels() == {"stands": "Stands"}


def test_a_quota_that_is_not_a_plan_quota_is_refused() -> None:
    with pytest.raises(PluginError, match=r"plugin 'odd': quotas must be PlanQuota"):
        load(fake_plugin("odd", quotas=("seats",)))


@pytest.mark.parametrize("name", ["Bad", "with-dash", "2fast", ""])
def test_a_bad_name_is_refused(name: str) -> None:
    with pytest.raises(PluginError, match="must be a lower-case identifier"):
        load(fake_plugin(name))


def test_a_module_without_meta_is_refused() -> None:
    with pytest.raises(PluginError, match=r"has no `meta = PluginMeta\(...\)`"):
        load(types.ModuleType("not_a_plugin"))


def test_a_name_provided_twice_is_refused_naming_both_modules() -> None:
    first, second = fake_plugin("twin"), fake_plugin("twin")

    with pytest.raises(PluginError) as exc:
        load(first, second)

    assert "'twin' is provided twice" in str(exc.value)
    assert first.__name__ in str(exc.value) and second.__name__ in str(exc.value)


def test_a_missing_requirement_is_refused() -> None:
    with pytest.raises(PluginError, match="plugin 'needy' requires ghost, which is not installed"):
        load(fake_plugin("needy", requires=("ghost",)))


def test_an_unknown_hook_names_the_plugin_the_hook_and_the_likely_one() -> None:
    typo = fake_plugin("typo", ent_nav_item=lambda workspace, user: [])

    with pytest.raises(PluginError) as exc:
        load(typo)

    message = str(exc.value)
    assert "plugin 'typo'" in message
    assert "'ent_nav_item'" in message
    assert "did you mean 'ent_nav_items'?" in message


def test_a_hook_with_a_wrong_argument_is_refused_naming_the_plugin() -> None:
    wrong = fake_plugin("wrong", ent_nav_items=lambda workspace, member: [])

    with pytest.raises(PluginError, match="plugin 'wrong'"):
        load(wrong)


def test_a_model_outside_the_plugin_prefix_is_refused(tmp_path: Path) -> None:
    """Run in a child process: the bad model would otherwise stay in this session's metadata."""
    package = tmp_path / "sloppy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text(
        textwrap.dedent(
            """
            from sqlalchemy.orm import Mapped, mapped_column
            from ent_core import sdk

            class Note(sdk.TenantMixin, sdk.db.Model):
                __tablename__ = "notes"
                id: Mapped[int] = mapped_column(primary_key=True)
            """
        )
    )
    (package / "plugin.py").write_text(
        textwrap.dedent(
            """
            from ent_core import sdk
            from sloppy import models  # noqa: F401

            meta = sdk.PluginMeta(name="sloppy", version="1.0.0", label="Sloppy")
            """
        )
    )
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        from ent_core.plugins import PluginError, PluginRegistry
        import sloppy.plugin
        try:
            PluginRegistry().load([(sloppy.plugin, None)])
        except PluginError as exc:
            print(exc)
            sys.exit(3)
        """
    )

    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 3, result.stderr
    assert "plugin 'sloppy'" in result.stdout
    assert "sloppy.models.Note uses table 'notes'" in result.stdout
    assert "'sloppy_notes'" in result.stdout


def test_a_name_whose_prefix_the_core_uses_is_refused() -> None:
    with pytest.raises(PluginError) as exc:
        load(fake_plugin("membership"))

    assert "plugin 'membership'" in str(exc.value)
    assert "membership_role" in str(exc.value)


def test_prefixed_plugin_models_are_accepted(app: Any) -> None:
    """The fixture plugin alpha maps ``alpha_item``: it loaded, so the rule let it through."""
    assert app.extensions["ent"].get("alpha") is not None


# -- deterministic order ---------------------------------------------------------------------


def _nav_results(modules: list[types.ModuleType]) -> tuple[list[Any], list[Any]]:
    """(answers of the core's modules, answers of the plugins), in call order."""
    registry = load(*modules)
    core = sum(
        1
        for impl in registry.pm.hook.ent_nav_items.get_hookimpls()
        if impl.plugin_name.startswith("core:")
    )
    results = registry.hook.ent_nav_items(workspace=None, user=None)
    return results[:core], results[core:]


def test_hooks_answer_core_first_then_by_order_then_by_name() -> None:
    def answering(name: str, order: int = 100) -> types.ModuleType:
        return fake_plugin(name, order=order, ent_nav_items=lambda workspace, user: [name])

    modules = [answering("zeta"), answering("alef", order=200), answering("beth"), answering("mim")]
    expected = [["beth"], ["mim"], ["zeta"], ["alef"]]

    for shuffled in itertools.permutations(modules):
        core, plugins = _nav_results(list(shuffled))
        assert core and core[0][0].endpoint == "workspace.dashboard"
        assert all(not isinstance(item, str) for batch in core for item in batch)
        assert plugins == expected, [m.meta.name for m in shuffled]


# -- activation cache across processes -------------------------------------------------------


def test_another_process_sees_a_switch_on_its_next_request(
    ent_config: dict[str, Any],
    ent_plugin_modules: list[Any],
    workspace: Any,
    user: Any,
) -> None:
    """Two applications on one database stand for two gunicorn workers."""
    other = create_app(dict(ent_config), plugin_modules=list(ent_plugin_modules))
    other.test_client_class = EntTestClient
    other.extensions["ent.mail_outbox"] = []
    other_client = sign_in(other.test_client(), user)
    try:
        assert other_client.get("/w/acme/alpha/").status_code == 404
        serial_before = other.extensions["ent"]._workspace_cache[workspace.id][0]

        enable_plugin(workspace, "alpha", actor=user)  # in this process only

        assert other_client.get("/w/acme/alpha/").status_code == 200
        assert other.extensions["ent"]._workspace_cache[workspace.id][0] > serial_before

        disable_plugin(workspace, "alpha", actor=user)

        assert other_client.get("/w/acme/alpha/").status_code == 404
    finally:
        from ent_core.db import db

        with other.app_context():
            db.session.remove()
            db.engine.dispose()


# -- start-up hooks: called once, their answers registered as returned --------------------------


@contextmanager
def app_with(ent_config: dict[str, Any], *modules: types.ModuleType) -> Iterator[Any]:
    """Another application on the session's database, with ``modules`` as its plugins."""
    other = create_app(dict(ent_config), plugin_modules=list(modules))
    other.test_client_class = EntTestClient
    other.extensions["ent.mail_outbox"] = []
    try:
        yield other
    finally:
        from ent_core.db import db

        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_blueprint_built_inside_the_hook_is_mounted_with_its_prefix_and_guard(
    ent_config: dict[str, Any], workspace: Any, user: Any, make_api_client: Any
) -> None:
    """Before: the hook ran twice and the second, untagged blueprint was mounted at
    ``/w/<workspace>/notes``, answering in every workspace."""
    from tests.fixture_plugins import builder

    with app_with(ent_config, builder) as other:
        page = sign_in(other.test_client(), user)
        api = ApiClient(other.test_client(), make_api_client(user).token)

        assert page.get("/w/acme/builder/notes").status_code == 404  # off here
        assert page.get("/w/acme/notes").status_code == 404  # never without its prefix

        assert api.put("/api/v1/workspaces/acme/plugins/builder").status_code == 200
        resp = page.get("/w/acme/builder/notes")
        assert resp.status_code == 200 and resp.text == "builder notes"

        assert api.delete("/api/v1/workspaces/acme/plugins/builder").status_code == 204
        assert page.get("/w/acme/builder/notes").status_code == 404


def test_each_start_up_hook_is_called_once(ent_config: dict[str, Any]) -> None:
    from tests.fixture_plugins import builder

    builder.CALLS.clear()
    with app_with(ent_config, builder):
        assert builder.CALLS == {
            "ent_blueprints": 1,
            "ent_permissions": 1,
            "ent_roles": 1,
            "ent_cli_commands": 1,
        }


def test_an_unowned_workspace_blueprint_stops_start_up(ent_config: dict[str, Any]) -> None:
    from tests.fixture_plugins import smuggler

    with pytest.raises(PluginError) as exc, app_with(ent_config, smuggler):
        pass

    message = str(exc.value)
    assert "blueprint 'smuggled'" in message and "/w/<workspace>/hidden/" in message
    assert "plugin 'smuggler' while mounting 'smuggler'" in message
    assert "return it from the plugin's ent_blueprints" in message


def test_answers_follow_the_order_of_a_hook_call() -> None:
    """``answers`` calls pluggy's implementations itself: it must keep pluggy's order."""
    modules = [
        fake_plugin(name, order=order, ent_nav_items=lambda workspace, user, n=name: [n])
        for name, order in (("zeta", 100), ("alef", 200), ("beth", 100))
    ]
    registry = load(*modules)

    answers = registry.answers("ent_nav_items", workspace=None, user=None)

    assert [a.value for a in answers] == registry.hook.ent_nav_items(workspace=None, user=None)
    assert [a.plugin for a in answers if a.plugin] == ["beth", "zeta", "alef"]
    assert all(a.source.startswith("core:") for a in answers if a.plugin is None)


def test_a_wrapper_on_a_start_up_hook_is_refused() -> None:
    def ent_blueprints() -> Any:
        yield

    wrapping = fake_plugin("wrapping")
    wrapping.ent_blueprints = hookimpl(wrapper=True)(ent_blueprints)  # type: ignore[attr-defined]
    registry = load(wrapping)

    with pytest.raises(PluginError, match="plugin 'wrapping': ent_blueprints is called once"):
        registry.answers("ent_blueprints")


def test_a_permission_declared_twice_names_both_plugins(ent_config: dict[str, Any]) -> None:
    from ent_core.permissions import Permission

    def declaring() -> list[Any]:
        return [Permission("shared.act", "Act", ("owner",))]

    first = fake_plugin("first", ent_permissions=declaring)
    second = fake_plugin("second", ent_permissions=declaring)

    with pytest.raises(PluginError) as exc, app_with(ent_config, first, second):
        pass

    assert "permission 'shared.act' is declared twice: by 'first' and by 'second'" in str(exc.value)
