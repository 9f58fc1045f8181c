"""The public site: home, article, sector, tag, author and search pages, pagination, slugs."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from ent_plugins.publishing.models import SlugHistory

from ent_core import sdk
from ent_core.testing import enable, sql_statements

BASE = "/s/acme/publishing"


def test_home_lists_the_20_latest_published_articles(client, site, make_article):
    for n in range(22):
        make_article(site, f"Article numéro {n:02d}")
    make_article(site, "Brouillon secret", state="unpublished")
    html = client.get(f"{BASE}/").get_data(as_text=True)
    assert "Article numéro 21" in html and "Article numéro 02" in html
    assert "Article numéro 01" not in html
    assert "Brouillon secret" not in html


def test_pagination_walks_to_the_older_articles(client, site, make_article):
    for n in range(23):
        make_article(site, f"Article numéro {n:02d}")
    first = client.get(f"{BASE}/").get_data(as_text=True)
    assert 'rel="next"' in first
    older = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(older).get_data(as_text=True)
    assert "Article numéro 00" in second and "Article numéro 02" in second
    assert "Article numéro 03" not in second
    assert 'rel="next"' not in second


@pytest.mark.parametrize(("lang", "direction"), [("fr", "ltr"), ("en", "ltr"), ("ar", "rtl")])
def test_pages_draw_the_platforms_public_layout(client, site, make_article, lang, direction):
    """The site's name, sections, search and feeds sit in the blocks of ``public/base.html``."""
    make_article(site, "Titre", slug="a")
    for url in (f"{BASE}/", f"{BASE}/articles/a", f"{BASE}/search?q=titre"):
        html = client.get(f"{url}{'&' if '?' in url else '?'}lang={lang}").get_data(as_text=True)
        assert f'<html lang="{lang}" dir="{direction}">' in html
        assert '<link rel="alternate" type="application/atom+xml"' in html.split("</head>")[0]
        main = html.split('<main id="main" tabindex="-1">')[1]
        order = [
            '<div class="stack public-site publishing-site">',
            '<header class="panel stack publishing-site-header">',
            '<p class="publishing-site-name">',
            "<nav aria-label=",
            'role="search"',
            "</header>",
            "<h1",
            '<footer class="public-site-footer">',
            f'href="{BASE}/feed.atom"',
        ]
        positions = [main.index(marker) for marker in order]
        assert positions == sorted(positions), url


def test_a_garbled_cursor_is_a_bad_request(client, site):
    assert client.get(f"{BASE}/?before=nonsense").status_code == 400


def test_article_page_shows_the_article_and_its_byline(client, site, make_article, make_author):
    author = make_author(site, "Salma Bennani")
    make_article(
        site,
        "Le cloud marocain",
        slug="le-cloud",
        standfirst="Un chapeau",
        body="Du **gras**",
        authors=[author],
        tags=["Cloud"],
    )
    response = client.get(f"{BASE}/articles/le-cloud")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<h1 id="article-title"><bdi>Le cloud marocain</bdi></h1>' in html
    assert "<strong>gras</strong>" in html
    assert f'href="{BASE}/authors/salma-bennani/"' in html
    assert f'href="{BASE}/tags/cloud/"' in html


def test_unpublished_and_withdrawn_articles_are_404(client, site, make_article):
    make_article(site, slug="draft", state="unpublished")
    make_article(site, slug="gone", state="withdrawn")
    make_article(site, slug="later", state="scheduled")
    for slug in ("draft", "gone", "later", "missing"):
        assert client.get(f"{BASE}/articles/{slug}").status_code == 404


def test_arabic_articles_render_right_to_left(client, site, make_article):
    make_article(site, "السحابة المغربية", slug="sahaba", language="ar")
    html = client.get(f"{BASE}/articles/sahaba").get_data(as_text=True)
    assert '<article class="stack publishing-article" lang="ar" dir="rtl"' in html


