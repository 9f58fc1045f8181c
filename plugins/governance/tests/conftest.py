"""Fixtures of the governance plugin's tests (the platform's come from ``ent_core.testing``).

The association ``souss`` is owned by ``user`` (the ``signed_in_client``), approved, with the
governance module on, the way an operator and an owner set it up.
"""

from __future__ import annotations

from typing import Any

import pytest

from ent_core import sdk


@pytest.fixture
def association(make_workspace: Any) -> Any:
    """Workspace ``souss`` (owned by ``user``), approved, with governance on."""
    workspace = make_workspace(
        "souss", name="Souss Green", kind="association", plugins=("governance",)
    )
    workspace.status = "approved"
    sdk.db.session.commit()
    return workspace


# -- votes (issue #16 item 4) ------------------------------------------------------------------
class Voting:
    """The association ``souss`` with a voting category and members, some with accounts."""

    def __init__(self, workspace: Any, make_user: Any, make_api_client: Any, owner: Any) -> None:
        from datetime import date

        from ent_plugins.governance.models import Member, MemberCategory

        from ent_core.testing import add_member

        self.workspace = workspace
        self._make_user = make_user
        self._make_api_client = make_api_client
        with sdk.in_workspace(workspace):
            self.category = MemberCategory(code="active", name="Active", pays_dues=False)
            sdk.db.session.add(self.category)
            sdk.db.session.flush()
            self.joined = date(2020, 1, 1)
            self.chair = Member(
                number="1", name="Chair", category_id=self.category.id, user_id=owner.id,
                joined_on=self.joined,
            )  # fmt: skip
            sdk.db.session.add(self.chair)
            sdk.db.session.commit()
        self.chair_api = make_api_client(owner)
        self._add_member = add_member
        self._count = 1

    def member(self, name: str, *, account: bool = True) -> tuple[Any, Any]:
        """A member of the registry (and of the workspace, with an API client when
        ``account``): ``(member, api_client or None)``."""
        from ent_plugins.governance.models import Member

        self._count += 1
        user = client = None
        if account:
            user = self._make_user(f"m{self._count}@example.ma", name=name)
            self._add_member(self.workspace, user)
            client = self._make_api_client(user)
        with sdk.in_workspace(self.workspace):
            member = Member(
                number=str(self._count), name=name, category_id=self.category.id,
                user_id=user.id if user else None, joined_on=self.joined,
            )  # fmt: skip
            sdk.db.session.add(member)
            sdk.db.session.commit()
        member.user = user
        return member, client

    def meeting(self, *, proxies: tuple[tuple[Any, Any], ...] = ()) -> Any:
        """A general assembly with its roll frozen today and ``(principal, holder)`` proxies."""
        from datetime import date

        from ent_plugins.governance.models import Body, Meeting, Proxy
        from ent_plugins.governance.roll import freeze_roll

        with sdk.in_workspace(self.workspace):
            body = Body(kind="general_assembly", name="General assembly")
            sdk.db.session.add(body)
            sdk.db.session.flush()
            roll = freeze_roll(date(2026, 6, 1))
            meeting = Meeting(
                body_id=body.id, kind="ordinary", title="AG 2026", starts_at=sdk.utcnow(),
                roll_id=roll.id, status="convened",
            )  # fmt: skip
            sdk.db.session.add(meeting)
            sdk.db.session.flush()
            for principal, holder in proxies:
                sdk.db.session.add(
                    Proxy(meeting_id=meeting.id, principal_id=principal.id, holder_id=holder.id)
                )
            sdk.db.session.commit()
        return meeting

    def create(self, **body: Any) -> dict[str, Any]:
        """A vote prepared and opened through the API by the chair (``open=False``: a draft)."""
        opening = body.pop("open", True)
        body.setdefault("title", "Approve the accounts")
        body.setdefault("kind", "for_against_abstain")
        if "meeting_id" not in body:
            body.setdefault("cutoff_on", "2026-06-01")
        r = self.chair_api.post(f"{VOTES}", json=body)
        assert r.status_code == 201, r.json
        vote = r.json
        if opening:
            r = self.chair_api.post(
                f"{VOTES}/{vote['id']}/transitions", json={"transition": "open"}
            )
            assert r.status_code == 200, r.json
            vote = r.json
        return vote

    def close(self, vote: dict[str, Any]) -> None:
        r = self.chair_api.post(f"{VOTES}/{vote['id']}/transitions", json={"transition": "close"})
        assert r.status_code == 200, r.json


VOTES = "/api/v1/workspaces/souss/governance/votes"


def option(vote: dict[str, Any], code_or_label: str) -> int:
    """The id of a vote's option by its code (for, against, abstain) or its label."""
    return next(o["id"] for o in vote["options"] if code_or_label in (o["code"], o["label"]))


@pytest.fixture
def voting(association: Any, make_user: Any, make_api_client: Any, user: Any) -> Voting:
    return Voting(association, make_user, make_api_client, user)
