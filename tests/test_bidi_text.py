"""User text and direction: names and titles isolated on pages, direction controls refused in
forms, the API and the services, display names limited (docs/i18n.md, "Mixed-direction text")."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from ent_core.db import db
from ent_core.forms import PERSON_NAME_MAX
from ent_core.identity.service import IdentityError, create_account
from ent_core.templating import bdi, ltr
from ent_core.testing import sign_in

EVIL = "\u202eevil"  # displays as "live"


def test_filters_isolate_and_escape():
    assert bdi("<b>Ali</b>") == Markup("<bdi>&lt;b&gt;Ali&lt;/b&gt;</bdi>")
    assert ltr("2026-000004") == Markup('<bdi dir="ltr">2026-000004</bdi>')


@pytest.mark.parametrize("control", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066"])
def test_the_profile_form_refuses_direction_controls(client, user, control):
    sign_in(client, user)
    response = client.post("/account/?lang=en", data={"name": f"Ali{control}", "locale": ""})
    assert response.status_code == 200
    assert "invisible text-direction characters" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert control not in user.name


def test_a_display_name_has_a_length_limit(client, user):
    sign_in(client, user)
    response = client.post("/account/?lang=en", data={"name": "a" * 301, "locale": ""})
    assert response.status_code == 200
    db.session.refresh(user)
    assert len(user.name) <= PERSON_NAME_MAX


def test_a_name_with_marks_is_accepted(client, user):
    sign_in(client, user)
    name = "ليلى\u200f (Layla)"  # a right-to-left mark, as Arabic keyboards type it
    assert client.post("/account/", data={"name": name, "locale": ""}).status_code == 302
    db.session.refresh(user)
    assert user.name == name


def test_the_api_refuses_direction_controls_naming_the_field(api_client):
    body = {"slug": "nouvelle-voix", "name": EVIL, "kind": "association"}
    response = api_client.post("/api/v1/workspaces?lang=en", json=body)
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "validation_error"
    assert "invisible text-direction characters" in error["details"]["fields"]["name"][0]


def test_services_apply_the_same_rules(app_ctx):
    with pytest.raises(IdentityError) as refused:
        create_account("a@example.ma", None, name=EVIL)
    assert refused.value.field == "name"
    with pytest.raises(IdentityError):
        create_account("b@example.ma", None, name="x" * (PERSON_NAME_MAX + 1))


def test_names_are_isolated_on_pages(client, user):
    user.name = "Ali (Maroc)"
    db.session.commit()
    sign_in(client, user)
    assert "<bdi>Ali (Maroc)</bdi>" in client.get("/account/?lang=ar").get_data(as_text=True)
