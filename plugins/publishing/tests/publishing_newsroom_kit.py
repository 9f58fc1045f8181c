"""Fixtures of the newsroom's tests: a workspace with publishing on and one member per role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ent_core.testing import add_member, sign_in

ARTICLES = "/api/v1/workspaces/acme/publishing/articles"
PAGES = "/w/acme/publishing"


@pytest.fixture
def newsroom(make_workspace: Callable[..., Any]) -> Any:
    """Workspace ``acme`` (owned by ``user``) with publishing on, in the IT and Green sectors."""
    return make_workspace("acme", plugins=("publishing",), sectors=("it", "green"))


@pytest.fixture
def web(app_ctx: Flask) -> Callable[[Any], FlaskClient]:
    """``web(user)``: a browser-like client signed in as ``user``."""

    def factory(who: Any) -> FlaskClient:
        return sign_in(app_ctx.test_client(), who)

    return factory


@pytest.fixture
def staff(newsroom: Any, user: Any, make_user: Callable[..., Any], web: Any) -> dict[str, Any]:
    """One person per newsroom role: owner, editor, author, contributor, plain member.

    Plugin roles (author, contributor) are granted as the owner would, on the members page.
    """
    people = {"owner": user}
    owner = web(user)
    for name, core, extra in (
        ("editor", "editor", None),
        ("author", "member", "author"),
        ("contributor", "member", "contributor"),
        ("member", "member", None),
    ):
        person = make_user(f"{name}@example.ma", name=name.title())
        membership = add_member(newsroom, person, core)
        if extra:
            resp = owner.post(f"/w/acme/members/{membership.id}/roles", data={"role": extra})
            assert resp.status_code in (302, 303), resp.status_code
        people[name] = person
    return people


@pytest.fixture
def write(make_api_client: Callable[[Any], Any]) -> Callable[..., dict[str, Any]]:
    """``write(user, title=..., **fields)``: a draft written through the API; its JSON."""

    def factory(who: Any, title: str = "Un article", **fields: Any) -> dict[str, Any]:
        resp = make_api_client(who).post(ARTICLES, json={"title": title, **fields})
        assert resp.status_code == 201, resp.json
        return resp.json

    return factory


@pytest.fixture
def audit_actions(app_ctx: Flask) -> Callable[[str], list[str]]:
    """``audit_actions("article:3")``: the actions audited on a subject, read with ``ent audit``."""
    import json

    def read(subject: str) -> list[str]:
        result = app_ctx.test_cli_runner().invoke(
            args=["audit", "list", "--action", "publishing", "--limit", "1000", "--json"]
        )
        assert result.exit_code == 0, result.output
        return [e["action"] for e in json.loads(result.output) if e.get("subject") == subject]

    return read
