"""Demo notifications for ``manage.py seed_demo``: what the demo logins would have been told,
made by the same rules as the real ones, so that ``make run`` shows a list with something in
it. Certificates issued to the demo learners notify them on their own (the real signal)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from competencies.access import evidence_reviewees
from competencies.models import Evidence, EvidenceStatus
from notifications import kinds, selectors, services


def seed_notifications(*, today: dt.date) -> int:
    """The demo head is told of the evidence waiting in their queue, and everyone with a login
    behind on JP gets the reminder of the year's stage (from July). Idempotent; returns the
    number of mails made (sent by the sweep when a worker runs)."""
    User = get_user_model()
    created = 0
    head = User.objects.filter(username="demo.kepala").first()
    if head is not None:
        waiting = (
            Evidence.objects.filter(
                status=EvidenceStatus.PROVISIONAL,
                employee__in=evidence_reviewees(user=head, as_of=today),
            )
            .order_by("-recorded_at", "-id")
            .first()
        )
        if waiting is not None:
            items = selectors.evidence_to_review_items(evidence_id=waiting.pk, day=today)
            created += len(services.event_notify(kind=kinds.EVIDENCE_TO_REVIEW, items=items))
    created += len(services.jp_reminders_prepare(today=today))
    return created
