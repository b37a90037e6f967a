from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Tangkas core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the request signals: each request is a unit of work for the replica router.
        from core import db_router  # noqa: F401
        from core.api import schema  # noqa: F401  (registers the OpenAPI authentication scheme)
