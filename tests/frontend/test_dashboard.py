"""The head of unit's dashboard: who may see what, the heatmap and its filters, coverage and
single-holder flags, the trend, a person's drill-down, and rotation risk."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from competencies import selectors
from competencies.models import OrgUnit, Position
from tests.frontend.conftest import Demo

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def matrix_for(unit: OrgUnit) -> selectors.UnitMatrix:
    return selectors.gap_matrix_for_unit(org_unit=unit, as_of=timezone.localdate())


# --- Access ---------------------------------------------------------------------------------


def test_a_civil_servant_without_a_head_post_gets_403(pegawai: Client, demo: Demo) -> None:
    for url in ("/dashboard/", "/dashboard/rotation/", "/dashboard/akpk/"):
        response = pegawai.get(url, **EN)
        assert response.status_code == 403
        html = response.content.decode()
        assert "Access denied" in html and "for heads of units and HR staff" in html
        assert '<link rel="stylesheet"' in html  # the site's own style
    person = pegawai.get(f"/dashboard/people/{demo.pegawai.pk}/")
    assert person.status_code == 403


def test_the_header_links_to_the_dashboard_only_for_heads_and_hr(
    pegawai: Client, kepala: Client, hr: Client, demo: Demo
) -> None:
    assert 'href="/dashboard/"' not in pegawai.get("/me/history/").content.decode()
    assert 'href="/dashboard/"' in kepala.get("/me/history/").content.decode()
    assert 'href="/dashboard/"' in hr.get("/courses/").content.decode()


def test_a_head_sees_their_own_unit_by_default(kepala: Client, demo: Demo) -> None:
    response = kepala.get("/dashboard/", **EN)
    assert response.status_code == 200
    assert response.context["scope"].unit == demo.kepala_unit
    html = response.content.decode()
    assert f"<h1>{demo.kepala_unit.name}</h1>" in html
    # The sub-units are one click away, and the picker offers only the head's subtree.
    assert f'href="?unit={demo.sub_unit.pk}"' in html
    picker = re.search(r'<select id="unit-select".*?</select>', html, re.S).group(0)
    assert demo.other_unit.name not in picker
    assert picker.count("<option") == 3


def test_a_head_drills_into_a_sub_unit(kepala: Client, demo: Demo) -> None:
    response = kepala.get(f"/dashboard/?unit={demo.sub_unit.pk}", **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{demo.sub_unit.name}</h1>" in html
    assert f'<a href="?unit={demo.kepala_unit.pk}">' in html  # back up the breadcrumb
    expected = matrix_for(demo.sub_unit)
    assert len(response.context["table"].rows) == len(expected.rows)


@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/rotation/", "/dashboard/akpk/"])
def test_a_head_cannot_open_another_unit(kepala: Client, demo: Demo, path: str) -> None:
    response = kepala.get(f"{path}?unit={demo.other_unit.pk}", **EN)
    assert response.status_code == 403
    html = response.content.decode()
    assert "This unit is outside the units you lead." in html
    assert demo.outsider.name not in html


@pytest.mark.parametrize("value", ["abc", "0", "99999999"])
def test_an_unknown_unit_is_refused_like_a_foreign_one(
    kepala: Client, demo: Demo, value: str
) -> None:
    assert kepala.get(f"/dashboard/?unit={value}").status_code == 403


def test_a_head_cannot_open_a_person_outside_their_subtree(kepala: Client, demo: Demo) -> None:
    response = kepala.get(f"/dashboard/people/{demo.outsider.pk}/", **EN)
    assert response.status_code == 403
    assert demo.outsider.name not in response.content.decode()
    assert kepala.get("/dashboard/people/99999999/").status_code == 404


def test_hr_sees_the_whole_city_and_can_switch_units(hr: Client, demo: Demo) -> None:
    response = hr.get("/dashboard/", **EN)
    assert response.status_code == 200
    city = OrgUnit.get_root_nodes().get()
    assert response.context["scope"].unit == city
    html = response.content.decode()
    picker = re.search(r'<select id="unit-select".*?</select>', html, re.S).group(0)
    assert picker.count("<option") == OrgUnit.objects.count()
    assert demo.other_unit.name in picker
    other = hr.get(f"/dashboard/?unit={demo.other_unit.pk}", **EN)
    assert other.status_code == 200
    assert f"<h1>{demo.other_unit.name}</h1>" in other.content.decode()
    assert hr.get(f"/dashboard/people/{demo.outsider.pk}/").status_code == 200


# --- The heatmap ----------------------------------------------------------------------------


def test_the_heatmap_is_a_table_of_people_and_competencies(kepala: Client, demo: Demo) -> None:
    html = kepala.get("/dashboard/", **EN).content.decode()
    matrix = matrix_for(demo.kepala_unit)
    table = re.search(r'<table class="heatmap">.*?</table>', html, re.S).group(0)
    assert "<caption" in table
    assert table.count('<th scope="col" class="hm-col">') == len(matrix.competencies)
    assert table.count('<th scope="row" class="hm-person">') == len(matrix.rows)
    for competency in matrix.competencies:
        assert f">{competency.code}</abbr>" in table
    # Each cell says the gap with a number and a symbol as well as a colour.
    row = next(r for r in matrix.rows if any(c.gap >= 2 for c in r.cells.values()))
    cell = next(c for c in row.cells.values() if c.gap >= 2)
    assert f'class="hm g2" title="{cell.proficiency}/{cell.required_level}">▲▲{cell.gap}' in table
    assert 'class="hm g0"' in table and "✓" in table
    assert "★" in table
    # The legend explains every mark.
    for words in ("meets the required level", "one level short", "two or more levels short"):
        assert words in html
    # Drill-down links carry internal ids only, never a NIP.
    person_links = re.findall(r'href="(/dashboard/people/[^"]+)"', table)
    assert len(person_links) == len(matrix.rows)
    for person in matrix.rows:
        assert f"/dashboard/people/{person.employee_id}/?unit={demo.kepala_unit.pk}" in table
    assert not re.search(r"\d{18}", html)


def test_the_heatmap_filters_to_one_competency(kepala: Client, demo: Demo) -> None:
    matrix = matrix_for(demo.kepala_unit)
    competency = matrix.competencies[0]
    response = kepala.get(f"/dashboard/?competency={competency.code.lower()}", **EN)
    table = response.context["table"]
    assert [c.code for c in table.columns] == [competency.code]
    required = [r for r in matrix.rows if competency.pk in r.cells]
    assert len(table.rows) == len(required)
    html = response.content.decode()
    assert f'<option value="{competency.code}" selected>' in html


def test_the_heatmap_shows_only_people_with_a_gap_sorted_by_gap(kepala: Client, demo: Demo) -> None:
    response = kepala.get("/dashboard/?only_gaps=1&sort=gap", **EN)
    rows = response.context["table"].rows
    matrix = matrix_for(demo.kepala_unit)
    assert len(rows) == sum(1 for r in matrix.rows if r.total_gap > 0)
    gaps = [r.total_gap for r in rows]
    assert gaps == sorted(gaps, reverse=True) and min(gaps) > 0
    html = response.content.decode()
    assert 'name="only_gaps" id="id_only_gaps" checked' in html
    assert "Total gap ↓" in html


def test_the_heatmap_sorts_by_name(kepala: Client, demo: Demo) -> None:
    rows = kepala.get("/dashboard/?sort=name").context["table"].rows
    names = [r.row.name.casefold() for r in rows]
    assert names == sorted(names)


def test_a_wrong_filter_is_explained_and_ignored(kepala: Client, demo: Demo) -> None:
    response = kepala.get("/dashboard/?competency=XYZ-99&sort=height", **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "XYZ-99 is not required in this unit; choose from the list." in html
    assert "Choose one of the sort orders in the list." in html
    assert len(response.context["table"].rows) == len(matrix_for(demo.kepala_unit).rows)


def test_a_filter_with_nobody_left_says_so(kepala: Client, demo: Demo) -> None:
    matrix = matrix_for(demo.kepala_unit)
    met_by_all = next(
        (
            c
            for c in matrix.coverage
            if c.holders_meeting == c.holders_required and c.holders_required
        ),
        None,
    )
    assert met_by_all is not None
    response = kepala.get(f"/dashboard/?competency={met_by_all.code}&only_gaps=1", **EN)
    assert "Nobody matches these filters." in response.content.decode()


def test_coverage_single_holders_and_the_trend(kepala: Client, demo: Demo) -> None:
    html = kepala.get("/dashboard/", **EN).content.decode()
    matrix = matrix_for(demo.kepala_unit)
    for coverage in matrix.coverage:
        assert f"{coverage.holders_meeting} / {coverage.holders_required}" in html
    flagged = matrix.critical_single_holder
    assert flagged  # the demo city has one, and the page must say so
    assert "Critical competencies held by one person only" in html
    for coverage in flagged:
        assert f"<strong>{coverage.code} {coverage.name_en}</strong>" in html
    assert html.count("⚠ one person only") == len(flagged)
    trend = selectors.unit_trend(org_unit=demo.kepala_unit, as_of=timezone.localdate())
    assert "Quarterly trend" in html and 'class="chart chart-trend"' in html
    for point in trend:
        assert f'<th scope="row">{point.label}</th>' in html
        assert f'<td class="num">{point.total_gap}</td>' in html


def test_the_drill_down_to_a_person(kepala: Client, demo: Demo) -> None:
    response = kepala.get(
        f"/dashboard/people/{demo.colleague.pk}/?unit={demo.kepala_unit.pk}", **EN
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{demo.colleague.name}</h1>" in html
    assert demo.colleague.nip not in html
    assert f"**************{demo.colleague.nip[-4:]}" in html
    held = selectors.employee_gaps(employee=demo.colleague, as_of=timezone.localdate())
    for gaps in held:
        assert gaps.position.title in html
        for row in gaps.rows:
            assert f"{row.proficiency}/{row.required_level}" in html
    assert "Position history" in html and "Learning hours in" in html
    assert f'href="/dashboard/?unit={demo.kepala_unit.pk}"' in html


# --- Rotation -------------------------------------------------------------------------------


def test_rotation_risk_lists_people_due_and_what_the_unit_would_lose(
    kepala: Client, demo: Demo
) -> None:
    response = kepala.get("/dashboard/rotation/", **EN)
    assert response.status_code == 200
    html = response.content.decode()
    due = selectors.rotation_due(org_unit=demo.kepala_unit, as_of=timezone.localdate())
    assert due
    for row in due:
        assert row.name in html
        assert f"&amp;employee={row.employee_id}#try" in html
        for code in row.critical_sole_holder_of:
            assert f"⚠ {code}" in html
    # The form is there, empty, with its labels; no impact before it is sent.
    assert '<label for="id_employee">Person</label>' in html
    assert '<label for="id_position">New position</label>' in html
    assert '<label for="id_on_date">Date of the move (TMT)</label>' in html
    assert response.context["impact"] is None


def test_the_rotation_form_offers_only_visible_people_and_positions(
    kepala: Client, demo: Demo
) -> None:
    form = kepala.get("/dashboard/rotation/").context["form"]
    people = set(form.fields["employee"].queryset)
    assert demo.colleague in people and demo.outsider not in people
    units = {p.org_unit.path for p in form.fields["position"].queryset}
    assert all(path.startswith(demo.kepala_unit.path) for path in units)


def test_trying_a_rotation_shows_before_and_after_for_both_units(
    kepala: Client, demo: Demo
) -> None:
    target = Position.objects.get(code="DISKOMINFO-APTIKA-PUSDATA-PK-AP")
    on_date = timezone.localdate() + dt.timedelta(days=30)
    response = kepala.get(
        "/dashboard/rotation/",
        {
            "unit": demo.kepala_unit.pk,
            "employee": demo.pegawai.pk,
            "position": target.pk,
            "on_date": on_date.isoformat(),
        },
        **EN,
    )
    assert response.status_code == 200
    impact = response.context["impact"]
    assert impact is not None and impact.losing is not None
    html = response.content.decode()
    assert f"If {demo.pegawai.name} moves to {target.title}" in html
    assert "The person's readiness for the new position" in html
    assert f"Unit the person leaves: {impact.losing.org_unit.name}" in html
    assert f"Unit the person joins: {impact.receiving.org_unit.name}" in html
    for side in (impact.losing, impact.receiving):
        for change in side.changed:
            assert f"{change.code} {change.name_en}" in html
    assert "Coverage before → after" in html


def test_the_rotation_form_explains_each_error(kepala: Client, demo: Demo) -> None:
    response = kepala.get(
        "/dashboard/rotation/",
        {"employee": "", "position": "", "on_date": "2020-02-30"},
        **EN,
    )
    html = response.content.decode()
    assert "Please correct the fields marked below." in html
    assert "Choose the person who would move." in html
    assert "Choose the position the person would move to." in html
    assert "Write the date as YYYY-MM-DD" in html
    assert response.context["impact"] is None
    past = kepala.get(
        "/dashboard/rotation/",
        {
            "employee": demo.colleague.pk,
            "position": demo.pegawai.assignments.first().position_id,
            "on_date": "2020-01-01",
        },
        **EN,
    )
    assert "A planned move cannot be in the past" in past.content.decode()
    outsider = kepala.get(
        "/dashboard/rotation/",
        {"employee": demo.outsider.pk, "position": "", "on_date": "2030-01-01"},
        **EN,
    )
    assert "Choose one of the people in the list." in outsider.content.decode()


def test_moving_someone_to_the_post_they_hold_is_explained(kepala: Client, demo: Demo) -> None:
    [held] = selectors.employee_gaps(employee=demo.pegawai, as_of=timezone.localdate())
    response = kepala.get(
        "/dashboard/rotation/",
        {
            "employee": demo.pegawai.pk,
            "position": held.position.pk,
            "on_date": timezone.localdate().isoformat(),
        },
        **EN,
    )
    assert f"{demo.pegawai.name} already holds this position on that date." in (
        response.content.decode()
    )


# --- A large unit -----------------------------------------------------------------------------


def test_a_large_unit_gets_its_figures_and_the_heatmap_a_page_at_a_time(
    hr: Client, demo: Demo, settings, django_assert_max_num_queries
) -> None:
    """Above ``DASHBOARD_MATRIX_MAX_PEOPLE`` (here 2, so the demo city is "large") the page
    does not lay out the whole matrix: the subtree's figures, the heatmap in pages of the
    unit's order followed by ``after=<ids>``, no sorting or filtering links, and the same
    number of queries on every page."""
    from frontend import dashboard

    settings.DASHBOARD_MATRIX_MAX_PEOPLE = 2
    city = OrgUnit.get_root_nodes().get()
    whole = matrix_for(city)
    people = selectors.people_in_unit(org_unit=city, as_of=timezone.localdate())
    assert people > 2 and len(whole.rows) > 80  # three pages or more

    original = dashboard.HEATMAP_ROWS_PER_PAGE
    dashboard.HEATMAP_ROWS_PER_PAGE = 40
    try:
        seen, url, pages = [], f"/dashboard/?unit={city.pk}", 0
        while url:
            with django_assert_max_num_queries(20):
                response = hr.get(url, **EN)
            assert response.status_code == 200
            assert response.context["large"] is True
            html = response.content.decode()
            rows = response.context["table"].rows
            assert len(rows) <= 40
            seen += [(r.row.employee_id, r.row.position_id) for r in rows]
            # The subtree's figures on every page, whatever its people.
            assert response.context["matrix"].total_gap == whole.total_gap
            assert f'<span class="stat-value">{people}</span>' in html
            assert "sort=" not in html and "competency=" not in html
            assert "a page at a time" in html and "/dashboard/akpk.csv?unit=" in html
            assert not re.search(r"\d{18}", html)  # ids in the links, never a NIP
            nxt = re.search(r'rel="next" href="\?([^"]+)"', html)
            url = f"/dashboard/?{nxt.group(1).replace('&amp;', '&')}" if nxt else None
            pages += 1
            assert pages <= len(whole.rows) // 40 + 1
    finally:
        dashboard.HEATMAP_ROWS_PER_PAGE = original
    assert seen == [(r.employee_id, r.position_id) for r in whole.rows]
    # A cursor that names nobody is the first page, not an error.
    assert hr.get(f"/dashboard/?unit={city.pk}&after=999999-999999").status_code == 200
    # A unit at or under the limit keeps the whole heatmap with its filters.
    settings.DASHBOARD_MATRIX_MAX_PEOPLE = 2000
    small = hr.get(f"/dashboard/?unit={city.pk}", **EN)
    assert "large" not in small.context and "sort=" in small.content.decode()
