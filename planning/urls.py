"""The planning pages (``urlpatterns``) and API operations under ``/api/v1/`` (``api_urlpatterns``)."""

from django.urls import path, re_path

from planning import api, views

app_name = "planning"

urlpatterns = [
    path("planning/akpk/", views.plan_list, name="list"),
    path("planning/akpk/summary/", views.summary, name="summary"),
    re_path(
        r"^planning/akpk/summary\.(?P<fmt>csv|xlsx)$",
        views.summary_download,
        name="summary_download",
    ),
    path("planning/akpk/<int:plan_id>/", views.plan_detail, name="detail"),
    path("planning/akpk/<int:plan_id>/transition/", views.plan_transition, name="transition"),
    path("planning/akpk/<int:plan_id>/revision/", views.plan_revision, name="revision"),
    path("planning/akpk/<int:plan_id>/rows/<int:row_id>/", views.row_edit, name="row_edit"),
    path(
        "planning/akpk/<int:plan_id>/rows/<int:row_id>/remove/", views.row_remove, name="row_remove"
    ),
    re_path(
        r"^planning/akpk/(?P<plan_id>[0-9]+)/rows\.(?P<fmt>csv|xlsx)$",
        views.plan_download,
        name="download",
    ),
    path("planning/akpk/<int:plan_id>/akpk.pdf", views.plan_pdf, name="pdf"),
]

api_urlpatterns = [
    path("akpk/plans/", api.PlanListView.as_view(), name="akpk-plan-list"),
    path("akpk/plans/<int:plan_id>/rows/", api.PlanRowListView.as_view(), name="akpk-plan-rows"),
    path(
        "akpk/plans/<int:plan_id>/transitions/",
        api.PlanTransitionView.as_view(),
        name="akpk-plan-transitions",
    ),
]
