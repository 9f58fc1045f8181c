"""Message catalogues: extract, update, compile and check them (see docs/i18n.md).

Translators and plugin authors run ``python -m ent_core.i18n COMMAND [PACKAGE_DIR]``; the
package defaults to ``ent_core``. This module imports only Babel and the standard library
because ``setup.py`` loads it by path to compile the catalogues while the package is built.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

log = logging.getLogger("ent_core.i18n")

DOMAIN = "messages"
LOCALES = ("fr", "en", "ar")
#: Each language named in itself, as the language switcher shows it.
LANGUAGE_NAMES = {"fr": "Français", "en": "English", "ar": "العربية"}
RTL_LANGUAGES = frozenset({"ar"})
# Languages whose catalogue must be complete: French is the reference, Arabic ships complete.
COMPLETE_LOCALES = ("fr", "ar")
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
}
METHOD_MAP = [
    ("**/templates/**.html", "jinja2"),
    ("**/templates/**.txt", "jinja2"),
    ("**.py", "python"),
]
OPTIONS_MAP = {
    "**/templates/**.html": {
        "extensions": "jinja2.ext.do,jinja2.ext.loopcontrols",
        "silent": "false",
    },
    "**/templates/**.txt": {
        "extensions": "jinja2.ext.do,jinja2.ext.loopcontrols",
        "silent": "false",
    },
}
SKIPPED_DIRECTORIES = frozenset({"tests", "migrations", "translations", "static", "node_modules"})
CORE_DIR = Path(__file__).resolve().parent
# A wheel installs the .po a moment after the .mo: that is not an outdated catalogue.
MTIME_SLACK_SECONDS = 2.0


def translations_dir(package_dir: Path) -> Path:
    return package_dir / "translations"


def _keep_directory(dirname: str) -> bool:
    name = os.path.basename(dirname)
    return not (name.startswith(".") or name == "__pycache__" or name in SKIPPED_DIRECTORIES)


def extract(package_dir: Path, project: str = "Smart Médias ENT") -> Catalog:
    """Collect every translatable string of a package's Python code and templates."""
    catalog = Catalog(project=project, charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        package_dir,
        METHOD_MAP,
        OPTIONS_MAP,
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
        directory_filter=_keep_directory,
    ):
        location = (Path(package_dir.name, filename).as_posix(), lineno)
        catalog.add(message, None, [location], auto_comments=comments, context=context)
    return catalog


