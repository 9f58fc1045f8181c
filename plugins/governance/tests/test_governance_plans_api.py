"""Plans and projects through the API: every object, money as decimal strings, stable codes."""

from __future__ import annotations

from typing import Any

import pytest

from ent_core.testing import sample_image, sample_pdf

API = "/api/v1/workspaces/souss/governance"


def mad(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "MAD"}


@pytest.fixture
def project(gov_api: Any) -> dict[str, Any]:
    r = gov_api.post(f"{API}/projects", json={"title": "Puits de Tafraout", "published": True})
    assert r.status_code == 201, r.json
    return r.json


def test_a_plan_with_goals_is_created_and_listed(gov_api: Any) -> None:
    r = gov_api.post(
        f"{API}/plans", json={"title": "Plan 2025-2030", "starts_year": 2025, "ends_year": 2030}
    )
    assert r.status_code == 201
    plan = r.json
    goal = gov_api.post(f"{API}/plans/{plan['id']}/goals", json={"title": "L'eau pour tous"})
    assert goal.status_code == 201 and goal.json["position"] == 1
    listed = gov_api.get(f"{API}/plans").json
    assert [p["title"] for p in listed["items"]] == ["Plan 2025-2030"]
    assert listed["items"][0]["goals"][0]["title"] == "L'eau pour tous"
    assert listed["next_cursor"] is None


def test_a_plan_ending_before_it_starts_is_refused(gov_api: Any, association: Any) -> None:
    r = gov_api.post(f"{API}/plans", json={"title": "P", "starts_year": 2030, "ends_year": 2025})
    assert r.status_code == 422
    assert r.json["error"]["code"] == "validation_error"
    assert "ends_year" in r.json["error"]["details"]["fields"]


def test_a_patch_changes_only_what_it_names(gov_api: Any, association: Any) -> None:
    plan = gov_api.post(
        f"{API}/plans", json={"title": "P", "starts_year": 2025, "ends_year": 2027}
    ).json
    r = gov_api.patch(f"{API}/plans/{plan['id']}", json={"published": True})
    assert r.status_code == 200
    assert r.json["published"] is True and r.json["title"] == "P" and r.json["ends_year"] == 2027


def test_a_project_goes_under_the_plan_of_its_goal(gov_api: Any, association: Any) -> None:
    plan = gov_api.post(
        f"{API}/plans", json={"title": "P", "starts_year": 2025, "ends_year": 2027}
    ).json
    goal = gov_api.post(f"{API}/plans/{plan['id']}/goals", json={"title": "G"}).json
    r = gov_api.post(f"{API}/projects", json={"title": "Puits", "goal_id": goal["id"]})
    assert r.status_code == 201
    assert r.json["plan_id"] == plan["id"] and r.json["goal_id"] == goal["id"]
    assert r.json["url"].endswith(f"/s/souss/governance/projects/{r.json['id']}")


def test_budget_lines_take_and_give_money_as_decimal_strings(
    gov_api: Any, project: dict[str, Any]
) -> None:
    url = f"{API}/projects/{project['id']}/budget-lines"
    r = gov_api.post(
        url,
        json={"label": "Forage", "planned": mad("120000.00"), "spent": mad("45000.50")},
    )
    assert r.status_code == 201
    assert r.json["planned"] == mad("120000.00")
    assert r.json["committed"] == mad("0.00")
    assert r.json["spent"] == mad("45000.50")
    one = gov_api.get(f"{API}/projects/{project['id']}").json
    assert one["spent"] == mad("45000.50")


def test_a_float_or_a_negative_amount_is_refused(gov_api: Any, project: dict[str, Any]) -> None:
    url = f"{API}/projects/{project['id']}/budget-lines"
    as_float = gov_api.post(url, json={"label": "X", "planned": {"amount": 1.5}})
    assert as_float.status_code == 422
    negative = gov_api.post(url, json={"label": "X", "planned": mad("-1.00")})
    assert negative.status_code == 422
    assert list(negative.json["error"]["details"]["fields"]) == ["planned"]


def test_the_treasurer_edits_the_figures(
    gov_api: Any, project: dict[str, Any], make_api_client: Any, treasurer: Any
) -> None:
    line = gov_api.post(
        f"{API}/projects/{project['id']}/budget-lines",
        json={"label": "Forage", "planned": mad("1000.00")},
    ).json
    r = make_api_client(treasurer).patch(
        f"{API}/projects/{project['id']}/budget-lines/{line['id']}",
        json={"committed": mad("800.00"), "spent": mad("650.25")},
    )
    assert r.status_code == 200
    assert (r.json["planned"], r.json["spent"]) == (mad("1000.00"), mad("650.25"))


