"""Partner providers (universities, agencies, communities, vendors) and their offerings: external courses people can request and HR records on completion."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


def _grant(group: Any, using: str) -> None:
    from django.contrib.auth.models import Permission  # the auth app is ready by now

    permissions = Permission.objects.using(using).filter(content_type__app_label="providers")
    group.permissions.add(*permissions)


def grant_hr_rights(sender: AppConfig, **kwargs: Any) -> None:
    """HR (BKPSDM) manages the partner registry: the HR group gets every right on this app's
    models, as it has on the competency matrix — after each migrate (when the permissions
    exist) if the group exists, and when the group is created."""
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


class ProvidersConfig(AppConfig):
    """Partner providers (universities, agencies, communities, vendors) and their offerings: external courses people can request and HR records on completion."""

    name = "providers"
    verbose_name = "Tangkas partner providers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.models import Group

        post_migrate.connect(grant_hr_rights, sender=self)
        post_save.connect(hr_group_created, sender=Group, dispatch_uid="providers_hr_rights")
