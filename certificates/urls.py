"""Certificates' public documents at the site root (``urlpatterns``: the issuer's DID document
and the signed status lists) and their operations under ``/api/v1/`` (``api_urlpatterns``)."""

from django.urls import path

from certificates import api

urlpatterns = [
    path(".well-known/did.json", api.did_document, name="did_document"),
    path("credentials/status/<int:list_id>", api.status_list, name="status_list"),
]

api_urlpatterns = [
    path("certificates/", api.CertificateListCreate.as_view()),
    path("learning-records/siasn/", api.LearningRecordSiasnExport.as_view()),
    path("certificates/verify/<str:code>/", api.CertificateVerify.as_view()),
    path("certificates/<uuid:pk>/", api.CertificateDetail.as_view()),
    path("certificates/<uuid:pk>/revoke/", api.CertificateRevoke.as_view()),
]
