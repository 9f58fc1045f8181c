"""Creatives: checking what an advertiser uploads, by content, before anything is stored.

Images are checked by the core (magic bytes, Pillow, no polyglot) and then measured: the size
must be the IAB size chosen, or exactly twice it for high-density screens. HTML5 bundles are
ZIP archives read with the standard library before they are stored: an ``index.html``, safe
member names, allowed types only, bounded count and size once unpacked, and the size declared
in ``<meta name="ad.size">``. Delivery serves the stored files; this module only admits them.
"""

from __future__ import annotations

import io
import posixpath
import re
import stat
import zipfile
from dataclasses import dataclass
from typing import Any

from ent_plugins.ads import index
from ent_plugins.ads.campaigns import check_url
from ent_plugins.ads.models import Campaign, Creative

from ent_core import sdk

_ = sdk._
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")
#: What a file's name may end with for each type the content shows (a PNG named .jpg is
#: refused: the name is what the advertiser will see in reports and mails).
IMAGE_EXTENSIONS = {
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/webp": (".webp",),
}
MAX_IMAGE_BYTES = 2 * 1024 * 1024
#: An HTML5 bundle: the IAB's guideline for a display ad's initial load is a few hundred KB;
#: 1 MB zipped, 5 MB unpacked and 100 files leave room for fonts and sprites while keeping a
#: zip bomb (a small archive that unpacks to gigabytes) or a site copied whole out.
MAX_BUNDLE_BYTES = 1024 * 1024
MAX_BUNDLE_UNPACKED = 5 * 1024 * 1024
MAX_BUNDLE_MEMBERS = 100
#: What a bundle may hold: pages, scripts, styles, pictures, fonts, data. No executables, no
#: SVG (scripts inside an image), no nested archives, no HTML besides the pages themselves.
BUNDLE_EXTENSIONS = frozenset(
    {
        ".html",
        ".htm",
        ".js",
        ".css",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".woff",
        ".woff2",
        ".json",
        ".txt",
    }
)
ENTRY = "index.html"
_META_SIZE = re.compile(rb"<meta\s+[^>]*name\s*=\s*[\"']ad\.size[\"'][^>]*>", re.IGNORECASE)
_CONTENT = re.compile(rb"content\s*=\s*[\"']([^\"']*)[\"']", re.IGNORECASE)
_DIMENSION = re.compile(r"(width|height)\s*=\s*(\d+)")
HEADLINE_MAX = 90
BODY_MAX = 300


class CreativeRejected(sdk.UserError):
    """An upload or a text that cannot be a creative; blames the form field at fault."""

    def __init__(self, message: str, field: str = "file", reason: str = "invalid") -> None:
        super().__init__("creative_rejected", message, 422, field=field, details={"reason": reason})


@dataclass(frozen=True)
class Admitted:
    """What passed every check, not stored yet."""

    checked: Any
    file_type: str
    entry: str


def _dimensions(size: str) -> tuple[int, int]:
    width, height = size.split("x")
    return int(width), int(height)


def check_image(data: Any, size: str, *, name: str | None = None) -> Admitted:
    """A picture of exactly ``size``, or twice it (high-density screens)."""
    try:
        checked = sdk.check_upload(
            data, allowed=IMAGE_TYPES, max_bytes=MAX_IMAGE_BYTES, original_name=name
        )
    except sdk.UploadRejected as exc:
        raise CreativeRejected(exc.message, reason=exc.reason) from None
    extension = posixpath.splitext(checked.original_name.lower())[1]
    expected = IMAGE_EXTENSIONS[checked.content_type]
    if extension and extension not in expected:
        raise CreativeRejected(
            _(
                "The file is a %(kind)s image but its name ends in %(ext)s: rename it %(good)s.",
                kind=checked.content_type.split("/")[1].upper(),
                ext=extension,
                good=expected[0],
            ),
            reason="name_mismatch",
        )
    from PIL import Image

    with sdk.decoding_image(), Image.open(io.BytesIO(checked.raw)) as image:
        width, height = image.size
    want_w, want_h = _dimensions(size)
    if (width, height) not in ((want_w, want_h), (2 * want_w, 2 * want_h)):
        raise CreativeRejected(
            _(
                "The image is %(w)sx%(h)s pixels; a %(size)s creative must be %(w1)sx%(h1)s "
                "(or %(w2)sx%(h2)s for high-density screens).",
                w=width,
                h=height,
                size=size,
                w1=want_w,
                h1=want_h,
                w2=2 * want_w,
                h2=2 * want_h,
            ),
            reason="wrong_dimensions",
        )
    return Admitted(checked, checked.content_type, "")


