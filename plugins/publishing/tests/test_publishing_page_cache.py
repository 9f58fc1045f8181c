"""The rendered-page cache of the public site: anonymous pages are rendered once and served
again while what the view loaded is unchanged, per site, language and module state."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from ent_plugins.publishing.public import queries, rendering
from flask import template_rendered

from ent_core import sdk
from ent_core.testing import sign_in

BASE = "/s/acme/publishing"
PAGES = {"/": "publishing/public/home.html", "/articles/a": "publishing/public/article.html"}


@pytest.fixture(autouse=True)
def fresh_cache(app: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, float]]:
    """A new page cache for each test (the app lives for the session), on a clock we move."""
    clock = {"now": 1000.0}
    monkeypatch.setattr(rendering, "_clock", lambda: clock["now"])
    app.extensions.pop("publishing.page_cache", None)
    yield clock
    app.extensions.pop("publishing.page_cache", None)


@pytest.fixture
def article(site, make_article, make_author):
    return make_article(
        site, "Premier", slug="a", standfirst="Chapeau", authors=[make_author(site)]
    )


@contextmanager
def renders(app: Any) -> Iterator[list[str]]:
    """The names of the templates rendered meanwhile (a page from the cache renders none)."""
    names: list[str] = []

    def record(sender: Any, template: Any, context: Any, **extra: Any) -> None:
        names.append(template.name)

    with template_rendered.connected_to(record, app):
        yield names


def fetch(client: Any, path: str, **headers: str) -> Any:
    return client.get(BASE + path, headers={"Accept-Language": "fr", **headers})


@pytest.mark.parametrize("path", PAGES)
def test_a_second_anonymous_request_gets_the_same_page_without_rendering(
    app, client, article, path
):
    first = fetch(client, path)
    with renders(app) as rendered:
        second = fetch(client, path)
    assert first.status_code == second.status_code == 200
    assert rendered == []
    assert second.data == first.data
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Last-Modified"] == first.headers["Last-Modified"]
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    assert second.headers["Cache-Control"] == first.headers["Cache-Control"]
    again = fetch(client, path, **{"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
@pytest.mark.parametrize("path", PAGES)
def test_a_page_from_the_cache_is_the_page_rendered_without_it(
    app, client, article, monkeypatch, path, language
):
    fetch(client, path, **{"Accept-Language": language})
    cached = fetch(client, path, **{"Accept-Language": language})
    monkeypatch.setitem(
        app.config, "ENT_PLUGIN_SETTINGS", {"publishing": {"page_cache_seconds": 0}}
    )
    app.extensions.pop("publishing.page_cache", None)
    with renders(app) as rendered:
        plain = fetch(client, path, **{"Accept-Language": language})
    assert PAGES[path] in rendered
    assert cached.data == plain.data
    assert cached.headers["ETag"] == plain.headers["ETag"]


@pytest.mark.parametrize("path", PAGES)
def test_an_edit_shows_at_once(app, client, article, path):
    fetch(client, path)
    fetch(client, path)
    article.title = "Premier, corrigé"
    article.updated_at = sdk.utcnow()
    sdk.db.session.commit()
    with renders(app) as rendered:
        page = fetch(client, path).get_data(as_text=True)
    assert PAGES[path] in rendered
    assert "Premier, corrigé" in page


@pytest.mark.parametrize("path", PAGES)
def test_an_edit_that_leaves_the_date_alone_shows_at_once(client, article, path):
    fetch(client, path)
    article.standfirst = "Chapeau revu"
    sdk.db.session.commit()
    assert "Chapeau revu" in fetch(client, path).get_data(as_text=True)


def test_an_unpublished_article_leaves_home_and_its_page_at_once(client, article):
    assert "Premier" in fetch(client, "/").get_data(as_text=True)
    assert fetch(client, "/articles/a").status_code == 200
    article.publication_state = "unpublished"
    article.updated_at = sdk.utcnow()
    sdk.db.session.commit()
    assert "Premier" not in fetch(client, "/").get_data(as_text=True)
    assert fetch(client, "/articles/a").status_code == 404


def test_a_new_publication_shows_on_the_home_at_once(client, article, site, make_article):
    fetch(client, "/")
    make_article(site, "Deuxième", slug="b")
    assert "Deuxième" in fetch(client, "/").get_data(as_text=True)
    assert "Deuxième" in fetch(client, "/articles/b").get_data(as_text=True)


def test_a_scheduled_article_shows_when_it_is_published(client, article, site, make_article):
    later = make_article(site, "Programmé", slug="p", state="scheduled")
    fetch(client, "/")
    assert "Programmé" not in fetch(client, "/").get_data(as_text=True)
    later.publication_state = "published"
    later.published_at = sdk.utcnow()
    later.updated_at = later.published_at
    sdk.db.session.commit()
    assert "Programmé" in fetch(client, "/").get_data(as_text=True)


def test_two_sites_never_share_a_page(client, make_workspace, make_article):
    for slug, title in (("acme", "Acme"), ("beta", "Beta")):
        site = make_workspace(slug, name=f"{title} News", plugins=("publishing",))
        make_article(site, f"Article de {title}", slug="a", published_at=None)
    for _ in range(2):
        for slug, title in (("acme", "Acme"), ("beta", "Beta")):
            home = client.get(f"/s/{slug}/publishing/").get_data(as_text=True)
            page = client.get(f"/s/{slug}/publishing/articles/a").get_data(as_text=True)
            assert f"Article de {title}" in home
            assert f"Article de {title}" in page
            assert f"{title} News" in home


@pytest.mark.parametrize("path", PAGES)
def test_two_languages_never_share_a_page(client, article, path):
    for _ in range(2):
        for language in ("fr", "en", "ar"):
            page = fetch(client, path, **{"Accept-Language": language}).get_data(as_text=True)
            assert f'<html lang="{language}"' in page


@pytest.mark.parametrize("path", PAGES)
def test_a_signed_in_member_never_gets_the_anonymous_page_nor_leaves_one(
    app, client, user, article, path
):
    anonymous = fetch(client, path)
    assert fetch(client, path).data == anonymous.data  # now in the cache
    sign_in(client, user)
    with renders(app) as rendered:
        member = fetch(client, path)
        fetch(client, path)
    assert rendered.count(PAGES[path]) == 2
    assert "private" in member.headers["Cache-Control"]
    assert user.display_name in member.get_data(as_text=True)
    visitor = app.test_client()
    for _ in range(2):
        page = visitor.get(BASE + path, headers={"Accept-Language": "fr"})
        assert page.data == anonymous.data
        assert user.display_name not in page.get_data(as_text=True)


@pytest.mark.parametrize("path", PAGES)
def test_switching_publishing_off_answers_404_at_once(app, client, article, path):
    fetch(client, path)
    assert fetch(client, path).status_code == 200
    result = app.test_cli_runner().invoke(args=["plugin", "disable", "acme", "publishing"])
    assert result.exit_code == 0, result.output
    assert fetch(client, path).status_code == 404


def test_a_changed_setting_renders_the_page_again(app, client, article):
    fetch(client, "/")
    result = app.test_cli_runner().invoke(args=["plugin", "enable", "acme", "publishing"])
    assert result.exit_code == 0, result.output
    with renders(app) as rendered:
        fetch(client, "/")
    assert PAGES["/"] in rendered


@pytest.mark.parametrize("path", PAGES)
def test_a_language_switch_is_never_taken_from_the_cache(app, client, article, path):
    with renders(app) as rendered:
        first = client.get(BASE + path + "?lang=en")
        second = client.get(BASE + path + "?lang=en")
    assert rendered.count(PAGES[path]) == 2
    assert '<html lang="en"' in first.get_data(as_text=True)
    assert second.data == first.data


@pytest.mark.parametrize("path", PAGES)
def test_a_page_is_rendered_again_after_the_time_to_live(app, client, article, path, fresh_cache):
    fetch(client, path)
    fresh_cache["now"] += 59
    with renders(app) as rendered:
        fetch(client, path)
    assert rendered == []
    fresh_cache["now"] += 2
    with renders(app) as rendered:
        fetch(client, path)
    assert PAGES[path] in rendered


def test_a_time_to_live_of_zero_switches_the_cache_off(app, client, article, monkeypatch):
    monkeypatch.setitem(
        app.config, "ENT_PLUGIN_SETTINGS", {"publishing": {"page_cache_seconds": 0}}
    )
    with renders(app) as rendered:
        for _ in range(3):
            assert fetch(client, "/").status_code == 200
    assert rendered.count(PAGES["/"]) == 3


def test_another_page_of_the_listing_is_its_own_entry(client, site, make_article):
    for n in range(queries.PAGE_SIZE + 3):
        make_article(site, f"Numéro {n:02d}", slug=f"n{n}")
    first = fetch(client, "/").get_data(as_text=True)
    assert "Numéro 22" in first
    cursor = first.split("before=", 1)[1].split('"', 1)[0]
    older = fetch(client, f"/?before={cursor}").get_data(as_text=True)
    assert "Numéro 00" in older
    assert "Numéro 22" not in older
    assert fetch(client, "/").get_data(as_text=True) == first


def test_two_searches_with_the_same_results_keep_their_own_terms(client, article):
    for _ in range(2):
        for terms in ("introuvable", "absent"):
            page = fetch(client, f"/search?q={terms}").get_data(as_text=True)
            assert f'value="{terms}"' in page


def test_two_sites_with_nothing_published_keep_their_own_names(client, make_workspace):
    for slug, name in (("acme", "Acme News"), ("beta", "Beta News")):
        make_workspace(slug, name=name, plugins=("publishing",))
    for _ in range(2):
        for slug, name in (("acme", "Acme News"), ("beta", "Beta News")):
            assert name in client.get(f"/s/{slug}/publishing/").get_data(as_text=True)
