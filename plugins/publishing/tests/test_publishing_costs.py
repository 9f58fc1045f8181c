"""The shortcuts of the public pages and the newsroom widget (docs/performance.md) stay exact.

Statements built once per process run with the workspace bound, listing cards leave the body
in the database: none of it may show one site's articles on another, or change a page.
"""

from __future__ import annotations

import contextvars
from typing import Any

from sqlalchemy import event

from ent_core import sdk
from ent_core.testing import sign_in

BASE = "/s/acme/publishing"


def fresh_get(client: Any, path: str) -> Any:
    """A request in its own application context, as under a real server."""
    return contextvars.Context().run(client.get, path)


def sent(client: Any, path: str) -> list[str]:
    seen: list[str] = []

    def record(conn: Any, cursor: Any, sql: str, *_: Any) -> None:
        seen.append(" ".join(sql.split()))

    event.listen(sdk.db.engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(sdk.db.engine, "before_cursor_execute", record)
    return seen


def test_the_same_slug_on_two_sites_shows_each_sites_own_article(
    client, site, make_workspace, make_user, make_article
):
    other = make_workspace("other", owner=make_user("o@example.ma"), plugins=("publishing",))
    make_article(site, "Titre Acme", slug="meme")
    make_article(other, "Titre Ailleurs", slug="meme")
    for get in (fresh_get, lambda c, p: c.get(p)):  # also with one context around both
        here = get(client, f"{BASE}/articles/meme").get_data(as_text=True)
        there = get(client, "/s/other/publishing/articles/meme").get_data(as_text=True)
        assert "Titre Acme" in here and "Titre Ailleurs" not in here
        assert "Titre Ailleurs" in there and "Titre Acme" not in there


def test_cards_show_the_byline_in_order_without_reading_the_bodies(
    client, site, make_article, make_author
):
    first, second = make_author(site, "Salma <b>Bennani</b>"), make_author(site, "Omar Idrissi")
    make_article(site, "Deux plumes", slug="deux", authors=[first, second], body="Corps unique")
    statements = sent(client, f"{BASE}/")
    html = client.get(f"{BASE}/").get_data(as_text=True)
    assert "Salma &lt;b&gt;Bennani&lt;/b&gt;, Omar Idrissi ·" in html
    assert "Corps unique" not in html
    articles = [s for s in statements if s.startswith("SELECT publishing_article.id")]
    assert articles and all("publishing_article.body" not in s for s in articles)
    # the article page still has the body, sectors and tags
    page = client.get(f"{BASE}/articles/deux").get_data(as_text=True)
    assert "Corps unique" in page and "Omar Idrissi" in page


def test_the_newsroom_widget_lists_only_this_workspaces_articles(
    client, user, site, make_workspace, make_article
):
    other = make_workspace("other", plugins=("publishing",))  # also owned by ``user``
    make_article(site, "Brève Acme", slug="acme-1", state="draft")
    make_article(other, "Brève Ailleurs", slug="other-1", state="draft")
    sign_in(client, user)
    for get in (fresh_get, lambda c, p: c.get(p)):
        acme = get(client, "/w/acme/").get_data(as_text=True)
        elsewhere = get(client, "/w/other/").get_data(as_text=True)
        assert "Brève Acme" in acme and "Brève Ailleurs" not in acme
        assert "Brève Ailleurs" in elsewhere and "Brève Acme" not in elsewhere
