"""One error type, one handler: ``sdk.UserError`` on pages, in forms and in the API."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ent_core import sdk
from ent_core.testing import all_workspaces, enable
from tests.fixture_plugins.alpha.models import AlphaItem

EN = {"Accept-Language": "en"}


@pytest.fixture
def alpha_on(workspace):
    enable(workspace, "alpha")
    return workspace


def _items() -> int:
    with all_workspaces():
        return sdk.db.session.scalar(select(func.count()).select_from(AlphaItem))


def test_a_form_view_shows_the_refusal_under_the_blamed_field_and_keeps_what_was_typed(
    signed_in_client, alpha_on
):
    resp = signed_in_client.post("/w/acme/alpha/items/new", data={"title": "taken"}, headers=EN)

    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert 'id="title-errors"' in page
    assert "This title is taken." in page.split('id="title-errors"', 1)[1]
    assert 'value="taken"' in page
    assert _items() == 0  # the row written before the refusal is rolled back


def test_a_refusal_that_blames_no_field_goes_to_the_top_of_the_form(signed_in_client, alpha_on):
    resp = signed_in_client.post("/w/acme/alpha/items/new", data={"title": "anywhere"})

    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert 'class="form-errors"' in page
    assert "Refused as a whole." in page.split('class="form-errors"', 1)[1]
    assert _items() == 0


def test_an_accepted_form_is_not_touched(signed_in_client, alpha_on):
    resp = signed_in_client.post("/w/acme/alpha/items/new", data={"title": "fine"})

    assert resp.status_code == 201
    assert _items() == 1


def test_a_refused_post_without_a_form_flashes_and_goes_back_to_the_page_it_came_from(
    signed_in_client, alpha_on
):
    back = "http://localhost/w/acme/alpha/"
    resp = signed_in_client.post(
        "/w/acme/alpha/items/quick", data={"title": "taken"}, headers={"Referer": back, **EN}
    )

    assert resp.status_code == 303
    assert resp.headers["Location"] == back
    assert _items() == 0
    page = signed_in_client.get("/w/acme/", headers=EN).get_data(as_text=True)
    assert "This title is taken." in page


def test_a_referrer_from_another_site_is_never_followed(signed_in_client, alpha_on):
    resp = signed_in_client.post(
        "/w/acme/alpha/items/quick",
        data={"title": "taken"},
        headers={"Referer": "https://evil.example/w/acme/alpha/"},
    )

    assert resp.status_code == 303
    assert "evil.example" not in resp.headers["Location"]
    assert resp.headers["Location"] == "/"


def test_the_api_answers_the_json_error_with_the_blamed_field(api_client, alpha_on):
    resp = api_client.post("/api/v1/workspaces/acme/alpha/items", json={"title": "taken"})

    assert resp.status_code == 409
    assert resp.get_json() == {
        "error": {
            "code": "title_taken",
            "message": "This title is taken.",
            "details": {"fields": {"title": ["This title is taken."]}},
        }
    }
    assert _items() == 0


def test_the_api_answers_a_refusal_without_a_field_without_details(api_client, alpha_on):
    resp = api_client.post("/api/v1/workspaces/acme/alpha/items", json={"title": "anywhere"})

    assert resp.status_code == 409
    assert resp.get_json() == {"error": {"code": "refused", "message": "Refused as a whole."}}


def test_user_error_keeps_what_it_was_given():
    exc = sdk.UserError("quota_exceeded", "No more.", field="ads", details={"limit": 3})

    assert (exc.code, exc.message, exc.status) == ("quota_exceeded", "No more.", 422)
    assert exc.field == "ads"
    assert exc.details == {"limit": 3}
    assert str(exc) == "No more."
    assert sdk.ApiError("bad", "Bad.").status == 400
    assert isinstance(sdk.ApiError("bad", "Bad."), sdk.UserError)


def test_user_errors_maps_the_services_field_to_the_forms_and_tells_what_it_caught(app):
    from tests.fixture_plugins.alpha import NewItemForm

    with app.test_request_context("/", method="POST", data={"title": "typed"}):
        form = NewItemForm(meta={"csrf": False})
        with sdk.user_errors(form, rename={"name": "title"}) as refused:
            raise sdk.UserError("title_taken", "This title is taken.", 409, field="name")
        with sdk.user_errors(form) as accepted:
            pass

    assert form.title.errors == ["This title is taken."]
    assert form.form_errors == []
    assert (refused.error.code, refused.status()) == ("title_taken", 409)
    assert (accepted.error, accepted.status()) == (None, 422)


def test_details_retry_after_is_also_the_retry_after_header(app):
    with app.test_request_context("/api/v1/me"):
        resp = sdk.UserError("rate_limited", "Later.", 429, details={"retry_after": 60}).response()

    assert resp.status_code == 429
    assert resp.headers["Retry-After"] == "60"
    assert resp.get_json()["error"]["details"] == {"retry_after": 60}


def test_the_platforms_error_families_are_user_errors_with_their_status():
    from ent_core.charter.service import CharterError
    from ent_core.identity.oidc import OIDCError
    from ent_core.identity.service import IdentityError, SignInThrottled, TokenRefused
    from ent_core.workspaces.service import WorkspaceError

    assert IdentityError("invalid_credentials", "No.").status == 422
    assert (SignInThrottled(90).status, SignInThrottled(90).details) == (429, {"retry_after": 90})
    assert TokenRefused("token_used", "Used.").status == 400
    assert OIDCError("oidc_no_subject", "No.").status == 400
    assert CharterError("validation_error", "No.", field="version").field == "version"
    refused = WorkspaceError("last_owner", "No.", 409, field="role")
    assert isinstance(refused, sdk.UserError)
    assert refused.to_dict()["details"] == {"fields": {"role": ["No."]}}
