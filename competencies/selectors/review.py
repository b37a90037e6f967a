"""Evidence waiting for a reviewer (the validation queue), and a person's reviewed evidence."""

from __future__ import annotations

from django.db.models import QuerySet

from competencies.models import Employee, Evidence, EvidenceStatus


def evidence_awaiting_review(*, people: QuerySet[Employee]) -> QuerySet[Evidence]:
    """Provisional evidence of ``people``, oldest first, with what the queue shows."""
    return (
        Evidence.objects.filter(status=EvidenceStatus.PROVISIONAL, employee__in=people)
        .select_related("employee", "competency", "recorded_by")
        .order_by("recorded_at", "id")
    )


def evidence_reviews_of(*, employee: Employee) -> QuerySet[Evidence]:
    """The person's evidence that waits for a reviewer or was reviewed by someone, newest
    first: what their history tells them."""
    return (
        Evidence.objects.filter(employee=employee)
        .exclude(status=EvidenceStatus.VALIDATED, reviewed_at__isnull=True)
        .select_related("competency", "reviewed_by")
        .order_by("-recorded_at", "-id")
    )