def test_a_plain_member_cannot_write(member_api: Any, project: dict[str, Any]) -> None:
    r = member_api.post(f"{API}/projects/{project['id']}/budget-lines", json={"label": "X"})
    assert r.status_code == 403 and r.json["error"]["code"] == "forbidden"


def test_a_plain_member_sees_published_projects_only(
    gov_api: Any, member_api: Any, project: dict[str, Any]
) -> None:
    draft = gov_api.post(f"{API}/projects", json={"title": "Brouillon"}).json
    listed = member_api.get(f"{API}/projects").json["items"]
    assert [p["title"] for p in listed] == ["Puits de Tafraout"]
    assert member_api.get(f"{API}/projects/{draft['id']}").status_code == 404


def test_funders_and_contributions(gov_api: Any, project: dict[str, Any]) -> None:
    funder = gov_api.post(f"{API}/funders", json={"name": "INDH Tiznit", "kind": "indh"}).json
    url = f"{API}/projects/{project['id']}/contributions"
    r = gov_api.post(
        url,
        json={
            "funder_id": funder["id"],
            "year": 2026,
            "pledged": mad("50000.00"),
            "received": mad("30000.00"),
            "received_on": "2026-03-02",
        },
    )
    assert r.status_code == 201
    assert r.json["funder"]["kind"] == "indh" and r.json["received"] == mad("30000.00")
    again = gov_api.post(url, json={"funder_id": funder["id"], "year": 2026})
    assert again.status_code == 409 and again.json["error"]["code"] == "contribution_exists"


def test_a_funder_with_contributions_cannot_be_deleted(
    gov_api: Any, project: dict[str, Any]
) -> None:
    funder = gov_api.post(f"{API}/funders", json={"name": "Commune", "kind": "commune"}).json
    gov_api.post(
        f"{API}/projects/{project['id']}/contributions",
        json={"funder_id": funder["id"], "year": 2026},
    )
    r = gov_api.delete(f"{API}/funders/{funder['id']}")
    assert r.status_code == 409 and r.json["error"]["code"] == "funder_in_use"


def test_an_unknown_kind_of_funder_is_refused(gov_api: Any, association: Any) -> None:
    r = gov_api.post(f"{API}/funders", json={"name": "X", "kind": "bank"})
    assert r.status_code == 422


@pytest.mark.frozen_clock
def test_milestones_are_reached_not_in_the_future(gov_api: Any, project: dict[str, Any]) -> None:
    url = f"{API}/projects/{project['id']}/milestones"
    m = gov_api.post(url, json={"title": "Étude", "due_on": "2026-06-01"}).json
    assert m["late"] is True
    future = gov_api.patch(f"{url}/{m['id']}", json={"done_on": "2026-07-01"})
    assert future.status_code == 422
    done = gov_api.patch(f"{url}/{m['id']}", json={"done_on": "2026-06-10"})
    assert done.json["done_on"] == "2026-06-10" and done.json["late"] is False


@pytest.mark.frozen_clock
def test_indicators_measure_progress_towards_the_target(
    gov_api: Any, project: dict[str, Any]
) -> None:
    url = f"{API}/projects/{project['id']}/indicators"
    ind = gov_api.post(
        url, json={"name": "Foyers raccordés", "unit": "foyers", "baseline": "20", "target": "120"}
    ).json
    assert ind["progress"] is None
    r = gov_api.post(
        f"{url}/{ind['id']}/measurements", json={"measured_on": "2026-05-01", "value": "70"}
    )
    assert r.status_code == 201
    again = gov_api.get(url).json["items"][0]
    assert again["progress"] == 50
    assert [m["value"] for m in again["measurements"]] == ["70.0000"]


def test_a_measurement_in_the_future_is_refused(gov_api: Any, project: dict[str, Any]) -> None:
    url = f"{API}/projects/{project['id']}/indicators"
    ind = gov_api.post(url, json={"name": "N", "target": "10"}).json
    r = gov_api.post(
        f"{url}/{ind['id']}/measurements", json={"measured_on": "2100-01-01", "value": "1"}
    )
    assert r.status_code == 422
    assert "measured_on" in r.json["error"]["details"]["fields"]


