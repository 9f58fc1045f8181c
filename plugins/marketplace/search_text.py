"""Full-text search of listings: folding, the search documents and the match condition.

Text is folded in Python, the same way for documents and queries: Unicode NFKD, combining
marks dropped (French accents, Arabic short vowels and hamza marks), tatweel removed, Arabic
letter variants merged (alefs with hamza or madda and alef wasla to alef, ta marbuta
to ha, alef maqsura to ya), case folded; words are runs of letters
and digits. PostgreSQL matches ``to_tsvector('simple', document)`` (a GIN index) against a
prefix ``tsquery`` of the words; SQLite, which has no such index, matches each word with
``LIKE`` on the same folded column. Documents are rewritten at flush when a listing or one of
its translations changes (an ORM event), so every writer keeps them current.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from ent_plugins.marketplace.models import Listing, ListingTranslation, MarketplaceCategory
from ent_plugins.marketplace.models.search import ListingSearchDocument
from sqlalchemy import event, func, inspect, literal_column, orm, select

from ent_core import sdk

_ARABIC = str.maketrans(
    {
        "\u0671": "\u0627",  # alef wasla: alef
        "\u0629": "\u0647",  # ta marbuta: ha
        "\u0649": "\u064a",  # alef maqsura: ya
        "\u0640": None,  # tatweel: only stretches a word
    }
)
_WORD = re.compile(r"[^\W_]+")
#: Words kept from a query (a longer query is cut: no user builds a 50-word search).
MAX_TERMS = 8


def fold(value: str) -> str:
    """Lower case, no accents, Arabic letter variants merged: what documents and queries
    are compared as."""
    decomposed = unicodedata.normalize("NFKD", value)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(_ARABIC).casefold()


def terms(query: str) -> list[str]:
    """The folded words of a query, without repeats, at most ``MAX_TERMS``."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(fold(query)):
        seen.setdefault(word, None)
    return list(seen)[:MAX_TERMS]


def document_text(parts: Iterable[str]) -> str:
    """The folded words of every part, space separated (what the index stores)."""
    return " ".join(w for part in parts if part for w in _WORD.findall(fold(part)))


def listing_document(listing: Listing, category: MarketplaceCategory | None = None) -> str:
    category = category or listing.category
    names = list((category.names or {}).values()) if category is not None else []
    texts = [t for tr in listing.translations for t in (tr.title, tr.description)]
    return document_text(
        [listing.title, listing.description, listing.location, *texts, *map(str, names)]
    )


def match(statement: Any, query: str) -> Any:
    """``statement`` (a select of listings) narrowed to those whose document holds every word
    of ``query`` as a word prefix; unchanged for an empty query."""
    words = terms(query)
    if not words:
        return statement
    statement = statement.join(
        ListingSearchDocument, ListingSearchDocument.listing_id == Listing.id
    )
    column = ListingSearchDocument.document
    if sdk.db.session.get_bind().dialect.name == "postgresql":
        vector = func.to_tsvector(literal_column("'simple'"), column)
        tsquery = " & ".join(f"{w}:*" for w in words)  # words are letters and digits only
        return statement.where(vector.op("@@")(func.to_tsquery("simple", tsquery)))
    for word in words:
        # a word starts at the document's start or after a space
        statement = statement.where((" " + column).like(f"% {word}%"))
    return statement


def rewrite(connection: Any, listing_ids: set[int]) -> None:
    """Recompute the documents of these listings (inside the flush's transaction)."""
    table = ListingSearchDocument.__table__
    connection.execute(table.delete().where(table.c.listing_id.in_(listing_ids)))
    with sdk.all_workspaces():
        session = orm.Session(bind=connection)
        rows = session.scalars(
            select(Listing)
            .where(Listing.id.in_(listing_ids))
            .options(orm.selectinload(Listing.translations), orm.joinedload(Listing.category))
        )
        values = [{"listing_id": row.id, "document": listing_document(row)} for row in rows]
        session.close()
    if values:
        connection.execute(table.insert(), values)


#: What a listing's document is made of (a sale or a rating changes none of it).
_INDEXED = ("title", "description", "location", "category_id")


def _changed(row: Any, names: Iterable[str]) -> bool:
    state = inspect(row)
    return any(state.attrs[name].history.has_changes() for name in names)


def _touched(session: orm.Session) -> set[int]:
    ids: set[int] = set()
    for row in session.new:
        if isinstance(row, Listing) and row.id is not None:
            ids.add(row.id)
    for row in session.dirty:
        if isinstance(row, Listing) and row.id is not None and _changed(row, _INDEXED):
            ids.add(row.id)
    for row in (*session.new, *session.dirty, *session.deleted):
        if isinstance(row, ListingTranslation) and row.listing_id is not None:
            ids.add(row.listing_id)
    return ids


@event.listens_for(orm.Session, "after_flush")
def _keep_documents(session: orm.Session, flush_context: Any) -> None:
    ids = _touched(session)
    if ids:
        rewrite(session.connection(), ids)
