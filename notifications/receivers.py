"""What notifications do when another app announces something, connected in ``apps.py``.

Each receiver hands the event to a task after the transaction commits (a worker never reads
an uncommitted row); the task finds whom it concerns and creates their notifications once.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from competencies.models import EvidenceStatus


def on_certificate_issued(sender: Any, certificate_id: Any, **kwargs: Any) -> None:
    from notifications import tasks  # the tasks reach the models, ready only after apps load

    # Sent inside the signing transaction: wait for it to commit.
    transaction.on_commit(lambda: tasks.certificate_issued_notify.delay(str(certificate_id)))


def on_certificate_revoked(sender: Any, certificate_id: Any, **kwargs: Any) -> None:
    from notifications import tasks  # the tasks reach the models, ready only after apps load

    transaction.on_commit(lambda: tasks.certificate_revoked_notify.delay(str(certificate_id)))


def on_evidence_recorded(sender: Any, evidence_id: int, **kwargs: Any) -> None:
    from competencies.models import Evidence  # models are ready only after apps load
    from notifications import tasks  # the tasks reach the models, ready only after apps load

    status = Evidence.objects.filter(pk=evidence_id).values_list("status", flat=True).first()
    if status != EvidenceStatus.PROVISIONAL:
        return  # nothing waits for a reviewer
    day = timezone.localdate().isoformat()
    transaction.on_commit(lambda: tasks.evidence_to_review_notify.delay(evidence_id, day))


def on_plan_transitioned(sender: Any, plan_id: int, transition_id: int, **kwargs: Any) -> None:
    from notifications import tasks  # the tasks reach the models, ready only after apps load

    day = timezone.localdate().isoformat()
    transaction.on_commit(lambda: tasks.development_plan_notify.delay(plan_id, transition_id, day))


def on_quiz_failed(sender: Any, attempt_id: int, **kwargs: Any) -> None:
    from notifications import tasks  # the tasks reach the models, ready only after apps load

    transaction.on_commit(lambda: tasks.quiz_failed_notify.delay(attempt_id))


def on_akpk_transitioned(sender: Any, plan_id: int, transition_id: int, **kwargs: Any) -> None:
    from notifications import tasks  # the tasks reach the models, ready only after apps load

    # Sent after the step's transaction committed (planning.signals): hand it on at once.
    tasks.akpk_action_notify.delay(transition_id)
