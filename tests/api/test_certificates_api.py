"""Certificates through the API: issuing for external training (idempotent), revoking with a
reason, and public, rate-limited verification that says exactly what failed."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from certificates import services
from certificates.models import Certificate
from competencies.models import Evidence
from courses.models import LearningRecord
from tests.certificates.privacy import nip_digit_runs, random_values

EXTERNAL = {
    "title": "Digital Talent Scholarship: Cloud Computing",
    "provider": "Kementerian Komunikasi dan Digital",
    "jp_hours": 16,
    "completed_date": "2025-05-20",
    "reference": "DTS-2025-001",
    "competencies": [{"competency": "TIK-03", "level": 2}],
}


@pytest.fixture
def issued(city, api_client, django_capture_on_commit_callbacks):
    client = api_client("certificates:write certificates:read")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/certificates/",
            {**EXTERNAL, "employee": city.budi.pk},
            format="json",
            HTTP_IDEMPOTENCY_KEY="dts-budi",
        )
    assert response.status_code == 201, response.json()
    return client, response.json()


def test_issuing_for_external_training_once_per_key(city, issued) -> None:
    client, body = issued
    assert body["title"] == EXTERNAL["title"] and body["alignments"] == [
        {"code": "TIK-03", "name": "Pengelolaan Pusat Data", "level": 2}
    ]
    again = client.post(
        "/api/v1/certificates/",
        {**EXTERNAL, "employee": city.budi.pk},
        format="json",
        HTTP_IDEMPOTENCY_KEY="dts-budi",
    )
    assert again.json()["id"] == body["id"]
    assert (
        Certificate.objects.count() == 1
        and LearningRecord.objects.filter(source="external_training").count() == 1
    )
    certificate = Certificate.objects.get()
    assert certificate.credential and certificate.pdf


def test_a_retry_after_a_failed_issue_records_the_training_once(
    city, api_client, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    """The learning record, its evidence and the certificate are one write: when the
    certificate step fails, nothing stays behind, so the retry with the same Idempotency-Key
    records the training once."""
    real_issue = services.certificate_issue_for_learning_record
    failures = [RuntimeError("the certificate step failed")]

    def fail_once(**kwargs):
        if failures:
            raise failures.pop()
        return real_issue(**kwargs)

    monkeypatch.setattr(services, "certificate_issue_for_learning_record", fail_once)
    client = api_client("certificates:write certificates:read")
    body = {**EXTERNAL, "employee": city.budi.pk}
    with pytest.raises(RuntimeError):
        client.post("/api/v1/certificates/", body, format="json", HTTP_IDEMPOTENCY_KEY="dts-retry")
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(
            "/api/v1/certificates/", body, format="json", HTTP_IDEMPOTENCY_KEY="dts-retry"
        )
    assert retried.status_code == 201, retried.json()
    assert LearningRecord.objects.filter(source="external_training").count() == 1
    assert Evidence.objects.filter(reference=EXTERNAL["reference"]).count() == 1
    assert Certificate.objects.count() == 1


def test_revoking_needs_a_reason_and_happens_once(issued) -> None:
    client, body = issued
    url = f"/api/v1/certificates/{body['id']}/revoke/"
    for blank, code in (("", "blank"), ("   ", "only_whitespace")):
        no_reason = client.post(url, {"reason": blank}, format="json")
        assert no_reason.status_code == 400
        assert [(e["field"], e["code"]) for e in no_reason.json()["errors"]] == [("reason", code)]
    revoked = client.post(url, {"reason": "Data pelatihan tidak sah"}, format="json")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert client.post(url, {"reason": "lagi"}, format="json").status_code == 409


def test_public_verification_reports_each_check(issued) -> None:
    _client, body = issued
    anonymous = APIClient()
    report = anonymous.get(f"/api/v1/certificates/verify/{body['code']}/").json()
    assert report["state"] == "valid" and report["verified"] is True
    assert report["signature"]["ok"] and report["status"]["ok"] and report["validity"]["ok"]
    assert report["credential"]["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    _client.post(
        f"/api/v1/certificates/{body['id']}/revoke/", {"reason": "Kecurangan"}, format="json"
    )
    report = anonymous.get(f"/api/v1/certificates/verify/{body['code']}/").json()
    assert (
        report["state"] == "revoked"
        and report["status"]["code"] == "revoked"
        and report["revocation_reason"] == "Kecurangan"
    )
    missing = anonymous.get("/api/v1/certificates/verify/00000000000000000000000000/")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"


def test_public_verification_names_the_holder_and_shows_no_nip_digits(city, issued) -> None:
    _client, body = issued
    response = APIClient().get(f"/api/v1/certificates/verify/{body['code']}/")
    report = response.json()
    assert report["holder_name"] == city.budi.name and "nip" not in report
    certificate = Certificate.objects.get(pk=body["id"])
    text = response.content.decode()
    assert nip_digit_runs(text, city.budi.nip, ignore=random_values(certificate)) == []
    assert "salt" not in text


def test_verification_is_throttled_with_retry_after(db, settings) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "verify": "2/min",
        },
    }
    from rest_framework.settings import api_settings

    api_settings.reload()
    from core.api.throttles import VerifyRateThrottle

    VerifyRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    cache.clear()
    try:
        statuses = [
            APIClient().get(f"/api/v1/certificates/verify/{n:026d}/").status_code for n in range(3)
        ]
        assert statuses == [404, 404, 429]
        limited = APIClient().get("/api/v1/certificates/verify/00000000000000000000000001/")
        assert (
            limited["Content-Type"] == "application/problem+json"
            and int(limited["Retry-After"]) > 0
        )
    finally:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK}
        api_settings.reload()
        VerifyRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        cache.clear()


def test_a_civil_servant_sees_only_their_own_certificates(city, issued, as_person) -> None:
    assert as_person(city.ani.user).get("/api/v1/certificates/").json()["results"] == []
    _client, body = issued
    assert as_person(city.ani.user).get(f"/api/v1/certificates/{body['id']}/").status_code == 404
