"""Policy reports for leaders (JP targets, gap trends, spending against gaps closed, critical coverage) and the retirement forecast with succession candidates."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


def _grant(group: Any, using: str) -> None:
    from django.contrib.auth.models import Permission  # the auth app is ready by now

    permissions = Permission.objects.using(using).filter(content_type__app_label="reports")
    group.permissions.add(*permissions)


def grant_hr_rights(sender: AppConfig, **kwargs: Any) -> None:
    """HR (BKPSDM) keeps the retirement ages in line with the law: the HR group gets every
    right on this app's models, as on the competency matrix — after each migrate (when the
    permissions exist) if the group exists, and when the group is created (never creating a
    group with these rights only, which the sign-on's group sync would reuse without the
    admin's access; the way providers does it)."""
    from django.contrib.auth.models import Group

    from competencies.access import HR_GROUP_NAME

    using = kwargs.get("using", "default")
    group = Group.objects.using(using).filter(name=HR_GROUP_NAME).first()
    if group is not None:
        _grant(group, using)


def hr_group_created(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    from competencies.access import HR_GROUP_NAME

    if created and instance.name == HR_GROUP_NAME:
        _grant(instance, kwargs.get("using") or "default")


class ReportsConfig(AppConfig):
    """Policy reports for leaders (JP targets, gap trends, spending against gaps closed, critical coverage) and the retirement forecast with succession candidates."""

    name = "reports"
    verbose_name = "Tangkas policy reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.models import Group

        post_migrate.connect(grant_hr_rights, sender=self)
        post_save.connect(hr_group_created, sender=Group, dispatch_uid="reports_hr_rights")
