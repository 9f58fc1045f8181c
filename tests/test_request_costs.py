"""What one request costs the database, and the per-request shortcuts that must stay exact.

docs/performance.md explains each shortcut; these tests keep the statement budget of a
members' page and check that nothing kept between requests leaks from one workspace, one
user or one request to the next.
"""

from __future__ import annotations

import contextvars
from typing import Any

from ent_core.db import db
from ent_core.testing import add_member, sign_in, sql_statements


def fresh_get(client: Any, path: str, **kwargs: Any) -> Any:
    """A request in its own application context, as under a real server (not the test's)."""
    return contextvars.Context().run(client.get, path, **kwargs)


def test_a_members_page_loads_user_charter_workspace_and_roles_in_two_statements(
    app, client, user, make_workspace
):
    make_workspace("acme")
    sign_in(client, user)
    assert fresh_get(client, "/w/acme/").status_code == 200
    with sql_statements() as seen:
        assert fresh_get(client, "/w/acme/").status_code == 200
    first, second = seen[0], seen[1]
    # the user loader answers the charter gate in the same statement
    assert first.startswith("SELECT user_account.id") and "charter_signature" in first
    # the tenancy guard loads the membership and its extra roles with the workspace
    assert second.startswith("SELECT workspace.id") and "membership_role" in second
    assert not any(s.startswith("SELECT charter_version.id") for s in seen[2:])
    assert not any(s.startswith("SELECT membership") for s in seen[2:])
    assert len(seen) <= 4, seen  # + the members count and the sectors of the dashboard


def test_links_and_menus_stay_in_their_own_workspace(client, user, make_workspace):
    make_workspace("acme")
    make_workspace("globex", name="Globex")
    sign_in(client, user)
    for get in (fresh_get, lambda c, p: c.get(p)):  # also with one context around both
        first = get(client, "/w/acme/").get_data(as_text=True)
        second = get(client, "/w/globex/").get_data(as_text=True)
        assert "/w/acme/members" in first and "/w/globex/" not in first
        assert "/w/globex/members" in second and "/w/acme/" not in second
        # the language switcher names the page it is on
        assert "/w/globex/?lang=en" in second and "/w/acme/?lang" not in second


def test_a_member_without_rights_never_sees_an_owners_links(
    client, user, make_user, make_workspace
):
    workspace = make_workspace("acme")
    reader = make_user("reader@example.test")
    add_member(workspace, reader, "member")
    sign_in(client, user)
    owner_page = fresh_get(client, "/w/acme/").get_data(as_text=True)
    assert "/w/acme/members" in owner_page
    sign_in(client, reader)
    for get in (fresh_get, lambda c, p: c.get(p)):
        page = get(client, "/w/acme/").get_data(as_text=True)
        assert "/w/acme/members" not in page and "/w/acme/modules" not in page


def test_a_revoked_token_stops_at_once_and_a_new_charter_closes_the_api(make_api_client, user):
    from ent_core.charter.service import publish
    from ent_core.identity.models import ApiToken

    api = make_api_client(user)

    def call(path: str) -> Any:
        return contextvars.Context().run(api.get, path)

    assert call("/api/v1/workspaces").status_code == 200
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.last_used_at is not None
    publish("2099.1", {"fr": "Nouvelle charte."}, summary="", actor=None)
    refused = call("/api/v1/workspaces")
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "charter_required"
    assert call("/api/v1/me").status_code == 200  # /me stays open
    token.revoked_at = token.created_at
    db.session.commit()
    assert call("/api/v1/me").status_code == 401


def test_dates_are_formatted_for_each_readers_language_and_time_zone(app_ctx):
    """The date filters keep their answers per process: never another language's.

    Each request gets its own application context (and ``g``), as under a real server.
    """
    from datetime import UTC, datetime

    from flask import render_template_string
    from flask_babel import force_locale, format_date, format_datetime

    moment = datetime(2026, 3, 14, 23, 30, tzinfo=UTC)
    page = "{{ m|dateformat('medium') }}|{{ m|datetimeformat('short') }}"
    seen = {}
    for _ in range(2):  # the second round answers from the kept values
        for lang in ("fr", "en", "ar"):
            with app_ctx.app_context(), app_ctx.test_request_context(f"/?lang={lang}"):
                expected = f"{format_date(moment, 'medium')}|{format_datetime(moment, 'short')}"
                assert render_template_string(page, m=moment) == expected
                seen[lang] = expected
                with force_locale("en" if lang != "en" else "fr"):
                    forced = f"{format_date(moment, 'medium')}|{format_datetime(moment, 'short')}"
                    assert render_template_string(page, m=moment) == forced != expected
    assert len(set(seen.values())) == 3


def test_lazy_labels_are_translated_for_each_request_and_forced_locale(app_ctx):
    from flask_babel import force_locale, gettext

    from ent_core import sdk

    label = sdk._l("Dashboard")
    assert str(label) == gettext("Dashboard")  # outside a request: the platform's language
    answers = {}
    for lang in ("fr", "en", "ar", "fr"):
        with app_ctx.app_context(), app_ctx.test_request_context(f"/?lang={lang}"):
            assert str(label) == gettext("Dashboard")
            answers[lang] = str(label)
            with force_locale("ar" if lang != "ar" else "en"):
                assert str(label) == gettext("Dashboard") != answers[lang]
    assert answers["fr"] != answers["en"] != answers["ar"]
    with app_ctx.app_context(), app_ctx.test_request_context("/?lang=en"):
        assert str(sdk._l("%(count)s members", count=3)) == gettext("%(count)s members", count=3)


