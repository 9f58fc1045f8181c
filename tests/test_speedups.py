"""The private APIs ``ent_core.speedups`` (and ``ent_core.templating``) lean on, and their effects.

Each library whose internals the performance layer uses is pinned in pyproject.toml. These
tests fail when a new release moves those internals: first the attribute or signature, then
the effect the override exists for. When one fails, read the library's changelog, adapt the
override (or drop it), and widen the pin only then.
"""

from __future__ import annotations

import functools
import inspect
import tomllib
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import flask_babel
import jinja2
import pytest
from flask import Flask, g, render_template_string
from flask_babel import force_locale, get_translations
from flask_login import current_user, login_user
from packaging.requirements import Requirement
from packaging.version import Version
from werkzeug.utils import cached_property

from ent_core import speedups

PINNED = ("flask", "flask-babel", "flask-login", "jinja2")


def _requirements() -> dict[str, Requirement]:
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    found = (Requirement(line) for line in pyproject["project"]["dependencies"])
    return {r.name.lower(): r for r in found}


@pytest.mark.parametrize("name", PINNED)
def test_each_library_whose_internals_we_use_is_pinned_below_its_next_major(name: str) -> None:
    requirement = _requirements()[name]
    assert any(spec.operator == "<" for spec in requirement.specifier), requirement
    assert Version(version(name)) in requirement.specifier


def _parameters(func: Any) -> list[str]:
    return list(inspect.signature(func).parameters)


# -- Flask-Babel -------------------------------------------------------------------------------
def test_flask_babel_keeps_its_domain_in_a_cached_property_we_can_replace() -> None:
    # werkzeug's cached_property: an instance attribute of the same name wins over it
    assert isinstance(vars(flask_babel.Babel)["domain_instance"], cached_property)
    assert _parameters(flask_babel.Domain.get_translations) == ["self"]
    assert _parameters(flask_babel._get_current_context) == []


def test_the_request_catalogue_is_kept_where_flask_babel_looks_and_forgets_it(app_ctx) -> None:
    assert isinstance(
        app_ctx.extensions["babel"].instance.domain_instance, speedups.RequestCatalogueDomain
    )
    with app_ctx.app_context(), app_ctx.test_request_context("/?lang=ar"):
        catalogue = get_translations()
        state = speedups.babel_state()
        assert state is vars(g)["_flask_babel"]  # where ent_core.lazytext reads it
        assert state.babel_translations is catalogue
        assert get_translations() is catalogue  # answered from the state, not looked up
        with force_locale("en"):  # Flask-Babel clears it for the block, then restores it
            assert get_translations() is not catalogue
            assert str(state.babel_locale) == "en"
        assert get_translations() is catalogue
        assert flask_babel.gettext("Sign in") == catalogue.ugettext("Sign in")


def test_remembered_dates_answer_as_flask_babel_does_per_language(app_ctx) -> None:
    moment = datetime(2026, 3, 1, 14, 30, tzinfo=UTC)
    for lang in ("fr", "ar", "en"):
        with app_ctx.app_context(), app_ctx.test_request_context(f"/?lang={lang}"):
            expected = flask_babel.format_datetime(moment)
            assert render_template_string("{{ m|datetimeformat }}", m=moment) == expected
            assert render_template_string("{{ m|datetimeformat }}", m=moment) == expected
            assert speedups.babel_state().babel_tzinfo is not None


# -- Flask-Login and Flask -------------------------------------------------------------------
def test_flask_login_keeps_the_user_on_g_where_the_template_context_looks(app_ctx, user) -> None:
    with app_ctx.app_context(), app_ctx.test_request_context("/"):
        login_user(user)
        assert vars(g)["_login_user"] is user
        assert current_user._get_current_object() is user


def test_flask_override_points_keep_their_signatures() -> None:
    assert _parameters(Flask.ensure_sync) == ["self", "func"]
    assert _parameters(Flask.update_template_context) == ["self", "context"]
    assert isinstance(Flask("probe").url_default_functions, dict)


def test_ensure_sync_marks_plain_functions_once(app_ctx) -> None:
    def view() -> str:
        return "ok"

    assert app_ctx.ensure_sync(view) is view
    assert view.__dict__.get("_ent_checked_sync") is True
    assert app_ctx.ensure_sync(functools.partial(view)) is not None  # not a plain function


def test_context_processors_run_once_per_request_and_again_after_a_change(app_ctx) -> None:
    calls: list[str] = []

    def counting() -> dict[str, Any]:
        calls.append("run")
        return {}

    app_ctx.template_context_processors[None].append(counting)
    try:
        with app_ctx.app_context(), app_ctx.test_request_context("/"):
            render_template_string("a")
            render_template_string("b")
            assert calls == ["run"]
            with force_locale("ar"):
                render_template_string("c")
            assert calls == ["run", "run"]
    finally:
        app_ctx.template_context_processors[None].remove(counting)


# -- Jinja (ent_core/templating.py) ------------------------------------------------------------
def test_jinja_internals_of_the_per_catalogue_templates_are_where_we_expect() -> None:
    assert _parameters(jinja2.Environment._load_template) == ["self", "name", "globals"]
    assert _parameters(jinja2.Environment._parse) == ["self", "source", "name", "filename"]
    assert _parameters(jinja2.Template._get_default_module) == ["self", "ctx"]
    environment = jinja2.Environment(autoescape=True)
    assert isinstance(environment.from_string("").new_context().globals_keys, set)


def test_a_template_is_compiled_once_per_language_with_its_strings_fixed(app_ctx) -> None:
    source = "{{ _('Sign in') }}"
    with app_ctx.app_context(), app_ctx.test_request_context("/?lang=fr"):
        french = render_template_string(source)
    with app_ctx.app_context(), app_ctx.test_request_context("/?lang=ar"):
        arabic = render_template_string(source)
    assert french != arabic and french and arabic


# -- the one cache helper --------------------------------------------------------------------
def test_bounded_cache_keeps_its_bound_and_lets_the_oldest_go() -> None:
    cache: speedups.BoundedCache[int, str] = speedups.BoundedCache(limit=3)
    for n in range(5):
        cache.put(n, str(n))
    assert len(cache) == 3 and list(cache) == [2, 3, 4]
    cache.put(3, "three")  # replacing evicts nothing
    assert len(cache) == 3 and cache.get(3) == "three" and cache.get(0) is None
