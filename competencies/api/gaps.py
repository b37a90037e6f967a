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
from rest_framework.utils.urls import replace_query_param
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
from competencies.api.akpk import MAX_PEOPLE_PER_PAGE, PeoplePageQuery
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


#: A page of the unit's matrix covers this many people by default, and at most
#: ``MAX_PEOPLE_PER_PAGE`` (a perangkat daerah has thousands; the whole city, a hundred
#: thousand: no response grows with the unit).
UNIT_PEOPLE_PER_PAGE = 50
UNIT_FORMS = ("full", "compact")


class UnitGapsQuery(AsOfQuery, PeoplePageQuery):
    """``?as_of=&page_size=&cursor=&form=``."""

    page_size = DigitsField(
        required=False,
        min_value=1,
        max_value=MAX_PEOPLE_PER_PAGE,
        default=UNIT_PEOPLE_PER_PAGE,
        help_text="How many people (holdings) a page of the matrix covers.",
    )
    form = serializers.ChoiceField(
        choices=UNIT_FORMS,
        required=False,
        default="full",
        help_text="full: each person's cells as objects named by competency; compact: each "
        "person's levels as arrays in the order of the page's competencies (about a fifth "
        "of the size).",
    )


# The schema documents the matrix's lists as free-form objects, as it always has: a person
# of the full form has cells, one of the compact form has arrays in ``competencies`` order.
UNIT_GAPS_SCHEMA = inline_serializer(
    "UnitGaps",
    {
        "org_unit": serializers.IntegerField(),
        "as_of": serializers.DateField(),
        "total_gap": serializers.IntegerField(
            help_text="Every holder's gaps in the subtree, whatever the page."
        ),
        "competencies": serializers.ListField(
            child=serializers.CharField(),
            help_text="The codes of the subtree's required competencies; the compact form's "
            "arrays follow this order.",
        ),
        "people": serializers.ListField(
            child=serializers.DictField(),
            help_text="This page's people (holdings), in the matrix's order.",
        ),
        "next": serializers.URLField(
            allow_null=True,
            help_text="The next page of people, or null after the last one.",
        ),
        "coverage": serializers.ListField(child=serializers.DictField()),
        "critical_single_holder": serializers.ListField(child=serializers.CharField()),
        "vacancies": serializers.ListField(child=serializers.DictField()),
    },
)


def _compact_people(matrix: selectors.UnitMatrix, codes: list[int]) -> list[dict[str, Any]]:
    """Each person with their required level, counted level and critical flag as arrays in
    the order of ``codes`` (competency ids), null where their post does not require it."""
    people = []
    for row in matrix.rows:
        cells = [row.cells.get(competency_id) for competency_id in codes]
        people.append(
            {
                "employee": row.employee_id,
                "name": row.name,
                "position": row.position_id,
                "position_title": row.position_title,
                "org_unit": row.org_unit_id,
                "required_level": [c.required_level if c else None for c in cells],
                "proficiency": [c.proficiency if c else None for c in cells],
                "is_critical": [c.is_critical if c else None for c in cells],
            }
        )
    return people


class UnitGaps(APIView):
    """The subtree matrix (people × required competencies) with coverage and vacancies.

    A head asks about a unit they lead today, as of today or a past day on which they held its
    head post (``Actor.check_unit_on``); HR and API clients about any unit and day."""

    required_scopes = {"GET": "gaps:read"}

    @extend_schema(
        parameters=[UnitGapsQuery],
        responses={200: UNIT_GAPS_SCHEMA},
        operation_id="org_unit_gaps",
    )
    def get(self, request: Request, pk: int) -> Response:
        unit = get_object_or_404(OrgUnit, pk=pk)
        actor = actor_for(request)
        if not actor.may_see_unit(unit):
            raise RoleNotAllowed()
        query = query_params(UnitGapsQuery, request)
        actor.check_unit_on(unit, query["as_of"])
        matrix = selectors.gap_matrix_page(
            org_unit=unit,
            as_of=query["as_of"],
            people=query["page_size"],
            after=query.get("cursor"),
        )
        codes = {competency.pk: competency.code for competency in matrix.competencies}
        data = UnitGapsOut(matrix, context={"codes": codes}).data
        data["competencies"] = list(codes.values())
        if query["form"] == "compact":
            data["people"] = _compact_people(matrix, list(codes))
        data["next"] = None
        if matrix.next_after is not None:
            data["next"] = replace_query_param(
                request.build_absolute_uri(), "cursor", selectors.cursor_of(matrix.next_after)
            )
        return Response(data)


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
