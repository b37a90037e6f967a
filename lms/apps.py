from django.apps import AppConfig


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = "Tangkas"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms import (
            # Every process that writes (web, Celery workers, commands) raises the page
            # cache's generation: its receivers watch each new database connection.
            pagecache,  # noqa: F401
            receivers,  # noqa: F401  (connects the apps' signals to webhook events)
        )
