"""Webhooks: subscriptions per API client, HMAC-SHA256 signed deliveries to a real local HTTP
receiver, retries when the receiver fails, and a delivery log."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from core.models import Event, WebhookDelivery
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


# --- Events, once each, at least once to each subscriber ----------------------------------


def publish_queued(event: str = "evidence.recorded", data: dict | None = None) -> int:
    """Record an event without sending it yet (the send waits for the commit)."""
    return webhooks.event_publish(event=event, data=data or {"evidence": 1})


def test_an_event_is_stored_once_and_every_subscriber_gets_its_id(
    city, api_client, receiver, django_capture_on_commit_callbacks
) -> None:
    first, second = api_client("webhooks:manage"), api_client("webhooks:manage")
    subscribe(first, receiver.url, ["evidence.recorded"])
    subscribe(second, receiver.url, ["evidence.recorded"])
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_queued() == 2
    [event] = Event.objects.filter(type="evidence.recorded")
    assert len(receiver.received) == 2
    for headers, body in receiver.received:
        assert headers["X-Tangkas-Delivery"] == str(event.pk)
        assert json.loads(body) == {
            "id": str(event.pk),
            "event": "evidence.recorded",
            "occurred_at": event.occurred_at.isoformat(),
            "data": {"evidence": 1},
        }


def test_events_are_stored_even_without_subscribers(db) -> None:
    assert publish_queued() == 0
    assert Event.objects.get().type == "evidence.recorded"


def deliveries_of(client, subscription: dict) -> list[dict]:
    response = client.get(f"/api/v1/webhooks/{subscription['id']}/deliveries/")
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def test_the_delivery_log_shows_attempts_and_the_next_retry_and_redelivers(
    city, api_client, django_capture_on_commit_callbacks
) -> None:
    flaky = Receiver(failures=1)
    try:
        client = api_client("webhooks:manage")
        subscription = subscribe(client, flaky.url, ["evidence.recorded"])
        with django_capture_on_commit_callbacks(execute=False):
            publish_queued()
        delivery = WebhookDelivery.objects.get()
        with pytest.raises(webhooks.DeliveryFailed) as failed:
            webhooks.delivery_attempt(delivery_id=delivery.pk)
        assert failed.value.retry_in == 2
        [logged] = deliveries_of(client, subscription)
        assert (logged["id"], logged["event"], logged["event_type"]) == (
            delivery.pk,
            str(delivery.event_id),
            "evidence.recorded",
        )
        assert (logged["status"], logged["attempts"], logged["response_code"]) == (
            "pending",
            1,
            503,
        )
        assert logged["last_error"] == "HTTP 503"
        retry_at = dt.datetime.fromisoformat(logged["next_attempt_at"])
        last_at = dt.datetime.fromisoformat(logged["last_attempt_at"])
        assert retry_at - last_at == dt.timedelta(seconds=2)

        redeliver = f"/api/v1/webhooks/{subscription['id']}/deliveries/{delivery.pk}/redeliver/"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(redeliver)
        assert response.status_code == 202 and response.json()["id"] == delivery.pk
        [logged] = deliveries_of(client, subscription)
        assert (logged["status"], logged["attempts"], logged["response_code"]) == (
            "delivered",
            2,
            204,
        )
        assert logged["next_attempt_at"] is None and logged["delivered_at"]
        # A delivered event can be asked for again (the receiver lost it): same id, same body.
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(redeliver).status_code == 202
        assert flaky.received[1][1] == flaky.received[2][1]
        assert deliveries_of(client, subscription)[0]["attempts"] == 3
    finally:
        flaky.close()


def test_the_delivery_log_costs_the_same_queries_however_long(
    city, api_client, receiver, django_capture_on_commit_callbacks, django_assert_num_queries
) -> None:
    client = api_client("webhooks:manage")
    subscription = subscribe(client, receiver.url, ["evidence.recorded"])
    url = f"/api/v1/webhooks/{subscription['id']}/deliveries/"
    with django_capture_on_commit_callbacks(execute=False):
        publish_queued()
    client.get(url)  # warm the token and scope caches
    with django_assert_num_queries(4) as one:
        assert len(client.get(url).json()["results"]) == 1
    with django_capture_on_commit_callbacks(execute=False):
        webhooks.event_publish_many(
            event="evidence.recorded", items=[{"evidence": n} for n in range(2, 12)]
        )
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get(url).json()["results"]) == 11


def test_the_log_and_redelivery_are_for_the_owner_only(
    city, api_client, receiver, django_capture_on_commit_callbacks
) -> None:
    mine, theirs = api_client("webhooks:manage"), api_client("webhooks:manage")
    subscription = subscribe(mine, receiver.url, ["evidence.recorded"])
    other = subscribe(theirs, receiver.url, ["evidence.recorded"])
    with django_capture_on_commit_callbacks(execute=False):
        publish_queued()
    delivery = WebhookDelivery.objects.get(subscription_id=subscription["id"])
    their_delivery = WebhookDelivery.objects.get(subscription_id=other["id"])
    base = f"/api/v1/webhooks/{subscription['id']}"
    assert theirs.get(f"{base}/").status_code == 404
    assert theirs.get(f"{base}/deliveries/").status_code == 404
    assert theirs.post(f"{base}/deliveries/{delivery.pk}/redeliver/").status_code == 404
    # Their delivery under my subscription's path is not found either.
    assert mine.post(f"{base}/deliveries/{their_delivery.pk}/redeliver/").status_code == 404
    assert (
        api_client("events:read").get(f"{base}/deliveries/").json()["code"] == "insufficient_scope"
    )
    assert mine.get(f"{base}/").json()["is_active"] is True


def fail_for_good(delivery: WebhookDelivery) -> WebhookDelivery:
    """Run a delivery's last attempt against a failing receiver."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=webhooks.MAX_ATTEMPTS - 1)
    return webhooks.delivery_attempt(delivery_id=delivery.pk)


