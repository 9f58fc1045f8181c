"""Static files of the core and of every installed plugin, under content-hashed addresses.

``asset_url("ent.css")`` and ``asset_url("publishing/site.css", plugin="publishing")`` answer
``/static/ent.css?v=<hash>`` and ``/static/plugins/publishing/publishing/site.css?v=<hash>``,
where the hash is taken from the file's bytes: every web process, on every host, computes the
same address for the same file, and a new file gives a new address. An address whose ``v`` is
the file's hash is cached for a year as ``immutable``; without ``v``, or with another one (a
page rendered before a deployment), the file is still served, with a short cache
(docs/ui.md, "Static files").
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    has_request_context,
    request,
    send_file,
    url_for,
)
from werkzeug.security import safe_join

from ent_core.plugins import PluginRegistry

#: Hashed addresses never change content: a year, the longest lifetime HTTP/1.1 advised
#: (RFC 2616, 14.21) and what caches take as "forever"; ``immutable``: not even a reload asks.
LONG_CACHE = "public, max-age=31536000, immutable"
#: Addresses without the file's hash: short, so a deployment reaches browsers within minutes.
SHORT_CACHE = "public, max-age=300"
#: Bound of the address cache (the files on disk bound the hash cache).
_CACHE_LIMIT = 4096


class StaticFiles:
    """The static folders (the core's under ``None``, each plugin's under its name) and the
    hashes of their files, computed on first use and kept for the process."""

    # Asked a dozen times per page (icons, style sheet, scripts): keep the lookups flat.
    __slots__ = ("_digests", "_urls", "folders", "watch")

    def __init__(self, folders: dict[str | None, Path], *, watch: bool = False) -> None:
        self.folders = folders
        #: Development: a file edited while the server runs gets a new hash (its size and
        #: modification time are checked on each use; the hash still comes from the bytes).
        self.watch = watch
        self._digests: dict[str, tuple[tuple[int, int], str]] = {}
        self._urls: dict[tuple[Any, ...], str] = {}

    def path(self, plugin: str | None, filename: str) -> str | None:
        """The file's path, or ``None`` if the owner has no such file (or the name escapes)."""
        folder = self.folders.get(plugin)
        if folder is None:
            return None
        path = safe_join(str(folder), filename)
        return path if path is not None and os.path.isfile(path) else None

    def digest(self, path: str) -> str:
        """The first 12 hex digits of the SHA-256 of the file's bytes."""
        kept = self._digests.get(path)
        if kept is not None and not self.watch:
            return kept[1]
        stat = Path(path).stat()
        mark = (stat.st_mtime_ns, stat.st_size)
        if kept is not None and kept[0] == mark:
            return kept[1]
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
        self._digests[path] = (mark, digest)
        return digest

    def url(self, filename: str, plugin: str | None) -> str:
        """The file's hashed address; a missing file's plain one (which answers 404)."""
        key = (plugin, filename, request.script_root if has_request_context() else "")
        url = None if self.watch else self._urls.get(key)
        if url is not None:
            return url
        endpoint = "static" if plugin is None else "plugin_static"
        values: dict[str, str] = {} if plugin is None else {"plugin": plugin}
        path = self.path(plugin, filename)
        if path is None:
            return url_for(endpoint, filename=filename, **values)  # type: ignore[no-any-return]
        url = url_for(endpoint, filename=filename, v=self.digest(path), **values)
        if len(self._urls) >= _CACHE_LIMIT:
            self._urls.clear()
        self._urls[key] = url
        return url  # type: ignore[no-any-return]


def asset_url(filename: str, plugin: str | None = None) -> str:
    """The content-hashed address of a static file of the core, or of ``plugin``'s ``static/``
    folder; the address changes when the file does, so it is cached for a year."""
    files: StaticFiles = current_app.extensions["ent.static"]
    return files.url(filename, plugin)


def _serve(plugin: str | None, filename: str) -> Response:
    files: StaticFiles = current_app.extensions["ent.static"]
    path = files.path(plugin, filename)
    if path is None:
        abort(404)
    digest = files.digest(path)
    # ETag from the bytes: the same on every process, unlike Werkzeug's (size and time).
    response = send_file(path, etag=digest, conditional=True)
    # One header, written once: cheaper than send_file's max_age (four updates of the parsed
    # header and an Expires date, which max-age overrides anyway).
    response.headers["Cache-Control"] = (
        LONG_CACHE if request.query_string == b"v=" + digest.encode() else SHORT_CACHE
    )
    return response


def serve_core(filename: str) -> Response:
    """``/static/<filename>``: the core's files."""
    return _serve(None, filename)


def serve_plugin(plugin: str, filename: str) -> Response:
    """``/static/plugins/<plugin>/<filename>``: an installed plugin's files, served whether
    or not the plugin is switched on where the page comes from (platform assets, not data)."""
    return _serve(plugin, filename)


def install(app: Flask, registry: PluginRegistry) -> None:
    """Serve the core's and the installed plugins' static folders; ``asset_url`` in templates."""
    folders: dict[str | None, Path] = {None: Path(__file__).parent / "static"}
    for plugin in registry.ordered():
        folder = plugin.root / "static"
        if folder.is_dir():
            folders[plugin.name] = folder
    app.extensions["ent.static"] = StaticFiles(
        folders, watch=app.debug or app.config.get("ENT_ENV") == "development"
    )
    app.add_url_rule("/static/<path:filename>", "static", serve_core)
    app.add_url_rule("/static/plugins/<plugin>/<path:filename>", "plugin_static", serve_plugin)
    app.add_template_global(asset_url)
