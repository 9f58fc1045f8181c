"""The public verification page, the credential download and the status list: no sign-in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from ent_plugins.training.models import Certificate
from training_kit import API, BASE

from ent_core import sdk


@pytest.fixture
def certificate(built, learner_client, learner_api):
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    learner_client.post(f"{BASE}/lessons/{built.lesson}/complete")
    attempt = learner_api.post(f"{API}/quizzes/{built.quiz}/attempts").json
    learner_api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": built.right})
    sdk.db.session.expire_all()
    return sdk.db.session.scalar(
        sdk.db.select(Certificate).execution_options(ent_all_workspaces=True)
    )


@pytest.fixture
def anonymous(app_ctx):
    return app_ctx.test_client()


def _page(anonymous, certificate):
    return anonymous.get(f"/s/cime/training/certificates/{certificate.number}")


def test_a_valid_certificate_says_so(certificate, anonymous):
    page = _page(anonymous, certificate)
    assert page.status_code == 200
    assert "Layla Learner" in page.text and "Fact-checking" in page.text
    assert "valid" in page.text.lower() or "valide" in page.text.lower()
    assert "flash-success" in page.text
    assert f"/certificates/{certificate.number}/credential.json" in page.text


def test_an_expired_certificate_says_so(certificate, anonymous):
    certificate.expires_at = sdk.utcnow() - timedelta(days=1)
    sdk.db.session.commit()
    page = _page(anonymous, certificate)
    assert page.status_code == 200
    assert "flash-warning" in page.text and "flash-success" not in page.text


def test_a_revoked_certificate_shows_the_reason(certificate, anonymous, api_client):
    api_client.post(
        f"{API}/certificates/{certificate.id}/transitions",
        json={"transition": "revoke", "reason": "Identity fraud at the exam"},
    )
    page = _page(anonymous, certificate)
    assert "flash-error" in page.text and "flash-success" not in page.text
    assert "Identity fraud at the exam" in page.text


def test_the_page_is_in_arabic_right_to_left(certificate, anonymous):
    page = anonymous.get(f"/s/cime/training/certificates/{certificate.number}?lang=ar")
    assert 'dir="rtl"' in page.text


def test_an_unknown_number_is_404(centre, anonymous):
    assert anonymous.get("/s/cime/training/certificates/2026-XXXX-XXXX").status_code == 404


def test_a_certificate_is_not_found_under_another_workspace(
    certificate, anonymous, make_workspace, make_user
):
    other = make_workspace("other", owner=make_user("o@example.ma"), plugins=("training",))
    other.status = "approved"
    sdk.db.session.commit()
    assert anonymous.get(f"/s/other/training/certificates/{certificate.number}").status_code == 404


def test_the_credential_is_the_signed_json(certificate, anonymous):
    r = anonymous.get(f"/s/cime/training/certificates/{certificate.number}/credential.json")
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    credential = r.json
    assert "OpenBadgeCredential" in credential["type"]
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential["credentialSubject"]["achievement"]["name"] == "Fact-checking"


def test_the_credential_verifies_and_a_tampered_one_does_not(certificate, anonymous):
    from ent_plugins.training.credentials import verify_credential

    credential = anonymous.get(
        f"/s/cime/training/certificates/{certificate.number}/credential.json"
    ).json
    assert verify_credential(credential).verified
    credential["credentialSubject"]["achievement"]["name"] = "Brain surgery"
    assert not verify_credential(credential).verified


def test_the_status_list_flips_on_revocation(certificate, anonymous, api_client):
    from ent_plugins.training.credentials.status_list import is_set

    status = certificate.credential["credentialStatus"]
    url = status["statusListCredential"].removeprefix("http://localhost")
    index = int(status["statusListIndex"])
    before = anonymous.get(url)
    assert before.status_code == 200
    assert not is_set(before.json["credentialSubject"]["encodedList"], index)
    api_client.post(
        f"{API}/certificates/{certificate.id}/transitions",
        json={"transition": "revoke", "reason": "Error"},
    )
    after = anonymous.get(url).json
    assert is_set(after["credentialSubject"]["encodedList"], index)


def test_the_status_list_of_an_unknown_key_is_404(centre, anonymous):
    assert anonymous.get("/s/cime/training/status-lists/nope").status_code == 404


def test_the_vc_jwt_is_served(certificate, anonymous):
    r = anonymous.get(f"/s/cime/training/certificates/{certificate.number}/credential.jwt")
    assert r.status_code == 200 and r.data.count(b".") == 2


def test_the_public_course_page_is_the_achievement(certificate, anonymous):
    url = certificate.credential["credentialSubject"]["achievement"]["id"]
    page = anonymous.get(url.removeprefix("http://localhost"))
    assert page.status_code == 200 and "Fact-checking" in page.text


@pytest.mark.parametrize(("lang", "direction"), [("fr", "ltr"), ("en", "ltr"), ("ar", "rtl")])
def test_public_pages_draw_the_platforms_public_layout(certificate, anonymous, lang, direction):
    """Course list, course and verification pages extend ``public/base.html``: its frame, the
    page in its ``main`` block, and the verification's links in the head (docs/ui.md)."""
    course = certificate.credential["credentialSubject"]["achievement"]["id"]
    for url in (
        "/s/cime/training/",
        course.removeprefix("http://localhost"),
        f"/s/cime/training/certificates/{certificate.number}",
    ):
        page = anonymous.get(f"{url}?lang={lang}")
        assert page.status_code == 200
        assert f'<html lang="{lang}" dir="{direction}">' in page.text
        main = page.text.split('<main id="main" tabindex="-1">')[1]
        assert main.index('<div class="stack public-site">') < main.index("<h1")
        assert "public-masthead" not in main and "<aside" not in main  # empty blocks: no box
    head = page.text.split("</head>")[0]
    assert (
        'type="application/vc+ld+json"' in head and '<meta name="robots" content="noindex">' in head
    )
