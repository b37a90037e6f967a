from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Tangkas core"
    default_auto_field = "django.db.models.BigAutoField"
