"""The head of unit's dashboard: the unit's people × required competencies as a heatmap,
coverage, critical competencies held by one person only, the quarterly trend, a person's
drill-down, rotation risk with a "try a rotation" form, and the AKPK draft with downloads.

Access follows the organisation (``org_units_visible_to``): a head sees the subtree of the
unit they head today, HR sees every unit; a unit or person outside that, or a user who is
neither, gets the site's 403 page. The heatmap answers ``?as_of=`` a day: HR any day, a head
today or a past day on which they held the unit's head post (``unit_day_refusals``, the rule
of the API's ``as_of``); another day gets the 403 page saying why, and the quarterly trend
shows a head only the quarters they held it. Every filter is a plain GET parameter, so each
view is a link that works without JavaScript and can be bookmarked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from competencies import selectors
from competencies.access import (
    can_view_employee,
    org_units_visible_to,
    unit_day_refusals,
    unit_days_visible,
    user_is_hr,
)
from competencies.exports import akpk_file
from competencies.models import Competency, Employee, OrgUnit
from competencies.validators import mask_nip
from core import dates
from courses.selectors import learning_hours
from frontend.forms import AkpkForm, AsOfForm, HeatmapFilterForm, RotationForm

#: People per page of the heatmap, rows per page of the AKPK table (downloads hold all rows).
HEATMAP_ROWS_PER_PAGE = 50
AKPK_ROWS_PER_PAGE = 100


# --- Scope: which units the user may see, and which one the page is about -------------------


@dataclass
class Scope:
    today: dt.date
    visible: QuerySet[OrgUnit]
    units: list[OrgUnit]
    unit: OrgUnit
    organisation_wide: bool = False

    @property
    def unit_ids(self) -> list[int] | None:
        """The units visible today, ``None`` for HR (every unit): what the access rules take."""
        return None if self.organisation_wide else [u.pk for u in self.units]

    @property
    def ancestors(self) -> list[OrgUnit]:
        """The visible units above the current one, top first (the breadcrumb)."""
        return [u for u in self.units if self.unit.path.startswith(u.path) and u.pk != self.unit.pk]

    @property
    def children(self) -> list[OrgUnit]:
        """The visible units directly under the current one (drill-down links)."""
        return [
            u
            for u in self.units
            if u.depth == self.unit.depth + 1 and u.path.startswith(self.unit.path)
        ]

    @property
    def choices(self) -> list[tuple[OrgUnit, str]]:
        """Every visible unit for the unit picker, indented by its depth."""
        top = min(u.depth for u in self.units)
        return [(u, "\u2003" * (u.depth - top)) for u in self.units]


def dashboard_scope(request: HttpRequest) -> Scope:
    """The visible units and the one asked for with ``?unit=<id>`` (default: the head's own
    unit, or the city for HR). Raises PermissionDenied outside the user's subtree."""
    today = dates.today()
    visible = org_units_visible_to(user=request.user, as_of=today)
    units = list(visible.order_by("path"))
    if not units:
        raise PermissionDenied(
            _(
                "The dashboard is for heads of units and HR staff. Your own competencies and "
                "learning are on your home page."
            )
        )
    raw = request.GET.get("unit", "").strip()
    unit = units[0]
    if raw:
        unit = next((u for u in units if str(u.pk) == raw), None)
        if unit is None:
            raise PermissionDenied(_("This unit is outside the units you lead."))
    return Scope(
        today=today,
        visible=visible,
        units=units,
        unit=unit,
        organisation_wide=user_is_hr(user=request.user),
    )


def asked_day(request: HttpRequest, scope: Scope) -> tuple[AsOfForm, dt.date]:
    """The ``?as_of=`` form and the day it asks for (today when blank or not a date). Raises
    PermissionDenied, saying why, for a day the user may not ask about (``unit_day_refusals``)."""
    form = AsOfForm(
        request.GET or None, today=scope.today, organisation_wide=scope.organisation_wide
    )
    day = form.day
    refusals = unit_day_refusals(user=request.user, unit=scope.unit, as_of=day, today=scope.today)
    if refusals:
        raise PermissionDenied(refusals[0].message)
    return form, day


# --- The heatmap ----------------------------------------------------------------------------


@dataclass
class HeatmapRow:
    row: selectors.MatrixRow
    cells: list[selectors.MatrixCell | None]
    total_gap: int


