from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """What Tangkas tells people: e-mail and the in-app list, per kind and per person."""

    name = "notifications"
    verbose_name = "Tangkas notifications"
    default_auto_field = "django.db.models.BigAutoField"
