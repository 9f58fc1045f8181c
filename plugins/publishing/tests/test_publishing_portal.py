"""The sector portal: syndicated articles with the link back, its feeds, hiding by admins."""

from __future__ import annotations

from datetime import timedelta

import atoma
import feedparser
import pytest

from ent_core import sdk
from ent_core.testing import sign_in

ARTICLE_URL = "http://localhost/s/acme/publishing/articles/cloud"


@pytest.fixture
def syndicated(site, make_article):
    return make_article(
        site,
        "Le cloud marocain",
        slug="cloud",
        sectors=("it",),
        standfirst="Le chapeau",
        syndicated=True,
    )


@pytest.fixture
def admin(make_user):
    return make_user("admin@example.ma", admin=True)


def test_the_portal_lists_a_syndicated_article_with_the_link_back(client, syndicated):
    for path in ("/portal/", "/portal/it/"):
        html = client.get(path).get_data(as_text=True)
        assert f'<a href="{ARTICLE_URL}"><bdi>Le cloud marocain</bdi></a>' in html, path
        assert "Acme News" in html
        assert "Le chapeau" in html


def test_the_portal_leaves_out_what_is_not_for_it(
    client, site, make_article, make_workspace, make_user
):
    make_article(site, "Pas syndiqué", sectors=("it",))
    make_article(site, "Brouillon syndiqué", sectors=("it",), syndicated=True, state="unpublished")
    make_article(site, "Retiré syndiqué", sectors=("it",), syndicated=True, state="withdrawn")
    off = make_workspace("off", owner=make_user("off@example.ma"), plugins=())
    make_article(off, "Sans publication", sectors=("it",), syndicated=True)
    pending = make_workspace("pending", owner=make_user("p@example.ma"), plugins=("publishing",))
    pending.status = "pending"
    sdk.db.session.commit()
    make_article(pending, "Non approuvé", sectors=("it",), syndicated=True)
    html = client.get("/portal/it/").get_data(as_text=True)
    for title in (
        "Pas syndiqué",
        "Brouillon syndiqué",
        "Retiré syndiqué",
        "Sans publication",
        "Non approuvé",
    ):
        assert title not in html, title


def test_a_sector_page_shows_only_its_sector(client, site, make_article):
    make_article(site, "Vert", sectors=("green",), syndicated=True)
    make_article(site, "Numérique", sectors=("it",), syndicated=True)
    html = client.get("/portal/green/").get_data(as_text=True)
    assert "Vert" in html and "Numérique" not in html
    assert client.get("/portal/astrology/").status_code == 404


def test_the_portal_paginates(client, site, make_article):
    now = sdk.utcnow()
    for n in range(23):
        make_article(
            site,
            f"Dépêche {n:02d}",
            sectors=("it",),
            syndicated=True,
            published_at=now - timedelta(minutes=60 - n),
        )
    first = client.get("/portal/it/").get_data(as_text=True)
    assert "Dépêche 22" in first and "Dépêche 03" in first and "Dépêche 02" not in first
    older = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(older).get_data(as_text=True)
    assert "Dépêche 02" in second and "Dépêche 00" in second and "Dépêche 03" not in second


def test_the_portal_feed_parses_and_links_back(client, syndicated):
    response = client.get("/portal/it/atom.xml")
    assert response.mimetype == "application/atom+xml"
    parsed = atoma.parse_atom_bytes(response.data)
    assert parsed.id_ and parsed.updated and parsed.title.value
    assert parsed.entries[0].links[0].href == ARTICLE_URL
    assert parsed.entries[0].authors[0].name == "Acme News"
    feed = feedparser.parse(response.data)
    assert not feed.bozo
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [
        "http://localhost/portal/it/atom.xml"
    ]