@dataclass
class Heatmap:
    columns: list[Competency]
    rows: list[HeatmapRow]
    coverage: dict[int, selectors.CoverageRow] = field(default_factory=dict)


def heatmap(
    matrix: selectors.UnitMatrix, *, sort: str, competency: str, only_gaps: bool
) -> Heatmap:
    """The matrix laid out for the table: the columns shown, each row's cells in column order,
    filtered and sorted as asked. Rearranges the selector's result; computes no gaps."""
    columns = [c for c in matrix.competencies if not competency or c.code == competency]
    rows = []
    for row in matrix.rows:
        cells = [row.cells.get(c.pk) for c in columns]
        if competency and cells[0] is None:
            continue  # the person's position does not require the competency asked for
        total = cells[0].gap if competency and cells[0] else row.total_gap
        if only_gaps and total == 0:
            continue
        rows.append(HeatmapRow(row=row, cells=cells, total_gap=total))
    if sort == "name":
        rows.sort(key=lambda r: (r.row.name.casefold(), r.row.employee_id))
    elif sort == "gap":
        rows.sort(key=lambda r: (-r.total_gap, r.row.name.casefold(), r.row.employee_id))
    return Heatmap(
        columns=columns,
        rows=rows,
        coverage={c.competency_id: c for c in matrix.coverage},
    )


def single_holders(matrix: selectors.UnitMatrix) -> list[tuple[selectors.CoverageRow, str]]:
    """Each critical competency met by one person only, with that person's name."""
    result = []
    for coverage in matrix.critical_single_holder:
        holder = next(
            (
                r.name
                for r in matrix.rows
                if (cell := r.cells.get(coverage.competency_id)) is not None and cell.gap == 0
            ),
            "",
        )
        result.append((coverage, holder))
    return result


@never_cache
@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = dashboard_scope(request)
    as_of_form, as_of = asked_day(request, scope)
    people = selectors.people_in_unit(org_unit=scope.unit, as_of=as_of)
    if people > settings.DASHBOARD_MATRIX_MAX_PEOPLE:
        return _large_unit(request, scope, as_of_form, as_of, people)
    matrix = selectors.gap_matrix_for_unit(org_unit=scope.unit, as_of=as_of)
    trend = selectors.unit_trend(org_unit=scope.unit, as_of=as_of)
    # A head sees the quarters on which they held the post, not their predecessors' time.
    held = unit_days_visible(
        user=request.user, unit=scope.unit, days=[point.quarter_end for point in trend]
    )
    form = HeatmapFilterForm(request.GET or None, competencies=matrix.competencies)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = filters.get("sort") or "unit"
    table = heatmap(
        matrix,
        sort=sort,
        competency=filters.get("competency", ""),
        only_gaps=bool(filters.get("only_gaps")),
    )
    page = Paginator(table.rows, HEATMAP_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "frontend/dashboard/heatmap.html",
        {
            "scope": scope,
            "as_of": as_of,
            "as_of_form": as_of_form,
            "matrix": matrix,
            "form": form,
            "sort": sort,
            "table": table,
            "page": page,
            "single_holders": single_holders(matrix),
            "trend": [point for point in trend if point.quarter_end in held],
            "people_count": people,
        },
    )


def _large_unit(
    request: HttpRequest, scope: Scope, as_of_form: AsOfForm, as_of: dt.date, people: int
) -> HttpResponse:
    """A unit of more than ``DASHBOARD_MATRIX_MAX_PEOPLE`` people (a big perangkat daerah, the
    whole city): the subtree's figures (coverage, total gap, critical competencies held by
    one person, vacancies) and the heatmap a page at a time in the unit's order, read in
    SQL; the page does not grow with the unit. Sorting and filtering the whole heatmap, and
    the quarterly trend, are for smaller units; every row is in the AKPK download."""
    # ``?after=<employee>-<position>``: ids only, never a name; anything else is page one.
    after = selectors.key_of_cursor(request.GET.get("after", ""))
    matrix = selectors.gap_matrix_page(
        org_unit=scope.unit, as_of=as_of, people=HEATMAP_ROWS_PER_PAGE, after=after
    )
    table = heatmap(matrix, sort="unit", competency="", only_gaps=False)
    next_after = selectors.cursor_of(matrix.next_after) if matrix.next_after else None
    return render(
        request,
        "frontend/dashboard/heatmap.html",
        {
            "scope": scope,
            "as_of": as_of,
            "as_of_form": as_of_form,
            "matrix": matrix,
            "table": table,
            "page": table.rows,
            "sort": "unit",
            "single_holders": single_holders(matrix),
            "trend": [],
            "large": True,
            "people_count": people,
            "max_people": settings.DASHBOARD_MATRIX_MAX_PEOPLE,
            "next_after": next_after,
            "first_page": "after" in request.GET,
        },
    )


