"""Celery tasks for notifications. Each takes ids (or a day), calls one service, and hands the
mails that service created to ``mail_messages_send`` after commit, ``SEND_CHUNK`` per task.
All are safe to run twice: notifications and mails are created at most once, and a mail is
claimed before it is sent. A mail whose task never left (the broker was down) stays
``pending`` until ``mail_sweep`` sends it."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from notifications import kinds, selectors, services

logger = logging.getLogger(__name__)

_RETRIES: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


def _send_later(message_ids: list[int]) -> int:
    def send() -> None:
        for start in range(0, len(message_ids), services.SEND_CHUNK):
            try:
                mail_messages_send.delay(message_ids[start : start + services.SEND_CHUNK])
            except Exception:
                logger.warning(
                    "mails left for the sweep: the task could not be sent", exc_info=True
                )

    if message_ids:
        transaction.on_commit(send)
    return len(message_ids)


@shared_task(name="notifications.certificate_issued_notify", **_RETRIES)
def certificate_issued_notify(certificate_id: str) -> int:
    return _send_later(
        services.event_notify(
            kind=kinds.CERTIFICATE_ISSUED,
            items=selectors.certificate_issued_items(certificate_id=certificate_id),
        )
    )


@shared_task(name="notifications.certificate_revoked_notify", **_RETRIES)
def certificate_revoked_notify(certificate_id: str) -> int:
    return _send_later(
        services.event_notify(
            kind=kinds.CERTIFICATE_REVOKED,
            items=selectors.certificate_revoked_items(certificate_id=certificate_id),
        )
    )


@shared_task(name="notifications.evidence_to_review_notify", **_RETRIES)
def evidence_to_review_notify(evidence_id: int, day: str) -> int:
    return _send_later(
        services.event_notify(
            kind=kinds.EVIDENCE_TO_REVIEW,
            items=selectors.evidence_to_review_items(
                evidence_id=evidence_id, day=dt.date.fromisoformat(day)
            ),
        )
    )


@shared_task(name="notifications.quiz_failed_notify", **_RETRIES)
def quiz_failed_notify(attempt_id: int) -> int:
    return _send_later(
        services.event_notify(
            kind=kinds.QUIZ_FAILED, items=selectors.quiz_failed_items(attempt_id=attempt_id)
        )
    )


@shared_task(name="notifications.development_plan_notify", **_RETRIES)
def development_plan_notify(plan_id: int, transition_id: int, day: str) -> int:
    return _send_later(
        services.event_notify(
            kind=kinds.DEVELOPMENT_PLAN_ACTION,
            items=selectors.development_plan_items(
                plan_id=plan_id, transition_id=transition_id, day=dt.date.fromisoformat(day)
            ),
        )
    )


@shared_task(name="notifications.akpk_action_notify", **_RETRIES)
def akpk_action_notify(transition_id: int) -> int:
    return _send_later(
        services.event_notify(
            kind=kinds.AKPK_ACTION,
            items=selectors.akpk_action_items(transition_id=transition_id),
        )
    )


@shared_task(name="notifications.mail_messages_send", **_RETRIES)
def mail_messages_send(message_ids: list[int]) -> dict[str, int]:
    return services.mail_messages_send(message_ids=message_ids)


@shared_task(name="notifications.reminders_run")
def reminders_run(day: str | None = None) -> int:
    """The daily reminder batch (beat); ``day`` defaults to today in the city's time zone."""
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    return _send_later(services.reminders_prepare(today=today))


@shared_task(name="notifications.digests_run")
def digests_run() -> int:
    return _send_later(services.digests_prepare(now=timezone.now()))


@shared_task(name="notifications.mail_sweep")
def mail_sweep() -> int:
    return _send_later(services.mails_unfinished())
