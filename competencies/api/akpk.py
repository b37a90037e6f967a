"""AKPK (Analisis Kebutuhan Pengembangan Kompetensi, the annual competency-development
needs analysis) for a unit and year."""

from __future__ import annotations

from typing import Any

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from competencies import exports, selectors
from competencies.access import RoleNotAllowed, actor_for
from competencies.api._common import DigitsField, IdField, query_params
from competencies.models import OrgUnit
from core import dates
from core.api.fields import StrictCharField

AKPK_YEARS = (2000, 2100)
#: A JSON page covers this many people by default, and at most ``MAX_PEOPLE_PER_PAGE``.
PEOPLE_PER_PAGE = 200
MAX_PEOPLE_PER_PAGE = 1000
#: A cursor: the ids of the last holder of the previous page (``<employee>-<position>``).
CURSOR_PATTERN = selectors.akpk.CURSOR_PATTERN


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


class PeoplePageQuery(serializers.Serializer):
    """``?cursor=``: where a page of people starts (the AKPK's, the unit matrix's), as the ids
    of the last holding of the previous page; resolved to its ``AKPK_KEY`` row."""

    cursor = StrictCharField(
        required=False,
        max_length=37,
        pattern=CURSOR_PATTERN,
        help_text="Where a page starts; take it from the previous page's next.",
    )

    def validate_cursor(self, value: str) -> tuple:
        key = selectors.key_of_cursor(value)
        if key is None:  # well formed, but names no holder: a business rule, not the schema's
            raise serializers.ValidationError(
                _("Use the cursor of the previous page's next link."), code="unknown_cursor"
            )
        return key


class AkpkQuery(PeoplePageQuery):
    """``?org_unit=&year=&format=&page_size=&cursor=``."""

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
        help_text="json (paged by people), or a file of every row, streamed: csv (UTF-8 with "
        "BOM) or xlsx, the same as the dashboard's.",
    )
    page_size = DigitsField(
        required=False,
        min_value=1,
        max_value=MAX_PEOPLE_PER_PAGE,
        default=PEOPLE_PER_PAGE,
        help_text="json: how many people a page covers (each with all of their gap rows).",
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
    next = serializers.URLField(
        allow_null=True,
        help_text="The next page (the following people), or null after the last one.",
    )


class AkpkView(APIView):
    """AKPK rows for a unit and year: ``format=json`` pages the unit's people (``page_size``
    of them, each with all of their gap rows; follow ``next``), ``csv`` and ``xlsx`` are the
    whole unit's file, streamed."""

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
    def get(self, request: Request) -> Response | StreamingHttpResponse:
        query = query_params(AkpkQuery, request)
        unit = get_object_or_404(OrgUnit, pk=query["org_unit"])
        if not actor_for(request).may_see_unit(unit):
            raise RoleNotAllowed()
        if query["format"] in exports.AKPK_FORMATS:
            file = exports.akpk_file(org_unit=unit, year=query["year"], fmt=query["format"])
            response = StreamingHttpResponse(file.chunks, content_type=file.content_type)
            response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
            return response
        page = selectors.akpk_page(
            org_unit=unit,
            year=query["year"],
            people=query["page_size"],
            after=query.get("cursor"),
        )
        next_url = None
        if page.next_after is not None:
            next_url = replace_query_param(
                request.build_absolute_uri(), "cursor", selectors.cursor_of(page.next_after)
            )
        # The rows come as plain dictionaries in AkpkRowOut's shape: a page of 1,000 people
        # holds tens of thousands of rows, which DRF's serializer fields take several times
        # longer to copy (tests/api/test_akpk_pages.py holds the shape to AkpkRowOut's).
        return Response(
            {"org_unit": unit.pk, "year": query["year"], "rows": page.rows, "next": next_url}
        )
