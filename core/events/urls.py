"""The event feed under ``/api/v1/events/``; the project mounts ``api_urlpatterns``."""

from django.urls import path

from core.events import api

api_urlpatterns = [path("events/", api.EventFeed.as_view())]
