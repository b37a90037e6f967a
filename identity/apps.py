from django.apps import AppConfig


class IdentityConfig(AppConfig):
    """Single sign-on with the city's OpenID Connect provider (accounts linked by NIP)."""

    name = "identity"
    verbose_name = "Tangkas identity"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from identity import checks  # noqa: F401 (registers the system checks)
