"""Plans and projects in the members' area: forms with CSRF, who may do what, what members see."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from ent_core.testing import sample_image, sample_pdf

W = "/w/souss/governance"
API = "/api/v1/workspaces/souss/governance"


def _id(location: str, kind: str) -> int:
    found = re.search(rf"/{kind}/(\d+)", location)
    assert found, location
    return int(found.group(1))


@pytest.fixture
def plan_id(signed_in_client: Any, association: Any) -> int:
    r = signed_in_client.post(
        f"{W}/plans/new",
        data={
            "title": "Plan de développement 2025-2030",
            "starts_year": "2025",
            "ends_year": "2030",
        },
    )
    assert r.status_code == 303
    return _id(r.location, "plans")


@pytest.fixture
def project_id(signed_in_client: Any, association: Any) -> int:
    r = signed_in_client.post(
        f"{W}/projects/new",
        data={"title": "Puits de Tafraout", "status": "running", "goal_id": "", "published": "y"},
    )
    assert r.status_code == 303
    return _id(r.location, "projects")


def test_the_home_links_to_plans_and_projects(signed_in_client: Any, association: Any) -> None:
    page = signed_in_client.get(f"{W}/").get_data(as_text=True)
    assert f'href="{W}/plans/"' in page
    assert 'href="/s/souss/governance/transparency"' in page


def test_the_public_home_links_to_projects_and_transparency(client: Any, association: Any) -> None:
    page = client.get("/s/souss/governance/").get_data(as_text=True)
    assert 'href="/s/souss/governance/projects/"' in page
    assert 'href="/s/souss/governance/transparency"' in page


def test_a_plan_gets_goals(signed_in_client: Any, plan_id: int) -> None:
    r = signed_in_client.post(f"{W}/plans/{plan_id}/goals/new", data={"title": "L'eau potable"})
    assert r.status_code == 303
    page = signed_in_client.get(f"{W}/plans/{plan_id}").get_data(as_text=True)
    assert "L&#39;eau potable" in page


def test_a_plan_ending_before_it_starts_comes_back_with_the_error(
    signed_in_client: Any, association: Any
) -> None:
    r = signed_in_client.post(
        f"{W}/plans/new?lang=en", data={"title": "P", "starts_year": "2030", "ends_year": "2020"}
    )
    assert r.status_code == 422
    assert "The plan cannot end before it starts." in r.get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused(signed_in_client: Any, association: Any) -> None:
    r = signed_in_client.post(
        f"{W}/plans/new",
        data={"title": "P", "starts_year": "2025", "ends_year": "2026"},
        csrf=False,
    )
    assert r.status_code in (400, 422)


def test_a_project_under_a_goal(signed_in_client: Any, plan_id: int) -> None:
    signed_in_client.post(f"{W}/plans/{plan_id}/goals/new", data={"title": "Eau"})
    page = signed_in_client.get(f"{W}/projects/new").get_data(as_text=True)
    found = re.search(r'value="(goal:\d+)"', page)
    assert found, "the goals are offered"
    r = signed_in_client.post(
        f"{W}/projects/new", data={"title": "Puits", "status": "planned", "goal_id": found[1]}
    )
    assert r.status_code == 303
    assert "Puits" in signed_in_client.get(f"{W}/plans/{plan_id}").get_data(as_text=True)


def test_budget_lines_are_shown_with_their_totals(signed_in_client: Any, project_id: int) -> None:
    for label, planned, spent in (("Forage", "1000.10", "500.05"), ("Pompe", "2000.20", "0.05")):
        r = signed_in_client.post(
            f"{W}/projects/{project_id}/budget/new",
            data={"label": label, "planned": planned, "spent": spent},
        )
        assert r.status_code == 303
    page = signed_in_client.get(f"{W}/projects/{project_id}?lang=fr").get_data(as_text=True)
    page = page.replace("\u202f", " ").replace("\xa0", " ")
    assert "3 000,30 MAD" in page  # planned, to the centime
    assert "500,10 MAD" in page  # spent


def test_a_negative_amount_is_refused_under_its_field(
    signed_in_client: Any, project_id: int
) -> None:
    r = signed_in_client.post(
        f"{W}/projects/{project_id}/budget/new", data={"label": "X", "planned": "-5"}
    )
    assert r.status_code == 422


def test_a_plain_member_cannot_add_a_budget_line(member_client: Any, project_id: int) -> None:
    r = member_client.post(f"{W}/projects/{project_id}/budget/new", data={"label": "X"})
    assert r.status_code == 403


def test_the_treasurer_edits_a_budget_line(
    gov_api: Any, signed_in_client: Any, treasurer_client: Any, project_id: int
) -> None:
    signed_in_client.post(
        f"{W}/projects/{project_id}/budget/new", data={"label": "Forage", "planned": "100"}
    )
    line = gov_api.get(f"{API}/projects/{project_id}/budget-lines").json["items"][0]
    r = treasurer_client.post(
        f"{W}/projects/{project_id}/budget/{line['id']}/edit",
        data={"label": "Forage", "planned": "100", "committed": "90", "spent": "80.40"},
    )
    assert r.status_code == 303
    again = gov_api.get(f"{API}/projects/{project_id}/budget-lines").json["items"][0]
    assert again["spent"] == {"amount": "80.40", "currency": "MAD"}


def test_a_plain_member_sees_published_projects_only(
    signed_in_client: Any, member_client: Any, project_id: int
) -> None:
    r = signed_in_client.post(
        f"{W}/projects/new", data={"title": "Brouillon secret", "status": "planned"}
    )
    draft = _id(r.location, "projects")
    listing = member_client.get(f"{W}/plans/").get_data(as_text=True)
    assert "Puits de Tafraout" in listing and "Brouillon secret" not in listing
    assert member_client.get(f"{W}/projects/{draft}").status_code == 404
    assert "Add a budget line" not in member_client.get(f"{W}/projects/{project_id}").get_data(
        as_text=True
    )


def test_funders_and_a_contribution(gov_api: Any, signed_in_client: Any, project_id: int) -> None:
    r = signed_in_client.post(f"{W}/funders/", data={"name": "INDH Tiznit", "kind": "indh"})
    assert r.status_code == 303
    funder = gov_api.get(f"{API}/funders").json["items"][0]
    r = signed_in_client.post(
        f"{W}/projects/{project_id}/contributions/new",
        data={"funder_id": funder["id"], "year": "2026", "pledged": "5000", "received": "2500"},
    )
    assert r.status_code == 303
    page = signed_in_client.get(f"{W}/projects/{project_id}").get_data(as_text=True)
    assert "INDH Tiznit" in page


def test_a_second_funder_of_the_same_name_is_refused(
    signed_in_client: Any, association: Any
) -> None:
    signed_in_client.post(f"{W}/funders/", data={"name": "Commune", "kind": "commune"})
    r = signed_in_client.post(f"{W}/funders/?lang=en", data={"name": "commune", "kind": "commune"})
    assert r.status_code == 422
    assert "A funder with this name exists already." in r.get_data(as_text=True)


@pytest.mark.frozen_clock
def test_a_milestone_is_marked_reached_today(
    gov_api: Any, signed_in_client: Any, project_id: int
) -> None:
    signed_in_client.post(
        f"{W}/projects/{project_id}/milestones/new", data={"title": "Étude", "due_on": "2026-07-01"}
    )
    m = gov_api.get(f"{API}/projects/{project_id}/milestones").json["items"][0]
    r = signed_in_client.post(f"{W}/projects/{project_id}/milestones/{m['id']}/done")
    assert r.status_code == 303
    again = gov_api.get(f"{API}/projects/{project_id}/milestones").json["items"][0]
    assert again["done_on"] == "2026-06-15"


@pytest.mark.frozen_clock
def test_an_indicator_is_drawn_and_tabulated(
    gov_api: Any, signed_in_client: Any, project_id: int
) -> None:
    signed_in_client.post(
        f"{W}/projects/{project_id}/indicators/new",
        data={"name": "Foyers raccordés", "baseline": "0", "target": "100"},
    )
    ind = gov_api.get(f"{API}/projects/{project_id}/indicators").json["items"][0]
    for day, value in (("2026-01-15", "20"), ("2026-05-15", "45")):
        r = signed_in_client.post(
            f"{W}/projects/{project_id}/indicators/{ind['id']}/measurements/new",
            data={"measured_on": day, "value": value},
        )
        assert r.status_code == 303
    page = signed_in_client.get(f"{W}/projects/{project_id}").get_data(as_text=True)
    assert '<svg class="indicator-chart"' in page and 'aria-hidden="true"' in page
    assert "<polyline" in page
    assert ">45<" in page.replace('<bdi dir="ltr">', "").replace("</bdi>", "<")


def test_an_update_with_photos_is_published(
    gov_api: Any, signed_in_client: Any, member_client: Any, project_id: int
) -> None:
    r = signed_in_client.post(
        f"{W}/projects/{project_id}/updates/new",
        data={
            "title": "Le forage commence",
            "body": "Premier jour.",
            "photos_alt": "La foreuse installée au bord de la piste",
            "photos": [
                (io.BytesIO(sample_image("PNG")), "a.png"),
                (io.BytesIO(sample_image("JPEG")), "b.jpg"),
            ],
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 303
    update = gov_api.get(f"{API}/projects/{project_id}/updates").json["items"][0]
    assert len(update["photos"]) == 2
    photo = f"{W}/projects/{project_id}/updates/{update['id']}/photos/0"
    assert member_client.get(photo).status_code == 404  # a draft is nobody else's news
    r = signed_in_client.post(f"{W}/projects/{project_id}/updates/{update['id']}/publish")
    assert r.status_code == 303
    shown = member_client.get(photo)
    assert shown.status_code == 200 and shown.mimetype == "image/png"


def test_an_update_refuses_a_pdf_as_a_photo_and_keeps_nothing(
    gov_api: Any, signed_in_client: Any, project_id: int
) -> None:
    r = signed_in_client.post(
        f"{W}/projects/{project_id}/updates/new",
        data={
            "title": "T",
            "photos_alt": "Un document",
            "photos": [(io.BytesIO(sample_pdf()), "photo.jpg")],
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 422
    assert gov_api.get(f"{API}/projects/{project_id}/updates").json["items"] == []


def test_publishing_an_update_goes_through_the_announce_seam(
    gov_api: Any, signed_in_client: Any, project_id: int, monkeypatch: Any
) -> None:
    from ent_plugins.governance import projects

    announced: list[int] = []
    monkeypatch.setattr(projects, "_announce", lambda update: announced.append(update.id))
    signed_in_client.post(f"{W}/projects/{project_id}/updates/new", data={"title": "T"})
    update = gov_api.get(f"{API}/projects/{project_id}/updates").json["items"][0]
    signed_in_client.post(f"{W}/projects/{project_id}/updates/{update['id']}/publish")
    signed_in_client.post(f"{W}/projects/{project_id}/updates/{update['id']}/withdraw")
    assert announced == [update["id"]]


def test_deleting_a_plan_keeps_its_projects(
    gov_api: Any, signed_in_client: Any, plan_id: int
) -> None:
    r = signed_in_client.post(
        f"{W}/projects/new",
        data={"title": "Puits", "status": "planned", "goal_id": f"plan:{plan_id}"},
    )
    project = _id(r.location, "projects")
    assert signed_in_client.post(f"{W}/plans/{plan_id}/delete").status_code == 303
    one = gov_api.get(f"{API}/projects/{project}").json
    assert one["plan_id"] is None


def test_photos_need_a_description(signed_in_client: Any, gov_api: Any, project_id: int) -> None:
    r = signed_in_client.post(
        f"{W}/projects/{project_id}/updates/new?lang=en",
        data={"title": "T", "photos": [(io.BytesIO(sample_image("PNG")), "a.png")]},
        content_type="multipart/form-data",
    )
    assert r.status_code == 422
    assert "Describe what the photos show" in r.get_data(as_text=True)
    assert gov_api.get(f"{API}/projects/{project_id}/updates").json["items"] == []


def test_the_photos_description_is_their_alternative_text(
    signed_in_client: Any, client: Any, gov_api: Any, project_id: int
) -> None:
    signed_in_client.post(
        f"{W}/projects/{project_id}/updates/new",
        data={
            "title": "Chantier",
            "photos_alt": "Les ouvriers coulent la margelle",
            "photos": [(io.BytesIO(sample_image("PNG")), "a.png")],
        },
        content_type="multipart/form-data",
    )
    update = gov_api.get(f"{API}/projects/{project_id}/updates").json["items"][0]
    signed_in_client.post(f"{W}/projects/{project_id}/updates/{update['id']}/publish")
    page = client.get(f"/s/souss/governance/projects/{project_id}").get_data(as_text=True)
    assert 'alt="Les ouvriers coulent la margelle"' in page
