"""Writes of notifications: creating them (for an event, or a reminder batch), sending their
mails, reading them, and a person's choices.

Creating is set-based (``notifications.sql``): one statement per event, or per chunk of
``REMINDER_CHUNK`` employee ids for a reminder, inserts the notifications and the mails to
send, so the number of queries of a batch does not grow with the people in a chunk. Creating
again creates nothing (unique ``(recipient, kind, key)``), so an event announced twice or a
reminder batch run twice notifies once.

Sending claims each mail first (``pending`` → ``sending`` in one UPDATE), so two workers never
send one mail; a mail a dead worker left ``sending`` for ``MAIL_CLAIM_STALE`` is claimed again
by the next run (``mails_unfinished``, swept every five minutes), and one that failed is tried again up to
``MAIL_MAX_ATTEMPTS`` times. A failure is written on its own row and the batch goes on.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from competencies.models import AssignmentKind
from core.exceptions import NotFoundError, ValidationError
from evaluations import services as evaluation_services
from evaluations import sql as evaluation_sql
from notifications import kinds, sql
from notifications.models import (
    MailMessage,
    MailStatus,
    Notification,
    NotificationPreference,
    NotificationProfile,
)
from notifications.selectors import Item

logger = logging.getLogger(__name__)

#: Employee ids per statement of a reminder batch.
REMINDER_CHUNK = 10_000
#: Mails per sending task.
SEND_CHUNK = 200
#: A mail claimed this long ago and still not sent was left by a dead worker.
MAIL_CLAIM_STALE = dt.timedelta(minutes=10)
#: How many times a failing mail is tried before it stays failed.
MAIL_MAX_ATTEMPTS = 3
#: Days before its expiry a certificate's holder is reminded.
CERTIFICATE_EXPIRY_DAYS = 60
UNSUBSCRIBE_SALT = "notifications.unsubscribe"


User = get_user_model()


# --- Creating -------------------------------------------------------------------------------


def _create(kind: str, candidates: str, params: dict[str, Any]) -> list[int]:
    """Run ``sql.CREATE_SQL`` over ``candidates``; the ids of the mails it created."""
    statement = sql.CREATE_SQL.format(candidates=candidates)
    with connection.cursor() as cursor:
        cursor.execute(
            statement,
            {**params, "kind": kind, "email_default": kinds.kind_for(kind).email_default},
        )
        return [row[0] for row in cursor.fetchall()]


def notifications_create(*, kind: str, items: list[Item]) -> list[int]:
    """Create the notifications of one event (at most once each) and their mails; return the
    ids of the mails to send. One statement however many recipients."""
    if kind not in kinds.KINDS:
        raise ValidationError(f"unknown notification kind {kind!r}")
    if not items:
        return []
    return _create(
        kind,
        sql.ARRAY_CANDIDATES,
        {
            "recipients": [item.recipient_id for item in items],
            "keys": [item.key for item in items],
            "params": [json.dumps(item.params) for item in items],
            "links": [item.link for item in items],
        },
    )


@transaction.atomic
def event_notify(*, kind: str, items: list[Item]) -> list[int]:
    """Create an event's notifications; the ids of the mails to send."""
    return notifications_create(kind=kind, items=items)


def jp_stage(day: dt.date) -> tuple[str, float] | None:
    """Which JP reminder the year is in on ``day``: mid-year (July to September: behind when
    under half the target) or the last quarter (October to December: under the target)."""
    if day.month >= 10:
        return "q4", 1.0
    if day.month >= 7:
        return "mid", 0.5
    return None


def _employee_id_ranges() -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM competencies_employee")
        low, high = cursor.fetchone()
    if low is None:
        return []
    return [
        (start, min(start + REMINDER_CHUNK - 1, high))
        for start in range(low, high + 1, REMINDER_CHUNK)
    ]