# --- One person -----------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def person(request: HttpRequest, employee_id: int) -> HttpResponse:
    """A person of the unit: gaps in each position held, the evidence, history and JP."""
    scope = dashboard_scope(request)
    employee = get_object_or_404(Employee, pk=employee_id)
    if not can_view_employee(user=request.user, employee=employee, as_of=scope.today):
        raise PermissionDenied(_("This person is outside the units you lead."))
    return render(
        request,
        "frontend/dashboard/person.html",
        {
            "scope": scope,
            "employee": employee,
            "masked_nip": mask_nip(employee.nip),
            "held": selectors.employee_gaps(employee=employee, as_of=scope.today),
            "proficiency": {
                p.competency.pk: p
                for p in selectors.proficiency_for_employee(employee=employee, as_of=scope.today)
            },
            "assignments": selectors.assignment_history(employee=employee),
            "hours": learning_hours(employee=employee, year=scope.today.year),
        },
    )


# --- Rotation risk --------------------------------------------------------------------------


def _first_of_next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


@never_cache
@login_required
@require_GET
def rotation(request: HttpRequest) -> HttpResponse:
    """People due for rotation and what the unit would lose; "try a rotation" shows the
    person's readiness for the new post and both units' coverage before and after."""
    scope = dashboard_scope(request)
    submitted = "on_date" in request.GET
    form = RotationForm(
        request.GET if submitted else None,
        initial={
            "employee": request.GET.get("employee", ""),
            "on_date": _first_of_next_month(scope.today),
        },
        org_unit=scope.unit,
        visible_units=scope.visible,
        today=scope.today,
        unit_ids=scope.unit_ids,
    )
    impact = None
    if submitted and form.is_valid():
        impact = selectors.rotation_impact(
            employee=form.cleaned_data["employee"],
            position=form.cleaned_data["position"],
            on_date=form.cleaned_data["on_date"],
        )
    return render(
        request,
        "frontend/dashboard/rotation.html",
        {
            "scope": scope,
            "due": selectors.rotation_due(org_unit=scope.unit, as_of=scope.today),
            "thresholds": selectors.rotation_thresholds(),
            "form": form,
            "impact": impact,
        },
    )


# --- AKPK -----------------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def akpk(request: HttpRequest) -> HttpResponse:
    """The AKPK draft of the unit for a planning year, as a table."""
    scope = dashboard_scope(request)
    form = AkpkForm(request.GET or None, today=scope.today)
    year = form.planning_year
    rows = selectors.akpk_rows(org_unit=scope.unit, year=year)
    return render(
        request,
        "frontend/dashboard/akpk.html",
        {
            "scope": scope,
            "form": form,
            "year": year,
            "rows": rows,
            "people": len({row.employee_id for row in rows}),
            "critical": sum(1 for row in rows if row.is_critical),
            "page": Paginator(rows, AKPK_ROWS_PER_PAGE).get_page(request.GET.get("page")),
        },
    )


def _akpk_download(request: HttpRequest, extension: str) -> HttpResponse:
    """The same file as the API's ``/api/v1/akpk/?format=…`` (``competencies.exports``)."""
    scope = dashboard_scope(request)
    year = AkpkForm(request.GET or None, today=scope.today).planning_year
    file = akpk_file(org_unit=scope.unit, year=year, fmt=extension)
    response = StreamingHttpResponse(file.chunks, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


@never_cache
@login_required
@require_GET
def akpk_csv_download(request: HttpRequest) -> HttpResponse:
    return _akpk_download(request, "csv")


@never_cache
@login_required
@require_GET
def akpk_xlsx_download(request: HttpRequest) -> HttpResponse:
    return _akpk_download(request, "xlsx")
