from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """What Tangkas tells people: e-mail and the in-app list, per kind and per person."""

    name = "notifications"
    verbose_name = "Tangkas notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here: the receivers reach the models, which exist only once apps are ready.
        from certificates.signals import certificate_issued, certificate_revoked
        from competencies.signals import evidence_recorded
        from courses.signals import quiz_failed
        from development.signals import plan_transitioned
        from notifications import receivers
        from planning.signals import akpk_transitioned

        certificate_issued.connect(
            receivers.on_certificate_issued, dispatch_uid="notifications.certificate_issued"
        )
        certificate_revoked.connect(
            receivers.on_certificate_revoked, dispatch_uid="notifications.certificate_revoked"
        )
        evidence_recorded.connect(
            receivers.on_evidence_recorded, dispatch_uid="notifications.evidence_recorded"
        )
        quiz_failed.connect(receivers.on_quiz_failed, dispatch_uid="notifications.quiz_failed")
        akpk_transitioned.connect(
            receivers.on_akpk_transitioned, dispatch_uid="notifications.akpk_transitioned"
        )
        plan_transitioned.connect(
            receivers.on_plan_transitioned, dispatch_uid="notifications.plan_transitioned"
        )
