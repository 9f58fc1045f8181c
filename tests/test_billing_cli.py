"""``ent plan`` and ``ent subscription`` through the CLI runner."""

from __future__ import annotations

import json

import pytest

from ent_core.audit import AuditEvent
from ent_core.billing.models import Invoice
from ent_core.db import db
from ent_core.testing import all_workspaces

# Trials, periods and invoice years follow the calendar: never the day the suite runs.
pytestmark = pytest.mark.frozen_clock


@pytest.fixture
def cli(app_ctx, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "BABEL_DEFAULT_LOCALE", "en")
    runner = app_ctx.test_cli_runner()

    def invoke(*args):
        db.session.commit()
        result = runner.invoke(args=list(args))
        db.session.expire_all()
        return result

    return invoke


def test_plan_list(cli):
    result = cli("plan", "list", "--json")
    assert result.exit_code == 0, result.output
    plans = {p["code"]: p for p in json.loads(result.output)}
    assert plans["association"]["price_year"] == "990.00"
    text = cli("plan", "list")
    assert "basic" in text.output and "(add-on)" in text.output


def test_subscription_start_show_cancel(cli, make_workspace):
    make_workspace("onboard", kind="training_centre")
    started = cli("subscription", "start", "onboard", "basic", "--months", "3",
                  "--reference", "VIR-2026-77")  # fmt: skip
    assert started.exit_code == 0, started.output
    with all_workspaces():
        invoice = db.session.scalar(db.select(Invoice))
    assert invoice.status == "paid" and invoice.payment_reference == "VIR-2026-77"
    assert invoice.lines[0].quantity == 3
    assert str(invoice.subtotal) == "597.00"
    shown = json.loads(cli("subscription", "show", "onboard", "--json").output)
    assert shown["state"] == "active" and shown["plan"] == "basic"
    assert "invoice.paid" in db.session.scalars(db.select(AuditEvent.action)).all()
    extended = cli("subscription", "start", "onboard", "association", "--yearly")
    assert extended.exit_code == 0, extended.output
    with all_workspaces():
        second = db.session.scalars(db.select(Invoice).order_by(Invoice.id)).all()[-1]
    assert second.period_start == invoice.period_end  # a paid period is extended, not replaced
    shown = json.loads(cli("subscription", "show", "onboard", "--json").output)
    assert (shown["plan"], shown["next_plan"]) == ("basic", "association")
    canceled = cli("subscription", "cancel", "onboard")
    assert canceled.exit_code == 0 and "canceled" in canceled.output


def test_errors_exit_non_zero(cli, workspace):
    assert cli("subscription", "start", "nowhere", "basic").exit_code != 0
    unknown = cli("subscription", "start", "acme", "gold")
    assert unknown.exit_code != 0 and "gold" in unknown.output
    none = cli("subscription", "show", "acme")
    assert "no subscription" in none.output
    assert cli("subscription", "cancel", "acme").exit_code != 0
