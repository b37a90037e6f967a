"""The planning pages (``urlpatterns``) and API operations under ``/api/v1/`` (``api_urlpatterns``)."""

from django.urls import path  # noqa: F401

app_name = "planning"

urlpatterns: list = []

api_urlpatterns: list = []
