"""Policy reports for leaders (JP targets, gap trends, spending against gaps closed, critical coverage) and the retirement forecast with succession candidates."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Policy reports for leaders (JP targets, gap trends, spending against gaps closed, critical coverage) and the retirement forecast with succession candidates."""

    name = "reports"
    verbose_name = "Tangkas policy reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from competencies.hr_rights import grant_hr_every_right

        grant_hr_every_right(self)  # HR keeps the retirement ages in line with the law
