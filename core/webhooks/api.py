"""``/api/v1/webhooks/``: an API client's subscriptions (list, create, delete)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from oauth2_provider.models import AccessToken
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.idempotency import idempotent
from core.api.lists import IdCursorPagination
from core.models import WEBHOOK_EVENTS, WebhookSubscription
from core.webhooks import services


class WebhookOut(serializers.ModelSerializer):
    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "events", "is_active", "created_at"]


class WebhookCreated(WebhookOut):
    class Meta(WebhookOut.Meta):
        fields = [*WebhookOut.Meta.fields, "secret"]


class WebhookIn(serializers.Serializer):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WEBHOOK_EVENTS), min_length=1
    )


def _application(request: Request) -> Any:
    assert isinstance(request.auth, AccessToken)
    return request.auth.application


class WebhookListCreate(generics.ListCreateAPIView):
    """Subscriptions of the calling API client. The secret is shown once, at creation."""

    serializer_class = WebhookOut
    required_scopes = {"GET": "webhooks:manage", "POST": "webhooks:manage"}
    clients_only = True
    pagination_class = IdCursorPagination

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return WebhookSubscription.objects.none()
        return WebhookSubscription.objects.filter(application=_application(self.request))

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


class WebhookDelete(generics.DestroyAPIView):
    required_scopes = {"DELETE": "webhooks:manage"}
    clients_only = True
    serializer_class = WebhookOut

    def get_object(self) -> WebhookSubscription:
        return get_object_or_404(
            WebhookSubscription.objects.filter(application=_application(self.request)),
            pk=self.kwargs["pk"],
        )
