"""Shared bits of the competency API: the scopes of reference data, the ``as_of`` query
parameter, and the people a caller may see."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from competencies.access import actor_for
from competencies.models import Employee
from core.exceptions import FieldError, ValidationError

READ_REFERENCE = {"GET": None}


def as_of_date(request: Request) -> dt.date:
    raw = request.query_params.get("as_of")
    if not raw:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            errors=[FieldError("as_of", _("Use a date as YYYY-MM-DD."), "invalid_date")]
        ) from None


AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="The date to answer for (default today)."
)


def visible_employee(request: Request, pk: int) -> Employee:
    return get_object_or_404(actor_for(request).employees(), pk=pk)