def check_bundle(data: Any, size: str, *, name: str | None = None) -> Admitted:
    """An HTML5 bundle: see the module's docstring and docs/ads.md for the rules."""
    try:
        checked = sdk.check_upload(
            data, allowed=("application/zip",), max_bytes=MAX_BUNDLE_BYTES, original_name=name
        )
    except sdk.UploadRejected as exc:
        raise CreativeRejected(exc.message, reason=exc.reason) from None
    with zipfile.ZipFile(io.BytesIO(checked.raw)) as archive:
        members = archive.infolist()
        if len(members) > MAX_BUNDLE_MEMBERS:
            raise CreativeRejected(
                _(
                    "The bundle holds %(n)s files; at most %(max)s.",
                    n=len(members),
                    max=MAX_BUNDLE_MEMBERS,
                ),
                reason="too_many_files",
            )
        total = 0
        names: set[str] = set()
        for member in members:
            _check_member(member)
            total += member.file_size
            if not member.is_dir():
                names.add(member.filename)
        if total > MAX_BUNDLE_UNPACKED:
            raise CreativeRejected(
                _(
                    "Unpacked, the bundle takes %(n)s MB; at most %(max)s MB.",
                    n=round(total / 1024 / 1024, 1),
                    max=MAX_BUNDLE_UNPACKED // 1024 // 1024,
                ),
                reason="too_large_unpacked",
            )
        if ENTRY not in names:
            raise CreativeRejected(
                _("The bundle needs an index.html file at its top level."), reason="no_index"
            )
        try:
            page = archive.read(ENTRY)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError):
            raise CreativeRejected(
                _("The archive is damaged or incomplete."), reason="damaged"
            ) from None
    declared = declared_size(page)
    if declared is None:
        raise CreativeRejected(
            _(
                'index.html must declare its size: <meta name="ad.size" '
                'content="width=%(w)s,height=%(h)s">.',
                w=_dimensions(size)[0],
                h=_dimensions(size)[1],
            ),
            reason="no_size",
        )
    if declared != size:
        raise CreativeRejected(
            _(
                "index.html declares %(declared)s but the creative is %(size)s.",
                declared=declared,
                size=size,
            ),
            reason="wrong_size",
        )
    return Admitted(checked, "application/zip", ENTRY)


def _check_member(member: zipfile.ZipInfo) -> None:
    """A name that stays inside the bundle, a plain file of an allowed type."""
    name = member.filename
    unsafe = _("The bundle holds an unsafe file name: %(name)s.", name=name)
    if (
        name.startswith(("/", "\\"))
        or "\\" in name
        or re.match(r"^[A-Za-z]:", name)
        or any(part in ("..", "") for part in name.rstrip("/").split("/"))
        or "\x00" in name
    ):
        raise CreativeRejected(unsafe, reason="unsafe_path")
    mode = member.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise CreativeRejected(
            _("The bundle holds a symbolic link: %(name)s.", name=name), reason="symlink"
        )
    if member.is_dir():
        return
    if member.flag_bits & 0x1:
        raise CreativeRejected(
            _("The bundle holds an encrypted file: %(name)s.", name=name), reason="encrypted"
        )
    extension = posixpath.splitext(name.lower())[1]
    if extension not in BUNDLE_EXTENSIONS:
        raise CreativeRejected(
            _("Files of this type are not allowed in a bundle: %(name)s.", name=name),
            reason="type_not_allowed",
        )


def declared_size(page: bytes) -> str | None:
    """``"300x250"`` from ``<meta name="ad.size" content="width=300,height=250">``."""
    meta = _META_SIZE.search(page)
    if meta is None:
        return None
    content = _CONTENT.search(meta.group(0))
    if content is None:
        return None
    values = dict(_DIMENSION.findall(content.group(1).decode("ascii", "replace")))
    if "width" not in values or "height" not in values:
        return None
    return f"{int(values['width'])}x{int(values['height'])}"


