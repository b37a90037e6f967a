"""Partner providers (universities, agencies, communities, vendors) and their offerings: external courses people can request and HR records on completion."""

from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    """Partner providers (universities, agencies, communities, vendors) and their offerings: external courses people can request and HR records on completion."""

    name = "providers"
    verbose_name = "Tangkas partner providers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from competencies.hr_rights import grant_hr_every_right

        grant_hr_every_right(self)  # HR manages the partner registry
