"""The sector boards: what they list (and what they must not), the ad's page and its contact
details, the Atom feeds, and the boxes on the portal and the publications' sites."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import feedparser
import pytest
from ent_plugins.ads.classifieds import expire_classifieds
from ent_plugins.ads.models import ClassifiedAd
from ent_plugins.ads.tests.conftest import post_classified

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock


def _id_of(title: str) -> int:
    with sdk.all_workspaces():
        return sdk.db.session.scalar(
            sdk.db.select(ClassifiedAd.id).where(ClassifiedAd.title == title)
        )


@pytest.fixture
def green(app_ctx: Any, make_workspace: Any, make_user: Any) -> Any:
    """A client signed in as the owner of ``souss-bio``, a green-economy workspace with ads
    on."""
    from ent_core.testing import sign_in

    owner = make_user("contact@souss-bio.ma")
    make_workspace("souss-bio", owner=owner, sectors=("green",), plugins=("ads",))
    sdk.db.session.commit()
    return sign_in(app_ctx.test_client(), owner)


def test_boards_list_only_what_they_should(
    client: Any,
    signed_in_client: Any,
    publisher: Any,
    advertiser_client: Any,
    advertiser_api: Any,
    green: Any,
    frozen_clock: Any,
) -> None:
    post_classified(signed_in_client, title="Annonce publiée")
    post_classified(signed_in_client, title="Annonce retirée")
    post_classified(signed_in_client, title="Annonce expirée", kind="equipment")
    post_classified(green, "souss-bio", sector="green", title="Annonce verte")
    post_classified(advertiser_client, "atlas-telecom", title="Annonce module coupé")
    withdrawn = _id_of("Annonce retirée")
    signed_in_client.post(f"/w/matin-tech/ads/classifieds/{withdrawn}/withdraw")
    with sdk.all_workspaces():
        expired = sdk.db.session.get(ClassifiedAd, _id_of("Annonce expirée"))
        expired.expires_at = sdk.utcnow() - timedelta(minutes=1)
        sdk.db.session.commit()
    assert advertiser_api.delete("/api/v1/workspaces/atlas-telecom/plugins/ads").status_code == 204

    reader = client.application.test_client()
    board = reader.get("/classifieds/it/").text
    assert "Annonce publiée" in board
    for absent in ("Annonce retirée", "Annonce expirée", "Annonce verte", "Annonce module coupé"):
        assert absent not in board
    assert 'type="application/atom+xml"' in board
    everything = reader.get("/classifieds/").text
    assert "Annonce verte" in everything and "Annonce publiée" in everything
    assert "Annonce module coupé" not in everything
    green_board = reader.get("/classifieds/green/").text
    assert "Annonce verte" in green_board and "Annonce publiée" not in green_board
    assert reader.get(f"/classifieds/it/{withdrawn}").status_code == 404
    assert reader.get(f"/classifieds/green/{_id_of('Annonce publiée')}").status_code == 404
    assert reader.get(f"/classifieds/it/{_id_of('Annonce module coupé')}").status_code == 404
    assert reader.get("/classifieds/nowhere/").status_code == 404
    jobs = reader.get("/classifieds/it/?kind=equipment").text
    assert "Annonce publiée" not in jobs


def test_contact_details_only_after_asking(
    client: Any, signed_in_client: Any, publisher: Any
) -> None:
    post_classified(signed_in_client)
    ad_id = _id_of("Développeur Flask à Casablanca")
    reader = client.application.test_client()
    page = reader.get(f"/classifieds/it/{ad_id}")
    assert page.status_code == 200
    assert "rh@matin-tech.ma" not in page.text
    assert "<strong>Python</strong>" in page.text
    shown = reader.post(f"/classifieds/it/{ad_id}/contact")
    assert "rh@matin-tech.ma" in shown.text
    assert shown.headers["Cache-Control"] == "private, no-store"
    assert reader.post(f"/classifieds/it/{ad_id}/contact", csrf=False).status_code == 400


def test_the_atom_feed_of_a_board_parses_and_lists_its_ads(
    client: Any, signed_in_client: Any, publisher: Any
) -> None:
    post_classified(signed_in_client, title="Première")
    post_classified(signed_in_client, title="Seconde")
    reader = client.application.test_client()
    answer = reader.get("/classifieds/it/feed.atom")
    assert answer.status_code == 200
    assert answer.mimetype == "application/atom+xml"
    parsed = feedparser.parse(answer.data)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    assert [e.title for e in parsed.entries] == ["Seconde", "Première"]  # newest first
    assert all("/classifieds/it/" in e.link for e in parsed.entries)
    assert parsed.entries[0].summary.startswith("Nous cherchons")
    assert b"rh@matin-tech.ma" not in answer.data  # no contact details in feeds
    again = reader.get(
        "/classifieds/it/feed.atom", headers={"If-None-Match": answer.headers["ETag"]}
    )
    assert again.status_code == 304
    assert reader.get("/classifieds/green/feed.atom").status_code == 200
    assert reader.get("/classifieds/feed.atom").status_code == 200


def test_the_portal_shows_a_box_whose_etag_moves_only_with_the_ads(
    client: Any, signed_in_client: Any, publisher: Any
) -> None:
    reader = client.application.test_client()
    post_classified(signed_in_client, title="Sur le portail")
    first = reader.get("/portal/it/")
    assert "Sur le portail" in first.text
    assert "ads-classifieds-box" in first.text
    second = reader.get("/portal/it/", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 304
    post_classified(signed_in_client, title="Une autre")
    third = reader.get("/portal/it/", headers={"If-None-Match": first.headers["ETag"]})
    assert third.status_code == 200
    assert "Une autre" in third.text
    assert "Sur le portail" not in reader.get("/portal/green/").text


def test_the_publication_site_shows_its_sector_board(
    client: Any, signed_in_client: Any, publisher: Any, advertiser_client: Any
) -> None:
    post_classified(advertiser_client, "atlas-telecom", title="Chez un voisin")
    reader = client.application.test_client()
    home = reader.get("/s/matin-tech/publishing/")
    assert home.status_code == 200
    assert "Chez un voisin" in home.text


def test_pictures_are_public_only_while_the_ad_is(
    client: Any, signed_in_client: Any, publisher: Any
) -> None:
    import io

    from ent_core.testing import sample_image

    post_classified(
        signed_in_client, image_1=(io.BytesIO(sample_image()), "a.png"), alt_1="Une photo"
    )
    ad_id = _id_of("Développeur Flask à Casablanca")
    reader = client.application.test_client()
    page = reader.get(f"/classifieds/it/{ad_id}").text
    assert 'alt="Une photo"' in page
    with sdk.all_workspaces():
        image_id = sdk.db.session.get(ClassifiedAd, ad_id).images[0].id
    assert reader.get(f"/classifieds/images/{image_id}").status_code == 200
    signed_in_client.post(f"/w/matin-tech/ads/classifieds/{ad_id}/withdraw")
    assert reader.get(f"/classifieds/images/{image_id}").status_code == 404


def test_the_expiry_schedule_is_declared(app_ctx: Any) -> None:
    from ent_plugins.ads import plugin

    names = [s.name for s in plugin.ent_schedules()]
    assert "ads.classifieds_expire" in names
    assert expire_classifieds() == 0


def test_a_board_costs_the_same_statements_with_more_ads(
    client: Any, signed_in_client: Any, publisher: Any, advertiser_client: Any
) -> None:
    """No statement per ad (pictures and workspaces are loaded with the list)."""
    import io

    from ent_core.testing import sample_image, sql_statements

    reader = client.application.test_client()
    post_classified(signed_in_client, image_1=(io.BytesIO(sample_image()), "a.png"), alt_1="A")
    reader.get("/classifieds/it/")  # warm caches (sectors, settings)
    with sql_statements() as few:
        assert reader.get("/classifieds/it/").status_code == 200
    for n in range(4):
        post_classified(signed_in_client, title=f"Encore {n}")
    for n in range(5):
        post_classified(advertiser_client, "atlas-telecom", title=f"Voisin {n}")
    with sql_statements() as many:
        assert reader.get("/classifieds/it/").status_code == 200
    assert len(many) == len(few)
    with sql_statements() as api:
        assert reader.get("/api/v1/classifieds?sector=it").status_code == 200
    assert len(api) <= len(many) + 2


def test_the_boards_are_public_pages_outside_the_charter_gate(
    app_ctx: Any, signed_in_client: Any, publisher: Any, make_user: Any
) -> None:
    """Someone signed in who has not signed the current charter reads the boards and their
    feeds like anyone (CONVENTIONS.md), while the members' area stays closed to them."""
    from ent_core.testing import sign_in

    post_classified(signed_in_client)
    newcomer = sign_in(app_ctx.test_client(), make_user("nouveau@example.ma", sign_charter=False))
    assert newcomer.get("/classifieds/it/").status_code == 200
    assert newcomer.get("/classifieds/it/feed.atom").status_code == 200
    assert newcomer.get("/api/v1/classifieds").status_code == 200
    assert newcomer.get("/w/matin-tech/ads/classifieds/").status_code in (302, 303, 404)


def test_an_article_shows_the_board_of_its_sector(
    client: Any, publisher: Any, api_client: Any, advertiser_client: Any
) -> None:
    post_classified(advertiser_client, "atlas-telecom", title="Offre pour lecteurs")
    articles = "/api/v1/workspaces/matin-tech/publishing/articles"
    made = api_client.post(
        articles, json={"title": "Le cloud au Maroc", "body": "Texte.", "sectors": ["it"]}
    )
    assert made.status_code == 201, made.json
    published = api_client.post(
        f"{articles}/{made.json['id']}/transitions", json={"transition": "publish"}
    )
    assert published.status_code == 200, published.json
    path = "/" + published.json["url"].split("/", 3)[3]
    page = client.application.test_client().get(path)
    assert page.status_code == 200
    assert "Offre pour lecteurs" in page.text
