"""Static files under content-hashed addresses, the public layout and the portal's slots
(docs/ui.md, "Static files" and "The public layout"; docs/plugin_hooks.md, portal slots)."""

from __future__ import annotations

import hashlib
import importlib.util
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

import ent_core
from ent_core import create_app
from ent_core.db import all_workspaces, db
from ent_core.sdk import asset_url
from ent_core.testing import enable
from ent_core.workspaces.models import Workspace
from tests.fixture_plugins import easel

CORE_STATIC = Path(ent_core.__file__).parent / "static"
EASEL = Path(easel.__file__).parent
YEAR = "max-age=31536000"
#: A local ``href``/``src`` of a page that points into a static folder.
STATIC_LINK = re.compile(r'(?:href|src)="(/static/[^"#]*)')


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _directives(response: Any) -> set[str]:
    return {d.strip() for d in response.headers["Cache-Control"].split(",")}


def _build(config: dict[str, Any], *modules: Any) -> Flask:
    built = create_app({**config, "ENT_PLUGINS": ""}, plugin_modules=list(modules))
    built.extensions["ent.mail_outbox"] = []
    return built


@pytest.fixture(scope="module")
def easel_app(app: Flask, ent_config: dict[str, Any]) -> Flask:
    """The platform with the easel fixture plugin installed (and no other plugin)."""
    return _build(ent_config, easel)


@pytest.fixture
def easel_site(app_ctx: Flask, workspace: Any, easel_app: Flask) -> Any:
    """``acme`` with easel switched on, and a client of the easel app."""
    with easel_app.app_context(), all_workspaces():
        enable(db.session.get(Workspace, workspace.id), "easel")
    return easel_app.test_client()


def _load_copy(source: Path, target: Path, name: str) -> Any:
    """A copy of a plugin package under another module name (its own static folder)."""
    shutil.copytree(source, target)
    spec = importlib.util.spec_from_file_location(
        name, target / "__init__.py", submodule_search_locations=[str(target)]
    )
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[name] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


# -- serving -------------------------------------------------------------------------------


def test_a_hashed_address_is_cached_for_a_year_as_immutable(client):
    page = client.get("/").get_data(as_text=True)
    sheet = re.search(r'<link rel="stylesheet" href="(/static/ent\.css\?v=([0-9a-f]{12}))">', page)
    assert sheet is not None
    assert sheet.group(2) == _hash(CORE_STATIC / "ent.css")
    response = client.get(sheet.group(1))
    assert response.status_code == 200
    assert response.data == (CORE_STATIC / "ent.css").read_bytes()
    assert response.mimetype == "text/css"
    assert _directives(response) == {"public", YEAR, "immutable"}
    assert response.headers["ETag"] == f'"{sheet.group(2)}"'  # from the bytes, not the clock
    again = client.get(sheet.group(1), headers={"If-None-Match": f'"{sheet.group(2)}"'})
    assert again.status_code == 304


@pytest.mark.parametrize("query", ["", "?v=000000000000", "?v="])
def test_a_plain_or_stale_address_still_answers_with_a_short_cache(client, query):
    response = client.get(f"/static/ent.css{query}")
    assert response.status_code == 200
    assert response.data == (CORE_STATIC / "ent.css").read_bytes()
    assert _directives(response) == {"public", "max-age=300"}


@pytest.mark.parametrize(
    "path",
    [
        "/static/missing.css",
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/plugins/nobody/x.css",
        "/static/plugins/alpha/alpha.css",  # an installed plugin without a static folder
    ],
)
def test_unknown_files_answer_404(client, path):
    assert client.get(path).status_code == 404


def test_a_plugin_file_is_served_to_anyone_whether_or_not_it_is_switched_on(easel_app):
    client = easel_app.test_client()  # anonymous; easel is on in no workspace
    with easel_app.test_request_context():
        url = asset_url("easel/easel.css", plugin="easel")
    digest = _hash(EASEL / "static/easel/easel.css")
    assert url == f"/static/plugins/easel/easel/easel.css?v={digest}"
    response = client.get(url)
    assert response.status_code == 200
    assert b".easel-sidebar" in response.data
    assert _directives(response) == {"public", YEAR, "immutable"}
    assert client.get("/static/plugins/easel/easel/easel.css").headers["Cache-Control"] == (
        "public, max-age=300"
    )


