"""Where a worker's start-up memory goes: resident growth of each imported package.

Builds the app in process (``create_app()`` with the environment's settings) while timing each
module's execution by its resident size (``/proc/self/statm``); a module's own share is its
growth minus what the modules it imported added. Shares are approximate (the allocator grows in
steps, and work done once, such as mapper configuration, falls on the module that triggers it),
so cross-check a candidate by importing it alone.

    .venv/bin/python bench/import_memory.py [--top 40]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.abc
import os
import sys
from collections import Counter
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

PAGE = os.sysconf("SC_PAGE_SIZE")


def resident() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


class Measuring(importlib.abc.MetaPathFinder):
    """Wraps each found module's ``exec_module`` to record its own resident growth."""

    def __init__(self) -> None:
        self.stack: list[list[Any]] = []  # [name, resident at start, children's growth]
        self.own: dict[str, int] = {}

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        original = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            self.stack.append([name, resident(), 0])
            try:
                original(module)
            finally:
                _, start, children = self.stack.pop()
                grown = resident() - start
                self.own[name] = grown - children
                if self.stack:
                    self.stack[-1][2] += grown

        with contextlib.suppress(AttributeError, TypeError):  # built-in loaders refuse it
            loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def group(name: str) -> str:
    """Third-party and standard packages by top level; the platform's by sub-package."""
    parts = name.split(".")
    if parts[0] in ("ent_core", "ent_plugins") and len(parts) > 1:
        return ".".join(parts[: 2 if parts[0] == "ent_core" else 3])
    return parts[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=40)
    opts = parser.parse_args()
    measuring = Measuring()
    sys.meta_path.insert(0, measuring)
    start = resident()
    from ent_core import create_app

    create_app()
    total = resident()
    by_group: Counter[str] = Counter()
    for name, own in measuring.own.items():
        by_group[group(name)] += own
    print(f"resident: {start / 2**20:.1f} MB before, {total / 2**20:.1f} MB after create_app()")
    for name, size in by_group.most_common(opts.top):
        print(f"{size / 2**20:7.2f} MB  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
