"""The page shell: landmarks, navigation, error pages, forms macros, self-hosted assets."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import flash, render_template, render_template_string
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import BooleanField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

import ent_core
from ent_core import app as app_module
from ent_core.testing import sign_in

CORE = Path(ent_core.__file__).resolve().parent
LANGUAGES = ("fr", "en", "ar")
ERROR_STATUSES = (400, 403, 404, 405, 429, 500)
# An attribute or CSS url() that loads something from another host (CDN, fonts service...).
REMOTE_ASSET = re.compile(
    r"""(?:\b(?:src|href|srcset|poster|data)\s*=\s*["']?\s*|url\(\s*["']?|@import\s+["'])"""
    r"""(?:https?:)?//""",
    re.IGNORECASE,
)


def body(response: Any) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_page_renders_the_shell_in_each_language(client: Any, lang: str) -> None:
    response = client.get(f"/?lang={lang}")
    assert response.status_code == 200
    page = body(response)
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main" tabindex="-1">' in page
    assert '<header class="site-header">' in page
    assert '<footer class="site-footer">' in page
    assert '<meta name="color-scheme" content="light dark">' in page
    assert re.search(r'href="/static/favicon\.svg\?v=[0-9a-f]{12}" type="image/svg\+xml"', page)
    assert re.search(r'href="/static/ent\.css\?v=[0-9a-f]{12}"', page)


@pytest.mark.parametrize(
    "path", ["/static/ent.css", "/static/ent.js", "/static/favicon.svg", "/static/icons.svg"]
)
def test_shell_assets_are_served_by_the_platform(client: Any, path: str) -> None:
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("status", ERROR_STATUSES)
def test_error_page_renders_for_each_status_and_language(
    app_ctx: Any, status: int, lang: str
) -> None:
    with app_ctx.test_request_context(f"/anywhere?lang={lang}"):
        page = render_template("errors/error.html", status=status, message=None)
    assert f'<html lang="{lang}"' in page
    assert f'<p class="error-code" aria-hidden="true">{status}</p>' in page
    assert re.search(r'<h1 id="error-title">[^<]+</h1>', page)


def test_unknown_page_answers_404_with_the_translated_error_page(client: Any) -> None:
    response = client.get("/no/such/page?lang=ar")
    assert response.status_code == 404
    page = body(response)
    assert '<html lang="ar" dir="rtl">' in page
    assert "الصفحة غير موجودة" in page


def test_wrong_method_answers_405_with_the_error_page(client: Any) -> None:
    response = client.post("/?lang=fr")
    assert response.status_code == 405
    assert "Méthode non autorisée" in body(response)


def test_error_page_shows_the_given_message(app_ctx: Any) -> None:
    with app_ctx.test_request_context("/"):
        page = render_template("errors/error.html", status=429, message="Wait 5 minutes.")
    assert '<p class="lead">Wait 5 minutes.</p>' in page


def test_signed_out_header_offers_sign_in_and_sign_up(client: Any) -> None:
    page = body(client.get("/?lang=en"))
    header = page.split("</header>", 1)[0]
    assert 'href="/auth/sign-in"' in header
    assert 'href="/auth/sign-up"' in header
    assert "Sign out" not in header


def test_signed_in_header_shows_account_and_sign_out(client: Any, user: Any) -> None:
    sign_in(client, user)
    header = body(client.get("/?lang=en")).split("</header>", 1)[0]
    assert "Amina Owner" in header
    assert 'action="/auth/sign-out"' in header
    assert 'href="/workspaces"' in header


def test_workspace_pages_have_a_sidebar_with_the_current_section(
    client: Any, user: Any, workspace: Any
) -> None:
    sign_in(client, user)
    page = body(client.get("/w/acme/?lang=en"))
    sidebar = page.split('<nav class="sidebar"', 1)[1].split("</nav>", 1)[0]
    assert 'id="sidebar-title"><bdi>Acme</bdi></p>' in sidebar
    assert re.search(r'<a href="/w/acme/" aria-current="page">.*?Dashboard', sidebar, re.S)
    assert 'href="/w/acme/members"' in sidebar
    toggle = re.search(r"<button [^>]*class=\"sidebar-toggle\"[^>]*>", sidebar)
    assert toggle
    assert 'aria-expanded="true"' in toggle.group(0)
    assert 'aria-controls="sidebar-body"' in toggle.group(0)
    assert 'id="sidebar-body"' in sidebar


