"""Who sees an order: its buyer, members of the workspace it was bought for who may buy, the
seller; others get 404. Threads, attachments and the pages of both sides."""

from __future__ import annotations

import io
from typing import Any

import pytest
from ent_plugins.marketplace.tests.transactions_kit import BUYER_ROOT, SELLER_ROOT, product

from ent_core import sdk
from ent_core.testing import add_member, sample_image, sign_in

pytestmark = pytest.mark.frozen_clock

PNG = sample_image()


def _buy(buyer_api: Any, seller: Any, **extra: Any) -> dict[str, Any]:
    listing = product(seller)
    answer = buyer_api.post(BUYER_ROOT, json={"listing_id": listing.id, **extra})
    assert answer.status_code == 201, answer.json
    return answer.json


def test_another_buyer_gets_404(
    seller: Any, buyer_api: Any, make_api_client: Any, make_user: Any, app_ctx: Any
) -> None:
    order = _buy(buyer_api, seller)
    stranger = make_user("curieux@example.ma")
    other = make_api_client(stranger)
    assert other.get(f"{BUYER_ROOT}/{order['id']}").status_code == 404
    assert (
        other.post(
            f"{BUYER_ROOT}/{order['id']}/transitions", json={"transition": "cancel"}
        ).status_code
        == 404
    )
    assert other.get(f"{BUYER_ROOT}/{order['id']}/messages").status_code == 404
    assert other.get(BUYER_ROOT).json["items"] == []
    page = sign_in(app_ctx.test_client(), stranger)
    assert page.get(f"/marketplace/orders/{order['id']}").status_code == 404


def test_members_who_may_buy_for_the_workspace_see_its_orders(
    seller: Any, newsroom: Any, buyer_api: Any, make_api_client: Any, make_user: Any
) -> None:
    order = _buy(buyer_api, seller, buyer_workspace_id=newsroom.id)
    editor, reader = make_user("editor@matin.ma"), make_user("reader@matin.ma")
    add_member(newsroom, editor, "editor")
    add_member(newsroom, reader, "member")
    sdk.db.session.commit()
    assert make_api_client(editor).get(f"{BUYER_ROOT}/{order['id']}").status_code == 200
    assert make_api_client(reader).get(f"{BUYER_ROOT}/{order['id']}").status_code == 404
    mine = buyer_api.get(BUYER_ROOT).json["items"]
    assert [o["buyer"]["name"] for o in mine] == ["Le Matin Tech"]


def test_the_seller_api_is_scoped_to_the_seller(
    seller: Any,
    buyer_api: Any,
    seller_api: Any,
    make_workspace: Any,
    make_user: Any,
    make_api_client: Any,
) -> None:
    order = _buy(buyer_api, seller)
    listed = seller_api.get(SELLER_ROOT).json
    assert [o["reference"] for o in listed["items"]] == [order["reference"]]
    owner = make_user("owner@atlas.ma")
    make_workspace("atlas-data", owner=owner, plugins=("marketplace",))
    sdk.db.session.commit()
    other = make_api_client(owner)
    assert (
        other.get(f"/api/v1/workspaces/atlas-data/marketplace/orders/{order['id']}").status_code
        == 404
    )


