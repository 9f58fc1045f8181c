"""Demo sellers (``ent demo``): FactCheck Lab sells fact-checking (on quote, by the day, a
checklist to download) and Studio Atlas Podcast studio hours and a microphone pack; Le Matin
Tech bought a verification from FactCheck Lab (inquiry to completion, through
``process.move``) and both sides reviewed it.

Idempotent: a seller with a storefront keeps it, a listing already there (by title) is not
added again, and the transaction is made once. Rows go through the models; amounts and
ratings are written only where no part's effect wrote them, so they stay right as parts
add effects.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from ent_plugins.marketplace import listing_rating, pricing, process
from ent_plugins.marketplace.categories import category_by_code, seed_categories
from ent_plugins.marketplace.models import (
    Listing,
    ListingSlot,
    Order,
    OrderLine,
    OrderMessage,
    Review,
    SellerProfile,
)
from ent_plugins.marketplace.orders import assign_reference, temporary_reference
from ent_plugins.marketplace.settings import settings
from sqlalchemy import func

from ent_core import sdk

FACTCHECK, STUDIO, BUYER = "factcheck-lab", "studio-atlas", "lematin-tech"
QUOTED_SERVICE = "Vérification d'une enquête, sur devis"

PROFILES: dict[str, dict[str, str]] = {
    FACTCHECK: {
        "tagline": "Vérifier avant de publier",
        "about": "Une équipe de vérificateurs formés aux méthodes de l'IFCN : sources, "
        "chiffres, images et vidéos, en français et en arabe.",
        "location": "Casablanca",
        "payout_rib": "011780000012345678901234",
        "payout_holder": "FactCheck Lab SARL",
    },
    STUDIO: {
        "tagline": "Le studio des podcasts d'information",
        "about": "Un studio insonorisé au cœur de Rabat, quatre micros, un technicien, et "
        "le matériel pour enregistrer en reportage.",
        "location": "Rabat",
        "payout_rib": "007810000098765432109876",
        "payout_holder": "Studio Atlas Podcast",
    },
}


def load_demo(workspaces: dict[str, Any], users: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if seed_categories():
        sdk.db.session.commit()
    for slug in (FACTCHECK, STUDIO):
        with _selling(workspaces.get(slug)) as workspace:
            if workspace is None:
                continue
            lines += _storefront(workspace)
            lines += _listings(workspace, _owner(users, slug))
            sdk.db.session.commit()
    buyer = workspaces.get(BUYER)
    with _selling(workspaces.get(FACTCHECK)) as factcheck:
        if factcheck is not None and buyer is not None:
            lines += _transaction(factcheck, buyer, users)
    return lines


@contextmanager
def _selling(workspace: Any) -> Iterator[Any]:
    """Inside ``workspace`` as its requests are; ``None`` when missing or marketplace off."""
    if workspace is None:
        yield None
        return
    try:
        scope = sdk.working_in(workspace, plugin="marketplace")
        entered = scope.__enter__()
    except LookupError:
        yield None
        return
    try:
        yield entered
    finally:
        scope.__exit__(None, None, None)


def _owner(users: dict[str, Any], slug: str) -> Any:
    email = {FACTCHECK: "factcheck@demo.ent.ma", STUDIO: "studio@demo.ent.ma"}[slug]
    return users.get(email) or users.get("admin@demo.ent.ma")


def _storefront(workspace: Any) -> list[str]:
    if sdk.db.session.scalar(sdk.scoped(SellerProfile)) is not None:
        return []
    # Its first listings were approved by the operator already: it publishes directly.
    trusted = settings().first_listings_reviewed
    sdk.db.session.add(
        SellerProfile(
            workspace_id=workspace.id,
            trusted=True,
            approved_listings=trusted,
            **PROFILES[workspace.slug],
        )
    )
    return [f"  marketplace: {workspace.slug} opened its storefront"]


def _listings(workspace: Any, owner: Any) -> list[str]:
    wanted = _factcheck_listings() if workspace.slug == FACTCHECK else _studio_listings()
    have = set(sdk.db.session.scalars(sdk.db.select(Listing.title)))
    lines = []
    for spec in wanted:
        if spec["title"] in have:
            continue
        slots = spec.pop("slots", 0)
        upload = spec.pop("upload", None)
        category = category_by_code(spec.pop("category"))
        assert category is not None
        listing = Listing(
            workspace_id=workspace.id,
            category_id=category.id,
            sector=category.sector,
            language="fr",
            vat_rate=settings().default_vat_rate,
            status="published",
            published_at=sdk.utcnow(),
            created_by_id=getattr(owner, "id", None),
            **spec,
        )
        if upload is not None:
            stored = sdk.store_upload(
                upload(), allowed=("application/pdf",), original_name=spec["file_name"]
            )
            listing.file_token = stored.key
        sdk.db.session.add(listing)
        sdk.db.session.flush()
        for start in _next_week(slots):
            sdk.db.session.add(
                ListingSlot(
                    workspace_id=workspace.id,
                    listing_id=listing.id,
                    starts_at=start,
                    ends_at=start + timedelta(hours=1),
                    capacity=1,
                )
            )
        lines.append(f"  marketplace: {workspace.slug} lists {listing.title!r} ({listing.kind})")
    return lines


def _factcheck_listings() -> list[dict[str, Any]]:
    return [
        {
            "title": QUOTED_SERVICE,
            "kind": "service",
            "unit": "package",
            "category": "fact-checking",
            "price": None,
            "description": "Envoyez-nous votre enquête avant publication : nous vérifions "
            "**chaque affirmation**, chiffre et citation, et vous remettons un rapport "
            "annoté. Devis sous 48 heures selon la longueur et les sources.",
        },
        {
            "title": "Journée de vérification en rédaction",
            "kind": "service",
            "unit": "day",
            "category": "fact-checking",
            "price": Decimal("1500.00"),
            "location": "Casablanca ou à distance",
            "description": "Un vérificateur travaille une journée avec votre rédaction : "
            "vérification des sujets du jour, des images et des déclarations.",
        },
        {
            "title": "Checklist de vérification (PDF)",
            "kind": "product",
            "delivery": "digital",
            "category": "fact-checking",
            "price": Decimal("90.00"),
            "file_name": "checklist-verification.pdf",
            "upload": checklist_pdf,
            "description": "Vingt questions à se poser avant de publier : sources, images, "
            "chiffres, citations. Une page à imprimer pour chaque poste de la rédaction.",
        },
    ]


def _studio_listings() -> list[dict[str, Any]]:
    return [
        {
            "title": "Heure de studio podcast avec technicien",
            "kind": "booking",
            "category": "podcast-studio",
            "price": Decimal("400.00"),
            "location": "Rabat, Agdal",
            "slots": 5,
            "description": "Une heure dans notre studio insonorisé : quatre micros, "
            "console, un technicien, et les fichiers bruts le jour même.",
        },
        {
            "title": "Pack micro reportage",
            "kind": "product",
            "delivery": "physical",
            "category": "podcast-studio",
            "price": Decimal("1200.00"),
            "stock": 6,
            "description": "Un micro dynamique, un enregistreur de poche, une bonnette et "
            "le câble : tout pour enregistrer un entretien sur le terrain.",
        },
    ]


def checklist_pdf() -> bytes:
    """The checklist sold as a download: one page generated here (the demo ships no files)."""
    document = sdk.pdf.new_document()
    document.add_page()
    document.set_font(sdk.pdf.FONT_FAMILY, "B", 16)
    document.cell(text="Checklist de vérification — FactCheck Lab", new_x="LMARGIN", new_y="NEXT")
    document.set_font(sdk.pdf.FONT_FAMILY, "", 11)
    for question in (
        "Qui est la source, et comment le sait-elle ?",
        "Le chiffre vient-il d'une publication officielle ? Laquelle ?",
        "L'image a-t-elle été publiée avant ? (recherche inversée)",
        "La citation est-elle complète et dans son contexte ?",
        "Une seconde source indépendante confirme-t-elle l'information ?",
    ):
        document.multi_cell(0, 8, text=f"[ ] {question}", new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


def _next_week(count: int) -> list[datetime]:
    """``count`` hours at 10:00 (Casablanca, 09:00 UTC), Monday onwards, next week."""
    today = sdk.utcnow().replace(hour=9, minute=0, second=0, microsecond=0)
    monday = today + timedelta(days=7 - today.weekday())
    return [monday + timedelta(days=n) for n in range(count)]


# -- the completed transaction ---------------------------------------------------------------
def _transaction(seller: Any, buyer_workspace: Any, users: dict[str, Any]) -> list[str]:
    done = sdk.db.session.scalar(
        sdk.scoped(Order).where(Order.buyer_workspace_id == buyer_workspace.id).limit(1)
    )
    listing = sdk.db.session.scalar(sdk.scoped(Listing).where(Listing.title == QUOTED_SERVICE))
    buyer = users.get("journaliste@demo.ent.ma")
    operator = users.get("admin@demo.ent.ma")
    owner = _owner(users, FACTCHECK)
    if done is not None or listing is None or buyer is None or operator is None:
        return []
    order = _inquiry(seller, buyer_workspace, buyer, listing)
    unit_price = Decimal("4500.00")
    quote = [
        {
            "label": "Vérification de l'enquête « L'eau du Souss »",
            "quantity": 1,
            "unit_price": str(unit_price),
            "vat_rate": str(listing.vat_rate),
        }
    ]
    note = "Environ 60 affirmations à vérifier ; rapport annoté sous cinq jours ouvrés."
    order.quote_note = note
    process.move(order, "quote", side="seller", actor=owner, note=note, lines=quote, valid_days=14)
    if not order.lines:
        _write_lines(order, listing, quote)
    process.move(order, "accept", side="buyer", actor=buyer)
    process.move(
        order, "pay", side="buyer", actor=buyer, provider="bank_transfer", reference="VIR-MP-DEMO"
    )
    process.move(order, "confirm_payment", side="operator", actor=operator, reference="VIR-MP-DEMO")
    _message(
        order,
        "seller",
        owner,
        "Le rapport annoté est joint au dossier partagé. Bonne publication !",
    )
    process.move(order, "deliver", side="seller", actor=owner)
    process.move(order, "complete", side="buyer", actor=buyer)
    _spread_in_time(order)
    _reviews(order, listing, buyer, owner)
    sdk.db.session.commit()
    return [
        f"  marketplace: {buyer_workspace.slug} bought {listing.title!r} from {seller.slug} "
        f"({order.reference}, completed, reviewed by both sides)"
    ]


def _inquiry(seller: Any, buyer_workspace: Any, buyer: Any, listing: Listing) -> Order:
    order = Order(
        workspace_id=seller.id,
        reference=temporary_reference(),
        process="inquiry",
        status="inquiry",
        buyer_id=buyer.id,
        buyer_workspace_id=buyer_workspace.id,
        request="Nous publions dans deux semaines une enquête de 12 pages sur l'eau dans le "
        "Souss. Pouvez-vous vérifier les chiffres et les citations ?",
        commission_rate=listing.category.commission_rate,
    )
    sdk.db.session.add(order)
    assign_reference(order)
    _message(order, "buyer", buyer, "Le texte et nos sources sont prêts, nous pouvons les envoyer.")
    return order


def _write_lines(order: Order, listing: Listing, quote: list[dict[str, Any]]) -> None:
    """The quote's lines and the order's amounts, when no part's ``quote`` effect wrote them."""
    amounts = []
    for item in quote:
        rate = Decimal(item["vat_rate"])
        line = pricing.line_amounts(Decimal(item["unit_price"]), item["quantity"], rate)
        amounts.append(line)
        sdk.db.session.add(
            OrderLine(
                workspace_id=order.workspace_id,
                order_id=order.id,
                listing_id=listing.id,
                label=item["label"],
                quantity=item["quantity"],
                unit_price=Decimal(item["unit_price"]),
                vat_rate=rate,
                net=line.net,
                vat=line.vat,
                total=line.total,
            )
        )
    total = pricing.order_amounts(amounts)
    order.subtotal, order.vat, order.total = total.net, total.vat, total.total
    order.commission = pricing.commission(total.net, order.commission_rate)
    sdk.db.session.flush()


