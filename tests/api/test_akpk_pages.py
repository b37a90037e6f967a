"""The AKPK in JSON is paged by people (a keyset cursor of ids, never a name), and its pages
put together are the unit's AKPK, whatever the page size; the files are streamed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from competencies import selectors
from tests.competencies.factories import EmployeeFactory, assign

YEAR = 2025


def walk(client, unit, page_size: int) -> tuple[list[dict], list[str]]:
    rows, links = [], []
    url = f"/api/v1/akpk/?org_unit={unit.pk}&year={YEAR}&page_size={page_size}"
    while url:
        page = client.get(url)
        assert page.status_code == 200, page.json()
        rows += page.json()["rows"]
        url = page.json()["next"]
        if url:
            links.append(url)
    return rows, links


@pytest.mark.parametrize("page_size", [1, 2, 3, 1000])
def test_the_pages_together_are_the_units_akpk(city, api_client, page_size) -> None:
    client = api_client("gaps:read")
    expected = [
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
        for r in selectors.akpk_rows(org_unit=city.diskominfo, year=YEAR)
    ]
    rows, links = walk(client, city.diskominfo, page_size)
    assert rows == expected  # every field as the streamed files and the web page have it
    assert all(r["development"] for r in rows)
    assert expected  # the fixture city has gaps to plan for
    for link in links:  # ids only: no name, no NIP in a URL
        assert "cursor=" in link
        assert not any(
            person.name.split()[0] in link or person.nip in link
            for person in (city.ani, city.budi, city.citra, city.kabid)
        )


def test_a_page_of_people_without_gaps_still_leads_on(city, api_client) -> None:
    # Four people with no requirement in front of everyone else in the form's order: a page
    # of them has no rows, and the cursor still moves past them.
    from tests.competencies.factories import PositionFactory

    post = PositionFactory(org_unit=city.aptika, title="AAA Staf tanpa syarat", headcount=4)
    for n in range(4):
        assign(EmployeeFactory(name=f"AAA Tanpa Gap {n}"), post, dt.date(2020, 1, 1))
    client = api_client("gaps:read")
    pages, url = [], f"/api/v1/akpk/?org_unit={city.aptika.pk}&year={YEAR}&page_size=2"
    while url:
        pages.append(client.get(url).json())
        url = pages[-1]["next"]
    assert any(page["rows"] == [] and page["next"] for page in pages)
    rows = [row for page in pages for row in page["rows"]]
    assert len(rows) == len(selectors.akpk_rows(org_unit=city.aptika, year=YEAR))


def test_a_page_costs_the_same_queries_wherever_it_falls(city, api_client) -> None:
    client = api_client("gaps:read")
    base = f"/api/v1/akpk/?org_unit={city.diskominfo.pk}&year={YEAR}&page_size=1"
    _rows, links = walk(client, city.diskominfo, 1)
    assert len(links) >= 3

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    # The rows in one statement; a cursor's holder looked up in one more.
    assert count(links[0]) == count(links[1]) == count(links[-1]) == count(base) + 1


@pytest.mark.parametrize(
    "cursor", ["abc", "1-", "0-5", "99999999-99999999", "1-2-3", "1234567890123456789-1"]
)
def test_a_bad_cursor_is_refused_by_field(city, api_client, cursor) -> None:
    response = api_client("gaps:read").get(
        "/api/v1/akpk/", {"org_unit": city.aptika.pk, "year": YEAR, "cursor": cursor}
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["cursor"]


def test_the_files_are_streamed(city, api_client) -> None:
    client = api_client("gaps:read")
    for fmt in ("csv", "xlsx"):
        response = client.get(
            "/api/v1/akpk/", {"org_unit": city.aptika.pk, "year": YEAR, "format": fmt}
        )
        assert response.status_code == 200 and response.streaming


def test_a_page_is_what_its_serializer_says(city, api_client) -> None:
    """The view builds the rows by hand for speed: they must be exactly ``AkpkRowOut``'s."""
    from competencies.api.akpk import AkpkRowOut

    page = (
        api_client("gaps:read")
        .get("/api/v1/akpk/", {"org_unit": city.diskominfo.pk, "year": YEAR})
        .json()
    )
    expected = selectors.akpk_rows(org_unit=city.diskominfo, year=YEAR)
    assert page["rows"] == [dict(row) for row in AkpkRowOut(expected, many=True).data]
