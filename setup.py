"""Build hook: compile the message catalogues (``.po`` -> ``.mo``) whenever the package is built.

The metadata lives in pyproject.toml; this file only adds the compilation step, for wheels
(``pip install .``) and for editable installs (``pip install -e .``), where setuptools runs
``build_py`` in editable mode and the catalogues are compiled in the source tree instead.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _i18n() -> ModuleType:
    """Load ent_core/i18n.py by path: importing ent_core would need its runtime dependencies."""
    spec = importlib.util.spec_from_file_location("_ent_i18n_build", HERE / "ent_core" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def packages() -> list[str]:
    """``ent_core`` and the bundled plugins (``plugins/<name>`` as ``ent_plugins.<name>``).

    Namespace discovery: the folders of templates, catalogues and migrations are listed too, as
    setuptools asks of folders Python could import (their files come with ``package-data``).
    """
    cache = ["*__pycache__*"]
    core = find_namespace_packages(include=["ent_core", "ent_core.*"], exclude=cache)
    plugin_tests = ["tests", "tests.*", "*.tests", "*.tests.*"]  # the plugins' own test suites
    bundled = [
        f"ent_plugins.{name}"
        for name in find_namespace_packages("plugins", exclude=[*cache, *plugin_tests])
    ]
    return [*core, "ent_plugins", *bundled]


class BuildPyWithCatalogues(build_py):
    """``build_py`` that also compiles every package's ``translations/`` folder."""

    def run(self) -> None:
        compile_catalogues = _i18n().compile_catalogues
        if getattr(self, "editable_mode", False):
            for package in self.packages or ():
                folder = Path(self.get_package_dir(package)) / "translations"
                if folder.is_dir():
                    self._report(compile_catalogues(folder))
            super().run()
            return
        super().run()
        for package in self.packages or ():
            folder = Path(self.build_lib, *package.split("."), "translations")
            if folder.is_dir():
                self._report(compile_catalogues(folder))

    def _report(self, written: list[Path]) -> None:
        for path in written:
            self.announce(f"compiled message catalogue {path}", level=2)


if __name__ == "__main__":  # setuptools' build backend runs this file as __main__
    setup(packages=packages(), cmdclass={"build_py": BuildPyWithCatalogues})