def _message(order: Order, side: str, author: Any, body: str) -> None:
    sdk.db.session.add(
        OrderMessage(
            workspace_id=order.workspace_id,
            order_id=order.id,
            side=side,
            author_id=getattr(author, "id", None),
            body=body,
        )
    )


def _spread_in_time(order: Order) -> None:
    """The moves happened just now; the story reads better over two weeks: inquiry 14 days
    ago, a day per step, completed four days ago."""
    sdk.db.session.flush()
    start = sdk.utcnow() - timedelta(days=14)
    order.created_at = start
    order.first_answer_at = order.first_answer_at or start + timedelta(days=1)
    for n, event in enumerate(order.events, start=1):
        event.at = start + timedelta(days=min(2 * n, 10))
        stamp = {
            "confirm_payment": "paid_at",
            "deliver": "delivered_at",
            "complete": "completed_at",
        }
        if event.transition in stamp:
            setattr(order, stamp[event.transition], event.at)
    order.payment_provider = order.payment_provider or "bank_transfer"
    order.payment_reference = order.payment_reference or "VIR-MP-DEMO"


def _reviews(order: Order, listing: Listing, buyer: Any, owner: Any) -> None:
    """Both reviews, published; the listing's and the seller's figures recounted from rows."""
    published = (order.completed_at or sdk.utcnow()) + timedelta(days=1)
    for side, author, rating, text in (
        (
            "buyer",
            buyer,
            5,
            "Travail rigoureux et rapide : trois chiffres corrigés avant publication.",
        ),
        ("seller", owner, 5, "Une rédaction claire dans sa demande et réactive."),
    ):
        if sdk.db.session.scalar(sdk.scoped(Review).filter_by(order_id=order.id, side=side)):
            continue
        sdk.db.session.add(
            Review(
                workspace_id=order.workspace_id,
                order_id=order.id,
                listing_id=listing.id,
                side=side,
                author_id=getattr(author, "id", None),
                rating=rating,
                text=text,
                submitted_at=published - timedelta(hours=12),
                published_at=published,
            )
        )
    sdk.db.session.flush()
    _recount(order.workspace_id, listing)


