"""The money part's answers to the marketplace's shared hooks: routes, the monthly payout
schedule, the order panel (paying, downloads, refunds), the operator's and seller's cards,
and ``ent marketplace payouts close``."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace import payments, refunds  # noqa: F401 - registers the effects
from markupsafe import Markup

from ent_core import sdk


def routes(bps: Any) -> None:
    from ent_plugins.marketplace.api import money as api
    from ent_plugins.marketplace.views import money_admin as admin
    from ent_plugins.marketplace.views import money_buyer as buyer
    from ent_plugins.marketplace.views import money_seller as seller

    post = ["POST"]
    bps.buyer.add_url_rule("/orders/<int:order_id>/pay", view_func=buyer.money_pay, methods=post)
    bps.buyer.add_url_rule("/downloads/<token>", view_func=buyer.money_download)
    a = bps.admin.add_url_rule
    a("/payments", view_func=admin.money_payments)
    a("/payments/<int:order_id>/paid", view_func=admin.money_mark_paid, methods=post)
    a("/orders/<int:order_id>/refund", view_func=admin.money_refund, methods=post)
    a("/refunds/<int:refund_id>/sent", view_func=admin.money_refund_sent, methods=post)
    a("/disputes", view_func=admin.money_disputes)
    a("/disputes/<int:order_id>/resolve", view_func=admin.money_resolve, methods=post)
    a("/payouts", view_func=admin.money_payouts_due)
    a("/payouts/<int:payout_id>/paid", view_func=admin.money_payout_paid, methods=post)
    m = bps.members.add_url_rule
    m("/payouts", view_func=seller.money_payouts, methods=["GET", "POST"])
    m("/payouts/<int:payout_id>", view_func=seller.money_payout)
    bps.api.add_url_rule("/payouts", view_func=api.money_list_payouts)
    bps.api.add_url_rule("/payouts/<int:payout_id>", view_func=api.money_get_payout)
    api.admin_api.add_url_rule(
        "/orders/<int:order_id>/payment", view_func=api.money_confirm_payment, methods=post
    )
    bps.extra.append(api.admin_api)


def schedules() -> list[Any]:
    from datetime import timedelta

    from ent_plugins.marketplace.payouts import close_previous_month

    # Every 6 hours: closing a month is idempotent, so a missed run is caught up later.
    return [sdk.Schedule("marketplace.close_payouts", close_previous_month, timedelta(hours=6))]


def order_panel(order: Any, side: str) -> Markup | None:
    """Paying (buyer, awaiting payment), the payment's state, downloads and refunds."""
    from ent_plugins.marketplace import downloads
    from ent_plugins.marketplace.models import Refund
    from ent_plugins.marketplace.money_forms import PayForm
    from flask import render_template

    if order.status == "inquiry" or not order.total:  # nothing priced yet: no amount to show
        return None
    with sdk.all_workspaces():
        given = sdk.db.session.scalars(
            sdk.db.select(Refund).where(Refund.order_id == order.id).order_by(Refund.id)
        ).all()
        links = downloads.links(order, sdk.current_user) if side == "buyer" else []
        options = payments.instructions(order) if order.status == "awaiting_payment" else []
        body = render_template(
            "marketplace/money/order_panel.html",
            order=order,
            side=side,
            options=options,
            form=PayForm(),
            links=links,
            refunds=given,
        )
    return Markup(body)  # noqa: S704 - rendered by Jinja with autoescape


def admin_sections() -> list[tuple[Any, str, int | None]]:
    from ent_plugins.marketplace.models import Order, Payout

    def count(statement: Any) -> int:
        return int(sdk.db.session.scalar(statement.execution_options(ent_all_workspaces=True)) or 0)

    fn = sdk.db.func
    return [
        (
            sdk._("Payments to confirm"),
            "marketplace_admin.money_payments",
            count(
                sdk.db.select(fn.count(Order.id)).where(
                    Order.status.in_(("payment_pending", "awaiting_payment"))
                )
            ),
        ),
        (
            sdk._("Disputes"),
            "marketplace_admin.money_disputes",
            count(sdk.db.select(fn.count(Order.id)).where(Order.status == "disputed")),
        ),
        (
            sdk._("Payouts due"),
            "marketplace_admin.money_payouts_due",
            count(sdk.db.select(fn.count(Payout.id)).where(Payout.status == "due")),
        ),
    ]


def home_sections(workspace: Any) -> list[tuple[Any, str, int | None]]:
    from ent_plugins.marketplace.models import Payout
    from ent_plugins.marketplace.permissions import MANAGE_PAYOUTS

    if not sdk.can(MANAGE_PAYOUTS):
        return []
    due = sdk.db.session.scalar(
        sdk.db.select(sdk.db.func.count(Payout.id)).where(
            Payout.workspace_id == workspace.id, Payout.status == "due"
        )
    )
    return [(sdk._("Payouts"), "marketplace.money_payouts", int(due or 0))]


def cli_commands(cli: Any) -> None:
    group = cli.commands.get("marketplace")
    if group is None:
        return
    import click

    @click.group("payouts", help=sdk._("Marketplace payouts."))
    def payouts_group() -> None:
        pass

    @payouts_group.command("close", help=sdk._("Close a month's payouts (default: last month)."))
    @click.option("--period", default="", help="YYYY-MM")
    def close(period: str) -> None:
        from ent_plugins.marketplace import payouts

        try:
            start, end = (
                payouts.parse_period(period)
                if period
                else payouts.previous_month(sdk.utcnow().date())
            )
        except ValueError as error:
            raise click.BadParameter("YYYY-MM", param_hint="--period") from error
        made = payouts.close_period(start, end)
        click.echo(sdk._("%(n)s payouts closed for %(start)s.", n=len(made), start=start))

    group.add_command(payouts_group)
