"""Public project pages, the transparency page and the annual moral and financial report."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from ent_core import sdk

S = "/s/souss/governance"
API = "/api/v1/workspaces/souss/governance"


def mad(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "MAD"}


def _project(api: Any, title: str, published: bool = True, **extra: Any) -> int:
    r = api.post(f"{API}/projects", json={"title": title, "published": published, **extra})
    assert r.status_code == 201, r.json
    return r.json["id"]


def _funder(api: Any, name: str, kind: str) -> int:
    return api.post(f"{API}/funders", json={"name": name, "kind": kind}).json["id"]


def _give(
    api: Any, project: int, funder: int, year: int, received: str, pledged: str = "0"
) -> None:
    r = api.post(
        f"{API}/projects/{project}/contributions",
        json={
            "funder_id": funder,
            "year": year,
            "received": mad(received),
            "pledged": mad(pledged),
        },
    )
    assert r.status_code == 201, r.json


def _spend(api: Any, project: int, label: str, planned: str, spent: str) -> None:
    r = api.post(
        f"{API}/projects/{project}/budget-lines",
        json={"label": label, "planned": mad(planned), "spent": mad(spent)},
    )
    assert r.status_code == 201, r.json


@pytest.fixture
def books(gov_api: Any, association: Any) -> dict[str, int]:
    """Two published projects and a draft, three funders of three kinds over two years, with
    amounts whose thirds and tenths a float would not add up exactly."""
    well = _project(gov_api, "Puits de Tafraout", location="Tafraout", status="running")
    school = _project(gov_api, "École préscolaire", status="completed")
    draft = _project(gov_api, "Projet en préparation", published=False)
    indh = _funder(gov_api, "INDH Tiznit", "indh")
    commune = _funder(gov_api, "Commune d'Aglou", "commune")
    donor = _funder(gov_api, "Fondation Amal", "foreign")
    _give(gov_api, well, indh, 2025, "33333.33", "100000.00")
    _give(gov_api, well, indh, 2026, "33333.34")
    _give(gov_api, well, commune, 2026, "0.10")
    _give(gov_api, school, commune, 2026, "0.20")
    _give(gov_api, school, donor, 2025, "15000.55")
    _give(gov_api, draft, donor, 2026, "999999.99")
    _spend(gov_api, well, "Forage", "60000.00", "45000.45")
    _spend(gov_api, well, "Pompe solaire", "20000.00", "0.10")
    _spend(gov_api, school, "Mobilier", "9000.00", "8999.99")
    _spend(gov_api, draft, "Secret", "1.00", "1.00")
    return {"well": well, "school": school, "draft": draft, "indh": indh}


def _flat(page: str) -> str:
    return page.replace("\u202f", " ").replace("\xa0", " ")


def test_a_published_project_has_a_public_page(client: Any, books: dict[str, int]) -> None:
    r = client.get(f"{S}/projects/{books['well']}?lang=fr")
    assert r.status_code == 200
    page = _flat(r.get_data(as_text=True))
    assert "Puits de Tafraout" in page and "Forage" in page and "INDH Tiznit" in page
    assert "45 000,45 MAD" in page


def test_an_unpublished_project_has_no_public_page(client: Any, books: dict[str, int]) -> None:
    assert client.get(f"{S}/projects/{books['draft']}").status_code == 404


def test_the_public_list_shows_published_projects_only(client: Any, books: dict[str, int]) -> None:
    page = client.get(f"{S}/projects/").get_data(as_text=True)
    assert "Puits de Tafraout" in page and "École préscolaire" in page
    assert "Projet en préparation" not in page


def test_the_plan_page_is_public_once_published(
    client: Any, gov_api: Any, association: Any
) -> None:
    plan = gov_api.post(
        f"{API}/plans", json={"title": "Plan 2025-2030", "starts_year": 2025, "ends_year": 2030}
    ).json
    goal = gov_api.post(f"{API}/plans/{plan['id']}/goals", json={"title": "L'eau"}).json
    _project(gov_api, "Puits", goal_id=goal["id"])
    assert client.get(f"{S}/plans/{plan['id']}").status_code == 404
    gov_api.patch(f"{API}/plans/{plan['id']}", json={"published": True})
    page = client.get(f"{S}/plans/{plan['id']}").get_data(as_text=True)
    assert "Plan 2025-2030" in page and "L&#39;eau" in page and "Puits" in page


def test_transparency_totals_add_up_to_the_centime(gov_api: Any, books: dict[str, int]) -> None:
    figures = gov_api.get(f"{API}/transparency").json
    received = figures["received"]
    # 33333.33 + 33333.34 + 0.10 + 0.20 + 15000.55; the draft's 999999.99 does not count.
    assert received["total"] == mad("81667.52")
    assert received["by_year"] == {"2025": mad("48333.88"), "2026": mad("33333.64")}
    kinds = {k["kind"]: k["total"]["amount"] for k in received["by_kind"]}
    assert kinds == {"indh": "66666.67", "commune": "0.30", "foreign": "15000.55"}
    assert sum(Decimal(v) for v in kinds.values()) == Decimal(received["total"]["amount"])
    spent = figures["spent"]
    assert [p["title"] for p in spent["projects"]] == ["Puits de Tafraout", "École préscolaire"]
    assert spent["spent"] == mad("54000.54") and spent["planned"] == mad("89000.00")


def test_the_transparency_page_shows_sources_by_year(client: Any, books: dict[str, int]) -> None:
    page = _flat(client.get(f"{S}/transparency?lang=fr").get_data(as_text=True))
    assert "INDH" in page and "Commune d&#39;Aglou" in page and "Fondation Amal" in page
    assert "81 667,52 MAD" in page  # received, all years
    assert "54 000,54 MAD" in page  # spent, all projects
    assert "999 999,99" not in page and "Secret" not in page


def test_the_transparency_page_of_one_year(client: Any, books: dict[str, int]) -> None:
    page = _flat(client.get(f"{S}/transparency?year=2026&lang=fr").get_data(as_text=True))
    assert "33 333,64 MAD" in page
    assert "15 000,55" not in page


def test_the_transparency_page_is_right_to_left_in_arabic(
    client: Any, books: dict[str, int]
) -> None:
    page = client.get(f"{S}/transparency?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert '<bdi dir="ltr">2026</bdi>' in page


def _pdf_text(client: Any, year: int, lang: str) -> str:
    from pypdf import PdfReader

    r = client.get(f"{S}/reports/{year}.pdf?lang={lang}")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(r.data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    # Numbers and names are isolated (U+2066..U+2069) so they keep their direction.
    return re.sub("[\u2066-\u2069]", "", text).replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture
def association_life(association: Any, books: dict[str, int]) -> None:
    """Three members at the end of 2026 (one left in 2025), one general assembly held in 2026."""
    from ent_plugins.governance.models import Body, Meeting, Member, MemberCategory

    with sdk.in_workspace(association):
        # The module came with its default categories (members.ensure_default_categories).
        category = sdk.db.session.scalars(
            sdk.db.select(MemberCategory).where(MemberCategory.code == "active")
        ).one()
        body = Body(kind="general_assembly", name="Assemblée générale")
        sdk.db.session.add(body)
        sdk.db.session.flush()
        for n, (joined, left) in enumerate(
            [
                (date(2019, 1, 1), None),
                (date(2024, 5, 1), None),
                (date(2026, 3, 1), None),
                (date(2020, 1, 1), date(2025, 6, 30)),
            ]
        ):
            sdk.db.session.add(
                Member(
                    number=f"M{n}",
                    name=f"Membre {n}",
                    category_id=category.id,
                    joined_on=joined,
                    left_on=left,
                )
            )
        sdk.db.session.add(
            Meeting(
                body_id=body.id,
                kind="ordinary",
                title="AGO 2026",
                starts_at=datetime(2026, 4, 12, 9, 0, tzinfo=UTC),
                status="closed",
            )
        )
        sdk.db.session.commit()


@pytest.mark.frozen_clock
def test_the_french_report_has_the_moral_and_financial_parts(
    client: Any, gov_api: Any, books: dict[str, int], association_life: None
) -> None:
    r = gov_api.post(
        f"{API}/projects/{books['well']}/milestones",
        json={"title": "Forage terminé", "done_on": "2026-05-20"},
    )
    assert r.status_code == 201
    text = _pdf_text(client, 2026, "fr")
    assert "Rapport moral" in text and "Rapport financier" in text
    assert "3 membres à la fin de l'année" in text
    assert "1 réunion tenue dans l'année" in text
    assert "Forage terminé" in text
    assert "INDH Tiznit" in text
    assert "33 333,64 MAD" in text.replace("\u202f", " ")  # received in 2026
    assert "Projet en préparation" not in text


@pytest.mark.frozen_clock
def test_the_arabic_report_reads_in_logical_order(
    client: Any, books: dict[str, int], association_life: None
) -> None:
    # pypdf gives right-to-left runs back in reading order; unshaped text written left to
    # right would come back reversed.
    text = _pdf_text(client, 2026, "ar")
    assert "التقرير الأدبي" in text and "يبدلأا ريرقتلا" not in text  # the moral report
    assert "الأموال المتوصل بها" in text  # funds received
    assert "المجموع" in text
    assert "33.333,64" in text  # received in 2026, Moroccan separators
    assert "Puits de Tafraout" in text  # a Latin title kept in its own direction
    assert "2026" in text
    assert "?" not in text


@pytest.mark.frozen_clock
def test_the_project_pages_read_right_to_left_in_arabic(
    client: Any, signed_in_client: Any, gov_api: Any, books: dict[str, int]
) -> None:
    ind = gov_api.post(
        f"{API}/projects/{books['well']}/indicators",
        json={"name": "Foyers raccordés", "baseline": "10", "target": "110"},
    ).json
    gov_api.post(
        f"{API}/projects/{books['well']}/indicators/{ind['id']}/measurements",
        json={"measured_on": "2026-06-01", "value": "60"},
    )
    for page in (
        client.get(f"{S}/projects/{books['well']}?lang=ar"),
        signed_in_client.get(f"/w/souss/governance/projects/{books['well']}?lang=ar"),
    ):
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert 'dir="rtl"' in html
        assert re.search("<bdi>[^<]*45.000,45[^<]*</bdi>", html)  # an amount, isolated
        assert '<bdi dir="ltr">50 %</bdi>' in html  # progress from 10 towards 110


def test_a_long_budget_line_is_cut_to_its_cell_in_the_report(
    client: Any, gov_api: Any, books: dict[str, int]
) -> None:
    label = "Réhabilitation " + "de la seguia du douar Ait Mansour " * 5
    _spend(gov_api, books["well"], label.strip(), "10.00", "5.00")
    _give(gov_api, books["well"], books["indh"], 2027, "1.00")
    text = _pdf_text(client, 2027, "fr")
    assert "Réhabilitation de la seguia" in text and "..." in text
    assert label.strip() not in text


def _grow(api: Any, project: int, n: int) -> None:
    for i in range(n):
        funder = _funder(api, f"Bailleur {project}-{n}-{i}", "private")
        _give(api, project, funder, 2026, "1.00")
        _spend(api, project, f"Ligne {n}-{i}", "1.00", "1.00")
        ind = api.post(
            f"{API}/projects/{project}/indicators", json={"name": f"I{n}-{i}", "target": "9"}
        ).json
        api.post(
            f"{API}/projects/{project}/indicators/{ind['id']}/measurements",
            json={"measured_on": "2020-01-01", "value": "1"},
        )


def test_the_public_project_page_costs_the_same_statements_at_any_size(
    client: Any, gov_api: Any, association: Any
) -> None:
    from ent_core.testing import sql_statements

    project = _project(gov_api, "Puits")
    _grow(gov_api, project, 1)
    with sql_statements() as small:
        assert client.get(f"{S}/projects/{project}").status_code == 200
    _grow(gov_api, project, 6)
    with sql_statements() as large:
        assert client.get(f"{S}/projects/{project}").status_code == 200
    assert len(large) == len(small)
