"""The unit matrix through the API is paged by people: the pages together are the whole
matrix in its order, each page carries the whole subtree's figures, a page's queries and size
do not grow with the unit, and the compact form holds the same levels as arrays."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from competencies import selectors
from tests.competencies.factories import EmployeeFactory, PositionFactory, assign

AS_OF = "2025-01-01"


def walk(client, unit, **query) -> tuple[list[dict], list[dict]]:
    """Every page of the unit's matrix, following ``next``; (people, pages)."""
    url, pages = f"/api/v1/org-units/{unit.pk}/gaps/", []
    params = {"as_of": AS_OF, **query}
    while url:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        pages.append(response.json())
        url, params = pages[-1]["next"], None
    return [person for page in pages for person in page["people"]], pages


@pytest.mark.parametrize("page_size", [1, 2, 3, 50])
def test_the_pages_together_are_the_whole_matrix(city, api_client, page_size) -> None:
    client = api_client("gaps:read")
    matrix = selectors.gap_matrix_for_unit(org_unit=city.diskominfo, as_of=dt.date(2025, 1, 1))
    codes = {c.pk: c.code for c in matrix.competencies}
    people, pages = walk(client, city.diskominfo, page_size=page_size)
    assert [(p["employee"], p["position"]) for p in people] == [
        (r.employee_id, r.position_id) for r in matrix.rows
    ]
    assert [
        sorted((c["competency"], c["required_level"], c["proficiency"]) for c in p["cells"])
        for p in people
    ] == [
        sorted((codes[k], c.required_level, c.proficiency) for k, c in r.cells.items())
        for r in matrix.rows
    ]
    assert len(pages) == -(-len(matrix.rows) // page_size) + (len(matrix.rows) % page_size == 0)
    for page in pages:  # the subtree's figures on every page, whatever its people
        assert page["total_gap"] == matrix.total_gap == sum(r.total_gap for r in matrix.rows)
        assert page["critical_single_holder"] == [c.code for c in matrix.critical_single_holder]
        assert page["competencies"] == list(codes.values())
        assert len(page["people"]) <= page_size
    for link in [page["next"] for page in pages if page["next"]]:
        assert "cursor=" in link and city.budi.nip not in link and "Budi" not in link


def test_the_compact_form_holds_the_same_levels_as_arrays(city, api_client) -> None:
    client = api_client("gaps:read")
    url = f"/api/v1/org-units/{city.diskominfo.pk}/gaps/"
    full = client.get(url, {"as_of": AS_OF}).json()
    compact = client.get(url, {"as_of": AS_OF, "form": "compact"}).json()
    codes = compact["competencies"]
    assert compact["total_gap"] == full["total_gap"] and compact["coverage"] == full["coverage"]
    for wide, narrow in zip(full["people"], compact["people"], strict=True):
        assert (wide["employee"], wide["position"]) == (narrow["employee"], narrow["position"])
        cells = {c["competency"]: c for c in wide["cells"]}
        assert narrow["required_level"] == [
            cells[code]["required_level"] if code in cells else None for code in codes
        ]
        assert narrow["proficiency"] == [
            cells[code]["proficiency"] if code in cells else None for code in codes
        ]
        assert narrow["is_critical"] == [
            cells[code]["is_critical"] if code in cells else None for code in codes
        ]


def test_a_page_costs_the_same_queries_and_bytes_however_big_the_unit(city, api_client) -> None:
    client = api_client("gaps:read")
    url = f"/api/v1/org-units/{city.diskominfo.pk}/gaps/"

    def page() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"as_of": AS_OF, "page_size": 2})
        assert response.status_code == 200
        return len(queries), len(response.content)

    before_queries, before_bytes = page()
    for number in range(30):  # thirty more people in the unit
        post = PositionFactory(org_unit=city.aptika, title=f"Pranata Komputer Tambahan {number}")
        assign(EmployeeFactory(name=f"Pegawai Baru {number:02d}"), post, dt.date(2020, 1, 1))
    after_queries, after_bytes = page()
    assert after_queries == before_queries
    assert after_bytes < before_bytes * 1.5  # more posts in the vacancies, never more people


def test_bad_paging_is_refused_by_field(city, api_client) -> None:
    client = api_client("gaps:read")
    url = f"/api/v1/org-units/{city.diskominfo.pk}/gaps/"
    for query, field in [
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "1001"}, "page_size"),
        ({"cursor": "abc"}, "cursor"),
        ({"cursor": "999999-999999"}, "cursor"),
        ({"form": "wide"}, "form"),
    ]:
        response = client.get(url, {"as_of": AS_OF, **query})
        assert response.status_code == 400, query
        assert response["Content-Type"].startswith("application/problem+json")
        assert [e["field"] for e in response.json()["errors"]] == [field], query
