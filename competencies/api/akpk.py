"""AKPK (Analisis Kebutuhan Pengembangan Kompetensi, the annual competency-development
needs analysis) for a unit and year."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from competencies import exports, selectors
from competencies.access import RoleNotAllowed, actor_for
from competencies.models import OrgUnit
from core.exceptions import FieldError, ValidationError


class AkpkView(APIView):
    """AKPK rows for a unit and year (``format=json``, ``csv`` or ``xlsx``)."""

    required_scopes = {"GET": "gaps:read"}

    @extend_schema(
        parameters=[
            OpenApiParameter("org_unit", OpenApiTypes.INT, required=True),
            OpenApiParameter("year", OpenApiTypes.INT),
            OpenApiParameter("format", str, enum=["json", "csv", "xlsx"]),
        ],
        responses={200: OpenApiTypes.OBJECT},
        operation_id="akpk",
    )
    def get(self, request: Request) -> Response | HttpResponse:
        unit_id, year, fmt = (
            request.query_params.get(k, "") for k in ("org_unit", "year", "format")
        )
        errors = []
        if not unit_id.isdigit():
            errors.append(FieldError("org_unit", _("Use a unit id."), "required"))
        if year and not (year.isdigit() and 2000 <= int(year) <= 2100):
            errors.append(FieldError("year", _("Use a year such as 2026."), "invalid"))
        if fmt and fmt not in ("json", "csv", "xlsx"):
            errors.append(FieldError("format", _("Use json, csv or xlsx."), "invalid_choice"))
        if errors:
            raise ValidationError(errors=errors)
        unit = get_object_or_404(OrgUnit, pk=int(unit_id))
        if not actor_for(request).may_see_unit(unit):
            raise RoleNotAllowed()
        the_year = int(year) if year else timezone.localdate().year
        if fmt in exports.AKPK_FORMATS:
            # The same file as the dashboard's download: Indonesian, CSV with a BOM.
            file = exports.akpk_file(org_unit=unit, year=the_year, fmt=fmt)
            response = HttpResponse(file.content, content_type=file.content_type)
            response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
            return response
        rows = selectors.akpk_rows(org_unit=unit, year=the_year)
        return Response(
            {
                "org_unit": unit.pk,
                "year": the_year,
                "rows": [
                    {
                        "employee": r.employee_id,
                        "name": r.name,
                        "position": r.position_title,
                        "org_unit": r.org_unit_name,
                        "competency": r.code,
                        "competency_name": r.competency_name,
                        "kind": r.kind,
                        "required_level": r.required_level,
                        "proficiency": r.proficiency,
                        "gap": r.gap,
                        "is_critical": r.is_critical,
                        "development": r.development,
                    }
                    for r in rows
                ],
            }
        )
