from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Policy reports for leaders (JP targets, gap trends, spending against gaps closed, critical coverage) and the retirement forecast with succession candidates."""

    name = "reports"
    verbose_name = "Tangkas policy reports"
    default_auto_field = "django.db.models.BigAutoField"
