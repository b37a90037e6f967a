from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    """Individual development plans (IDP): each person's yearly goals and activities, agreed with their supervisor, filled in from completions."""

    name = "development"
    verbose_name = "Tangkas development plans"
    default_auto_field = "django.db.models.BigAutoField"