def jp_reminders_prepare(*, today: dt.date) -> list[int]:
    """Notify everyone behind their yearly JP target for the stage of the year ``today`` is in
    (none before July); once per person per stage. One statement per chunk of employee ids
    (plus one for the ids' range). Returns the ids of the mails to send."""
    stage = jp_stage(today)
    if stage is None:
        return []
    name, share = stage
    params = {
        "year": today.year,
        "stage": name,
        "share": share,
        "key": f"{today.year}-{name}",
        "target_pns": settings.JP_ANNUAL_TARGET_PNS,
        "target_pppk": settings.JP_ANNUAL_TARGET_PPPK,
        "link": "/me/competencies/",
    }
    message_ids: list[int] = []
    for low, high in _employee_id_ranges():
        # One statement, atomic on its own: a chunk is created whole or not at all.
        message_ids += _create(
            kinds.JP_BEHIND, sql.JP_BEHIND_CANDIDATES, {**params, "low": low, "high": high}
        )
    return message_ids


def certificate_expiry_reminders_prepare(*, today: dt.date) -> list[int]:
    """Notify the holders of valid certificates that expire within
    ``CERTIFICATE_EXPIRY_DAYS``; once per certificate and expiry date. One statement."""
    return _create(
        kinds.CERTIFICATE_EXPIRING,
        sql.CERTIFICATE_EXPIRING_CANDIDATES,
        {
            "today": today,
            "until": today + dt.timedelta(days=CERTIFICATE_EXPIRY_DAYS),
            "link": "/me/certificates/",
        },
    )


def level3_reminders_prepare(*, today: dt.date) -> list[int]:
    """Create the level-3 evaluations falling due ``today`` (``evaluations.services``), then
    tell each supervisor on ``today`` of the unanswered ones, once per day on which they fell
    due (``evaluations.sql.LEVEL3_DUE_CANDIDATES``). Two statements."""
    evaluation_services.level3_evaluations_create(today=today)
    return _create(
        kinds.LEVEL3_EVALUATION_DUE,
        evaluation_sql.LEVEL3_DUE_CANDIDATES,
        {"today": today, "acting": AssignmentKind.ACTING.value, "link": "/dashboard/evaluations/"},
    )


def reminders_prepare(*, today: dt.date) -> list[int]:
    """The daily reminder batch (beat): every reminder due ``today``; the ids of the mails to
    send. Safe to run twice: the second run finds everything created."""
    return (
        jp_reminders_prepare(today=today)
        + certificate_expiry_reminders_prepare(today=today)
        + level3_reminders_prepare(today=today)
    )


DIGEST_SQL = """
WITH due AS (
    SELECT DISTINCT n.recipient_id
    FROM notifications_notification n
    JOIN notifications_notificationpreference p
        ON p.user_id = n.recipient_id AND p.kind = n.kind AND p.email AND p.digest
    WHERE n.mail_id IS NULL AND n.created_at >= %(since)s
)
INSERT INTO notifications_mailmessage (recipient_id, kind, key, status, attempts, error, created_at)
SELECT recipient_id, 'digest', %(key)s, 'pending', 0, '', now() FROM due
ON CONFLICT (recipient_id, kind, key) DO NOTHING
RETURNING id
"""

DIGEST_ATTACH_SQL = """
UPDATE notifications_notification n SET mail_id = m.id
FROM notifications_mailmessage m, notifications_notificationpreference p
WHERE m.kind = 'digest' AND m.key = %(key)s AND m.recipient_id = n.recipient_id
  AND p.user_id = n.recipient_id AND p.kind = n.kind AND p.email AND p.digest
  AND n.mail_id IS NULL AND n.created_at >= %(since)s
"""


@transaction.atomic
def digests_prepare(*, now: dt.datetime) -> list[int]:
    """The weekly digest: one mail per person who chose a digest for some kinds and has
    notifications of them from the past week that no mail carried yet. Once per person and
    ISO week. Two statements."""
    year, week, _day = timezone.localtime(now).isocalendar()
    params = {"key": f"{year}-W{week:02d}", "since": now - dt.timedelta(days=7)}
    with connection.cursor() as cursor:
        cursor.execute(DIGEST_SQL, params)
        message_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(DIGEST_ATTACH_SQL, params)
    return message_ids


# --- Sending --------------------------------------------------------------------------------


