"""Creatives are checked by content before anything is stored: pictures of the exact size
(or twice it), HTML5 bundles that stay inside themselves, text ads within their lengths."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from ent_plugins.ads.creatives import declared_size
from ent_plugins.ads.tests.conftest import (
    CAMPAIGNS,
    bundle,
    new_campaign,
    png,
    upload_creative,
)
from hypothesis import given
from hypothesis import strategies as st

pytestmark = pytest.mark.frozen_clock


def _refusal(resp: Any) -> tuple[str, str]:
    assert resp.status_code == 422, resp.json
    error = resp.json["error"]
    return error["details"]["reason"], error["message"]


@pytest.fixture
def campaign(advertiser_api: Any) -> dict[str, Any]:
    return new_campaign(advertiser_api)


def test_an_image_of_the_size_or_twice_it_is_accepted(advertiser_api: Any, campaign: Any) -> None:
    for width, height in ((300, 250), (600, 500)):
        resp = upload_creative(advertiser_api, campaign["id"], file=(png(width, height), "a.png"))
        assert resp.status_code == 201, resp.json


def test_an_image_of_other_dimensions_is_refused_saying_which(
    advertiser_api: Any, campaign: Any
) -> None:
    resp = upload_creative(advertiser_api, campaign["id"], file=(png(320, 250), "a.png"))
    reason, message = _refusal(resp)
    assert reason == "wrong_dimensions"
    assert "320x250" in message and "300x250" in message and "600x500" in message


def test_a_png_renamed_jpg_is_refused(advertiser_api: Any, campaign: Any) -> None:
    resp = upload_creative(advertiser_api, campaign["id"], file=(png(300, 250), "atlas.jpg"))
    reason, message = _refusal(resp)
    assert reason == "name_mismatch"
    assert ".jpg" in message and ".png" in message


def test_something_that_is_not_an_image_is_refused(advertiser_api: Any, campaign: Any) -> None:
    resp = upload_creative(advertiser_api, campaign["id"], file=(b"<svg onload=x>", "a.png"))
    assert _refusal(resp)[0] == "type_not_allowed"


def test_an_image_needs_its_alternative_text(advertiser_api: Any, campaign: Any) -> None:
    resp = upload_creative(advertiser_api, campaign["id"], alt_text="")
    assert resp.status_code == 422
    assert "alt_text" in resp.json["error"]["details"]["fields"]


def _html5(api: Any, campaign: Any, content: bytes, size: str = "300x250") -> Any:
    return upload_creative(api, campaign["id"], format="html5", size=size, file=(content, "ad.zip"))


def test_a_bundle_with_index_and_its_declared_size_is_accepted(
    advertiser_api: Any, campaign: Any
) -> None:
    resp = _html5(advertiser_api, campaign, bundle({"img/logo.png": png(10, 10)}))
    assert resp.status_code == 201, resp.json
    assert resp.json["format"] == "html5"


def _zip(entries: list[tuple[zipfile.ZipInfo | str, bytes | str]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info, content in entries:
            archive.writestr(info, content)
    return buffer.getvalue()


INDEX = '<meta name="ad.size" content="width=300,height=250">'


@pytest.mark.parametrize(
    ("entries", "reason"),
    [
        ([("index.html", INDEX), ("../evil.js", "x")], "unsafe_path"),
        ([("index.html", INDEX), ("js/../../evil.js", "x")], "unsafe_path"),
        ([("index.html", INDEX), ("/etc/evil.js", "x")], "unsafe_path"),
        ([("index.html", INDEX), ("run.exe", "MZ")], "type_not_allowed"),
        ([("index.html", INDEX), ("logo.svg", "<svg/>")], "type_not_allowed"),
        ([("main.html", INDEX)], "no_index"),
        ([("index.html", "<p>no size</p>")], "no_size"),
        ([("index.html", INDEX.replace("250", "90"))], "wrong_size"),
    ],
)
def test_unsafe_or_wrong_bundles_are_refused(
    advertiser_api: Any, campaign: Any, entries: Any, reason: str
) -> None:
    assert _refusal(_html5(advertiser_api, campaign, _zip(entries)))[0] == reason


def test_a_bundle_with_a_symbolic_link_is_refused(advertiser_api: Any, campaign: Any) -> None:
    link = zipfile.ZipInfo("secret.js")
    link.external_attr = 0o120777 << 16
    resp = _html5(advertiser_api, campaign, _zip([("index.html", INDEX), (link, "/etc/passwd")]))
    assert _refusal(resp)[0] == "symlink"


def test_a_bundle_of_too_many_files_is_refused(advertiser_api: Any, campaign: Any) -> None:
    files = {f"f{n}.js": "1" for n in range(101)}
    reason, message = _refusal(_html5(advertiser_api, campaign, bundle(files)))
    assert reason == "too_many_files"
    assert "100" in message


def test_a_bundle_that_unpacks_too_big_is_refused(advertiser_api: Any, campaign: Any) -> None:
    # Zeros compress a thousandfold: a small upload, a large unpacked size (a zip bomb's trick).
    resp = _html5(advertiser_api, campaign, bundle({"data.json": "0" * (6 * 1024 * 1024)}))
    assert _refusal(resp)[0] == "too_large_unpacked"


def test_a_bundle_for_another_size_is_refused(advertiser_api: Any, campaign: Any) -> None:
    resp = _html5(advertiser_api, campaign, bundle(size="728x90"), size="300x250")
    reason, message = _refusal(resp)
    assert reason == "wrong_size"
    assert "728x90" in message


@given(st.integers(1, 2000), st.integers(1, 2000), st.sampled_from(['"', "'"]))
def test_the_declared_size_is_read_however_it_is_quoted(width: int, height: int, q: str) -> None:
    page = f"<meta content={q}width={width}, height={height}{q} name={q}ad.size{q}>".encode()
    assert declared_size(page) == f"{width}x{height}"


def test_text_ads_keep_to_their_lengths(advertiser_api: Any, campaign: Any) -> None:
    too_long = upload_creative(
        advertiser_api, campaign["id"], format="native", headline="x" * 91, body="Fibre"
    )
    assert too_long.status_code == 422
    assert "headline" in too_long.json["error"]["details"]["fields"]
    ok = upload_creative(
        advertiser_api,
        campaign["id"],
        format="native",
        headline="La fibre à Casablanca",
        body="Jusqu'à 1 Gb/s.",
    )
    assert ok.status_code == 201, ok.json
    assert ok.json["size"] is None


def test_changing_an_approved_creative_sends_it_back_to_moderation(
    advertiser_client: Any, advertiser_api: Any, moderator_api: Any, campaign: Any
) -> None:
    creative = upload_creative(advertiser_api, campaign["id"]).json
    advertiser_api.post(f"{CAMPAIGNS}/{campaign['id']}/transitions", json={"transition": "submit"})
    moderator_api.post(f"{CAMPAIGNS}/{campaign['id']}/transitions", json={"transition": "approve"})
    page = f"/w/atlas-telecom/ads/campaigns/{campaign['id']}/creatives/{creative['id']}/edit"
    resp = advertiser_client.post(
        page,
        data={"file": (io.BytesIO(png(600, 500)), "retina.png"), "alt_text": "Atlas"},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 303, resp.data
    after = advertiser_api.get(f"{CAMPAIGNS}/{campaign['id']}/creatives/{creative['id']}").json
    assert after["status"] == "pending"
    assert after["content_sha256"] != creative["content_sha256"]


def test_a_pending_creative_may_be_deleted_an_approved_one_not(
    advertiser_api: Any, moderator_api: Any, campaign: Any
) -> None:
    first = upload_creative(advertiser_api, campaign["id"]).json
    second = upload_creative(advertiser_api, campaign["id"]).json
    url = f"{CAMPAIGNS}/{campaign['id']}/creatives"
    assert advertiser_api.delete(f"{url}/{first['id']}").status_code == 204
    advertiser_api.post(f"{CAMPAIGNS}/{campaign['id']}/transitions", json={"transition": "submit"})
    moderator_api.post(f"{CAMPAIGNS}/{campaign['id']}/transitions", json={"transition": "approve"})
    resp = advertiser_api.delete(f"{url}/{second['id']}")
    assert resp.status_code == 409
    assert resp.json["error"]["code"] == "invalid_transition"


def test_the_upload_form_reshows_with_the_refusal(advertiser_client: Any, campaign: Any) -> None:
    page = f"/w/atlas-telecom/ads/campaigns/{campaign['id']}/creatives/new"
    assert advertiser_client.get(page).status_code == 200
    resp = advertiser_client.post(
        page,
        data={
            "format": "image",
            "size": "300x250",
            "alt_text": "Atlas",
            "file": (io.BytesIO(png(100, 100)), "small.png"),
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    assert "100x100" in resp.get_data(as_text=True)


_SEGMENT = st.text(alphabet="abcXYZ019_-.", min_size=1, max_size=8)


@given(st.lists(_SEGMENT, min_size=1, max_size=4), st.integers(0, 3))
def test_no_member_name_with_a_parent_step_is_admitted(parts: list[str], at: int) -> None:
    """Whatever surrounds it, a ``..`` step in a member's path is refused."""
    from ent_plugins.ads.creatives import CreativeRejected, _check_member

    parts = [*parts]
    parts.insert(min(at, len(parts)), "..")
    info = zipfile.ZipInfo("/".join(parts) + "/ad.js")
    with pytest.raises(CreativeRejected) as refused:
        _check_member(info)
    assert refused.value.details["reason"] == "unsafe_path"
