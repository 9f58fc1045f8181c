"""Moderating classified ads: who reaches the queue, approvals and rejections, readers'
reports (signed in or not, limited) and their resolution, audited and mailed."""

from __future__ import annotations

from typing import Any

import pytest
from ent_plugins.ads.classified_moderation import REPORTS_PER_HOUR
from ent_plugins.ads.models import ClassifiedAd, ClassifiedReport
from ent_plugins.ads.tests.conftest import post_classified

from ent_core import sdk
from ent_core.testing import operator_settings, sign_in

pytestmark = pytest.mark.frozen_clock


def _ad() -> ClassifiedAd:
    sdk.db.session.expire_all()
    with sdk.all_workspaces():
        return sdk.db.session.scalars(sdk.db.select(ClassifiedAd)).first()


def _reports() -> list[ClassifiedReport]:
    sdk.db.session.expire_all()
    return list(sdk.db.session.scalars(sdk.db.select(ClassifiedReport)))


def _actions() -> list[str]:
    """Audited actions of the ads module, read as an operator would (``ent audit list``)."""
    import json

    from flask import current_app

    result = current_app.test_cli_runner().invoke(
        args=["audit", "list", "--action", "ads", "--limit", "1000", "--json"]
    )
    assert result.exit_code == 0, result.output
    return [event["action"] for event in json.loads(result.output)]


def test_only_platform_admins_reach_the_queue(
    client: Any, signed_in_client: Any, publisher: Any, moderator_client: Any
) -> None:
    assert moderator_client.get("/admin/ads/classifieds").status_code == 200
    home = moderator_client.get("/admin/ads/")  # the moderation home includes the queue
    assert home.status_code == 200
    assert 'id="classifieds-pending-title"' in home.text
    assert signed_in_client.get("/admin/ads/classifieds").status_code == 403
    anonymous = client.application.test_client().get("/admin/ads/classifieds")
    assert anonymous.status_code in (302, 401)
    post_classified(signed_in_client)
    assert signed_in_client.post(f"/admin/ads/classifieds/{_ad().id}/approve").status_code == 403


def test_a_pending_ad_is_approved_or_rejected_and_its_author_told(
    signed_in_client: Any, publisher: Any, moderator_client: Any, mail_outbox: list[Any]
) -> None:
    with operator_settings("ads", premoderate_classifieds=True):
        post_classified(signed_in_client, title="Première")
        queue = moderator_client.get("/admin/ads/classifieds")
        assert "Première" in queue.text
        ad_id = _ad().id
        answer = moderator_client.post(
            f"/admin/ads/classifieds/{ad_id}/reject", data={"reason": "Prix manquant"}
        )
        assert answer.status_code == 303
        ad = _ad()
        assert (ad.status, ad.rejection_reason) == ("rejected", "Prix manquant")
        assert "Prix manquant" in mail_outbox[-1]["text"]
        assert moderator_client.post(f"/admin/ads/classifieds/{ad_id}/approve").status_code == 303
        assert _ad().status == "rejected"  # a rejected ad is not approved behind its back
        signed_in_client.post(
            f"/w/matin-tech/ads/classifieds/{ad_id}/edit",
            data={**_edit_form(), "price": "100"},
            content_type="multipart/form-data",
        )
        assert _ad().status == "pending"
        moderator_client.post(f"/admin/ads/classifieds/{ad_id}/approve")
        assert _ad().status == "published"
        assert mail_outbox[-1]["to"] == "owner@example.ma"
        assert mail_outbox[-1]["subject"] == "Votre petite annonce est publiée"
    assert {"ads.classified_rejected", "ads.classified_approved"} <= set(_actions())


def _edit_form() -> dict[str, Any]:
    from ent_plugins.ads.tests.conftest import classified_form

    return classified_form(title="Première")


def test_anyone_reports_an_ad_and_a_moderator_upholds_it(
    client: Any,
    signed_in_client: Any,
    publisher: Any,
    moderator_client: Any,
    mail_outbox: list[Any],
) -> None:
    post_classified(signed_in_client)
    ad_id = _ad().id
    reader = client.application.test_client()
    page = reader.get(f"/classifieds/it/{ad_id}")
    assert page.status_code == 200
    answer = reader.post(
        f"/classifieds/it/{ad_id}/report", data={"reason": "scam", "details": "Faux recruteur"}
    )
    assert answer.status_code == 303
    again = reader.post(f"/classifieds/it/{ad_id}/report", data={"reason": "scam"})
    assert again.status_code == 303
    (report,) = _reports()  # the same reader's second report joins the first
    assert report.reporter_id is None
    assert report.reporter_key.startswith("addr:")
    assert "Faux recruteur" in moderator_client.get("/admin/ads/classifieds").text
    moderator_client.post(f"/admin/ads/classified-reports/{report.id}/uphold")
    assert _ad().status == "removed"
    assert _reports()[0].status == "upheld"
    assert reader.get(f"/classifieds/it/{ad_id}").status_code == 404
    assert mail_outbox[-1]["subject"] == "Votre petite annonce a été retirée"  # in French
    assert "Arnaque ou fraude" in mail_outbox[-1]["text"]
    assert "ads.classified_removed" in _actions()


def test_a_dismissed_report_leaves_the_ad_online(
    signed_in_client: Any, publisher: Any, moderator_client: Any, make_user: Any, client: Any
) -> None:
    post_classified(signed_in_client)
    ad_id = _ad().id
    reader = sign_in(client.application.test_client(), make_user("lecteur@example.ma"))
    reader.post(f"/classifieds/it/{ad_id}/report", data={"reason": "wrong_board"})
    (report,) = _reports()
    assert report.reporter_key.startswith("user:")
    moderator_client.post(f"/admin/ads/classified-reports/{report.id}/dismiss")
    assert _reports()[0].status == "dismissed"
    assert _ad().status == "published"
    second = moderator_client.post(f"/admin/ads/classified-reports/{report.id}/uphold")
    assert second.status_code == 303  # already decided: flashed, nothing changes
    assert _ad().status == "published"


def test_reports_are_limited_per_reader_and_robots_are_ignored(
    client: Any, signed_in_client: Any, publisher: Any, advertiser_client: Any
) -> None:
    for n in range(REPORTS_PER_HOUR):
        post_classified(signed_in_client, title=f"Annonce {n}")
    post_classified(advertiser_client, "atlas-telecom", title="Une de plus")
    with sdk.all_workspaces():
        ids = list(sdk.db.session.scalars(sdk.db.select(ClassifiedAd.id).order_by(ClassifiedAd.id)))
    reader = client.application.test_client()
    trap = reader.post(
        f"/classifieds/it/{ids[0]}/report", data={"reason": "scam", "website": "http://spam"}
    )
    assert trap.status_code == 303
    assert _reports() == []
    for ad_id in ids[:REPORTS_PER_HOUR]:
        assert (
            reader.post(f"/classifieds/it/{ad_id}/report", data={"reason": "scam"}).status_code
            == 303
        )
    refused = reader.post(f"/classifieds/it/{ids[-1]}/report", data={"reason": "scam"})
    assert refused.status_code == 429
    assert len(_reports()) == REPORTS_PER_HOUR


def test_a_report_without_its_token_is_refused(
    client: Any, signed_in_client: Any, publisher: Any
) -> None:
    post_classified(signed_in_client)
    reader = client.application.test_client()
    answer = reader.post(f"/classifieds/it/{_ad().id}/report", data={"reason": "scam"}, csrf=False)
    assert answer.status_code in (400, 422)
    assert _reports() == []
