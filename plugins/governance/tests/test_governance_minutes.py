"""Minutes: drafted from the meeting, edited, signed or approved by a vote, frozen, published."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest

from ent_core import sdk
from ent_core.testing import add_member, sign_in

pytestmark = pytest.mark.frozen_clock
BASE = "/w/souss/governance/minutes"
API = "/api/v1/workspaces/souss/governance/minutes"


def _draft(secretary_api: Any, held: Any, language: str = "fr") -> dict[str, Any]:
    r = secretary_api.post(API, json={"meeting_id": held.meeting.id, "language": language})
    assert r.status_code == 201, r.json
    return r.json


def _approve_by_signatures(secretary_api: Any, president_api: Any, minutes_id: int) -> Any:
    url = f"{API}/{minutes_id}/transitions"
    assert secretary_api.post(url, json={"transition": "sign"}).status_code == 200
    return president_api.post(url, json={"transition": "sign"})


def test_the_secretary_drafts_the_minutes_from_the_meeting(secretary_client, held):
    form = secretary_client.get(f"{BASE}/new")
    assert form.status_code == 200 and "General assembly 2026" in form.get_data(as_text=True)
    r = secretary_client.post(f"{BASE}/new", data={"meeting_id": held.meeting.id, "language": "fr"})
    assert r.status_code == 303
    page = secretary_client.get(r.headers["Location"]).get_data(as_text=True)
    for expected in (
        "Moral report",
        "Budget 2026",
        "Approve the moral report",
        "Raise the dues",
        "Member 5, représenté par Pia President",
    ):
        assert expected in page


def test_the_draft_counts_attendance_and_states_the_quorum(secretary_api, held):
    body = _draft(secretary_api, held)["body"]
    assert "Membres inscrits sur la liste électorale : 6" in body
    assert "Présents dans la salle : 3" in body
    assert "Présents en ligne : 1" in body
    assert "Représentés par procuration : 1" in body
    assert "Quorum" in body and "atteint" in body


def test_the_draft_gives_each_resolution_its_result(secretary_api, held):
    body = _draft(secretary_api, held)["body"]
    assert "La résolution est adoptée." in body
    assert "La résolution est rejetée." in body


def test_the_draft_is_written_in_arabic_when_asked(secretary_api, held):
    body = _draft(secretary_api, held, "ar")["body"]
    assert "محضر" in body
    assert "Moral report" in body  # what people typed stays as typed


def test_one_set_of_minutes_per_meeting(secretary_api, held):
    _draft(secretary_api, held)
    again = secretary_api.post(API, json={"meeting_id": held.meeting.id, "language": "ar"})
    assert again.status_code == 409 and again.json["error"]["code"] == "minutes_exist"


def test_the_secretary_edits_the_draft(secretary_api, held):
    minutes = _draft(secretary_api, held)
    r = secretary_api.patch(f"{API}/{minutes['id']}", json={"body": "# PV\n\nCorrected."})
    assert r.status_code == 200 and r.json["body"] == "# PV\n\nCorrected."


def test_the_edit_page_saves_markdown(secretary_client, secretary_api, held):
    minutes = _draft(secretary_api, held)
    r = secretary_client.post(f"{BASE}/{minutes['id']}/edit", data={"body": "# PV\n\n**Done.**"})
    assert r.status_code == 303
    page = secretary_client.get(f"{BASE}/{minutes['id']}").get_data(as_text=True)
    assert "<strong>Done.</strong>" in page


def test_both_signatures_approve_and_freeze_the_minutes(secretary_api, president_api, held):
    minutes = _draft(secretary_api, held)
    r = _approve_by_signatures(secretary_api, president_api, minutes["id"])
    assert r.status_code == 200
    assert r.json["status"] == "approved"
    assert r.json["frozen_hash"] == hashlib.sha256(minutes["body"].encode()).hexdigest()
    assert {s["office_role"] for s in r.json["signatures"]} == {"president", "secretary"}


def test_one_signature_leaves_a_draft(secretary_api, held):
    minutes = _draft(secretary_api, held)
    r = secretary_api.post(f"{API}/{minutes['id']}/transitions", json={"transition": "sign"})
    assert r.status_code == 200 and r.json["status"] == "draft"


def test_frozen_minutes_refuse_edits(secretary_api, president_api, held):
    minutes = _draft(secretary_api, held)
    _approve_by_signatures(secretary_api, president_api, minutes["id"])
    r = secretary_api.patch(f"{API}/{minutes['id']}", json={"body": "changed"})
    assert r.status_code == 409 and r.json["error"]["code"] == "minutes_frozen"


def test_an_edit_withdraws_the_signatures_given(secretary_api, held):
    minutes = _draft(secretary_api, held)
    secretary_api.post(f"{API}/{minutes['id']}/transitions", json={"transition": "sign"})
    r = secretary_api.patch(f"{API}/{minutes['id']}", json={"body": "new text"})
    assert r.json["signatures"] == []


def test_only_the_president_and_the_secretary_sign(api_client, secretary_api, held):
    minutes = _draft(secretary_api, held)
    r = api_client.post(f"{API}/{minutes['id']}/transitions", json={"transition": "sign"})
    assert r.status_code == 403


def test_the_president_signs_from_the_page(president_client, secretary_api, held):
    minutes = _draft(secretary_api, held)
    page = president_client.get(f"{BASE}/{minutes['id']}").get_data(as_text=True)
    assert "Signer en tant que Président" in page or "Sign as President" in page
    r = president_client.post(f"{BASE}/{minutes['id']}/sign", data={"role": "president"})
    assert r.status_code == 303
    assert secretary_api.get(f"{API}/{minutes['id']}").json["signatures"][0]["office_role"] == (
        "president"
    )


def test_an_adopted_vote_of_a_later_meeting_approves(secretary_api, held, later_meeting):
    later = later_meeting
    minutes = _draft(secretary_api, held)
    r = secretary_api.post(
        f"{API}/{minutes['id']}/transitions",
        json={"transition": "approve", "vote_id": later.adopted.id},
    )
    assert r.status_code == 200
    assert r.json["status"] == "approved" and r.json["approved_by_vote_id"] == later.adopted.id


def test_a_rejected_vote_does_not_approve(secretary_api, held, later_meeting):
    later = later_meeting
    minutes = _draft(secretary_api, held)
    r = secretary_api.post(
        f"{API}/{minutes['id']}/transitions",
        json={"transition": "approve", "vote_id": later.rejected.id},
    )
    assert r.status_code == 409 and r.json["error"]["code"] == "vote_not_adopted"


def test_a_vote_of_the_same_meeting_does_not_approve(secretary_api, held):
    minutes = _draft(secretary_api, held)
    r = secretary_api.post(
        f"{API}/{minutes['id']}/transitions",
        json={"transition": "approve", "vote_id": held.adopted.id},
    )
    assert r.status_code == 422 and "vote_id" in r.json["error"]["details"]["fields"]


def test_the_approval_form_offers_the_later_votes(
    secretary_client, secretary_api, held, later_meeting
):
    later = later_meeting
    minutes = _draft(secretary_api, held)
    r = secretary_client.post(f"{BASE}/{minutes['id']}/approve", data={"vote_id": later.adopted.id})
    assert r.status_code == 303
    assert secretary_api.get(f"{API}/{minutes['id']}").json["status"] == "approved"


def test_drafts_cannot_be_published(secretary_api, held):
    minutes = _draft(secretary_api, held)
    r = secretary_api.post(f"{API}/{minutes['id']}/transitions", json={"transition": "publish"})
    assert r.status_code == 409 and r.json["error"]["details"]["allowed"] == ["sign", "approve"]


def _published(secretary_api: Any, president_api: Any, held: Any) -> dict[str, Any]:
    minutes = _draft(secretary_api, held)
    _approve_by_signatures(secretary_api, president_api, minutes["id"])
    r = secretary_api.post(f"{API}/{minutes['id']}/transitions", json={"transition": "publish"})
    assert r.status_code == 200
    return r.json


def test_published_minutes_show_on_the_public_pages(secretary_api, president_api, held, client):
    minutes = _published(secretary_api, president_api, held)
    listing = client.get("/s/souss/governance/minutes/").get_data(as_text=True)
    assert "General assembly 2026" in listing
    page = client.get(f"/s/souss/governance/minutes/{minutes['id']}")
    assert page.status_code == 200
    assert minutes["frozen_hash"] in page.get_data(as_text=True)
    assert minutes["url"].endswith(f"/s/souss/governance/minutes/{minutes['id']}")


def test_the_public_home_links_the_minutes(association, client):
    assert "/s/souss/governance/minutes/" in client.get("/s/souss/governance/").get_data(
        as_text=True
    )


def test_unpublished_and_draft_minutes_are_not_public(secretary_api, president_api, held, client):
    minutes = _published(secretary_api, president_api, held)
    secretary_api.post(f"{API}/{minutes['id']}/transitions", json={"transition": "unpublish"})
    assert client.get(f"/s/souss/governance/minutes/{minutes['id']}").status_code == 404
    assert client.get(f"/s/souss/governance/minutes/{minutes['id']}.pdf").status_code == 404


def test_a_draft_has_no_public_page(secretary_api, held, client):
    minutes = _draft(secretary_api, held)
    assert client.get(f"/s/souss/governance/minutes/{minutes['id']}").status_code == 404


def test_publishing_from_the_page(secretary_client, secretary_api, president_api, held):
    minutes = _draft(secretary_api, held)
    _approve_by_signatures(secretary_api, president_api, minutes["id"])
    r = secretary_client.post(f"{BASE}/{minutes['id']}/publish")
    assert r.status_code == 303
    assert secretary_api.get(f"{API}/{minutes['id']}").json["published"] is True


def test_members_read_approved_minutes_only(
    secretary_api, president_api, held, association, make_user, app_ctx
):
    person = make_user("member@example.ma")
    add_member(association, person, "member")
    member = sign_in(app_ctx.test_client(), person)
    minutes = _draft(secretary_api, held)
    assert member.get(f"{BASE}/{minutes['id']}").status_code == 404
    assert "General assembly 2026" not in member.get(f"{BASE}/").get_data(as_text=True)
    _approve_by_signatures(secretary_api, president_api, minutes["id"])
    assert member.get(f"{BASE}/{minutes['id']}").status_code == 200


def test_the_home_links_the_minutes(secretary_client, held):
    page = secretary_client.get("/w/souss/governance/").get_data(as_text=True)
    assert f"{BASE}/" in page and f"{BASE}/new" in page


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() for p in reader.pages).replace("\u00a0", " ")


def test_the_pdf_prints_the_minutes_and_their_fingerprint(
    secretary_api, president_api, held, client
):
    minutes = _published(secretary_api, president_api, held)
    r = client.get(f"/s/souss/governance/minutes/{minutes['id']}.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    text = _pdf_text(r.data)
    assert "Approve the moral report" in text
    assert minutes["frozen_hash"] in text.replace("\n", "")


def test_the_arabic_pdf_reads_right_to_left(secretary_api, held):
    minutes = _draft(secretary_api, held, "ar")
    r = secretary_api.get(f"{API}/{minutes['id']}/pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    text = _pdf_text(r.data)
    assert "محضر" in text and "رضحم" not in text  # in logical order, not reversed
    assert "Moral report" in text
    assert "?" not in text


def test_the_pdf_of_a_draft_says_so(secretary_api, held):
    minutes = _draft(secretary_api, held)
    text = _pdf_text(secretary_api.get(f"{API}/{minutes['id']}/pdf").data)
    assert "BROUILLON" in text


def test_the_api_lists_the_minutes(secretary_api, held):
    minutes = _draft(secretary_api, held)
    r = secretary_api.get(API)
    assert r.status_code == 200 and [m["id"] for m in r.json["items"]] == [minutes["id"]]


def test_a_meeting_not_held_has_no_minutes_yet(secretary_api, held):
    with sdk.in_workspace(held.meeting.workspace_id):
        held.meeting.status = "convened"
        sdk.db.session.commit()
    r = secretary_api.post(API, json={"meeting_id": held.meeting.id, "language": "fr"})
    assert r.status_code == 409 and r.json["error"]["code"] == "meeting_not_held"


def test_a_running_mandate_lets_its_holder_sign(
    held, association, make_user, make_api_client, officers, secretary_api
):
    from datetime import date

    from ent_plugins.governance.models import Body, Mandate, Office

    person = make_user("hassan@example.ma", name="Hassan Elected")
    add_member(association, person, "member")
    with sdk.in_workspace(association):
        member = officers.others[0]
        member.user_id = person.id
        bureau = Body(kind="bureau", name="Bureau")
        sdk.db.session.add(bureau)
        sdk.db.session.flush()
        office = Office(body_id=bureau.id, title="Président", role="president")
        sdk.db.session.add(office)
        sdk.db.session.flush()
        sdk.db.session.add(
            Mandate(office_id=office.id, member_id=member.id, starts_on=date(2026, 1, 1))
        )
        sdk.db.session.commit()
    minutes = _draft(secretary_api, held)
    r = make_api_client(person).post(
        f"{API}/{minutes['id']}/transitions", json={"transition": "sign"}
    )
    assert r.status_code == 200 and r.json["signatures"][0]["office_role"] == "president"


def test_an_election_names_who_was_chosen(secretary_api, held, officers):
    from secrets import token_hex

    from ent_plugins.governance.models import Ballot, Vote, VoteOption

    with sdk.in_workspace(held.meeting.workspace_id):
        vote = Vote(
            meeting_id=held.meeting.id,
            title="Election of the treasurer",
            kind="election",
            status="closed",
        )
        sdk.db.session.add(vote)
        sdk.db.session.flush()
        amina = VoteOption(vote_id=vote.id, position=0, label="Amina")
        karim = VoteOption(vote_id=vote.id, position=1, label="Karim")
        sdk.db.session.add_all([amina, karim])
        sdk.db.session.flush()
        for choice in (amina, amina, karim):
            sdk.db.session.add(
                Ballot(
                    id=token_hex(16),
                    vote_id=vote.id,
                    choices=[choice.id],
                    receipt_hash=token_hex(32),
                )
            )
        sdk.db.session.commit()
    body = _draft(secretary_api, held)["body"]
    assert "Autres votes" in body
    assert "Choix retenu : Amina." in body


def test_a_second_convocation_says_its_quorum_is_reduced(secretary_api, held, later_meeting):
    with sdk.in_workspace(held.meeting.workspace_id):
        held.meeting.first_convocation_id = later_meeting.meeting.id
        sdk.db.session.commit()
    body = _draft(secretary_api, held)["body"]
    assert "Deuxième convocation" in body
