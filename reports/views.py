"""The policy report pages for leaders (the Kepala BKPSDM and the Sekda: HR users).

Each page is a plain GET form and a report: a chart drawn on the server (``core.svg``) with
the same numbers in a table beside it, and the table as CSV with ``?format=csv``. Only HR
sees them (``competencies.access.user_is_hr``); anyone else logged in gets the site's 403
page, and a visitor the login page.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from competencies.access import user_is_hr
from competencies.validators import mask_nip
from core import dates, svg
from core.spreadsheets import formula_safe
from reports import retirement, selectors
from reports.forms import CoverageForm, RetirementForm, TrendForm, YearForm

#: People per page of the retirement list (the CSV holds them all).
RETIRING_PER_PAGE = 100


def hr_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in, a GET, never cached, and HR; otherwise the login page or 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not user_is_hr(user=request.user):
            raise PermissionDenied(_("The policy reports are for BKPSDM and the city's leaders."))
        return view(request, *args, **kwargs)

    return never_cache(login_required(require_GET(wrapped)))


def _wants_csv(request: HttpRequest) -> bool:
    return request.GET.get("format") == "csv"


def _csv(filename: str, header: Sequence[str], lines: Iterable[Sequence[Any]]) -> HttpResponse:
    """A CSV download; text cells that a spreadsheet would run as formulas are made safe."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for line in lines:
        writer.writerow([formula_safe(v) if isinstance(v, str) else v for v in line])
    return response


def _name(name_id: str, name_en: str) -> str:
    return name_en if (get_language() or "").startswith("en") and name_en else name_id


# --- Index ----------------------------------------------------------------------------------


@hr_only
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/index.html", {"tab": "index"})


# --- JP target ------------------------------------------------------------------------------


@hr_only
def jp_target(request: HttpRequest) -> HttpResponse:
    today = dates.today()
    form = YearForm(request.GET or None, today=today)
    year = form.value("year")
    day = selectors.report_day(year=year, today=today)
    report = selectors.jp_target_report(year=year, day=day)
    if _wants_csv(request):
        return _csv(
            f"jp-target-{year}.csv",
            [
                _("Perangkat daerah"),
                _("People"),
                _("Reached the target"),
                _("Share (%)"),
                _("JP in total"),
                _("Average JP"),
            ],
            (
                [r.unit_name, r.people, r.reached, r.share_pct, r.total_jp, r.average_jp]
                for r in report
            ),
        )
    people = sum(r.people for r in report)
    reached = sum(r.reached for r in report)
    chart = svg.share_bars(
        [svg.ShareBar(r.unit_name, r.share_pct, f"{r.reached}/{r.people}") for r in report],
        title=_("Share of people who reached their yearly JP target in %(year)s") % {"year": year},
        id_prefix="jp-share",
    )
    return render(
        request,
        "reports/jp.html",
        {
            "tab": "jp",
            "form": form,
            "year": year,
            "day": day,
            "report": report,
            "people": people,
            "reached": reached,
            "share": round(100.0 * reached / people, 1) if people else 0.0,
            "target_pns": settings.JP_ANNUAL_TARGET_PNS,
            "target_pppk": settings.JP_ANNUAL_TARGET_PPPK,
            "chart": chart,
        },
    )


# --- Counted-gap trend ----------------------------------------------------------------------


