"""Arranging ads that can be served, for the delivery tests (helper dv): a placement of the
publisher's, an approved campaign of the advertiser's and its creative, files stored."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ent_plugins.ads.models import AdPlacement, Campaign, Creative

from ent_core import sdk
from ent_core.testing import sample_image

#: A browser's user agent (the decision endpoint serves robots nothing).
BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
HEADERS = {"User-Agent": BROWSER}


def placement(
    workspace: Any,
    code: str = "publishing.article.aside",
    public_id: str = "pl-matin-aside",
    sizes: tuple[str, ...] = ("300x250",),
) -> AdPlacement:
    with sdk.in_workspace(workspace):
        row = AdPlacement(
            code=code,
            name="Article aside",
            public_id=public_id,
            sizes=list(sizes),
            formats=list(sdk.AD_FORMATS),
            workspace_id=workspace.id,
        )
        sdk.db.session.add(row)
        sdk.db.session.commit()
    return row


def store_bundle(app: Any, files: dict[str, str]) -> tuple[str, str]:
    """An HTML5 zip bundle stored where ``sdk.open_upload`` reads (docs/sdk.md, "Uploads":
    ``uploads/<aa>/<sha256>.<ext>`` under the instance folder); the ads module's upload
    checks (helper cs) store them the same way."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for name, text in files.items():
            bundle.writestr(name, text)
    raw = buffer.getvalue()
    digest = hashlib.sha256(raw).hexdigest()
    key = f"{digest[:2]}/{digest}.zip"
    path = Path(app.instance_path) / "uploads" / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return key, digest


def campaign(
    advertiser: Any,
    *,
    fmt: str = "image",
    size: str | None = "300x250",
    pricing: str = "cpm",
    rate: str = "40.00",
    click_url: str = "https://atlas-telecom.ma/offre",
    file_token: str | None = None,
    digest: str = "",
    entry: str = "",
) -> tuple[Campaign, Creative]:
    now = sdk.utcnow()
    if fmt == "image" and file_token is None:
        stored = sdk.store_upload(sample_image("PNG", (300, 250)), allowed=("image/png",))
        file_token, digest = stored.key, stored.sha256
    with sdk.in_workspace(advertiser):
        row = Campaign(
            name="Fibre 1 Gb",
            status="approved",
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=30),
            pricing=pricing,
            rate=Decimal(rate),
            budget=Decimal("100000.00"),
            billing="monthly",
            landing_url=click_url,
            workspace_id=advertiser.id,
        )
        sdk.db.session.add(row)
        sdk.db.session.flush()
        creative = Creative(
            campaign_id=row.id,
            name="Pavé",
            format=fmt,
            size=size,
            file_token=file_token,
            file_type="image/png" if fmt == "image" else "application/zip",
            entry=entry,
            headline="La fibre à Casablanca",
            body="1 Gb/s dès 299 DH",
            alt_text="Atlas Télécom: la fibre",
            click_url=click_url,
            content_sha256=digest,
            status="approved",
            workspace_id=advertiser.id,
        )
        sdk.db.session.add(creative)
        sdk.db.session.commit()
    return row, creative
