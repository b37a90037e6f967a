"""The AKPK rows (*Analisis Kebutuhan Pengembangan Kompetensi*, PP 11/2017 Pasal 205–207):
each competency of a unit's people below what their post requires, with the development it
calls for. The files built from these rows live in ``competencies.exports``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from competencies.models import Competency, OrgUnit
from competencies.selectors._sql import params, rows
from competencies.selectors.units import MATRIX_SQL
from core import dates


@dataclass(frozen=True)
class AkpkRow:
    """One row of the AKPK form: a person's competency below the requirement of their
    position, the gap, and the suggested development."""

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


def suggested_development(*, gap: int, kind: str) -> str:
    """The kind of development a gap calls for (Peraturan LAN 10/2018: klasikal/nonklasikal),
    in the active language."""
    if gap >= 2:
        return str(_("Training (klasikal or blended)"))
    if kind == "teknis":
        return str(_("E-learning course"))
    return str(_("Coaching or mentoring"))


def akpk_rows(*, org_unit: OrgUnit, year: int, as_of: dt.date | None = None) -> list[AkpkRow]:
    """The AKPK rows for a unit's subtree and a planning year. Two queries.

    The gaps are taken as of ``as_of`` (default: today for the current year, else 1 January of
    the planning year), since AKPK is prepared before the year it plans for.
    """
    if as_of is None:
        today = dates.today()
        as_of = today if today.year == year else dt.date(year, 1, 1)
    matrix_rows = rows(MATRIX_SQL, params(unit=org_unit.pk, day=as_of))
    competencies = {
        c.pk: c
        for c in Competency.objects.filter(
            pk__in={row[7] for row in matrix_rows if row[7] is not None and row[10] > 0}
        )
    }
    result = []
    for (
        employee_id,
        name,
        _position_id,
        title,
        _unit_id,
        unit_name,
        _start,
        competency_id,
        required,
        proficiency,
        gap,
        critical,
    ) in matrix_rows:
        if competency_id is None or gap <= 0:
            continue
        competency = competencies[competency_id]
        result.append(
            AkpkRow(
                employee_id=employee_id,
                name=name,
                position_title=title,
                org_unit_name=unit_name,
                competency_id=competency_id,
                code=competency.code,
                competency_name=competency.name_id,
                kind=competency.kind,
                required_level=required,
                proficiency=proficiency,
                gap=gap,
                is_critical=critical,
                development=suggested_development(gap=gap, kind=competency.kind),
            )
        )
    return result
