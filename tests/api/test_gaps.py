"""Gaps through the API: a person, a unit, the organisation export, rotation impact, AKPK."""

from __future__ import annotations

import csv
import io
import json

from competencies.models import Assignment


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
    assert (
        as_csv["Content-Type"].startswith("text/csv") and "Budi Santoso" in as_csv.content.decode()
    )
    as_xlsx = client.get(
        "/api/v1/akpk/", {"org_unit": city.aptika.pk, "year": 2025, "format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert any("Budi Santoso" in [str(c) for c in row] for row in sheet.iter_rows(values_only=True))
    missing = client.get("/api/v1/akpk/")
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "org_unit"
