"""Gaps: per person, per unit (the matrix), and the organisation-wide export."""

from __future__ import annotations

from typing import Any

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from competencies import selectors
from competencies.access import RoleNotAllowed, actor_for
from competencies.api._common import (
    AsOfQuery,
    DigitsField,
    IdField,
    query_params,
    visible_employee,
)
from competencies.models import OrgUnit, Position
from competencies.selectors import export as export_selectors

# --- A person -------------------------------------------------------------------------------


class GapRowOut(serializers.Serializer):
    competency = serializers.CharField(source="code")
    name_id = serializers.CharField()
    name_en = serializers.CharField()
    kind = serializers.CharField()
    required_level = serializers.IntegerField()
    proficiency = serializers.IntegerField()
    gap = serializers.IntegerField()
    is_critical = serializers.BooleanField()


class PositionGapsOut(serializers.Serializer):
    position = serializers.IntegerField(source="position.pk")
    position_code = serializers.CharField(source="position.code")
    position_title = serializers.CharField(source="position.title")
    total_gap = serializers.IntegerField()
    readiness_pct = serializers.FloatField()
    jpm_pct = serializers.FloatField()
    requirements = GapRowOut(source="rows", many=True)


class EmployeeGapsQuery(AsOfQuery):
    position = IdField(
        required=False,
        help_text="Readiness for this position",
        error_messages={"invalid": gettext_lazy("Use a position id.")},
    )


class EmployeeGaps(APIView):
    """Gaps per requirement of each position held on ``as_of``, or readiness for ``position``."""

    required_scopes = {"GET": "gaps:read"}

    @extend_schema(
        parameters=[EmployeeGapsQuery],
        responses={200: PositionGapsOut(many=True)},
        operation_id="employee_gaps",
    )
    def get(self, request: Request, pk: int) -> Response:
        employee = visible_employee(request, pk)
        query = query_params(EmployeeGapsQuery, request)
        if "position" in query:
            position = get_object_or_404(Position, pk=query["position"])
            gaps = [
                selectors.employee_readiness(
                    employee=employee, position=position, as_of=query["as_of"]
                )
            ]
        else:
            gaps = selectors.employee_gaps(employee=employee, as_of=query["as_of"])
        return Response(PositionGapsOut(gaps, many=True).data)


# --- A unit ---------------------------------------------------------------------------------


class MatrixRowOut(serializers.Serializer):
    employee = serializers.IntegerField(source="employee_id")
    name = serializers.CharField()
    position = serializers.IntegerField(source="position_id")
    position_title = serializers.CharField()
    org_unit = serializers.IntegerField(source="org_unit_id")
    cells = serializers.SerializerMethodField()

    def get_cells(self, row: selectors.MatrixRow) -> list[dict[str, Any]]:
        """The row's cells, each named by its competency's code (``context["codes"]``).

        Written out here rather than through a nested serializer: a unit has people ×
        competencies cells (tens of thousands for a perangkat daerah), and a serializer
        instance per cell made the endpoint several times slower under load (make bench)."""
        codes = self.context["codes"]
        return [
            {
                "competency": codes.get(competency_id, competency_id),
                "required_level": cell.required_level,
                "proficiency": cell.proficiency,
                "gap": cell.gap,
                "is_critical": cell.is_critical,
            }
            for competency_id, cell in row.cells.items()
        ]


class CoverageOut(serializers.Serializer):
    competency = serializers.CharField(source="code")
    holders_required = serializers.IntegerField()
    holders_meeting = serializers.IntegerField()
    coverage_pct = serializers.FloatField()
    total_gap = serializers.IntegerField()
    is_critical = serializers.BooleanField()


class VacancyOut(serializers.Serializer):
    position = serializers.IntegerField(source="position_id")
    title = serializers.CharField()
    headcount = serializers.IntegerField()
    holders = serializers.IntegerField()
    requirements = serializers.SerializerMethodField()

    def get_requirements(self, vacancy: selectors.VacancyRow) -> list[dict[str, Any]]:
        """The selector gives each requirement as a ``(code, level, critical)`` tuple."""
        return [
            {"competency": code, "required_level": level, "is_critical": critical}
            for code, level, critical in vacancy.requirements
        ]


