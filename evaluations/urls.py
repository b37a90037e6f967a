"""The evaluations pages (``urlpatterns``); no API operations yet (``api_urlpatterns``)."""

from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("me/evaluations/", views.my_evaluations, name="mine"),
    path("me/evaluations/<int:record_id>/", views.reaction_submit, name="reaction"),
    path("dashboard/evaluations/", views.pending_evaluations, name="pending"),
    path("dashboard/evaluations/<int:evaluation_id>/", views.behaviour_answer, name="answer"),
    path("evaluations/report/", views.report, name="report"),
    path("evaluations/report.csv", views.report_csv, name="report_csv"),
]

api_urlpatterns: list = []
