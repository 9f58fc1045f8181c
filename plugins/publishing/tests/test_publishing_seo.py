"""Open Graph, schema.org NewsArticle JSON-LD, the canonical link and the feed links."""

from __future__ import annotations

import json
import re

BASE = "/s/acme/publishing"


def _json_ld(html):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found, "no JSON-LD"
    return json.loads(found.group(1))


def _meta(html, prop):
    found = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)">', html)
    return found.group(1) if found else None


def test_article_page_carries_a_newsarticle_json_ld(client, site, make_article, make_author):
    make_article(
        site,
        "Le cloud marocain",
        slug="cloud",
        standfirst="Un chapeau clair",
        authors=[make_author(site, "Salma Bennani")],
        tags=["Cloud"],
        language="fr",
    )
    data = _json_ld(client.get(f"{BASE}/articles/cloud").get_data(as_text=True))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Le cloud marocain"
    assert data["description"] == "Un chapeau clair"
    assert data["inLanguage"] == "fr"
    assert data["author"][0]["name"] == "Salma Bennani"
    assert data["author"][0]["url"] == f"http://localhost{BASE}/authors/salma-bennani/"
    assert data["publisher"]["name"] == "Acme News"
    assert data["mainEntityOfPage"]["@id"] == f"http://localhost{BASE}/articles/cloud"
    assert data["datePublished"] and data["dateModified"]
    assert data["keywords"] == ["Cloud"]


def test_open_graph_and_canonical(client, site, make_article):
    make_article(
        site,
        "Titre",
        slug="t",
        seo_title="Titre pour les moteurs",
        seo_description="Description choisie",
        language="ar",
    )
    html = client.get(f"{BASE}/articles/t").get_data(as_text=True)
    assert _meta(html, "og:type") == "article"
    assert _meta(html, "og:title") == "Titre pour les moteurs"
    assert _meta(html, "og:description") == "Description choisie"
    assert _meta(html, "og:url") == f"http://localhost{BASE}/articles/t"
    assert _meta(html, "og:site_name") == "Acme News"
    assert _meta(html, "og:locale") == "ar_MA"
    assert _meta(html, "article:published_time")
    assert f'<link rel="canonical" href="http://localhost{BASE}/articles/t">' in html
    assert '<meta name="description" content="Description choisie">' in html
    assert "<title>Titre pour les moteurs — Acme News</title>" in html


def test_an_editors_canonical_url_wins(client, site, make_article):
    make_article(site, slug="t", canonical_url="https://origine.ma/article")
    html = client.get(f"{BASE}/articles/t").get_data(as_text=True)
    assert '<link rel="canonical" href="https://origine.ma/article">' in html
    assert _json_ld(html)["mainEntityOfPage"]["@id"] == "https://origine.ma/article"


def test_a_non_web_canonical_url_is_ignored(client, site, make_article):
    make_article(site, slug="t", canonical_url="javascript:alert(1)")
    html = client.get(f"{BASE}/articles/t").get_data(as_text=True)
    assert f'<link rel="canonical" href="http://localhost{BASE}/articles/t">' in html
    assert "javascript:" not in html


def test_description_falls_back_to_the_body(client, site, make_article):
    make_article(site, slug="t", body="Le **premier** paragraphe du corps.")
    html = client.get(f"{BASE}/articles/t").get_data(as_text=True)
    assert _meta(html, "og:description") == "Le premier paragraphe du corps."


def test_pages_advertise_atom_and_rss(client, site, make_article, make_author):
    make_article(site, slug="t", authors=[make_author(site, "Salma Bennani")])
    home = client.get(f"{BASE}/").get_data(as_text=True)
    atom = 'type="application/atom+xml" title="Acme News (Atom)"'
    assert f'<link rel="alternate" {atom} href="{BASE}/feed.atom">' in home
    assert f'type="application/rss+xml" title="Acme News (RSS)" href="{BASE}/feed.rss"' in home
    sector = client.get(f"{BASE}/sectors/it/").get_data(as_text=True)
    assert f'href="{BASE}/sectors/it/feed.atom"' in sector
    author = client.get(f"{BASE}/authors/salma-bennani/").get_data(as_text=True)
    assert f'href="{BASE}/authors/salma-bennani/feed.atom"' in author
