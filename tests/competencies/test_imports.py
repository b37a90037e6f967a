"""Imports from CSV and XLSX are all-or-nothing and name every bad row with its line."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from competencies import imports
from competencies.exceptions import ImportRowsError
from competencies.models import Assignment, Employee, Position
from tests.competencies.factories import (
    CompetencyFactory,
    EmployeeFactory,
    PositionFactory,
    assign,
    make_nip,
    unit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def csv_rows(text: str) -> list:
    return imports.read_rows(io.BytesIO(text.encode()), "people.csv")


def test_people_with_one_bad_row_among_good_ones_import_nothing_and_name_each_bad_row() -> None:
    good1, good2 = make_nip(), make_nip()
    rows = csv_rows(
        "nip,name,rank\n"
        f"{good1},Agus Santoso,III/a\n"
        "19660231198803 1 001,Tanggal Mustahil,III/b\n"  # line 3: impossible birth date
        f"{good2},Sri Wulandari,IV/z\n"  # line 4: unknown rank
        "12345,Terlalu Pendek,III/a\n"  # line 5: length
        f"{good1},Agus Kembar,III/a\n"  # line 6: duplicate of line 2
        f"{make_nip()},,III/a\n"  # line 7: no name
    )
    with pytest.raises(ImportRowsError) as raised:
        imports.people_import(rows=rows)
    fields = [error.field for error in raised.value.errors]
    assert fields == ["line 3: nip", "line 4: rank", "line 5: nip", "line 6: nip", "line 7: name"]
    assert "line 2" in str(raised.value.errors[3].message)
    assert not Employee.objects.exists()


def test_people_import_creates_updates_and_counts_unchanged() -> None:
    existing = EmployeeFactory(name="Nama Lama")
    same = EmployeeFactory(name="Tetap Sama", rank="III/a")
    new = make_nip()
    result = imports.people_import(
        rows=csv_rows(
            "NIP;Name;Rank\n"  # semicolons, as spreadsheets set to Indonesian write them
            f"{existing.nip};Nama Baru;III/c\n"
            f"{same.nip};Tetap Sama;III/a\n"
            f"{new};Orang Baru;II/a\n"
        )
    )
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    existing.refresh_from_db()
    assert (existing.name, existing.rank) == ("Nama Baru", "III/c")
    assert Employee.objects.get(nip=new).name == "Orang Baru"


def test_positions_from_xlsx_with_requirements() -> None:
    place = unit("DISKOMINFO-APTIKA")
    CompetencyFactory(code="TIK-05")
    CompetencyFactory(code="M.01")
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "title", "unit_code", "kind", "is_head", "headcount", "requirements"])
    sheet.append(
        [
            "PK-AP",
            "Pranata Komputer Ahli Pertama",
            "DISKOMINFO-APTIKA",
            "fungsional",
            "",
            4,
            "TIK-05:3!; M.01:2",
        ]
    )
    sheet.append(
        ["KABID", "Kepala Bidang", "DISKOMINFO-APTIKA", "administrator", "ya", 1, "M.01:3"]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    result = imports.positions_import(rows=imports.read_rows(buffer, "positions.xlsx"))
    assert result.created == 2
    position = Position.objects.get(code="PK-AP")
    assert position.org_unit == place and position.headcount == 4
    assert sorted(
        position.requirements.values_list("competency__code", "required_level", "is_critical")
    ) == [
        ("M.01", 2, False),
        ("TIK-05", 3, True),
    ]
    assert Position.objects.get(code="KABID").is_head


def test_positions_with_bad_requirements_are_refused() -> None:
    unit("U1")
    CompetencyFactory(code="TIK-05")
    rows = csv_rows(
        "code,title,unit_code,kind,requirements\n"
        "P1,Satu,U1,fungsional,TIK-05:6\n"
        "P2,Dua,U1,fungsional,TIK-99:2\n"
        "P3,Tiga,NOWHERE,fungsional,TIK-05:2\n"
        "P4,Empat,U1,astronot,TIK-05:2\n"
    )
    with pytest.raises(ImportRowsError) as raised:
        imports.positions_import(rows=rows)
    assert [e.field for e in raised.value.errors] == [
        "line 2: requirements",
        "line 3: requirements",
        "line 4: unit_code",
        "line 5: kind",
    ]
    assert not Position.objects.exists()


def test_assignments_are_applied_in_tmt_order_and_end_the_previous_post() -> None:
    person = EmployeeFactory()
    PositionFactory(code="A1")
    PositionFactory(code="A2")
    result = imports.assignments_import(
        rows=csv_rows(
            "nip,position_code,kind,start_date,decree_number,decree_date\n"
            f"{person.nip},A2,rotasi,01/07/2023,800/2/2023,2023-06-20\n"
            f"{person.nip},A1,initial,2019-01-02,800/1/2019,2018-12-20\n"
        )
    )
    assert result.created == 2
    history = list(
        Assignment.objects.filter(employee=person)
        .order_by("start_date")
        .values_list("position__code", "end_date")
    )
    assert history == [("A1", dt.date(2023, 6, 30)), ("A2", None)]


def test_an_overlapping_assignment_in_a_file_rolls_back_every_row() -> None:
    person = EmployeeFactory()
    PositionFactory(code="B1")
    PositionFactory(code="B2")
    assign(person, PositionFactory(code="B0"), dt.date(2024, 1, 1), kind="initial")
    rows = csv_rows(
        "nip,position_code,kind,start_date,end_date\n"
        f"{person.nip},B1,rotasi,2020-01-01,2024-06-30\n"  # runs into the 2024 post
        f"{person.nip},B2,rotasi,2025-01-01,\n"
        "199001012015031999,B1,rotasi,2025-01-01,\n"  # nobody has this NIP
    )
    with pytest.raises(ImportRowsError) as raised:
        imports.assignments_import(rows=rows)
    assert [e.field for e in raised.value.errors] == ["line 2: start_date", "line 4: nip"]
    assert Assignment.objects.filter(employee=person).count() == 1
    assert Assignment.objects.get(employee=person).end_date is None


def test_a_file_missing_required_columns_is_refused() -> None:
    with pytest.raises(ImportRowsError) as raised:
        imports.people_import(rows=csv_rows("nomor,nama\n1,Budi\n"))
    assert raised.value.errors[0].field == "header"


def test_other_file_types_are_refused() -> None:
    with pytest.raises(ImportRowsError):
        imports.read_rows(io.BytesIO(b"%PDF-1.7"), "people.pdf")


def test_the_reasons_are_in_the_users_language() -> None:
    with translation.override("id"), pytest.raises(ImportRowsError) as raised:
        imports.people_import(rows=csv_rows("nip,name\n12345,Budi\n"))
    assert raised.value.errors[0].field == "baris 2: nip"
    assert "18 digit" in str(raised.value.errors[0].message)


def xlsx_rows(*rows: list) -> list:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return imports.read_rows(buffer, "people.xlsx")


def test_people_import_checks_the_rank_against_the_type_the_nip_gives() -> None:
    pppk = make_nip(birth="19950615", appointed="202121")  # an NI PPPK of 2021
    rows = csv_rows(
        "nip,name,rank\n"
        f"{make_nip()},PNS dengan golongan PPPK,IX\n"  # line 2
        f"{make_nip(birth='19950615', appointed='202121')},PPPK dengan golongan PNS,III/a\n"
        f"{pppk},PPPK golongan XVII,XVII\n"  # line 4: fine
        "19950615 2018 2 1 1 001,PPPK sebelum 2019,IX\n"  # line 5
        "20000515 201706 1 001,CPNS umur 17,II/a\n"  # line 6
    )
    with pytest.raises(ImportRowsError) as raised:
        imports.people_import(rows=rows)
    assert [e.field for e in raised.value.errors] == [
        "line 2: rank",
        "line 3: rank",
        "line 5: nip",
        "line 6: nip",
    ]
    assert "is a PPPK grade" in str(raised.value.errors[0].message)
    assert "is a PNS golongan" in str(raised.value.errors[1].message)
    assert "2019" in str(raised.value.errors[2].message)
    assert "at least 18" in str(raised.value.errors[3].message)
    assert not Employee.objects.exists()
    result = imports.people_import(rows=csv_rows(f"nip,name,rank\n{pppk},Rina,XVII\n"))
    assert result.created == 1
    assert Employee.objects.get(nip=pppk).employment_type == "pppk"


def test_a_nip_a_spreadsheet_held_as_a_number_is_refused_with_how_to_fix_it() -> None:
    rows = xlsx_rows(
        ["nip", "name"],
        [1.98503122010121e17, "Dibulatkan Excel"],  # what Excel keeps of 198503122010121234
        [float(make_nip()), "Angka Lain"],  # a float never holds 18 digits exactly
    )
    with pytest.raises(ImportRowsError) as raised:
        imports.people_import(rows=rows)
    assert [e.field for e in raised.value.errors] == ["line 2: nip", "line 3: nip"]
    for error in raised.value.errors:
        assert "Format the NIP column as text" in str(error.message)
    assert not Employee.objects.exists()
    # The same number typed out or exported to CSV gets the same advice.
    with pytest.raises(ImportRowsError) as raised:
        imports.people_import(
            rows=csv_rows("nip;name\n198503122010121000;Dibulatkan\n1,98503E+17;Ilmiah\n")
        )
    assert [e.field for e in raised.value.errors] == ["line 2: nip", "line 3: nip"]
    for error in raised.value.errors:
        assert "Format the NIP column as text" in str(error.message)
    # An assignment file names the NIP cell the same way instead of looking the number up.
    PositionFactory(code="C1")
    with pytest.raises(ImportRowsError) as raised:
        imports.assignments_import(
            rows=xlsx_rows(
                ["nip", "position_code", "kind", "start_date"],
                [1.98503122010121e17, "C1", "rotasi", "2025-01-02"],
            )
        )
    assert [e.field for e in raised.value.errors] == ["line 2: nip"]
    assert "Format the NIP column as text" in str(raised.value.errors[0].message)
    # Formatted as text, the same column imports.
    text = make_nip()
    result = imports.people_import(rows=xlsx_rows(["nip", "name"], [text, "Tepat"]))
    assert result.created == 1 and Employee.objects.get().nip == text
