"""``ent user`` and ``ent token`` through Flask's CLI runner and the installed console script."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from flask_login import current_user

from ent_core.db import db
from ent_core.identity.models import ApiToken, User
from ent_core.identity.passwords import verify_password


@pytest.fixture
def cli(app_ctx):
    return app_ctx.test_cli_runner()


def test_user_create_makes_a_verified_account(cli):
    result = cli.invoke(
        args=[
            "user",
            "create",
            "Salma@Example.MA",
            "--password",
            "long enough secret",
            "--name",
            "Salma",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User))
    assert (user.email, user.name, user.is_admin) == ("salma@example.ma", "Salma", False)
    assert user.email_verified
    assert verify_password(user.password_hash, "long enough secret")


def test_user_create_admin(cli):
    result = cli.invoke(
        args=["user", "create", "root@example.ma", "--password", "long enough secret", "--admin"]
    )
    assert result.exit_code == 0
    assert "platform administrator" in result.stdout
    assert db.session.scalar(db.select(User)).is_admin


def test_user_create_refuses_a_duplicate(cli, user):
    result = cli.invoke(
        args=["user", "create", user.email.upper(), "--password", "long enough secret"]
    )
    assert result.exit_code != 0
    assert result.stdout == ""
    assert user.email in result.stderr
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


def test_user_create_refuses_a_short_password(cli):
    result = cli.invoke(args=["user", "create", "short@example.ma", "--password", "short"])
    assert result.exit_code != 0
    assert "Error" in result.stderr
    assert db.session.scalar(db.select(User)) is None


def test_user_create_asks_for_the_password_when_not_given(cli):
    result = cli.invoke(
        args=["user", "create", "asked@example.ma"], input="long enough secret\n" * 2
    )
    assert result.exit_code == 0, result.output
    assert verify_password(db.session.scalar(db.select(User)).password_hash, "long enough secret")


def test_user_list(cli, make_user):
    make_user("a@example.ma", admin=True, name="Alpha")
    make_user("b@example.ma", verified=False, name="Beta")
    rows = json.loads(cli.invoke(args=["user", "list", "--json"]).stdout)
    assert [(r["email"], r["admin"], r["email_verified"]) for r in rows] == [
        ("a@example.ma", True, True),
        ("b@example.ma", False, False),
    ]
    text = cli.invoke(args=["user", "list"]).stdout.splitlines()
    assert "a@example.ma" in text[0] and "admin" in text[0]
    assert "b@example.ma" in text[1] and "unverified" in text[1]


def test_token_create_prints_only_the_token(app, cli, user):
    result = cli.invoke(args=["token", "create", user.email, "--name", "ci"])
    assert result.exit_code == 0
    secret = result.stdout.strip()
    assert re.fullmatch(r"ent_[A-Za-z0-9_-]{40,}", secret)
    assert result.stdout == secret + "\n"
    assert db.session.scalar(db.select(ApiToken)).name == "ci"
    with app.test_request_context("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}):
        assert current_user.email == user.email


def test_token_create_for_an_unknown_account_fails(cli):
    result = cli.invoke(args=["token", "create", "nobody@example.ma"])
    assert result.exit_code != 0
    assert result.stdout == ""
    assert "nobody@example.ma" in result.stderr


def test_installed_console_script(tmp_path):
    """The ``ent`` script users run, against its own SQLite file, in a fresh process."""
    ent = Path(sys.executable).with_name("ent")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ENT_", "REDIS_", "SMTP_", "DATABASE_"))
    }
    env.update(
        ENT_ENV="development",
        ENT_INSTANCE_PATH=str(tmp_path / "instance"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}",
    )

    def run(*args):
        return subprocess.run(
            [str(ent), *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
        )

    upgraded = run("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    created = run("user", "create", "ops@example.ma", "--password", "long enough secret", "--admin")
    assert created.returncode == 0, created.stderr
    token = run("token", "create", "ops@example.ma")
    assert token.returncode == 0, token.stderr
    assert re.fullmatch(r"ent_[A-Za-z0-9_-]{40,}\n", token.stdout)
    duplicate = run("user", "create", "ops@example.ma", "--password", "long enough secret")
    assert duplicate.returncode != 0
    assert duplicate.stdout == ""
    assert "ops@example.ma" in duplicate.stderr
