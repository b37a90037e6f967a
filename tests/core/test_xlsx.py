"""``core.xlsx``: the streamed workbook, read back by an independent reader (openpyxl)."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.xlsx import CHUNK_BYTES, MAX_TEXT, column_letter, xlsx_chunks

HEADERS = ("Nama", "Level", "Catatan")


def book(rows, **kwargs):
    data = b"".join(
        xlsx_chunks(rows, headers=HEADERS, sheet_name="AKPK 2026", widths=(20, 8, 30), **kwargs)
    )
    return data, load_workbook(io.BytesIO(data))


def test_values_types_header_and_layout_survive_a_round_trip() -> None:
    _data, workbook = book(
        [
            ["Agus Santoso", 3, "Keamanan <informasi> & sandi"],
            ["Sri Wulandari", Decimal("2.5"), None],
            ["  spasi di tepi ", True, 1.25],
        ],
        title="Draf AKPK 2026",
    )
    sheet = workbook["AKPK 2026"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        list(HEADERS),
        ["Agus Santoso", 3, "Keamanan <informasi> & sandi"],
        ["Sri Wulandari", 2.5, None],
        ["  spasi di tepi ", True, 1.25],
    ]
    assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb == "FF0B5D7A"
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C4"
    assert sheet.column_dimensions["A"].width == 20
    assert sheet.column_dimensions["C"].width == 30
    assert workbook.properties.title == "Draf AKPK 2026"
    assert workbook.properties.creator == "Tangkas"


def test_text_xml_cannot_hold_is_written_as_excel_reads_it() -> None:
    control = "tab\there, bell\x07, form\x0cfeed"
    literal = "a literal _x0041_ escape"
    data, workbook = book([[control, 1, literal], ["x" * (MAX_TEXT + 10), 2, "=1+1"]])
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    # Excel's (and XlsxWriter's) escape of characters XML 1.0 cannot hold, and of text that
    # looks like that escape; a tab is plain XML.
    assert "<t>tab\there, bell_x0007_, form_x000C_feed</t>" in xml
    assert "<t>a literal _x005F_x0041_ escape</t>" in xml
    sheet = workbook.active
    assert len(sheet["A3"].value) == MAX_TEXT
    # Text stays text: making formulas safe is the caller's (formula_safe), never a formula here.
    assert sheet["C3"].data_type == "s" and sheet["C3"].value == "=1+1"


def test_a_full_sheet_goes_on_in_a_new_one_each_with_its_header_and_filter() -> None:
    rows = [[f"P{n}", n, ""] for n in range(7)]
    _data, workbook = book(rows, max_rows=3)  # a header and two rows a sheet
    assert workbook.sheetnames == [
        "AKPK 2026",
        "AKPK 2026 (2)",
        "AKPK 2026 (3)",
        "AKPK 2026 (4)",
    ]
    seen = []
    for sheet in workbook.worksheets:
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        assert values[0] == list(HEADERS)
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:C{len(values)}"
        seen += [row[0] for row in values[1:]]
    assert seen == [f"P{n}" for n in range(7)]


def test_exactly_full_sheets_make_no_empty_sheet_and_no_rows_make_a_header() -> None:
    _data, workbook = book([["a", 1, ""], ["b", 2, ""]], max_rows=3)
    assert workbook.sheetnames == ["AKPK 2026"]
    _data, workbook = book([])
    assert [[c.value for c in row] for row in workbook.active.iter_rows()] == [list(HEADERS)]


def test_blocks_come_out_while_the_rows_are_read_and_form_a_valid_zip() -> None:
    produced = []

    def rows():
        for n in range(20_000):
            produced.append(n)
            yield [f"Pegawai dengan nama panjang {n}", n, f"catatan {n * 7919}"]

    chunks = xlsx_chunks(rows(), headers=HEADERS, sheet_name="S", compresslevel=1)
    first = next(chunks)
    assert len(first) >= CHUNK_BYTES // 2
    assert len(produced) < 20_000  # sent before the last row was read
    data = first + b"".join(chunks)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    assert "[Content_Types].xml" in archive.namelist()


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ")])
def test_column_letters(index: int, letters: str) -> None:
    assert column_letter(index) == letters