def test_a_subscription_that_keeps_failing_is_disabled_and_says_why(
    city, api_client, settings, django_capture_on_commit_callbacks
) -> None:
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 2
    down = Receiver(failures=1000)
    try:
        client = api_client("webhooks:manage")
        subscription = subscribe(client, down.url, ["evidence.recorded"])
        detail = f"/api/v1/webhooks/{subscription['id']}/"
        with django_capture_on_commit_callbacks(execute=False):
            publish_queued(data={"evidence": 1})
            publish_queued(data={"evidence": 2})
        first, second = WebhookDelivery.objects.order_by("id")
        assert fail_for_good(first).status == "failed"
        body = client.get(detail).json()
        assert (body["is_active"], body["consecutive_failures"]) == (True, 1)
        assert fail_for_good(second).status == "failed"
        body = client.get(detail).json()
        assert (body["is_active"], body["consecutive_failures"]) == (False, 2)
        assert body["disabled_at"] and "HTTP 503" in body["disabled_reason"]
        # No new deliveries while it is off (the feed keeps the events).
        with django_capture_on_commit_callbacks(execute=False):
            assert publish_queued(data={"evidence": 3}) == 0
        # Its owner switches it back on once the receiver is fixed.
        response = client.patch(detail, {"is_active": True}, format="json")
        assert response.status_code == 200, response.json()
        assert (response.json()["is_active"], response.json()["consecutive_failures"]) == (
            True,
            0,
        )
        assert response.json()["disabled_reason"] == "" and response.json()["disabled_at"] is None
        assert client.patch(detail, {}, format="json").json()["is_active"] is True  # no change
    finally:
        down.close()


def test_a_success_resets_the_count_of_failures(
    city, api_client, receiver, settings, django_capture_on_commit_callbacks
) -> None:
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 2
    client = api_client("webhooks:manage")
    subscription = subscribe(client, receiver.url, ["evidence.recorded"])
    with django_capture_on_commit_callbacks(execute=False):
        publish_queued(data={"evidence": 1})
        publish_queued(data={"evidence": 2})
    first, second = WebhookDelivery.objects.order_by("id")
    receiver.failures = 1000
    fail_for_good(first)
    receiver.failures = 0
    assert webhooks.delivery_attempt(delivery_id=second.pk).status == "delivered"
    body = client.get(f"/api/v1/webhooks/{subscription['id']}/").json()
    assert (body["is_active"], body["consecutive_failures"]) == (True, 0)


def test_the_sweep_sends_deliveries_whose_task_was_lost(
    city, api_client, receiver, django_capture_on_commit_callbacks
) -> None:
    client = api_client("webhooks:manage")
    subscribe(client, receiver.url, ["evidence.recorded"])
    with django_capture_on_commit_callbacks(execute=False):  # the broker never got the task
        publish_queued()
    assert webhooks.deliveries_overdue() == 0  # not overdue yet: its task may still come
    WebhookDelivery.objects.update(
        next_attempt_at=timezone.now() - webhooks.OVERDUE_AFTER - dt.timedelta(seconds=1)
    )
    assert webhooks.deliveries_overdue() == 1
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.get().status == "delivered"
    assert webhooks.deliveries_overdue() == 0
