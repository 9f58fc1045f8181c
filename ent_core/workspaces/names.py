"""Workspaces' public identity (id, slug, name) for plugins that show another's rows.

An explicit cross-workspace read, limited to what every public page of a workspace shows
already: a plugin never needs the core's ``workspace`` table for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ent_core.db import db
from ent_core.workspaces.models import Workspace


@dataclass(frozen=True, slots=True)
class WorkspaceName:
    """What a workspace is called and where its pages are: nothing else of it."""

    id: int
    slug: str
    name: str


def workspace_names(
    ids: Iterable[int] = (), *, slugs: Iterable[str] = ()
) -> dict[int, WorkspaceName]:
    """The workspaces of ``ids`` (and of ``slugs``) by id, whatever the current workspace;
    unknown ones are left out. Nothing asked, nothing read."""
    ids, slugs = sorted(set(ids)), sorted(set(slugs))
    if not ids and not slugs:
        return {}
    wanted = []
    if ids:
        wanted.append(Workspace.id.in_(ids))
    if slugs:
        wanted.append(Workspace.slug.in_(slugs))
    rows = db.session.execute(
        db.select(Workspace.id, Workspace.slug, Workspace.name)
        .where(db.or_(*wanted))
        .execution_options(ent_all_workspaces=True)
    )
    return {wid: WorkspaceName(wid, slug, name) for wid, slug, name in rows}
