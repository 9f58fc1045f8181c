"""The places plugins declare for ads (``ent_ad_slots``), and the module's home page."""

from __future__ import annotations

from typing import Any

import pytest

from ent_core import sdk


def test_hook_ent_ad_slots(app_ctx: Any) -> None:
    """The core declares the portal's places, publishing its article's; each names sizes the
    platform sells and the template slot it fills."""
    slots = sdk.ad_slots()
    assert slots["portal.sidebar"].platform is True
    assert slots["portal.sidebar"].slot == "portal.sidebar"
    assert slots["portal.sidebar"].plugin is None  # the core's
    article = slots["publishing.article.aside"]
    assert article.plugin == "publishing"
    assert article.platform is False
    assert set(article.sizes) <= set(sdk.IAB_SIZES)
    assert article.formats == sdk.AD_FORMATS


def test_an_ad_slot_refuses_a_size_the_network_does_not_sell() -> None:
    with pytest.raises(ValueError, match="468x60"):
        sdk.AdSlot("example.page.banner", "Banner", ("468x60",))
    with pytest.raises(ValueError, match="video"):
        sdk.AdSlot("example.page.banner", "Banner", ("728x90",), formats=("video",))


def test_the_home_page_answers_where_ads_is_on_and_404_where_it_is_off(
    signed_in_client: Any, publisher: Any, make_workspace: Any
) -> None:
    assert signed_in_client.get("/w/matin-tech/ads/").status_code == 200
    make_workspace("sans-pub", plugins=("publishing",))
    assert signed_in_client.get("/w/sans-pub/ads/").status_code == 404
