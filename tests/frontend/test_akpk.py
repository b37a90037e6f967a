"""The AKPK draft: the table, and the CSV and XLSX files (``competencies.exports``)."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.test import Client
from openpyxl import load_workbook

from competencies.exports import AKPK_HEADERS, akpk_csv, akpk_xlsx
from competencies.selectors import AkpkRow, akpk_rows
from tests.frontend.conftest import Demo

EXPECTED_HEADERS = [
    "Nama",
    "Jabatan",
    "Unit",
    "Kode kompetensi",
    "Kompetensi",
    "Jenis",
    "Level dibutuhkan",
    "Level saat ini",
    "Kesenjangan",
    "Kritis",
    "Pengembangan yang disarankan",
]


def body(response) -> bytes:
    """A download's bytes: the files are streamed."""
    assert response.streaming, "a download is streamed, never held whole in memory"
    return b"".join(response.streaming_content)


def row(**overrides) -> AkpkRow:
    values = {
        "employee_id": 1,
        "name": "Ayu Anggraini",
        "position_title": "Pranata Komputer Ahli Pertama",
        "org_unit_name": "Tim Aplikasi e-Government",
        "competency_id": 5,
        "code": "TIK-05",
        "competency_name": "Pengelolaan Basis Data",
        "kind": "teknis",
        "required_level": 3,
        "proficiency": 1,
        "gap": 2,
        "is_critical": True,
        "development": "Pelatihan (klasikal atau blended)",
    }
    return AkpkRow(**{**values, **overrides})


# --- The pure functions --------------------------------------------------------------------


def test_the_csv_has_the_indonesian_header_and_one_line_per_gap() -> None:
    text = akpk_csv([row(), row(name="Budi", kind="manajerial", is_critical=False)], year=2026)
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == EXPECTED_HEADERS == list(AKPK_HEADERS)
    assert lines[1] == [
        "Ayu Anggraini",
        "Pranata Komputer Ahli Pertama",
        "Tim Aplikasi e-Government",
        "TIK-05",
        "Pengelolaan Basis Data",
        "Teknis",
        "3",
        "1",
        "2",
        "Ya",
        "Pelatihan (klasikal atau blended)",
    ]
    assert lines[2][0] == "Budi" and lines[2][5] == "Manajerial" and lines[2][9] == "Tidak"
    assert len(lines) == 3


def test_the_xlsx_has_a_sheet_for_the_year_with_numbers_as_numbers() -> None:
    data = akpk_xlsx([row(), row(name="Budi", gap=1, proficiency=2)], year=2027)
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["AKPK 2027"]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == EXPECTED_HEADERS
    assert values[1][0] == "Ayu Anggraini" and values[1][6:9] == (3, 1, 2)
    assert values[2][0] == "Budi" and values[2][8] == 1
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:K3"


def test_a_cell_that_looks_like_a_formula_stays_text() -> None:
    evil = row(name='=HYPERLINK("http://evil")', position_title="+1", org_unit_name="@x")
    line = list(csv.reader(io.StringIO(akpk_csv([evil], year=2026))))[1]
    assert line[:3] == ['\'=HYPERLINK("http://evil")', "'+1", "'@x"]
    sheet = load_workbook(io.BytesIO(akpk_xlsx([evil], year=2026))).active
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value.startswith("'=")


def test_an_empty_draft_is_just_the_header() -> None:
    assert akpk_csv([], year=2026).splitlines() == [",".join(EXPECTED_HEADERS)]
    sheet = load_workbook(io.BytesIO(akpk_xlsx([], year=2026))).active
    assert sheet.max_row == 1


@pytest.mark.parametrize("year", [0, 26, "2026", 20260])
def test_the_year_must_be_a_four_digit_year(year) -> None:
    with pytest.raises(ValueError, match="four-digit year"):
        akpk_csv([], year=year)
    with pytest.raises(ValueError, match="four-digit year"):
        akpk_xlsx([], year=year)


# --- Through the web UI --------------------------------------------------------------------


def test_the_akpk_page_lists_every_gap_of_the_unit(kepala: Client, demo: Demo) -> None:
    response = kepala.get("/dashboard/akpk/")
    assert response.status_code == 200
    html = response.content.decode()
    rows = akpk_rows(org_unit=demo.kepala_unit, year=response.context["year"])
    assert rows and len(rows) <= 100
    assert html.count('<th scope="row">') == len(rows)
    assert demo.kepala.name in html
    assert 'href="/dashboard/akpk.csv?unit=' in html and 'href="/dashboard/akpk.xlsx?unit=' in html


