"""Posting classified ads from the members' pages: the monthly quota, paying beyond it, the
month's turn, pictures and pre-moderation."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pytest
from ent_plugins.ads.models import ClassifiedAd, ClassifiedImage
from ent_plugins.ads.tests.conftest import classified_form, post_classified
from hypothesis import given, settings
from hypothesis import strategies as st

from ent_core import sdk
from ent_core.testing import operator_settings, sample_image

pytestmark = pytest.mark.frozen_clock


def _ads() -> list[ClassifiedAd]:
    sdk.db.session.expire_all()
    with sdk.all_workspaces():
        return list(sdk.db.session.scalars(sdk.db.select(ClassifiedAd).order_by(ClassifiedAd.id)))


def _pay(number: str, moderator: Any) -> None:
    sdk.confirm_payment(number, "bank_transfer", "VIR-123", actor=moderator)


def test_an_ad_within_the_quota_is_published_and_the_count_shown(
    signed_in_client: Any, publisher: Any
) -> None:
    page = signed_in_client.get("/w/matin-tech/ads/classifieds/new?lang=en")
    assert page.status_code == 200
    assert "5 free classified ads left this month" in page.text
    answer = post_classified(signed_in_client)
    assert answer.status_code == 303
    (ad,) = _ads()
    assert (ad.status, ad.free, ad.sector) == ("published", True, "it")
    assert ad.expires_at is not None
    listing = signed_in_client.get("/w/matin-tech/ads/classifieds/?lang=en")
    assert "4 free classified ads left this month" in listing.text
    assert "Développeur Flask" in listing.text
    shown = signed_in_client.get(answer.headers["Location"])
    assert "<strong>Python</strong>" in shown.text  # Markdown rendered


def test_plain_text_is_escaped_not_rendered(signed_in_client: Any, publisher: Any) -> None:
    post_classified(signed_in_client, body="<script>x</script> **pas gras**", body_format="text")
    (ad,) = _ads()
    page = signed_in_client.get(f"/w/matin-tech/ads/classifieds/{ad.id}")
    assert "<script>x</script>" not in page.text
    assert "&lt;script&gt;" in page.text
    assert "**pas gras**" in page.text


def test_the_sixth_ad_of_the_month_is_refused_unless_paid(
    signed_in_client: Any, publisher: Any, moderator: Any
) -> None:
    for n in range(5):
        assert post_classified(signed_in_client, title=f"Annonce {n}").status_code == 303
    refused = post_classified(signed_in_client, title="Sixième")
    assert refused.status_code == 422  # the form again, with the reason and the price
    assert "used up" in refused.text
    assert "36.00" in refused.text  # 30.00 + 20 % VAT
    assert len(_ads()) == 5

    paid = post_classified(signed_in_client, title="Sixième", pay="y")
    assert paid.status_code == 303
    assert "/billing/invoices/" in paid.headers["Location"]
    sixth = _ads()[-1]
    assert (sixth.status, sixth.free) == ("unpaid", False)
    assert sixth.invoice_number
    _pay(sixth.invoice_number, moderator)
    sixth = _ads()[-1]
    assert sixth.status == "published"
    assert sixth.expires_at is not None


def test_the_quota_comes_back_when_the_month_turns(
    signed_in_client: Any, publisher: Any, frozen_clock: Any
) -> None:
    frozen_clock.move_to(datetime(2026, 6, 30, 23, 50, tzinfo=UTC))
    for n in range(5):
        post_classified(signed_in_client, title=f"Juin {n}")
    assert "used up" in signed_in_client.get("/w/matin-tech/ads/classifieds/?lang=en").text
    frozen_clock.move_to(datetime(2026, 7, 1, 0, 10, tzinfo=UTC))
    assert (
        "5 free classified ads left"
        in signed_in_client.get("/w/matin-tech/ads/classifieds/?lang=en").text
    )
    assert post_classified(signed_in_client, title="Juillet").status_code == 303
    assert [a.free for a in _ads()] == [True] * 6


def test_a_text_file_named_png_is_refused(signed_in_client: Any, publisher: Any) -> None:
    answer = post_classified(
        signed_in_client,
        image_1=(io.BytesIO(b"not a picture at all"), "photo.png"),
        alt_1="Une photo",
    )
    assert answer.status_code == 422
    assert 'id="image_1-errors"' in answer.text
    assert _ads() == []


def test_a_picture_is_re_encoded_resized_and_needs_a_description(
    signed_in_client: Any, publisher: Any
) -> None:
    big = sample_image("PNG", (2400, 1600))
    missing_alt = post_classified(signed_in_client, image_1=(io.BytesIO(big), "bureau.png"))
    assert missing_alt.status_code == 422
    assert _ads() == []
    answer = post_classified(
        signed_in_client, image_1=(io.BytesIO(big), "bureau.png"), alt_1="Le bureau"
    )
    assert answer.status_code == 303
    assert len(_ads()) == 1
    with sdk.all_workspaces():
        (image,) = sdk.db.session.scalars(sdk.db.select(ClassifiedImage)).all()
    assert image.alt_text == "Le bureau"
    assert image.file_token.endswith(".jpg")
    served = signed_in_client.get(f"/w/matin-tech/ads/classifieds/images/{image.id}")
    assert served.status_code == 200
    from PIL import Image

    with Image.open(io.BytesIO(served.data)) as picture:
        assert picture.format == "JPEG"
        assert max(picture.size) == 1200


def test_under_premoderation_an_ad_waits_and_an_edit_sends_it_back(
    signed_in_client: Any, publisher: Any, moderator_client: Any
) -> None:
    with operator_settings("ads", premoderate_classifieds=True):
        post_classified(signed_in_client)
        (ad,) = _ads()
        assert ad.status == "pending"
        assert signed_in_client.get("/classifieds/it/").text.count("Développeur Flask") == 0
        moderator_client.post(f"/admin/ads/classifieds/{ad.id}/approve")
        assert _ads()[0].status == "published"
        form = signed_in_client.get(f"/w/matin-tech/ads/classifieds/{ad.id}/edit")
        assert form.status_code == 200
        assert 'value="Développeur Flask à Casablanca"' in form.text
        assert 'name="pay"' not in form.text
        edited = signed_in_client.post(
            f"/w/matin-tech/ads/classifieds/{ad.id}/edit",
            data=classified_form(title="Développeur Flask senior"),
            content_type="multipart/form-data",
        )
        assert edited.status_code == 303
        assert (_ads()[0].status, _ads()[0].title) == ("pending", "Développeur Flask senior")


def test_a_board_outside_the_workspace_sectors_is_refused(
    signed_in_client: Any, publisher: Any
) -> None:
    answer = post_classified(signed_in_client, sector="tourism")
    assert answer.status_code == 422
    assert _ads() == []


def test_withdrawing_takes_the_ad_off_its_board(signed_in_client: Any, publisher: Any) -> None:
    post_classified(signed_in_client)
    (ad,) = _ads()
    assert signed_in_client.get(f"/classifieds/it/{ad.id}").status_code == 200
    signed_in_client.post(f"/w/matin-tech/ads/classifieds/{ad.id}/withdraw")
    assert _ads()[0].status == "withdrawn"
    assert signed_in_client.get(f"/classifieds/it/{ad.id}").status_code == 404


@settings(max_examples=200, deadline=None)
@given(text=st.text(min_size=1, max_size=400))
def test_plain_text_never_becomes_markup(text: str) -> None:
    """Whatever a poster types in plain text, the page shows it as text: the only tags are
    the paragraphs and line breaks the renderer adds."""
    import re

    from ent_plugins.ads.classified_boards import body_html
    from markupsafe import escape

    ad = ClassifiedAd(body=text, body_format="text")
    html = str(body_html(ad))
    assert re.sub(r"</?p>|<br>", "", html).count("<") == 0
    for paragraph in (p.strip() for p in text.replace("\r\n", "\n").split("\n\n")):
        for line in paragraph.split("\n"):
            assert str(escape(line)) in html