def test_a_thread_with_attachments_for_both_sides_only(
    seller: Any,
    buyer_api: Any,
    seller_api: Any,
    signed_in_client: Any,
    seller_client: Any,
    operator_client: Any,
    make_user: Any,
    app_ctx: Any,
    mail_outbox: Any,
) -> None:
    order = _buy(buyer_api, seller)
    posted = signed_in_client.post(
        f"/marketplace/orders/{order['id']}/messages",
        data={"body": "Voici le bon de commande", "files": (io.BytesIO(PNG), "bon.png")},
        content_type="multipart/form-data",
    )
    assert posted.status_code == 303
    thread = seller_api.get(f"{SELLER_ROOT}/{order['id']}/messages").json["items"]
    assert thread[0]["body"] == "Voici le bon de commande"
    [attachment] = thread[0]["attachments"]
    assert attachment["content_type"] == "image/png"
    assert any(
        m["to"] == "contact@factcheck-lab.ma" and "message" in m["text"] for m in mail_outbox
    )
    seller_file = f"/w/factcheck-lab/marketplace/orders/{order['id']}/files/{attachment['id']}"
    buyer_file = f"/marketplace/orders/{order['id']}/files/{attachment['id']}"
    assert seller_client.get(seller_file).data == PNG
    assert signed_in_client.get(buyer_file).data == PNG
    assert operator_client.get(buyer_file).data == PNG
    stranger = sign_in(app_ctx.test_client(), make_user("curieux@example.ma"))
    assert stranger.get(buyer_file).status_code == 404
    reply = seller_api.post(f"{SELLER_ROOT}/{order['id']}/messages", json={"body": "Reçu"})
    assert reply.status_code == 201, reply.json
    refused = buyer_api.post(
        f"{BUYER_ROOT}/{order['id']}/messages",
        data={"body": "Un fichier", "files": (io.BytesIO(b"MZ not a picture"), "x.exe")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert refused.json["error"]["code"] == "upload_rejected"


def test_both_order_pages_show_amounts_history_and_steps(
    seller: Any, buyer_api: Any, signed_in_client: Any, seller_client: Any
) -> None:
    order = _buy(buyer_api, seller)
    buyer_page = signed_in_client.get(f"/marketplace/orders/{order['id']}").get_data(as_text=True)
    assert order["reference"] in buyer_page
    assert "240,00" in buyer_page  # TTC in French
    assert 'value="cancel"' in buyer_page and 'value="pay"' not in buyer_page
    assert signed_in_client.get("/marketplace/orders/").status_code == 200
    listing = seller_client.get("/w/factcheck-lab/marketplace/orders/?status=awaiting_payment")
    assert order["reference"] in listing.get_data(as_text=True)
    cancelled = signed_in_client.post(
        f"/marketplace/orders/{order['id']}/transitions",
        data={"transition": "cancel", "note": "Erreur de commande"},
    )
    assert cancelled.status_code == 303
    seller_page = seller_client.get(f"/w/factcheck-lab/marketplace/orders/{order['id']}")
    text = seller_page.get_data(as_text=True)
    assert "Erreur de commande" in text and "Annulée" in text


def test_mail_goes_out_in_the_recipients_language(
    seller: Any, buyer_api: Any, seller_api: Any, user: Any, mail_outbox: Any
) -> None:
    user.locale = "ar"
    sdk.db.session.commit()
    order = _buy(buyer_api, seller)
    seller_api.post(f"{SELLER_ROOT}/{order['id']}/transitions", json={"transition": "cancel"})
    [mail] = [m for m in mail_outbox if m["to"] == "owner@example.ma"]
    assert f"/marketplace/orders/{order['id']}" in mail["text"]
    assert "أُلغي الطلب" in mail["text"]


def test_the_sellers_home_counts_orders_waiting_for_it(
    seller: Any, buyer_api: Any, seller_client: Any
) -> None:
    import re

    from ent_plugins.marketplace.tests.transactions_kit import force, on_quote

    listing = on_quote(seller)
    buyer_api.post(BUYER_ROOT, json={"listing_id": listing.id, "message": "Un devis ?"})
    paid = _buy(buyer_api, seller)
    force(paid["id"], status="paid")
    _buy(buyer_api, seller)  # awaiting the buyer's payment: not the seller's turn
    page = seller_client.get("/w/factcheck-lab/marketplace/").get_data(as_text=True)
    card = re.search(
        r'href="/w/factcheck-lab/marketplace/orders/"[^<]*</a>\s*<p class="stat"><strong>(\d+)',
        page,
    )
    assert card is not None and card.group(1) == "2"
