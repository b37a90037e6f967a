"""Webhook subscriptions under ``/api/v1/webhooks/``; the project mounts ``api_urlpatterns``."""

from django.urls import path

from core.webhooks import api

api_urlpatterns = [
    path("webhooks/", api.WebhookListCreate.as_view()),
    path("webhooks/<int:pk>/", api.WebhookDelete.as_view()),
]
