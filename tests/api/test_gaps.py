"""Gaps through the API: a person, a unit, the organisation export, rotation impact, AKPK."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from competencies.models import Assignment
from tests.competencies.factories import assign


def test_employee_gaps_and_readiness(city, api_client) -> None:
    client = api_client("gaps:read")
    [held] = client.get(f"/api/v1/employees/{city.budi.pk}/gaps/", {"as_of": "2025-01-01"}).json()
    assert held["position"] == city.pk_post.pk and held["total_gap"] == 1
    by_code = {row["competency"]: row for row in held["requirements"]}
    assert (
        by_code["TIK-05"]["required_level"],
        by_code["TIK-05"]["proficiency"],
        by_code["TIK-05"]["gap"],
    ) == (3, 2, 1)
    [ready] = client.get(
        f"/api/v1/employees/{city.ani.pk}/gaps/",
        {"position": city.kabid_post.pk, "as_of": "2025-01-01"},
    ).json()
    assert ready["readiness_pct"] == 50.0
    bad = client.get(f"/api/v1/employees/{city.ani.pk}/gaps/", {"as_of": "kemarin"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "as_of"


def test_employee_competencies_with_evidence(city, api_client) -> None:
    rows = api_client("gaps:read").get(f"/api/v1/employees/{city.ani.pk}/competencies/").json()
    by_code = {row["competency"]: row for row in rows}
    assert (
        by_code["TIK-05"]["level"] == 4
        and by_code["TIK-05"]["evidence"][0]["source"] == "assessment"
    )


def test_unit_gaps_matrix_and_coverage(city, api_client) -> None:
    body = (
        api_client("gaps:read")
        .get(f"/api/v1/org-units/{city.aptika.pk}/gaps/", {"as_of": "2025-01-01"})
        .json()
    )
    assert body["total_gap"] == 3 and body["critical_single_holder"] == ["M.01"]
    assert {p["name"] for p in body["people"]} == {
        "Ani Wulandari",
        "Budi Santoso",
        "Citra Lestari",
        "Kabid Hendra",
    }
    assert body["vacancies"][0]["title"] == "Pranata Komputer"


def test_the_export_streams_csv_and_ndjson_with_filters(city, api_client) -> None:
    client = api_client("gaps:read")
    response = client.get("/api/v1/gaps/export/", {"format": "csv", "as_of": "2025-01-01"})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 9  # four people with two requirements, Dedi with one
    assert {r["nip"] for r in rows} >= {city.ani.nip}
    gaps_only = client.get(
        "/api/v1/gaps/export/", {"format": "ndjson", "min_gap": 1, "as_of": "2025-01-01"}
    )
    lines = [
        json.loads(line) for line in b"".join(gaps_only.streaming_content).decode().splitlines()
    ]
    assert sorted((line["name"], line["competency"]) for line in lines) == [
        ("Budi Santoso", "TIK-05"),
        ("Citra Lestari", "M.01"),
        ("Dedi Siregar", "TIK-05"),
        ("Kabid Hendra", "TIK-13"),
    ]
    unit = client.get(
        "/api/v1/gaps/export/",
        {"format": "ndjson", "unit": city.bkpsdm.pk, "competency": "TIK-05", "as_of": "2025-01-01"},
    )
    assert [
        json.loads(line)["name"] for line in b"".join(unit.streaming_content).decode().splitlines()
    ] == ["Dedi Siregar"]
    assert client.get("/api/v1/gaps/export/", {"format": "xml"}).status_code == 400


def test_rotation_impact_writes_nothing(city, api_client) -> None:
    before = Assignment.objects.count()
    response = api_client("gaps:read").post(
        "/api/v1/rotation-impact/",
        {"employee": city.kabid.pk, "position": city.analis_post.pk, "date": "2025-01-01"},
        format="json",
    )
    body = response.json()
    assert response.status_code == 200
    assert body["losing_unit"]["critical_lost"] == ["M.01"]
    assert body["gaps_in_new_position"]["total_gap"] == 2
    assert Assignment.objects.count() == before


def test_akpk_as_json_csv_and_xlsx(city, api_client) -> None:
    from openpyxl import load_workbook

    client = api_client("gaps:read")
    rows = client.get("/api/v1/akpk/", {"org_unit": city.aptika.pk, "year": 2025}).json()["rows"]
    assert sorted((r["name"], r["competency"]) for r in rows)[0] == ("Budi Santoso", "TIK-05")
    as_csv = client.get(
        "/api/v1/akpk/", {"org_unit": city.aptika.pk, "year": 2025, "format": "csv"}
    )
    assert as_csv["Content-Type"].startswith("text/csv")
    assert "Budi Santoso" in b"".join(as_csv.streaming_content).decode()
    as_xlsx = client.get(
        "/api/v1/akpk/", {"org_unit": city.aptika.pk, "year": 2025, "format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(b"".join(as_xlsx.streaming_content))).active
    assert any("Budi Santoso" in [str(c) for c in row] for row in sheet.iter_rows(values_only=True))
    missing = client.get("/api/v1/akpk/")
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "org_unit"


def fields_and_codes(response) -> list[tuple[str, str]]:
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    return [(error["field"], error["code"]) for error in response.json()["errors"]]


def test_a_bad_as_of_is_a_400_naming_the_field_on_every_gap_view(city, api_client) -> None:
    client = api_client("gaps:read")
    for path in (
        f"/api/v1/employees/{city.ani.pk}/gaps/",
        f"/api/v1/employees/{city.ani.pk}/competencies/",
        f"/api/v1/org-units/{city.aptika.pk}/gaps/",
        "/api/v1/gaps/export/",
    ):
        for bad in ("kemarin", "2025-13-01", "2025-1-5", "01/02/2025"):
            response = client.get(path, {"as_of": bad})
            assert fields_and_codes(response) == [("as_of", "invalid_date")], (path, bad)
            assert response.json()["code"] == "invalid"
        assert fields_and_codes(client.get(path, {"as_of": ""})) == [("as_of", "invalid_date")]


def test_employee_gaps_refuses_a_position_that_is_not_an_id(city, api_client) -> None:
    client = api_client("gaps:read")
    path = f"/api/v1/employees/{city.ani.pk}/gaps/"
    for bad in ("x", "-1", "1.5"):
        assert fields_and_codes(client.get(path, {"position": bad})) == [("position", "invalid")]
    assert client.get(path, {"position": 999999}).status_code == 404
    both = client.get(path, {"position": "x", "as_of": "y"})
    assert fields_and_codes(both) == [("as_of", "invalid_date"), ("position", "invalid")]
    # A person the caller may not see is not found, whatever the parameters.
    assert client.get("/api/v1/employees/999999/gaps/", {"as_of": "y"}).status_code == 404


def test_the_export_names_each_bad_parameter(city, api_client) -> None:
    client = api_client("gaps:read")
    response = client.get("/api/v1/gaps/export/", {"format": "xml", "unit": "a", "min_gap": 9})
    assert fields_and_codes(response) == [
        ("format", "invalid_choice"),
        ("unit", "invalid"),
        ("min_gap", "invalid"),
    ]
    for bad in ("-1", "6", "x"):
        response = client.get("/api/v1/gaps/export/", {"min_gap": bad})
        assert fields_and_codes(response) == [("min_gap", "invalid")]


def test_the_export_csv_header_and_rows_are_exactly_what_postgresql_writes(
    city, api_client
) -> None:
    client = api_client("gaps:read")
    response = client.get("/api/v1/gaps/export/", {"unit": city.bkpsdm.pk, "as_of": "2025-01-01"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="gaps.csv"'
    [gaps] = client.get(f"/api/v1/employees/{city.dedi.pk}/gaps/", {"as_of": "2025-01-01"}).json()
    [requirement] = gaps["requirements"]
    assert b"".join(response.streaming_content).decode() == (
        "employee,nip,name,org_unit,position,competency,required_level,proficiency,gap,"
        "is_critical\n"
        f"{city.dedi.pk},{city.dedi.nip},Dedi Siregar,{city.bkpsdm.code},"
        f"{city.analis_post.code},{requirement['competency']},2,"
        f"{requirement['proficiency']},{requirement['gap']},f\n"
    )


def test_the_export_counts_definitive_holders_only(city, api_client) -> None:
    assign(city.citra, city.analis_post, dt.date(2024, 6, 1), kind="plt")  # acting: not counted
    response = api_client("gaps:read").get(
        "/api/v1/gaps/export/", {"format": "ndjson", "unit": city.bkpsdm.pk, "as_of": "2025-01-01"}
    )
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert [json.loads(line)["name"] for line in lines] == ["Dedi Siregar"]


def test_a_head_exports_only_a_unit_they_may_see(city, as_person) -> None:
    client = as_person(city.kabid.user)
    refused = client.get("/api/v1/gaps/export/", {"as_of": "2025-01-01"})
    assert refused.status_code == 403 and "unit" in refused.json()["detail"]
    assert client.get("/api/v1/gaps/export/", {"unit": city.bkpsdm.pk}).status_code == 403
    own = client.get("/api/v1/gaps/export/", {"unit": city.aptika.pk, "as_of": "2025-01-01"})
    assert own.status_code == 200


def test_akpk_refuses_a_bad_year_and_format(city, api_client) -> None:
    client = api_client("gaps:read")
    response = client.get(
        "/api/v1/akpk/", {"org_unit": city.aptika.pk, "year": 1999, "format": "pdf"}
    )
    assert fields_and_codes(response) == [("year", "invalid"), ("format", "invalid_choice")]
    assert fields_and_codes(client.get("/api/v1/akpk/", {"org_unit": "x", "year": "abc"})) == [
        ("org_unit", "required"),
        ("year", "invalid"),
    ]
