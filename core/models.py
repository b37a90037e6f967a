"""Records of the HR API's plumbing: idempotency keys, API clients' allowed scopes, and
webhook subscriptions with their delivery log.

They were first defined in the project package (app label ``lms``); the tables keep their
names (``db_table``) and ``lms/migrations/0002`` hands them over without touching the data."""

from __future__ import annotations

import secrets

from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
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


class WebhookSubscription(models.Model):
    application = models.ForeignKey(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(max_length=500)
    events = ArrayField(models.CharField(max_length=40))
    secret = models.CharField(max_length=64, default=secrets.token_hex, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "lms_webhooksubscription"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True)

    class Meta:
        db_table = "lms_webhookdelivery"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id}"
