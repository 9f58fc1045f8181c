"""The editor page: writing, bad input shown again with nothing lost, covers, sanitising."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from publishing_newsroom_kit import ARTICLES, PAGES

from ent_core.testing import sample_image, sample_pdf

FORM = {
    "title": "Le cloud souverain au Maroc",
    "standfirst": "Ce que change la nouvelle loi.",
    "body_format": "markdown",
    "body": "Premier paragraphe.\n\n## Ce qui change\n\nDeuxième paragraphe.",
    "language": "fr",
    "sectors": ["it"],
    "tags": "cloud, données",
}


def _new(page, **changes):
    return page.post(f"{PAGES}/articles/new", data={**FORM, **changes})


def test_a_contributor_writes_a_draft_from_the_page(staff, web, make_api_client):
    page = web(staff["contributor"])
    assert page.get(f"{PAGES}/articles/new").status_code == 200
    resp = _new(page)
    assert resp.status_code == 302
    [article] = make_api_client(staff["editor"]).get(ARTICLES).json["items"]
    assert article["title"] == FORM["title"]
    assert article["slug"] == "le-cloud-souverain-au-maroc"
    assert article["sectors"] == ["it"]
    assert sorted(article["tags"]) == ["cloud", "données"]
    assert [a["name"] for a in article["authors"]] == ["Contributor"]
    assert "<h2>Ce qui change</h2>" in article["body_html"]
    listing = page.get(f"{PAGES}/").get_data(as_text=True)
    assert FORM["title"] in listing
    shown = page.get(f"{PAGES}/articles/{article['id']}").get_data(as_text=True)
    assert "7 mots · 1 minute de lecture" in shown  # French by default, plural forms included


def test_bad_input_comes_back_with_messages_and_nothing_lost(staff, web):
    page = web(staff["contributor"])
    body = "Un long texte que personne ne veut retaper.\n\nSecond paragraphe."
    resp = _new(page, title="", body=body, canonical_url="pas une adresse")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert 'aria-invalid="true"' in html
    assert "Un long texte que personne ne veut retaper." in html

    resp = _new(page, body=body, canonical_url="pas une adresse")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "https://" in html  # the message says what to write
    assert "Un long texte que personne ne veut retaper." in html
    assert FORM["title"] in html


def test_an_unknown_sector_is_refused(staff, web):
    assert _new(web(staff["editor"]), sectors=["astrology"]).status_code == 422


def test_scripts_never_reach_the_page(staff, web, make_api_client):
    editor = web(staff["editor"])
    payload = (
        '<script>alert("x")</script><img src=x onerror=alert(1)><a href="javascript:alert(2)">l</a>'
    )
    for body_format in ("markdown", "html"):
        resp = _new(editor, title=f"XSS {body_format}", body=payload, body_format=body_format)
        assert resp.status_code == 302
    items = make_api_client(staff["editor"]).get(ARTICLES).json["items"]
    for item in items:
        page = editor.get(f"{PAGES}/articles/{item['id']}").get_data(as_text=True)
        assert '<script>alert("x")' not in page
        assert re.search(r"<[^>]*\son\w+=", page) is None  # no tag carries a handler
        assert re.search(r"<a[^>]*href=.javascript:", page) is None
        assert "<script" not in item["body_html"]


def test_a_title_with_markup_is_escaped(staff, web, write):
    article = write(staff["editor"], '<img src=x onerror="alert(1)">')
    page = web(staff["editor"]).get(f"{PAGES}/articles/{article['id']}").get_data(as_text=True)
    assert '<img src=x onerror="alert(1)">' not in page
    assert "&lt;img src=x" in page


def test_rich_html_keeps_structure(staff, write):
    article = write(
        staff["editor"],
        body="<p>Texte <strong>gras</strong></p><blockquote>Citation</blockquote>",
        body_format="html",
    )
    assert "<strong>gras</strong>" in article["body_html"]
    assert "<blockquote>Citation</blockquote>" in article["body_html"]


def test_an_arabic_article_reads_right_to_left(staff, web, write):
    article = write(staff["editor"], "الاقتصاد الأخضر في سوس", language="ar")
    page = web(staff["editor"]).get(f"{PAGES}/articles/{article['id']}").get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in page


def test_a_cover_needs_its_description(staff, web, make_api_client):
    page = web(staff["editor"])
    image = (io.BytesIO(sample_image("PNG", (1200, 600))), "cover.png")
    resp = page.post(
        f"{PAGES}/articles/new",
        data={**FORM, "cover": image},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    assert FORM["body"].splitlines()[0] in resp.get_data(as_text=True)

    image = (io.BytesIO(sample_image("PNG", (1200, 600))), "cover.png")
    resp = page.post(
        f"{PAGES}/articles/new",
        data={**FORM, "cover": image, "cover_alt": "La salle des serveurs"},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    [article] = make_api_client(staff["editor"]).get(ARTICLES).json["items"]
    assert article["has_cover"] and article["cover_alt"] == "La salle des serveurs"
    small = page.get(f"{PAGES}/articles/{article['id']}/cover/480")
    assert small.status_code == 200
    assert small.mimetype == "image/webp"
    from PIL import Image

    assert Image.open(io.BytesIO(small.data)).width == 480
    assert page.get(f"{PAGES}/articles/{article['id']}/cover/1600").status_code == 200


def test_a_cover_that_is_not_an_image_is_refused(staff, web):
    resp = web(staff["editor"]).post(
        f"{PAGES}/articles/new",
        data={**FORM, "cover": (io.BytesIO(sample_pdf()), "cover.png"), "cover_alt": "x"},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    assert FORM["title"] in resp.get_data(as_text=True)


def test_a_contributor_cannot_edit_others_or_submitted_articles(staff, web, write, make_api_client):
    page = web(staff["contributor"])
    theirs = write(staff["editor"])
    assert page.get(f"{PAGES}/articles/{theirs['id']}/edit").status_code == 403
    own = write(staff["contributor"])
    assert page.get(f"{PAGES}/articles/{own['id']}/edit").status_code == 200
    make_api_client(staff["contributor"]).post(
        f"{ARTICLES}/{own['id']}/transitions", json={"transition": "submit"}
    )
    page.post(f"{PAGES}/articles/{own['id']}/lock", data={"action": "release"})
    assert page.get(f"{PAGES}/articles/{own['id']}/edit").status_code == 403


def test_saving_from_the_editor_changes_the_article(staff, web, write, make_api_client):
    article = write(staff["editor"], "Avant")
    page = web(staff["editor"])
    resp = page.post(
        f"{PAGES}/articles/{article['id']}/edit", data={**FORM, "title": "Après", "slug": "apres"}
    )
    assert resp.status_code == 302
    got = make_api_client(staff["editor"]).get(f"{ARTICLES}/{article['id']}").json
    assert (got["title"], got["slug"]) == ("Après", "apres")


def test_a_changed_slug_is_kept_in_the_slug_history(staff, write, make_api_client, app_ctx):
    from ent_plugins.publishing.models import SlugHistory

    from ent_core import sdk

    article = write(staff["editor"], "Premier titre")
    make_api_client(staff["editor"]).patch(
        f"{ARTICLES}/{article['id']}", json={"slug": "nouveau-titre"}
    )
    with sdk.all_workspaces():
        rows = sdk.db.session.scalars(sdk.db.select(SlugHistory)).all()
    assert [(r.slug, r.article_id) for r in rows] == [("premier-titre", article["id"])]


def test_review_comments(staff, web, write):
    article = write(staff["contributor"])
    editor = web(staff["editor"])
    resp = editor.post(
        f"{PAGES}/articles/{article['id']}/comments", data={"body": "Sourcez le chiffre."}
    )
    assert resp.status_code == 302
    page = web(staff["contributor"]).get(f"{PAGES}/articles/{article['id']}")
    assert "Sourcez le chiffre." in page.get_data(as_text=True)
    empty = editor.post(f"{PAGES}/articles/{article['id']}/comments", data={"body": ""})
    assert empty.status_code == 422
    theirs = write(staff["editor"])
    outsider = web(staff["contributor"]).post(
        f"{PAGES}/articles/{theirs['id']}/comments", data={"body": "?"}
    )
    assert outsider.status_code == 403


def test_the_list_filters_by_state(staff, web, write, make_api_client):
    published = write(staff["editor"], "Déjà en ligne")
    write(staff["editor"], "Encore en brouillon")
    make_api_client(staff["editor"]).post(
        f"{ARTICLES}/{published['id']}/transitions", json={"transition": "publish"}
    )
    html = web(staff["editor"]).get(f"{PAGES}/?publication=published").get_data(as_text=True)
    assert "Déjà en ligne" in html
    assert "Encore en brouillon" not in html


def test_nav_item_and_dashboard_widget(staff, web, write):
    write(staff["editor"], "Titre du tableau de bord")
    html = web(staff["member"]).get("/w/acme/").get_data(as_text=True)
    assert 'href="/w/acme/publishing/"' in html
    assert "Titre du tableau de bord" in html


def test_authors_are_managed_by_editors(staff, web):
    editor = web(staff["editor"])
    resp = editor.post(
        f"{PAGES}/authors/new",
        data={"name": "Salma Idrissi", "bio": "Journaliste **tech**.",
              "links": "Site https://salma.example.ma"},
    )  # fmt: skip
    assert resp.status_code == 302
    html = editor.get(f"{PAGES}/authors").get_data(as_text=True)
    assert "Salma Idrissi" in html and "<strong>tech</strong>" in html
    bad = editor.post(f"{PAGES}/authors/new", data={"name": "X", "links": "Site ftp://x"})
    assert bad.status_code == 422
    assert web(staff["contributor"]).get(f"{PAGES}/authors/new").status_code == 403


def test_every_newsroom_page_renders_in_arabic_right_to_left(staff, web, write, make_api_client):
    article = write(staff["editor"], "عنوان المقال", language="ar", body="نص.")
    make_api_client(staff["editor"]).patch(f"{ARTICLES}/{article['id']}", json={"body": "نص آخر."})
    rev = make_api_client(staff["editor"]).get(f"{ARTICLES}/{article['id']}/revisions").json
    author_id = article["authors"][0]["id"]
    page = web(staff["owner"])
    for path in (
        "/",
        "/articles/new",
        f"/articles/{article['id']}",
        f"/articles/{article['id']}/edit",
        f"/articles/{article['id']}/history",
        f"/articles/{article['id']}/revisions/{rev['items'][0]['id']}",
        "/authors",
        "/authors/new",
        f"/authors/{author_id}/edit",
    ):
        resp = page.get(f"{PAGES}{path}?lang=ar")
        assert resp.status_code == 200, path
        html = resp.get_data(as_text=True)
        assert '<html lang="ar" dir="rtl">' in html, path
        assert html.count("<h1") == 1, path
    assert "غرفة التحرير" in page.get(f"{PAGES}/?lang=ar").get_data(as_text=True)


def test_deleting_from_the_page(staff, web, write, make_api_client, audit_actions):
    own = write(staff["contributor"], "À jeter")
    theirs = write(staff["editor"], "Pas à toi")
    contributor = web(staff["contributor"])
    assert contributor.post(f"{PAGES}/articles/{theirs['id']}/delete").status_code == 403
    assert contributor.post(f"{PAGES}/articles/{own['id']}/delete").status_code == 302
    assert make_api_client(staff["editor"]).get(f"{ARTICLES}/{own['id']}").status_code == 404
    assert "publishing.article.deleted" in audit_actions(f"article:{own['id']}")
    make_api_client(staff["editor"]).post(
        f"{ARTICLES}/{theirs['id']}/transitions", json={"transition": "publish"}
    )
    web(staff["editor"]).post(f"{PAGES}/articles/{theirs['id']}/delete")
    assert make_api_client(staff["editor"]).get(f"{ARTICLES}/{theirs['id']}").status_code == 200


def test_the_list_searches_titles(staff, web, write):
    write(staff["editor"], "Énergie solaire à Ouarzazate")
    write(staff["editor"], "Start-up de Casablanca")
    html = web(staff["editor"]).get(f"{PAGES}/?q=solaire").get_data(as_text=True)
    assert "Ouarzazate" in html and "Casablanca" not in html


XSS = (
    '<script>alert("t1")</script>',
    '"><img src=x onerror=alert("t2")>',
    "'><svg onload=alert('t3')>",
    '<iframe src="javascript:alert(`t4`)"></iframe>',
    "<a href=\"javascript:alert('t5')\">clic</a>",
    "<body onpageshow=alert(t6)>",
)


class _Scanner(HTMLParser):
    """Collects what a browser would run: handlers, inline scripts, frames, script links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag in ("iframe", "object", "embed") or (tag == "script" and "src" not in names):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}")
            if name in ("href", "src") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")