def test_the_akpk_year_can_be_chosen_and_a_wrong_one_is_explained(
    kepala: Client, demo: Demo
) -> None:
    year = kepala.get("/dashboard/akpk/").context["year"]
    assert kepala.get(f"/dashboard/akpk/?year={year + 1}").context["year"] == year + 1
    response = kepala.get("/dashboard/akpk/?year=1999", HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["year"] == year
    assert "Choose one of the years in the list." in response.content.decode()


def xlsx_parts(data: bytes) -> dict[str, bytes]:
    """The parts of an XLSX file but its document properties (which carry the time written)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"
        }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_dashboard_and_the_api_serve_the_same_file(
    kepala: Client, demo: Demo, fmt: str
) -> None:
    """One builder (``competencies.exports.akpk_file``) behind both downloads: the same unit
    and year give the same file, in Indonesian even when the site is read in English."""
    unit = demo.sub_unit.pk
    page = kepala.get(f"/dashboard/akpk.{fmt}?unit={unit}&year=2026", HTTP_ACCEPT_LANGUAGE="en")
    api = kepala.get(
        "/api/v1/akpk/",
        {"org_unit": unit, "year": 2026, "format": fmt},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == api.status_code == 200
    for header in ("Content-Type", "Content-Disposition"):
        assert page[header] == api[header]
    if fmt == "csv":
        page_body, api_body = body(page), body(api)
        assert page_body.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
        assert page_body == api_body
        assert page_body.count(b"\r\n") > 1  # the header and at least one gap
    else:
        page_body, api_body = body(page), body(api)
        assert xlsx_parts(page_body) == xlsx_parts(api_body)
        assert load_workbook(io.BytesIO(page_body)).active.max_row > 1


def test_the_csv_download_is_the_units_akpk_in_indonesian(kepala: Client, demo: Demo) -> None:
    response = kepala.get("/dashboard/akpk.csv?year=2026", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == 'attachment; filename="akpk-diskominfo-aptika-2026.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    text = body(response).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == EXPECTED_HEADERS
    expected = akpk_rows(org_unit=demo.kepala_unit, year=2026)
    assert len(lines) == len(expected) + 1
    assert {line[0] for line in lines[1:]} == {r.name for r in expected}
    # The suggested development is in Indonesian even when the page is in English.
    assert {line[10] for line in lines[1:]} <= {
        "Pelatihan (klasikal atau blended)",
        "Kursus e-learning",
        "Coaching atau mentoring",
    }


def test_the_xlsx_download_opens_with_the_same_rows(kepala: Client, demo: Demo) -> None:
    response = kepala.get("/dashboard/akpk.xlsx?year=2026")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('akpk-diskominfo-aptika-2026.xlsx"')
    sheet = load_workbook(io.BytesIO(body(response)))["AKPK 2026"]
    values = list(sheet.iter_rows(values_only=True))
    expected = akpk_rows(org_unit=demo.kepala_unit, year=2026)
    assert list(values[0]) == EXPECTED_HEADERS
    assert len(values) == len(expected) + 1
    first = expected[0]
    assert values[1][:4] == (first.name, first.position_title, first.org_unit_name, first.code)
    assert values[1][6:9] == (first.required_level, first.proficiency, first.gap)


def test_a_sub_unit_downloads_only_its_own_people(kepala: Client, demo: Demo) -> None:
    response = kepala.get(f"/dashboard/akpk.csv?unit={demo.sub_unit.pk}&year=2026")
    lines = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert {line[2] for line in lines[1:]} == {demo.sub_unit.name}


def test_downloads_follow_the_same_access_rules(
    kepala: Client, pegawai: Client, demo: Demo
) -> None:
    assert kepala.get(f"/dashboard/akpk.csv?unit={demo.other_unit.pk}").status_code == 403
    assert kepala.get(f"/dashboard/akpk.xlsx?unit={demo.other_unit.pk}").status_code == 403
    assert pegawai.get("/dashboard/akpk.csv").status_code == 403


def test_an_akpk_longer_than_a_sheet_goes_on_in_the_next(monkeypatch) -> None:
    """A city's AKPK can pass Excel's 1,048,576 rows a sheet: no row may be lost."""
    from competencies import exports

    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 3)  # a header and two rows a sheet
    names = [f"Pegawai {n}" for n in range(5)]
    workbook = load_workbook(io.BytesIO(akpk_xlsx([row(name=n) for n in names], year=2026)))
    assert workbook.sheetnames == ["AKPK 2026", "AKPK 2026 (2)", "AKPK 2026 (3)"]
    found = []
    for sheet in workbook.worksheets:
        values = list(sheet.iter_rows(values_only=True))
        assert list(values[0]) == EXPECTED_HEADERS and sheet.freeze_panes == "A2"
        found += [line[0] for line in values[1:]]
    assert found == names
