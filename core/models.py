"""Records of the HR API's plumbing: idempotency keys, API clients' allowed scopes, the
events that happened (each stored once) and webhook subscriptions with their delivery log.

Most were first defined in the project package (app label ``lms``); those tables keep their
names (``db_table``) and ``lms/migrations/0002`` hands them over without touching the data."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEBHOOK_EVENTS = [
    "certificate.issued",
    "certificate.revoked",
    "assignment.created",
    "evidence.recorded",
    "evidence.validated",
    "evidence.rejected",
]


class IdempotencyRecord(models.Model):
    owner = models.CharField(max_length=200)
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "lms_idempotencyrecord"
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_key_once_per_owner")
        ]

    def __str__(self) -> str:
        return f"{self.owner}:{self.key}"


class ApiClient(models.Model):
    """The scopes an OAuth2 application may ask for (``create_api_client``)."""

    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="tangkas_client"
    )
    scopes = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "lms_apiclient"
        verbose_name = _("API client")

    def __str__(self) -> str:
        return self.application.name

    @property
    def scope_set(self) -> set[str]:
        return set(self.scopes.split())


class CurrentTransactionId(models.Func):
    """``pg_current_xact_id()`` as a bigint: the id of the transaction that writes the row
    (64 bits with its epoch, so it never wraps around)."""

    template = "pg_current_xact_id()::text::bigint"
    output_field = models.BigIntegerField()


class EventQuerySet(models.QuerySet["Event"]):
    def settled(self) -> EventQuerySet:
        """Events no transaction still running can come before in the feed's order.

        Ids are handed out when a row is written, not when its transaction commits, so a slow
        transaction can commit event 10 after event 11 was read: a reader paging by id would
        skip it for ever. The feed is ordered by the writing transaction's id instead, and
        shows only events of transactions older than every transaction still running (the
        snapshot's ``xmin``); an event committed later always sorts after them. The reading
        transaction's own events count as settled, for it alone sees them."""
        return self.filter(
            Q(
                transaction_id__lt=RawSQL(
                    "pg_snapshot_xmin(pg_current_snapshot())::text::bigint", []
                )
            )
            | Q(transaction_id=RawSQL("pg_current_xact_id_if_assigned()::text::bigint", []))
        )

    def after(self, event: Event) -> EventQuerySet:
        """Events after ``event`` in the feed's order, ``(transaction_id, id)``: a row
        comparison, which PostgreSQL answers from the ``event_feed_order`` index (the
        equivalent OR of two conditions reads the whole table)."""
        return self.alias(
            after_event=RawSQL(
                '("core_event"."transaction_id", "core_event"."id") > (%s, %s)',
                [event.transaction_id, event.pk],
                output_field=models.BooleanField(),
            )
        ).filter(after_event=True)

    def in_feed_order(self) -> EventQuerySet:
        return self.order_by("transaction_id", "id")


class Event(models.Model):
    """Something that happened that API clients may be told about, stored once: webhook
    deliveries point at it, and ``GET /api/v1/events/`` reads it. ``data`` carries ids only.

    The id is unique and the same in every delivery and in the feed (receivers deduplicate by
    it), but not ordered by time: the feed's order is ``(transaction_id, id)``
    (``EventQuerySet.settled``)."""

    type = models.CharField(max_length=40, choices=[(name, name) for name in WEBHOOK_EVENTS])
    data = models.JSONField(encoder=DjangoJSONEncoder)
    occurred_at = models.DateTimeField(default=timezone.now)
    transaction_id = models.BigIntegerField(db_default=CurrentTransactionId(), editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["transaction_id", "id"], name="event_feed_order")]

    def __str__(self) -> str:
        return f"{self.type} #{self.pk}"

    def as_payload(self) -> dict[str, Any]:
        """The JSON body of a delivery and an entry of the feed (the same on every retry)."""
        return {
            "id": str(self.pk),
            "event": self.type,
            "occurred_at": self.occurred_at.isoformat(),
            "data": self.data,
        }


class WebhookSubscription(models.Model):
    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    application = models.ForeignKey(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(max_length=500)
    events = ArrayField(models.CharField(max_length=40))
    secret = models.CharField(max_length=64, default=secrets.token_hex, editable=False)
    is_active = models.BooleanField(default=True)
    # Deliveries in a row that failed after every retry; past WEBHOOK_DISABLE_AFTER_FAILURES
    # the subscription is disabled, and says when and why.
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "lms_webhooksubscription"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True)
    # When the next automatic attempt is due; None once delivered or given up.
    next_attempt_at = models.DateTimeField(null=True, default=timezone.now)
    delivered_at = models.DateTimeField(null=True)

    class Meta:
        db_table = "lms_webhookdelivery"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event"], name="webhook_delivery_once_per_event"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="webhook_delivery_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscription_id}"
