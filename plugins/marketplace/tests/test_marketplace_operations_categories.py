"""The operator's categories: pages, the admin API and ``ent marketplace category``."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from ent_core import sdk


def _category(code: str) -> Any:
    from ent_plugins.marketplace.categories import category_by_code

    sdk.db.session.expire_all()
    return category_by_code(code)


def _audited(action: str) -> list[Any]:
    """Audited events of ``action``, read as an operator would (``ent audit list``)."""
    import json

    from flask import current_app

    result = current_app.test_cli_runner().invoke(
        args=["audit", "list", "--action", action, "--limit", "1000", "--json"]
    )
    assert result.exit_code == 0, result.output
    return list(json.loads(result.output))


def test_the_list_shows_every_category_with_its_commission(operator_client: Any) -> None:
    html = operator_client.get("/admin/marketplace/categories").get_data(as_text=True)
    assert "fact-checking" in html
    assert "8 %" in html


def _form(**overrides: Any) -> dict[str, Any]:
    return {
        "name_fr": "Vérification",
        "name_en": "Verification",
        "name_ar": "التحقق",
        "sector": "it",
        "commission_percent": "7.5",
        "position": "3",
        "active": "y",
        **overrides,
    }


def test_the_operator_edits_names_and_commission_audited(
    operator_client: Any, operator: Any
) -> None:
    page = operator_client.get("/admin/marketplace/categories/fact-checking")
    assert page.status_code == 200
    assert 'value="8.00"' in page.get_data(as_text=True)
    saved = operator_client.post("/admin/marketplace/categories/fact-checking", data=_form())
    assert saved.status_code == 303
    category = _category("fact-checking")
    assert category.commission_rate == Decimal("0.0750")
    assert category.names == {"fr": "Vérification", "en": "Verification", "ar": "التحقق"}
    (event,) = _audited("marketplace.category.updated")
    assert event["details"]["before"]["commission_rate"] == "0.0800"
    assert event["details"]["after"]["commission_rate"] == "0.0750"
    assert event["actor"] == operator.email


@pytest.mark.parametrize("percent", ["50.5", "-1", "abc", ""])
def test_a_commission_outside_0_to_50_is_refused_with_the_form_again(
    operator_client: Any, percent: str
) -> None:
    answer = operator_client.post(
        "/admin/marketplace/categories/fact-checking", data=_form(commission_percent=percent)
    )
    assert answer.status_code == 422
    assert 'aria-invalid="true"' in answer.get_data(as_text=True)
    assert _category("fact-checking").commission_rate == Decimal("0.0800")


def test_the_operator_adds_a_category_then_closes_it(operator_client: Any) -> None:
    added = operator_client.post(
        "/admin/marketplace/categories/new",
        data=_form(code="data-journalism", commission_percent="9"),
    )
    assert added.status_code == 303
    category = _category("data-journalism")
    assert (category.sector, category.commission_rate, category.active) == (
        "it",
        Decimal("0.0900"),
        True,
    )
    again = operator_client.post(
        "/admin/marketplace/categories/new", data=_form(code="data-journalism")
    )
    assert again.status_code == 422
    closed = _form(commission_percent="9")
    del closed["active"]
    operator_client.post("/admin/marketplace/categories/data-journalism", data=closed)
    assert _category("data-journalism").active is False
    assert operator_client.get("/admin/marketplace/categories/nothing").status_code == 404


def test_the_admin_api_patches_a_category(operator_api: Any, buyer_api: Any) -> None:
    url = "/api/v1/admin/marketplace/categories/fact-checking"
    answer = operator_api.patch(url, json={"commission_percent": "6", "names": {"en": "Checks"}})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["commission_percent"] == "6.00"
    assert body["names"]["en"] == "Checks"
    assert body["names"]["fr"] == "Vérification des faits"
    refused = operator_api.patch(url, json={"commission_percent": 51})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "validation_error"
    assert "commission_percent" in refused.get_json()["error"]["details"]["fields"]
    assert operator_api.patch(url + "x", json={"active": False}).status_code == 404
    assert buyer_api.patch(url, json={"active": False}).status_code == 403
    listed = operator_api.get("/api/v1/admin/marketplace/categories").get_json()
    assert any(c["code"] == "fact-checking" for c in listed["items"])


@pytest.fixture
def run(app_ctx: Any) -> Any:
    runner = app_ctx.test_cli_runner()
    return lambda *args: runner.invoke(args=["marketplace", *args])


def test_the_cli_lists_and_changes_categories(run: Any) -> None:
    listed = run("categories", "--json")
    assert listed.exit_code == 0, listed.output
    rows = {row["code"]: row for row in json.loads(listed.output)}
    assert rows["fact-checking"]["commission_percent"] == "8"
    changed = run("category", "fact-checking", "--commission", "8.5", "--inactive")
    assert changed.exit_code == 0, changed.output
    assert "8.5 %" in changed.output
    category = _category("fact-checking")
    assert (category.commission_rate, category.active) == (Decimal("0.0850"), False)
    assert run("categories").output.splitlines()[0].startswith("code\tsector")


def test_the_cli_refuses_a_bad_commission_or_an_unknown_category(run: Any) -> None:
    refused = run("category", "fact-checking", "--commission", "60")
    assert refused.exit_code == 1
    assert "50" in refused.output.splitlines()[-1]
    assert run("category", "nothing", "--active").exit_code == 1
    assert run("category", "fact-checking").exit_code == 2