def _unsafe(html: str) -> list[str]:
    scanner = _Scanner()
    scanner.feed(html)
    return scanner.found


def test_an_xss_corpus_through_every_field_never_reaches_a_page(staff, web, make_api_client):
    assert len(_unsafe('<a href="javascript:x" onclick="y">l</a><script>z()</script>')) == 3
    editor_api = make_api_client(staff["editor"])
    payload = " ".join(XSS)
    author = editor_api.post(
        "/api/v1/workspaces/acme/publishing/authors",
        json={"name": payload[:200], "bio": payload,
              "links": [{"label": payload[:90], "url": "https://example.ma/?q=%3Cscript%3E"}]},
    ).json  # fmt: skip
    ids = []
    for body_format in ("markdown", "html"):
        resp = editor_api.post(
            ARTICLES,
            json={"title": payload[:300], "standfirst": payload, "body": payload,
                  "body_format": body_format, "tags": list(XSS), "seo_title": payload[:300],
                  "seo_description": payload[:500], "cover_alt": payload[:300],
                  "author_ids": [author["id"]]},
        )  # fmt: skip
        assert resp.status_code == 201, resp.json
        ids.append(resp.json["id"])
        editor_api.post(f"{ARTICLES}/{ids[-1]}/comments", json={"body": payload})
        editor_api.patch(f"{ARTICLES}/{ids[-1]}", json={"body": payload + " v2"})
    page = web(staff["editor"])
    paths = ["/w/acme/", f"{PAGES}/", f"{PAGES}/authors", f"{PAGES}/authors/{author['id']}/edit"]
    for article_id in ids:
        revs = editor_api.get(f"{ARTICLES}/{article_id}/revisions").json["items"]
        paths += [
            f"{PAGES}/articles/{article_id}",
            f"{PAGES}/articles/{article_id}/edit",
            f"{PAGES}/articles/{article_id}/history",
            f"{PAGES}/articles/{article_id}/revisions/{revs[0]['id']}",
            f"{PAGES}/articles/{article_id}/revisions/{revs[-1]['id']}?against=current",
        ]
    for path in paths:
        resp = page.get(path)
        assert resp.status_code == 200, path
        html = resp.get_data(as_text=True)
        assert _unsafe(html) == [], path
    for article_id in ids:
        item = editor_api.get(f"{ARTICLES}/{article_id}").json
        assert _unsafe(item["body_html"]) == []


def test_the_list_shows_only_my_articles_and_pages(staff, web, write, monkeypatch):
    from ent_plugins.publishing import views

    write(staff["contributor"], "Le mien")
    write(staff["editor"], "Celui de la cheffe")
    page = web(staff["contributor"])
    mine = page.get(f"{PAGES}/?mine=1").get_data(as_text=True)
    assert "Le mien" in mine and "Celui de la cheffe" not in mine

    monkeypatch.setattr(views, "LIST_SIZE", 1)
    first = page.get(f"{PAGES}/").get_data(as_text=True)
    assert "Celui de la cheffe" in first and "Le mien" not in first
    assert "page=2" in first
    second = page.get(f"{PAGES}/?page=2").get_data(as_text=True)
    assert "Le mien" in second and "page=1" in second
