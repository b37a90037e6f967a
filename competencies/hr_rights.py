"""Every right on an app's models for the HR group (``competencies.access.HR_GROUP_NAME``).

HR (BKPSDM) manages the partner registry and keeps the retirement ages in line with the law,
as it manages the competency matrix. An app calls ``grant_hr_every_right(self)`` in its
``ready()``: after each migrate (when the app's permissions exist) the HR group, if it exists,
gets them, and so does the group when it is created. The group is never created here: one
created with these rights only would be reused by the sign-on's group sync without the
admin's access.

Imported from ``ready()`` only (it reads the auth models).
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_migrate, post_save

from competencies.access import HR_GROUP_NAME


def grant_hr_every_right(app_config: AppConfig) -> None:
    label = app_config.label

    def grant(group: Group, using: str) -> None:
        group.permissions.add(
            *Permission.objects.using(using).filter(content_type__app_label=label)
        )

    def after_migrate(sender: AppConfig, **kwargs: Any) -> None:
        using = kwargs.get("using", "default")
        group = Group.objects.using(using).filter(name=HR_GROUP_NAME).first()
        if group is not None:
            grant(group, using)

    def group_created(sender: Any, instance: Group, created: bool, **kwargs: Any) -> None:
        if created and instance.name == HR_GROUP_NAME:
            grant(instance, kwargs.get("using") or "default")

    # Strong references: the handlers are closures that nothing else holds.
    post_migrate.connect(after_migrate, sender=app_config, weak=False)
    post_save.connect(
        group_created, sender=Group, weak=False, dispatch_uid=f"{label}_hr_every_right"
    )
