"""Uploaded files: checked by content (never by name), stored content-addressed under the instance.

Only a few types are accepted, each recognised by its magic bytes and then parsed: images are
opened and verified with Pillow, PDFs with pypdf. Anything that also reads as something else (a
polyglot: bytes after the image's end, markup or a PDF header inside an image, scripts, forms or
attached files inside a PDF) is refused, because a file served from our origin must never become
a page or a program. Bytes live in ``<instance>/uploads/<aa>/<sha256>.<ext>``; the same content
is stored once, and only once every check passed (``check_upload`` then ``CheckedUpload.store``).

Memory: an image's size is read from its header and refused over ``ENT_UPLOAD_MAX_PIXELS``
before any pixel is decoded; decoding and resizing hold one of ``ENT_IMAGE_DECODE_CONCURRENCY``
process-wide slots (``decoding_image``), so concurrent uploads cannot add up their bitmaps.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import threading
import warnings
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from flask import Response, current_app, send_file
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from ent_core.api.errors import ApiError

DEFAULT_ALLOWED = ("image/png", "image/jpeg", "image/webp", "application/pdf")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
#: Images larger than this are refused before decoding (a small file can decode to gigabytes);
#: ``ENT_UPLOAD_MAX_PIXELS`` overrides it.
DEFAULT_MAX_PIXELS = 25_000_000
#: Images decoded at once per process (``ENT_IMAGE_DECODE_CONCURRENCY`` overrides it).
DEFAULT_DECODE_CONCURRENCY = 1

EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "application/pdf": "pdf",
    "application/zip": "zip",
}
_CONTENT_TYPES = {ext: ctype for ctype, ext in EXTENSIONS.items()}
_PILLOW_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}
_KEY = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{64}\.(png|jpg|webp|pdf|zip)$")
# Markers that make a browser, a PDF reader or an interpreter see something other than an image.
_FOREIGN_MARKERS = re.compile(
    rb"<\s*(html|script|iframe|svg|body|object|embed|!doctype)|<\?php|%PDF-|javascript:",
    re.IGNORECASE,
)
#: PDF names (as keys or values) that make a document run, submit or carry something, by kind.
_PDF_ACTIVE = {
    "/JavaScript": "script",
    "/JS": "script",
    "/Launch": "action",
    "/SubmitForm": "action",
    "/ImportData": "action",
    "/GoToR": "action",
    "/GoToE": "action",
    "/AcroForm": "form",
    "/XFA": "form",
    "/EmbeddedFiles": "attachment",
    "/EmbeddedFile": "attachment",
    "/FileAttachment": "attachment",
    "/RichMedia": "attachment",
}
# Markup a browser would render if it ever sniffed the document (an HTML/PDF polyglot).
_HTML_MARKERS = re.compile(
    rb"<\s*(html|script|iframe|body|!doctype)[\s>/]|javascript:", re.IGNORECASE
)


class UploadRejected(ApiError, ValueError):
    """A file we refuse; ``.message`` says why in the reader's language, ``.reason`` is stable."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__("upload_rejected", message, 422, {"reason": reason})
        self.reason = reason


@dataclass(frozen=True)
class CheckedUpload:
    """Bytes that passed every check and are not written yet: ``store()`` writes them.

    Callers with further conditions (a count cap, other fields of a form) check those before
    storing, so a refused upload leaves nothing on disk.
    """

    raw: bytes = field(repr=False)
    content_type: str
    original_name: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    def store(self) -> StoredFile:
        """Write the bytes (once per content) and say where they are."""
        digest = self.sha256
        key = f"{digest[:2]}/{digest}.{EXTENSIONS[self.content_type]}"
        _write_once(_path(key), self.raw)
        return StoredFile(key, self.content_type, len(self.raw), digest, self.original_name)


@dataclass(frozen=True)
class StoredFile:
    """What ``store_upload`` kept: persist ``key`` (String(200)) in your own table."""

    key: str
    content_type: str
    size: int
    sha256: str
    original_name: str


def store_upload(
    data: FileStorage | bytes,
    *,
    allowed: Collection[str] = DEFAULT_ALLOWED,
    max_bytes: int = DEFAULT_MAX_BYTES,
    original_name: str | None = None,
) -> StoredFile:
    """Check ``data`` by content and store it; raises :class:`UploadRejected` with the reason."""
    return check_upload(
        data, allowed=allowed, max_bytes=max_bytes, original_name=original_name
    ).store()