@hr_only
def gap_trend(request: HttpRequest) -> HttpResponse:
    today = dates.today()
    form = TrendForm(request.GET or None)
    trend = selectors.gap_trend(as_of=today, quarters=form.value("quarters"))
    labels = [selectors.quarter_label(day) for day in trend.days]
    if _wants_csv(request):
        lines = [
            [_("City"), "", "", *[p.total_gap for p in (trend.city.at(d) for d in trend.days)]]
        ]
        lines += [
            [_("Perangkat daerah"), "", s.name, *[s.at(d).total_gap for d in trend.days]]
            for s in trend.by_unit
        ]
        lines += [
            [
                _("Competency"),
                s.code,
                _name(s.name, s.name_en),
                *[s.at(d).total_gap for d in trend.days],
            ]
            for s in trend.by_competency
        ]
        return _csv(
            "gap-trend.csv",
            [
                _("By"),
                _("Code"),
                _("Name"),
                *[f"{label} ({day})" for label, day in zip(labels, trend.days, strict=True)],
            ],
            lines,
        )
    chart = svg.trend_chart(
        [
            svg.TrendDatum(label, trend.city.at(day).total_gap, trend.city.at(day).coverage_pct)
            for label, day in zip(labels, trend.days, strict=True)
        ],
        title=_("Counted gap of the whole city by quarter"),
        id_prefix="city-trend",
    )
    return render(
        request,
        "reports/gaps.html",
        {
            "tab": "gaps",
            "form": form,
            "trend": trend,
            "columns": list(zip(labels, trend.days, strict=True)),
            "city": [trend.city.at(day) for day in trend.days],
            "units": selectors.group_points(trend.by_unit, trend.days),
            "competencies": selectors.group_points(trend.by_competency, trend.days),
            "chart": chart,
        },
    )


# --- JP spent against gap closed ------------------------------------------------------------


@hr_only
def spending(request: HttpRequest) -> HttpResponse:
    today = dates.today()
    form = YearForm(request.GET or None, today=today)
    year = form.value("year")
    report = selectors.spending_report(year=year, today=today)
    if _wants_csv(request):
        return _csv(
            f"jp-against-gap-closed-{year}.csv",
            [
                _("Code"),
                _("Competency"),
                _("JP spent"),
                _("Cost (IDR)"),
                _("People trained"),
                _("Gap at the start"),
                _("Gap at the end"),
                _("Gap closed"),
                _("JP per level closed"),
                _("Cost per level closed (IDR)"),
            ],
            (
                [
                    r.code,
                    _name(r.name_id, r.name_en),
                    r.jp,
                    r.cost,
                    r.people,
                    r.gap_start,
                    r.gap_end,
                    r.gap_closed,
                    r.jp_per_level if r.jp_per_level is not None else "",
                    r.cost_per_level if r.cost_per_level is not None else "",
                ]
                for r in report.rows
            ),
        )
    chart = svg.paired_bars(
        [
            svg.PairedBar(r.code, float(r.jp), r.gap_closed)
            for r in report.rows
            if r.jp or r.gap_closed
        ],
        first_label=_("JP spent"),
        second_label=_("Levels of gap closed"),
        title=_("JP spent and gap closed per competency in %(year)s") % {"year": year},
        id_prefix="spending",
    )
    return render(
        request,
        "reports/spending.html",
        {"tab": "spending", "form": form, "year": year, "report": report, "chart": chart},
    )


# --- Critical competencies ------------------------------------------------------------------


@hr_only
def critical(request: HttpRequest) -> HttpResponse:
    today = dates.today()
    report = selectors.critical_coverage(day=today)
    if _wants_csv(request):
        return _csv(
            "critical-coverage.csv",
            [
                _("Perangkat daerah"),
                _("Posts with critical requirements"),
                _("Critical requirements of holders"),
                _("Met"),
                _("Coverage (%)"),
                _("Posts with a critical requirement nobody meets"),
            ],
            (
                [r.unit_name, r.posts, r.requirements, r.met, r.coverage_pct, r.uncovered_posts]
                for r in report
            ),
        )
    requirements = sum(r.requirements for r in report)
    met = sum(r.met for r in report)
    chart = svg.share_bars(
        [svg.ShareBar(r.unit_name, r.coverage_pct, f"{r.met}/{r.requirements}") for r in report],
        title=_("Coverage of critical competencies per perangkat daerah"),
        id_prefix="critical",
    )
    return render(
        request,
        "reports/critical.html",
        {
            "tab": "critical",
            "day": today,
            "report": report,
            "requirements": requirements,
            "met": met,
            "coverage": round(100.0 * met / requirements, 1) if requirements else 100.0,
            "chart": chart,
        },
    )


