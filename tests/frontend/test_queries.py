"""Each page runs a fixed number of SQL queries, whatever the size of the unit.

The budgets are pinned at today's counts with the demo city: a change that adds a query to a
page fails here and has to say why. The session, the user, the header's dashboard link
(group membership, head post) and its "Notifications (n)" (the unread count, one query) are
included. The page cache (``lms/pagecache.py``) is off here: these are the queries of
building a page; a page served from the cache runs none (``tests/lms/test_pagecache.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from competencies.models import Competency, Position
from tests.competencies.factories import (
    EmployeeFactory,
    PositionFactory,
    assign,
    evidence,
    require,
)
from tests.frontend.conftest import Demo


@pytest.fixture(autouse=True)
def _page_cache_off(settings: Any) -> None:
    settings.PAGE_CACHE_SECONDS = 0


# (who, url, maximum number of queries). ``{…}`` is filled from the demo city.
BUDGETS = [
    # The recommender asks once which gaps wait for a reviewer (docs/EVIDENCE.md).
    ("pegawai", "/", 19),
    # The partner offerings for the gaps, beside the recommended courses: one query more.
    ("pegawai", "/me/competencies/", 19),
    ("pegawai", "/me/competencies/?position={target}", 19),
    # The history lists the person's evidence reviews too.
    ("pegawai", "/me/history/", 8),
    ("pegawai", "/me/certificates/", 7),
    ("kepala", "/", 17),
    # A head's heatmap asks once more: on which of the trend's quarter ends they held the post.
    # The heatmap counts the unit's people first, to lay out a small unit whole and a large
    # one a page at a time (DASHBOARD_MATRIX_MAX_PEOPLE): one query more.
    ("kepala", "/dashboard/", 15),
    ("kepala", "/dashboard/?sort=gap&only_gaps=1&competency=TIK-05", 15),
    ("kepala", "/dashboard/?unit={sub_unit}&page=2", 15),
    ("kepala", "/dashboard/people/{colleague}/", 16),
    ("kepala", "/dashboard/rotation/", 11),
    ("kepala", "/dashboard/rotation/?employee={pegawai}&position={target}&on_date=2030-01-01", 20),
    ("kepala", "/dashboard/akpk/", 10),
    # One statement for the rows, read in a transaction of its own (savepoint and release).
    ("kepala", "/dashboard/akpk.csv", 8),
    ("kepala", "/dashboard/akpk.xlsx", 8),
    ("hr", "/dashboard/", 12),
    ("hr", "/dashboard/?unit={other_unit}", 12),
    ("hr", "/dashboard/people/{outsider}/", 12),
    ("hr", "/dashboard/rotation/", 9),
    ("hr", "/dashboard/akpk/", 8),
    ("kepala", "/dashboard/validation/", 12),
    ("hr", "/dashboard/validation/", 12),
    ("pegawai", "/dashboard/", 6),
    ("kepala", "/dashboard/?unit={other_unit}", 8),
]


def fill(url: str, demo: Demo) -> str:
    return url.format(
        target=Position.objects.get(code="DISKOMINFO-APTIKA-PUSDATA-PK-AP").pk,
        sub_unit=demo.sub_unit.pk,
        other_unit=demo.other_unit.pk,
        colleague=demo.colleague.pk,
        outsider=demo.outsider.pk,
        pegawai=demo.pegawai.pk,
    )


@pytest.mark.parametrize(("who", "url", "budget"), BUDGETS)
def test_each_page_stays_within_its_query_budget(
    request: pytest.FixtureRequest,
    django_assert_max_num_queries: Callable,
    demo: Demo,
    who: str,
    url: str,
    budget: int,
) -> None:
    client: Client = request.getfixturevalue(who)
    url = fill(url, demo)
    # Once first: what the framework keeps in the cache after one page (Wagtail's site root
    # paths) is not the page's own cost.
    warm = client.get(url)
    if warm.streaming:
        b"".join(warm.streaming_content)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
        if response.streaming:  # a download's queries run while it is sent: count them too
            b"".join(response.streaming_content)
    assert response.status_code in (200, 403)


def test_the_dashboard_does_not_query_more_when_twenty_people_join(
    kepala: Client,
    django_assert_num_queries: Callable,
    demo: Demo,
) -> None:
    pages = [
        "/dashboard/",
        "/dashboard/rotation/",
        "/dashboard/akpk/",
        "/dashboard/akpk.xlsx",
        "/dashboard/validation/",
    ]
    before = {}
    for url in pages:
        with CaptureQueriesContext(connection) as context:
            kepala.get(url)
        before[url] = len(context.captured_queries)
    people_before = len(kepala.get("/dashboard/").context["table"].rows)

    post = PositionFactory(title="Pranata Komputer Pendatang", org_unit=demo.sub_unit, headcount=20)
    skills = list(Competency.objects.filter(code__in=["TIK-05", "TIK-08", "M.01"]))
    for number, skill in enumerate(skills):
        require(post, skill, 2 + number % 2, critical=number == 0)
    for _number in range(20):
        newcomer = EmployeeFactory()
        assign(newcomer, post, dt.date(2020, 1, 1), kind="initial")
        evidence(newcomer, skills[0], 2)
        evidence(newcomer, skills[1], 3, source="self_assessment")  # waits in the queue

    after = kepala.get("/dashboard/")
    assert len(after.context["table"].rows) == people_before + 20
    for url in pages:
        with django_assert_num_queries(before[url]):
            assert kepala.get(url).status_code == 200