CLAIM_SQL = """
UPDATE notifications_mailmessage
SET status = 'sending', attempts = attempts + 1, claimed_at = now(), error = ''
WHERE id = ANY(%(ids)s) AND (
    status = 'pending'
    OR (status = 'sending' AND claimed_at < now() - %(stale)s)
    OR (status = 'failed' AND attempts < %(max_attempts)s)
)
RETURNING id
"""


def _claim(message_ids: list[int]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            CLAIM_SQL,
            {"ids": message_ids, "stale": MAIL_CLAIM_STALE, "max_attempts": MAIL_MAX_ATTEMPTS},
        )
        return sorted(row[0] for row in cursor.fetchall())


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    """The signed token of a one-click unsubscribe from ``kind`` (or the digest) for one
    person: their user id and the kind, nothing personal."""
    return signing.dumps([user_id, kind], salt=UNSUBSCRIBE_SALT)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@dataclass
class _Outgoing:
    message: MailMessage
    address: str
    language: str
    items: list[Notification]


def _outgoing(message_ids: list[int]) -> list[_Outgoing]:
    """The claimed mails with their address, language and notifications (three queries)."""
    messages = list(
        MailMessage.objects.filter(pk__in=message_ids)
        .select_related("recipient", "recipient__notification_profile", "recipient__employee")
        .order_by("id")
    )
    items: dict[int, list[Notification]] = {}
    for item in Notification.objects.filter(mail_id__in=message_ids).order_by("created_at", "id"):
        items.setdefault(item.mail_id, []).append(item)
    outgoing = []
    for message in messages:
        user = message.recipient
        employee = getattr(user, "employee", None)
        address = user.email or (employee.email if employee is not None else "")
        profile = getattr(user, "notification_profile", None)
        language = profile.language if profile is not None else settings.LANGUAGE_CODE
        outgoing.append(_Outgoing(message, address, language, items.get(message.pk, [])))
    return outgoing


def _render(out: _Outgoing) -> EmailMultiAlternatives:
    """The mail in its reader's language: subject, plain text and HTML, and the RFC 8058
    one-click unsubscribe headers for its kind."""
    message = out.message
    with translation.override(out.language):
        lines = []
        for item in out.items:
            kind = kinds.kind_for(item.kind)
            lines.append(
                {
                    "title": kind.subject(item.params),
                    "text": kind.body(item.params),
                    "url": absolute(item.link) if item.link else "",
                }
            )
        if message.kind == kinds.DIGEST:
            subject = translation.gettext("Your %(site)s notifications of the week") % {
                "site": settings.WAGTAIL_SITE_NAME
            }
            kind_title = translation.gettext("Weekly digest")
        else:
            subject = lines[0]["title"] if lines else message.kind
            kind_title = str(kinds.kind_for(message.kind).title)
        unsubscribe_url = absolute(
            f"/notifications/unsubscribe/"
            f"{unsubscribe_token(user_id=message.recipient_id, kind=message.kind)}/"
        )
        context = {
            "subject": subject,
            "lines": lines,
            "is_digest": message.kind == kinds.DIGEST,
            "kind_title": kind_title,
            "unsubscribe_url": unsubscribe_url,
            "settings_url": absolute("/me/notifications/settings/"),
            "list_url": absolute("/me/notifications/"),
            "site_name": settings.WAGTAIL_SITE_NAME,
            "city_name": settings.CITY_NAME,
            "language": out.language,
        }
        text = render_to_string("notifications/mail/message.txt", context)
        html = render_to_string("notifications/mail/message.html", context)
    mail = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[out.address],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Content-Language": out.language,
        },
    )
    mail.attach_alternative(html, "text/html")
    return mail


def _finish(message: MailMessage, status: str, error: str = "") -> None:
    message.status = status
    message.error = error[:2000]
    message.sent_at = timezone.now() if status == MailStatus.SENT else None
    message.save(update_fields=["status", "error", "sent_at"])


