"""The wheel ships what a server needs (``pip install smart-medias-ent``, not an editable
checkout): templates, static files, compiled catalogues, migrations, the plugin scaffold and
the bundled plugins, and none of the plugins' tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_holds_the_platforms_files_and_no_tests(tmp_path: Path) -> None:
    build_dir = ROOT / "build"  # setuptools builds in the tree: leave it as it was found
    had_build_dir = build_dir.exists()
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    if not had_build_dir:
        shutil.rmtree(build_dir, ignore_errors=True)
    assert built.returncode == 0, built.stderr
    # setuptools warns when a folder Python could import is not listed (setup.py ``packages``)
    assert "is absent from the `packages` configuration" not in built.stdout + built.stderr
    [wheel] = tmp_path.glob("smart_medias_ent-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "ent_core/templates/base.html",
        "ent_core/static/ent.css",
        "ent_core/translations/ar/LC_MESSAGES/messages.mo",
        "ent_core/migrations/versions/0001_core_initial.py",
        "ent_core/scaffold/template/package/plugin.py.tmpl",
        "ent_plugins/publishing/plugin.py",
        "ent_plugins/publishing/templates/publishing/_widget.html",
        "ent_plugins/training/translations/fr/LC_MESSAGES/messages.mo",
    ):
        assert expected in names, expected
    assert not [n for n in names if "/tests/" in n and n.startswith("ent_plugins/")]
    assert not [n for n in names if "__pycache__" in n]
