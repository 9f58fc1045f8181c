"""CSV import (a dry run that says what is wrong line by line, then all or nothing) and export."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from governance_members_kit import BASE, add, pay, set_rate

pytestmark = pytest.mark.frozen_clock

URL = "/w/souss/governance/members/import?lang=en"
GOOD = (
    "number,name,email,phone,cin,category,language,joined_on,left_on\n"
    "101,Brahim Ouali,brahim@example.ma,0612345678,JB112233,active,fr,2021-09-01,\n"
    "102,خديجة الإدريسي,,,,founding,ar,15/01/2019,\n"
)


def _upload(client: Any, content: bytes, dry_run: bool) -> Any:
    data = {"file": (io.BytesIO(content), "members.csv")}
    if dry_run:
        data["dry_run"] = "y"
    return client.post(URL, data=data, content_type="multipart/form-data")


def _count(api: Any) -> int:
    return len(api.get(f"{BASE}/members?include_left=true").get_json()["items"])


def test_a_dry_run_checks_and_writes_nothing(signed_in_client: Any, owner_api: Any) -> None:
    r = _upload(signed_in_client, GOOD.encode(), dry_run=True)
    assert r.status_code == 200
    assert "2 members can be imported." in r.get_data(as_text=True)
    assert _count(owner_api) == 0


def test_errors_are_reported_by_line_and_column(signed_in_client: Any, owner_api: Any) -> None:
    bad = GOOD + (
        "103,,x@example.ma,,,active,fr,2022-01-01,\n"  # line 4: no name
        "104,Ali,not-an-email,,,astronaut,fr,2022-13-01,\n"  # line 5: three problems
        "101,Copy,,,,active,fr,2022-01-01,\n"  # line 6: number of line 2
    )
    r = _upload(signed_in_client, bad.encode(), dry_run=True)
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    rows = [
        (line, column)
        for line, column in (
            ("4", "name"),
            ("5", "email"),
            ("5", "category"),
            ("5", "joined_on"),
            ("6", "number"),
        )
    ]
    for line, column in rows:
        assert f'<span class="ltr">{line}</span></th><td><code>{column}</code>' in page
    assert "5 errors: nothing was imported." in page


def test_an_import_with_one_bad_line_writes_nothing(signed_in_client: Any, owner_api: Any) -> None:
    r = _upload(signed_in_client, (GOOD + "105,Bad,,,,nope,fr,2022-01-01,\n").encode(), False)
    assert r.status_code == 422
    assert _count(owner_api) == 0


def test_excel_files_with_bom_and_semicolons_import(signed_in_client: Any, owner_api: Any) -> None:
    excel = GOOD.replace(",", ";").encode("utf-8-sig")
    r = _upload(signed_in_client, excel, dry_run=False)
    assert r.status_code in (302, 303)
    items = owner_api.get(f"{BASE}/members").get_json()["items"]
    assert [(m["number"], m["name"], m["category"], m["joined_on"]) for m in items] == [
        ("101", "Brahim Ouali", "active", "2021-09-01"),
        ("102", "خديجة الإدريسي", "founding", "2019-01-15"),
    ]


def test_a_file_that_is_not_utf8_is_refused(signed_in_client: Any, owner_api: Any) -> None:
    latin = "name,category,joined_on\nBrâhim,active,2022-01-01\n".encode("latin-1")
    r = _upload(signed_in_client, latin, True)
    assert r.status_code == 422
    assert "Save the file as CSV UTF-8" in r.get_data(as_text=True)


def test_numbers_are_given_to_imported_members_without_one(
    signed_in_client: Any, owner_api: Any
) -> None:
    add(owner_api, "Existing", number="00007")
    content = "name,category,joined_on\nFirst,active,2022-01-01\nSecond,active,2022-01-01\n"
    assert _upload(signed_in_client, content.encode(), False).status_code in (302, 303)
    numbers = [m["number"] for m in owner_api.get(f"{BASE}/members").get_json()["items"]]
    assert numbers == ["00007", "00008", "00009"]


def _rows(response: Any) -> list[list[str]]:
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with the BOM
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_registry_exports_as_excel_reads_it(signed_in_client: Any, owner_api: Any) -> None:
    add(owner_api, "=HYPERLINK(1)", number="9", email="a@example.ma")
    r = signed_in_client.get("/w/souss/governance/members/export.csv")
    assert r.mimetype == "text/csv"
    header, row = _rows(r)
    assert header[:3] == ["number", "name", "email"] and header[-1] == "status"
    assert row[:3] == ["9", "'=HYPERLINK(1)", "a@example.ma"]  # no formula runs
    assert row[-1] == "up_to_date"


def test_the_payments_export(signed_in_client: Any, owner_api: Any) -> None:
    set_rate(owner_api, "active", 2025, "200")
    member = add(owner_api, "Payer", number="12")
    pay(owner_api, member["id"], 2025, "2026-02-01")
    header, row = _rows(signed_in_client.get("/w/souss/governance/dues/payments.csv"))
    assert header[0] == "receipt_number"
    assert row[:6] == ["2026-00001", "12", "Payer", "2025", "200.00", "MAD"]


def test_a_member_without_office_cannot_export(adherent_client: Any, association: Any) -> None:
    assert adherent_client.get("/w/souss/governance/members/export.csv").status_code == 403
