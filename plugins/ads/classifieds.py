"""Classified ads: posting within the plan's monthly quota, paying beyond it, renewals,
boosts and expiry (docs/ads.md, "Classified ads").

Every move of an ad is a guarded conditional ``UPDATE`` (``WHERE status IN (...)``): two
requests racing (a withdrawal and a moderator's approval, two renewals) cannot both win. The
free quota is taken with ``sdk.consume_quota`` in the transaction that creates (or renews) the
ad; beyond it the ad waits as ``unpaid`` for its invoice, which ``invoice.paid`` settles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from ent_plugins.ads.catalogues import CLASSIFIED_KINDS
from ent_plugins.ads.models import ClassifiedAd, ClassifiedImage, ClassifiedPayment
from ent_plugins.ads.settings import settings

from ent_core import sdk

QUOTA = "classified_ads_per_month"
#: A published ad may be renewed this close to its expiry (an expired one at any time).
RENEW_WINDOW = timedelta(days=3)
LANGUAGES = ("fr", "ar", "en")
FORMATS = ("text", "markdown")
TITLE_MAX = 150
MAX_IMAGES = 3
BODY_MAX = 5000
#: Statuses in which the author may still change the text.
EDITABLE = ("unpaid", "pending", "published", "rejected")
WITHDRAWABLE = ("pending", "published", "expired", "rejected")
TRANSITIONS = ("withdraw", "renew", "boost")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ().-]{6,20}$")


@dataclass
class AdFields:
    """What the author writes; the same for the form, the API and edits."""

    sector: str
    kind: str
    title: str
    body: str
    body_format: str = "text"
    language: str = "fr"
    price: Decimal | None = None
    location: str = ""
    contact_email: str = ""
    contact_phone: str = ""


def refused(message: str, field: str | None = None, code: str = "validation_error") -> Any:
    return sdk.UserError(code, message, 422, field=field)


def board_codes(workspace: Any) -> list[str]:
    """The boards a workspace may post on: its own sectors."""
    return [s.code for s in workspace.sectors]


def check_fields(fields: AdFields, workspace: Any, keep_sector: str | None = None) -> AdFields:
    """Clean and check what the author wrote; :class:`sdk.UserError` blames the field.
    ``keep_sector``: an edited ad may stay on its board after the workspace left the sector."""
    fields.title = (fields.title or "").strip()
    fields.body = (fields.body or "").strip()
    fields.location = (fields.location or "").strip()
    fields.contact_email = (fields.contact_email or "").strip()
    fields.contact_phone = (fields.contact_phone or "").strip()
    if fields.sector not in board_codes(workspace) and fields.sector != keep_sector:
        raise refused(sdk._("Choose one of your workspace's sectors."), "sector")
    if fields.kind not in CLASSIFIED_KINDS:
        raise refused(sdk._("Choose what the ad offers."), "kind")
    if not fields.title or len(fields.title) > TITLE_MAX:
        raise refused(sdk._("Give a title of at most %(num)d characters.", num=TITLE_MAX), "title")
    if not fields.body or len(fields.body) > BODY_MAX:
        raise refused(sdk._("Write the ad, at most %(num)d characters.", num=BODY_MAX), "body")
    if fields.body_format not in FORMATS:
        raise refused(sdk._("Choose plain text or Markdown."), "body_format")
    if fields.language not in LANGUAGES:
        raise refused(sdk._("Choose the ad's language."), "language")
    if fields.price is not None and (fields.price < 0 or fields.price >= Decimal("1e10")):
        raise refused(sdk._("Give a price in dirhams, or none."), "price")
    if fields.price is not None:
        fields.price = fields.price.quantize(Decimal("0.01"))
    if len(fields.location) > 120:
        raise refused(sdk._("At most %(num)d characters.", num=120), "location")
    if fields.contact_email and not EMAIL.match(fields.contact_email):
        raise refused(sdk._("This e-mail address is not valid."), "contact_email")
    if fields.contact_phone and not PHONE.match(fields.contact_phone):
        raise refused(sdk._("This phone number is not valid."), "contact_phone")
    if not fields.contact_email and not fields.contact_phone:
        raise refused(sdk._("Give an e-mail address or a phone number."), "contact_email")
    return fields


# -- prices ----------------------------------------------------------------------------------
def price_of(purpose: str) -> sdk.Money:
    """What posting (or renewing) beyond the quota, or a boost, costs, VAT included."""
    rules = settings()
    unit = rules.boost_price if purpose == "boost" else rules.classified_price
    return sdk.Money(unit) + sdk.Money(unit * rules.vat_rate)


def _charge(purpose: str, ad: ClassifiedAd) -> sdk.ChargeLine:
    rules = settings()
    if purpose == "boost":
        label = sdk._(
            "Boost of the classified ad “%(title)s” (%(days)d days on top of its board)",
            title=ad.title,
            days=rules.boost_days,
        )
        unit = rules.boost_price
    else:
        label = sdk._(
            "Classified ad “%(title)s” (%(days)d days online)",
            title=ad.title,
            days=rules.classified_days,
        )
        unit = rules.classified_price
    return sdk.ChargeLine(str(label)[:300], 1, unit, rules.vat_rate)


def quota_refusal(exc: Any) -> sdk.ApiError:
    """The quota's 409 ``quota_exceeded``, with the price of posting anyway."""
    return sdk.ApiError(
        "quota_exceeded",
        sdk._(
            "Your free classified ads for this month are used up. Post it for %(price)s "
            "(VAT included) or wait for next month.",
            price=price_of("post").format(),
        ),
        409,
        {**exc.details, "price": price_of("post").to_json()},
    )


