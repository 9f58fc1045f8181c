"""Uploads are judged by their bytes, never by their name (ent_core.sdk.store_upload)."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image
from werkzeug.datastructures import FileStorage

from ent_core import sdk

IMAGES_ONLY = ("image/png", "image/jpeg", "image/webp")


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(out, fmt)
    return out.getvalue()


def pdf_bytes(text: str = "Récépissé de dépôt") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text.encode("latin-1", "replace").decode("latin-1"))
    return bytes(pdf.output())


def png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data).to_bytes(4, "big")
    return len(data).to_bytes(4, "big") + kind + data + crc


def rejected(app_ctx, data, **kwargs) -> sdk.UploadRejected:
    """The refusal, with its message in English (the messages are translated)."""
    with app_ctx.test_request_context("/?lang=en"), pytest.raises(sdk.UploadRejected) as info:
        sdk.store_upload(data, **kwargs)
    assert info.value.code == "upload_rejected"
    assert info.value.message
    return info.value


@pytest.mark.parametrize(
    ("fmt", "content_type", "ext"),
    [("PNG", "image/png", "png"), ("JPEG", "image/jpeg", "jpg"), ("WEBP", "image/webp", "webp")],
)
def test_images_are_stored_content_addressed(app_ctx, fmt, content_type, ext) -> None:
    data = image_bytes(fmt)

    stored = sdk.store_upload(data, original_name="photo")

    assert stored.content_type == content_type
    assert stored.size == len(data)
    assert stored.key == f"{stored.sha256[:2]}/{stored.sha256}.{ext}"
    assert (Path(app_ctx.instance_path) / "uploads" / stored.key).read_bytes() == data
    with sdk.open_upload(stored.key) as fh:
        assert fh.read() == data


def test_the_same_content_is_stored_once(app_ctx) -> None:
    data = pdf_bytes()

    first = sdk.store_upload(data, original_name="a.pdf")
    second = sdk.store_upload(data, original_name="b.pdf")

    assert first.key == second.key
    assert (first.original_name, second.original_name) == ("a.pdf", "b.pdf")


def test_a_form_file_keeps_its_name_without_folders(app_ctx) -> None:
    upload = FileStorage(io.BytesIO(pdf_bytes()), filename="../../etc/statuts.pdf")

    stored = sdk.store_upload(upload)

    assert stored.content_type == "application/pdf"
    assert stored.original_name == "statuts.pdf"


def test_a_png_renamed_pdf_is_a_png(app_ctx) -> None:
    data = image_bytes("PNG")

    assert sdk.store_upload(data, original_name="ice.pdf").content_type == "image/png"
    error = rejected(app_ctx, data, allowed=("application/pdf",), original_name="ice.pdf")
    assert error.reason == "type_not_allowed"
    assert "PDF" in error.message


def test_a_pdf_renamed_png_is_refused_where_only_images_go(app_ctx) -> None:
    upload = FileStorage(io.BytesIO(pdf_bytes()), filename="logo.png", content_type="image/png")

    error = rejected(app_ctx, upload, allowed=IMAGES_ONLY)

    assert error.reason == "type_not_allowed"
    assert "not accepted" in error.message


def test_html_renamed_jpg_is_refused(app_ctx) -> None:
    html = b"<!doctype html><html><script>alert(document.cookie)</script></html>"

    error = rejected(app_ctx, FileStorage(io.BytesIO(html), filename="photo.jpg"))

    assert error.reason == "type_not_allowed"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_truncated_image_is_refused(app_ctx, fmt) -> None:
    data = image_bytes(fmt, (300, 300))

    error = rejected(app_ctx, data[: len(data) // 2])

    assert error.reason == "damaged"
    assert "damaged or incomplete" in error.message


def test_a_pdf_with_a_repairable_cross_reference_table_is_accepted(app_ctx) -> None:
    import re

    data = re.sub(rb"startxref\s+\d+", b"startxref\n99", pdf_bytes())  # as some scanners write

    assert sdk.store_upload(data).content_type == "application/pdf"


def test_a_damaged_pdf_is_refused(app_ctx) -> None:
    data = pdf_bytes()

    assert rejected(app_ctx, data[: len(data) // 2]).reason == "damaged"
    assert rejected(app_ctx, b"%PDF-1.7\nnot really\n%%EOF").reason == "damaged"


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF", id="pdf-after-png"),
        pytest.param(b"PK\x03\x04" + b"\x00" * 26, id="zip-after-png"),
        pytest.param(b"<html><script>alert(1)</script></html>", id="html-after-png"),
    ],
)
def test_a_polyglot_png_is_refused(app_ctx, extra) -> None:
    error = rejected(app_ctx, image_bytes("PNG") + extra)

    assert error.reason == "polyglot"
    assert "something other than an image" in error.message


def test_markup_hidden_in_a_png_text_chunk_is_refused(app_ctx) -> None:
    data = image_bytes("PNG")
    hidden = png_chunk(b"tEXt", b"Comment\x00<script>fetch('/api/v1/me')</script>")
    polyglot = data[:33] + hidden + data[33:]  # after the IHDR chunk
    Image.open(io.BytesIO(polyglot)).verify()  # still a valid PNG for Pillow

    assert rejected(app_ctx, polyglot).reason == "polyglot"


def test_a_jpeg_with_a_zip_appended_is_refused(app_ctx) -> None:
    data = image_bytes("JPEG") + b"PK\x03\x04payload"

    assert rejected(app_ctx, data).reason == "polyglot"


def _pdf_with_javascript(writer) -> None:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    action = DictionaryObject()
    action[NameObject("/S")] = NameObject("/JavaScript")
    action[NameObject("/JS")] = TextStringObject("app.alert(1)")
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)


def _pdf_with_attachment(writer) -> None:
    writer.add_attachment("invoice.exe", b"MZ\x90\x00")


@pytest.mark.parametrize("alter", [_pdf_with_javascript, _pdf_with_attachment])
def test_a_pdf_with_scripts_or_attachments_is_refused(app_ctx, alter) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    alter(writer)
    out = io.BytesIO()
    writer.write(out)

    error = rejected(app_ctx, out.getvalue())

    assert error.reason == "active_content"


def test_too_big_is_refused_with_the_limit(app_ctx) -> None:
    data = image_bytes("PNG", (400, 400))

    error = rejected(app_ctx, FileStorage(io.BytesIO(data), filename="x.png"), max_bytes=1024)

    assert error.reason == "too_large"
    assert "1 KB" in error.message


def test_empty_is_refused(app_ctx) -> None:
    assert rejected(app_ctx, b"").reason == "empty"


def test_the_message_follows_the_language(app) -> None:
    with app.test_request_context("/?lang=fr"), pytest.raises(sdk.UploadRejected) as info:
        sdk.store_upload(b"hello")
    assert "accepté" in info.value.message


def test_send_upload_serves_the_checked_type_without_sniffing(app_ctx) -> None:
    stored = sdk.store_upload(image_bytes("PNG"), original_name="carte.png")

    with app_ctx.test_request_context("/"):
        response = sdk.send_upload(stored.key, download_name="carte.png")
        response.direct_passthrough = False

    assert response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.get_data() == image_bytes("PNG")


@pytest.mark.parametrize("key", ["../secret.png", "ab/../../ent.sqlite3", "ab/xyz.html", ""])
def test_keys_cannot_reach_outside_the_uploads(app_ctx, key) -> None:
    with pytest.raises(ValueError):
        sdk.open_upload(key)


def test_upload_rejected_is_an_api_error(app_ctx) -> None:
    error = rejected(app_ctx, b"plain text")

    assert isinstance(error, ValueError)
    assert error.response().status_code == 422
    assert error.response().get_json()["error"]["details"] == {"reason": "type_not_allowed"}


def test_a_password_protected_pdf_is_refused(app_ctx) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)

    assert rejected(app_ctx, out.getvalue()).reason == "encrypted"


def test_an_image_that_decodes_to_too_many_pixels_is_refused(app_ctx) -> None:
    out = io.BytesIO()
    Image.new("1", (9000, 5000)).save(out, "PNG")  # 45 megapixels in a few kilobytes

    error = rejected(app_ctx, out.getvalue())

    assert error.reason == "too_many_pixels"
