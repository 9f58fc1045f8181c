"""Programmes: managers edit them, and delete one only once no course belongs to it."""

from __future__ import annotations

from typing import Any

import pytest
from ent_plugins.training.models import Programme
from training_kit import BASE, audited

from ent_core import sdk


def _programme_id(client, title: str = "Digital journalism") -> int:
    r = client.post(f"{BASE}/programmes/new", data={"title": title, "description": "A *track*."})
    assert r.status_code == 302
    return int(r.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def _actions(action: str) -> list[Any]:
    return audited(action)


def _programme(programme_id: int) -> Programme | None:
    sdk.db.session.expire_all()
    return sdk.db.session.scalar(
        sdk.db.select(Programme)
        .where(Programme.id == programme_id)
        .execution_options(ent_all_workspaces=True)
    )


@pytest.fixture
def programme_id(centre, signed_in_client) -> int:
    return _programme_id(signed_in_client)


def test_a_manager_edits_a_programme_from_its_page(programme_id, signed_in_client):
    page = signed_in_client.get(f"{BASE}/programmes/{programme_id}?lang=en")
    assert f"/programmes/{programme_id}/edit" in page.text
    form = signed_in_client.get(f"{BASE}/programmes/{programme_id}/edit?lang=en")
    assert form.status_code == 200 and "Digital journalism" in form.text
    r = signed_in_client.post(
        f"{BASE}/programmes/{programme_id}/edit",
        data={"title": "Data journalism", "description": "Numbers **first**."},
    )
    assert r.status_code == 302
    page = signed_in_client.get(f"{BASE}/programmes/{programme_id}")
    assert "Data journalism" in page.text and "<strong>first</strong>" in page.text
    [event] = _actions("training.programme_updated")
    assert event.subject == f"programme:{programme_id}"


def test_an_edit_without_a_title_is_refused_with_the_form(programme_id, signed_in_client):
    r = signed_in_client.post(
        f"{BASE}/programmes/{programme_id}/edit", data={"title": "", "description": "x"}
    )
    assert r.status_code == 422
    assert _programme(programme_id).title == "Digital journalism"


def test_an_empty_programme_is_deleted(programme_id, signed_in_client):
    page = signed_in_client.get(f"{BASE}/programmes/{programme_id}")
    assert f"/programmes/{programme_id}/delete" in page.text
    r = signed_in_client.post(f"{BASE}/programmes/{programme_id}/delete")
    assert r.status_code == 302
    assert _programme(programme_id) is None
    assert signed_in_client.get(f"{BASE}/programmes/{programme_id}").status_code == 404
    [event] = _actions("training.programme_deleted")
    assert event.subject == f"programme:{programme_id}"
    assert event.details == {"title": "Digital journalism"}


def test_a_programme_with_a_course_is_kept_with_a_message(programme_id, signed_in_client):
    r = signed_in_client.post(
        f"{BASE}/courses/new",
        data={"title": "Podcasting", "programme_id": str(programme_id), "pass_mark": "50"},
    )
    assert r.status_code == 302
    page = signed_in_client.get(f"{BASE}/programmes/{programme_id}?lang=en")
    assert f"/programmes/{programme_id}/delete" not in page.text  # no button to press
    r = signed_in_client.post(f"{BASE}/programmes/{programme_id}/delete?lang=en")
    assert r.status_code == 302
    assert _programme(programme_id) is not None
    page = signed_in_client.get(r.headers["Location"] + "?lang=en")
    assert "This programme still has courses" in page.text
    assert _actions("training.programme_deleted") == []


def test_members_and_trainers_may_not_edit_or_delete(programme_id, learner_client):
    page = learner_client.get(f"{BASE}/programmes/{programme_id}")
    assert page.status_code == 200 and "/edit" not in page.text
    assert learner_client.get(f"{BASE}/programmes/{programme_id}/edit").status_code == 403
    r = learner_client.post(f"{BASE}/programmes/{programme_id}/edit", data={"title": "Mine"})
    assert r.status_code == 403
    assert learner_client.post(f"{BASE}/programmes/{programme_id}/delete").status_code == 403
    assert _programme(programme_id).title == "Digital journalism"


@pytest.mark.parametrize(
    ("lang", "edit", "delete"),
    [
        ("fr", "Modifier le programme", "Supprimer le programme"),
        ("ar", "تعديل البرنامج", "حذف البرنامج"),
        ("en", "Edit the programme", "Delete the programme"),
    ],
)
def test_the_programme_page_speaks_each_language(
    programme_id, signed_in_client, lang, edit, delete
):
    page = signed_in_client.get(f"{BASE}/programmes/{programme_id}?lang={lang}")
    assert edit in page.text and delete in page.text
