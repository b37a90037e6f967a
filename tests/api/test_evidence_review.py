"""Reviewing evidence through HTTP: provisional evidence does not count in a unit's gaps until
the head of the person's unit (or HR) validates it, on the dashboard's queue or through the
API; a head of another unit cannot; the person sees the decision; webhooks announce it."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from competencies.models import Evidence
from tests.api.test_webhooks import receiver, subscribe  # noqa: F401  (the receiver fixture)

CLAIM = {
    "competency": "TIK-05",
    "level": 3,
    "source": "self_assessment",
    "achieved_date": "2025-06-01",
    "note": "Mengelola replikasi basis data SIMPEG",
}


def claim(client, employee) -> dict:
    response = client.post("/api/v1/evidence/", {**CLAIM, "employee": employee.pk}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def egov_total_gap(client, city) -> int:
    response = client.get(f"/api/v1/org-units/{city.egov.pk}/gaps/")
    assert response.status_code == 200, response.json()
    return response.json()["total_gap"]


def logged_in(username: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_provisional_evidence_counts_in_the_unit_only_once_the_head_validates_it(
    city, api_client
) -> None:
    hr_system = api_client("employees:write gaps:read")
    before = egov_total_gap(hr_system, city)
    item = claim(hr_system, city.budi)
    assert (item["status"], item["counts"], item["reviewed_at"]) == ("provisional", False, None)
    assert egov_total_gap(hr_system, city) == before  # a claim changes nothing yet

    head = logged_in("citra")  # Ketua Tim e-Government, Budi's unit
    queue = head.get("/dashboard/validation/")
    assert queue.status_code == 200
    page = queue.content.decode()
    assert "Budi Santoso" in page and "Mengelola replikasi basis data SIMPEG" in page
    response = head.post(
        "/dashboard/validation/", {"decide": f"validate:{item['id']}", f"note-{item['id']}": "Ya"}
    )
    assert response.status_code == 302
    assert egov_total_gap(hr_system, city) == before - 1
    evidence = Evidence.objects.get(pk=item["id"])
    assert (evidence.status, evidence.reviewed_by.username, evidence.review_note) == (
        "validated",
        "citra",
        "Ya",
    )
    assert "Budi Santoso" not in head.get("/dashboard/validation/").content.decode()


def test_a_head_of_another_unit_cannot_validate(city, api_client) -> None:
    item = claim(api_client("employees:write"), city.dedi)  # Dedi works at BKPSDM
    head = logged_in("citra")
    assert "Dedi Siregar" not in head.get("/dashboard/validation/").content.decode()
    response = head.post("/dashboard/validation/", {"decide": f"validate:{item['id']}"})
    assert response.status_code == 302
    assert "no longer waiting for you" in head.get("/dashboard/validation/").content.decode()
    # Through the API with the head's session: the evidence is not theirs to see.
    api = logged_in("citra")
    response = api.post(
        f"/api/v1/evidence/{item['id']}/validate/", "{}", content_type="application/json"
    )
    assert response.status_code in (403, 404)
    assert Evidence.objects.get(pk=item["id"]).status == "provisional"


def test_hr_validates_anyone_and_rejects_with_a_note_in_bulk(city, api_client, hr_user) -> None:
    system = api_client("employees:write")
    first, second = claim(system, city.dedi), claim(system, city.budi)
    hr = Client(HTTP_ACCEPT_LANGUAGE="en")
    hr.force_login(hr_user)
    refused = hr.post(
        "/dashboard/validation/",
        {"bulk": "reject", "selected": [first["id"], second["id"]], "bulk_note": ""},
        follow=True,
    )
    assert "Say why the evidence is rejected" in refused.content.decode()
    assert set(Evidence.objects.filter(status="provisional").values_list("pk", flat=True)) >= {
        first["id"],
        second["id"],
    }
    hr.post(
        "/dashboard/validation/",
        {"bulk": "reject", "selected": [first["id"], second["id"]], "bulk_note": "Tanpa bukti"},
    )
    assert list(
        Evidence.objects.filter(pk__in=[first["id"], second["id"]]).values_list("status", flat=True)
    ) == ["rejected", "rejected"]


def test_the_api_validates_rejects_once_and_filters_by_status(city, api_client) -> None:
    system = api_client("employees:write gaps:read")
    item, other = claim(system, city.budi), claim(system, city.ani)
    queue = system.get("/api/v1/evidence/", {"status": "provisional"}).json()["results"]
    assert {row["id"] for row in queue} == {item["id"], other["id"]}

    no_note = system.post(f"/api/v1/evidence/{other['id']}/reject/", {}, format="json")
    assert no_note.status_code == 400 and no_note.json()["errors"][0]["field"] == "note"
    rejected = system.post(
        f"/api/v1/evidence/{other['id']}/reject/", {"note": "Sertifikat kedaluwarsa"}, format="json"
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    validated = system.post(f"/api/v1/evidence/{item['id']}/validate/", {}, format="json")
    assert validated.status_code == 200
    assert (validated.json()["status"], validated.json()["counts"]) == ("validated", True)
    again = system.post(f"/api/v1/evidence/{item['id']}/reject/", {"note": "x"}, format="json")
    assert again.status_code == 409
    assert again["Content-Type"].startswith("application/problem+json")
    assert system.get("/api/v1/evidence/", {"status": "provisional"}).json()["results"] == []
    assert system.get("/api/v1/evidence/", {"status": "maybe"}).status_code == 400
    # Reviewing needs the write scope.
    reader = api_client("gaps:read")
    assert reader.post(f"/api/v1/evidence/{other['id']}/validate/").status_code == 403


def test_a_course_or_certificate_never_records_managerial_evidence(city, api_client) -> None:
    response = api_client("employees:write").post(
        "/api/v1/evidence/",
        {**CLAIM, "employee": city.budi.pk, "competency": "M.01", "source": "course_completion"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "source"
    assert not Evidence.objects.filter(employee=city.budi, competency__code="M.01").exists()


def test_reviews_are_announced_and_the_person_is_told(
    city,
    api_client,
    receiver,  # noqa: F811  (the fixture imported above)
    django_capture_on_commit_callbacks,
) -> None:
    system = api_client("employees:write webhooks:manage")
    subscribe(system, receiver.url, ["evidence.validated", "evidence.rejected"])
    item = claim(system, city.ani)  # Ani has a login
    with django_capture_on_commit_callbacks(execute=True):
        response = system.post(
            f"/api/v1/evidence/{item['id']}/validate/", {"note": "Sesuai"}, format="json"
        )
    assert response.status_code == 200
    [(headers, body)] = receiver.received  # evidence.recorded was not subscribed
    assert headers["X-Tangkas-Event"] == "evidence.validated"
    assert json.loads(body)["data"] == {"evidence": item["id"]}

    history = logged_in("ani").get("/me/history/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Evidence reviews" in history and "Sesuai" in history
    assert "badge-validated" in history


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_learner_sees_pending_evidence_marked(city, api_client, language) -> None:
    claim(api_client("employees:write"), city.ani)
    page = logged_in("ani").get("/me/competencies/", HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    text = page.content.decode()
    assert "badge-pending" in text
