"""The dashboard "as of" a day, and access that ends (issue 12, items 4 and 5): a head sees
today and the days they held the unit's post, HR any day; the trend shows a head only their
own quarters; an acting head loses the dashboard the day the definitive head starts; the
rotation form lets HR try a move on any day."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client

from competencies import selectors
from competencies.models import Assignment, AssignmentKind, Position
from core import dates
from tests.competencies.factories import (
    EmployeeFactory,
    PositionFactory,
    UserFactory,
    assign,
    unit,
)
from tests.frontend.conftest import Demo

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
WIB = ZoneInfo("Asia/Jakarta")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def first_day_as_head(demo: Demo) -> dt.date:
    return (
        Assignment.objects.filter(employee=demo.kepala, position__is_head=True)
        .earliest("start_date")
        .start_date
    )


def test_a_head_sees_the_unit_as_of_a_day_they_held_the_post(kepala: Client, demo: Demo) -> None:
    first = first_day_as_head(demo)
    response = kepala.get(f"/dashboard/?as_of={first.isoformat()}", **EN)
    assert response.status_code == 200
    assert response.context["as_of"] == first
    html = response.content.decode()
    assert f"Competency dashboard as of {first:%-d %B %Y}" in html
    expected = selectors.gap_matrix_for_unit(org_unit=demo.kepala_unit, as_of=first)
    assert response.context["matrix"].total_gap == expected.total_gap
    # The filters keep the day; the date picker stops at today.
    assert f'<input type="hidden" name="as_of" value="{first.isoformat()}">' in html
    assert f'max="{dates.today().isoformat()}"' in html


def test_a_head_is_refused_a_day_before_their_time_or_in_the_future(
    kepala: Client, demo: Demo
) -> None:
    before = first_day_as_head(demo) - dt.timedelta(days=1)
    response = kepala.get(f"/dashboard/?as_of={before.isoformat()}", **EN)
    assert response.status_code == 403
    assert "You did not head this unit on that day" in response.content.decode()
    tomorrow = dates.today() + dt.timedelta(days=1)
    ahead = kepala.get(f"/dashboard/?as_of={tomorrow.isoformat()}", **EN)
    assert ahead.status_code == 403
    assert "only HR may look ahead" in ahead.content.decode()


def test_a_malformed_day_is_explained_and_today_shown(kepala: Client, demo: Demo) -> None:
    response = kepala.get("/dashboard/?as_of=2020-02-30", **EN)
    assert response.status_code == 200
    assert response.context["as_of"] == dates.today()
    assert "Write the date as YYYY-MM-DD" in response.content.decode()


def test_hr_sees_any_unit_on_any_day(hr: Client, demo: Demo) -> None:
    for day in (dt.date(2000, 1, 1), dates.today() + dt.timedelta(days=90)):
        response = hr.get(f"/dashboard/?unit={demo.other_unit.pk}&as_of={day.isoformat()}", **EN)
        assert response.status_code == 200
        assert response.context["as_of"] == day
        assert (
            'max="' not in re.search(r'<input[^>]*name="as_of"[^>]*>', response.content.decode())[0]
        )


def test_the_trend_shows_a_new_head_only_the_quarters_they_held_the_post(
    hr: Client, demo: Demo
) -> None:
    start = dates.today() - dt.timedelta(days=200)
    newcomer = EmployeeFactory(name="Kepala Baru", user=UserFactory(username="kepala-baru"))
    head_post = Position.objects.get(org_unit=demo.sub_unit, is_head=True)
    assign(newcomer, head_post, start, kind="promosi")
    response = logged_in(newcomer.user).get("/dashboard/", **EN)
    assert response.status_code == 200
    shown = [point.quarter_end for point in response.context["trend"]]
    assert shown and all(day >= start for day in shown)
    full = hr.get(f"/dashboard/?unit={demo.sub_unit.pk}").context["trend"]
    assert [p.quarter_end for p in full if p.quarter_end >= start] == shown
    assert len(full) > len(shown)


def test_an_acting_head_loses_the_dashboard_the_day_the_definitive_head_starts(
    demo: Demo,
) -> None:
    today = dates.today()
    team = unit("PLT-TEAM", parent=demo.other_unit, kind="tim", name="Tim Percepatan")
    post = PositionFactory(org_unit=team, title="Ketua Tim Percepatan", is_head=True)
    acting = EmployeeFactory(name="Plt Ketua", user=UserFactory(username="plt-ketua"))
    assign(acting, post, today - dt.timedelta(days=30), kind=AssignmentKind.ACTING)
    start = today + dt.timedelta(days=1)
    assign(EmployeeFactory(name="Ketua Definitif"), post, start, kind="promosi")
    assert logged_in(acting.user).get("/dashboard/").status_code == 200
    noon = dt.datetime.combine(start, dt.time(12), tzinfo=WIB)
    with time_machine.travel(noon, tick=False):
        response = logged_in(acting.user).get("/dashboard/", **EN)
        assert response.status_code == 403
        assert "for heads of units and HR staff" in response.content.decode()


def test_hr_may_try_a_rotation_on_a_past_day(hr: Client, demo: Demo) -> None:
    target = Position.objects.get(code="DISKOMINFO-APTIKA-PUSDATA-PK-AP")
    day = dates.today() - dt.timedelta(days=60)
    response = hr.get(
        "/dashboard/rotation/",
        {
            "unit": demo.kepala_unit.pk,
            "employee": demo.colleague.pk,
            "position": target.pk,
            "on_date": day.isoformat(),
        },
        **EN,
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {}
    assert response.context["impact"] is not None
    assert response.context["impact"].on_date == day


def test_a_past_day_costs_a_head_one_query_more_and_hr_none(
    kepala: Client, hr: Client, demo: Demo, django_assert_max_num_queries
) -> None:
    """The budgets of tests/frontend/test_queries.py, for a day in the past: the head's
    question "did I hold the post that day?" is one query; HR asks nothing."""
    first = first_day_as_head(demo)
    with django_assert_max_num_queries(16):
        assert kepala.get(f"/dashboard/?as_of={first.isoformat()}").status_code == 200
    with django_assert_max_num_queries(12):
        assert hr.get(f"/dashboard/?unit={demo.other_unit.pk}&as_of=2020-01-01").status_code == 200