def _write_catalog(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        write_po(out, catalog, width=100, sort_output=True, include_previous=False)


def _read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with open(path, "rb") as src:
        return read_po(src, locale=locale, domain=DOMAIN)


def catalogue_path(package_dir: Path, locale: str) -> Path:
    return translations_dir(package_dir) / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def update(
    package_dir: Path, locales: Iterable[str] = LOCALES, *, fuzzy_matching: bool = False
) -> Catalog:
    """Re-extract the template and merge it into each locale's catalogue (created if missing)."""
    template = extract(package_dir)
    template_path = translations_dir(package_dir) / f"{DOMAIN}.pot"
    _write_catalog(template, template_path)
    for locale in locales:
        path = catalogue_path(package_dir, locale)
        if path.exists():
            catalog = _read_catalog(path, locale)
            catalog.update(template, no_fuzzy_matching=not fuzzy_matching)
            catalog.obsolete.clear()  # git keeps the history; stale entries only confuse
        else:
            catalog = _read_catalog(template_path, locale)
            catalog.fuzzy = False
        catalog.revision_date = datetime.now(UTC)
        _write_catalog(catalog, path)
    return template


def _compile_one(po_path: Path) -> Path:
    locale = po_path.parent.parent.name
    catalog = _read_catalog(po_path, locale)
    mo_path = po_path.with_suffix(".mo")
    # Written beside then renamed, so concurrent start-ups never read half a file.
    fd, tmp = tempfile.mkstemp(dir=po_path.parent, prefix=".messages-", suffix=".mo")
    try:
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; the catalogue is public data
        os.replace(tmp, mo_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return mo_path


def compile_catalogues(directory: Path, *, only_outdated: bool = False) -> list[Path]:
    """Compile ``<directory>/<locale>/LC_MESSAGES/*.po`` to ``.mo``; return the files written."""
    written = []
    for po_path in sorted(Path(directory).glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if (
            only_outdated
            and mo_path.exists()
            and mo_path.stat().st_mtime + MTIME_SLACK_SECONDS >= po_path.stat().st_mtime
        ):
            continue
        written.append(_compile_one(po_path))
    return written


def ensure_compiled(directories: Iterable[str | Path]) -> list[Path]:
    """Safety net at start-up: compile missing or outdated catalogues where we may write."""
    written: list[Path] = []
    for directory in directories:
        try:
            done = compile_catalogues(Path(directory), only_outdated=True)
        except OSError as exc:
            log.warning("cannot compile the message catalogues in %s: %s", directory, exc)
            continue
        for path in done:
            log.info("compiled message catalogue %s", path)
        written += done
    return written


def check(package_dir: Path, locales: Iterable[str] = COMPLETE_LOCALES) -> list[str]:
    """Problems that keep a catalogue from being complete, one readable line each."""
    problems = []
    source_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extract(package_dir) if m.id}
    for locale in locales:
        path = catalogue_path(package_dir, locale)
        if not path.exists():
            problems.append(f"{locale}: no catalogue at {path}")
            continue
        catalog = _read_catalog(path, locale)
        known = set()
        for message in catalog:
            if not message.id:
                continue
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            known.add(msgid)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy:
                problems.append(f"{locale}: fuzzy: {msgid!r}")
            elif not all(strings) or len(strings) < (
                catalog.num_plurals if message.pluralizable else 1
            ):
                problems.append(f"{locale}: untranslated: {msgid!r}")
        for message, errors in catalog.check():
            for error in errors:
                problems.append(f"{locale}: {message.id!r}: {error}")
        problems += [
            f"{locale}: missing from the catalogue (run update): {msgid!r}"
            for msgid in sorted(source_ids - known)
        ]
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Command line for translators: ``python -m ent_core.i18n extract|update|compile|check``."""
    parser = argparse.ArgumentParser(
        prog="python -m ent_core.i18n", description="Manage the message catalogues."
    )
    parser.add_argument("command", choices=("extract", "update", "compile", "check"))
    parser.add_argument(
        "package_dir",
        nargs="?",
        type=Path,
        default=CORE_DIR,
        help="package folder holding templates/ and translations/ (default: ent_core)",
    )
    parser.add_argument(
        "--locale",
        action="append",
        dest="locales",
        help="limit update/check to this locale (repeatable)",
    )
    parser.add_argument(
        "--fuzzy", action="store_true", help="update: guess translations of changed strings"
    )
    args = parser.parse_args(argv)
    package_dir: Path = args.package_dir.resolve()
    if not package_dir.is_dir():
        print(f"error: {package_dir} is not a folder", file=sys.stderr)
        return 2
    if args.command == "extract":
        template = extract(package_dir)
        target = translations_dir(package_dir) / f"{DOMAIN}.pot"
        _write_catalog(template, target)
        print(f"{len(template)} messages written to {target}")
    elif args.command == "update":
        template = update(package_dir, args.locales or LOCALES, fuzzy_matching=args.fuzzy)
        print(f"{len(template)} messages merged into {', '.join(args.locales or LOCALES)}")
    elif args.command == "compile":
        for path in compile_catalogues(translations_dir(package_dir)):
            print(f"compiled {path}")
    else:
        problems = check(package_dir, args.locales or COMPLETE_LOCALES)
        for line in problems:
            print(line, file=sys.stderr)
        if problems:
            return 1
        print("catalogues complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
