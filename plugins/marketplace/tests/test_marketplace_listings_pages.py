"""The seller's pages of listings: the form for every kind (bad input re-rendered with what
was typed), the list and its filter, pictures, variants, slots, escaping, tenancy."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from ent_plugins.marketplace.models import ListingSlot
from ent_plugins.marketplace.tests.conftest import make_listing
from ent_plugins.marketplace.tests.listings_kit import (
    PAGES,
    create_by_form,
    form_values,
    reload,
)

from ent_core import sdk
from ent_core.testing import sample_image, sample_pdf

pytestmark = pytest.mark.frozen_clock


def test_a_service_is_created_as_a_draft_with_its_translations(seller_client: Any) -> None:
    page = seller_client.get(f"{PAGES}/new")
    assert page.status_code == 200
    assert 'name="title_ar"' in page.text
    listing = create_by_form(
        seller_client, title_ar="التحقق من تحقيق", description_ar="نتحقق من **كل** شيء"
    )
    assert (listing.status, listing.kind, listing.unit, listing.delivery) == (
        "draft",
        "service",
        "day",
        "",
    )
    assert str(listing.price) == "1500.00"
    assert [(t.language, t.title) for t in reload(listing.id).translations] == [
        ("ar", "التحقق من تحقيق")
    ]
    shown = seller_client.get(f"{PAGES}/{listing.id}")
    assert shown.status_code == 200
    assert "1\u202f800,00" in shown.text  # the price with VAT beside the HT one
    assert "<strong>chaque</strong>" in shown.text


def test_bad_input_comes_back_with_messages_and_what_was_typed(seller_client: Any) -> None:
    response = seller_client.post(
        f"{PAGES}/new",
        data=form_values(title="", price="", location="Casablanca, Maârif"),
    )
    assert response.status_code == 422
    assert 'id="price-errors"' in response.text and 'id="title-errors"' in response.text
    assert "Casablanca, Maârif" in response.text
    assert "Nous vérifions **chaque** affirmation." in response.text


def test_on_quote_means_no_price(seller_client: Any) -> None:
    listing = create_by_form(seller_client, price="", on_quote="y")
    assert listing.price is None
    assert "On quote" in seller_client.get(f"{PAGES}/{listing.id}?lang=en").text


def test_a_digital_product_needs_its_file_before_submitting(seller_client: Any) -> None:
    listing = create_by_form(seller_client, kind="product", delivery="digital", unit="")
    refused = seller_client.post(f"{PAGES}/{listing.id}/submit?lang=en", follow_redirects=True)
    assert "Upload the file buyers will download before submitting." in refused.text
    assert reload(listing.id).status == "draft"
    values = form_values(kind="product", delivery="digital")
    values["file"] = (__import__("io").BytesIO(sample_pdf()), "guide.pdf")
    saved = seller_client.post(f"{PAGES}/{listing.id}/edit", data=values)
    assert saved.status_code == 303
    listing = reload(listing.id)
    assert listing.file_token and listing.file_name == "guide.pdf"
    download = seller_client.get(f"{PAGES}/{listing.id}/file")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")


def test_a_file_that_is_not_what_it_says_is_refused(seller_client: Any) -> None:
    import io

    values = form_values(kind="product", delivery="digital")
    values["file"] = (io.BytesIO(b"MZ\x90\x00 not a pdf"), "guide.pdf")
    response = seller_client.post(f"{PAGES}/new", data=values)
    assert response.status_code == 422
    assert "Vérification d&#39;une enquête" in response.text


def test_the_list_filters_by_status(seller_client: Any, seller: Any) -> None:
    make_listing(seller, "Kit Alpha")
    make_listing(seller, "Kit Beta", status="draft", published_at=None)
    everything = seller_client.get(f"{PAGES}/")
    assert "Kit Alpha" in everything.text and "Kit Beta" in everything.text
    drafts = seller_client.get(f"{PAGES}/?status=draft")
    assert "Kit Beta" in drafts.text and "Kit Alpha" not in drafts.text


def test_pictures_are_resized_with_a_thumbnail_reordered_and_removed(
    seller_client: Any, seller: Any
) -> None:
    import io

    from PIL import Image

    listing = make_listing(seller)
    for n, size in enumerate(((2400, 1200), (300, 300))):
        response = seller_client.post(
            f"{PAGES}/{listing.id}/images",
            data={
                "image": (io.BytesIO(sample_image("PNG", size)), f"p{n}.png"),
                "alt_text": f"Photo {n}",
            },
        )
        assert response.status_code == 303, response.text
    first, second = reload(listing.id).images
    assert (first.width, first.height) == (1600, 800)
    thumb = seller_client.get(f"{PAGES}/{listing.id}/images/{first.id}/thumb")
    with Image.open(io.BytesIO(thumb.data)) as picture:
        assert picture.format == "JPEG" and max(picture.size) == 400
    seller_client.post(f"{PAGES}/{listing.id}/images/{second.id}/earlier")
    assert [i.alt_text for i in reload(listing.id).images] == ["Photo 1", "Photo 0"]
    seller_client.post(f"{PAGES}/{listing.id}/images/{second.id}/delete")
    assert [i.alt_text for i in reload(listing.id).images] == ["Photo 0"]


def test_a_picture_without_alt_text_or_not_a_picture_is_refused(
    seller_client: Any, seller: Any
) -> None:
    import io

    listing = make_listing(seller)
    no_alt = seller_client.post(
        f"{PAGES}/{listing.id}/images",
        data={"image": (io.BytesIO(sample_image()), "p.png"), "alt_text": ""},
    )
    assert no_alt.status_code == 422
    assert 'id="alt_text-errors"' in no_alt.text
    fake = seller_client.post(
        f"{PAGES}/{listing.id}/images",
        data={"image": (io.BytesIO(b"<svg onload=alert(1)>"), "p.png"), "alt_text": "Logo"},
    )
    assert fake.status_code == 422
    assert reload(listing.id).images == []


def test_variants_are_added_changed_and_deleted(seller_client: Any, seller: Any) -> None:
    listing = make_listing(seller)
    bad = seller_client.post(f"{PAGES}/{listing.id}/variants", data={"name": "", "price": "x"})
    assert bad.status_code == 422
    seller_client.post(
        f"{PAGES}/{listing.id}/variants",
        data={"name": "Équipe", "price": "4000", "stock": "3", "active": "y"},
    )
    (variant,) = reload(listing.id).variants
    assert (variant.name, str(variant.price), variant.stock, variant.active) == (
        "Équipe",
        "4000.00",
        3,
        True,
    )
    edit = f"{PAGES}/{listing.id}/variants/{variant.id}/edit"
    assert seller_client.get(edit).status_code == 200
    seller_client.post(edit, data={"name": "Équipe", "price": "", "stock": ""})
    (variant,) = reload(listing.id).variants
    assert (variant.price, variant.stock, variant.active) == (None, None, False)
    seller_client.post(f"{PAGES}/{listing.id}/variants/{variant.id}/delete")
    assert reload(listing.id).variants == []


def _slots(listing_id: int) -> list[ListingSlot]:
    sdk.db.session.expire_all()
    with sdk.all_workspaces():
        return list(
            sdk.db.session.scalars(
                sdk.db.select(ListingSlot)
                .where(ListingSlot.listing_id == listing_id)
                .order_by(ListingSlot.starts_at)
            )
        )


def test_slots_in_the_workspace_time_repeated_weekly(seller_client: Any, seller: Any) -> None:
    listing = make_listing(
        seller, "Studio podcast", kind="booking", unit="", category="podcast-studio"
    )
    response = seller_client.post(
        f"{PAGES}/{listing.id}/slots",
        data={
            "starts_at": "2026-06-20T10:00",
            "ends_at": "2026-06-20T12:00",
            "capacity": "2",
            "repeat_weeks": "2",
        },
    )
    assert response.status_code == 303
    slots = _slots(listing.id)
    # Casablanca is UTC+1 in June: 10:00 there is 09:00 UTC
    assert [s.starts_at.replace(tzinfo=None) for s in slots] == [
        datetime(2026, 6, 20, 9, 0),
        datetime(2026, 6, 27, 9, 0),
        datetime(2026, 7, 4, 9, 0),
    ]
    with sdk.all_workspaces():
        slots[0].taken = 1
        sdk.db.session.commit()
    held = seller_client.post(
        f"{PAGES}/{listing.id}/slots/{slots[0].id}/delete?lang=en", follow_redirects=True
    )
    assert "Somebody holds a place in this slot" in held.text
    seller_client.post(f"{PAGES}/{listing.id}/slots/{slots[1].id}/delete")
    assert [s.id for s in _slots(listing.id)] == [slots[0].id, slots[2].id]


def test_a_slot_in_the_past_or_ending_first_is_refused(seller_client: Any, seller: Any) -> None:
    listing = make_listing(seller, "Studio", kind="booking", unit="", category="podcast-studio")
    past = seller_client.post(
        f"{PAGES}/{listing.id}/slots",
        data={"starts_at": "2026-06-01T10:00", "ends_at": "2026-06-01T11:00", "capacity": "1"},
    )
    assert past.status_code == 422 and 'id="starts_at-errors"' in past.text
    backwards = seller_client.post(
        f"{PAGES}/{listing.id}/slots",
        data={"starts_at": "2026-06-21T10:00", "ends_at": "2026-06-21T09:00", "capacity": "1"},
    )
    assert backwards.status_code == 422 and 'id="ends_at-errors"' in backwards.text
    assert 'value="2026-06-21T10:00"' in backwards.text
    assert _slots(listing.id) == []


def test_titles_are_escaped_and_descriptions_sanitised(seller_client: Any) -> None:
    listing = create_by_form(
        seller_client,
        title="<script>alert(1)</script>",
        description="Hello <img src=x onerror=alert(2)> [x](javascript:alert(3))",
    )
    page = seller_client.get(f"{PAGES}/{listing.id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and 'href="javascript' not in page
    listed = seller_client.get(f"{PAGES}/").text
    assert "<script>alert(1)</script>" not in listed


def test_another_workspaces_listing_is_not_found(
    seller_client: Any, make_workspace: Any, make_user: Any
) -> None:
    other_owner = make_user("owner@other-shop.ma")
    other = make_workspace("other-shop", owner=other_owner, plugins=("marketplace",))
    sdk.db.session.commit()
    theirs = make_listing(other, "Leur offre")
    for path in ("", "/edit", "/images/1/large", "/file"):
        assert seller_client.get(f"{PAGES}/{theirs.id}{path}").status_code == 404, path
    assert seller_client.post(f"{PAGES}/{theirs.id}/withdraw").status_code == 404
    assert reload(theirs.id).status == "published"


def test_members_without_the_permission_are_refused(
    client: Any, seller: Any, make_user: Any
) -> None:
    from ent_core.testing import add_member, sign_in

    reader = make_user("lecteur@factcheck-lab.ma")
    add_member(seller, reader, "member")
    sdk.db.session.commit()
    assert sign_in(client, reader).get(f"{PAGES}/").status_code == 403


def test_the_pages_read_in_arabic(seller_client: Any, seller: Any) -> None:
    listing = make_listing(seller, "Studio", kind="booking", unit="", category="podcast-studio")
    for path in ("/", "/new", f"/{listing.id}", f"/{listing.id}/edit"):
        page = seller_client.get(f"{PAGES}{path}?lang=ar")
        assert page.status_code == 200, path
        assert 'dir="rtl"' in page.text


def test_pictures_are_public_only_while_the_listing_is(
    seller_client: Any, seller: Any, seller_api: Any, client: Any
) -> None:
    import io

    listing = make_listing(seller)
    seller_client.post(
        f"{PAGES}/{listing.id}/images",
        data={"image": (io.BytesIO(sample_image()), "p.png"), "alt_text": "Photo"},
    )
    (image,) = reload(listing.id).images
    public = f"/marketplace/listings/{listing.id}/images/{image.id}/thumb"
    anonymous = client.application.test_client()
    assert anonymous.get(public).status_code == 200
    plugin = "/api/v1/workspaces/factcheck-lab/plugins/marketplace"
    assert seller_api.delete(plugin).status_code == 204
    assert anonymous.get(public).status_code == 404
    report = anonymous.post(f"/marketplace/listings/{listing.id}/report", data={"reason": "spam"})
    assert report.status_code == 404
    assert seller_api.put(plugin).status_code == 200
    assert anonymous.get(public).status_code == 200
    seller_client.post(f"{PAGES}/{listing.id}/withdraw")
    assert anonymous.get(public).status_code == 404


def test_a_draft_is_deleted_from_its_page(seller_client: Any) -> None:
    listing_id = create_by_form(seller_client).id
    assert f"/listings/{listing_id}/delete" in seller_client.get(f"{PAGES}/{listing_id}").text
    response = seller_client.post(f"{PAGES}/{listing_id}/delete")
    assert response.status_code == 303 and response.location.endswith("/listings/")
    assert seller_client.get(f"{PAGES}/{listing_id}").status_code == 404
