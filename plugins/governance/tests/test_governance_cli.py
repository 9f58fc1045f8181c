"""``ent governance ...``: the registry in and out, payments out, reminders, votes' results;
a workspace where the module is off is refused like an unknown one."""

from __future__ import annotations

from typing import Any

import pytest

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock


@pytest.fixture
def ent(app_ctx: Any) -> Any:
    runner = app_ctx.test_cli_runner()
    return lambda *args: runner.invoke(args=["governance", *args])


def test_the_registry_goes_out_as_csv(ent: Any, registry: dict[str, Any]) -> None:
    result = ent("members", "export", "souss")
    assert result.exit_code == 0, result.output
    lines = result.output.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("number;name;email")
    assert len(lines) == 1 + len(registry)
    assert any("Driss Drissi" in line and "up_to_date" in line for line in lines)


def test_an_import_with_a_bad_line_adds_nothing_and_says_where(
    ent: Any, registry: dict[str, Any], tmp_path: Any
) -> None:
    path = tmp_path / "members.csv"
    path.write_text(
        "name;email;category;joined_on\n"
        "Hicham Haddad;hicham@example.ma;active;2026-02-01\n"
        "Imane Idrissi;not-an-email;active;2026-02-01\n",
        encoding="utf-8",
    )
    refused = ent("members", "import", "souss", str(path))
    assert refused.exit_code == 1
    assert "line 3" in refused.output and "email" in refused.output
    path.write_text(
        "name;email;category;joined_on\nHicham Haddad;hicham@example.ma;active;2026-02-01\n",
        encoding="utf-8",
    )
    dry = ent("members", "import", "souss", str(path), "--dry-run")
    assert dry.exit_code == 0 and "would add 1 member(s)" in dry.output
    assert len(ent("members", "export", "souss").output.splitlines()) == 1 + len(registry)
    done = ent("members", "import", "souss", str(path))
    assert done.exit_code == 0 and "added 1 member(s)" in done.output
    assert "Hicham Haddad" in ent("members", "export", "souss").output


def test_payments_go_out_by_year(ent: Any, registry: dict[str, Any]) -> None:
    result = ent("payments", "export", "souss", "--year", "2026")
    assert result.exit_code == 0, result.output
    rows = result.output.lstrip("\ufeff").splitlines()[1:]
    assert len(rows) == len(registry) and all(";2026;" in row for row in rows)


def test_results_of_a_vote_are_printed_once_it_closes(ent: Any, voting: Any) -> None:
    from ent_plugins.governance.tests.conftest import option

    _, client = voting.member("Rachid")
    vote = voting.create(title="Approve the accounts")
    cast = client.post(
        f"/api/v1/workspaces/souss/governance/votes/{vote['id']}/ballots",
        json={"choices": [option(vote, "for")]},
    )
    assert cast.status_code == 201, cast.json
    hidden = ent("votes", "results", "souss", str(vote["id"]))
    assert hidden.exit_code == 1
    listed = ent("votes", "list", "souss", "--json")
    assert listed.exit_code == 0 and f'"id": {vote["id"]}' in listed.output
    voting.close(vote)
    shown = ent("votes", "results", "souss", str(vote["id"]))
    assert shown.exit_code == 0, shown.output
    assert "adopted" in shown.output and "1 of 2 voted" in shown.output


def test_a_workspace_without_the_module_is_refused(
    ent: Any, make_workspace: Any, association: Any
) -> None:
    make_workspace("press", kind="media")
    for slug, reason in (("press", "module is off"), ("nowhere", "no workspace")):
        result = ent("members", "export", slug)
        assert result.exit_code != 0 and reason in result.output


def test_reminders_go_to_late_members_only(
    ent: Any, association: Any, registry: dict[str, Any], mail_outbox: list[Any]
) -> None:
    from datetime import date

    from ent_plugins.governance.models import Member

    with sdk.in_workspace(association):
        sdk.db.session.add(
            Member(
                number="M099",
                name="Late Larbi",
                email="larbi@example.ma",
                category_id=registry["amina"].category_id,
                joined_on=date(2024, 1, 10),
            )
        )
        sdk.db.session.commit()
    result = ent("remind", "souss")
    assert result.exit_code == 0 and "1 reminder(s) sent" in result.output
    assert [m["to"] for m in mail_outbox] == ["larbi@example.ma"]
