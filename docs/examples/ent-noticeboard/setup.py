"""Build hook: compile the plugin's message catalogues (``.po`` -> ``.mo``) when it is built.

Metadata lives in pyproject.toml. Editable installs (``pip install -e .``) compile in the source
tree, where the package is imported from; wheels compile in the build folder.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

TRANSLATIONS = Path("ent_noticeboard", "translations")


def compile_catalogues(folder: Path) -> list[Path]:
    """Write ``messages.mo`` next to every ``messages.po`` under ``folder``."""
    written = []
    for po in sorted(folder.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as handle:
            write_mo(handle, catalog)
        written.append(mo)
    return written


class BuildPyWithCatalogues(build_py):
    def run(self) -> None:
        if getattr(self, "editable_mode", False):
            compile_catalogues(Path(__file__).resolve().parent / TRANSLATIONS)
            super().run()
            return
        super().run()
        compile_catalogues(Path(self.build_lib) / TRANSLATIONS)


setup(cmdclass={"build_py": BuildPyWithCatalogues})
