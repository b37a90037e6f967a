"""Gaps: per person, per unit (the matrix), and the organisation-wide export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db import connection, transaction
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from competencies import selectors
from competencies.access import RoleNotAllowed, actor_for
from competencies.api._common import AS_OF, as_of_date, visible_employee
from competencies.models import OrgUnit, Position
from core.exceptions import FieldError, ValidationError


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


class EmployeeGaps(APIView):
    """Gaps per requirement of each position held on ``as_of``, or readiness for ``position``."""

    required_scopes = {"GET": "gaps:read"}

    @extend_schema(
        parameters=[
            AS_OF,
            OpenApiParameter(
                "position", OpenApiTypes.INT, description="Readiness for this position"
            ),
        ],
        responses={200: PositionGapsOut(many=True)},
        operation_id="employee_gaps",
    )
    def get(self, request: Request, pk: int) -> Response:
        employee = visible_employee(request, pk)
        as_of = as_of_date(request)
        position_id = request.query_params.get("position")
        if position_id:
            position = (
                get_object_or_404(Position, pk=position_id) if position_id.isdigit() else None
            )
            if position is None:
                raise ValidationError(
                    errors=[FieldError("position", _("Use a position id."), "invalid")]
                )
            return Response(
                PositionGapsOut(
                    [
                        selectors.employee_readiness(
                            employee=employee, position=position, as_of=as_of
                        )
                    ],
                    many=True,
                ).data
            )
        return Response(
            PositionGapsOut(selectors.employee_gaps(employee=employee, as_of=as_of), many=True).data
        )


class UnitGaps(APIView):
    """The subtree matrix (people × required competencies) with coverage and vacancies."""

    required_scopes = {"GET": "gaps:read"}

    @extend_schema(
        parameters=[AS_OF],
        responses={
            200: inline_serializer(
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
        },
        operation_id="org_unit_gaps",
    )
    def get(self, request: Request, pk: int) -> Response:
        unit = get_object_or_404(OrgUnit, pk=pk)
        actor = actor_for(request)
        if not actor.may_see_unit(unit):
            raise RoleNotAllowed()
        matrix = selectors.gap_matrix_for_unit(org_unit=unit, as_of=as_of_date(request))
        codes = {c.pk: c.code for c in matrix.competencies}
        return Response(
            {
                "org_unit": unit.pk,
                "as_of": matrix.as_of,
                "total_gap": matrix.total_gap,
                "people": [
                    {
                        "employee": row.employee_id,
                        "name": row.name,
                        "position": row.position_id,
                        "position_title": row.position_title,
                        "org_unit": row.org_unit_id,
                        "cells": [
                            {
                                "competency": codes.get(cid, cid),
                                "required_level": c.required_level,
                                "proficiency": c.proficiency,
                                "gap": c.gap,
                                "is_critical": c.is_critical,
                            }
                            for cid, c in row.cells.items()
                        ],
                    }
                    for row in matrix.rows
                ],
                "coverage": [
                    {
                        "competency": c.code,
                        "holders_required": c.holders_required,
                        "holders_meeting": c.holders_meeting,
                        "coverage_pct": c.coverage_pct,
                        "total_gap": c.total_gap,
                        "is_critical": c.is_critical,
                    }
                    for c in matrix.coverage
                ],
                "critical_single_holder": [c.code for c in matrix.critical_single_holder],
                "vacancies": [
                    {
                        "position": v.position_id,
                        "title": v.title,
                        "headcount": v.headcount,
                        "holders": v.holders,
                        "requirements": [
                            {"competency": code, "required_level": level, "is_critical": critical}
                            for code, level, critical in v.requirements
                        ],
                    }
                    for v in matrix.vacancies
                ],
            }
        )


EXPORT_COLUMNS = [
    "employee",
    "nip",
    "name",
    "org_unit",
    "position",
    "competency",
    "required_level",
    "proficiency",
    "gap",
    "is_critical",
]

EXPORT_SQL = """
    WITH holders AS (
        SELECT a.employee_id, a.position_id, u.code AS unit_code
        FROM competencies_assignment a
        JOIN competencies_position p ON p.id = a.position_id
        JOIN competencies_orgunit u ON u.id = p.org_unit_id
        WHERE a.kind <> 'plt' AND a.start_date <= %(day)s AND (a.end_date IS NULL OR a.end_date >= %(day)s)
          AND (%(unit)s::bigint IS NULL OR starts_with(u.path, (SELECT path FROM competencies_orgunit WHERE id = %(unit)s)))
    ),
    prof AS (
        SELECT ev.employee_id, ev.competency_id, max(ev.level) AS level
        FROM competencies_evidence ev
        WHERE ev.source = ANY(%(counting)s) AND ev.achieved_date <= %(day)s
          AND (ev.expires_date IS NULL OR ev.expires_date > %(day)s)
          AND ev.employee_id IN (SELECT employee_id FROM holders)
        GROUP BY ev.employee_id, ev.competency_id
    )
    SELECT h.employee_id AS employee, e.nip, e.name, h.unit_code AS org_unit, p.code AS position,
           c.code AS competency, r.required_level, coalesce(prof.level, 0) AS proficiency,
           greatest(0, r.required_level - coalesce(prof.level, 0)) AS gap, r.is_critical
    FROM holders h
    JOIN competencies_employee e ON e.id = h.employee_id
    JOIN competencies_position p ON p.id = h.position_id
    JOIN competencies_positionrequirement r ON r.position_id = h.position_id
    JOIN competencies_competency c ON c.id = r.competency_id
    LEFT JOIN prof ON prof.employee_id = h.employee_id AND prof.competency_id = r.competency_id
    WHERE (%(competency)s::text IS NULL OR c.code = %(competency)s)
      AND greatest(0, r.required_level - coalesce(prof.level, 0)) >= %(min_gap)s
