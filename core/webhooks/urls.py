"""Webhook subscriptions under ``/api/v1/webhooks/``; the project mounts ``api_urlpatterns``."""

from django.urls import path

from core.webhooks import api

api_urlpatterns = [
    path("webhooks/", api.WebhookListCreate.as_view()),
    path("webhooks/<int:pk>/", api.WebhookDetail.as_view()),
    path("webhooks/<int:pk>/deliveries/", api.DeliveryList.as_view()),
    path(
        "webhooks/<int:pk>/deliveries/<int:delivery_id>/redeliver/",
        api.DeliveryRedeliver.as_view(),
    ),
]
