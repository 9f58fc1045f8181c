"""Every state-changing form rejects a request without a CSRF token (the test kit sends one
like a browser; ``csrf=False`` leaves it out)."""

from __future__ import annotations

import re

from ent_core.testing import enable_all, sign_in

ARG = re.compile(r"<(?:(\w+):)?(\w+)>")


def fill_rule(rule: str) -> str:
    """A URL for ``rule``: workspace ``acme``, id 1, ``alpha`` for other names."""

    def repl(match: re.Match[str]) -> str:
        conv, name = match.groups()
        if name == "workspace":
            return "acme"
        return "1" if conv == "int" else "alpha"

    return ARG.sub(repl, rule)


def test_every_state_changing_form_requires_a_csrf_token(app, client, workspace, user):
    enable_all(workspace)  # no plugin form may hide behind a 404
    sign_in(client, user)
    checked, missing = 0, []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") or rule.endpoint == "static":
            continue
        for method in {"POST", "PUT", "PATCH", "DELETE"} & set(rule.methods):
            checked += 1
            resp = client.open(
                fill_rule(rule.rule),
                method=method,
                data={"x": "1"},
                headers={"Accept-Language": "en"},
                csrf=False,
            )
            if resp.status_code != 400 or b"form expired" not in resp.data.lower():
                missing.append(f"{method} {rule.rule} -> {resp.status_code}")
    assert checked >= 5
    assert not missing, missing


def test_api_does_not_need_csrf_but_a_token(client):
    resp = client.post("/api/v1/workspaces", json={})
    assert resp.status_code == 401
    assert resp.json["error"]["code"] == "unauthorized"
