"""Approval of listings and reports: the operator's queue, trust after the first approvals,
changes of price or category waiting while the listing sells as approved, reports by anyone
(once per person), upheld or dismissed; every decision audited and mailed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from ent_plugins.marketplace.models import ListingReport, SellerProfile
from ent_plugins.marketplace.tests.conftest import make_listing
from ent_plugins.marketplace.tests.listings_kit import PAGES, audited, create_by_form, reload

from ent_core import sdk
from ent_core.testing import operator_settings

pytestmark = pytest.mark.frozen_clock

ADMIN = "/admin/marketplace/listings"


def _profile(seller: Any) -> SellerProfile:
    """The seller's profile (an empty one when none was needed yet)."""
    sdk.db.session.expire_all()
    with sdk.in_workspace(seller.id):
        profile = sdk.db.session.scalar(sdk.db.select(SellerProfile))
    return profile or SellerProfile(approved_listings=0, trusted=False)


def test_only_platform_admins_reach_the_queue(
    client: Any, signed_in_client: Any, seller_client: Any, operator_client: Any
) -> None:
    assert operator_client.get(ADMIN).status_code == 200
    assert operator_client.get(f"{ADMIN}/reports").status_code == 200
    assert seller_client.get(ADMIN).status_code == 403
    assert signed_in_client.get(f"{ADMIN}/reports").status_code == 403


def test_first_listings_are_reviewed_then_the_seller_is_trusted(
    seller_client: Any, operator_client: Any, seller: Any, mail_outbox: list[Any]
) -> None:
    with operator_settings("marketplace", first_listings_reviewed=1):
        first = create_by_form(seller_client, title="Première offre")
        seller_client.post(f"{PAGES}/{first.id}/submit")
        assert reload(first.id).status == "pending"
        queue = operator_client.get(ADMIN)
        assert "Première offre" in queue.text and "FactCheck Lab" in queue.text
        operator_client.post(f"{ADMIN}/{first.id}/approve")
        assert reload(first.id).status == "published"
        profile = _profile(seller)
        assert (profile.approved_listings, profile.trusted) == (1, True)
        assert mail_outbox[-1]["to"] == "contact@factcheck-lab.ma"
        assert "Première offre" in mail_outbox[-1]["text"]
        second = create_by_form(seller_client, title="Deuxième offre")
        seller_client.post(f"{PAGES}/{second.id}/submit")
        assert reload(second.id).status == "published"
    assert f"listing:{first.id}" in audited("marketplace.listing_approved")
    assert f"listing:{second.id}" in audited("marketplace.listing_published")


def test_a_rejection_needs_a_reason_and_is_shown_to_the_seller(
    seller_client: Any, operator_client: Any, mail_outbox: list[Any]
) -> None:
    listing = create_by_form(seller_client)
    seller_client.post(f"{PAGES}/{listing.id}/submit")
    operator_client.post(f"{ADMIN}/{listing.id}/reject", data={"reason": ""})
    assert reload(listing.id).status == "pending"
    operator_client.post(f"{ADMIN}/{listing.id}/reject", data={"reason": "Photos floues"})
    listing = reload(listing.id)
    assert (listing.status, listing.rejection_reason) == ("rejected", "Photos floues")
    assert "Photos floues" in seller_client.get(f"{PAGES}/{listing.id}").text
    assert "Photos floues" in mail_outbox[-1]["text"]
    assert f"listing:{listing.id}" in audited("marketplace.listing_rejected")
    seller_client.post(f"{PAGES}/{listing.id}/submit")
    assert reload(listing.id).status == "pending"


def test_a_published_listing_sells_at_its_approved_price_until_the_change_is_approved(
    seller_client: Any, operator_client: Any, seller: Any
) -> None:
    from ent_plugins.marketplace.categories import category_by_code
    from ent_plugins.marketplace.tests.listings_kit import form_values

    listing = make_listing(seller)
    edit = seller_client.get(f"{PAGES}/{listing.id}/edit")
    assert 'value="1500.00"' in edit.text
    photo = category_by_code("photo-video")
    assert photo is not None
    seller_client.post(
        f"{PAGES}/{listing.id}/edit",
        data=form_values(price="1750", category=photo.code, title="Vérification express"),
    )
    listing = reload(listing.id)
    assert listing.title == "Vérification express"
    assert (listing.price, listing.category.code) == (Decimal("1500.00"), "fact-checking")
    assert listing.pending_changes == {"price": "1750.00", "category_id": photo.id}
    page = seller_client.get(f"{PAGES}/{listing.id}").text
    assert "1\u202f750,00" in page  # the seller sees what waits
    assert 'value="1750.00"' in seller_client.get(f"{PAGES}/{listing.id}/edit").text
    assert "Vérification express" in operator_client.get(ADMIN).text
    assert "1\u202f750,00" in operator_client.get(ADMIN).text
    operator_client.post(f"{ADMIN}/{listing.id}/approve")
    listing = reload(listing.id)
    assert (listing.price, listing.category.code, listing.sector) == (
        Decimal("1750.00"),
        "photo-video",
        "it",
    )
    assert listing.pending_changes == {}
    assert listing.status == "published"
    assert _profile(seller).approved_listings == 0  # changes do not count towards trust