def test_a_changed_file_gets_a_new_address_and_the_old_one_falls_back(
    app, ent_config, tmp_path, client
):
    copy = _load_copy(EASEL, tmp_path / "easel_copy", "easel_copy")
    sheet = tmp_path / "easel_copy/static/easel/easel.css"

    def address(built: Flask) -> str:
        with built.test_request_context():
            return str(asset_url("easel/easel.css", plugin="easel"))

    before = _build(ent_config, copy)
    old = address(before)
    assert old == address(_build(ent_config, copy))  # another process: the same address
    sheet.write_text(".easel-sidebar { font-weight: normal; }\n", encoding="utf-8")
    after = _build(ent_config, copy)  # a deployment: new processes
    new = address(after)
    assert new != old and new.endswith(_hash(sheet))
    assert _directives(after.test_client().get(new)) == {"public", YEAR, "immutable"}
    stale = after.test_client().get(old)  # a page rendered before the deployment
    assert stale.status_code == 200 and b"normal" in stale.data
    assert _directives(stale) == {"public", "max-age=300"}


def test_in_development_an_edited_file_gets_a_new_address_at_once(ent_config, tmp_path):
    copy = _load_copy(EASEL, tmp_path / "easel_dev", "easel_dev")
    sheet = tmp_path / "easel_dev/static/easel/easel.css"
    built = _build({**ent_config, "ENT_ENV": "development"}, copy)
    with built.test_request_context():
        first = asset_url("easel/easel.css", plugin="easel")
        sheet.write_text("/* edited, and longer than before */\n", encoding="utf-8")
        assert asset_url("easel/easel.css", plugin="easel") != first


def test_pages_link_every_static_file_by_its_hashed_address(client):
    page = client.get("/portal/?lang=ar").get_data(as_text=True)  # icons too
    links = STATIC_LINK.findall(page)
    assert {"favicon.svg", "ent.css", "ent.js", "icons.svg"} <= {
        link.split("?")[0].removeprefix("/static/") for link in links
    }
    for link in links:
        path, _, digest = link.partition("?v=")
        assert digest == _hash(CORE_STATIC / path.removeprefix("/static/")), link


# -- the public layout ---------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "direction"), [("fr", "ltr"), ("en", "ltr"), ("ar", "rtl")])
def test_the_public_layout_draws_every_block_in_order(easel_site, lang, direction):
    html = easel_site.get(f"/s/acme/easel/?lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{direction}">' in html
    head = html.split("</head>")[0]
    digest = _hash(EASEL / "static/easel/easel.css")
    assert (
        f'<link rel="stylesheet" href="/static/plugins/easel/easel/easel.css?v={digest}">' in head
    )
    assert '<meta name="easel" content="head">' in head
    body = html.split('<main id="main"')[1]
    order = [
        '<div class="stack public-site">',
        '<header class="stack public-masthead">',
        '<p class="easel-masthead">Acme</p>',
        '<nav class="easel-nav"',
        '<div class="public-columns">',
        '<h1 class="easel-main">',
        '<aside class="stack public-aside" aria-label="',
        '<p class="easel-aside">aside</p>',
        '<footer class="public-site-footer"><p class="easel-footer">footer</p></footer>',
    ]
    positions = [body.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert {"fr": "Se connecter", "en": "Sign in", "ar": "تسجيل الدخول"}[lang] in body


# -- the portal's slots --------------------------------------------------------------------


def test_installed_plugins_fill_the_portal_slots(app_ctx, easel_app):
    client = easel_app.test_client()
    digest = _hash(EASEL / "static/easel/easel.css")
    for url, sector in (("/portal/", "all"), ("/portal/it/", "it")):
        html = client.get(url).get_data(as_text=True)
        head, body = html.split("</head>")
        assert f'href="/static/plugins/easel/easel/easel.css?v={digest}"' in head
        sidebar = '<aside class="stack portal-aside" aria-label="'
        assert sidebar in body and f'<p class="easel-sidebar">sidebar of {sector}</p>' in body
        assert body.index('<div class="public-columns">') < body.index(sidebar)
        assert '<p class="easel-after">0 items</p>' in body


def test_the_portal_draws_no_sidebar_when_no_plugin_fills_it(client):
    html = client.get("/portal/").get_data(as_text=True)
    assert "portal-aside" not in html and "public-columns" not in html


def test_the_portals_etag_covers_what_the_slots_show(app_ctx, easel_app, monkeypatch):
    client = easel_app.test_client()
    etag = client.get("/portal/").headers["ETag"]
    assert client.get("/portal/", headers={"If-None-Match": etag}).status_code == 304
    # pluggy keeps the function it registered: change what it answers instead
    original = easel.Markup
    monkeypatch.setattr(easel, "Markup", lambda text: original(text.replace("sidebar", "side")))
    changed = client.get("/portal/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "side of all" in changed.get_data(as_text=True)
