"""What Tangkas told whom, and how each person wants to be told.

- ``Notification``: one item of a person's in-app list. ``(recipient, kind, key)`` is unique:
  the key names the event or the reminder's period (``2026-mid``, a certificate and its expiry
  date), so a notification is created at most once however often an event is announced or a
  reminder batch runs. Its text is rendered when shown, in the reader's language, from
  ``params`` (which carry no names or NIPs).
- ``MailMessage``: the send log, one row per e-mail (a single notification, or a weekly
  digest of several). ``(recipient, kind, key)`` is unique too and the row is inserted
  (``ON CONFLICT DO NOTHING``) before anything is sent; a sender claims it by moving it from
  ``pending`` to ``sending``, so two runs never send it twice, and a row left ``sending`` by a
  dead worker is taken again by the next run.
- ``NotificationPreference``: a person's choice for one kind (e-mail on or off, weekly digest
  instead of single mails); a missing row means the kind's default.
- ``NotificationProfile``: the language a person's mails are written in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    BOUNCED = "bounced", _("Refused by the mail server")
    SKIPPED = "skipped", _("Not sent (no address)")


class MailMessage(models.Model):
    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    #: A notification kind's code, or ``digest`` for the weekly digest.
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    status = models.CharField(max_length=8, choices=MailStatus.choices, default=MailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_default=models.functions.Now())
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "key"], name="mail_message_once")
        ]
        indexes = [
            models.Index(
                fields=["status", "id"],
                name="mail_message_unsent",
                condition=Q(status__in=["pending", "sending", "failed"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} ({self.status})"


class Notification(models.Model):
    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    params = models.JSONField(default=dict)
    #: A path on this site (``/me/certificates/``); mails make it absolute with SITE_URL.
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_default=models.functions.Now())
    read_at = models.DateTimeField(null=True, blank=True)
    #: The mail that carried it (a single mail or a digest); null while none has.
    mail = models.ForeignKey(
        MailMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "key"], name="notification_once")
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list"),
            models.Index(
                fields=["recipient"], name="notification_unread", condition=Q(read_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40)
    email = models.BooleanField(default=True)
    digest = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return self.kind


class NotificationProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_profile",
    )
    language = models.CharField(
        _("language of e-mails"), max_length=8, choices=settings.LANGUAGES, default="id"
    )

    def __str__(self) -> str:
        return self.language
