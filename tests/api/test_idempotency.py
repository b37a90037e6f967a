"""Idempotency-Key records: a key left "in progress" by a request that died lapses, so the
retry goes through once; records (which hold request bodies) are purged after a day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from competencies.models import Employee
from core.api.idempotency import idempotency_records_purge
from core.api.identity import request_owner
from core.models import IdempotencyRecord
from core.tasks import idempotency_purge
from tests.competencies.factories import make_nip

KEY = "sync-2026-11-29-0001"


def _post(client, payload):
    return client.post("/api/v1/employees/", payload, format="json", HTTP_IDEMPOTENCY_KEY=KEY)


def _stuck_claim(client, payload, *, age: dt.timedelta) -> IdempotencyRecord:
    """What a request that died after claiming the key leaves behind."""
    first = _post(client, payload)  # learn the owner and fingerprint the real way
    record = IdempotencyRecord.objects.get(key=KEY)
    Employee.objects.filter(pk=first.json()["id"]).delete()  # as if it never finished
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        status_code=None, body=None, created_at=timezone.now() - age
    )
    return record


def test_a_fresh_claim_in_progress_answers_409(city, api_client) -> None:
    client = api_client("employees:write employees:read")
    payload = {"nip": make_nip(), "name": "Masih Diproses"}
    _stuck_claim(client, payload, age=dt.timedelta(seconds=30))
    response = _post(client, payload)
    assert response.status_code == 409 and response.json()["code"] == "request_in_progress"
    assert not Employee.objects.filter(name="Masih Diproses").exists()


def test_a_lapsed_claim_is_taken_over_by_the_retry_once(city, api_client, settings) -> None:
    settings.IDEMPOTENCY_IN_PROGRESS_SECONDS = 300
    client = api_client("employees:write employees:read")
    payload = {"nip": make_nip(), "name": "Dicoba Lagi"}
    _stuck_claim(client, payload, age=dt.timedelta(minutes=6))
    retry = _post(client, payload)
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry
    again = _post(client, payload)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Employee.objects.filter(name="Dicoba Lagi").count() == 1
    assert IdempotencyRecord.objects.filter(key=KEY).count() == 1


@pytest.mark.django_db
def test_records_are_purged_after_the_retention(settings) -> None:
    settings.IDEMPOTENCY_RETENTION_HOURS = 24
    now = timezone.now()
    for n, hours in enumerate([1, 23, 25, 24 * 30]):
        record = IdempotencyRecord.objects.create(
            owner="client:x", key=f"k{n}", fingerprint="f", status_code=201, body={}
        )
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            created_at=now - dt.timedelta(hours=hours)
        )
    assert idempotency_records_purge(now=now) == 2
    assert sorted(IdempotencyRecord.objects.values_list("key", flat=True)) == ["k0", "k1"]
    assert idempotency_purge() == 0  # the periodic task runs the same purge


def test_the_owner_of_a_request_is_the_client_or_the_person(rf, hr_user) -> None:
    request = rf.get("/")
    request.user = hr_user
    assert request_owner(request) == f"user:{hr_user.pk}"
