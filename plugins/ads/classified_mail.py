"""Mails to the authors of classified ads: moderation decisions and expiry."""

from __future__ import annotations

from typing import Any

from ent_plugins.ads.models import ClassifiedAd
from flask_babel import force_locale

from ent_core import sdk


def _ad_url(ad: ClassifiedAd) -> str:
    return sdk.external_url("ads.classified", workspace=ad.workspace.slug, classified_id=ad.id)


def tell_author(ad: ClassifiedAd, subject: Any, text: Any) -> None:
    """One mail to whoever posted the ad (nobody when their account is gone), in their own
    language: ``subject`` and ``text`` are lazy strings, translated here."""
    author = ad.created_by
    if author is None or not author.email:
        return
    with force_locale(author.locale or "fr"):
        sdk.send_mail(author.email, str(subject), "\n\n".join([str(text), _ad_url(ad)]))


def tell_decision(ad: ClassifiedAd, decision: str, reason: Any = "") -> None:
    """``approved``, ``rejected`` or ``removed`` by a moderator."""
    if decision == "approved":
        subject = sdk._l("Your classified ad is published")
        text = sdk._l("“%(title)s” is now on its board.", title=ad.title)
    elif decision == "rejected":
        subject = sdk._l("Your classified ad was not accepted")
        text = sdk._l(
            "“%(title)s” was not accepted by the moderators: %(reason)s. You may change it; "
            "it will be read again.",
            title=ad.title,
            reason=reason,
        )
    else:
        subject = sdk._l("Your classified ad was removed")
        text = sdk._l(
            "“%(title)s” was removed from its board after a report: %(reason)s.",
            title=ad.title,
            reason=reason,
        )
    tell_author(ad, subject, text)


@sdk.all_workspaces()
def tell_expired(ids: list[int]) -> None:
    """Authors of ads that just expired learn they can renew them."""
    if not ids:
        return
    ads = sdk.db.session.scalars(sdk.db.select(ClassifiedAd).where(ClassifiedAd.id.in_(ids)))
    for ad in ads:
        tell_author(
            ad,
            sdk._l("Your classified ad has expired"),
            sdk._l(
                "“%(title)s” is no longer on its board. Renew it from your workspace to "
                "put it back on top.",
                title=ad.title,
            ),
        )
