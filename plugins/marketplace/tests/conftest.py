"""Fixtures of the marketplace plugin's tests (the platform's come from ``ent_core.testing``).

``factcheck-lab`` (owned by ``seller_owner``, marketplace on) sells; ``matin-tech`` (owned by
``user``, the ``signed_in_client``; publishing on, no marketplace) is a newsroom that buys;
``operator`` is a platform administrator. The default categories are seeded before each test
(the test kit empties every table). Helpers are imported from
``ent_plugins.marketplace.tests.conftest``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ent_core import sdk
from ent_core.testing import sign_in


@pytest.fixture(autouse=True)
def _categories(app_ctx: Any) -> None:
    from ent_plugins.marketplace.categories import seed_categories

    seed_categories()
    sdk.db.session.commit()


@pytest.fixture
def seller_owner(make_user: Any) -> Any:
    return make_user("contact@factcheck-lab.ma", name="Nadia Alaoui")


@pytest.fixture
def seller(make_workspace: Any, seller_owner: Any) -> Any:
    """``factcheck-lab``: a fact-checking startup selling on the marketplace."""
    workspace = make_workspace(
        "factcheck-lab",
        owner=seller_owner,
        name="FactCheck Lab",
        kind="auto_entrepreneur",
        sectors=("it",),
        plugins=("marketplace",),
    )
    sdk.db.session.commit()
    return workspace


@pytest.fixture
def seller_client(app_ctx: Any, seller: Any, seller_owner: Any) -> Any:
    return sign_in(app_ctx.test_client(), seller_owner)


@pytest.fixture
def seller_api(make_api_client: Any, seller: Any, seller_owner: Any) -> Any:
    return make_api_client(seller_owner)


@pytest.fixture
def newsroom(make_workspace: Any) -> Any:
    """``matin-tech``: Le Matin Tech, a newsroom (owned by ``user``) that buys."""
    workspace = make_workspace(
        "matin-tech", name="Le Matin Tech", sectors=("it",), plugins=("publishing",)
    )
    sdk.db.session.commit()
    return workspace


@pytest.fixture
def buyer_api(make_api_client: Any, newsroom: Any, user: Any) -> Any:
    return make_api_client(user)


@pytest.fixture
def operator(make_user: Any) -> Any:
    """A platform administrator: approves listings, confirms transfers, decides disputes."""
    return make_user("marketplace@smartmedias.ma", name="Karim Idrissi", admin=True)


@pytest.fixture
def operator_client(app_ctx: Any, operator: Any) -> Any:
    return sign_in(app_ctx.test_client(), operator)


@pytest.fixture
def operator_api(make_api_client: Any, operator: Any) -> Any:
    return make_api_client(operator)


def make_listing(seller: Any, title: str = "Vérification d'une enquête", **fields: Any) -> Any:
    """A published listing of ``seller`` (a service by the day at 1,500 MAD HT in the
    fact-checking category unless ``fields`` say otherwise), committed."""
    from ent_plugins.marketplace.categories import category_by_code
    from ent_plugins.marketplace.models import Listing

    code = fields.pop("category", "fact-checking")
    category = category_by_code(code)
    assert category is not None, code
    values: dict[str, Any] = {
        "kind": "service",
        "unit": "day",
        "description": "Nous vérifions **chaque** affirmation de votre enquête.",
        "language": "fr",
        "category_id": category.id,
        "sector": category.sector,
        "price": Decimal("1500.00"),
        "vat_rate": Decimal("0.20"),
        "status": "published",
        "published_at": sdk.utcnow(),
        **fields,
    }
    with sdk.all_workspaces():
        listing = Listing(workspace_id=seller.id, title=title, **values)
        sdk.db.session.add(listing)
        sdk.db.session.commit()
        if "rating_count" in fields:  # the stored average follows, as in production
            from ent_plugins.marketplace.listing_rating import set_rating

            set_rating(listing.id, listing.rating_sum, listing.rating_count)
            sdk.db.session.commit()
    return listing


# -- money (helper mo) --
@pytest.fixture
def buyer_client(app_ctx: Any, newsroom: Any, user: Any) -> Any:
    """``user`` (owner of ``matin-tech``), signed in: the buyer of the money tests' orders."""
    return sign_in(app_ctx.test_client(), user)


# -- end of money --