"""

# NDJSON straight from PostgreSQL: one JSON object per line. CSV format with control
# characters as quote and delimiter writes each line as it is (JSON escapes its own).
NDJSON_COPY = "COPY (SELECT row_to_json(t)::text FROM ({query}) t) TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
CSV_COPY = "COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)"
EXPORT_CHUNK_BYTES = 256 * 1024


def export_stream(
    *, fmt: str, day: dt.date, unit: int | None, competency: str | None, min_gap: int
) -> Iterator[bytes]:
    """Stream the organisation's gap rows with PostgreSQL ``COPY … TO STDOUT``: rows leave the
    database as text and pass through in blocks, so memory stays flat whatever the size."""
    from competencies.models import COUNTING_SOURCES

    params = {
        "day": day,
        "unit": unit,
        "competency": competency,
        "min_gap": min_gap,
        "counting": list(COUNTING_SOURCES),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        query = cursor.cursor.mogrify(
            EXPORT_SQL, params
        )  # values quoted by psycopg: COPY takes no parameters
        statement = (NDJSON_COPY if fmt == "ndjson" else CSV_COPY).format(query=query)
        buffer = bytearray()
        with cursor.cursor.copy(statement) as copy:
            for block in copy:  # PostgreSQL sends about a row per block: regroup them
                buffer += block
                if len(buffer) >= EXPORT_CHUNK_BYTES:
                    yield bytes(buffer)
                    buffer.clear()
        if buffer:
            yield bytes(buffer)


class GapExport(APIView):
    """The whole organisation's gaps, streamed row by row (``format=csv`` or ``ndjson``)."""

    required_scopes = {"GET": "gaps:read"}

    @extend_schema(
        parameters=[
            AS_OF,
            OpenApiParameter("format", str, enum=["csv", "ndjson"]),
            OpenApiParameter("unit", OpenApiTypes.INT),
            OpenApiParameter("competency", str),
            OpenApiParameter("min_gap", OpenApiTypes.INT),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/x-ndjson"): OpenApiTypes.STR,
        },
        operation_id="gaps_export",
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        actor = actor_for(request)
        fmt = request.query_params.get("format", "csv")
        errors = []
        if fmt not in ("csv", "ndjson"):
            errors.append(FieldError("format", _("Use csv or ndjson."), "invalid_choice"))
        unit = request.query_params.get("unit")
        min_gap = request.query_params.get("min_gap", "0")
        if unit and not unit.isdigit():
            errors.append(FieldError("unit", _("Use a unit id."), "invalid"))
        if not min_gap.isdigit() or int(min_gap) > 5:
            errors.append(FieldError("min_gap", _("Use a whole number from 0 to 5."), "invalid"))
        if errors:
            raise ValidationError(errors=errors)
        unit_id = int(unit) if unit else None
        if not actor.organisation_wide:
            visible = actor.unit_ids or []
            if unit_id is None or unit_id not in visible:
                raise RoleNotAllowed(_("Export a unit you may see: pass ?unit=<id>."))
        stream = export_stream(
            fmt=fmt,
            day=as_of_date(request),
            unit=unit_id,
            competency=(request.query_params.get("competency") or "").upper()[:20] or None,
            min_gap=int(min_gap),
        )
        content_type = "application/x-ndjson" if fmt == "ndjson" else "text/csv; charset=utf-8"
        response = StreamingHttpResponse(stream, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="gaps.{fmt}"'
        return response
