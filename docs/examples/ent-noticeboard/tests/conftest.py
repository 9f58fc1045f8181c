"""Fixtures of the notice board's tests; the platform's come from ``ent_core.testing``.

``ent_core.testing`` is a pytest plugin installed with the platform: ``app``, ``client``,
``user``, ``make_user``, ``make_workspace``, ``api_client``, ``mail_outbox``... are ready. The
plugin itself is found through its entry point, exactly as in production.
"""

from __future__ import annotations

from typing import Any

import pytest
from ent_core.testing import add_member, sign_in


@pytest.fixture
def board(make_workspace: Any) -> Any:
    """Workspace ``acme`` (owned by ``user``) with the notice board switched on."""
    return make_workspace("acme", plugins=("noticeboard",))


@pytest.fixture
def member(make_user: Any, board: Any) -> Any:
    """A plain member of ``acme``: reads the board, may not post."""
    reader = make_user("member@example.ma", name="Malika Member")
    add_member(board, reader, "member")
    return reader


@pytest.fixture
def member_client(client: Any, member: Any) -> Any:
    return sign_in(client, member)
