"""Imports refuse what would exhaust the server before reading it: a zip bomb disguised as an
XLSX, a workbook that unpacks too large, a sheet that lies about its size, too many rows."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from competencies import imports
from competencies.exceptions import ImportRowsError
from tests.competencies.factories import make_nip


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def refusal(content: bytes, filename: str = "people.xlsx") -> tuple[str, str]:
    with pytest.raises(ImportRowsError) as raised:
        imports.read_rows(io.BytesIO(content), filename)
    [error] = raised.value.errors
    return error.code, str(error.message)


def never_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(imports, "load_workbook", fail)


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(monkeypatch) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        bomb.writestr("xl/worksheets/sheet1.xml", b"\0" * 20_000_000)  # packs about 1000:1
    never_opened(monkeypatch)
    code, message = refusal(archive.getvalue())
    assert code == "suspicious_file" and "100 to 1" in message


def test_a_workbook_that_unpacks_too_large_is_refused(settings, monkeypatch) -> None:
    content = workbook([["nip", "name"]] + [[make_nip(), f"Pegawai {n}"] for n in range(2000)])
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 100_000
    never_opened(monkeypatch)
    assert refusal(content)[0] == "file_too_large"
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 100_000_000
    monkeypatch.undo()
    assert len(imports.read_rows(io.BytesIO(content), "people.xlsx")) == 2000


def test_a_file_that_is_not_a_zip_is_unreadable() -> None:
    assert refusal(b"nip,name\n")[0] == "unreadable_file"


def test_more_rows_than_the_cap_are_refused_with_the_cap_named(settings) -> None:
    settings.IMPORT_MAX_ROWS = 3
    good = "nip,name\n" + "".join(f"{make_nip()},Pegawai {n}\n" for n in range(3))
    assert len(imports.read_rows(io.BytesIO(good.encode()), "people.csv")) == 3
    code, message = refusal((good + f"{make_nip()},Satu Lagi\n").encode(), "people.csv")
    assert code == "too_many_rows" and "more than 3 rows" in message
    sheet = [["nip", "name"]] + [[make_nip(), f"Pegawai {n}"] for n in range(4)]
    assert refusal(workbook(sheet))[0] == "too_many_rows"


def test_blank_rows_count_so_a_far_away_cell_cannot_make_the_reader_walk_the_sheet(
    settings,
) -> None:
    settings.IMPORT_MAX_ROWS = 10
    book = Workbook()
    book.active.append(["nip", "name"])
    book.active.cell(row=1_000_000, column=1, value="jauh di bawah")
    buffer = io.BytesIO()
    book.save(buffer)
    assert refusal(buffer.getvalue())[0] == "too_many_rows"


def test_a_sheet_that_declares_itself_huge_is_read_at_its_real_size() -> None:
    """A read-only openpyxl sheet pads every row to the width the file declares: 16,384
    columns here, for a sheet of two."""
    content = workbook([["nip", "name"], [make_nip(), "Dewi Lestari"]])
    source, patched = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD2"', data)
                assert count == 1
            target.writestr(member, data)
    [(line, row)] = imports.read_rows(io.BytesIO(patched.getvalue()), "people.xlsx")
    assert line == 2 and list(row) == ["nip", "name"]


def test_openpyxl_parses_with_defusedxml() -> None:
    """defusedxml is a declared dependency: openpyxl uses it when it is installed, and then
    refuses entity expansion (the billion-laughs bomb) in every sheet it reads."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML
