"""The providers pages (``urlpatterns``) and API operations under ``/api/v1/`` (``api_urlpatterns``)."""

from django.urls import path

from providers import api, views

app_name = "providers"

urlpatterns = [
    path("partners/", views.catalogue, name="catalogue"),
    path("partners/requests/", views.request_queue, name="request_queue"),
    path("partners/requests/<int:request_id>/decide/", views.request_decide, name="request_decide"),
    path(
        "partners/requests/<int:request_id>/complete/",
        views.request_complete,
        name="request_complete",
    ),
    path("partners/<int:offering_id>/", views.offering_detail, name="offering_detail"),
    path("partners/<int:offering_id>/request/", views.offering_request, name="offering_request"),
    path("me/partner-requests/", views.my_requests, name="my_requests"),
    path(
        "me/partner-requests/<int:request_id>/cancel/",
        views.request_cancel,
        name="request_cancel",
    ),
]

api_urlpatterns = [
    path("providers/", api.ProviderListApi.as_view(), name="api_provider_list"),
    path("offerings/", api.OfferingListApi.as_view(), name="api_offering_list"),
]
