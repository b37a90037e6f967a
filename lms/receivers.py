"""What ties the apps together at the top: the domain signals of ``competencies`` and
``certificates`` become webhook events of ``core.webhooks``.

The bottom layer cannot listen to the apps (it imports none of them), and the apps should not
know that webhooks exist, so the wiring lives here, in the project, connected when the
project's app is ready (``lms.apps``).

``event_publish`` stores the event and its deliveries in the transaction it is called in:
``certificate_issued`` comes inside the signing transaction, so the event commits exactly when
the signed credential does; the other signals come after their transaction commits.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from certificates.signals import certificate_issued, certificate_revoked
from competencies.signals import (
    assignment_created,
    assignments_created,
    evidence_recorded,
    evidence_reviewed,
)
from core.webhooks.services import event_publish, event_publish_many


@receiver(certificate_issued, dispatch_uid="webhooks.certificate_issued")
def _on_certificate_issued(sender: Any, certificate_id: Any, **kwargs: Any) -> None:
    event_publish(event="certificate.issued", data={"certificate": str(certificate_id)})


@receiver(certificate_revoked, dispatch_uid="webhooks.certificate_revoked")
def _on_certificate_revoked(sender: Any, certificate_id: Any, **kwargs: Any) -> None:
    event_publish(event="certificate.revoked", data={"certificate": str(certificate_id)})


@receiver(assignment_created, dispatch_uid="webhooks.assignment_created")
def _on_assignment(sender: Any, assignment_id: int, **kwargs: Any) -> None:
    event_publish(event="assignment.created", data={"assignment": assignment_id})


@receiver(assignments_created, dispatch_uid="webhooks.assignments_created")
def _on_assignments(sender: Any, assignment_ids: list[int], **kwargs: Any) -> None:
    event_publish_many(
        event="assignment.created", items=[{"assignment": pk} for pk in assignment_ids]
    )


@receiver(evidence_recorded, dispatch_uid="webhooks.evidence_recorded")
def _on_evidence(sender: Any, evidence_id: int, **kwargs: Any) -> None:
    event_publish(event="evidence.recorded", data={"evidence": evidence_id})


@receiver(evidence_reviewed, dispatch_uid="webhooks.evidence_reviewed")
def _on_evidence_review(sender: Any, evidence_id: int, status: str, **kwargs: Any) -> None:
    event_publish(event=f"evidence.{status}", data={"evidence": evidence_id})