def test_the_seller_withdraws(seller_client: Any, seller: Any) -> None:
    listing = make_listing(seller)
    seller_client.post(f"{PAGES}/{listing.id}/withdraw")
    assert reload(listing.id).status == "withdrawn"
    assert f"listing:{listing.id}" in audited("marketplace.listing_withdrawn")


def _reports() -> list[ListingReport]:
    sdk.db.session.expire_all()
    with sdk.all_workspaces():
        return list(sdk.db.session.scalars(sdk.db.select(ListingReport)))


def test_anyone_reports_once_and_the_operator_upholds(
    client: Any,
    signed_in_client: Any,
    operator_client: Any,
    seller: Any,
    mail_outbox: list[Any],
) -> None:
    listing = make_listing(seller)
    path = f"/marketplace/listings/{listing.id}/report"
    anonymous = client.application.test_client()
    assert anonymous.post(path, data={"reason": "spam", "text": "Pub"}).status_code == 303
    assert anonymous.post(path, data={"reason": "spam"}).status_code == 303
    assert signed_in_client.post(path, data={"reason": "misleading"}).status_code == 303
    reports = _reports()
    assert sorted(r.reason for r in reports) == ["misleading", "spam"]
    assert all(len(r.reporter_key) == 64 for r in reports)
    assert anonymous.post(path, data={"reason": "nonsense"}).status_code == 303
    assert len(_reports()) == 2
    queue = operator_client.get(f"{ADMIN}/reports")
    assert "Pub" in queue.text
    operator_client.post(f"{ADMIN}/reports/{reports[0].id}/uphold")
    assert reload(listing.id).status == "removed"
    assert {r.status for r in _reports()} == {"upheld"}
    assert mail_outbox[-1]["to"] == "contact@factcheck-lab.ma"
    assert f"listing:{listing.id}" in audited("marketplace.listing_removed")
    assert anonymous.post(path, data={"reason": "spam"}).status_code == 404


def test_a_dismissed_report_leaves_the_listing(
    client: Any, operator_client: Any, seller: Any
) -> None:
    listing = make_listing(seller)
    client.post(f"/marketplace/listings/{listing.id}/report", data={"reason": "other"})
    (report,) = _reports()
    operator_client.post(f"{ADMIN}/reports/{report.id}/dismiss")
    assert reload(listing.id).status == "published"
    assert _reports()[0].status == "dismissed"
    again = operator_client.post(f"{ADMIN}/reports/{report.id}/dismiss")
    assert again.status_code == 303


def test_listings_not_published_cannot_be_reported(client: Any, seller: Any) -> None:
    draft = make_listing(seller, status="draft", published_at=None)
    response = client.post(f"/marketplace/listings/{draft.id}/report", data={"reason": "spam"})
    assert response.status_code == 404


def test_the_panels_and_the_homes(seller: Any, app_ctx: Any, seller_owner: Any) -> None:
    from ent_plugins.marketplace import parts

    listing = make_listing(seller)
    with app_ctx.test_request_context("/marketplace/"):
        panel = parts.markup("listing_panel", listing=listing)
        assert f"/marketplace/listings/{listing.id}/report" in panel
        assert "<details" in panel
        sections = list(parts.collect("admin_sections"))
    assert [(endpoint, count) for _, endpoint, count in sections][:2] == [
        ("marketplace_admin.listings", 0),
        ("marketplace_admin.listing_reports", 0),
    ]


def test_withdrawing_does_not_skip_the_review_of_a_new_price(
    seller_client: Any, operator_client: Any, seller: Any
) -> None:
    from ent_plugins.marketplace.tests.listings_kit import form_values

    with sdk.in_workspace(seller.id):
        sdk.db.session.add(SellerProfile(trusted=True, approved_listings=3))
        sdk.db.session.commit()
    listing = make_listing(seller)
    seller_client.post(f"{PAGES}/{listing.id}/withdraw")
    seller_client.post(f"{PAGES}/{listing.id}/edit", data=form_values(price="99"))
    seller_client.post(f"{PAGES}/{listing.id}/submit")
    listing = reload(listing.id)
    assert (listing.status, listing.price) == ("published", Decimal("1500.00"))
    assert listing.pending_changes == {"price": "99.00"}
    operator_client.post(f"{ADMIN}/{listing.id}/approve")
    assert reload(listing.id).price == Decimal("99.00")
