"""Rotation impact: what a planned move would do, written nowhere."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from competencies import selectors
from competencies.api._common import visible_employee
from competencies.api.gaps import PositionGapsOut
from competencies.models import Position


class RotationIn(serializers.Serializer):
    employee = serializers.IntegerField()
    position = serializers.IntegerField()
    date = serializers.DateField()


class RotationImpactView(APIView):
    """What a planned move would do: the person's gaps in the new position and both units'
    coverage before and after. Writes nothing."""

    required_scopes = {"POST": "gaps:read"}
    write_roles = ("hr", "head")

    @extend_schema(
        request=RotationIn, responses={200: OpenApiTypes.OBJECT}, operation_id="rotation_impact"
    )
    def post(self, request: Request) -> Response:
        data = RotationIn(data=request.data)
        data.is_valid(raise_exception=True)
        employee = visible_employee(request, data.validated_data["employee"])
        position = get_object_or_404(
            Position.objects.select_related("org_unit"), pk=data.validated_data["position"]
        )
        impact = selectors.rotation_impact(
            employee=employee, position=position, on_date=data.validated_data["date"]
        )

        def unit_impact(item: Any) -> dict[str, Any] | None:
            if item is None:
                return None
            return {
                "org_unit": item.org_unit.pk,
                "name": str(item.org_unit),
                "changes": [
                    {
                        "competency": c.code,
                        "is_critical": c.is_critical,
                        "before_pct": c.before_pct,
                        "after_pct": c.after_pct,
                        "before_meeting": c.before_meeting,
                        "after_meeting": c.after_meeting,
                        "lost_entirely": c.lost_entirely,
                    }
                    for c in item.changes
                ],
                "critical_lost": [c.code for c in item.critical_lost],
            }

        return Response(
            {
                "employee": employee.pk,
                "position": position.pk,
                "date": impact.on_date,
                "gaps_in_new_position": PositionGapsOut(impact.readiness).data,
                "losing_unit": unit_impact(impact.losing),
                "receiving_unit": unit_impact(impact.receiving),
            }
        )
