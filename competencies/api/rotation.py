"""Rotation impact: what a planned move would do, written nowhere.

A head asks only about the people and positions of the units they lead today, and only about
a move today or later; HR and API clients about anyone, anywhere, any day
(``competencies.access.rotation_refusals``, the rule the dashboard's form applies too)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from competencies import selectors
from competencies.access import actor_for
from competencies.api._common import visible_employee
from competencies.api.gaps import PositionGapsOut
from competencies.models import Position
from core.api.fields import IdField, StrictDateField


class RotationIn(serializers.Serializer):
    employee = IdField()
    position = IdField()
    date = StrictDateField(
        help_text="The day of the move (TMT); a head asks about today or a later day."
    )


class CoverageChangeOut(serializers.Serializer):
    competency = serializers.CharField(source="code")
    is_critical = serializers.BooleanField()
    before_pct = serializers.FloatField()
    after_pct = serializers.FloatField()
    before_meeting = serializers.IntegerField()
    after_meeting = serializers.IntegerField()
    lost_entirely = serializers.BooleanField()


class UnitImpactOut(serializers.Serializer):
    org_unit = serializers.IntegerField(source="org_unit.pk")
    name = serializers.CharField(source="org_unit")
    changes = CoverageChangeOut(many=True)
    critical_lost = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)


class RotationImpactOut(serializers.Serializer):
    employee = serializers.IntegerField(source="employee.pk")
    position = serializers.IntegerField(source="position.pk")
    date = serializers.DateField(source="on_date")
    in_current_position_since = serializers.DateField(source="in_post_since", allow_null=True)
    years_in_current_position = serializers.FloatField(source="years_in_post", allow_null=True)
    min_years_in_position = serializers.IntegerField(source="thresholds.min_years_in_post")
    too_early = serializers.BooleanField(
        help_text="The move comes before min_years_in_position years in the current position"
    )
    gaps_in_new_position = PositionGapsOut(source="readiness")
    losing_unit = UnitImpactOut(source="losing", allow_null=True)
    receiving_unit = UnitImpactOut(source="receiving")


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
        on_date = data.validated_data["date"]
        actor_for(request).check_rotation(position_unit_id=position.org_unit_id, on_date=on_date)
        impact = selectors.rotation_impact(employee=employee, position=position, on_date=on_date)
        return Response(RotationImpactOut(impact).data)