def check_upload(
    data: FileStorage | bytes,
    *,
    allowed: Collection[str] = DEFAULT_ALLOWED,
    max_bytes: int = DEFAULT_MAX_BYTES,
    original_name: str | None = None,
) -> CheckedUpload:
    """Check ``data`` by content without writing anything; :class:`UploadRejected` if refused."""
    if isinstance(data, FileStorage):
        original_name = original_name or data.filename
        raw = data.stream.read(max_bytes + 1)
    else:
        raw = bytes(data)
    if not raw:
        raise UploadRejected(_("The file is empty."), "empty")
    if len(raw) > max_bytes:
        raise UploadRejected(
            _("The file is too big: at most %(size)s.", size=_human_size(max_bytes)), "too_large"
        )
    content_type = detect_content_type(raw)
    if content_type is None or content_type not in allowed:
        raise UploadRejected(
            _("This type of file is not accepted. Accepted: %(types)s.", types=_names(allowed)),
            "type_not_allowed",
        )
    if content_type == "application/pdf":
        _check_pdf(raw)
    elif content_type == "application/zip":
        _check_zip(raw)
    else:
        _check_image(raw, content_type)
    return CheckedUpload(raw, content_type, _clean_name(original_name, content_type))


def max_pixels() -> int:
    """The largest image (width times height) accepted, from ``ENT_UPLOAD_MAX_PIXELS``."""
    return int(current_app.config.get("ENT_UPLOAD_MAX_PIXELS") or DEFAULT_MAX_PIXELS)


def configure_pillow() -> None:
    """Pillow's own bomb check follows ours, so any later decode (a resize) is bounded too.

    Called before each check and decode rather than at start: Pillow then loads only in the
    workers that handle an image (about 2 MB; docs/performance.md, "Worker memory").
    """
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = max_pixels()


_decode_lock = threading.Lock()
_decode_slots: tuple[int, threading.BoundedSemaphore] | None = None


def _slots() -> threading.BoundedSemaphore:
    global _decode_slots
    configured = current_app.config.get("ENT_IMAGE_DECODE_CONCURRENCY")
    size = max(1, int(configured or DEFAULT_DECODE_CONCURRENCY))
    with _decode_lock:
        if _decode_slots is None or _decode_slots[0] != size:
            _decode_slots = (size, threading.BoundedSemaphore(size))
        return _decode_slots[1]


@contextmanager
def decoding_image() -> Iterator[None]:
    """Hold one of the process's image-decoding slots: wrap every Pillow decode or resize.

    A decoded bitmap costs up to 4 bytes a pixel whatever the file's size; the slots keep a
    worker's peak memory at ``ENT_IMAGE_DECODE_CONCURRENCY`` bitmaps, however many threads
    receive images at once. Others wait their turn.
    """
    configure_pillow()
    slots = _slots()
    with slots:
        yield


def open_upload(key: str) -> BinaryIO:
    """The stored bytes of ``key`` (a file opened for reading; close it)."""
    return _path(key).open("rb")


