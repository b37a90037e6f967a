"""The policy report pages (``urlpatterns``), for HR; no API operations yet."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/jp/", views.jp_target, name="jp"),
    path("reports/gaps/", views.gap_trend, name="gaps"),
    path("reports/spending/", views.spending, name="spending"),
    path("reports/critical/", views.critical, name="critical"),
    path("reports/coverage/", views.coverage, name="coverage"),
    path("reports/retirement/", views.retirement_forecast, name="retirement"),
]

api_urlpatterns: list = []
