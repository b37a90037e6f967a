"""``/healthz`` answers while the process is up; ``/readyz`` only when its dependencies do."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client


def test_healthz_answers_without_touching_the_database(client: Client) -> None:
    # No django_db mark: pytest-django makes any database access in this test an error.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_ok_when_the_database_answers(client: Client, settings) -> None:
    settings.CELERY_BROKER_URL = ""
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert "not configured" in body["checks"]["broker"]


# serialized_rollback: the flush after a transactional test must give back the rows the
# migrations created (content types, the competency framework, Wagtail's root page).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_readyz_is_503_naming_the_database_when_it_is_unreachable(client: Client, settings) -> None:
    settings.CELERY_BROKER_URL = ""
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    try:
        response = client.get("/readyz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "failed"
    assert body["failed"] == {"database": "DATABASE_URL: the database does not answer"}
    # Nothing about where the database is or what the driver said.
    text = response.content.decode()
    assert "127.0.0.1" not in text and original["NAME"] not in text and "port" not in text
    # The connection works again once the database is back.
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_is_503_naming_the_broker_when_it_is_unreachable(client: Client, settings) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"] == {"database": "ok", "broker": "failed"}
    assert body["failed"] == {"broker": "CELERY_BROKER_URL: the broker does not answer"}
    assert "127.0.0.1" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_checks_the_real_broker_when_configured(client: Client, settings) -> None:
    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is not set: no broker to check")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"
