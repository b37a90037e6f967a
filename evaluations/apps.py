from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    """Training evaluation (Kirkpatrick levels 1 and 3): the participant's reaction survey after a course, and the supervisor's behaviour check months later."""

    name = "evaluations"
    verbose_name = "Tangkas training evaluation"
    default_auto_field = "django.db.models.BigAutoField"