def test_french_articles_render_left_to_right(client, site, make_article):
    make_article(site, slug="fr", language="fr")
    html = client.get(f"{BASE}/articles/fr").get_data(as_text=True)
    assert 'lang="fr" dir="ltr"' in html


def test_an_old_slug_redirects_permanently_to_the_current_one(client, site, make_article):
    article = make_article(site, slug="nouveau-titre")
    old = SlugHistory(workspace_id=site.id, slug="ancien-titre", article_id=article.id)
    sdk.db.session.add(old)
    sdk.db.session.commit()
    response = client.get(f"{BASE}/articles/ancien-titre")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"{BASE}/articles/nouveau-titre")


def test_an_old_slug_of_an_unpublished_article_is_404(client, site, make_article):
    article = make_article(site, slug="nouveau", state="withdrawn")
    sdk.db.session.add(SlugHistory(workspace_id=site.id, slug="ancien", article_id=article.id))
    sdk.db.session.commit()
    assert client.get(f"{BASE}/articles/ancien").status_code == 404


def test_sector_page_lists_only_that_sector(client, site, make_article):
    make_article(site, "Sur le numérique", sectors=("it",))
    make_article(site, "Sur le climat", sectors=("green",))
    html = client.get(f"{BASE}/sectors/green/").get_data(as_text=True)
    assert "Sur le climat" in html and "Sur le numérique" not in html


def test_unknown_sector_is_404(client, site):
    assert client.get(f"{BASE}/sectors/astrology/").status_code == 404


def test_tag_page_lists_the_tagged_articles(client, site, make_article):
    make_article(site, "Tagué", tags=["Cloud souverain"])
    make_article(site, "Pas tagué")
    html = client.get(f"{BASE}/tags/cloud-souverain/").get_data(as_text=True)
    assert "Tagué" in html and "Pas tagué" not in html
    assert client.get(f"{BASE}/tags/unknown/").status_code == 404


def test_author_page_shows_bio_links_and_articles(client, site, make_article, make_author):
    author = make_author(
        site,
        "Youssef Alami",
        bio="Journaliste *tech*",
        links=[{"label": "Son site", "url": "https://alami.ma"}],
    )
    make_article(site, "Signé Youssef", authors=[author])
    make_article(site, "Signé personne")
    html = client.get(f"{BASE}/authors/youssef-alami/").get_data(as_text=True)
    assert "<em>tech</em>" in html
    assert 'href="https://alami.ma"' in html
    assert "Signé Youssef" in html and "Signé personne" not in html
    assert client.get(f"{BASE}/authors/nobody/").status_code == 404


def test_search_finds_words_in_title_standfirst_and_body(client, site, make_article):
    make_article(site, "Les data centers", body="Refroidissement liquide")
    make_article(site, "Le tourisme vert", standfirst="Des écolodges")
    assert "Les data centers" in client.get(f"{BASE}/search?q=liquide").get_data(as_text=True)
    html = client.get(f"{BASE}/search?q=%C3%A9colodges").get_data(as_text=True)
    assert "Le tourisme vert" in html and "Les data centers" not in html


def test_search_treats_wildcards_literally(client, site, make_article):
    make_article(site, "Cent pour cent")
    html = client.get(f"{BASE}/search?q=%25%25").get_data(as_text=True)
    assert "Cent pour cent" not in html


def test_public_pages_need_no_sign_in_and_advertise_the_feed(client, site, make_article):
    make_article(site, slug="a")
    for path in ("/", "/articles/a", "/sectors/it/", "/search?q=cloud"):
        response = client.get(BASE + path)
        assert response.status_code == 200, path
        assert 'rel="alternate" type="application/atom+xml"' in response.get_data(as_text=True)