def test_sidebar_follows_the_readers_role_language_and_modules(
    client: Any, user: Any, workspace: Any, make_user: Any
) -> None:
    """The sidebar's links are kept between requests (docs/performance.md): a role change,
    another language, another reader or a module switched on shows at once."""
    from ent_core.testing import add_member, enable
    from ent_core.workspaces.service import set_member_role

    def sidebar(lang: str = "en") -> str:
        page = body(client.get(f"/w/acme/?lang={lang}"))
        return page.split('<nav class="sidebar"', 1)[1].split("</nav>", 1)[0]

    editor = make_user("editor@example.ma")
    membership = add_member(workspace, editor, "member")
    sign_in(client, editor)
    assert 'href="/w/acme/members"' not in sidebar()
    set_member_role(membership, "admin")
    assert 'href="/w/acme/members"' in sidebar()
    assert ">Members</span>" in sidebar("en")
    assert ">Membres</span>" in sidebar("fr")
    assert "newsroom" not in sidebar("en").lower()
    enable(workspace, "publishing")
    assert ">Newsroom</span>" in sidebar("en")
    sign_in(client, user)  # the owner, same workspace and language
    assert 'href="/w/acme/billing/"' in sidebar("en")


def test_shell_renders_the_workspace_slots(
    client: Any, user: Any, workspace: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        app_module, "render_slot", lambda name, **_: Markup("<i>{}</i>").format(name)
    )
    sign_in(client, user)
    page = body(client.get("/w/acme/"))
    sidebar = page.split('<nav class="sidebar"', 1)[1].split("</nav>", 1)[0]
    main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    footer = page.split('<footer class="site-footer">', 1)[1]
    assert "<i>workspace.sidebar</i>" in sidebar
    assert main.index("<i>workspace.banner</i>") < main.index("<h1")
    assert "<i>workspace.footer</i>" in footer


def test_pages_outside_a_workspace_have_no_sidebar(client: Any, user: Any) -> None:
    sign_in(client, user)
    page = body(client.get("/"))
    assert 'class="sidebar"' not in page
    assert "with-sidebar" not in page


@pytest.mark.parametrize(
    ("category", "role"),
    [("success", "status"), ("info", "status"), ("warning", "alert"), ("error", "alert")],
)
def test_flash_messages_carry_their_category(app_ctx: Any, category: str, role: str) -> None:
    with app_ctx.test_request_context("/"):
        flash("Saved.", category)
        page = render_template("home.html")
    assert f'<p class="flash flash-{category}" role="{role}">Saved.</p>' in page


class SampleForm(FlaskForm):
    class Meta:
        csrf = False

    title = StringField("Title", validators=[InputRequired()])
    agree = BooleanField("I agree")
    colour = RadioField(
        "Colour", choices=[SelectChoice("red", "Red"), SelectChoice("blue", "Blue")]
    )


FORM_PAGE = """{% from "_forms.html" import field, form_errors %}
{{ form_errors(form) }}{{ field(form.title, hint="Shown on the page.", placeholder="A title") }}
{{ field(form.agree) }}{{ field(form.colour) }}"""


def test_form_macros_tie_errors_and_hints_to_the_input(app_ctx: Any) -> None:
    with app_ctx.test_request_context("/", method="POST", data={"title": ""}):
        form = SampleForm()
        assert not form.validate()
        page = render_template_string(FORM_PAGE, form=form)
    assert '<div class="form-errors" role="alert">' in page
    title_input = re.search(r"<input [^>]*id=\"title\"[^>]*>", page)
    assert title_input
    assert 'aria-invalid="true"' in title_input.group(0)
    assert 'aria-describedby="title-errors title-hint"' in title_input.group(0)
    assert 'placeholder="A title"' in title_input.group(0)
    assert '<ul class="errors" id="title-errors">' in page
    assert '<p class="hint" id="title-hint">Shown on the page.</p>' in page
    assert '<div class="field has-error">' in page
    assert '<label class="check"><input id="agree"' in page
    assert "<legend>Colour</legend>" in page


def test_form_macros_render_a_valid_form_without_error_markup(app_ctx: Any) -> None:
    with app_ctx.test_request_context("/", method="POST", data={"title": "Hello", "colour": "red"}):
        form = SampleForm()
        form.validate()
        page = render_template_string(FORM_PAGE, form=form)
    assert "form-errors" not in page
    assert "aria-invalid" not in page
    assert 'aria-describedby="title-hint"' in page


def all_template_files() -> list[Path]:
    repo = CORE.parent
    roots = [
        CORE / "templates",
        *repo.glob("plugins/**/templates"),
        *repo.glob("docs/examples/**/templates"),
    ]
    return sorted({p for root in roots for p in root.rglob("*.html")})


