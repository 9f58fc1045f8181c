"""The data model: tenancy of every row, slugs per workspace, the two state columns."""

from __future__ import annotations

from ent_plugins.publishing.content import render_body, sanitise_html
from ent_plugins.publishing.models import Article, Author, Revision, Tag

from ent_core import sdk

ARTICLES = "/api/v1/workspaces/{}/publishing/articles"


def test_two_workspaces_may_use_the_same_slug(make_workspace, make_user, make_api_client, user):
    make_workspace("acme", plugins=("publishing",))
    other = make_user("other@example.ma")
    make_workspace("other", owner=other, plugins=("publishing",))
    mine = make_api_client(user).post(ARTICLES.format("acme"), json={"title": "Élections"})
    theirs = make_api_client(other).post(ARTICLES.format("other"), json={"title": "Élections"})
    assert mine.json["slug"] == theirs.json["slug"] == "elections"


def test_rows_carry_their_workspace(make_workspace, user, make_api_client, app_ctx):
    workspace = make_workspace("acme", plugins=("publishing",))
    made = (
        make_api_client(user)
        .post(ARTICLES.format("acme"), json={"title": "Titre", "tags": ["Économie"]})
        .json
    )
    with sdk.all_workspaces():  # every workspace's rows: all of them are acme's
        article = sdk.db.session.get(Article, made["id"])
        assert article.workspace_id == workspace.id
        assert article.editorial_state == "draft"
        assert article.publication_state == "unpublished"
        for model in (Author, Tag, Revision):
            rows = sdk.db.session.scalars(sdk.db.select(model)).all()
            assert rows and all(r.workspace_id == workspace.id for r in rows), model


def test_cover_widths_pick_the_smallest_large_enough(app_ctx):
    article = Article(cover_key="orig", cover_variants={"480": "a", "960": "b", "1200": "orig"})
    assert article.cover_key_for(300) == "a"
    assert article.cover_key_for(700) == "b"
    assert article.cover_key_for(5000) == "orig"
    assert Article(cover_key="k", cover_variants={}).cover_key_for(480) == "k"


def test_bodies_are_sanitised_on_save_and_on_render():
    stored = render_body('<p onclick="x()">Hi<script>bad()</script></p>', "html")
    assert stored == "<p>Hi</p>"
    assert str(sanitise_html('<a href="javascript:x">l</a><iframe src="https://x"></iframe>')) == (
        '<a rel="noopener noreferrer nofollow">l</a>'
    )
    assert render_body("**gras**", "markdown") == "<p><strong>gras</strong></p>\n"


def test_word_count_and_reading_time():
    article = Article(body_html="<p>Un <strong>deux</strong> trois.</p><p>" + "mot " * 400 + "</p>")
    assert article.word_count == 403
    assert article.reading_minutes == 2
    assert Article(body_html="").reading_minutes == 1