def _invoice(workspace: Any, ad: ClassifiedAd, purpose: str, key: str, actor: Any) -> Any:
    invoice, _created = sdk.issue_invoice(
        workspace, [_charge(purpose, ad)], key=key, kind="ads", actor=actor
    )
    known = sdk.db.session.scalar(
        sdk.db.select(ClassifiedPayment).where(ClassifiedPayment.invoice_number == invoice.number)
    )
    if known is None:
        sdk.db.session.add(
            ClassifiedPayment(
                workspace_id=workspace.id,
                classified_id=ad.id,
                purpose=purpose,
                invoice_number=invoice.number,
            )
        )
    sdk.audit(
        "ads.classified_invoiced",
        subject=f"classified:{ad.id}",
        details={"purpose": purpose, "invoice": invoice.number},
    )
    return invoice


# -- posting ---------------------------------------------------------------------------------
def _go_live(ad: ClassifiedAd, now: datetime) -> None:
    """Published at once, or waiting for a moderator when the régie pre-moderates."""
    if settings().premoderate_classifieds:
        ad.status = "pending"
        return
    ad.status = "published"
    ad.published_at = now
    ad.expires_at = now + timedelta(days=settings().classified_days)


def take_free_unit(workspace: Any) -> Any:
    """One unit of this month's free quota, in the caller's transaction: ``None`` when taken,
    else the ``QuotaExceeded`` that refused it (nothing changed)."""
    try:
        sdk.consume_quota(workspace, QUOTA)
    except sdk.QuotaExceeded as exc:
        return exc
    return None


def create_classified(
    workspace: Any,
    author: Any,
    fields: AdFields,
    images: list[Any] = (),  # type: ignore[assignment]
    *,
    pay: bool = False,
) -> tuple[ClassifiedAd, Any]:
    """Post an ad: ``(ad, invoice)``, the invoice set only when it was posted beyond the free
    quota with ``pay``. Without ``pay`` and without quota: 409 ``quota_exceeded``."""
    check_fields(fields, workspace)
    if len(images) > MAX_IMAGES:
        raise refused(sdk._("At most %(num)d pictures.", num=MAX_IMAGES), "images")
    now = sdk.utcnow()
    exceeded = take_free_unit(workspace)
    if exceeded is not None and not pay:
        raise quota_refusal(exceeded)
    free = exceeded is None
    ad = ClassifiedAd(
        workspace_id=workspace.id,
        created_by_id=getattr(author, "id", None),
        free=free,
        status="unpaid",
        **vars(fields),
    )
    sdk.db.session.add(ad)
    sdk.db.session.flush()
    attach_images(ad, images)
    invoice = None
    if free:
        _go_live(ad, now)
    else:
        invoice = _invoice(workspace, ad, "post", f"classified:{ad.id}", author)
        ad.invoice_number = invoice.number
    sdk.audit(
        "ads.classified_posted",
        subject=f"classified:{ad.id}",
        details={"free": free, "status": ad.status, "sector": ad.sector},
    )
    return ad, invoice