def _recount(workspace_id: int, listing: Listing) -> None:
    """Ratings from the published buyers' reviews; sales and completed orders from orders."""

    def ratings(*where: Any) -> tuple[int, int]:
        row = sdk.db.session.execute(
            sdk.db.select(func.coalesce(func.sum(Review.rating), 0), func.count(Review.id)).where(
                Review.side == "buyer",
                Review.status == "visible",
                Review.published_at.is_not(None),
                *where,
            )
        ).one()
        return int(row[0]), int(row[1])

    sdk.db.session.flush()
    listing_rating.set_rating(listing.id, *ratings(Review.listing_id == listing.id))
    completed = sdk.db.session.scalar(
        sdk.db.select(func.count(Order.id)).where(Order.status == "completed")
    )
    sold = sdk.db.session.scalar(
        sdk.db.select(func.count(func.distinct(OrderLine.order_id)))
        .join(Order, Order.id == OrderLine.order_id)
        .where(OrderLine.listing_id == listing.id, Order.status == "completed")
    )
    listing.sales_count = max(listing.sales_count or 0, sold or 0)
    profile = sdk.db.session.scalar(sdk.scoped(SellerProfile))
    if profile is not None:
        profile.rating_sum, profile.rating_count = ratings()
        profile.completed_orders = max(profile.completed_orders or 0, completed or 0)
        if profile.response_minutes is None:
            profile.response_minutes = 24 * 60
