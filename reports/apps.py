"""Policy reports for leaders (JP targets, gap trends, spending against gaps closed, critical coverage) and the retirement forecast with succession candidates."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def grant_hr_rights(sender: AppConfig, **kwargs: Any) -> None:
    """HR (BKPSDM) keeps the retirement ages in line with the law: the HR group gets every
    right on this app's models, as on the competency matrix. After each migrate, when the
    permissions exist."""
    from django.contrib.auth.models import Group, Permission  # the auth app is ready by now

    from competencies.access import HR_GROUP_NAME

    using = kwargs.get("using", "default")
    permissions = Permission.objects.using(using).filter(content_type__app_label=sender.label)
    if not permissions.exists():
        return
    group, _created = Group.objects.using(using).get_or_create(name=HR_GROUP_NAME)
    group.permissions.add(*permissions)


class ReportsConfig(AppConfig):
    """Policy reports for leaders (JP targets, gap trends, spending against gaps closed, critical coverage) and the retirement forecast with succession candidates."""

    name = "reports"
    verbose_name = "Tangkas policy reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(grant_hr_rights, sender=self)
