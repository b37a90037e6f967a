from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontendConfig(AppConfig):
    name = "frontend"
    verbose_name = _("Web interface")

    def ready(self) -> None:
        from frontend import middleware  # noqa: F401  (connects the idle-session receiver)
