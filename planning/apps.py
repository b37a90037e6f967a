from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """The yearly AKPK (analisis kebutuhan pengembangan kompetensi) as a workflow per perangkat daerah: draft, submitted, verified or returned, approved and frozen."""

    name = "planning"
    verbose_name = "Tangkas AKPK workflow"
    default_auto_field = "django.db.models.BigAutoField"