class UnitGapsOut(serializers.Serializer):
    """A ``UnitMatrix``; pass the codes of its competencies as ``context={"codes": …}``."""

    org_unit = serializers.IntegerField(source="org_unit.pk")
    as_of = serializers.DateField()
    total_gap = serializers.IntegerField()
    people = MatrixRowOut(source="rows", many=True)
    coverage = CoverageOut(many=True)
    critical_single_holder = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    vacancies = VacancyOut(many=True)


# The schema documents the matrix's lists as free-form objects, as it always has.
UNIT_GAPS_SCHEMA = inline_serializer(
    "UnitGaps",
    {
        "org_unit": serializers.IntegerField(),
        "as_of": serializers.DateField(),
        "total_gap": serializers.IntegerField(),
        "people": serializers.ListField(child=serializers.DictField()),
        "coverage": serializers.ListField(child=serializers.DictField()),
        "critical_single_holder": serializers.ListField(child=serializers.CharField()),
        "vacancies": serializers.ListField(child=serializers.DictField()),
    },
)


class UnitGaps(APIView):
    """The subtree matrix (people × required competencies) with coverage and vacancies.

    A head asks about a unit they lead today, as of today or a past day on which they held its
    head post (``Actor.check_unit_on``); HR and API clients about any unit and day."""

    required_scopes = {"GET": "gaps:read"}

    @extend_schema(
        parameters=[AsOfQuery], responses={200: UNIT_GAPS_SCHEMA}, operation_id="org_unit_gaps"
    )
    def get(self, request: Request, pk: int) -> Response:
        unit = get_object_or_404(OrgUnit, pk=pk)
        actor = actor_for(request)
        if not actor.may_see_unit(unit):
            raise RoleNotAllowed()
        query = query_params(AsOfQuery, request)
        actor.check_unit_on(unit, query["as_of"])
        matrix = selectors.gap_matrix_for_unit(org_unit=unit, as_of=query["as_of"])
        codes = {competency.pk: competency.code for competency in matrix.competencies}
        return Response(UnitGapsOut(matrix, context={"codes": codes}).data)


# --- The organisation -----------------------------------------------------------------------


class GapExportQuery(AsOfQuery):
    format = serializers.ChoiceField(
        choices=export_selectors.EXPORT_FORMATS,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Use csv or ndjson.")},
    )
    unit = IdField(required=False, error_messages={"invalid": gettext_lazy("Use a unit id.")})
    competency = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    min_gap = DigitsField(
        required=False,
        max_value=5,
        error_messages={"invalid": gettext_lazy("Use a whole number from 0 to 5.")},
    )

    def validate_competency(self, value: str) -> str | None:
        return value.upper()[:20] or None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Defaults here rather than on the fields, which would print them into the schema.
        return {"format": "csv", "unit": None, "competency": None, "min_gap": 0, **attrs}


class GapExport(APIView):
    """The whole organisation's gaps, streamed row by row (``format=csv`` or ``ndjson``)."""

    required_scopes = {"GET": "gaps:read"}

    @extend_schema(
        parameters=[
            GapExportQuery,
            # The format as a bare enum, as the document has always shown it.
            OpenApiParameter("format", str, enum=list(export_selectors.EXPORT_FORMATS)),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/x-ndjson"): OpenApiTypes.STR,
        },
        operation_id="gaps_export",
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        query = query_params(GapExportQuery, request)
        actor = actor_for(request)
        if not actor.organisation_wide:
            if query["unit"] not in (actor.unit_ids or []):
                raise RoleNotAllowed(_("Export a unit you may see: pass ?unit=<id>."))
            actor.check_unit_on(OrgUnit.objects.get(pk=query["unit"]), query["as_of"])
        fmt = query["format"]
        stream = export_selectors.gap_export_stream(
            fmt=fmt,
            as_of=query["as_of"],
            unit_id=query["unit"],
            competency=query["competency"],
            min_gap=query["min_gap"],
        )
        content_type = "application/x-ndjson" if fmt == "ndjson" else "text/csv; charset=utf-8"
        response = StreamingHttpResponse(stream, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="gaps.{fmt}"'
        return response