def test_a_workspace_without_publishing_has_no_public_site(client, make_workspace, make_article):
    ws = make_workspace("acme", plugins=())
    make_article(ws, slug="a")
    for path in ("/", "/articles/a", "/feed.atom", "/feed.rss", "/sitemap.xml", "/api/articles"):
        assert client.get(BASE + path).status_code == 404, path


def test_switching_publishing_off_takes_the_site_down(client, api_client, site, make_article):
    make_article(site, slug="a")
    assert client.get(f"{BASE}/articles/a").status_code == 200
    assert api_client.delete("/api/v1/workspaces/acme/plugins/publishing").status_code == 204
    assert client.get(f"{BASE}/articles/a").status_code == 404
    assert client.get(f"{BASE}/api/articles/a").status_code == 404


def test_an_unapproved_workspace_has_no_public_site(client, site, make_article):
    make_article(site, slug="a")
    site.status = "pending"
    sdk.db.session.commit()
    assert client.get(f"{BASE}/articles/a").status_code == 404


def test_another_workspaces_article_is_not_found_here(
    client, site, make_workspace, make_user, make_article
):
    other = make_workspace("other", owner=make_user("o@example.ma"), plugins=("publishing",))
    make_article(other, "Secret d'ailleurs", slug="ailleurs")
    assert client.get(f"{BASE}/articles/ailleurs").status_code == 404
    assert "Secret d'ailleurs" not in client.get(f"{BASE}/").get_data(as_text=True)
    assert "Secret d'ailleurs" not in client.get(f"{BASE}/search?q=ailleurs").get_data(as_text=True)


# -- template slots ----------------------------------------------------------------------


def test_slots_render_nothing_when_no_plugin_fills_them(client, site, make_article, make_author):
    make_article(site, "Titre", slug="a", authors=[make_author(site)])
    html = client.get(f"{BASE}/articles/a").get_data(as_text=True)
    assert "slotfill" not in html
    assert "<aside" not in html  # the public layout draws no empty box


def test_a_plugin_fills_the_aside_and_byline_slots(
    client, site, make_article, make_author, slotfill
):
    enable(site, "slotfill")
    make_article(site, "Titre <du> jour", slug="a", authors=[make_author(site, "Nadia Idrissi")])
    html = client.get(f"{BASE}/articles/a").get_data(as_text=True)
    assert re.search(
        r'<aside class="stack public-aside" aria-label="[^"]+">'
        r'<p class="slotfill-aside">aside for Titre &lt;du&gt; jour</p></aside>',
        html,
    )
    assert '<span class="slotfill-byline">byline of Nadia Idrissi</span>' in html


def test_the_home_page_slot_draws_nothing_unfilled_and_what_a_plugin_gives(
    client, site, make_article, slotfill
):
    make_article(site, slug="a")
    assert "publishing-home-top" not in client.get(f"{BASE}/").get_data(as_text=True)
    enable(site, "slotfill")
    html = client.get(f"{BASE}/").get_data(as_text=True)
    assert re.search(
        r'<div class="publishing-home-top"><p class="slotfill-home">home of Acme News</p></div>'
        r'\s*<section class="stack" aria-labelledby="latest-title">',
        html,
    )


def test_a_switched_off_plugin_fills_no_slot(client, api_client, site, make_article, slotfill):
    enable(site, "slotfill")
    make_article(site, slug="a")
    assert "slotfill-aside" in client.get(f"{BASE}/articles/a").get_data(as_text=True)
    assert api_client.delete("/api/v1/workspaces/acme/plugins/slotfill").status_code == 204
    assert "slotfill" not in client.get(f"{BASE}/articles/a").get_data(as_text=True)


def test_profile_badges_appear_on_the_byline_and_author_page(
    client, site, make_article, make_author, user
):
    author = make_author(site, "Amina Owner", user=user)
    make_article(site, slug="a", authors=[author])
    badges = [sdk.ProfileBadge("Certified fact-checker", "https://ent.example/c/1", "CIME")]
    from unittest import mock

    with mock.patch.object(sdk, "profile_badges", return_value=badges):
        article_html = client.get(f"{BASE}/articles/a").get_data(as_text=True)
        author_html = client.get(f"{BASE}/authors/amina-owner/").get_data(as_text=True)
    assert "Certified fact-checker" in article_html
    assert "Certified fact-checker" in author_html


