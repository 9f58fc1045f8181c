"""Atom (RFC 4287) and RSS 2.0 feeds per workspace, sector and author; sitemap.xml."""

from __future__ import annotations

import atoma
import feedparser
import pytest
from lxml import etree

BASE = "/s/acme/publishing"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def articles(site, make_article, make_author):
    salma = make_author(site, "Salma Bennani")
    make_article(
        site,
        "Le cloud",
        slug="cloud",
        sectors=("it",),
        authors=[salma],
        standfirst="Chapeau cloud",
        tags=["Cloud"],
    )
    make_article(site, "Le climat", slug="climat", sectors=("green",))
    make_article(site, "Brouillon", slug="draft", state="unpublished")
    return salma


def _atom(client, path):
    response = client.get(BASE + path)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return response.data


def test_workspace_atom_feed_carries_the_rfc_4287_required_elements(client, articles):
    data = _atom(client, "/feed.atom")
    root = etree.fromstring(data)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}").text
    self_links = [x for x in root.findall(f"{ATOM}link") if x.get("rel") == "self"]
    assert self_links[0].get("href") == f"http://localhost{BASE}/feed.atom"
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Acme News"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}").text
        assert entry.find(f"{ATOM}link").get("href").startswith(f"http://localhost{BASE}/articles/")
        assert entry.find(f"{ATOM}id").text.startswith("urn:ent:publishing:")


def test_workspace_atom_feed_parses_with_atoma_and_feedparser(client, articles):
    data = _atom(client, "/feed.atom")
    parsed = atoma.parse_atom_bytes(data)
    assert [e.title.value for e in parsed.entries] == ["Le climat", "Le cloud"]
    assert parsed.entries[1].authors[0].name == "Salma Bennani"
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.entries[1].link == f"http://localhost{BASE}/articles/cloud"


def test_workspace_rss_feed_parses_with_atoma_and_feedparser(client, articles):
    response = client.get(f"{BASE}/feed.rss")
    assert response.mimetype == "application/rss+xml"
    parsed = atoma.parse_rss_bytes(response.data)
    assert {i.title for i in parsed.items} == {"Le cloud", "Le climat"}
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.link == f"http://localhost{BASE}/"


def test_sector_feeds_hold_only_that_sector(client, articles):
    parsed = atoma.parse_atom_bytes(_atom(client, "/sectors/green/feed.atom"))
    assert [e.title.value for e in parsed.entries] == ["Le climat"]
    rss = atoma.parse_rss_bytes(client.get(f"{BASE}/sectors/green/feed.rss").data)
    assert [i.title for i in rss.items] == ["Le climat"]
    assert client.get(f"{BASE}/sectors/astrology/feed.atom").status_code == 404


def test_author_feeds_hold_only_their_articles(client, articles):
    parsed = atoma.parse_atom_bytes(_atom(client, "/authors/salma-bennani/feed.atom"))
    assert [e.title.value for e in parsed.entries] == ["Le cloud"]
    rss = feedparser.parse(client.get(f"{BASE}/authors/salma-bennani/feed.rss").data)
    assert [e.title for e in rss.entries] == ["Le cloud"]
    assert client.get(f"{BASE}/authors/nobody/feed.atom").status_code == 404


def test_an_empty_site_still_has_a_valid_feed(client, site):
    parsed = atoma.parse_atom_bytes(_atom(client, "/feed.atom"))
    assert parsed.entries == []
    assert parsed.updated is not None


def test_feed_entries_keep_their_id_when_the_slug_changes(client, site, make_article):
    article = make_article(site, slug="avant")
    first = atoma.parse_atom_bytes(_atom(client, "/feed.atom")).entries[0].id_
    from ent_core import sdk

    article.slug = "apres"
    sdk.db.session.commit()
    assert atoma.parse_atom_bytes(_atom(client, "/feed.atom")).entries[0].id_ == first


def test_control_characters_do_not_break_the_feed(client, site, make_article):
    make_article(site, "Titre\x0b avec\x01 contrôle", slug="ctl")
    parsed = atoma.parse_atom_bytes(_atom(client, "/feed.atom"))
    assert parsed.entries[0].title.value == "Titre avec contrôle"


def test_sitemap_lists_published_articles_and_site_pages(client, articles):
    response = client.get(f"{BASE}/sitemap.xml")
    assert response.status_code == 200
    root = etree.fromstring(response.data)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = root.xpath("//s:url/s:loc/text()", namespaces=ns)
    assert f"http://localhost{BASE}/articles/cloud" in locs
    assert f"http://localhost{BASE}/articles/draft" not in locs
    assert f"http://localhost{BASE}/" in locs
    assert f"http://localhost{BASE}/sectors/it/" in locs
    assert f"http://localhost{BASE}/authors/salma-bennani/" in locs
    assert root.xpath(
        "//s:url[s:loc='http://localhost/s/acme/publishing/articles/cloud']/s:lastmod",
        namespaces=ns,
    )


@pytest.mark.parametrize("path", ["/feed.atom", "/feed.rss", "/sitemap.xml"])
def test_feeds_get_a_policy_without_scripts_that_the_xml_viewer_can_style(client, site, path):
    """The page policy would blank the browser's XML viewer; this one runs no script at all."""
    policy = client.get(BASE + path).headers["Content-Security-Policy"]
    assert policy.startswith("default-src 'none';")
    assert "script" not in policy and "frame-ancestors 'none'" in policy
