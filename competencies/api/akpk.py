"""AKPK (Analisis Kebutuhan Pengembangan Kompetensi, the annual competency-development
needs analysis) for a unit and year."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from competencies import exports, selectors
from competencies.access import RoleNotAllowed, actor_for
from competencies.api._common import DigitsField, IdField, query_params
from competencies.models import OrgUnit
from core import dates

AKPK_YEARS = (2000, 2100)


class UnitIdField(IdField):
    default_error_messages = {"required": _("Use a unit id.")}

    def to_internal_value(self, data: Any) -> int:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            self.fail("required")


class YearField(DigitsField):
    """A planning year as digits in ``AKPK_YEARS``."""

    default_error_messages = {"invalid": _("Use a year such as 2026.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=AKPK_YEARS[0], max_value=AKPK_YEARS[1], **kwargs)


class AkpkQuery(serializers.Serializer):
    """``?org_unit=&year=&format=``."""

    org_unit = UnitIdField(help_text="The unit's id; the AKPK covers its subtree.")
    year = YearField(
        required=False,
        default=lambda: dates.today().year,
        help_text="The planning year (default this year).",
    )
    format = serializers.ChoiceField(
        choices=["json", *exports.AKPK_FORMATS],
        required=False,
        default="json",
        help_text="json, or a file: csv (UTF-8 with BOM) or xlsx, the same as the dashboard's.",
    )


class AkpkRowOut(serializers.Serializer):
    employee = serializers.IntegerField(source="employee_id")
    name = serializers.CharField()
    position = serializers.CharField(source="position_title")
    org_unit = serializers.CharField(source="org_unit_name")
    competency = serializers.CharField(source="code")
    competency_name = serializers.CharField()
    kind = serializers.CharField()
    required_level = serializers.IntegerField()
    proficiency = serializers.IntegerField()
    gap = serializers.IntegerField()
    is_critical = serializers.BooleanField()
    development = serializers.CharField()


class AkpkOut(serializers.Serializer):
    org_unit = serializers.IntegerField()
    year = serializers.IntegerField()
    rows = AkpkRowOut(many=True)


class AkpkView(APIView):
    """AKPK rows for a unit and year (``format=json``, ``csv`` or ``xlsx``)."""

    required_scopes = {"GET": "gaps:read"}

    @extend_schema(
        parameters=[AkpkQuery],
        responses={
            (200, "application/json"): AkpkOut,
            (200, exports.CSV_TYPE): OpenApiTypes.STR,
            (200, exports.XLSX_TYPE): OpenApiTypes.BINARY,
        },
        operation_id="akpk",
    )
    def get(self, request: Request) -> Response | HttpResponse:
        query = query_params(AkpkQuery, request)
        unit = get_object_or_404(OrgUnit, pk=query["org_unit"])
        if not actor_for(request).may_see_unit(unit):
            raise RoleNotAllowed()
        if query["format"] in exports.AKPK_FORMATS:
            file = exports.akpk_file(org_unit=unit, year=query["year"], fmt=query["format"])
            response = HttpResponse(file.content, content_type=file.content_type)
            response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
            return response
        rows = selectors.akpk_rows(org_unit=unit, year=query["year"])
        return Response(AkpkOut({"org_unit": unit.pk, "year": query["year"], "rows": rows}).data)
