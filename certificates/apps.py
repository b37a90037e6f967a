from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from courses.signals import course_completed


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        # Imported here: the receivers reach the models, which exist only once apps are ready.
        from certificates import receivers

        course_completed.connect(
            receivers.issue_on_completion, dispatch_uid="certificates.issue_on_completion"
        )