def test_the_portal_answers_304_when_unchanged(client, syndicated):
    first = client.get("/portal/it/")
    again = client.get("/portal/it/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_an_admin_hides_an_item_and_shows_it_again(client, syndicated, admin):
    sign_in(client, admin)
    page = client.get("/portal/it/").get_data(as_text=True)
    assert 'value="publishing:article:' in page  # the hide button
    response = client.post(
        "/admin/portal/hide",
        data={
            "key": f"publishing:article:{syndicated.id}",
            "title": "Le cloud marocain",
            "url": ARTICLE_URL,
            "next": "/portal/it/",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/portal/it/")
    assert "Le cloud marocain" not in client.get("/portal/it/").get_data(as_text=True)
    assert "Le cloud marocain" not in client.get("/portal/").get_data(as_text=True)
    assert "Le cloud marocain" not in client.get("/portal/it/atom.xml").get_data(as_text=True)
    # the workspace's own site keeps it
    assert client.get("/s/acme/publishing/articles/cloud").status_code == 200
    listing = client.get("/admin/portal/").get_data(as_text=True)
    assert "Le cloud marocain" in listing
    audit = client.get("/admin/audit/").get_data(as_text=True)
    assert "portal.item_hidden" in audit
    hidden_id = listing.split('action="/admin/portal/')[1].split("/show")[0]
    assert client.post(f"/admin/portal/{hidden_id}/show").status_code == 302
    assert "Le cloud marocain" in client.get("/portal/it/").get_data(as_text=True)
    assert "portal.item_shown" in client.get("/admin/audit/").get_data(as_text=True)


def test_hiding_keeps_the_page_full(client, site, make_article, admin):
    now = sdk.utcnow()
    for n in range(21):
        make_article(
            site,
            f"Dépêche {n:02d}",
            sectors=("it",),
            syndicated=True,
            published_at=now - timedelta(minutes=60 - n),
        )
    newest = make_article(site, "La plus récente", sectors=("it",), syndicated=True)
    sign_in(client, admin)
    client.post("/admin/portal/hide", data={"key": f"publishing:article:{newest.id}"})
    html = client.get("/portal/it/").get_data(as_text=True)
    assert "Dépêche 01" in html and "La plus récente" not in html


def test_only_admins_hide_items(app_ctx, signed_in_client, syndicated):
    key = {"key": f"publishing:article:{syndicated.id}"}
    assert signed_in_client.post("/admin/portal/hide", data=key).status_code == 403
    assert signed_in_client.get("/admin/portal/").status_code == 403
    assert 'name="key"' not in signed_in_client.get("/portal/it/").get_data(as_text=True)
    anonymous = app_ctx.test_client()
    response = anonymous.post("/admin/portal/hide", data=key)
    assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]
    assert "Le cloud marocain" in anonymous.get("/portal/it/").get_data(as_text=True)


def test_the_shell_links_the_portal(client):
    assert 'href="/portal/"' in client.get("/").get_data(as_text=True)


def test_hook_ent_portal_items(app_ctx, site, make_article):
    """Publishing answers the hook: newest first, per sector, before a time, within limit."""
    now = sdk.utcnow()
    old = make_article(
        site,
        "Ancien",
        sectors=("it", "green"),
        syndicated=True,
        published_at=now - timedelta(days=2),
    )
    make_article(
        site, "Récent", sectors=("it",), syndicated=True, published_at=now - timedelta(hours=1)
    )
    hook = app_ctx.extensions["ent"].hook.ent_portal_items
    items = [i for batch in hook(sector="it", limit=10, before=None) for i in batch]
    assert [i.title for i in items] == ["Récent", "Ancien"]
    assert all(isinstance(i, sdk.PortalItem) for i in items)
    assert items[1].key == f"publishing:article:{old.id}"
    assert items[1].url == "http://localhost/s/acme/publishing/articles/" + old.slug
    assert items[1].workspace_name == "Acme News"
    green = [i for batch in hook(sector="green", limit=10, before=None) for i in batch]
    assert [(i.title, i.sector) for i in green] == [("Ancien", "green")]
    earlier = hook(sector=None, limit=10, before=now - timedelta(days=1))
    assert [i.title for batch in earlier for i in batch] == ["Ancien"]
    assert [i.title for batch in hook(sector="it", limit=1, before=None) for i in batch] == [
        "Récent"
    ]


def test_the_all_sectors_feed_parses(client, syndicated):
    parsed = atoma.parse_atom_bytes(client.get("/portal/atom.xml").data)
    assert [e.title.value for e in parsed.entries] == ["Le cloud marocain"]
    assert parsed.entries[0].links[0].href == ARTICLE_URL
    assert 'type="application/atom+xml"' in client.get("/portal/").get_data(as_text=True)
