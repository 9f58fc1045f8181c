"""Row-level permissions: ``sdk.ObjectPermission`` declared by a plugin (the alpha fixture's
``alpha.edit_item``: owners by role, else the member whose email is the item's note)."""

from __future__ import annotations

import pytest
from flask_login import login_user

from ent_core import sdk
from ent_core.tenancy import pull_workspace
from ent_core.testing import add_member, all_workspaces, enable, sign_in
from tests.fixture_plugins import alpha
from tests.fixture_plugins.alpha.models import AlphaItem


@pytest.fixture
def alpha_on(workspace):
    enable(workspace, "alpha")
    return workspace


def _item(workspace, note: str = "", title: str = "Item") -> int:
    with all_workspaces():
        found = AlphaItem(workspace_id=workspace.id, title=title, note=note)
        sdk.db.session.add(found)
        sdk.db.session.commit()
        return found.id


@pytest.fixture
def keeper(make_user, alpha_on):
    person = make_user("keeper@example.ma")
    add_member(alpha_on, person)
    return person


@pytest.fixture
def stranger(make_user, alpha_on):
    person = make_user("stranger@example.ma")
    add_member(alpha_on, person)
    return person


def test_the_predicate_grants_the_row_it_says_yes_to(client, keeper, alpha_on):
    kept = _item(alpha_on, note=keeper.email, title="Mine")
    sign_in(client, keeper)

    resp = client.get(f"/w/acme/alpha/items/{kept}/edit")

    assert resp.status_code == 200
    assert "Mine" in resp.get_data(as_text=True)


def test_the_predicate_refuses_another_row_with_a_403(client, keeper, alpha_on):
    other = _item(alpha_on, note="someone@example.ma")
    sign_in(client, keeper)

    assert client.get(f"/w/acme/alpha/items/{other}/edit").status_code == 403


def test_a_role_that_holds_it_manages_every_row_without_asking_the_predicate(
    signed_in_client, alpha_on
):
    other = _item(alpha_on, note="someone@example.ma")
    alpha.KEEPER_CHECKS.clear()

    assert signed_in_client.get(f"/w/acme/alpha/items/{other}/edit").status_code == 200
    assert alpha.KEEPER_CHECKS == []


def test_another_workspaces_row_is_a_404_even_to_its_keeper(
    client, keeper, alpha_on, make_workspace
):
    elsewhere = make_workspace("other")
    enable(elsewhere, "alpha")
    theirs = _item(elsewhere, note=keeper.email)
    sign_in(client, keeper)

    assert client.get(f"/w/acme/alpha/items/{theirs}/edit").status_code == 404
    assert client.get("/w/acme/alpha/items/999999/edit").status_code == 404


def test_the_api_answers_forbidden_in_json(make_api_client, keeper, stranger, alpha_on):
    kept = _item(alpha_on, note=keeper.email)

    refused = make_api_client(stranger).post(f"/api/v1/workspaces/acme/alpha/items/{kept}/keep")
    allowed = make_api_client(keeper).post(f"/api/v1/workspaces/acme/alpha/items/{kept}/keep")

    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "forbidden"
    assert refused.json["error"]["details"] == {"permission": "alpha.edit_item"}
    assert allowed.status_code == 200 and allowed.json == {"kept": kept}


def test_templates_hide_what_the_user_cannot_do(client, keeper, stranger, alpha_on):
    kept = _item(alpha_on, note=keeper.email, title="Shared")

    sign_in(client, stranger)
    seen_by_stranger = client.get(f"/w/acme/alpha/items/{kept}/card").get_data(as_text=True)
    sign_in(client, keeper)
    seen_by_keeper = client.get(f"/w/acme/alpha/items/{kept}/card").get_data(as_text=True)

    assert "Shared" in seen_by_stranger and "edit" not in seen_by_stranger
    assert "edit" in seen_by_keeper


def test_the_predicate_is_asked_once_per_row_and_request(client, keeper, alpha_on):
    kept = _item(alpha_on, note=keeper.email)
    sign_in(client, keeper)
    alpha.KEEPER_CHECKS.clear()

    page = client.get(f"/w/acme/alpha/items/{kept}/edit").get_data(as_text=True)

    assert "edit" in page and "delete" in page  # the view and two template checks
    assert [kept] == alpha.KEEPER_CHECKS


@pytest.fixture
def as_keeper(app, alpha_on, keeper):
    """A request of ``keeper`` in ``acme``, to call the SDK directly."""
    with app.test_request_context("/w/acme/alpha/"):
        login_user(keeper)
        pull_workspace("alpha.index", {"workspace": "acme"})
        yield keeper


def test_has_permission_answers_for_every_row_through_roles_only(as_keeper, alpha_on):
    assert sdk.has_permission("alpha.edit_item") is False
    kept = sdk.db.session.get(AlphaItem, _item(alpha_on, note=as_keeper.email))
    assert sdk.can("alpha.edit_item", kept) is True
    assert sdk.authorize("alpha.edit_item", kept) is kept


def test_asking_about_the_wrong_kind_of_row_or_a_plain_permission_is_an_error(as_keeper):
    with pytest.raises(TypeError):
        sdk.can("alpha.edit_item", object())
    with pytest.raises(LookupError):
        sdk.can("alpha.review", object())
    with pytest.raises(LookupError):
        sdk.can("alpha.nothing", object())


def test_a_row_of_another_workspace_is_never_granted_even_if_loaded_across(
    as_keeper, make_workspace
):
    elsewhere = make_workspace("other")
    with all_workspaces():
        theirs = sdk.db.session.get(AlphaItem, _item(elsewhere, note=as_keeper.email))
        assert sdk.can("alpha.edit_item", theirs) is False


def test_not_even_a_role_that_holds_it_reaches_another_workspaces_row(
    app, alpha_on, user, make_workspace
):
    elsewhere = make_workspace("other", owner=None)
    with app.test_request_context("/w/acme/alpha/"):
        login_user(user)  # owner of both workspaces: the role grants it on acme's rows
        pull_workspace("alpha.index", {"workspace": "acme"})
        with all_workspaces():
            theirs = sdk.db.session.get(AlphaItem, _item(elsewhere))
            assert sdk.can("alpha.edit_item", theirs) is False
