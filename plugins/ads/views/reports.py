"""Reports pages: advertisers' campaigns and publishers' placements, with charts and CSV."""

from __future__ import annotations

from collections.abc import Callable
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


def _impressions_text(total: str, day: str, best: str) -> str:
    return sdk._(
        "%(total)s impressions in the period; the most on %(day)s: %(best)s. The table below "
        "gives every day's figures.",
        total=total,
        day=day,
        best=best,
    )


def _clicks_text(total: str, day: str, best: str) -> str:
    return sdk._(
        "%(total)s clicks in the period; the most on %(day)s: %(best)s. The table below gives "
        "every day's figures.",
        total=total,
        day=day,
        best=best,
    )


def _earnings_text(total: str, day: str, best: str) -> str:
    return sdk._(
        "%(total)s MAD earned in the period; the most on %(day)s: %(best)s MAD. The table "
        "below gives every day's figures.",
        total=total,
        day=day,
        best=best,
    )


def _money(value: Decimal) -> str:
    return number(value, "#,##0.00")


#: The two charts of each side: (element id, figure, title, description, how a value shows).
_CHARTS: dict[bool, tuple[tuple[str, Any, Any, Any, Any], ...]] = {
    False: (
        ("chart-impressions", lambda f: f.impressions, _l("Impressions per day"),
         _impressions_text, number),
        ("chart-clicks", lambda f: f.clicks, _l("Clicks per day"), _clicks_text, number),
    ),
    True: (
        ("chart-impressions", lambda f: f.impressions, _l("Impressions per day"),
         _impressions_text, number),
        ("chart-earnings", lambda f: f.earnings.amount, _l("Earnings per day (MAD)"),
         _earnings_text, _money),
    ),
}  # fmt: skip


def _daily_charts(report: reports.Report, *, publisher: bool) -> list[charts.Chart]:
    """Impressions, then clicks (advertisers) or earnings (publishers), per day."""
    rtl = sdk.pdf.is_rtl()
    return [
        charts.daily_bars(
            element,
            [(line.key, figure(line.figures)) for line in report.lines],
            title=str(title),
            describe=describe,
            show=show,
            rtl=rtl,
        )
        for element, figure, title, describe, show in _CHARTS[publisher]
    ]


def _page(template: str, **context: Any) -> Any:
    return render_template(
        template, number=number, percent=percent, share=settings().publisher_share, **context
    )


def _report_page(
    template: str,
    daily: Callable[[reports.Period], reports.Report],
    *,
    publisher: bool,
    tables: Callable[[reports.Period], dict[str, reports.Report]] = lambda when: {},
    **context: Any,
) -> Any:
    """A report page over the asked period: ``daily(when)``, its report by day, gives the
    day table and the charts; ``tables(when)`` the page's other reports."""
    form, when = _period()
    by_day = daily(when)
    return _page(
        template,
        form=form,
        args=_args(form),
        daily=by_day,
        charts=_daily_charts(by_day, publisher=publisher),
        **tables(when),
        **context,
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
    return _report_page(
        "ads/reports/campaigns.html",
        lambda when: reports.campaign_report(when, "day"),
        publisher=False,
        tables=lambda when: {"report": reports.campaign_report(when, "campaign")},
    )


@sdk.require_permission(SEE_REPORTS)
def campaign(campaign_id: int) -> Any:
    row = sdk.get_or_404(Campaign, campaign_id)
    return _report_page(
        "ads/reports/campaign.html",
        lambda when: reports.campaign_report(when, "day", row),
        publisher=False,
        campaign=row,
        tables=lambda when: {
            "creatives": reports.campaign_report(when, "creative", row),
            "placements": reports.campaign_report(when, "placement", row),
        },
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
    return _report_page(
        "ads/reports/placements.html",
        lambda when: reports.placement_report(when, "day"),
        publisher=True,
        tables=lambda when: {"report": reports.placement_report(when, "placement")},
    )


@sdk.require_permission(SEE_REPORTS)
def placement(placement_id: int) -> Any:
    row = sdk.get_or_404(AdPlacement, placement_id)
    return _report_page(
        "ads/reports/placement.html",
        lambda when: reports.placement_report(when, "day", row),
        publisher=True,
        placement=row,
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
