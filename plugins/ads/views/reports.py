"""Reports pages: advertisers' campaigns and publishers' placements, with charts and CSV."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from babel import Locale
from babel.numbers import format_decimal, format_percent
from ent_plugins.ads import charts, reports
from ent_plugins.ads.models import AdPlacement, Campaign
from ent_plugins.ads.permissions import SEE_REPORTS
from ent_plugins.ads.settings import settings
from flask import Response, render_template, request
from flask_babel import get_locale
from wtforms import DateField, SubmitField
from wtforms.validators import Optional

from ent_core import sdk

_l = sdk._l


class RangeForm(sdk.PlainForm):
    """The dates a report covers, in the address (a GET form: bookmarkable, no CSRF)."""

    from_ = DateField(_l("From"), name="from", validators=[Optional()])
    to = DateField(_l("To"), validators=[Optional()])
    submit = SubmitField(_l("Show"))


def _locale() -> Locale:
    """The page's locale for figures; Arabic as in Morocco (Latin digits, the separators money
    uses: ``sdk.Money.format``)."""
    locale = get_locale() or Locale.parse("fr")
    return Locale.parse("ar_MA") if locale.language == "ar" else locale


def number(value: int | float | Decimal, pattern: str | None = None) -> str:
    return format_decimal(value, format=pattern, locale=_locale())


def percent(rate: Decimal | None) -> str:
    """A rate as people read it ("62,5 %"), a dash when nothing was served."""
    if rate is None:
        return "\u2013"
    return format_percent(rate, locale=_locale(), decimal_quantization=False)


def _period() -> tuple[RangeForm, reports.Period]:
    """The form's dates when they are right; otherwise the last 30 days, with the form showing
    what to fix."""
    form = RangeForm(request.args)
    if request.args and form.validate():
        with sdk.user_errors(form, rename={"from": "from_"}):
            return form, reports.period(form.from_.data, form.to.data)
    when = reports.period()
    if not form.errors:
        form.from_.data, form.to.data = when.first, when.last
    return form, when


def _csv_period() -> reports.Period:
    """A CSV's dates: wrong ones answer 400 rather than another period than asked."""
    form, when = _period()
    if form.errors:
        sdk.abort(400)
    return when


def _args(form: RangeForm) -> dict[str, str]:
    """The report's dates as query arguments, for the CSV links."""
    values = {"from": form.from_.data, "to": form.to.data}
    return {k: v.isoformat() for k, v in values.items() if isinstance(v, date)}


def _daily_charts(report: reports.Report, *, publisher: bool) -> list[charts.Chart]:
    rtl = sdk.pdf.is_rtl()
    days = [(line.key, line.figures) for line in report.lines]
    impressions = charts.daily_bars(
        "chart-impressions",
        [(d, f.impressions) for d, f in days],
        title=sdk._("Impressions per day"),
        describe=lambda total, day, best: sdk._(
            "%(total)s impressions in the period; the most on %(day)s: %(best)s. The table "
            "below gives every day's figures.",
            total=total,
            day=day,
            best=best,
        ),
        show=number,
        rtl=rtl,
    )
    if publisher:
        second = charts.daily_bars(
            "chart-earnings",
            [(d, f.earnings.amount) for d, f in days],
            title=sdk._("Earnings per day (MAD)"),
            describe=lambda total, day, best: sdk._(
                "%(total)s MAD earned in the period; the most on %(day)s: %(best)s MAD. The "
                "table below gives every day's figures.",
                total=total,
                day=day,
                best=best,
            ),
            show=lambda v: number(v, "#,##0.00"),
            rtl=rtl,
        )
    else:
        second = charts.daily_bars(
            "chart-clicks",
            [(d, f.clicks) for d, f in days],
            title=sdk._("Clicks per day"),
            describe=lambda total, day, best: sdk._(
                "%(total)s clicks in the period; the most on %(day)s: %(best)s. The table "
                "below gives every day's figures.",
                total=total,
                day=day,
                best=best,
            ),
            show=number,
            rtl=rtl,
        )
    return [impressions, second]


def _page(template: str, **context: Any) -> Any:
    return render_template(
        template, number=number, percent=percent, share=settings().publisher_share, **context
    )


def _csv(text: str, name: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )


def _by(allowed: tuple[str, ...], default: str) -> str:
    by = request.args.get("by", default)
    if by not in allowed:
        sdk.abort(404)
    return by


# -- advertisers -----------------------------------------------------------------------------
@sdk.require_permission(SEE_REPORTS)
def reports_index() -> Any:
    form, when = _period()
    by_campaign = reports.campaign_report(when, "campaign")
    daily = reports.campaign_report(when, "day")
    return _page(
        "ads/reports/campaigns.html",
        form=form,
        args=_args(form),
        report=by_campaign,
        daily=daily,
        charts=_daily_charts(daily, publisher=False),
    )


@sdk.require_permission(SEE_REPORTS)
def campaign(campaign_id: int) -> Any:
    row = sdk.get_or_404(Campaign, campaign_id)
    form, when = _period()
    daily = reports.campaign_report(when, "day", row)
    return _page(
        "ads/reports/campaign.html",
        form=form,
        args=_args(form),
        campaign=row,
        daily=daily,
        creatives=reports.campaign_report(when, "creative", row),
        placements=reports.campaign_report(when, "placement", row),
        charts=_daily_charts(daily, publisher=False),
    )


@sdk.require_permission(SEE_REPORTS)
def campaigns_csv() -> Any:
    when = _csv_period()
    by = _by(("campaign", "day"), "campaign")
    report = reports.campaign_report(when, by)
    return _csv(reports.export_csv(report), f"campaigns-{by}-{when.first}-{when.last}.csv")


@sdk.require_permission(SEE_REPORTS)
def campaign_csv(campaign_id: int) -> Any:
    row = sdk.get_or_404(Campaign, campaign_id)
    when = _csv_period()
    by = _by(("day", "creative", "placement"), "day")
    report = reports.campaign_report(when, by, row)
    name = f"campaign-{row.id}-{by}-{when.first}-{when.last}.csv"
    return _csv(reports.export_csv(report), name)


# -- publishers ------------------------------------------------------------------------------
@sdk.require_permission(SEE_REPORTS)
def placements_index() -> Any:
    form, when = _period()
    daily = reports.placement_report(when, "day")
    return _page(
        "ads/reports/placements.html",
        form=form,
        args=_args(form),
        report=reports.placement_report(when, "placement"),
        daily=daily,
        charts=_daily_charts(daily, publisher=True),
    )


@sdk.require_permission(SEE_REPORTS)
def placement(placement_id: int) -> Any:
    row = sdk.get_or_404(AdPlacement, placement_id)
    form, when = _period()
    daily = reports.placement_report(when, "day", row)
    return _page(
        "ads/reports/placement.html",
        form=form,
        args=_args(form),
        placement=row,
        daily=daily,
        charts=_daily_charts(daily, publisher=True),
    )


@sdk.require_permission(SEE_REPORTS)
def placements_csv() -> Any:
    when = _csv_period()
    by = _by(("placement", "day"), "placement")
    report = reports.placement_report(when, by)
    name = f"placements-{by}-{when.first}-{when.last}.csv"
    return _csv(reports.export_csv(report, publisher=True), name)


@sdk.require_permission(SEE_REPORTS)
def placement_csv(placement_id: int) -> Any:
    row = sdk.get_or_404(AdPlacement, placement_id)
    when = _csv_period()
    report = reports.placement_report(when, "day", row)
    name = f"placement-{row.id}-day-{when.first}-{when.last}.csv"
    return _csv(reports.export_csv(report, publisher=True), name)
