"""The notice board through HTTP, the API and the SDK, on a real application."""

from __future__ import annotations

from typing import Any

from ent_core import sdk
from ent_core.testing import enable

BOARD = "/w/acme/noticeboard/"
NOTICES = "/api/v1/workspaces/acme/noticeboard/notices"


def test_the_board_answers_where_it_is_switched_on(signed_in_client: Any, board: Any) -> None:
    resp = signed_in_client.get(BOARD + "?lang=en")

    assert resp.status_code == 200
    assert "<h1>Notice board</h1>" in resp.text
    assert 'href="/w/acme/noticeboard/new"' in resp.text


def test_the_board_is_404_where_it_is_off(
    signed_in_client: Any, api_client: Any, workspace: Any
) -> None:
    assert signed_in_client.get(BOARD).status_code == 404
    resp = api_client.get(NOTICES)
    assert resp.status_code == 404
    assert resp.json["error"]["code"] == "not_found"


def test_a_notice_posted_through_the_form_is_shown_as_html(
    signed_in_client: Any, board: Any
) -> None:
    resp = signed_in_client.post(
        BOARD + "new",
        data={"title": "Réunion lundi", "body": "Rendez-vous **salle 2**."},
        follow_redirects=True,
    )

    assert resp.status_code == 200
    assert "Réunion lundi" in resp.text
    assert "<strong>salle 2</strong>" in resp.text


def test_the_form_shows_what_to_fix(signed_in_client: Any, board: Any) -> None:
    resp = signed_in_client.post(BOARD + "new", data={"title": "", "body": "x"})

    assert resp.status_code == 422
    assert 'aria-invalid="true"' in resp.text


def test_bodies_are_sanitised(api_client: Any, board: Any) -> None:
    body = "<script>alert(1)</script> [x](javascript:alert(1)) **ok**"

    html = api_client.post(NOTICES, json={"title": "T", "body": body}).json["body_html"]

    assert "<script" not in html
    assert 'href="javascript' not in html
    assert "<strong>ok</strong>" in html


def test_the_api_creates_and_lists_notices(api_client: Any, board: Any) -> None:
    created = api_client.post(NOTICES, json={"title": "Assemblée générale", "body": "Le 3 mai"})

    assert created.status_code == 201
    assert created.json["title"] == "Assemblée générale"
    assert created.json["author"] == "Amina Owner"
    assert created.json["pinned"] is False
    listed = api_client.get(NOTICES).json
    assert [n["id"] for n in listed["items"]] == [created.json["id"]]
    assert listed["next_cursor"] is None


def test_the_api_list_is_paginated(api_client: Any, board: Any) -> None:
    ids = [api_client.post(NOTICES, json={"title": f"N{i}"}).json["id"] for i in range(3)]

    first = api_client.get(NOTICES + "?limit=2").json
    second = api_client.get(NOTICES + f"?limit=2&cursor={first['next_cursor']}").json

    assert [n["id"] for n in first["items"] + second["items"]] == ids
    assert second["next_cursor"] is None


def test_the_api_refuses_an_invalid_notice(api_client: Any, board: Any) -> None:
    resp = api_client.post(NOTICES, json={"title": "", "colour": "red"})

    assert resp.status_code == 422
    assert {"title", "colour"} <= resp.json["error"]["details"]["fields"].keys()


def test_members_read_but_may_not_post(
    member_client: Any, member: Any, make_api_client: Any
) -> None:
    page = member_client.get(BOARD)
    assert page.status_code == 200
    assert 'href="/w/acme/noticeboard/new"' not in page.text
    assert member_client.get(BOARD + "new").status_code == 403
    resp = make_api_client(member).post(NOTICES, json={"title": "Hello"})
    assert resp.status_code == 403
    assert resp.json["error"]["code"] == "forbidden"


def test_notices_of_another_workspace_are_invisible(
    signed_in_client: Any,
    api_client: Any,
    board: Any,
    make_user: Any,
    make_workspace: Any,
    make_api_client: Any,
) -> None:
    stranger = make_user("stranger@example.ma")
    make_workspace("other", owner=stranger, plugins=("noticeboard",))
    theirs = make_api_client(stranger).post(
        "/api/v1/workspaces/other/noticeboard/notices", json={"title": "Their secret"}
    )
    assert theirs.status_code == 201

    assert signed_in_client.get(f"{BOARD}{theirs.json['id']}").status_code == 404
    assert "Their secret" not in signed_in_client.get(BOARD).text
    assert api_client.get(NOTICES).json["items"] == []
    assert signed_in_client.get("/w/other/noticeboard/").status_code == 404


