"""Fixtures of the ads plugin's tests (the platform's come from ``ent_core.testing``).

Two workspaces, each owned by its own person: the publication ``matin-tech`` (owned by ``user``,
the ``signed_in_client``; publishing and ads on) that offers placements, and the advertiser
``atlas-telecom`` (owned by ``advertiser_owner``; ads on) that buys campaigns. ``moderator``
is a platform administrator. Helpers are imported from ``ent_plugins.ads.tests.conftest``.
"""

from __future__ import annotations

from typing import Any

import pytest

from ent_core import sdk
from ent_core.testing import sign_in


@pytest.fixture
def publisher(make_workspace: Any) -> Any:
    """``matin-tech``: Le Matin Tech, an IT publication with publishing and ads on."""
    workspace = make_workspace(
        "matin-tech", name="Le Matin Tech", sectors=("it",), plugins=("publishing", "ads")
    )
    sdk.db.session.commit()
    return workspace


@pytest.fixture
def advertiser_owner(make_user: Any) -> Any:
    return make_user("pub@atlas-telecom.ma", name="Salma Bennani")


@pytest.fixture
def advertiser(make_workspace: Any, advertiser_owner: Any) -> Any:
    """``atlas-telecom``: a company that advertises, with ads on."""
    workspace = make_workspace(
        "atlas-telecom",
        owner=advertiser_owner,
        name="Atlas Télécom",
        kind="auto_entrepreneur",
        sectors=("it",),
        plugins=("ads",),
    )
    sdk.db.session.commit()
    return workspace


@pytest.fixture
def advertiser_client(app_ctx: Any, advertiser: Any, advertiser_owner: Any) -> Any:
    return sign_in(app_ctx.test_client(), advertiser_owner)


@pytest.fixture
def advertiser_api(make_api_client: Any, advertiser: Any, advertiser_owner: Any) -> Any:
    return make_api_client(advertiser_owner)


@pytest.fixture
def moderator(make_user: Any) -> Any:
    """A platform administrator, who moderates creatives and classified ads."""
    person = make_user("moderation@smartmedias.ma", name="Karim Idrissi", admin=True)
    return person


@pytest.fixture
def moderator_client(app_ctx: Any, moderator: Any) -> Any:
    return sign_in(app_ctx.test_client(), moderator)


# -- classified ads (helper cl) --
def classified_form(**overrides: Any) -> dict[str, Any]:
    """The fields of the members' form to post a classified ad on the ``it`` board."""
    data: dict[str, Any] = {
        "sector": "it",
        "kind": "job",
        "title": "Développeur Flask à Casablanca",
        "body": "Nous cherchons un développeur **Python**.\n\nCDI, télétravail partiel.",
        "body_format": "markdown",
        "language": "fr",
        "price": "",
        "location": "Casablanca",
        "contact_email": "rh@matin-tech.ma",
        "contact_phone": "+212 600 000 000",
    }
    data.update(overrides)
    return data


def post_classified(client: Any, slug: str = "matin-tech", **overrides: Any) -> Any:
    """Post an ad through the members' page (multipart, as a browser does), in English."""
    return client.post(
        f"/w/{slug}/ads/classifieds/new?lang=en",
        data=classified_form(**overrides),
        content_type="multipart/form-data",
    )


def classified_payload(**overrides: Any) -> dict[str, Any]:
    """The API body to post a classified ad on the ``it`` board."""
    body: dict[str, Any] = {
        "sector": "it",
        "kind": "service",
        "title": "Maintenance informatique",
        "body": "Dépannage et maintenance de parcs informatiques.",
        "language": "fr",
        "price": {"amount": "300.00", "currency": "MAD"},
        "location": "Rabat",
        "contact_email": "contact@atlas-telecom.ma",
    }
    body.update(overrides)
    return body


# -- end of classified ads --
