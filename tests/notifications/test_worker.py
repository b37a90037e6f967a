"""The reminder batch through a real Celery worker on Redis, mailing through a real SMTP
server: beat's task run twice sends each person behind on JP one mail."""

from __future__ import annotations

import datetime as dt

import pytest

from notifications import kinds, tasks
from notifications.models import MailMessage, MailStatus, Notification
from tests.conftest import wait_until

pytestmark = pytest.mark.integration


def test_a_reminder_batch_run_twice_by_the_worker_sends_once(people, smtp_server, workers) -> None:
    inbox, port = smtp_server
    workers.start(
        DJANGO_SETTINGS_MODULE="tests.notifications.worker_settings",
        TANGKAS_TEST_SMTP_PORT=str(port),
    )
    day = dt.date(2025, 12, 31).isoformat()
    assert tasks.reminders_run.delay(day).get(timeout=60) == 3
    assert tasks.reminders_run.delay(day).get(timeout=60) == 0
    wait_until(
        lambda: MailMessage.objects.filter(status=MailStatus.SENT).count() == 3,
        what="the worker to send the three mails",
    )
    assert sorted(address for m in inbox.messages for address in m.rcpt_tos) == sorted(
        p.user.email for p in (people.head, people.staff, people.english)
    )
    assert Notification.objects.filter(kind=kinds.JP_BEHIND, key="2025-q4").count() == 3
    # The sweep finds nothing left to send.
    assert tasks.mail_sweep.delay().get(timeout=60) == 0
    assert len(inbox.messages) == 3