def send_upload(
    key: str, *, download_name: str | None = None, as_attachment: bool = False
) -> Response:
    """Serve a stored file with its checked type; the caller has already checked access."""
    path = _path(key)
    if not path.is_file():
        from flask import abort

        abort(404)
    content_type = _CONTENT_TYPES[key.rsplit(".", 1)[1]]
    response = send_file(
        path,
        mimetype=content_type,
        as_attachment=as_attachment,
        download_name=download_name or path.name,
        conditional=True,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    if content_type.startswith("image/"):
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def detect_content_type(raw: bytes) -> str | None:
    """The type that the magic bytes at the start of ``raw`` announce (None if unknown)."""
    if raw.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if raw.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if raw[:4] == b"RIFF" and raw[8:12] == b"WEBP":
        return "image/webp"
    if raw.startswith(b"%PDF-"):
        return "application/pdf"
    if raw.startswith(b"PK\x03\x04"):
        return "application/zip"
    return None


def _check_image(raw: bytes, content_type: str) -> None:
    from PIL import Image

    configure_pillow()
    broken = UploadRejected(_("The image is damaged or incomplete."), "damaged")
    limit = max_pixels()
    too_big = UploadRejected(
        _(
            "The image is too large: at most %(n)s megapixels.",
            n=_megapixels(limit),
        ),
        "too_many_pixels",
    )
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check (Image.MAX_IMAGE_PIXELS) fires in ``open``: a refusal too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as image:  # reads the header, decodes nothing
                if image.format != _PILLOW_FORMATS[content_type]:
                    raise broken
                width, height = image.size
                if width * height > limit:
                    raise too_big
                image.verify()
            with decoding_image(), Image.open(io.BytesIO(raw)) as image:
                image.load()  # verify() does not decode; a truncated image fails only here
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except Exception:  # Pillow raises many types for a broken file
        raise broken from None
    end = _image_end(raw, content_type)
    if end is None:
        raise broken
    if raw[end:].strip(b"\x00\r\n\t ") or _FOREIGN_MARKERS.search(raw):
        raise UploadRejected(_("The file contains something other than an image."), "polyglot")


def _image_end(raw: bytes, content_type: str) -> int | None:
    """Where the image's own data ends: anything after it is smuggled in."""
    if content_type == "image/png":
        pos = 8
        while pos + 12 <= len(raw):  # length, type, data, CRC
            length = int.from_bytes(raw[pos : pos + 4], "big")
            chunk_type, pos = raw[pos + 4 : pos + 8], pos + 12 + length
            if chunk_type == b"IEND":
                return pos
        return None
    if content_type == "image/webp":
        return int.from_bytes(raw[4:8], "little") + 8
    return _jpeg_end(raw)


def _jpeg_end(raw: bytes) -> int | None:
    """Walk the JPEG segments (skipping their lengths, so embedded thumbnails do not count)."""
    pos, size = 2, len(raw)
    while pos + 2 <= size:
        if raw[pos] != 0xFF:
            return None
        marker = raw[pos + 1]
        if marker == 0xD9:
            return pos + 2
        if marker == 0xFF:
            pos += 1
            continue
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 2
            continue
        length = int.from_bytes(raw[pos + 2 : pos + 4], "big")
        pos += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next real marker
            while pos + 1 < size:
                if raw[pos] == 0xFF and raw[pos + 1] != 0 and not 0xD0 <= raw[pos + 1] <= 0xD7:
                    break
                pos += 1
    return None


def _check_pdf(raw: bytes) -> None:
    from pypdf import PdfReader

    broken = UploadRejected(_("The PDF is damaged or incomplete."), "damaged")
    if not raw.rstrip().endswith(b"%%EOF"):
        raise broken
    if _HTML_MARKERS.search(raw):
        raise _active_content("markup")
    try:
        # Lenient parsing: scanners often write slightly wrong cross-reference tables, which
        # readers repair; what matters is that the structure parses to real pages.
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted:
            raise UploadRejected(
                _("The PDF is protected by a password; send it without protection."), "encrypted"
            )
        if len(reader.pages) == 0:
            raise broken
        root = reader.trailer["/Root"].get_object()
        active = _pdf_active_content(root)
    except UploadRejected:
        raise
    except Exception:  # pypdf raises many types on hostile files: never a server error
        raise broken from None
    if active:
        raise _active_content(active)


def _active_content(kind: str) -> UploadRejected:
    messages = {
        "script": _("The PDF contains scripts; send a plain document."),
        "form": _("The PDF contains a fillable form; print it to PDF and send that copy."),
        "attachment": _("The PDF contains attached files; send a plain document."),
        "action": _("The PDF contains actions that open or send something; send a plain document."),
        "markup": _("The PDF contains web page code; send a plain document."),
    }
    return UploadRejected(messages[kind], "active_content")


def _pdf_active_content(root: object) -> str | None:
    """The kind of active content (script, form, action, attachment) anywhere in the document."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen: set[int] = set()
    stack: list[object] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if node.idnum in seen:
                continue
            seen.add(node.idnum)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            for name, value in node.items():
                if name in _PDF_ACTIVE:
                    return _PDF_ACTIVE[name]
                if isinstance(value, NameObject) and value in _PDF_ACTIVE:
                    return _PDF_ACTIVE[value]
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return None


def _check_zip(raw: bytes) -> None:
    """A ZIP archive whose directory reads and whose first entry starts the file: nothing
    smuggled before it. What the members may be (names, types, sizes) is the caller's rule;
    nothing here decompresses them."""
    import zipfile

    broken = UploadRejected(_("The archive is damaged or incomplete."), "damaged")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise broken from None
    if not members or min(m.header_offset for m in members) != 0:
        raise broken


def _upload_root() -> Path:
    return Path(current_app.instance_path) / "uploads"


def _path(key: str) -> Path:
    if not _KEY.match(key or ""):
        raise ValueError(f"not an upload key: {key!r}")
    return _upload_root() / key


def _write_once(path: Path, raw: bytes) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside then renamed, so a reader never sees half a file.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(raw)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _clean_name(name: str | None, content_type: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    base = re.sub(r"[\x00-\x1f\x7f]", "", base)[:150]
    return base or f"document.{EXTENSIONS[content_type]}"


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:g}"


def _names(allowed: Collection[str]) -> str:
    labels = {"image/webp": "WebP", "application/pdf": "PDF", "application/zip": "ZIP"}
    return ", ".join(labels.get(t, t.split("/")[-1].upper()) for t in allowed)


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return _("%(n)s MB", n=round(size / (1024 * 1024), 1))
    return _("%(n)s KB", n=max(1, size // 1024))
