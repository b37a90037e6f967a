"""SIASN-shaped sync: the identifiers SIASN uses on people, positions, assignments and units,
TMT golongan with the golongan history, and the learning ledger as SIASN's riwayat kursus."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from certificates import services as certificate_services
from competencies.models import Employee, RankHistory
from tests.competencies.factories import make_nip

PNS_ID = "A8ACA7397CB53912E040640A040269BB"
UNOR_ID = "8ae48282-55ad-7829-0155-ad8d5ce80002"
JABATAN_ID = "A5EB03E23CCCF6A0E040640A040252AD"


def test_a_person_takes_and_returns_siasn_id_and_tmt_golongan(city, api_client) -> None:
    client = api_client("employees:read employees:write")
    created = client.post(
        "/api/v1/employees/",
        {
            "nip": make_nip(),
            "name": "Rina Marlina",
            "rank": "III/b",
            "rank_start_date": "2022-04-01",
            "siasn_id": PNS_ID,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    person = created.json()
    assert (person["siasn_id"], person["rank"], person["rank_start_date"]) == (
        PNS_ID,
        "III/b",
        "2022-04-01",
    )
    ranks = client.get(f"/api/v1/employees/{person['id']}/ranks/").json()
    assert [(r["rank"], r["start_date"]) for r in ranks] == [("III/b", "2022-04-01")]

    # A promotion by PATCH moves the current rank and adds to the history.
    client.patch(
        f"/api/v1/employees/{person['id']}/",
        {"rank": "III/c", "rank_start_date": "2026-04-01"},
        format="json",
    )
    ranks = client.get(f"/api/v1/employees/{person['id']}/ranks/").json()
    assert [(r["rank"], r["start_date"]) for r in ranks] == [
        ("III/c", "2026-04-01"),
        ("III/b", "2022-04-01"),
    ]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"siasn_id": "not-a-guid"}, "siasn_id", "pattern"),
        ({"siasn_id": "A8ACA7397CB53912E040640A040269B"}, "siasn_id", "pattern"),  # 31 digits
        ({"rank_start_date": "2022-04-01"}, "rank_start_date", "rank_required"),
        ({"rank": "III/b", "rank_start_date": "01-04-2022"}, "rank_start_date", "invalid"),
    ],
)
def test_bad_siasn_fields_are_refused_by_field(city, api_client, body, field, code) -> None:
    client = api_client("employees:write")
    response = client.post(
        "/api/v1/employees/", {"nip": make_nip(), "name": "Rina", **body}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {(field, code)}
    assert not Employee.objects.filter(name="Rina").exists()


def test_a_siasn_id_belongs_to_one_person(city, api_client) -> None:
    client = api_client("employees:write")
    client.patch(f"/api/v1/employees/{city.ani.pk}/", {"siasn_id": PNS_ID}, format="json")
    taken = client.patch(f"/api/v1/employees/{city.budi.pk}/", {"siasn_id": PNS_ID}, format="json")
    assert taken.status_code == 409
    assert taken.json()["errors"][0]["field"] == "siasn_id"
    assert taken.json()["errors"][0]["code"] == "duplicate_siasn_id"
    # ...and the document says the PATCH may answer so (make fuzz found it did not).
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    assert "409" in document["paths"]["/api/v1/employees/{id}/"]["patch"]["responses"]
    # Many people may have none.
    assert (
        client.patch(
            f"/api/v1/employees/{city.budi.pk}/", {"siasn_id": ""}, format="json"
        ).status_code
        == 200
    )


def test_the_golongan_history_orders_itself_by_tmt(city, api_client) -> None:
    client = api_client("employees:read employees:write")
    url = f"/api/v1/employees/{city.ani.pk}/ranks/"
    assert (
        client.post(url, {"rank": "III/a", "start_date": "2018-01-01"}, format="json").status_code
        == 201
    )
    newest = client.post(
        url,
        {"rank": "III/c", "start_date": "2024-04-01", "decree_number": "823/45/2024"},
        format="json",
    )
    assert newest.status_code == 201
    older = client.post(url, {"rank": "III/b", "start_date": "2021-04-01"}, format="json")
    assert older.status_code == 201
    city.ani.refresh_from_db()
    # The older row filled in the history; the newest stays the current rank.
    assert (city.ani.rank, city.ani.rank_start_date) == ("III/c", dt.date(2024, 4, 1))
    assert [r["rank"] for r in client.get(url).json()] == ["III/c", "III/b", "III/a"]

    again = client.post(url, {"rank": "III/d", "start_date": "2024-04-01"}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_rank_tmt"
    pppk_grade = client.post(url, {"rank": "IX", "start_date": "2025-04-01"}, format="json")
    assert pppk_grade.status_code == 400
    assert pppk_grade.json()["errors"][0]["code"] == "rank_employment_type"
    assert RankHistory.objects.filter(employee=city.ani).count() == 3


def test_positions_carry_kelas_jabatan_and_siasn_jabatan(city, api_client) -> None:
    client = api_client("employees:read employees:write")
    body = {
        "code": "EGOV-PRAKOM-AHLI-MUDA",
        "title": "Pranata Komputer Ahli Muda",
        "org_unit": city.egov.pk,
        "kind": "fungsional",
        "class_grade": 9,
        "siasn_jabatan_id": JABATAN_ID,
        "siasn_jenis_jabatan": "2",
    }
    created = client.post("/api/v1/positions/", body, format="json")
    assert created.status_code == 201, created.json()
    out = created.json()
    assert (out["class_grade"], out["siasn_jabatan_id"], out["siasn_jenis_jabatan"]) == (
        9,
        JABATAN_ID,
        "2",
    )
    url = f"/api/v1/positions/{out['id']}/"
    wrong_jenis = client.patch(url, {"siasn_jenis_jabatan": "1"}, format="json")
    assert wrong_jenis.status_code == 400
    assert wrong_jenis.json()["errors"][0]["code"] == "jenis_jabatan_kind"
    too_high = client.patch(url, {"class_grade": 18}, format="json")
    assert too_high.status_code == 400
    assert too_high.json()["errors"][0]["field"] == "class_grade"
    # Becoming a structural post changes the jenis jabatan SIASN sees.
    moved = client.patch(url, {"kind": "pengawas", "siasn_jenis_jabatan": "1"}, format="json")
    assert moved.status_code == 200, moved.json()
    assert moved.json()["siasn_jenis_jabatan"] == "1"


def test_assignments_and_units_carry_siasn_ids(city, api_client) -> None:
    city.egov.siasn_unor_id = UNOR_ID
    city.egov.save(update_fields=["siasn_unor_id"])
    client = api_client("employees:read employees:write")
    units = client.get("/api/v1/org-units/", {"page_size": 100}).json()["results"]
    assert {u["code"]: u["siasn_unor_id"] for u in units}["EGOV"] == UNOR_ID

    body = {
        "employee": city.dedi.pk,
        "position": city.pk_post.pk,
        "kind": "rotasi",
        "start_date": "2026-01-05",
        "siasn_id": JABATAN_ID,
    }
    created = client.post("/api/v1/assignments/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["siasn_id"] == JABATAN_ID
    twice = client.post(
        "/api/v1/assignments/",
        {**body, "employee": city.budi.pk, "position": city.analis_post.pk},
        format="json",
    )
    assert twice.status_code == 409
    assert twice.json()["errors"][0]["code"] == "duplicate_siasn_id"


def test_bulk_upsert_takes_siasn_fields_and_keeps_them_when_absent(city, api_client) -> None:
    client = api_client("employees:write employees:read")
    nip = make_nip()
    row = {"nip": nip, "name": "Yusuf", "rank": "III/a", "rank_start_date": "2020-03-01"}
    first = client.post(
        "/api/v1/employees/bulk/", {"rows": [{**row, "siasn_id": PNS_ID}]}, format="json"
    )
    assert first.status_code == 200, first.json()
    person = Employee.objects.get(nip=nip)
    assert (person.siasn_id, person.rank_start_date) == (PNS_ID, dt.date(2020, 3, 1))

    # An older client's row without SIASN's fields keeps them; a promotion adds to the history.
    client.post(
        "/api/v1/employees/bulk/",
        {"rows": [{"nip": nip, "name": "Yusuf", "rank": "III/b", "rank_start_date": "2024-03-01"}]},
        format="json",
    )
    person.refresh_from_db()
    assert (person.siasn_id, person.rank) == (PNS_ID, "III/b")
    assert list(RankHistory.objects.filter(employee=person).values_list("rank", "start_date")) == [
        ("III/b", dt.date(2024, 3, 1)),
        ("III/a", dt.date(2020, 3, 1)),
    ]


def test_bulk_upsert_names_every_row_with_a_bad_siasn_field(city, api_client) -> None:
    client = api_client("employees:write")
    client.patch(f"/api/v1/employees/{city.ani.pk}/", {"siasn_id": PNS_ID}, format="json")
    rows = [
        {"nip": make_nip(), "name": "Satu", "siasn_id": PNS_ID},  # Ani's
        {"nip": make_nip(), "name": "Dua", "rank_start_date": "2020-01-01"},  # no rank
        {"nip": make_nip(), "name": "Tiga", "siasn_id": "xyz"},
    ]
    refused = client.post("/api/v1/employees/bulk/", {"rows": rows}, format="json")
    assert refused.status_code == 400
    fields = {(e["field"], e["code"]) for e in refused.json()["errors"]}
    assert fields == {("rows[1].rank_start_date", "rank_required"), ("rows[2].siasn_id", "pattern")}
    # The rows' own checks pass first; then the database's: Ani's id is named too.
    rows[1]["rank"], rows[2]["siasn_id"] = "II/c", PNS_ID.lower()
    refused = client.post("/api/v1/employees/bulk/", {"rows": rows}, format="json")
    assert {(e["field"], e["code"]) for e in refused.json()["errors"]} == {
        ("rows[0].siasn_id", "duplicate_siasn_id")
    }
    assert not Employee.objects.filter(name__in=["Satu", "Dua", "Tiga"]).exists()


# --- The ledger as SIASN's riwayat kursus ---------------------------------------------------


@pytest.fixture
def ledger(city, api_client, django_capture_on_commit_callbacks):
    """Ani: external training with a certificate; Dedi (outside Aptika): one without."""
    Employee.objects.filter(pk=city.ani.pk).update(siasn_id=PNS_ID)
    client = api_client("certificates:write learning:read employees:write")
    with django_capture_on_commit_callbacks(execute=True):
        certified = client.post(
            "/api/v1/certificates/",
            {
                "employee": city.ani.pk,
                "title": "=Pelatihan Keamanan Siber",
                "provider": "BSSN",
                "jp_hours": 24.5,
                "start_date": "2026-03-02",
                "completed_date": "2026-03-05",
                "competencies": [{"competency": "TIK-13", "level": 2}],
            },
            format="json",
        )
    assert certified.status_code == 201, certified.json()["errors"]
    recorded = client.post(
        "/api/v1/learning-records/",
        {
            "employee": city.dedi.pk,
            "title": "Seminar Satu Data",
            "provider": "Bappeda",
            "jp_hours": 4,
            "completed_date": "2025-11-20",
        },
        format="json",
    )
    assert recorded.status_code == 201, recorded.json()
    return client, certified.json()


def test_the_ledger_exports_as_siasn_riwayat_kursus(city, ledger) -> None:
    client, certificate = ledger
    response = client.get("/api/v1/learning-records/siasn/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    rows = json.loads(b"".join(response.streaming_content))
    assert [r["namaKursus"] for r in rows] == ["Seminar Satu Data", "=Pelatihan Keamanan Siber"]
    ani = rows[1]
    assert ani["nipBaru"] == city.ani.nip
    assert ani["pnsOrangId"] == PNS_ID
    assert ani["institusiPenyelenggara"] == "BSSN"
    assert (ani["tanggalKursus"], ani["tanggalSelesaiKursus"]) == ("02-03-2026", "05-03-2026")
    assert (ani["tahunKursus"], ani["jumlahJam"], ani["jp"]) == (2026, 25, 24.5)
    assert ani["nomorSertipikat"] == certificate["code"]
    assert ani["sumber"] == "external_training"
    # Without a start day, the course is dated by its end; without a certificate, no number.
    dedi = rows[0]
    assert (dedi["tanggalKursus"], dedi["nomorSertipikat"]) == ("20-11-2025", "")

    csv_response = client.get("/api/v1/learning-records/siasn/", {"year": 2026})
    table = list(csv.DictReader(io.StringIO(b"".join(csv_response.streaming_content).decode())))
    assert len(table) == 1
    assert table[0]["namaKursus"] == "'=Pelatihan Keamanan Siber"  # no formula in a spreadsheet
    assert table[0]["tanggalSelesaiKursus"] == "05-03-2026"


def test_a_revoked_certificate_is_no_number_for_siasn(city, ledger, hr_user) -> None:
    client, certificate = ledger
    from certificates.models import Certificate

    certificate_services.certificate_revoke(
        certificate=Certificate.objects.get(pk=certificate["id"]),
        reason="Salah peserta",
        user=hr_user,
    )
    rows = json.loads(
        b"".join(
            client.get("/api/v1/learning-records/siasn/", {"format": "json"}).streaming_content
        )
    )
    assert [r["nomorSertipikat"] for r in rows] == ["", ""]


def test_a_head_exports_only_their_units_people(city, ledger, as_person) -> None:
    head = as_person(city.kabid.user)
    rows = json.loads(
        b"".join(head.get("/api/v1/learning-records/siasn/", {"format": "json"}).streaming_content)
    )
    assert [r["nipBaru"] for r in rows] == [city.ani.nip]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"format": "xml"}, "format"),
        ({"year": "1999"}, "year"),
        ({"completed_from": ""}, "completed_from"),
    ],
)
def test_the_export_refuses_bad_parameters(city, api_client, query, field) -> None:
    response = api_client("learning:read").get("/api/v1/learning-records/siasn/", query)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_training_cannot_start_after_it_ended(city, api_client) -> None:
    response = api_client("employees:write").post(
        "/api/v1/learning-records/",
        {
            "employee": city.ani.pk,
            "title": "Bimtek",
            "jp_hours": 8,
            "start_date": "2026-03-06",
            "completed_date": "2026-03-05",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "start_date"
