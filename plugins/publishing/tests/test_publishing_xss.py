"""An XSS payload corpus through every text field never reaches a public page, feed, the
portal, the JSON-LD or the public API as active content."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest
from ent_plugins.publishing.models import Article
from lxml import etree

from ent_core import sdk

BASE = "/s/acme/publishing"
PAYLOADS = [
    '<script>alert("xss1")</script>',
    '<img src=x onerror=alert("xss2")>',
    '<svg onload=alert("xss3")>',
    '<svg><script>alert("xss4")</script></svg>',
    '"><script>alert("xss5")</script>',
    "'><img src=x onerror=alert('xss6')>",
    "<a href=\"javascript:alert('xss7')\">clic</a>",
    '[clic](javascript:alert("xss8"))',
    '</script><script>alert("xss9")</script>',
    "<iframe src=\"javascript:alert('xss10')\"></iframe>",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert("xss11")>',
    '" onmouseover="alert(\'xss12\')" x="',
    '<a href="JaVaScRiPt:alert(1)">j</a> <a href="data:text/html;base64,PHNjcmlwdD4=">d</a>',
    '<object data="javascript:alert(13)"></object><embed src="javascript:alert(14)">',
    '<p style="background:url(javascript:alert(15))">s</p>',
    "</title><script>alert(16)</script>",
    "<!--<img src=x onerror=alert(17)>-->",
]
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "srcset", "data", "content")
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


def assert_inert(html: str, where: str) -> None:
    """No script of the page's making, no handler attribute, no script-bearing URL."""
    doc = lxml.html.document_fromstring(html)
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag == "script":
            assert el.get("type") == "application/ld+json" or (el.get("src") and not el.text), (
                f"{where}: a script element: {etree.tostring(el)[:200]!r}"
            )
            if el.get("type") == "application/ld+json":
                json.loads(el.text)
        assert tag not in {"iframe", "object", "embed", "style", "math", "base"}, (where, tag)
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), f"{where}: {tag} {name}={value!r}"
            if name.lower() in URL_ATTRIBUTES or name.lower().endswith("href"):
                cleaned = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if name.lower() == "content" and el.get("property") is None:
                    continue
                assert not cleaned.startswith(BAD_SCHEMES), f"{where}: {tag} {name}={value!r}"


def assert_raw_json_ld_safe(html: str, where: str) -> None:
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        assert "<" not in block and ">" not in block, where


@pytest.fixture(params=range(len(PAYLOADS)), ids=[f"p{i}" for i in range(len(PAYLOADS))])
def poisoned(request, site, make_article, make_author, user):
    payload = PAYLOADS[request.param]
    author = make_author(
        site,
        f"Auteur {payload}",
        slug="auteur",
        bio=f"Bio {payload}",
        links=[
            {"label": f"Lien {payload}", "url": "javascript:alert('link')"},
            {"label": "ok", "url": 'https://ok.ma/" onmouseover="alert(1)'},
            {"label": payload, "url": payload},
        ],
        user=user,
    )
    common = dict(
        standfirst=f"Chapeau {payload}",
        sectors=("it",),
        tags=[f"tag {payload}"[:80]],  # the column holds 80 characters; the editor cuts there too
        authors=[author],
        syndicated=True,
        seo_title=f"SEO {payload}",
        seo_description=f"Desc {payload}",
        canonical_url=f"https://ok.ma/{payload}",
        cover_key="covers/none.png",
        cover_alt=f"Alt {payload}",
    )
    make_article(site, f"Titre {payload}", slug="md", body=f"Corps {payload}", **common)
    make_article(
        site,
        f"Titre html {payload}",
        slug="html",
        body=f"<p>Corps {payload}</p>",
        body_format="html",
        **common,
    )
    with sdk.all_workspaces():
        article = sdk.db.session.scalar(sdk.db.select(Article).where(Article.slug == "html"))
    # A body stored before a sanitiser change: the page sanitises again when it renders.
    article.body_html = f"<p>Ancien {payload}</p>"
    sdk.db.session.commit()
    return payload


PAGES = (
    "/",
    "/articles/md",
    "/articles/html",
    "/sectors/it/",
    "/authors/auteur/",
    "/search?q=Titre",
)


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_stay_inert(client, poisoned, path):
    response = client.get(BASE + path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert_inert(html, path)
    assert_raw_json_ld_safe(html, path)


def test_tag_page_stays_inert(client, poisoned):
    article = client.get(f"{BASE}/articles/md").get_data(as_text=True)
    tag_path = re.search(r'href="(/s/acme/publishing/tags/[^"]+)"', article).group(1)
    html = client.get(tag_path).get_data(as_text=True)
    assert_inert(html, tag_path)


def test_the_portal_stays_inert(client, poisoned):
    for path in ("/portal/", "/portal/it/"):
        html = client.get(path).get_data(as_text=True)
        assert "Titre" in html
        assert_inert(html, path)


def _feed_html_fragments(xml: bytes) -> list[str]:
    """Every piece of a feed a reader renders as HTML: Atom html content/summary, RSS texts."""
    root = etree.fromstring(xml)
    fragments = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        if el.get("type") == "html" or local in ("description", "encoded"):
            fragments.append(el.text or "")
    return fragments


@pytest.mark.parametrize(
    "path", ["/feed.atom", "/feed.rss", "/sectors/it/feed.atom", "/authors/auteur/feed.rss"]
)
def test_feeds_stay_inert(client, poisoned, path):
    response = client.get(BASE + path)
    assert response.status_code == 200
    for fragment in _feed_html_fragments(response.data):
        assert_inert(f"<html><body>{fragment}</body></html>", path)


def test_the_portal_feed_is_well_formed(client, poisoned):
    response = client.get("/portal/it/atom.xml")
    root = etree.fromstring(response.data)
    titles = [t.text for t in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert any(t and t.startswith("Titre") for t in titles)


def test_public_api_serves_sanitised_html(client, poisoned):
    data = client.get(f"{BASE}/api/articles/html").get_json()
    assert_inert(f"<html><body>{data['body_html']}</body></html>", "api")
    assert data["title"].startswith("Titre html")  # text stays text: the client escapes it
