"""Fixtures of the ads plugin's tests (the platform's come from ``ent_core.testing``).

Two workspaces, each owned by its own person: the publication ``matin-tech`` (owned by ``user``,
the ``signed_in_client``; publishing and ads on) that offers placements, and the advertiser
``atlas-telecom`` (owned by ``advertiser_owner``; ads on) that buys campaigns. ``moderator``
is a platform administrator. Helpers are imported from ``ent_plugins.ads.tests.conftest``.
"""

from __future__ import annotations

from typing import Any

import pytest

from ent_core import sdk
from ent_core.testing import sign_in


@pytest.fixture
def publisher(make_workspace: Any) -> Any:
    """``matin-tech``: Le Matin Tech, an IT publication with publishing and ads on."""
    workspace = make_workspace(
        "matin-tech", name="Le Matin Tech", sectors=("it",), plugins=("publishing", "ads")
    )
    sdk.db.session.commit()
    return workspace


@pytest.fixture
def advertiser_owner(make_user: Any) -> Any:
    return make_user("pub@atlas-telecom.ma", name="Salma Bennani")


@pytest.fixture
def advertiser(make_workspace: Any, advertiser_owner: Any) -> Any:
    """``atlas-telecom``: a company that advertises, with ads on."""
    workspace = make_workspace(
        "atlas-telecom",
        owner=advertiser_owner,
        name="Atlas Télécom",
        kind="auto_entrepreneur",
        sectors=("it",),
        plugins=("ads",),
    )
    sdk.db.session.commit()
    return workspace


@pytest.fixture
def advertiser_client(app_ctx: Any, advertiser: Any, advertiser_owner: Any) -> Any:
    return sign_in(app_ctx.test_client(), advertiser_owner)


@pytest.fixture
def advertiser_api(make_api_client: Any, advertiser: Any, advertiser_owner: Any) -> Any:
    return make_api_client(advertiser_owner)


@pytest.fixture
def moderator(make_user: Any) -> Any:
    """A platform administrator, who moderates creatives and classified ads."""
    person = make_user("moderation@smartmedias.ma", name="Karim Idrissi", admin=True)
    return person


@pytest.fixture
def moderator_client(app_ctx: Any, moderator: Any) -> Any:
    return sign_in(app_ctx.test_client(), moderator)


# -- campaigns, creatives, moderation (helper cs) --
CAMPAIGNS = "/api/v1/workspaces/atlas-telecom/ads/campaigns"


def campaign_fields(**changes: Any) -> dict[str, Any]:
    """A valid campaign for the API, on the frozen clock (mid-June 2026), with ``changes``."""
    fields: dict[str, Any] = {
        "name": "Fibre Atlas",
        "landing_url": "https://atlas-telecom.ma/fibre",
        "category": "technology",
        "starts_at": "2026-06-16T00:00:00",
        "ends_at": "2026-06-30T00:00:00",
        "pricing": "cpm",
        "budget": {"amount": "400.00", "currency": "MAD"},
    }
    fields.update(changes)
    return fields


def png(width: int, height: int) -> bytes:
    """A real PNG of that size (content checks open it with Pillow)."""
    from ent_core.testing import sample_image

    return sample_image("PNG", (width, height))


def bundle(files: dict[str, bytes | str] | None = None, size: str = "300x250") -> bytes:
    """A zipped HTML5 creative: ``index.html`` declaring ``size``, plus ``files``."""
    import io
    import zipfile

    width, height = size.split("x")
    page = (
        f'<!doctype html><html><head><meta name="ad.size" content="width={width},'
        f'height={height}"></head><body><a href="#">Atlas</a><script src="ad.js"></script>'
        "</body></html>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", page)
        archive.writestr("ad.js", "document.body.dataset.ready = 1;")
        for name, content in (files or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def upload_creative(api: Any, campaign_id: int, **fields: Any) -> Any:
    """Upload through the API (multipart); ``file=(bytes, name)`` for a file."""
    import io

    data: dict[str, Any] = {"format": "image", "size": "300x250", "alt_text": "Atlas"}
    data.update(fields)
    if "file" in data and isinstance(data["file"], tuple):
        content, name = data["file"]
        data["file"] = (io.BytesIO(content), name)
    elif data["format"] == "image" and "file" not in data:
        data["file"] = (io.BytesIO(png(300, 250)), "atlas.png")
    return api.post(
        f"{CAMPAIGNS}/{campaign_id}/creatives", data=data, content_type="multipart/form-data"
    )


def new_campaign(api: Any, **changes: Any) -> dict[str, Any]:
    resp = api.post(CAMPAIGNS, json=campaign_fields(**changes))
    assert resp.status_code == 201, resp.json
    return resp.json  # type: ignore[no-any-return]


def submitted_campaign(api: Any, **changes: Any) -> dict[str, Any]:
    """A campaign with one image creative, submitted: awaiting a moderator."""
    campaign = new_campaign(api, **changes)
    assert upload_creative(api, campaign["id"]).status_code == 201
    resp = api.post(f"{CAMPAIGNS}/{campaign['id']}/transitions", json={"transition": "submit"})
    assert resp.status_code == 200, resp.json
    return resp.json  # type: ignore[no-any-return]


@pytest.fixture
def moderator_api(make_api_client: Any, moderator: Any) -> Any:
    return make_api_client(moderator)


# -- end of campaigns, creatives, moderation --
