"""``ent plugin new``: write a pip-installable plugin package that passes its own tests."""

from __future__ import annotations

import keyword
import re
from pathlib import Path
from string import Template

from ent_core.version import __version__

TEMPLATE_DIR = Path(__file__).parent / "template"
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,30}$")


class ScaffoldError(ValueError):
    """The name or the target folder cannot be used; the message says why."""


def check_name(name: str) -> None:
    if not NAME_RE.match(name) or keyword.iskeyword(name) or name.endswith("_"):
        raise ScaffoldError(
            f"{name!r} is not a valid plugin name: use 2 to 31 lower-case letters, digits "
            "and underscores, starting with a letter (it becomes ent_NAME and NAME_ tables)"
        )


def _target_path(relative: Path, name: str) -> Path:
    parts = [Template(part).substitute(name=name) for part in relative.parts]
    if parts[0] == "package":
        parts[0] = f"ent_{name}"
        if len(parts) > 1 and parts[1] in ("templates", "static"):
            parts.insert(2, name)  # templates/<name>/..., static/<name>/...: names stay unique
    parts[-1] = parts[-1].removesuffix(".tmpl")
    return Path(*parts)


def generate(name: str, directory: Path, label: str | None = None) -> Path:
    """Write ``directory/ent-<name>/`` and return its path."""
    check_name(name)
    root = directory / f"ent-{name}"
    if root.exists():
        raise ScaffoldError(f"{root} already exists; choose another name or directory")
    major, minor = __version__.split(".")[:2]
    values = {
        "name": name,
        "label": label or name.replace("_", " ").title(),
        "compatibility": f">={major}.{minor}",
    }
    for source in sorted(TEMPLATE_DIR.rglob("*.tmpl")):
        target = root / _target_path(source.relative_to(TEMPLATE_DIR), name)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = Template(source.read_text(encoding="utf-8")).substitute(values)
        target.write_text(text, encoding="utf-8")
    return root