def mail_messages_send(*, message_ids: list[int]) -> dict[str, int]:
    """Claim and send these mails (those still to send), one SMTP connection for the lot.
    Each result is written on its row as it happens: a refused recipient is ``bounced``, any
    other error ``failed`` (tried again later), and the next mail is sent all the same."""
    claimed = _claim(list(message_ids))
    counts = dict.fromkeys(MailStatus.values, 0)
    if not claimed:
        return counts
    mail_connection = get_connection()
    try:
        for out in _outgoing(claimed):
            if not out.address:
                _finish(out.message, MailStatus.SKIPPED, "no e-mail address")
                counts[MailStatus.SKIPPED] += 1
                continue
            try:
                mail_connection.open()
                mail_connection.send_messages([_render(out)])
            except smtplib.SMTPRecipientsRefused as error:
                refusals = "; ".join(
                    f"{code} {reason!r}" for code, reason in error.recipients.values()
                )
                _finish(out.message, MailStatus.BOUNCED, f"recipient refused: {refusals}")
                counts[MailStatus.BOUNCED] += 1
                logger.warning("mail %s refused by the server", out.message.pk)
            except Exception as error:  # every failure is the message's, never the batch's
                _finish(out.message, MailStatus.FAILED, f"{type(error).__name__}: {error}")
                counts[MailStatus.FAILED] += 1
                logger.warning("mail %s failed: %s", out.message.pk, type(error).__name__)
                mail_connection.close()
            else:
                _finish(out.message, MailStatus.SENT)
                counts[MailStatus.SENT] += 1
    finally:
        mail_connection.close()
    return counts


def mails_unfinished() -> list[int]:
    """What nobody finished, to send again: mails still pending after a minute (the broker
    was down), claimed by a worker that died, or failed with attempts left."""
    now = timezone.now()
    ids = list(
        MailMessage.objects.filter(
            Q(status=MailStatus.PENDING, created_at__lt=now - dt.timedelta(minutes=1))
            | Q(status=MailStatus.SENDING, claimed_at__lt=now - MAIL_CLAIM_STALE)
            | Q(status=MailStatus.FAILED, attempts__lt=MAIL_MAX_ATTEMPTS)
        )
        .order_by("id")
        .values_list("id", flat=True)[:10_000]
    )
    return ids


# --- Reading and choosing -------------------------------------------------------------------


def notification_mark_read(*, user: Any, notification_id: int) -> None:
    """Mark one of the user's notifications read (a notification of someone else is not
    found, and says nothing about whether it exists)."""
    updated = Notification.objects.filter(pk=notification_id, recipient=user).update(
        read_at=timezone.now()
    )
    if not updated:
        raise NotFoundError()


def notifications_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_set(*, user: Any, language: str, choices: dict[str, tuple[bool, bool]]) -> None:
    """Save a person's language and, per wired kind, (e-mail on, weekly digest)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(f"unknown language {language!r}")
    NotificationProfile.objects.update_or_create(user=user, defaults={"language": language})
    for code, (email, digest) in choices.items():
        kinds.kind_for(code)
        NotificationPreference.objects.update_or_create(
            user=user, kind=code, defaults={"email": email, "digest": digest}
        )


def unsubscribe_token_read(*, token: str) -> tuple[int, str]:
    """The (user id, kind) a one-click token names; ``ValidationError`` when it is not one of
    ours (edited, cut short, or naming a kind or a person that does not exist)."""
    try:
        user_id, code = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise ValidationError("invalid unsubscribe token") from error
    if code != kinds.DIGEST and code not in kinds.KINDS:
        raise ValidationError("invalid unsubscribe token")
    if not User.objects.filter(pk=user_id).exists():
        raise ValidationError("invalid unsubscribe token")
    return user_id, code


def unsubscribe(*, token: str) -> tuple[int, str]:
    """Switch off the e-mails named by a one-click token: one kind, or every kind the person
    gets as a digest. Returns (user id, kind). A token that is not ours raises
    ``ValidationError``."""
    user_id, code = unsubscribe_token_read(token=token)
    with transaction.atomic():
        if code == kinds.DIGEST:
            NotificationPreference.objects.filter(user_id=user_id, digest=True).update(email=False)
        else:
            NotificationPreference.objects.update_or_create(
                user_id=user_id, kind=code, defaults={"email": False}
            )
    return user_id, code
