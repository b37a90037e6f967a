"""``GET /api/v1/events/?after=<event id>``: a receiver that was down catches up. Events come
in the order their transactions committed, never skipping one that committed late; the feed
needs ``events:read`` and is for API clients."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection

from core.models import Event
from core.webhooks import services as webhooks

FEED = "/api/v1/events/"


def publish(count: int, event: str = "evidence.recorded") -> list[Event]:
    webhooks.event_publish_many(event=event, items=[{"evidence": n} for n in range(count)])
    return list(Event.objects.order_by("-id")[:count])[::-1]


def test_the_feed_pages_through_every_event_once_in_order(db, api_client) -> None:
    client = api_client("events:read")
    events = publish(3) + publish(2, "assignment.created")
    seen, url = [], f"{FEED}?page_size=2"
    while url:
        page = client.get(url).json()
        seen += page["results"]
        url = page["next"]
    assert [entry["id"] for entry in seen] == [str(event.pk) for event in events]
    # The same document a webhook delivery's body is.
    assert seen[0] == events[0].as_payload()
    assert seen[0]["event"] == "evidence.recorded" and seen[0]["data"] == {"evidence": 0}
    # Caught up: an empty page, no next; ask again later with the same ``after``.
    last = client.get(f"{FEED}?after={events[-1].pk}").json()
    assert last == {"next": None, "results": []}
    newer = publish(1)
    assert [e["id"] for e in client.get(f"{FEED}?after={events[-1].pk}").json()["results"]] == [
        str(newer[0].pk)
    ]


def test_the_feed_filters_by_type(db, api_client) -> None:
    client = api_client("events:read")
    publish(2)
    [assignment] = publish(1, "assignment.created")
    page = client.get(f"{FEED}?type=assignment.created&type=certificate.issued").json()
    assert [e["id"] for e in page["results"]] == [str(assignment.pk)]
    bad = client.get(f"{FEED}?type=gaji.naik")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"].startswith("type")


def test_an_unknown_cursor_is_refused(db, api_client) -> None:
    response = api_client("events:read").get(f"{FEED}?after=987654")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "after"


def test_the_feed_needs_its_scope_and_is_for_clients(city, api_client, as_person, hr_user) -> None:
    refused = api_client("webhooks:manage gaps:read").get(FEED)
    assert refused.status_code == 403 and refused.json()["code"] == "insufficient_scope"
    person = as_person(hr_user).get(FEED, HTTP_ACCEPT_LANGUAGE="en")
    assert person.status_code == 403 and person.json()["code"] == "forbidden"
    assert person.json()["detail"] == "Only API clients read the event feed."
    assert api_client("events:read").get(FEED).status_code == 200


def test_the_feed_costs_the_same_queries_however_many_events(
    db, api_client, django_assert_num_queries
) -> None:
    client = api_client("events:read")
    [first] = publish(1)
    client.get(FEED)  # warm the token and scope caches
    with django_assert_num_queries(4) as few:
        assert len(client.get(f"{FEED}?after={first.pk}").json()["results"]) == 0
    publish(50)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{FEED}?after={first.pk}").json()["results"]) == 50


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_event_that_commits_late_is_not_skipped(api_client) -> None:
    """Event A is written first (the lower id) by a transaction that commits last. While it is
    open the feed shows neither A nor B, written and committed after it, so no reader can hold
    a cursor past A and miss it; once A commits, A sorts before B."""
    client = api_client("events:read")
    settings = connection.settings_dict
    slow = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )
    try:
        with slow.cursor() as cursor:
            cursor.execute(
                "INSERT INTO core_event (type, data, occurred_at) "
                "VALUES ('evidence.recorded', '{\"evidence\": 1}', now()) RETURNING id"
            )
            (late_id,) = cursor.fetchone()
        [early_commit] = publish(1)  # committed at once (no test transaction here)
        assert early_commit.pk > late_id
        assert client.get(FEED).json()["results"] == []
        assert not Event.objects.settled().filter(pk=early_commit.pk).exists()
        slow.commit()
    finally:
        slow.close()
    # How soon both show depends on the other transactions of the server (each that began
    # before B holds it back until it ends); the order does not.
    assert list(Event.objects.in_feed_order().values_list("pk", flat=True)) == [
        late_id,
        early_commit.pk,
    ]


def test_old_events_are_purged_once_delivered(db, settings) -> None:
    import datetime as dt

    from django.utils import timezone
    from oauth2_provider.models import Application

    from core.events.services import events_purge
    from core.models import WebhookDelivery, WebhookSubscription

    settings.EVENTS_RETENTION_DAYS = 90
    owner = Application.objects.create(
        name="HR", client_type="confidential", authorization_grant_type="client-credentials"
    )
    old_delivered, old_pending, recent = publish(3)
    hook = WebhookSubscription.objects.create(
        application=owner, url="https://hr.example/hook", events=["evidence.recorded"]
    )
    long_ago = timezone.now() - dt.timedelta(days=91)
    Event.objects.filter(pk__in=[old_delivered.pk, old_pending.pk]).update(occurred_at=long_ago)
    WebhookDelivery.objects.create(subscription=hook, event=old_delivered, status="delivered")
    WebhookDelivery.objects.create(subscription=hook, event=old_pending, status="pending")

    assert events_purge() == 1
    assert set(Event.objects.values_list("pk", flat=True)) == {old_pending.pk, recent.pk}
    assert not WebhookDelivery.objects.filter(event_id=old_delivered.pk).exists()