def update_classified(
    ad: ClassifiedAd,
    fields: AdFields,
    images: list[Any] = (),  # type: ignore[assignment]
    remove: tuple[int, ...] = (),
) -> ClassifiedAd:
    """Change an ad's text and pictures; under pre-moderation a published (or rejected) ad
    goes back to the moderators."""
    if ad.status not in EDITABLE:
        raise sdk.UserError("invalid_transition", sdk._("This ad can no longer be changed."), 409)
    check_fields(fields, ad.workspace, keep_sector=ad.sector)
    kept = [i for i in ad.images if i.id not in remove]
    if len(kept) + len(images) > MAX_IMAGES:
        raise refused(sdk._("At most %(num)d pictures.", num=MAX_IMAGES), "images")
    for image in ad.images:
        if image.id in remove:
            sdk.db.session.delete(image)
    for name, value in vars(fields).items():
        setattr(ad, name, value)
    sdk.db.session.flush()
    attach_images(ad, images, start=len(kept))
    if settings().premoderate_classifieds and ad.status in ("published", "rejected"):
        ad.status = "pending"
        ad.rejection_reason = ""
    ad.updated_at = sdk.utcnow()
    sdk.audit("ads.classified_updated", subject=f"classified:{ad.id}")
    return ad


def attach_images(ad: ClassifiedAd, images: list[Any], start: int = 0) -> None:
    """Store prepared pictures (``classified_images.prepare``) now that the rest is accepted."""
    for position, prepared in enumerate(images, start=start):
        stored = prepared.checked.store()
        sdk.db.session.add(
            ClassifiedImage(
                workspace_id=ad.workspace_id,
                classified_id=ad.id,
                file_token=stored.key,
                alt_text=prepared.alt,
                position=position,
            )
        )


# -- transitions -----------------------------------------------------------------------------
def renewable(ad: ClassifiedAd, now: datetime | None = None) -> bool:
    now = now or sdk.utcnow()
    if ad.status == "expired":
        return True
    return (
        ad.status == "published"
        and ad.expires_at is not None
        and _aware(ad.expires_at) - now <= RENEW_WINDOW
    )


def boostable(ad: ClassifiedAd, now: datetime | None = None) -> bool:
    now = now or sdk.utcnow()
    return ad.status == "published" and ad.expires_at is not None and _aware(ad.expires_at) > now


