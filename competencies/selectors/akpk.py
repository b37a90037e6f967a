"""The AKPK rows (*Analisis Kebutuhan Pengembangan Kompetensi*, PP 11/2017 Pasal 205–207):
each competency of a unit's people below what their post requires, with the development it
calls for. The files built from these rows live in ``competencies.exports``.

One statement (``AKPK_SQL``) gives them in the form's order: by unit (the tree's path), the
head's post first, post title, name. Nothing holds a whole city in memory: the files read it
through a server-side cursor (``akpk_iter``), and the API pages it by people (``akpk_page``,
a keyset cursor on that order), so a page costs the same wherever it falls."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection, connections
from django.utils.translation import gettext_lazy as _

from competencies.models import OrgUnit
from competencies.selectors._sql import (
    DEFINITIVE_HOLDING,
    IN_UNIT_SUBTREE,
    PROFICIENCY_OF_HOLDERS,
    params,
)
from core import dates
from core.db_router import read_alias


class AkpkRow(NamedTuple):
    """One row of the AKPK form: a person's competency below the requirement of their
    position, the gap, and the suggested development. (A named tuple: a city's AKPK makes
    millions of them, and a frozen dataclass costs several times more to build.)"""

    employee_id: int
    name: str
    position_title: str
    org_unit_name: str
    competency_id: int
    code: str
    competency_name: str
    kind: str
    required_level: int
    proficiency: int
    gap: int
    is_critical: bool
    development: str


def suggested_development(
    *, gap: int, kind: str, labels: tuple[str, str, str] | None = None
) -> str:
    """The kind of development a gap calls for (Peraturan LAN 10/2018: klasikal/nonklasikal),
    in the active language (``labels``: ``_development_labels()`` already translated, for a
    caller that asks for thousands of rows)."""
    training, elearning, coaching = labels or _development_labels()
    if gap >= 2:
        return training
    if kind == "teknis":
        return elearning
    return coaching


def _development_labels() -> tuple[str, str, str]:
    """The three suggestions in the active language (a translation lookup costs more than the
    rest of a row's work, so a page looks them up once)."""
    return (
        str(_("Training (klasikal or blended)")),
        str(_("E-learning course")),
        str(_("Coaching or mentoring")),
    )


#: The order of the AKPK form, as a key a page can resume after: unit path, the head's post
#: first, post title, name, then ids to break ties.
AKPK_KEY = ("path", "not_head", "title", "name", "employee_id", "position_id")

#: The AKPK rows of the definitive holders on ``%(day)s`` of the posts in the subtree of
#: ``%(unit)s``: each requirement above the holder's counted level. ``%(after)s`` (an
#: ``AKPK_KEY`` row, or NULL) and ``%(people)s`` (a number, or NULL for all) page the
#: holders; every holder of the page comes back at least once (with NULL requirement columns
#: when they have no gap), so a page always tells where the next one starts.
#: The next ``%(people)s`` definitive holdings on ``%(day)s`` in the subtree of ``%(unit)s``
#: after ``%(after)s`` (an ``AKPK_KEY`` row, or NULL for the first), in ``AKPK_KEY``'s order,
#: by a row comparison and a limit: the page of people that the AKPK and the unit matrix
#: both answer (parameters from ``keyset_params``).
HOLDINGS_PAGE = f"""
        SELECT u.path, NOT p.is_head AS not_head, p.title, e.name, a.employee_id,
               a.position_id, p.org_unit_id,
               coalesce(nullif(u.short_name, ''), u.name) AS unit_name
        FROM competencies_assignment a
        JOIN competencies_position p ON p.id = a.position_id
        JOIN competencies_orgunit u ON u.id = p.org_unit_id
        JOIN competencies_employee e ON e.id = a.employee_id
        WHERE {IN_UNIT_SUBTREE}
          AND {DEFINITIVE_HOLDING}
          AND (%(after)s::text IS NULL
               OR (u.path, NOT p.is_head, p.title, e.name, a.employee_id, a.position_id)
                  > (%(after_path)s, %(after_not_head)s, %(after_title)s, %(after_name)s,
                     %(after_employee_id)s, %(after_position_id)s))
        ORDER BY u.path, NOT p.is_head, p.title, e.name, a.employee_id, a.position_id
        LIMIT %(people)s
"""


def keyset_params(after: tuple | None, people: int | None) -> dict[str, Any]:
    """``HOLDINGS_PAGE``'s paging parameters: where to start (an ``AKPK_KEY`` row, or None)
    and how many people (None: all)."""
    keys = dict(zip(AKPK_KEY, after or (None,) * len(AKPK_KEY), strict=True))
    return {
        "people": people,
        "after": None if after is None else "after",
        **{f"after_{name}": value for name, value in keys.items()},
    }


AKPK_SQL = f"""
    WITH page AS ({HOLDINGS_PAGE}),
    holders AS (SELECT employee_id FROM page),
    prof AS ({PROFICIENCY_OF_HOLDERS}),
    gaps AS (
        SELECT r.position_id, prof_e.employee_id, c.id AS competency_id, c.code,
               c.name_id, c.kind, r.required_level, coalesce(prof.level, 0) AS proficiency,
               r.required_level - coalesce(prof.level, 0) AS gap, r.is_critical
        FROM (SELECT DISTINCT employee_id, position_id FROM page) prof_e
        JOIN competencies_positionrequirement r ON r.position_id = prof_e.position_id
        JOIN competencies_competency c ON c.id = r.competency_id
        LEFT JOIN prof ON prof.employee_id = prof_e.employee_id
                      AND prof.competency_id = r.competency_id
        WHERE r.required_level > coalesce(prof.level, 0)
    )
    SELECT pg.path, pg.not_head, pg.title, pg.name, pg.employee_id, pg.position_id,
           pg.unit_name, g.competency_id, g.code, g.name_id, g.kind, g.required_level,
           g.proficiency, g.gap, g.is_critical
    FROM page pg
    LEFT JOIN gaps g ON g.employee_id = pg.employee_id AND g.position_id = pg.position_id
    ORDER BY pg.path, pg.not_head, pg.title, pg.name, pg.employee_id, pg.position_id, g.code
"""


def _as_of(year: int, as_of: dt.date | None) -> dt.date:
    """AKPK is prepared before the year it plans for: the gaps of today for the current year,
    else of 1 January of the planning year."""
    if as_of is not None:
        return as_of
    today = dates.today()
    return today if today.year == year else dt.date(year, 1, 1)


def _parameters(
    *, org_unit: OrgUnit, year: int, as_of: dt.date | None, after: tuple | None, people: int | None
) -> dict[str, Any]:
    return params(unit=org_unit.pk, day=_as_of(year, as_of), **keyset_params(after, people))


def _row(record: tuple, labels: tuple[str, str, str]) -> AkpkRow:
    (
        _path,
        _not_head,
        title,
        name,
        employee_id,
        _position_id,
        unit_name,
        competency_id,
        code,
        competency_name,
        kind,
        required,
        proficiency,
        gap,
        critical,
    ) = record
    return AkpkRow(
        employee_id=employee_id,
        name=name,
        position_title=title,
        org_unit_name=unit_name,
        competency_id=competency_id,
        code=code,
        competency_name=competency_name,
        kind=kind,
        required_level=required,
        proficiency=proficiency,
        gap=gap,
        is_critical=critical,
        development=suggested_development(gap=gap, kind=kind, labels=labels),
    )


def akpk_iter(
    *,
    org_unit: OrgUnit,
    year: int,
    as_of: dt.date | None = None,
    chunk: int = 2000,
    using: str | None = None,
) -> Iterator[AkpkRow]:
    """The AKPK rows of a unit's subtree for a planning year, read ``chunk`` at a time through
    a server-side cursor (one statement; memory stays flat whatever the unit). Outside a
    transaction the cursor is held (``WITH HOLD``) and PostgreSQL keeps the result for it;
    the streamed files iterate it inside one, on the database alias ``using`` (by default
    ``core.db_router.read_alias()`` when the rows are first read)."""
    parameters = _parameters(org_unit=org_unit, year=year, as_of=as_of, after=None, people=None)
    with connections[using or read_alias()].chunked_cursor() as cursor:
        cursor.itersize = chunk
        cursor.execute(AKPK_SQL, parameters)
        labels = _development_labels()
        for record in cursor:
            if record[7] is not None:  # a holder without a gap has no row
                yield _row(record, labels)


def akpk_rows(*, org_unit: OrgUnit, year: int, as_of: dt.date | None = None) -> list[AkpkRow]:
    """The AKPK rows for a unit's subtree and a planning year, all at once (a unit's page)."""
    return list(akpk_iter(org_unit=org_unit, year=year, as_of=as_of))


@dataclass(frozen=True)
class AkpkPage:
    #: The rows as plain dictionaries, in the API's shape (``AkpkRowOut``): a page of 1,000
    #: people holds tens of thousands of rows, and building them straight from the records
    #: costs half of going through ``AkpkRow`` first.
    rows: list[dict[str, Any]]
    #: Where the next page starts (an ``AKPK_KEY`` row), or None after the last holder.
    next_after: tuple | None


def _page_rows(records: list[tuple], labels: tuple[str, str, str]) -> list[dict[str, Any]]:
    """``_row``'s fields, as dictionaries under the API's names, and
    ``suggested_development``'s rule."""
    training, elearning, coaching = labels
    return [
        {
            "employee": employee_id,
            "name": name,
            "position": title,
            "org_unit": unit_name,
            "competency": code,
            "competency_name": competency_name,
            "kind": kind,
            "required_level": required,
            "proficiency": proficiency,
            "gap": gap,
            "is_critical": critical,
            "development": training if gap >= 2 else elearning if kind == "teknis" else coaching,
        }
        for (
            _path,
            _not_head,
            title,
            name,
            employee_id,
            _position_id,
            unit_name,
            competency_id,
            code,
            competency_name,
            kind,
            required,
            proficiency,
            gap,
            critical,
        ) in records
        if competency_id is not None  # a holder without a gap has no row
    ]


def akpk_page(
    *,
    org_unit: OrgUnit,
    year: int,
    people: int,
    after: tuple | None = None,
    as_of: dt.date | None = None,
) -> AkpkPage:
    """The AKPK rows of the next ``people`` holders after ``after`` (one statement)."""
    parameters = _parameters(org_unit=org_unit, year=year, as_of=as_of, after=after, people=people)
    with connection.cursor() as cursor:
        cursor.execute(AKPK_SQL, parameters)
        records = cursor.fetchall()
    holders = {record[4:6] for record in records}
    next_after = tuple(records[-1][:6]) if records and len(holders) == people else None
    labels = _development_labels()
    return AkpkPage(_page_rows(records, labels), next_after)


def akpk_key_of(*, employee_id: int, position_id: int) -> tuple | None:
    """The ``AKPK_KEY`` of a holder (what a page resumes after), or None if there is no such
    person or post. Cursors carry the two ids only: a name never goes into a URL."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT u.path, NOT p.is_head, p.title, e.name, e.id, p.id
            FROM competencies_position p
            JOIN competencies_orgunit u ON u.id = p.org_unit_id
            CROSS JOIN competencies_employee e
            WHERE p.id = %s AND e.id = %s
            """,
            [position_id, employee_id],
        )
        found = cursor.fetchone()
    return tuple(found) if found else None


#: A page's cursor as it goes into a URL: the ids of a holding, ``<employee>-<position>``.
CURSOR_PATTERN = r"[1-9][0-9]{0,17}-[1-9][0-9]{0,17}"


def cursor_of(key: tuple) -> str:
    """The cursor of an ``AKPK_KEY`` row: its two ids, never its name."""
    *_order, employee_id, position_id = key
    return f"{employee_id}-{position_id}"


def key_of_cursor(cursor: str) -> tuple | None:
    """The ``AKPK_KEY`` row a well-formed cursor names, or None (malformed, or no such
    person or post)."""
    if not re.fullmatch(CURSOR_PATTERN, cursor):
        return None
    employee_id, position_id = (int(part) for part in cursor.split("-"))
    return akpk_key_of(employee_id=employee_id, position_id=position_id)