def test_only_plain_functions_are_taken_as_synchronous(app):
    def plain() -> None:
        return None

    async def coroutine() -> None:
        return None

    assert app.ensure_sync(plain) is plain
    assert app.ensure_sync(plain) is plain  # answered from its mark the second time
    try:
        wrapped = app.ensure_sync(coroutine)
    except RuntimeError:  # Flask without its async extra refuses coroutines
        wrapped = None
    assert wrapped is not coroutine


def test_each_dashboard_counts_its_own_members(client, user, make_user, make_workspace):
    acme = make_workspace("acme")
    make_workspace("globex")
    for n in range(2):
        add_member(acme, make_user(f"m{n}@example.test"), "member")
    sign_in(client, user)
    for get in (fresh_get, lambda c, p: c.get(p)):
        acme_page = get(client, "/w/acme/?lang=en").get_data(as_text=True)
        globex_page = get(client, "/w/globex/?lang=en").get_data(as_text=True)
        assert "3 members" in acme_page and "1 member<" in globex_page


def test_template_strings_are_translated_per_language_every_time(app_ctx):
    """Strings without variables are kept per catalogue: never another language's."""
    from flask import render_template_string
    from flask_babel import gettext

    twice = "{{ _('Sign in') }}|{{ _('Sign in') }}"
    page = twice + "|{{ _('Fully 100%% done') }}|{{ _('Fully 100%% done') }}"
    answers = {}
    for lang in ("fr", "en", "ar", "fr", "en"):
        with app_ctx.app_context(), app_ctx.test_request_context(f"/?lang={lang}"):
            signed = gettext("Sign in")
            expected = f"{signed}|{signed}|Fully 100% done|Fully 100% done"
            assert render_template_string(page) == expected
            answers[lang] = expected
    assert len(set(answers.values())) == 3


#: Fixed strings, a string with variables, one with ``%``, ``gettext``, a string kept in a
#: variable and one in an attribute: what a template can ask of the catalogue.
TRANSLATED = (
    "{{ _('Sign in') }}|{{ gettext('Sign out') }}|"
    "{{ _(\"Smart Médias ENT — the workspace of Morocco's digital press and business "
    "communication.\") }}|{{ _('of %(count)s installed', count=3) }}|"
    "{{ _('Fully 100%% done') }}|{% set kept = _('Menu') %}{{ kept }}|"
    "<a title=\"{{ _('Language') }}\">{{ _(name) }}</a>"
)


def test_templates_compiled_per_catalogue_answer_as_the_calls_would(app_ctx):
    """Templates loaded by name are compiled once per catalogue with their fixed strings in
    it (ent_core/templating.py): every language, escaped and plain, answers exactly what
    the same template answers when each string is looked up while rendering."""
    from flask import render_template_string
    from jinja2 import DictLoader

    from ent_core.templating import Environment

    env = Environment(app_ctx, loader=DictLoader({"t.html": TRANSLATED, "t.txt": TRANSLATED}))
    env.globals.update(app_ctx.jinja_env.globals)
    env.filters.update(app_ctx.jinja_env.filters)
    env.autoescape = app_ctx.jinja_env.autoescape  # Flask's: .html escaped, .txt plain
    seen = set()
    for lang in ("fr", "en", "ar", "fr", "ar", "en"):
        with app_ctx.app_context(), app_ctx.test_request_context(f"/?lang={lang}"):
            app_ctx.preprocess_request()
            context: dict[str, Any] = {"name": "Sign up"}
            app_ctx.update_template_context(context)
            looked_up = render_template_string(TRANSLATED, **context)  # compiled without folding
            assert env.get_template("t.html").render(context) == looked_up
            plain = env.get_template("t.txt").render(context)
            assert plain.startswith(looked_up.split("|")[0] + "|")
            assert "&#39;" not in plain and "&#39;" not in looked_up  # marked safe, as gettext
            assert lang != "en" or "Morocco's digital press" in plain
            seen.add(looked_up.split("|")[0])
    assert len(seen) == 3  # three languages
    with app_ctx.app_context(), app_ctx.test_request_context("/?lang=fr"):
        app_ctx.preprocess_request()
        page = env.get_template("t.html").render(name="x")
        assert page.startswith("Se connecter|Se déconnecter|")


def test_a_page_alternating_languages_never_shows_another_languages_strings(client):
    from flask_babel import force_locale, gettext

    expected = {}
    for lang in ("fr", "en", "ar"):
        with client.application.test_request_context("/"), force_locale(lang):
            expected[lang] = gettext("Forgot your password?")
    assert len(set(expected.values())) == 3
    for lang in ("fr", "en", "ar", "fr", "ar", "en", "fr"):
        page = client.get(f"/auth/sign-in?lang={lang}").get_data(as_text=True)
        for other, text in expected.items():
            assert (text in page) is (other == lang), (lang, other)