# --- Coverage per competency (the organisation summary) -------------------------------------


@hr_only
def coverage(request: HttpRequest) -> HttpResponse:
    today = dates.today()
    report = selectors.competency_coverage(day=today)
    form = CoverageForm(request.GET or None, units=report.units)
    unit_id = form.value("unit")
    if _wants_csv(request):
        return _csv(
            "competency-coverage.csv",
            [
                _("Perangkat daerah"),
                _("Code"),
                _("Competency"),
                _("Holders whose post requires it"),
                _("Meeting the required level"),
                _("Coverage (%)"),
                _("Total gap (levels)"),
            ],
            (
                [
                    r.top_unit_name,
                    r.code,
                    _name(*report.names.get(r.competency_id, ("", ""))),
                    r.holders_required,
                    r.holders_meeting,
                    r.coverage_pct,
                    r.total_gap,
                ]
                for r in report.cells_of(unit_id)
            ),
        )
    rows = report.competencies(unit_id)
    required = sum(r.holders_required for r in rows)
    meeting = sum(r.holders_meeting for r in rows)
    unit_name = dict(report.units).get(unit_id) if unit_id else None
    chart = svg.share_bars(
        [
            svg.ShareBar(
                f"{r.code} {_name(r.name_id, r.name_en)}",
                r.coverage_pct,
                f"{r.holders_meeting}/{r.holders_required}",
            )
            for r in rows
        ],
        title=_("Coverage per competency"),
        id_prefix="coverage",
    )
    return render(
        request,
        "reports/coverage.html",
        {
            "tab": "coverage",
            "day": today,
            "form": form,
            "rows": rows,
            "unit_name": unit_name,
            "csv_query": f"?unit={unit_id}&format=csv" if unit_id else "?format=csv",
            "required": required,
            "meeting": meeting,
            "coverage": round(100.0 * meeting / required, 1) if required else 100.0,
            "gap": sum(r.total_gap for r in rows),
            "chart": chart,
        },
    )


# --- Retirement forecast --------------------------------------------------------------------


@hr_only
def retirement_forecast(request: HttpRequest) -> HttpResponse:
    today = dates.today()
    form = RetirementForm(request.GET or None)
    years = form.value("years")
    until = retirement.horizon(today=today, years=years)
    people = retirement.retiring_people(day=today, until=until)
    if _wants_csv(request):
        return _csv(
            f"retirement-{years}-years.csv",
            [
                _("NIP"),
                _("Name"),
                _("Position"),
                _("Unit"),
                _("Perangkat daerah"),
                _("Retirement age"),
                _("Retirement date"),
            ],
            (
                [
                    p.nip,
                    p.name,
                    p.position_title,
                    p.unit_name,
                    p.top_unit_name,
                    p.age,
                    p.retires_on.isoformat(),
                ]
                for p in people
            ),
        )
    at_risk = retirement.critical_at_risk(day=today, until=until)
    posts: dict[int, list[retirement.AtRisk]] = {}
    for item in at_risk:
        posts.setdefault(item.position_id, []).append(item)
    candidates = retirement.succession_candidates(position_ids=list(posts), day=today, until=until)
    by_year: dict[int, int] = {}
    for person in people:
        year = max(person.retires_on.year, today.year)
        by_year[year] = by_year.get(year, 0) + 1
    chart = svg.count_bars(
        [svg.CountBar(str(year), count) for year, count in sorted(by_year.items())],
        title=_("People who retire each year"),
        id_prefix="retiring",
    )
    page = Paginator(people, RETIRING_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/retirement.html",
        {
            "tab": "retirement",
            "form": form,
            "years": years,
            "today": today,
            "until": until,
            "people": people,
            "page": page,
            "rows": [(p, mask_nip(p.nip)) for p in page.object_list],
            "posts": [(items, candidates[pk]) for pk, items in posts.items()],
            "by_year": sorted(by_year.items()),
            "ages": retirement.retirement_ages(),
            "chart": chart,
        },
    )
