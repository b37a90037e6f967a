"""Webhooks: subscriptions per API client, HMAC-SHA256 signed deliveries to a real local HTTP
receiver, retries when the receiver fails, and a delivery log."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.models import WebhookDelivery
from core.webhooks import services as webhooks


class Receiver:
    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                failing = len(receiver.received) <= receiver.failures
                self.send_response(503 if failing else 204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/tangkas"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    instance = Receiver()
    yield instance
    instance.close()


def subscribe(client, url: str, events: list[str]) -> dict:
    response = client.post("/api/v1/webhooks/", {"url": url, "events": events}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def record_evidence(client, city) -> None:
    response = client.post(
        "/api/v1/evidence/",
        {
            "employee": city.budi.pk,
            "competency": "TIK-05",
            "level": 3,
            "source": "assessment",
            "achieved_date": "2025-06-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_subscriptions_belong_to_their_client(city, api_client, receiver) -> None:
    mine, theirs = (
        api_client("employees:write webhooks:manage"),
        api_client("gaps:read webhooks:manage"),
    )
    created = subscribe(mine, receiver.url, ["evidence.recorded", "certificate.issued"])
    assert len(created["secret"]) == 64
    assert [w["id"] for w in mine.get("/api/v1/webhooks/").json()["results"]] == [created["id"]]
    assert "secret" not in mine.get("/api/v1/webhooks/").json()["results"][0]
    assert theirs.get("/api/v1/webhooks/").json()["results"] == []
    assert theirs.delete(f"/api/v1/webhooks/{created['id']}/").status_code == 404
    assert mine.delete(f"/api/v1/webhooks/{created['id']}/").status_code == 204
    bad = mine.post(
        "/api/v1/webhooks/", {"url": receiver.url, "events": ["gaji.naik"]}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"].startswith("events")


def test_an_event_is_delivered_signed(
    city, api_client, receiver, django_capture_on_commit_callbacks
) -> None:
    client = api_client("employees:write webhooks:manage")
    secret = subscribe(client, receiver.url, ["evidence.recorded"])["secret"]
    with django_capture_on_commit_callbacks(execute=True):
        record_evidence(client, city)
    [(headers, body)] = receiver.received
    # t=<unix seconds>,id=<event id>,v1=<HMAC-SHA256 of "<t>.<id>." + body>
    fields = dict(part.split("=", 1) for part in headers["X-Tangkas-Signature"].split(","))
    assert fields["id"] == headers["X-Tangkas-Delivery"]
    assert abs(int(fields["t"]) - time.time()) < webhooks.SIGNATURE_TOLERANCE_SECONDS
    message = f"{fields['t']}.{fields['id']}.".encode() + body
    expected = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(fields["v1"], expected)
    assert headers["X-Tangkas-Event"] == "evidence.recorded"
    payload = json.loads(body)
    assert payload["event"] == "evidence.recorded" and "evidence" in payload["data"]
    assert city.budi.nip not in body.decode() and city.budi.name not in body.decode()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 1, 204)


def test_a_failed_attempt_is_logged_and_raised_for_a_retry(
    city, api_client, django_capture_on_commit_callbacks
) -> None:
    flaky = Receiver(failures=10)
    try:
        client = api_client("employees:write webhooks:manage")
        subscribe(client, flaky.url, ["evidence.recorded"])
        with django_capture_on_commit_callbacks(execute=False):  # queue it, do not send it yet
            assert webhooks.event_publish(event="evidence.recorded", data={"evidence": 1}) == 1
        delivery = WebhookDelivery.objects.get()
        for attempt in range(1, webhooks.MAX_ATTEMPTS):
            with pytest.raises(webhooks.DeliveryFailed):
                webhooks.delivery_attempt(delivery_id=delivery.pk)
            delivery.refresh_from_db()
            assert (delivery.status, delivery.attempts, delivery.last_error) == (
                "pending",
                attempt,
                "HTTP 503",
            )
        webhooks.delivery_attempt(delivery_id=delivery.pk)  # the last one gives up without raising
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("failed", webhooks.MAX_ATTEMPTS)
    finally:
        flaky.close()


@pytest.mark.integration
def test_a_real_worker_retries_with_backoff_until_the_receiver_answers(
    city, api_client, workers
) -> None:
    from tests.conftest import wait_until

    flaky = Receiver(failures=2)
    try:
        workers.start()
        client = api_client("employees:write webhooks:manage")
        subscribe(client, flaky.url, ["evidence.recorded"])
        record_evidence(client, city)
        wait_until(
            lambda: WebhookDelivery.objects.filter(status="delivered").exists(),
            timeout=90,
            what="the worker to deliver after two failures",
        )
    finally:
        flaky.close()
    assert len(flaky.received) == 3
    assert flaky.received[0][1] == flaky.received[2][1]  # the same signed body each time
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 3, 204)


def test_people_do_not_manage_webhooks(city, as_person, hr_user) -> None:
    response = as_person(hr_user).get("/api/v1/webhooks/")
    assert response.status_code == 403
