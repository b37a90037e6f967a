"""The development pages (``urlpatterns``) and API operations under ``/api/v1/`` (``api_urlpatterns``)."""

from django.urls import path

from development import views

app_name = "development"

urlpatterns: list = [
    path("me/plan/", views.my_plan, name="my_plan"),
    path("me/plan/create/", views.my_plan_create, name="my_plan_create"),
    path("me/plan/goals/", views.my_goal_add, name="my_goal_add"),
    path("me/plan/goals/<int:goal_id>/remove/", views.my_goal_remove, name="my_goal_remove"),
    path("me/plan/activities/", views.my_activity_add, name="my_activity_add"),
    path(
        "me/plan/activities/<int:activity_id>/remove/",
        views.my_activity_remove,
        name="my_activity_remove",
    ),
    path("me/plan/submit/", views.my_plan_submit, name="my_plan_submit"),
    path("dashboard/plans/", views.unit_plans, name="unit_plans"),
    path("dashboard/plans/<int:plan_id>/", views.plan_review, name="plan_review"),
    path("dashboard/plans/<int:plan_id>/agree/", views.plan_agree, name="plan_agree"),
    path("dashboard/plans/<int:plan_id>/return/", views.plan_return, name="plan_return"),
    path(
        "dashboard/plans/<int:plan_id>/activities/<int:activity_id>/confirm/",
        views.activity_confirm,
        name="activity_confirm",
    ),
]

api_urlpatterns: list = []
