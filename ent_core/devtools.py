"""Commands for plugin authors: ``ent plugin new`` and ``ent plugin doctor``."""

from __future__ import annotations

import difflib
import json
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import click

from ent_core import hookspecs
from ent_core.plugins import ENTRY_POINT_GROUP, PluginError, PluginMeta, _check_meta
from ent_core.version import __version__

KNOWN_HOOKS = frozenset(n for n in dir(hookspecs) if n.startswith("ent_"))


def _static_report(module: Any, entry_point: Any) -> dict[str, Any]:
    """What can be said of a plugin module without building the application."""
    meta = getattr(module, "meta", None)
    implemented = sorted(
        n for n in dir(module) if n.startswith("ent_") and hasattr(getattr(module, n), "ent_impl")
    )
    unknown = [n for n in implemented if n not in KNOWN_HOOKS]
    report: dict[str, Any] = {
        "name": meta.name if isinstance(meta, PluginMeta) else entry_point.name,
        "version": meta.version if isinstance(meta, PluginMeta) else None,
        "distribution": entry_point.dist.name if entry_point.dist else None,
        "module": module.__name__,
        "compatibility": meta.compatibility if isinstance(meta, PluginMeta) else None,
        "compatible": True,
        "hooks": [n for n in implemented if n in KNOWN_HOOKS],
        "unknown_hooks": [
            {"name": n, "did_you_mean": difflib.get_close_matches(n, KNOWN_HOOKS, n=1)}
            for n in unknown
        ],
        "problems": [],
    }
    try:
        _check_meta(module, entry_point.name)
    except PluginError as exc:
        report["compatible"] = False
        report["problems"].append(str(exc))
    return report


def diagnose() -> dict[str, Any]:
    """Report on every installed plugin; works even when the application cannot start."""
    reports: dict[str, dict[str, Any]] = {}
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            module = ep.load()
        except Exception as exc:
            reports[ep.name] = {"name": ep.name, "problems": [f"import failed: {exc}"]}
            continue
        report = _static_report(module, ep)
        reports[report["name"]] = report
    result: dict[str, Any] = {"ent_core": __version__, "plugins": list(reports.values())}
    try:
        from ent_core import create_app

        app = create_app()
    except Exception as exc:
        result["app_error"] = str(exc)
        return result
    with app.app_context():
        _add_event_facts(app, reports)
        _add_operator_settings(app, reports)
        _add_runtime_facts(app, reports)
    return result


def _add_event_facts(app: Any, reports: dict[str, dict[str, Any]]) -> None:
    """Per plugin: the events it declares (emits) and those it hears, with when."""
    catalogue = app.extensions["ent.events"]
    for name, report in reports.items():
        report["events"] = {
            "emits": sorted(n for n, d in catalogue.declared.items() if d.emitter == name),
            "subscribes": [
                {"event": s.subscription.event, "when": s.subscription.when}
                for s in catalogue.subscribers_of.get(name, ())
            ],
        }


def _add_operator_settings(app: Any, reports: dict[str, dict[str, Any]]) -> None:
    """Per plugin: the names of its operator settings and whether the operator set each (the
    values stay out of the report: some are secrets)."""
    loaded = app.extensions["ent.operator_settings"]
    for name, report in reports.items():
        settings = loaded.get(name)
        if settings is not None:
            report["operator_settings"] = {
                key: key in settings.model_fields_set for key in type(settings).model_fields
            }


def _add_runtime_facts(app: Any, reports: dict[str, dict[str, Any]]) -> None:
    from ent_core.db import db
    from ent_core.migrate import current_revision, head_revision, targets
    from ent_core.workspaces.models import PluginActivation, Workspace

    all_targets = targets(app)
    core = all_targets[0]
    by_plugin = {t.plugin: t for t in all_targets if t.plugin}
    core_current = current_revision(app, core)
    rows = []
    if core_current is None:
        for report in reports.values():
            report["problems"].append("the database is not migrated: run `ent db upgrade`")
    else:
        rows = db.session.execute(
            db.select(PluginActivation.plugin, Workspace.slug)
            .join(Workspace, Workspace.id == PluginActivation.workspace_id)
            .where(PluginActivation.enabled.is_(True))
            .order_by(Workspace.slug)
            .execution_options(ent_all_workspaces=True)
        ).all()
    for name, report in reports.items():
        target = by_plugin.get(name)
        report["migrations"] = None
        if target is not None:
            current, head = current_revision(app, target), head_revision(app, target)
            report["migrations"] = {"current": current, "head": head, "pending": current != head}
            if current != head:
                report["problems"].append("migrations pending: run `ent db upgrade`")
        report["enabled_in"] = [slug for plugin, slug in rows if plugin == name]


@click.command("new", help="Write a new plugin package ent-NAME/ ready to pip install.")
@click.argument("name")
@click.option("--directory", "-d", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--label", help="Human name shown in the modules page (default: from NAME).")
def new_command(name: str, directory: Path, label: str | None) -> None:
    from ent_core.scaffold import ScaffoldError, generate

    try:
        root = generate(name, directory, label)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {root}")
    click.echo(
        f"Next: pip install -e {root}  &&  ent db upgrade  &&  ent plugin enable SLUG {name}"
    )


@click.command(
    "doctor",
    help="Check every installed plugin: version, compatibility, hooks, events, migrations.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def doctor_command(as_json: bool) -> None:
    result = diagnose()
    failed = bool(result.get("app_error")) or any(
        p.get("problems") or p.get("unknown_hooks") for p in result["plugins"]
    )
    if as_json:
        click.echo(json.dumps(result, indent=2, default=str))
    else:
        _print_report(result)
    if failed:
        raise SystemExit(1)


def _print_report(result: dict[str, Any]) -> None:
    click.echo(f"ent_core {result['ent_core']}")
    if result.get("app_error"):
        click.echo(f"  the platform cannot start: {result['app_error']}", err=True)
    if not result["plugins"]:
        click.echo("No plugin installed.")
    for p in result["plugins"]:
        click.echo(f"\n{p['name']} {p.get('version') or '?'} ({p.get('distribution') or 'local'})")
        if "compatibility" in p:
            state = "ok" if p.get("compatible") else "INCOMPATIBLE"
            click.echo(f"  compatibility: {p['compatibility'] or 'any'} -> {state}")
        if p.get("hooks") is not None:
            click.echo(f"  hooks: {', '.join(p['hooks']) or 'none'}")
        for hook in p.get("unknown_hooks", []):
            hint = f" (did you mean {hook['did_you_mean'][0]}?)" if hook["did_you_mean"] else ""
            click.echo(f"  UNKNOWN HOOK: {hook['name']}{hint}")
        events = p.get("events")
        if events is not None:
            click.echo(f"  events emitted: {', '.join(events['emits']) or 'none'}")
            heard = [f"{s['event']} ({s['when'].replace('_', ' ')})" for s in events["subscribes"]]
            click.echo(f"  events heard: {', '.join(heard) or 'none'}")
        if p.get("operator_settings"):
            given = [
                f"{k} ({'set' if v else 'default'})" for k, v in p["operator_settings"].items()
            ]
            click.echo(f"  operator settings: {', '.join(given)}")
        migrations = p.get("migrations")
        if migrations:
            state = "PENDING" if migrations["pending"] else "up to date"
            click.echo(
                f"  migrations: {migrations['current'] or '-'} / {migrations['head']} {state}"
            )
        if "enabled_in" in p:
            click.echo(f"  enabled in: {', '.join(p['enabled_in']) or 'no workspace'}")
        for problem in p.get("problems", []):
            click.echo(f"  PROBLEM: {problem}")
