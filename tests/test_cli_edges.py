"""``ent`` at the edges: outside the project folder it says which database it would use and how
to point it elsewhere; the CLI and the web take the same e-mail addresses (docs/operating.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ent_core.db import db
from ent_core.identity.models import User

ENT = str(Path(sys.executable).with_name("ent"))
#: Addresses the sign-up form refuses (email-validator: special-use domain, no dot, no "@", …).
REFUSED = ["admin@localhost", "salma@example", "salma.example.ma", "salma@@example.ma", "a b@x.ma"]


def _ent_elsewhere(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``ent ARGS`` run from ``folder`` with no ENT_INSTANCE_PATH nor DATABASE_URL set."""
    clean = {k: v for k, v in os.environ.items() if k not in ("ENT_INSTANCE_PATH", "DATABASE_URL")}
    return subprocess.run(
        [ENT, *args],
        cwd=folder,
        env={**clean, "ENT_ENV": "development", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ent_outside_the_project_folder_says_which_database_and_how_to_fix_it(tmp_path):
    done = _ent_elsewhere(tmp_path, "user", "list")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    instance = tmp_path.resolve() / "instance"
    assert f"database:        sqlite:///{instance / 'ent.sqlite3'}" in done.stderr
    assert f"instance folder: {instance}" in done.stderr
    for advice in ("ENT_INSTANCE_PATH=", "DATABASE_URL=", "ent db upgrade"):
        assert advice in done.stderr


def test_the_database_url_is_shown_without_its_password(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from ent_core.cli import main

    monkeypatch.chdir(tmp_path)
    url = "postgresql://ent:hunter2secret@127.0.0.1:1/ent"  # nothing listens on port 1
    env = {"ENT_ENV": "development", "DATABASE_URL": url, "ENT_INSTANCE_PATH": str(tmp_path)}
    result = CliRunner().invoke(main, ["user", "list"], env=env)
    assert result.exit_code == 1 and result.exception.__class__ is SystemExit
    assert "postgresql+psycopg://ent:***@127.0.0.1:1/ent" in result.output
    assert "hunter2secret" not in result.output


@pytest.mark.parametrize("address", REFUSED)
def test_the_cli_refuses_the_addresses_the_sign_up_form_refuses(app_ctx, client, address):
    secret = "long enough secret"
    page = client.post(
        "/auth/sign-up?lang=fr",
        data={"email": address, "name": "S", "password": secret, "confirm": secret},
    )
    assert "Cette adresse e-mail n\u2019est pas valide." in page.text
    result = app_ctx.test_cli_runner().invoke(
        args=["user", "create", address, "--password", "long enough secret"]
    )
    assert result.exit_code != 0
    assert "Cette adresse e-mail n\u2019est pas valide." in result.output
    assert db.session.scalar(db.select(User)) is None


def test_an_address_both_take_is_created_normalised(app_ctx):
    result = app_ctx.test_cli_runner().invoke(
        args=["user", "create", "  Salma@Example.MA ", "--password", "long enough secret"]
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(User.email)) == "salma@example.ma"


def test_an_api_invitation_follows_the_same_rule(api_client, workspace, mail_outbox):
    resp = api_client.post(
        f"/api/v1/workspaces/{workspace.slug}/invitations", json={"email": "nadia@localhost"}
    )
    assert resp.status_code == 422
    assert resp.json["error"]["code"] == "invalid_email" and mail_outbox == []
