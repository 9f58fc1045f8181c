"""Payouts: a month closed once per seller on a frozen clock, figures to the centime, the
commission invoiced in the seller's billing and settled by deduction, the seller's page and
API, the payout account, the operator's transfer."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from ent_plugins.marketplace import payouts
from ent_plugins.marketplace.models import Order, Payout
from ent_plugins.marketplace.tests.conftest import make_listing
from ent_plugins.marketplace.tests.money_kit import make_order, reload

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))

#: A valid Moroccan RIB (its key makes the 24 digits divisible by 97).
RIB = "007780000123456789012396"


def _completed(seller: Any, user: Any, day: int, month: int = 11, **fields: Any) -> Order:
    return make_order(
        seller,
        user,
        make_listing(seller, f"Mission {month}-{day}"),
        status="completed",
        completed_at=datetime(2026, month, day, 12, tzinfo=UTC),
        **fields,
    )


def _payouts() -> list[Payout]:
    with sdk.all_workspaces():
        sdk.db.session.expire_all()
        return list(sdk.db.session.scalars(sdk.db.select(Payout).order_by(Payout.id)))


def test_the_month_closes_once_with_its_invoice(seller: Any, user: Any, seller_api: Any) -> None:
    first = _completed(seller, user, 3)
    second = _completed(seller, user, 30, refunded=Decimal("300.00"))
    _completed(seller, user, 1, month=12)  # the running month
    payouts.close_previous_month()
    payouts.close_previous_month()  # a second worker, or the next run
    (payout,) = _payouts()
    # 2 x 1 800 TTC - 300 refunded; commission 150 + 125 (a sixth of 150 refunded); VAT 20 %.
    assert (payout.period_start, payout.period_end, payout.status) == (
        date(2026, 11, 1),
        date(2026, 11, 30),
        "due",
    )
    assert (payout.gross, payout.commission, payout.commission_vat, payout.net) == (
        Decimal("3300.00"),
        Decimal("275.00"),
        Decimal("55.00"),
        Decimal("2970.00"),
    )
    assert {reload(first).payout_id, reload(second).payout_id} == {payout.id}
    # In the seller's billing, paid by deduction from the payout.
    invoice = seller_api.get(
        f"/api/v1/workspaces/factcheck-lab/invoices/{payout.invoice_number}"
    ).get_json()
    assert (invoice["plan"], invoice["total"], invoice["vat_total"], invoice["status"]) == (
        "marketplace",
        "330.00",
        "55.00",
        "paid",
    )
    assert invoice["payment_provider"] == "marketplace_offset"


def test_the_seller_reads_payouts_and_the_invoice(
    seller: Any, user: Any, seller_client: Any, seller_api: Any
) -> None:
    _completed(seller, user, 5)
    payouts.close_previous_month()
    (payout,) = _payouts()
    page = seller_client.get("/w/factcheck-lab/marketplace/payouts").get_data(as_text=True)
    assert payout.invoice_number in page
    assert "/w/factcheck-lab/billing/invoices/" in page or payout.invoice_number in page
    invoice_page = seller_client.get(f"/w/factcheck-lab/billing/invoices/{payout.invoice_number}")
    assert invoice_page.status_code == 200
    detail = seller_client.get(f"/w/factcheck-lab/marketplace/payouts/{payout.id}")
    assert detail.status_code == 200
    listed = seller_api.get("/api/v1/workspaces/factcheck-lab/marketplace/payouts").get_json()
    assert [item["net"] for item in listed["items"]] == [
        {"amount": str(payout.net), "currency": "MAD"}
    ]
    one = seller_api.get(f"/api/v1/workspaces/factcheck-lab/marketplace/payouts/{payout.id}")
    assert len(one.get_json()["orders"]) == 1


def test_payouts_are_the_owners_and_admins(
    seller: Any, signed_in_client: Any, make_user: Any, app_ctx: Any
) -> None:
    from ent_core.testing import add_member, sign_in

    editor = make_user("editor@factcheck-lab.ma")
    add_member(seller, editor, "editor")
    sdk.db.session.commit()
    client = sign_in(app_ctx.test_client(), editor)
    assert client.get("/w/factcheck-lab/marketplace/payouts").status_code == 403


def test_the_payout_account_checks_the_rib(seller_client: Any, seller: Any) -> None:
    path = "/w/factcheck-lab/marketplace/payouts"
    bad = seller_client.post(path, data={"payout_holder": "FactCheck Lab", "payout_rib": "1234"})
    assert bad.status_code == 422
    wrong_key = RIB[:-2] + "00"
    bad = seller_client.post(path, data={"payout_holder": "FactCheck Lab", "payout_rib": wrong_key})
    assert bad.status_code == 422
    spaced = " ".join((RIB[:3], RIB[3:6], RIB[6:22], RIB[22:]))
    good = seller_client.post(path, data={"payout_holder": "FactCheck Lab", "payout_rib": spaced})
    assert good.status_code == 303
    assert RIB in seller_client.get(path).get_data(as_text=True)


def test_the_operator_pays_a_due_payout(
    seller: Any, user: Any, seller_client: Any, operator_client: Any, mail_outbox: Any
) -> None:
    seller_client.post(
        "/w/factcheck-lab/marketplace/payouts",
        data={"payout_holder": "FactCheck Lab", "payout_rib": RIB},
    )
    _completed(seller, user, 5)
    payouts.close_previous_month()
    (payout,) = _payouts()
    page = operator_client.get("/admin/marketplace/payouts").get_data(as_text=True)
    assert RIB in page
    operator_client.post(f"/admin/marketplace/payouts/{payout.id}/paid", data={"reference": "TR-9"})
    (payout,) = _payouts()
    assert (payout.status, payout.paid_reference) == ("paid", "TR-9")
    assert "contact@factcheck-lab.ma" in {m["to"] for m in mail_outbox}
    again = operator_client.post(
        f"/admin/marketplace/payouts/{payout.id}/paid", data={"reference": "TR-10"}
    )
    assert again.status_code == 303
    assert _payouts()[0].paid_reference == "TR-9"


def test_a_fully_refunded_month_invoices_nothing(seller: Any, user: Any) -> None:
    make_order(
        seller,
        user,
        make_listing(seller),
        status="refunded",
        refunded=Decimal("1800.00"),
        completed_at=datetime(2026, 11, 8, tzinfo=UTC),
    )
    payouts.close_previous_month()
    (payout,) = _payouts()
    assert (payout.gross, payout.commission, payout.net, payout.invoice_number) == (
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        None,
    )
    assert payout.status == "paid"  # nothing to send: not in the operator's queue


def test_the_command_closes_a_given_month(app_ctx: Any, seller: Any, user: Any) -> None:
    """``ent marketplace payouts close --period 2026-11`` (the group is the operations part's)."""
    import click
    from click.testing import CliRunner
    from ent_plugins.marketplace import hooks_money

    @click.group()
    def cli() -> None:
        pass

    @cli.group("marketplace")
    def marketplace() -> None:
        pass

    hooks_money.cli_commands(cli)
    _completed(seller, user, 5)
    runner = CliRunner()
    refused = runner.invoke(cli, ["marketplace", "payouts", "close", "--period", "11-2026x"])
    assert refused.exit_code != 0
    done = runner.invoke(cli, ["marketplace", "payouts", "close", "--period", "2026-11"])
    assert done.exit_code == 0, done.output
    assert [p.period_start for p in _payouts()] == [date(2026, 11, 1)]


def test_december_closes_on_new_years_day_in_the_new_years_invoices(
    seller: Any, user: Any, frozen_clock: Any
) -> None:
    """The year's last month: closed on 1 January, its commission invoiced in the new year's
    series (numbers restart each year, billing.md), the orders of 31 December included."""
    last = make_order(
        seller,
        user,
        make_listing(seller, "Mission du réveillon"),
        status="completed",
        completed_at=datetime(2026, 12, 31, 23, 30, tzinfo=UTC),
    )
    frozen_clock.move_to(datetime(2027, 1, 1, 0, 5, tzinfo=UTC))
    payouts.close_previous_month()
    (payout,) = _payouts()
    assert (payout.period_start, payout.period_end) == (date(2026, 12, 1), date(2026, 12, 31))
    assert reload(last).payout_id == payout.id
    assert payout.invoice_number is not None and payout.invoice_number.startswith("2027-")