def check_native(headline: str, body: str) -> tuple[str, str]:
    headline, body = (headline or "").strip(), (body or "").strip()
    if not headline:
        raise CreativeRejected(_("A text ad needs a headline."), field="headline")
    if len(headline) > HEADLINE_MAX:
        raise CreativeRejected(
            _("At most %(n)s characters.", n=HEADLINE_MAX), field="headline", reason="too_long"
        )
    if len(body) > BODY_MAX:
        raise CreativeRejected(
            _("At most %(n)s characters.", n=BODY_MAX), field="body", reason="too_long"
        )
    return headline, body


def check_native_image(data: Any, *, name: str | None = None) -> Admitted:
    """A text ad's optional picture: any reasonable size, checked by content."""
    try:
        checked = sdk.check_upload(
            data, allowed=IMAGE_TYPES, max_bytes=MAX_IMAGE_BYTES, original_name=name
        )
    except sdk.UploadRejected as exc:
        raise CreativeRejected(exc.message, field="image", reason=exc.reason) from None
    return Admitted(checked, checked.content_type, "")


def admit(
    fmt: str,
    *,
    size: str | None,
    upload: Any = None,
    upload_name: str | None = None,
    headline: str = "",
    body: str = "",
) -> tuple[Admitted | None, str, str]:
    """Check a creative's content by format; ``(file admitted or None, headline, body)``."""
    if fmt not in sdk.AD_FORMATS:
        raise CreativeRejected(_("Unknown format."), field="format")
    if fmt == "native":
        headline, body = check_native(headline, body)
        admitted = check_native_image(upload, name=upload_name) if _given(upload) else None
        return admitted, headline, body
    if size not in sdk.IAB_SIZES:
        raise CreativeRejected(_("Choose one of the sizes offered."), field="size")
    if not _given(upload):
        raise CreativeRejected(_("Choose the file to upload."))
    check = check_image if fmt == "image" else check_bundle
    return check(upload, size, name=upload_name), headline.strip()[:90], body.strip()[:300]


def _given(upload: Any) -> bool:
    if upload is None:
        return False
    if isinstance(upload, bytes | bytearray):
        return bool(upload)
    return bool(getattr(upload, "filename", None))


def _store(admitted: Admitted | None) -> tuple[str | None, str, str, str]:
    if admitted is None:
        return None, "", "", ""
    stored = admitted.checked.store()
    return stored.key, admitted.file_type, admitted.entry, stored.sha256


def create(
    campaign: Campaign,
    *,
    name: str,
    fmt: str,
    size: str | None,
    click_url: str = "",
    alt_text: str = "",
    headline: str = "",
    body: str = "",
    upload: Any = None,
    upload_name: str | None = None,
    actor: Any = None,
) -> Creative:
    """Check, store and add a creative to a campaign that is not finished (caller commits)."""
    if campaign.status == "ended":
        raise sdk.UserError(
            "invalid_transition", _("The campaign has ended."), 409, details={"allowed": []}
        )
    if fmt == "native":
        size = None
    click = check_url(click_url, "click_url") if (click_url or "").strip() else campaign.landing_url
    if fmt == "image" and not (alt_text or "").strip():
        raise CreativeRejected(
            _("Describe the image for readers who cannot see it."), field="alt_text"
        )
    admitted, headline, body = admit(
        fmt, size=size, upload=upload, upload_name=upload_name, headline=headline, body=body
    )
    token, file_type, entry, digest = _store(admitted)
    if fmt == "native" and not digest:
        digest = sdk_sha256(f"{headline}\n{body}")
    creative = Creative(
        workspace_id=campaign.workspace_id,
        campaign_id=campaign.id,
        name=(name or "").strip()[:200] or headline or (upload_name or "")[:200] or fmt,
        format=fmt,
        size=size,
        file_token=token,
        file_type=file_type,
        entry=entry,
        headline=headline,
        body=body,
        alt_text=(alt_text or "").strip()[:200],
        click_url=click,
        content_sha256=digest,
        status="pending",
    )
    sdk.db.session.add(creative)
    sdk.db.session.flush()
    sdk.audit(
        "ads.creative.created",
        subject=f"creative:{creative.id}",
        details={"campaign": campaign.id, "format": fmt, "sha256": digest},
    )
    return creative


