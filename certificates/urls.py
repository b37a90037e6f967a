from django.urls import path

from certificates import api

urlpatterns = [
    path(".well-known/did.json", api.did_document, name="did_document"),
    path("credentials/status/<int:list_id>", api.status_list, name="status_list"),
]