def allowed_transitions(ad: ClassifiedAd, now: datetime | None = None) -> list[str]:
    allowed = []
    if ad.status in WITHDRAWABLE:
        allowed.append("withdraw")
    if renewable(ad, now):
        allowed.append("renew")
    if boostable(ad, now):
        allowed.append("boost")
    return allowed


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; the platform stores UTC only."""
    from datetime import UTC

    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def invalid(ad: ClassifiedAd) -> sdk.ApiError:
    return sdk.ApiError(
        "invalid_transition",
        sdk._("This change is not possible now."),
        409,
        {"allowed": allowed_transitions(ad)},
    )


def _guarded(ad: ClassifiedAd, statuses: tuple[str, ...], **values: Any) -> bool:
    """One conditional UPDATE: the move happens only from ``statuses``."""
    table = ClassifiedAd.__table__
    done = sdk.db.session.execute(
        table.update()
        .where(
            table.c.id == ad.id,
            table.c.workspace_id == ad.workspace_id,
            table.c.status.in_(statuses),
        )
        .values(updated_at=sdk.utcnow(), **values)
    ).rowcount
    sdk.db.session.refresh(ad)
    return bool(done == 1)


def withdraw(ad: ClassifiedAd) -> None:
    if not _guarded(ad, WITHDRAWABLE, status="withdrawn"):
        raise invalid(ad)
    sdk.audit("ads.classified_withdrawn", subject=f"classified:{ad.id}")


def apply_renewal(ad: ClassifiedAd, now: datetime | None = None) -> bool:
    """Back online for a full period, on top of the newest (its expiry date counts from now,
    or from its current expiry when it had not expired yet)."""
    now = now or sdk.utcnow()
    base = now
    if ad.status == "published" and ad.expires_at is not None:
        base = max(now, _aware(ad.expires_at))
    table = ClassifiedAd.__table__
    done = sdk.db.session.execute(
        table.update()
        .where(
            table.c.id == ad.id,
            table.c.workspace_id == ad.workspace_id,
            table.c.status.in_(("published", "expired")),
            table.c.renewals == ad.renewals,
        )
        .values(
            status="published",
            published_at=now,
            expires_at=base + timedelta(days=settings().classified_days),
            renewals=table.c.renewals + 1,
            updated_at=now,
        )
    ).rowcount
    sdk.db.session.refresh(ad)
    return bool(done == 1)


def renew(ad: ClassifiedAd, actor: Any, *, pay: bool = False) -> Any:
    """Renew an expired ad (or one close to expiry): one unit of the free quota, like a new ad;
    beyond it, paid with ``pay`` (the invoice is returned, the renewal waits for it)."""
    now = sdk.utcnow()
    if not renewable(ad, now):
        raise invalid(ad)
    exceeded = take_free_unit(ad.workspace)
    if exceeded is None:
        if not apply_renewal(ad, now):
            raise invalid(ad)
        sdk.audit("ads.classified_renewed", subject=f"classified:{ad.id}", details={"free": True})
        return None
    if not pay:
        raise quota_refusal(exceeded)
    return _invoice(ad.workspace, ad, "renew", f"renewal:{ad.id}:{ad.renewals + 1}", actor)


def boost(ad: ClassifiedAd, actor: Any) -> Any:
    """Invoice a boost; it applies when paid. Asking again before paying gives the same
    invoice (the key counts the boosts already paid)."""
    if not boostable(ad):
        raise invalid(ad)
    paid = sdk.db.session.scalar(
        sdk.db.select(sdk.db.func.count(ClassifiedPayment.id)).where(
            ClassifiedPayment.classified_id == ad.id,
            ClassifiedPayment.purpose == "boost",
            ClassifiedPayment.status == "applied",
        )
    )
    return _invoice(ad.workspace, ad, "boost", f"boost:{ad.id}:{int(paid or 0) + 1}", actor)


def boosted(ad: ClassifiedAd, now: datetime | None = None) -> bool:
    now = now or sdk.utcnow()
    return ad.boosted_until is not None and _aware(ad.boosted_until) > now


# -- payment ---------------------------------------------------------------------------------
def settle_payment(invoice_number: str, now: datetime | None = None) -> bool:
    """Apply what a paid invoice bought, once (a retried job finds it applied)."""
    now = now or sdk.utcnow()
    payment = sdk.db.session.scalar(
        sdk.db.select(ClassifiedPayment).where(ClassifiedPayment.invoice_number == invoice_number)
    )
    if payment is None:
        return False
    table = ClassifiedPayment.__table__
    claimed = sdk.db.session.execute(
        table.update()
        .where(table.c.id == payment.id, table.c.status == "issued")
        .values(status="applied", applied_at=now)
    ).rowcount
    if claimed != 1:
        return False
    ad = payment.classified
    if payment.purpose == "post":
        if settings().premoderate_classifieds:
            _guarded(ad, ("unpaid",), status="pending")
        else:
            _guarded(
                ad,
                ("unpaid",),
                status="published",
                published_at=now,
                expires_at=now + timedelta(days=settings().classified_days),
            )
    elif payment.purpose == "renew":
        apply_renewal(ad, now)
    else:
        start = max(now, _aware(ad.boosted_until)) if ad.boosted_until else now
        ad.boosted_until = start + timedelta(days=settings().boost_days)
    sdk.audit(
        "ads.classified_paid",
        subject=f"classified:{ad.id}",
        details={"purpose": payment.purpose, "invoice": invoice_number},
    )
    return True


def on_invoice_paid(event: Any) -> None:
    """``invoice.paid`` (after commit, in the invoice's workspace): publish, renew or boost."""
    if settle_payment(str(event.payload["number"])):
        sdk.db.session.commit()


# -- expiry ----------------------------------------------------------------------------------
@sdk.all_workspaces()
def expire_classifieds(now: datetime | None = None) -> int:
    """The schedule: published ads past their date become ``expired``; authors are told they
    may renew. Idempotent: the guarded UPDATE takes each ad once."""
    now = now or sdk.utcnow()
    table = ClassifiedAd.__table__
    due = list(
        sdk.db.session.execute(
            sdk.db.select(table.c.id).where(
                table.c.status == "published", table.c.expires_at <= now
            )
        ).scalars()
    )
    if not due:
        return 0
    expired = list(
        sdk.db.session.execute(
            table.update()
            .where(table.c.id.in_(due), table.c.status == "published", table.c.expires_at <= now)
            .values(status="expired", updated_at=now)
            .returning(table.c.id)
        ).scalars()
    )
    sdk.db.session.commit()
    from ent_plugins.ads.classified_mail import tell_expired

    tell_expired(expired)
    return len(expired)