def test_pinning_is_limited_by_the_setting(api_client: Any, board: Any) -> None:
    enable(board, "noticeboard", {"max_pinned": 1})
    assert api_client.post(NOTICES, json={"title": "A", "pinned": True}).status_code == 201

    refused = api_client.post(NOTICES, json={"title": "B", "pinned": True})

    assert refused.status_code == 422
    assert "pinned" in refused.json["error"]["details"]["fields"]


def test_pinning_mails_the_other_members(
    api_client: Any, board: Any, member: Any, mail_outbox: list[dict[str, Any]]
) -> None:
    api_client.post(NOTICES, json={"title": "Fermeture vendredi", "pinned": True})

    assert [m["to"] for m in mail_outbox] == ["member@example.ma"]
    assert "Fermeture vendredi" in mail_outbox[0]["subject"]
    assert "http://localhost/w/acme/noticeboard/" in mail_outbox[0]["text"]


def test_no_mail_when_the_workspace_turned_it_off(
    api_client: Any, board: Any, member: Any, mail_outbox: list[dict[str, Any]]
) -> None:
    enable(board, "noticeboard", {"notify_members": False})

    api_client.post(NOTICES, json={"title": "Silencieux", "pinned": True})

    assert mail_outbox == []


def test_the_pin_button_pins_and_mails(
    signed_in_client: Any,
    api_client: Any,
    board: Any,
    member: Any,
    mail_outbox: list[dict[str, Any]],
) -> None:
    notice = api_client.post(NOTICES, json={"title": "Nouveau local"}).json
    assert mail_outbox == []

    resp = signed_in_client.post(f"{BOARD}{notice['id']}/pin")

    assert resp.status_code == 302
    assert api_client.get(NOTICES).json["items"][0]["pinned"] is True
    assert len(mail_outbox) == 1


def test_widget_nav_and_banner_appear_only_where_switched_on(
    app: Any, signed_in_client: Any, api_client: Any, board: Any, make_workspace: Any
) -> None:
    api_client.post(NOTICES, json={"title": "Assemblée générale", "pinned": True})
    plain = make_workspace("plain")

    dashboard = signed_in_client.get("/w/acme/?lang=en").text
    assert "Latest notices" in dashboard
    assert "Assemblée générale" in dashboard
    assert 'href="/w/acme/noticeboard/"' in dashboard
    assert 'aria-label="Pinned notices"' in dashboard  # the workspace.banner slot
    other = signed_in_client.get("/w/plain/?lang=en").text
    assert "Latest notices" not in other
    assert "noticeboard" not in other
    assert 'aria-label="Pinned notices"' not in other

    from flask import g

    with app.test_request_context("/"):
        g.ent_workspace = board
        assert "Assemblée générale" in sdk.render_slot("workspace.banner")
    with app.test_request_context("/"):
        g.ent_workspace = plain
        assert sdk.render_slot("workspace.banner") == ""


def test_the_board_speaks_french_and_arabic(signed_in_client: Any, board: Any) -> None:
    french = signed_in_client.get(BOARD + "?lang=fr").text
    arabic = signed_in_client.get(BOARD + "?lang=ar").text

    assert "Tableau d&#39;affichage" in french or "Tableau d'affichage" in french
    assert 'dir="rtl"' in arabic
    assert "لوحة الإعلانات" in arabic


def test_the_mail_job_runs_outside_a_request_like_in_a_worker(
    api_client: Any, board: Any, member: Any, mail_outbox: list[dict[str, Any]]
) -> None:
    from ent_noticeboard.jobs import mail_pinned_notice

    enable(board, "noticeboard", {"notify_members": False})
    notice = api_client.post(NOTICES, json={"title": "Travaux", "pinned": True}).json
    assert mail_outbox == []

    assert mail_pinned_notice(notice["id"]) == 1  # the test runs in an app context only

    assert mail_outbox[0]["to"] == "member@example.ma"
    assert f"http://localhost/w/acme/noticeboard/{notice['id']}" in mail_outbox[0]["text"]
    assert "Épinglée" in mail_outbox[0]["subject"]  # the member's language: French by default


def test_the_mail_job_does_nothing_for_a_notice_unpinned_meanwhile(
    api_client: Any, board: Any, member: Any, mail_outbox: list[dict[str, Any]]
) -> None:
    from ent_noticeboard.jobs import mail_pinned_notice

    notice = api_client.post(NOTICES, json={"title": "Brouillon"}).json

    assert mail_pinned_notice(notice["id"]) == 0
    assert mail_outbox == []