def test_updates_are_published_through_transitions(gov_api: Any, project: dict[str, Any]) -> None:
    url = f"{API}/projects/{project['id']}/updates"
    u = gov_api.post(url, json={"title": "Le forage commence"}).json
    assert u["published"] is False
    r = gov_api.post(f"{url}/{u['id']}/transitions", json={"transition": "publish"})
    assert r.status_code == 200 and r.json["published"] is True and r.json["published_at"]
    again = gov_api.post(f"{url}/{u['id']}/transitions", json={"transition": "publish"})
    assert again.status_code == 409
    assert again.json["error"]["code"] == "invalid_transition"
    assert again.json["error"]["details"]["allowed"] == ["withdraw"]


def test_an_update_of_an_unpublished_project_is_not_published(
    gov_api: Any, association: Any
) -> None:
    draft = gov_api.post(f"{API}/projects", json={"title": "Brouillon"}).json
    url = f"{API}/projects/{draft['id']}/updates"
    u = gov_api.post(url, json={"title": "T"}).json
    r = gov_api.post(f"{url}/{u['id']}/transitions", json={"transition": "publish"})
    assert r.status_code == 409 and r.json["error"]["code"] == "project_not_published"


def test_photos_are_images_checked_by_content(gov_api: Any, project: dict[str, Any]) -> None:
    url = f"{API}/projects/{project['id']}/updates"
    u = gov_api.post(url, json={"title": "Photos"}).json
    ok = gov_api.post(
        f"{url}/{u['id']}/photos?alt=Le+chantier",
        data=sample_image("JPEG"),
        content_type="image/jpeg",
    )
    assert ok.status_code == 201 and len(ok.json["photos"]) == 1
    assert ok.json["photos_alt"] == "Le chantier"
    pdf = gov_api.post(f"{url}/{u['id']}/photos", data=sample_pdf(), content_type="image/jpeg")
    assert pdf.status_code == 422 and pdf.json["error"]["code"] == "upload_rejected"


def test_the_transparency_figures_as_json(gov_api: Any, project: dict[str, Any]) -> None:
    funder = gov_api.post(f"{API}/funders", json={"name": "Région SMD", "kind": "region"}).json
    gov_api.post(
        f"{API}/projects/{project['id']}/contributions",
        json={"funder_id": funder["id"], "year": 2025, "received": mad("0.10")},
    )
    gov_api.post(
        f"{API}/projects/{project['id']}/contributions",
        json={"funder_id": funder["id"], "year": 2026, "received": mad("0.20")},
    )
    figures = gov_api.get(f"{API}/transparency").json
    assert figures["years"] == [2025, 2026]
    assert figures["received"]["total"] == mad("0.30")
    assert figures["received"]["by_kind"][0]["kind"] == "region"
    assert gov_api.get(f"{API}/transparency?year=2026").json["received"]["total"] == mad("0.20")


def test_the_report_pdf_through_the_api(gov_api: Any, project: dict[str, Any]) -> None:
    r = gov_api.get(f"{API}/reports/2026.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF-")


def test_deleting_a_project_takes_what_hangs_on_it(gov_api: Any, project: dict[str, Any]) -> None:
    pid = project["id"]
    gov_api.post(f"{API}/projects/{pid}/budget-lines", json={"label": "L"})
    gov_api.post(f"{API}/projects/{pid}/milestones", json={"title": "M"})
    ind = gov_api.post(f"{API}/projects/{pid}/indicators", json={"name": "I", "target": "3"}).json
    gov_api.post(
        f"{API}/projects/{pid}/indicators/{ind['id']}/measurements",
        json={"measured_on": "2020-01-01", "value": "1"},
    )
    assert gov_api.delete(f"{API}/projects/{pid}").status_code == 204
    assert gov_api.get(f"{API}/projects/{pid}").status_code == 404


def test_a_photo_without_a_description_is_refused(gov_api: Any, project: dict[str, Any]) -> None:
    url = f"{API}/projects/{project['id']}/updates"
    u = gov_api.post(url, json={"title": "Photos"}).json
    r = gov_api.post(f"{url}/{u['id']}/photos", data=sample_image(), content_type="image/png")
    assert r.status_code == 422
    assert list(r.json["error"]["details"]["fields"]) == ["photos_alt"]
