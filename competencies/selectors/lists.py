"""Plain lists for the admin and the API: querysets with what their pages show preloaded."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from competencies.models import Position, PositionRequirement


def position_list() -> QuerySet[Position]:
    """Positions with their unit and their requirements (by competency code) preloaded."""
    return Position.objects.select_related("org_unit").prefetch_related(
        Prefetch(
            "requirements",
            queryset=PositionRequirement.objects.select_related("competency").order_by(
                "competency__code"
            ),
        )
    )
