"""Publishing while Redis is down: the editor gets the success, the mails follow Redis back."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from publishing_newsroom_kit import ARTICLES

pytestmark = pytest.mark.redis


class Recipients:
    """An SMTP server's handler: the addresses it accepted mail for."""

    def __init__(self) -> None:
        self.addresses: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.addresses.extend(envelope.rcpt_tos)
        return "250 OK"


@pytest.fixture
def smtp() -> Any:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Recipients()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.url = f"smtp://127.0.0.1:{port}"  # type: ignore[attr-defined]
    yield handler
    controller.stop()


def _go(api: Any, article_id: int, name: str) -> Any:
    return api.post(f"{ARTICLES}/{article_id}/transitions", json={"transition": name})


def test_publishing_with_redis_down_succeeds_and_mails_once_redis_is_back(
    redis_outage, staff, write, make_api_client, smtp
):
    editor = make_api_client(staff["editor"])
    article = write(staff["contributor"], "Papier du jour")
    _go(make_api_client(staff["contributor"]), article["id"], "submit")
    _go(editor, article["id"], "approve")
    redis_outage.stop_redis()

    published = _go(editor, article["id"], "publish")
    assert published.status_code == 200  # not a 500: the publication is committed
    assert published.json["publication_state"] == "published"
    again = editor.get(f"{ARTICLES}/{article['id']}").json
    assert again["publication_state"] == "published"

    redis_outage.start_redis()  # empty: what was queued before the outage is gone with it
    redis_outage.run_burst(SMTP_URL=smtp.url, MAIL_FROM="ENT <no-reply@ent.example.ma>")
    assert smtp.addresses == [staff["contributor"].email]  # told of the publication, once