def test_no_template_loads_assets_from_another_host() -> None:
    offenders = [
        f"{path.relative_to(CORE.parent)}: {match.group(0)}"
        for path in all_template_files()
        for match in REMOTE_ASSET.finditer(path.read_text(encoding="utf-8"))
    ]
    assert all_template_files(), "no template found"
    assert not offenders


def test_no_style_sheet_loads_assets_from_another_host() -> None:
    sheets = sorted((CORE / "static").rglob("*.css"))
    assert sheets
    offenders = [
        str(path) for path in sheets if REMOTE_ASSET.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders


def test_remote_asset_pattern_catches_a_cdn_link() -> None:
    assert REMOTE_ASSET.search('<script src="https://cdn.example.com/x.js"></script>')
    assert REMOTE_ASSET.search("<link href='//fonts.example.com/css'>")
    assert REMOTE_ASSET.search("background: url(https://cdn.example.com/a.png)")
    assert not REMOTE_ASSET.search('<a href="/static/ent.css">')


def test_style_sheet_uses_logical_properties_so_arabic_mirrors() -> None:
    css = (CORE / "static" / "ent.css").read_text(encoding="utf-8")
    physical_properties = re.findall(
        r"(?<![\w-])(?:(?:margin|padding|border)-(?:left|right)(?:-\w+)?|left|right)\s*:", css
    )
    physical_values = re.findall(r"(?:text-align|float|clear)\s*:\s*(?:left|right)\b", css)
    assert not physical_properties
    assert not physical_values


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_a_member_can_open_renders_in_each_language(
    client: Any, user: Any, workspace: Any, lang: str
) -> None:
    """Walk the GET pages without parameters (besides the workspace): none may crash."""
    sign_in(client, user)
    checked = 0
    for rule in client.application.url_map.iter_rules():
        path = rule.rule
        if "GET" not in (rule.methods or ()) or path.startswith(("/api/", "/static/")):
            continue
        if set(rule.arguments) - {"workspace"}:
            continue
        response = client.get(path.replace("<workspace>", "acme") + f"?lang={lang}")
        assert response.status_code < 500, path
        if response.status_code == 200 and response.mimetype == "text/html":
            direction = "rtl" if lang == "ar" else "ltr"
            assert f'<html lang="{lang}" dir="{direction}">' in body(response), path
            checked += 1
    assert checked >= 5, checked


def test_context_processors_run_once_per_request_and_again_when_their_inputs_change(
    app_ctx: Any, user: Any
) -> None:
    """A page renders several templates (the dashboard: one per widget); the processors run
    once, and again after the signed-in user or the language changed within the request."""
    from flask_babel import force_locale
    from flask_login import login_user

    runs: list[int] = []

    def counted() -> dict[str, Any]:
        runs.append(1)
        return {"runs": len(runs)}

    processors = app_ctx.template_context_processors[None]
    processors.append(counted)
    try:
        with app_ctx.test_request_context("/?lang=en"):
            page = "{{ runs }} {{ lang }} {{ current_user.is_authenticated }}"
            assert render_template_string(page) == "1 en False"
            assert render_template_string(page) == "1 en False"
            assert render_template_string(page, runs=9) == "9 en False"  # arguments win
            with force_locale("ar"):
                assert render_template_string(page) == "2 ar False"
            assert render_template_string(page) == "3 en False"
            login_user(user)
            assert render_template_string(page) == "4 en True"
        with app_ctx.app_context(), app_ctx.test_request_context("/?lang=fr"):
            assert render_template_string(page) == "5 fr False"  # a new request
    finally:
        processors.remove(counted)


def test_imported_macros_see_the_importing_templates_globals(
    app_ctx: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The platform answers Jinja's "does the importer have globals the macros lack?" its own
    way (docs/performance.md): both answers keep working."""
    from jinja2 import ChoiceLoader, DictLoader

    env = app_ctx.jinja_env
    sources = {"t/_m.html": "{% macro m() %}[{{ extra|default('none') }}]{% endmacro %}"}
    monkeypatch.setattr(env, "loader", ChoiceLoader([DictLoader(sources), env.loader]))
    importer = '{% from "t/_m.html" import m %}{{ m() }}'
    with app_ctx.test_request_context("/"):
        assert env.from_string(importer).render() == "[none]"  # the kept module
        assert env.from_string(importer, globals={"extra": "x"}).render() == "[x]"
        assert env.from_string(importer).render() == "[none]"  # the kept one was not changed
