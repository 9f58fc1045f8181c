"""``sdk.workspace_names``: another workspace's public identity, read explicitly."""

from __future__ import annotations

import dataclasses

from ent_core import sdk


def test_names_other_workspaces_by_id_from_inside_one(make_workspace):
    here = make_workspace("here", name="Ici Média")
    there = make_workspace("there", name="Là-bas Média")
    with sdk.in_workspace(here):
        found = sdk.workspace_names([there.id, here.id, 999_999])
    assert found == {
        there.id: sdk.WorkspaceName(there.id, "there", "Là-bas Média"),
        here.id: sdk.WorkspaceName(here.id, "here", "Ici Média"),
    }


def test_finds_workspaces_by_slug_too(make_workspace):
    there = make_workspace("there", name="Là-bas Média")
    assert sdk.workspace_names(slugs=["there", "nobody"]) == {
        there.id: sdk.WorkspaceName(there.id, "there", "Là-bas Média")
    }
    assert sdk.workspace_names() == {}


def test_tells_nothing_but_the_public_identity():
    fields = [f.name for f in dataclasses.fields(sdk.WorkspaceName)]
    assert fields == ["id", "slug", "name"]
