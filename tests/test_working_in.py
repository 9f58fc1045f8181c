"""``sdk.working_in``: a command or a job works in one workspace as its requests do."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ent_core import sdk
from ent_core.db import db
from ent_core.testing import enable
from tests.fixture_plugins.alpha.models import AlphaItem


def test_the_workspace_is_current_and_statements_are_scoped(app_ctx, make_workspace):
    acme, other = make_workspace("acme"), make_workspace("other")
    db.session.add_all(
        [
            AlphaItem(workspace_id=acme.id, title="acme's"),
            AlphaItem(workspace_id=other.id, title="other's"),
        ]
    )
    db.session.commit()
    assert sdk.current_workspace() is None
    with sdk.working_in("acme") as workspace:
        assert workspace.id == acme.id and sdk.current_workspace().id == acme.id
        assert db.session.scalars(select(AlphaItem.title)).all() == ["acme's"]
        added = AlphaItem(title="new")
    assert added.workspace_id == acme.id
    assert sdk.current_workspace() is None


def test_an_unknown_slug_or_a_plugin_off_is_refused(app_ctx, make_workspace):
    acme = make_workspace("acme")
    with pytest.raises(LookupError, match="no workspace is named 'nowhere'"):
        sdk.working_in("nowhere").__enter__()
    with pytest.raises(LookupError, match="the alpha module is off in 'acme'"):
        sdk.working_in(acme, plugin="alpha").__enter__()
    enable(acme, "alpha")
    with sdk.working_in(acme, plugin="alpha") as workspace:
        assert workspace.slug == "acme"