def sdk_sha256(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def replace_content(
    creative: Creative,
    *,
    upload: Any = None,
    upload_name: str | None = None,
    headline: str | None = None,
    body: str | None = None,
    alt_text: str | None = None,
    click_url: str | None = None,
) -> bool:
    """Change a creative's content; new bytes or words send it back to ``pending`` (a
    moderator's approval holds for the content it saw). Commits; ``True`` if it changed."""
    fmt = creative.format
    new_headline = creative.headline if headline is None else headline
    new_body = creative.body if body is None else body
    admitted: Admitted | None = None
    if fmt == "native":
        new_headline, new_body = check_native(new_headline, new_body)
        if _given(upload):
            admitted = check_native_image(upload, name=upload_name)
    elif _given(upload):
        admitted = (check_image if fmt == "image" else check_bundle)(
            upload, creative.size or "", name=upload_name
        )
    values: dict[str, Any] = {"headline": new_headline, "body": new_body}
    if alt_text is not None:
        values["alt_text"] = alt_text.strip()[:200]
    if click_url is not None:
        values["click_url"] = check_url(click_url, "click_url")
    if admitted is not None:
        token, file_type, entry, digest = _store(admitted)
        values.update(file_token=token, file_type=file_type, entry=entry, content_sha256=digest)
    elif fmt == "native" and not creative.file_token:
        values["content_sha256"] = sdk_sha256(f"{new_headline}\n{new_body}")
    content_changed = any(
        getattr(creative, k) != v
        for k, v in values.items()
        if k in ("content_sha256", "headline", "body", "click_url")
    )
    if not any(getattr(creative, k) != v for k, v in values.items()):
        return False
    was_serving = creative.status == "approved"
    if content_changed:
        values.update(status="pending", moderated_by_id=None, moderated_at=None)
    for key, value in values.items():
        setattr(creative, key, value)
    sdk.audit(
        "ads.creative.changed",
        subject=f"creative:{creative.id}",
        details={"sha256": creative.content_sha256, "pending": content_changed},
    )
    sdk.db.session.commit()
    if was_serving and content_changed:
        index.invalidate()
    return True


def moderate(creative: Creative, decision: str, *, actor: Any, reason: str = "") -> Creative:
    """A platform moderator approves or rejects one creative (guarded on its status)."""
    reason = (reason or "").strip()
    if decision == "reject" and not reason:
        raise sdk.UserError(
            "reason_required", _("Say why the creative is rejected."), 422, field="reason"
        )
    target = {"approve": "approved", "reject": "rejected"}[decision]
    table = Creative.__table__
    done = sdk.db.session.execute(
        table.update()
        .where(table.c.id == creative.id, table.c.status == "pending")
        .values(
            status=target,
            rejection_reason=reason[:2000] if decision == "reject" else "",
            moderated_by_id=getattr(actor, "id", None),
            moderated_at=sdk.utcnow(),
        )
    ).rowcount
    if done != 1:
        sdk.db.session.rollback()
        raise sdk.UserError(
            "invalid_transition",
            _("This creative is not awaiting approval."),
            409,
            details={"allowed": []},
        )
    sdk.audit(
        f"ads.creative.{decision}",
        subject=f"creative:{creative.id}",
        details={"reason": reason, "sha256": creative.content_sha256},
    )
    sdk.db.session.commit()
    sdk.db.session.refresh(creative)
    index.invalidate()
    return creative


def delete(creative: Creative) -> None:
    """Only a creative still awaiting approval (or rejected) goes away: one that ran is kept
    for the reports."""
    if creative.status == "approved":
        raise sdk.UserError(
            "invalid_transition",
            _("An approved creative is kept for the reports; pause it instead."),
            409,
            details={"allowed": []},
        )
    sdk.audit("ads.creative.deleted", subject=f"creative:{creative.id}")
    sdk.db.session.delete(creative)
    sdk.db.session.commit()
