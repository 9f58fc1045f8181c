"""``ent charter``: publish versions, list them, export signatories."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from ent_core.charter import service
from ent_core.db import all_workspaces, db


@click.group("charter", help="The ethics charter.")
def charter_group() -> None:
    # An operator's command names its workspaces in its arguments: it works across them.
    click.get_current_context().with_resource(all_workspaces())


@charter_group.command("publish", help="Publish FILE (Markdown) as a new version.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--version", "version", required=True, help="Version name, e.g. 2027.1.")
@click.option("--summary", default="", help="What changed (members see it).")
@click.option("--language", default="fr", show_default=True, help="Language of FILE.")
@click.option(
    "--translation", multiple=True, metavar="LANG=FILE", help="Another language, e.g. ar=ar.md."
)
@with_appcontext
def publish(
    file: Path, version: str, summary: str, language: str, translation: tuple[str, ...]
) -> None:
    texts = {language: file.read_text(encoding="utf-8")}
    for item in translation:
        lang, sep, path = item.partition("=")
        if not sep or not Path(path).is_file():
            raise click.ClickException(f"--translation expects LANG=FILE, got {item!r}")
        texts[lang] = Path(path).read_text(encoding="utf-8")
    try:
        published = service.publish(version, texts, summary=summary, actor=None)
    except service.CharterError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Published charter {published.version} ({', '.join(sorted(texts))}).")


@charter_group.command("list", help="Versions, newest first, with their signature counts.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_appcontext
def list_versions(as_json: bool) -> None:
    from ent_core.charter.models import CharterSignature, CharterVersion

    rows = db.session.execute(
        db.select(
            CharterVersion.version, CharterVersion.published_at, db.func.count(CharterSignature.id)
        )
        .outerjoin(CharterSignature, CharterSignature.version_id == CharterVersion.id)
        .group_by(CharterVersion.id)
        .order_by(CharterVersion.published_at.desc())
    ).all()
    items = [{"version": v, "published_at": p.isoformat(), "signatures": n} for v, p, n in rows]
    if as_json:
        click.echo(json.dumps(items))
        return
    for item in items:
        click.echo(f"{item['version']:<12} {item['published_at']}  {item['signatures']} signatures")


@charter_group.command("signatories", help="CSV of who signed VERSION.")
@click.argument("version")
@with_appcontext
def signatories(version: str) -> None:
    found = service.get_version(version)
    if found is None:
        raise click.ClickException(f"no charter version {version!r}")
    rows = service.signatories(found)
    writer = csv.DictWriter(
        sys.stdout,
        fieldnames=[
            "email",
            "name",
            "version",
            "language",
            "sha256",
            "signed_at",
            "ip_address",
            "user_agent",
        ],
    )
    writer.writeheader()
    writer.writerows(rows)
