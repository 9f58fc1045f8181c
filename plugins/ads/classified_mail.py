"""Mails to the authors of classified ads: moderation decisions and expiry."""

from __future__ import annotations

from ent_plugins.ads.models import ClassifiedAd

from ent_core import sdk


def _ad_url(ad: ClassifiedAd) -> str:
    return sdk.external_url("ads.classified", workspace=ad.workspace.slug, classified_id=ad.id)


def tell_author(ad: ClassifiedAd, subject: str, text: str) -> None:
    """One mail to whoever posted the ad (nobody when their account is gone)."""
    author = ad.created_by
    if author is None or not author.email:
        return
    body = "\n\n".join([text, _ad_url(ad)])
    sdk.send_mail(author.email, subject, body)


def tell_decision(ad: ClassifiedAd, decision: str, reason: str = "") -> None:
    """``approved``, ``rejected`` or ``removed`` by a moderator."""
    if decision == "approved":
        subject = sdk._("Your classified ad is published")
        text = sdk._("“%(title)s” is now on its board.", title=ad.title)
    elif decision == "rejected":
        subject = sdk._("Your classified ad was not accepted")
        text = sdk._(
            "“%(title)s” was not accepted by the moderators: %(reason)s. You may change it; "
            "it will be read again.",
            title=ad.title,
            reason=reason,
        )
    else:
        subject = sdk._("Your classified ad was removed")
        text = sdk._(
            "“%(title)s” was removed from its board after a report: %(reason)s.",
            title=ad.title,
            reason=reason,
        )
    tell_author(ad, str(subject), str(text))


@sdk.all_workspaces()
def tell_expired(ids: list[int]) -> None:
    """Authors of ads that just expired learn they can renew them."""
    if not ids:
        return
    ads = sdk.db.session.scalars(sdk.db.select(ClassifiedAd).where(ClassifiedAd.id.in_(ids)))
    for ad in ads:
        tell_author(
            ad,
            str(sdk._("Your classified ad has expired")),
            str(
                sdk._(
                    "“%(title)s” is no longer on its board. Renew it from your workspace to "
                    "put it back on top.",
                    title=ad.title,
                )
            ),
        )
