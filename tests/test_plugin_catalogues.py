"""One catalogue per plugin: a plugin's strings come from its own catalogue first, then the
core's; the core's strings from the core's alone (ent_core/catalogues.py, docs/i18n.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from ent_core import create_app
from tests.fixture_plugins import magpie, parrot

# What each fixture plugin's catalogue says for "Withdraw", by language.
WITHDRAW = {
    "parrot": {"fr": "Retirer", "ar": "سحب"},
    "magpie": {"fr": "Se retirer", "ar": "انسحاب"},
}


@pytest.fixture(scope="module")
def two_plugins(app: Flask, ent_config: dict[str, Any]) -> Iterator[Flask]:
    """A platform with two plugins that translate "Withdraw" each their own way (on the
    test database ``app`` prepared)."""
    yield create_app({**ent_config, "ENT_PLUGINS": ""}, plugin_modules=[parrot, magpie])


def _texts(html: str) -> dict[str, str]:
    return dict(re.findall(r'<p id="([\w-]+)">([^<]*)</p>', html))


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_two_plugins_translate_the_same_string_each_their_own_way_in_python(two_plugins, lang):
    with two_plugins.test_request_context(f"/?lang={lang}"):
        for plugin in (parrot, magpie):
            word = WITHDRAW[plugin.meta.name][lang]
            got = plugin.words()
            assert got["now"] == got["lazy"] == got["named"] == word
            assert got["with_variables"] == f"{word} X"
            assert got["plural"] == f"2 x {word}"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_two_plugins_translate_the_same_string_each_their_own_way_in_templates(two_plugins, lang):
    with two_plugins.test_request_context(f"/?lang={lang}"):
        for _ in range(2):  # compiled, then from the cache: the same answer
            for plugin in (parrot, magpie):
                word = WITHDRAW[plugin.meta.name][lang]
                assert _texts(plugin.page()) | {"core": ""} == {
                    "fixed": word,
                    "with-variables": f"{word} X",
                    "plural": f"2 x {word}",
                    "included": word,
                    "core": "",
                }


def test_a_plugin_falls_back_to_the_core_and_never_changes_the_cores_strings(two_plugins):
    with two_plugins.test_request_context("/?lang=fr"):
        # parrot translates "Sign in" its own way; magpie does not, so it gets the core's.
        assert parrot.words()["core"] == _texts(parrot.page())["core"] == "Entrer (parrot)"
        assert magpie.words()["core"] == _texts(magpie.page())["core"] == "Se connecter"
    home = two_plugins.test_client().get("/?lang=fr").text
    assert "Se connecter" in home and "Entrer (parrot)" not in home


def test_strings_outside_a_request_follow_the_forced_language(two_plugins):
    from flask_babel import force_locale

    with two_plugins.app_context(), force_locale("ar"):
        assert parrot.words()["now"] == "سحب"
        assert magpie.page().count("انسحاب") == 4  # fixed, with variables, plural, included


@pytest.mark.parametrize(
    ("lang", "publishing", "training"),
    [("fr", "Retirer", "Se retirer"), ("ar", "سحب", "انسحاب")],
)
def test_publishing_and_training_each_keep_their_withdraw(app, lang, publishing, training):
    """The bug: the catalogues were merged, so publishing's "Withdraw" read training's.
    (The training cohort page itself: plugins/training/tests/test_training_cohorts.py.)"""
    from ent_plugins.publishing.labels import TRANSITION_LABELS

    from ent_core.catalogues import catalogue_of

    with app.test_request_context(f"/?lang={lang}"):
        assert str(TRANSITION_LABELS["withdraw"]) == publishing
        assert catalogue_of("training").ugettext("Withdraw") == training
        assert catalogue_of(None).ugettext("Withdraw") == "Withdraw"  # the core has none
