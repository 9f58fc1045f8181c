"""Downloads of digital goods: personal, signed, expiring links, a limit per order line."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from ent_plugins.marketplace import payments
from ent_plugins.marketplace.tests.money_kit import digital_listing, make_order, reload

from ent_core import sdk
from ent_core.testing import operator_settings, sign_in

pytestmark = pytest.mark.frozen_clock


@pytest.fixture
def paid_order(seller: Any, user: Any, operator: Any) -> Any:
    order = make_order(seller, user, digital_listing(seller))
    with sdk.all_workspaces():
        payments.mark_paid(order, "VIR-1", operator)
        sdk.db.session.commit()
    return reload(order)


def _link(client: Any, order: Any) -> str:
    page = client.get(f"/marketplace/orders/{order.id}").get_data(as_text=True)
    found = re.search(r'href="https?://[^/"]+(/marketplace/downloads/[^"]+)"', page)
    assert found, page
    return found.group(1)


def test_the_buyer_downloads_the_file(buyer_client: Any, paid_order: Any) -> None:
    answer = buyer_client.get(_link(buyer_client, paid_order))
    assert answer.status_code == 200
    assert answer.data.startswith(b"%PDF")
    assert "guide.pdf" in answer.headers["Content-Disposition"]
    assert reload(paid_order).lines[0].downloads == 1


def test_another_account_is_refused(
    app_ctx: Any, buyer_client: Any, paid_order: Any, make_user: Any
) -> None:
    link = _link(buyer_client, paid_order)
    other = sign_in(app_ctx.test_client(), make_user("curieux@example.ma"))
    answer = other.get(link)
    assert answer.status_code == 403
    assert 'role="alert"' in answer.get_data(as_text=True)  # the page says why


def test_a_tampered_link_is_refused(buyer_client: Any, paid_order: Any) -> None:
    link = _link(buyer_client, paid_order)
    assert buyer_client.get(link[:-3] + "abc").status_code == 403


def test_a_link_expires_after_the_hours_set(
    buyer_client: Any, paid_order: Any, frozen_clock: Any
) -> None:
    link = _link(buyer_client, paid_order)
    frozen_clock.shift(timedelta(hours=47))
    assert buyer_client.get(link).status_code == 200
    frozen_clock.shift(timedelta(hours=2))
    answer = buyer_client.get(link)
    assert answer.status_code == 410
    assert 'role="alert"' in answer.get_data(as_text=True)
    assert buyer_client.get(_link(buyer_client, paid_order)).status_code == 200  # a fresh one


def test_downloads_stop_at_the_limit(buyer_client: Any, paid_order: Any) -> None:
    with operator_settings("marketplace", download_limit=2):
        link = _link(buyer_client, paid_order)
        assert [buyer_client.get(link).status_code for _ in range(3)] == [200, 200, 410]
        assert reload(paid_order).lines[0].downloads == 2
        page = buyer_client.get(f"/marketplace/orders/{paid_order.id}").get_data(as_text=True)
        assert "/marketplace/downloads/" not in page  # no link once the limit is reached


def test_no_link_before_payment(seller: Any, user: Any, buyer_client: Any) -> None:
    order = make_order(seller, user, digital_listing(seller))
    page = buyer_client.get(f"/marketplace/orders/{order.id}").get_data(as_text=True)
    assert "/marketplace/downloads/" not in page
