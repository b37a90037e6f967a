"""Bulk imports of people, positions and assignments from CSV or XLSX (services).

Every import is all-or-nothing: each row is checked and applied inside one transaction, in a
savepoint of its own so that one bad row does not hide the next; if any row is bad, the whole
transaction is rolled back and ``ImportRowsError`` names every bad row with its line number
(the header is line 1) and the reason. Nothing is written unless every row is good.

Columns (header names, case-insensitive; extra columns are ignored):

- people: ``nip, name`` and optionally ``rank, email, status``. Upsert by NIP; whether the
  person is PNS or PPPK comes from the NIP, and the rank must be one of that type's (a
  golongan such as III/a for a PNS, a grade I–XVII for a PPPK).
- positions: ``code, title, unit_code, kind`` and optionally ``functional_level, is_head,
  headcount, requirements``, where requirements reads ``TIK-05:3!; M.01:2`` (``!`` marks a
  critical requirement). Upsert by code; the listed requirements replace the old ones.
- assignments: ``nip, position_code, kind, start_date`` and optionally ``end_date,
  decree_number, decree_date``; dates as ``YYYY-MM-DD`` or ``DD/MM/YYYY``. Applied in TMT
  order per person, so a rotation ends the previous definitive assignment.

Limits, checked before anything is imported (``read_rows``): an XLSX file is a zip archive,
and one whose members would inflate past ``IMPORT_MAX_UNCOMPRESSED_BYTES`` in all, or past
``IMPORT_MAX_COMPRESSION_RATIO`` times their packed size, is refused before it is opened (a
zip bomb); a file with more than ``IMPORT_MAX_ROWS`` rows after the header (blank rows count)
is refused. openpyxl parses the sheets with defusedxml (no entity expansion). A file with more
than ``IMPORT_SYNC_MAX_ROWS`` rows is imported by a worker (``competencies.import_jobs``);
``progress`` reports the rows done to it.

A NIP has 18 digits and a spreadsheet keeps only 15 of a number: a NIP column that is not
formatted as text arrives rounded (``…121000``) and is refused with a message saying so.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from competencies import services
from competencies.exceptions import ImportRowsError
from competencies.models import (
    RANK_CHOICES,
    AssignmentKind,
    Competency,
    Employee,
    EmployeeStatus,
    OrgUnit,
    Position,
    PositionKind,
)
from competencies.validators import ROUNDED_NIP_MESSAGE
from core import dates
from core.exceptions import ApplicationError, FieldError

RANKS = {code for code, _label in RANK_CHOICES}
#: Told the rows done and the rows in all after each row (a worker shows it as progress).
Progress = Callable[[int, int], None]
TRUE_WORDS = {"1", "true", "ya", "yes", "y", "x"}


class NumberCell(str):
    """The text of a spreadsheet cell stored as a floating-point number. Its digits past the
    15th are not to be trusted: no NIP may come from one."""


class RowError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[FieldError] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


# --- Reading files --------------------------------------------------------------------------


def read_rows(upload: IO[bytes], filename: str) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV or XLSX file as ``(line, {column: text})``; the header is line 1."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        _check_archive(upload)
        return list(_xlsx_rows(upload))
    if name.endswith(".csv") or name.endswith(".txt"):
        return list(_csv_rows(upload))
    raise ImportRowsError(
        _("Only CSV and XLSX files can be imported."),
        errors=[FieldError("file", _("Use a .csv or .xlsx file."), "unsupported_file")],
    )


def _refused(message: str, code: str) -> ImportRowsError:
    return ImportRowsError(message, errors=[FieldError("file", message, code)])


def _check_archive(upload: IO[bytes]) -> None:
    """Refuse an XLSX whose zip members would inflate too far, from the sizes in the zip's
    directory alone. Python's zipfile never inflates a member past its listed size (it stops
    there and fails the CRC check), so the listed sizes bound what openpyxl can unpack."""
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise _unreadable() from None
    finally:
        upload.seek(0)
    if sum(member.file_size for member in members) > settings.IMPORT_MAX_UNCOMPRESSED_BYTES:
        raise _refused(
            _("The workbook unpacks to more than %(size)s MB; split it into smaller files.")
            % {"size": settings.IMPORT_MAX_UNCOMPRESSED_BYTES // 1_000_000},
            "file_too_large",
        )
    ratio = settings.IMPORT_MAX_COMPRESSION_RATIO
    if any(member.file_size > ratio * max(member.compress_size, 1) for member in members):
        raise _refused(
            _("The workbook is packed more tightly than a spreadsheet is (over %(ratio)s to 1).")
            % {"ratio": ratio},
            "suspicious_file",
        )


def _unreadable() -> ImportRowsError:
    return _refused(_("The file is not a readable XLSX workbook."), "unreadable_file")


def _check_line(line: int) -> None:
    """Refuse a file once it runs past ``IMPORT_MAX_ROWS`` rows after the header (blank rows
    count, so that a sheet cannot make the reader walk a million empty rows)."""
    if line > settings.IMPORT_MAX_ROWS + 1:
        raise _refused(
            _("The file has more than %(max)s rows after the header; split it into smaller files.")
            % {"max": settings.IMPORT_MAX_ROWS},
            "too_many_rows",
        )


def _normalise_header(cells: Iterable[Any]) -> list[str]:
    return [str(cell or "").strip().lower().replace(" ", "_") for cell in cells]


def _csv_rows(upload: IO[bytes]) -> Iterator[tuple[int, dict[str, str]]]:
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    sample = text[:4096]
    # Spreadsheets set to Indonesian write semicolons; sniff which one this file uses.
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = _normalise_header(next(reader, []))
    for line, cells in enumerate(reader, start=2):
        _check_line(line)
        if not any(cell.strip() for cell in cells):
            continue
        yield (
            line,
            {key: (cells[i].strip() if i < len(cells) else "") for i, key in enumerate(header)},
        )


def _xlsx_rows(upload: IO[bytes]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:
        raise _unreadable() from None
    sheet = workbook.worksheets[0]
    # The size the sheet declares is not trusted: rows are as long as the cells they hold.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    header = _normalise_header(next(rows, []))
    for line, cells in enumerate(rows, start=2):
        _check_line(line)
        if not any(cell not in (None, "") for cell in cells):
            continue
        values = {}
        for i, key in enumerate(header):
            cell = cells[i] if i < len(cells) else None
            if isinstance(cell, dt.datetime):
                cell = cell.date().isoformat()
            elif isinstance(cell, dt.date):
                cell = cell.isoformat()
            if isinstance(cell, float):
                values[key] = NumberCell(_float_text(cell))
            else:
                values[key] = "" if cell is None else str(cell).strip()
        yield line, values
    workbook.close()


def _float_text(number: float) -> str:
    """A float as the spreadsheet shows it: ``2.0`` is ``2``, and ``1.98503122010121e17`` is
    ``198503122010121000`` (the shortest decimal that is this float, not ``int(number)``, which
    would make up ``…120992``)."""
    if number.is_integer():
        return str(int(Decimal(repr(number))))
    return str(number)


# --- Cell parsing ---------------------------------------------------------------------------


def _required(row: dict[str, str], column: str) -> str:
    value = row.get(column, "").strip()
    if not value:
        raise RowError(column, _("This column is required."))
    return value


def _nip(row: dict[str, str]) -> str:
    """The NIP cell without spaces; refused when the spreadsheet held it as a number."""
    if isinstance(row.get("nip"), NumberCell):
        raise RowError("nip", str(ROUNDED_NIP_MESSAGE))
    return _required(row, "nip").replace(" ", "")


def _date(row: dict[str, str], column: str, required: bool = False) -> dt.date | None:
    value = row.get(column, "").strip()
    if not value:
        if required:
            raise RowError(column, _("This column is required."))
        return None
    try:
        return dates.parse_date(value, formats=dates.SPREADSHEET_DATE_FORMATS)
    except ValueError:
        raise RowError(
            column, _("%(value)s is not a date (use YYYY-MM-DD).") % {"value": value}
        ) from None


def _choice(
    row: dict[str, str], column: str, choices: Iterable[str], default: str | None = None
) -> str:
    value = row.get(column, "").strip().lower()
    if not value and default is not None:
        return default
    allowed = list(choices)
    if value not in allowed:
        raise RowError(
            column,
            _("%(value)s is not one of: %(allowed)s.")
            % {"value": value or "—", "allowed": ", ".join(allowed)},
        )
    return value


def _application_error(error: ApplicationError, default_column: str) -> RowError:
    if error.errors:
        first = error.errors[0]
        return RowError(
            first.field if first.field != "__all__" else default_column, str(first.message)
        )
    return RowError(default_column, str(error))


# --- The import loop ------------------------------------------------------------------------


def _run(
    rows: list[tuple[int, dict[str, str]]],
    apply_row: Callable[[int, dict[str, str], ImportResult], None],
    *,
    required_columns: tuple[str, ...],
    progress: Progress | None = None,
) -> ImportResult:
    result = ImportResult()
    bad: list[tuple[int, FieldError]] = []
    if not rows:
        raise ImportRowsError(
            _("The file has no data rows."),
            errors=[FieldError("file", _("The file has no data rows."), "empty")],
        )
    missing = [c for c in required_columns if c not in rows[0][1]]
    if missing:
        message = _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}
        raise ImportRowsError(message, errors=[FieldError("header", message, "missing_columns")])
    with transaction.atomic():
        for done, (line, row) in enumerate(rows, start=1):
            try:
                with transaction.atomic():
                    apply_row(line, row, result)
            except RowError as error:
                where = _("line %(line)s: %(column)s") % {"line": line, "column": error.column}
                bad.append((line, FieldError(where, error.message, "invalid_row")))
            if progress is not None:
                progress(done, len(rows))
        if bad:
            result.errors = [error for _line, error in sorted(bad, key=lambda item: item[0])]
            raise ImportRowsError(
                _("Nothing was imported: %(count)s rows are not valid.") % {"count": len(bad)},
                errors=result.errors,
            )
    return result


@transaction.atomic
def people_import(
    *, rows: list[tuple[int, dict[str, str]]], progress: Progress | None = None
) -> ImportResult:
    seen: dict[str, int] = {}
    existing = {
        e.nip: e
        for e in Employee.objects.filter(
            nip__in=[r.get("nip", "").replace(" ", "") for _l, r in rows]
        )
    }

    def apply_row(line: int, row: dict[str, str], result: ImportResult) -> None:
        try:
            nip = services.nip_check(_nip(row))
        except ApplicationError as error:
            raise _application_error(error, "nip") from None
        if nip in seen:
            raise RowError(
                "nip", _("The same NIP is already on line %(line)s.") % {"line": seen[nip]}
            )
        seen[nip] = line
        name = _required(row, "name")
        rank = row.get("rank", "").strip()
        if rank and rank not in RANKS:
            raise RowError(
                "rank", _("%(value)s is not a known rank (golongan), e.g. III/a.") % {"value": rank}
            )
        status = _choice(row, "status", EmployeeStatus.values, default=EmployeeStatus.ACTIVE)
        email = row.get("email", "").strip()
        try:
            employee = existing.get(nip)
            if employee is None:
                services.employee_create(nip=nip, name=name, rank=rank, email=email, status=status)
                result.created += 1
            else:
                before = employee.updated_at
                employee = services.employee_update(
                    employee=employee,
                    data={"name": name, "rank": rank, "email": email, "status": status},
                )
                if employee.updated_at != before:
                    result.updated += 1
                else:
                    result.unchanged += 1
        except ApplicationError as error:
            raise _application_error(error, "nip") from None

    return _run(rows, apply_row, required_columns=("nip", "name"), progress=progress)


def _parse_requirements(
    text: str, competencies: dict[str, Competency]
) -> list[tuple[Competency, int, bool]]:
    parsed: list[tuple[Competency, int, bool]] = []
    seen = set()
    for part in filter(None, (p.strip() for p in text.replace(",", ";").split(";"))):
        critical = part.endswith("!")
        code, _sep, level_text = part.rstrip("!").partition(":")
        code = code.strip().upper()
        if code not in competencies:
            raise RowError("requirements", _("Unknown competency code: %(code)s") % {"code": code})
        if code in seen:
            raise RowError("requirements", _("%(code)s is listed twice.") % {"code": code})
        seen.add(code)
        try:
            level = int(level_text)
        except ValueError:
            level = 0
        if not 1 <= level <= 5:
            raise RowError(
                "requirements", _("The level of %(code)s must be 1 to 5.") % {"code": code}
            )
        parsed.append((competencies[code], level, critical))
    return parsed


@transaction.atomic
def positions_import(
    *, rows: list[tuple[int, dict[str, str]]], user: Any = None, progress: Progress | None = None
) -> ImportResult:
    competencies = {c.code: c for c in Competency.objects.all()}
    units = {u.code: u for u in OrgUnit.objects.all()}
    seen: dict[str, int] = {}

    def apply_row(line: int, row: dict[str, str], result: ImportResult) -> None:
        code = _required(row, "code").upper()
        if code in seen:
            raise RowError(
                "code",
                _("The same position code is already on line %(line)s.") % {"line": seen[code]},
            )
        seen[code] = line
        title = _required(row, "title")
        unit_code = _required(row, "unit_code").upper()
        if unit_code not in units:
            raise RowError(
                "unit_code", _("There is no unit with the code %(code)s.") % {"code": unit_code}
            )
        kind = _choice(row, "kind", PositionKind.values)
        is_head = row.get("is_head", "").strip().lower() in TRUE_WORDS
        try:
            headcount = int(row.get("headcount", "") or 1)
        except ValueError:
            raise RowError("headcount", _("The headcount must be a whole number.")) from None
        if headcount < 1:
            raise RowError("headcount", _("The headcount must be at least 1."))
        requirements = _parse_requirements(row.get("requirements", ""), competencies)
        position = Position.objects.filter(code=code).first()
        try:
            if position is None:
                services.position_create(
                    code=code,
                    title=title,
                    org_unit=units[unit_code],
                    kind=kind,
                    functional_level=row.get("functional_level", "").strip(),
                    is_head=is_head,
                    headcount=headcount,
                    requirements=requirements,
                    user=user,
                    reason=_("Imported from a file"),
                )
                result.created += 1
            else:
                changed = services.position_update(
                    position=position,
                    data={
                        "title": title,
                        "org_unit": units[unit_code],
                        "kind": kind,
                        "functional_level": row.get("functional_level", "").strip(),
                        "is_head": is_head,
                        "headcount": headcount,
                    },
                    requirements=requirements,
                    user=user,
                    reason=_("Imported from a file"),
                )
                if changed:
                    result.updated += 1
                else:
                    result.unchanged += 1
        except ApplicationError as error:
            raise _application_error(error, "code") from None
        except Exception as error:
            if "position_one_head_per_unit" in str(error):
                raise RowError(
                    "is_head",
                    _("The unit %(code)s already has a head position.") % {"code": unit_code},
                ) from None
            raise

    return _run(
        rows,
        apply_row,
        required_columns=("code", "title", "unit_code", "kind"),
        progress=progress,
    )


@transaction.atomic
def assignments_import(
    *, rows: list[tuple[int, dict[str, str]]], user: Any = None, progress: Progress | None = None
) -> ImportResult:
    employees = {
        e.nip: e
        for e in Employee.objects.filter(
            nip__in=[r.get("nip", "").replace(" ", "") for _l, r in rows]
        )
    }
    positions = {
        p.code: p
        for p in Position.objects.filter(
            code__in=[r.get("position_code", "").upper() for _l, r in rows]
        )
    }

    def sort_key(item: tuple[int, dict[str, str]]) -> tuple[str, str, int]:
        line, row = item
        try:
            start = _date(row, "start_date")
        except RowError:
            start = None
        return (row.get("nip", ""), start.isoformat() if start else "", line)

    def apply_row(line: int, row: dict[str, str], result: ImportResult) -> None:
        nip = _nip(row)
        employee = employees.get(nip)
        if employee is None:
            raise RowError("nip", _("No employee has this NIP; import the person first."))
        code = _required(row, "position_code").upper()
        position = positions.get(code)
        if position is None:
            raise RowError(
                "position_code", _("There is no position with the code %(code)s.") % {"code": code}
            )
        kind = _choice(row, "kind", AssignmentKind.values)
        start = _date(row, "start_date", required=True)
        end = _date(row, "end_date")
        decree_date = _date(row, "decree_date")
        assert start is not None
        try:
            services.assignment_create(
                employee=employee,
                position=position,
                kind=kind,
                start_date=start,
                end_date=end,
                decree_number=row.get("decree_number", "").strip(),
                decree_date=decree_date,
                user=user,
                reason=_("Imported from a file"),
            )
        except ApplicationError as error:
            raise _application_error(error, "start_date") from None
        result.created += 1

    return _run(
        sorted(rows, key=sort_key),
        apply_row,
        required_columns=("nip", "position_code", "kind", "start_date"),
        progress=progress,
    )