def test_published_at_in_the_future_keeps_order(client, site, make_article):
    now = sdk.utcnow()
    make_article(site, "Ancien", published_at=now - timedelta(days=2))
    make_article(site, "Récent", published_at=now - timedelta(minutes=5))
    html = client.get(f"{BASE}/").get_data(as_text=True)
    assert html.index("Récent") < html.index("Ancien")


# -- no N+1: the number of queries does not grow with the data ------------------------------


def _queries(client, path):
    with sql_statements() as seen:
        assert client.get(path).status_code == 200
    return len(seen)


def test_pages_cost_the_same_queries_with_more_articles(client, site, make_article, make_author):
    authors = [make_author(site, f"Auteur {n}", slug=f"a{n}") for n in range(3)]
    paths = ("/", "/articles/a-0", "/sectors/it/", "/authors/a0/", "/feed.atom", "/api/articles")

    def add(count, offset):
        for n in range(count):
            make_article(
                site,
                f"Article {offset + n}",
                slug=f"a-{offset + n}",
                authors=authors[: 1 + n % 3],
                tags=[f"t{n % 4}", "commun"],
                sectors=("it", "green"),
            )

    add(3, 0)
    client.get(f"{BASE}/")  # warm the per-process caches (activations)
    small = {p: _queries(client, BASE + p) for p in paths}
    add(25, 3)
    large = {p: _queries(client, BASE + p) for p in paths}
    assert small == large, (small, large)


def test_the_site_speaks_french_and_arabic(client, site, make_article):
    make_article(site, slug="a")
    french = client.get(f"{BASE}/?lang=fr").get_data(as_text=True)
    assert "Derniers articles" in french and '<html lang="fr" dir="ltr">' in french
    arabic = client.get(f"{BASE}/?lang=ar").get_data(as_text=True)
    assert "أحدث المقالات" in arabic and '<html lang="ar" dir="rtl">' in arabic


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 16), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_covers_are_served_for_published_articles_of_this_site_only(
    client, site, make_article, make_workspace, make_user
):
    key = sdk.store_upload(_png()).key
    mine = make_article(site, slug="a", cover_key=key, cover_alt="Une photo")
    draft = make_article(site, slug="d", cover_key=key, state="unpublished")
    other = make_workspace("other", owner=make_user("o@example.ma"), plugins=("publishing",))
    theirs = make_article(other, slug="t", cover_key=key)
    response = client.get(f"{BASE}/media/covers/{mine.id}/960")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert f'src="{BASE}/media/covers/{mine.id}/960"' in client.get(f"{BASE}/articles/a").get_data(
        as_text=True
    )
    assert client.get(f"{BASE}/media/covers/{draft.id}/960").status_code == 404
    assert client.get(f"{BASE}/media/covers/{theirs.id}/960").status_code == 404
    assert client.get(f"/s/other/publishing/media/covers/{theirs.id}/960").status_code == 200


def test_another_sites_author_and_tag_are_not_found_here(
    client, site, make_article, make_author, make_workspace, make_user
):
    other = make_workspace("other", owner=make_user("o@example.ma"), plugins=("publishing",))
    make_article(other, authors=[make_author(other, "Nadia Ailleurs")], tags=["Secret"])
    assert client.get(f"{BASE}/authors/nadia-ailleurs/").status_code == 404
    assert client.get(f"{BASE}/authors/nadia-ailleurs/feed.atom").status_code == 404
    assert client.get(f"{BASE}/tags/secret/").status_code == 404
    assert client.get("/s/other/publishing/authors/nadia-ailleurs/").status_code == 200
