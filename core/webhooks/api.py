"""``/api/v1/webhooks/``: an API client's subscriptions (list, create, read, switch on or off,
delete) and each one's delivery log, with a redelivery of one delivery."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from oauth2_provider.models import AccessToken
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.created import CreatedLocationMixin
from core.api.fields import StrictBooleanField, StrictCharField
from core.api.idempotency import idempotent
from core.api.lists import IdCursorPagination
from core.models import WEBHOOK_EVENTS, WebhookDelivery, WebhookSubscription
from core.webhooks import services


class WebhookOut(serializers.ModelSerializer):
    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "url",
            "events",
            "is_active",
            "consecutive_failures",
            "disabled_at",
            "disabled_reason",
            "created_at",
        ]
        extra_kwargs = {
            "is_active": {"help_text": "False once disabled, by its owner or after failures."},
            "consecutive_failures": {
                "help_text": "Deliveries in a row that failed after every retry; at "
                "WEBHOOK_DISABLE_AFTER_FAILURES the subscription is disabled."
            },
            "disabled_at": {"help_text": "When it was disabled after failures."},
            "disabled_reason": {"help_text": "Why it was disabled, and the last error."},
        }


class WebhookCreated(WebhookOut):
    class Meta(WebhookOut.Meta):
        fields = [*WebhookOut.Meta.fields, "secret"]


class WebhookIn(serializers.Serializer):
    # The form of an http(s) URL, in the schema; whether it may receive webhooks (https, a
    # host that resolves to public addresses) is decided by ``targets`` (400 unsafe_url).
    url = StrictCharField(
        max_length=500, pattern=r"[Hh][Tt][Tt][Pp][Ss]?://[^\x00-\x20/?#]+(?:[/?#][^\x00-\x20]*)?"
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WEBHOOK_EVENTS), min_length=1
    )


class WebhookPatch(serializers.Serializer):
    is_active = StrictBooleanField(
        required=False,
        help_text="true switches a disabled subscription back on (and forgets its failures); "
        "false switches it off. Left out, nothing changes.",
    )


class DeliveryOut(serializers.ModelSerializer):
    event = serializers.CharField(source="event_id", help_text="The event id.")
    event_type = serializers.CharField(source="event.type")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "event_type",
            "status",
            "attempts",
            "response_code",
            "last_error",
            "created_at",
            "last_attempt_at",
            "next_attempt_at",
            "delivered_at",
        ]
        extra_kwargs = {
            "response_code": {"help_text": "The HTTP status of the last attempt's answer."},
            "next_attempt_at": {"help_text": "When the next automatic attempt is due."},
        }


class DeliveryCursorPagination(IdCursorPagination):
    ordering = ("-id",)  # the newest first


def _application(request: Request) -> Any:
    assert isinstance(request.auth, AccessToken)
    return request.auth.application


def _subscriptions(request: Request) -> Any:
    return WebhookSubscription.objects.filter(application=_application(request))


class WebhookListCreate(CreatedLocationMixin, generics.ListCreateAPIView):
    """Subscriptions of the calling API client. The secret is shown once, at creation."""

    created_location = "/api/v1/webhooks/{id}/"
    serializer_class = WebhookOut
    required_scopes = {"GET": "webhooks:manage", "POST": "webhooks:manage"}
    clients_only = True
    pagination_class = IdCursorPagination

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return WebhookSubscription.objects.none()
        return _subscriptions(self.request)

    @extend_schema(
        request=WebhookIn, responses={201: WebhookCreated}, operation_id="webhooks_create"
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = WebhookIn(data=request.data)
        data.is_valid(raise_exception=True)
        subscription = services.webhook_subscribe(
            application=_application(request),
            url=data.validated_data["url"],
            events=data.validated_data["events"],
        )
        return Response(WebhookCreated(subscription).data, status=201)


class WebhookDetail(generics.RetrieveDestroyAPIView):
    """One subscription of the calling client: whether it is active, and why not."""

    required_scopes = {
        "GET": "webhooks:manage",
        "PATCH": "webhooks:manage",
        "DELETE": "webhooks:manage",
    }
    clients_only = True
    serializer_class = WebhookOut

    def get_object(self) -> WebhookSubscription:
        return get_object_or_404(_subscriptions(self.request), pk=self.kwargs["pk"])

    @extend_schema(request=WebhookPatch, responses={200: WebhookOut})
    def patch(self, request: Request, pk: int) -> Response:
        data = WebhookPatch(data=request.data)
        data.is_valid(raise_exception=True)
        subscription = self.get_object()
        if "is_active" in data.validated_data:
            subscription = services.webhook_update(
                subscription=subscription, is_active=data.validated_data["is_active"]
            )
        return Response(WebhookOut(subscription).data)


class DeliveryList(generics.ListAPIView):
    """The delivery log of one subscription of the calling client, the newest first."""

    required_scopes = {"GET": "webhooks:manage"}
    clients_only = True
    serializer_class = DeliveryOut
    pagination_class = DeliveryCursorPagination

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return WebhookDelivery.objects.none()
        subscription = get_object_or_404(_subscriptions(self.request), pk=self.kwargs["pk"])
        return subscription.deliveries.select_related("event")


class DeliveryRedeliver(generics.GenericAPIView):
    """Send one delivery again now, whatever its status; a worker makes the attempt and the
    log shows its outcome."""

    required_scopes = {"POST": "webhooks:manage"}
    clients_only = True
    serializer_class = DeliveryOut

    @extend_schema(
        request=None, responses={202: DeliveryOut}, operation_id="webhooks_delivery_redeliver"
    )
    def post(self, request: Request, pk: int, delivery_id: int) -> Response:
        delivery = get_object_or_404(
            WebhookDelivery.objects.select_related("event").filter(
                subscription__in=_subscriptions(request), subscription_id=pk
            ),
            pk=delivery_id,
        )
        delivery = services.delivery_redeliver(delivery=delivery)
        return Response(DeliveryOut(delivery).data, status=202)
