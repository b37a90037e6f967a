"""People and rotations through the API: lists with cursors and updated_since, writes through
the services, bulk upsert all-or-nothing, and Idempotency-Key replay."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone

from competencies.models import Assignment, Employee
from tests.competencies.factories import PositionFactory, make_nip


def test_employees_list_pages_with_a_cursor(city, api_client) -> None:
    """(Finding a person by NIP is ``POST /api/v1/employees/lookup/``: test_employee_lookup.)"""
    client = api_client("employees:read")
    ani = client.get(f"/api/v1/employees/{city.ani.pk}/").json()
    assert ani["nip"] == city.ani.nip
    assert ani["current_positions"][0]["position_title"] == "Pranata Komputer"
    first = client.get("/api/v1/employees/", {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    seen = [e["id"] for e in first["results"] + second["results"]]
    assert len(seen) == len(set(seen)) == 4


def test_employee_list_queries_do_not_grow_with_people(city, api_client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_client("employees:read")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/employees/").status_code == 200
        return len(captured)

    before = count()
    for _ in range(10):
        person = Employee.objects.create(nip=make_nip(), name="Tambahan")
        Assignment.objects.create(
            employee=person, position=city.pk_post, kind="initial", start_date=dt.date(2024, 1, 1)
        )
    assert count() == before


def test_updated_since_returns_only_what_changed(city, api_client) -> None:
    client = api_client("employees:read employees:write")
    mark = timezone.now()
    time.sleep(0.01)  # updated_at has microsecond precision; make "after" unambiguous
    client.patch(f"/api/v1/employees/{city.budi.pk}/", {"rank": "III/b"}, format="json")
    changed = client.get("/api/v1/employees/", {"updated_since": mark.isoformat()}).json()[
        "results"
    ]
    assert [e["id"] for e in changed] == [city.budi.pk]


def test_create_refuses_a_bad_or_duplicate_nip_with_field_errors(city, api_client) -> None:
    client = api_client("employees:write employees:read")
    bad = client.post(
        "/api/v1/employees/", {"nip": "19660801198803 3 001", "name": "Budi"}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "nip"
    dup = client.post(
        "/api/v1/employees/", {"nip": city.ani.nip, "name": "Ani lagi"}, format="json"
    )
    assert dup.status_code == 409 and dup.json()["code"] == "duplicate_nip"
    ok = client.post(
        "/api/v1/employees/",
        {"nip": make_nip(), "name": "Rina Sinaga", "rank": "III/a"},
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["name"] == "Rina Sinaga"


def test_recording_a_rotation_ends_the_previous_assignment(city, api_client) -> None:
    client = api_client("employees:write employees:read")
    target = PositionFactory(org_unit=city.bkpsdm, title="Analis Data")
    response = client.post(
        "/api/v1/assignments/",
        {
            "employee": city.ani.pk,
            "position": target.pk,
            "kind": "rotasi",
            "start_date": "2025-07-01",
            "decree_number": "800.1.3/77/BKPSDM/2025",
            "decree_date": "2025-06-20",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    history = client.get(f"/api/v1/employees/{city.ani.pk}/assignments/").json()["results"]
    ended = next(a for a in history if a["position"] == city.pk_post.pk)
    assert ended["end_date"] == "2025-06-30"
    overlap = client.post(
        "/api/v1/assignments/",
        {
            "employee": city.ani.pk,
            "position": city.pk_post.pk,
            "kind": "rotasi",
            "start_date": "2025-01-01",
            "end_date": "2025-12-31",
        },
        format="json",
    )
    assert overlap.status_code == 409 and overlap.json()["code"] == "overlapping_assignment"


def test_the_same_post_with_the_same_idempotency_key_creates_once(city, api_client) -> None:
    client = api_client("employees:write employees:read")
    payload = {"nip": make_nip(), "name": "Sekali Saja"}
    first = client.post(
        "/api/v1/employees/", payload, format="json", HTTP_IDEMPOTENCY_KEY="abc-123"
    )
    second = client.post(
        "/api/v1/employees/", payload, format="json", HTTP_IDEMPOTENCY_KEY="abc-123"
    )
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json() and second["Idempotent-Replayed"] == "true"
    assert Employee.objects.filter(name="Sekali Saja").count() == 1
    reused = client.post(
        "/api/v1/employees/",
        {**payload, "name": "Lain"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="abc-123",
    )
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"


def rows(count: int, position_code: str) -> list[dict]:
    return [
        {
            "nip": f"19850101201003{1 + n % 2}{n % 999 + 1:03d}"[:8]
            + f"{2005 + n // 999:04d}03{1 + n % 2}{n % 999 + 1:03d}",
            "name": f"Pegawai Massal {n}",
            "rank": "III/a",
            "position": position_code,
            "tmt": "2025-01-02",
        }
        for n in range(count)
    ]


@pytest.mark.parametrize("count", [5000])
def test_bulk_upsert_of_5000_with_one_bad_row_changes_nothing(city, api_client, count: int) -> None:
    client = api_client("employees:write")
    payload = rows(count, city.analis_post.code)
    payload[1234]["nip"] = "12345"
    payload[4321]["position"] = "NO-SUCH-POSITION"
    before = (Employee.objects.count(), Assignment.objects.count())
    response = client.post("/api/v1/employees/bulk/", {"rows": payload}, format="json")
    assert response.status_code == 400, response.json()
    assert [e["field"] for e in response.json()["errors"]] == [
        "rows[1234].nip",
        "rows[4321].position",
    ]
    assert (Employee.objects.count(), Assignment.objects.count()) == before


def test_bulk_upsert_counts_created_updated_unchanged_and_rotates(city, api_client) -> None:
    client = api_client("employees:write employees:read")
    payload = rows(3, city.pk_post.code)
    payload += [
        {
            "nip": city.ani.nip,
            "name": city.ani.name,
            "position": city.analis_post.code,
            "tmt": "2025-03-01",
        },
        {"nip": city.budi.nip, "name": "Budi Santoso, S.Kom."},
        {"nip": city.dedi.nip, "name": city.dedi.name},
    ]
    response = client.post("/api/v1/employees/bulk/", {"rows": payload}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {"created": 3, "updated": 1, "unchanged": 2, "assignments_created": 4}
    ani_history = list(
        Assignment.objects.filter(employee=city.ani)
        .order_by("start_date")
        .values_list("position_id", "end_date")
    )
    assert ani_history == [(city.pk_post.pk, dt.date(2025, 2, 28)), (city.analis_post.pk, None)]
    again = client.post("/api/v1/employees/bulk/", {"rows": payload}, format="json").json()
    assert again == {"created": 0, "updated": 0, "unchanged": 6, "assignments_created": 0}


def test_bulk_refuses_more_than_5000_rows(city, api_client) -> None:
    response = api_client("employees:write").post(
        "/api/v1/employees/bulk/", {"rows": rows(5001, city.pk_post.code)}, format="json"
    )
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "too_many"


def test_bulk_names_every_bad_row_with_its_field_and_code(city, api_client) -> None:
    client = api_client("employees:write")
    fresh = make_nip()
    payload = [
        {"nip": "12345", "name": "Pendek"},
        {"nip": fresh, "name": "Satu"},
        {"nip": fresh[:8] + " " + fresh[8:], "name": "Dua"},  # the same NIP, spaced
        {"nip": make_nip(), "name": "  "},
        {"nip": make_nip(), "name": "Golongan", "rank": "IX/z", "status": "hilang"},
        {"nip": make_nip(), "name": "Jabatan", "position": "NO-SUCH", "tmt": "2025-01-02"},
        {"nip": make_nip(), "name": "Tanpa TMT", "position": city.analis_post.code},
        {"nip": make_nip(), "name": "TMT", "position": city.analis_post.code, "tmt": "2/1/2025"},
        {"nip": make_nip(), "name": "SK", "decree_date": "kemarin", "assignment_kind": "x"},
        "bukan objek",
        {"name": "Tanpa NIP"},
    ]
    before = (Employee.objects.count(), Assignment.objects.count())
    response = client.post("/api/v1/employees/bulk/", {"rows": payload}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rejected"
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("rows[0].nip", "nip_length"),
        ("rows[2].nip", "duplicate_nip"),
        ("rows[3].name", "only_whitespace"),
        ("rows[4].rank", "invalid_choice"),
        ("rows[4].status", "invalid_choice"),
        ("rows[5].position", "unknown_position"),
        ("rows[6].tmt", "required"),
        ("rows[7].tmt", "invalid_date"),
        ("rows[8].assignment_kind", "invalid_choice"),
        ("rows[8].decree_date", "invalid_date"),
        ("rows[9].__all__", "invalid"),
        ("rows[10].nip", "nip_length"),
    ]
    assert str(len(body["errors"])) in body["detail"]
    assert (Employee.objects.count(), Assignment.objects.count()) == before


def test_bulk_refuses_a_missing_or_empty_list(city, api_client) -> None:
    client = api_client("employees:write")
    for payload in ({}, {"rows": None}, {"rows": "x"}, [{"nip": make_nip(), "name": "X"}]):
        response = client.post("/api/v1/employees/bulk/", payload, format="json")
        assert response.status_code == 400, payload
        assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
            ("rows", "required")
        ]
    empty = client.post("/api/v1/employees/bulk/", {"rows": []}, format="json")
    assert empty.status_code == 400 and empty.json()["errors"][0]["code"] == "empty"


def test_bulk_takes_empty_cells_as_absent_values(city, api_client) -> None:
    client = api_client("employees:write")
    nulls, blanks = make_nip(), make_nip()
    optional = ("rank", "email", "status", "position", "tmt", "assignment_kind", "decree_number")
    payload = [
        {"nip": nulls, "name": "Sel Kosong", **dict.fromkeys(optional), "decree_date": None},
        {"nip": blanks, "name": "Sel Kosong", **dict.fromkeys(optional, ""), "decree_date": ""},
    ]
    response = client.post("/api/v1/employees/bulk/", {"rows": payload}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {"created": 2, "updated": 0, "unchanged": 0, "assignments_created": 0}
    people = Employee.objects.filter(nip__in=[nulls, blanks])
    assert {(p.rank, p.email, p.status) for p in people} == {("", "", "active")}


def test_bulk_finds_a_position_by_id_and_records_the_decree(city, api_client) -> None:
    client = api_client("employees:write")
    row = {
        "nip": city.dedi.nip,
        "name": city.dedi.name,
        "position": str(city.pk_post.pk),
        "tmt": "2025-07-01",
        "assignment_kind": "mutasi",
        "decree_number": "800/1/2025",
        "decree_date": "2025-06-20",
    }
    response = client.post("/api/v1/employees/bulk/", {"rows": [row]}, format="json")
    assert response.status_code == 200, response.json()
    latest = Assignment.objects.filter(employee=city.dedi).latest("start_date")
    assert (latest.position, latest.kind, latest.decree_number, latest.decree_date) == (
        city.pk_post,
        "mutasi",
        "800/1/2025",
        dt.date(2025, 6, 20),
    )


def test_bulk_checks_each_rank_against_the_type_its_nip_gives(city, api_client) -> None:
    """A PNS holds a golongan (I/a to IV/e), a PPPK a grade (I to XVII); the NIP says which.
    The NIP's own rules (a PPPK from 2019 on, a CPNS at least 18) are named on the row too."""
    client = api_client("employees:write")
    pppk = make_nip(birth="19950615", appointed="202121")  # an NI PPPK of 2021
    payload = [
        {"nip": make_nip(), "name": "PNS dengan golongan PPPK", "rank": "IX"},
        {"nip": make_nip(birth="19950615", appointed="202121"), "name": "PPPK", "rank": "III/a"},
        {"nip": pppk, "name": "PPPK golongan XVII", "rank": "XVII"},
        {"nip": "19950615 2018 2 1 1 001", "name": "PPPK sebelum 2019"},
        {"nip": "20000515 201706 1 001", "name": "CPNS umur 17"},
    ]
    before = Employee.objects.count()
    response = client.post("/api/v1/employees/bulk/", {"rows": payload}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "import_rejected"
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("rows[0].rank", "rank_employment_type"),
        ("rows[1].rank", "rank_employment_type"),
        ("rows[3].nip", "nip_pppk_year"),
        ("rows[4].nip", "nip_cpns_age"),
    ]
    assert Employee.objects.count() == before
    accepted = client.post("/api/v1/employees/bulk/", {"rows": [payload[2]]}, format="json")
    assert accepted.status_code == 200, accepted.json()
    person = Employee.objects.get(nip=pppk)
    assert (person.employment_type, person.rank) == ("pppk", "XVII")
    # A PPPK already recorded cannot be moved to a golongan either.
    changed = client.post(
        "/api/v1/employees/bulk/", {"rows": [{**payload[2], "rank": "IV/a"}]}, format="json"
    )
    assert [(e["field"], e["code"]) for e in changed.json()["errors"]] == [
        ("rows[0].rank", "rank_employment_type")
    ]
    person.refresh_from_db()
    assert person.rank == "XVII"
