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


# -- decision engine (helper de) --
@pytest.fixture(autouse=True)
def _fresh_delivery_state(app: Any) -> Any:
    """Each test starts with no delivery index and no caps counters in the process: the
    database is emptied between tests and its ids come back, so a campaign of an earlier
    test must not lend its counters or its snapshot to the next one."""
    from ent_plugins.ads.caps import reset

    reset(app)
    yield
    reset(app)


def live_placement(publisher: Any, code: str = "publishing.article.aside", **fields: Any) -> Any:
    """An active placement of ``publisher`` in the network (300x250, image and native by
    default; ``fields`` override any column), the delivery index told."""
    import secrets

    from ent_plugins.ads import index
    from ent_plugins.ads.models import AdPlacement

    values = {
        "kind": "slot",
        "name": code,
        "public_id": secrets.token_hex(8),
        "sizes": ["300x250"],
        "formats": ["image", "native"],
        **fields,
    }
    with sdk.all_workspaces():
        placement = AdPlacement(workspace_id=publisher.id, code=code, **values)
        sdk.db.session.add(placement)
        sdk.db.session.commit()
    index.invalidate()
    return placement


def live_campaign(
    advertiser: Any,
    name: str = "Fibre 1 Gb",
    *,
    creatives: tuple[tuple[str, str | None], ...] = (("image", "300x250"),),
    creative_status: str = "approved",
    **fields: Any,
) -> Any:
    """A campaign of ``advertiser`` that may be served now: approved, prepaid and paid, from
    yesterday for a month, CPM at 40 MAD with a 10,000 MAD budget, with one approved
    creative per ``(format, size)`` of ``creatives``; ``fields`` override any column."""
    from datetime import timedelta
    from decimal import Decimal

    from ent_plugins.ads import index
    from ent_plugins.ads.models import Campaign, Creative

    now = sdk.utcnow()
    values = {
        "status": "approved",
        "priority": "standard",
        "weight": 10,
        "category": "technology",
        "starts_at": now - timedelta(days=1),
        "ends_at": now + timedelta(days=30),
        "pricing": "cpm",
        "rate": Decimal("40.00"),
        "budget": Decimal("10000.00"),
        "pacing": "asap",
        "billing": "prepaid",
        "paid_at": now - timedelta(days=1),
        "landing_url": "https://atlas-telecom.example/fibre",
        **fields,
    }
    with sdk.all_workspaces():
        campaign = Campaign(workspace_id=advertiser.id, name=name, **values)
        for n, (fmt, size) in enumerate(creatives):
            campaign.creatives.append(
                Creative(
                    workspace_id=advertiser.id,
                    name=f"{name} {n + 1}",
                    format=fmt,
                    size=size,
                    headline=f"{name}: the fastest fibre" if fmt == "native" else "",
                    alt_text=name,
                    click_url="",
                    file_token=None if fmt == "native" else f"token-{n}",
                    status=creative_status,
                )
            )
        sdk.db.session.add(campaign)
        sdk.db.session.commit()
    index.invalidate()
    return campaign


# -- end of decision engine --

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
