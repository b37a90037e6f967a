"""The SQL fragments every gap query shares: each rule of the domain written once.

Two rules decide every gap, and each is written here once, next to its ORM twin:

- *Counted evidence on a day* (``counted_evidence_on``): the evidence counts toward
  proficiency (its status is ``validated``: the evidence policy in ``competencies.policy``
  decides which evidence waits for a supervisor or HR) and is valid that day
  (``achieved_date <= day < expires_date``). The ORM says the same with
  ``Evidence.objects.counted_on(day)``.
- *Holding a post on a day* (``definitive_holding_on``): a definitive assignment, i.e. any
  kind but acting (*Plt.*), running that day (``start_date <= day <= end_date``). The ORM says
  the same with ``Assignment.objects.definitive().active_on(day)``.

Placeholders: ``%(day)s`` is the as-of date and ``%(unit)s`` the id of the unit whose subtree
is asked. ``%(validated)s`` and ``%(acting)s`` carry the rules' constants (the status of
evidence that counts, the acting assignment kind) and are filled by ``params()``: run every statement built
from these fragments with ``params(...)``, never with a hand-made dict.

A subtree is every unit whose materialised path starts with the asked unit's path, read in the
same statement, so a unit object held in memory can never give a stale answer.
"""

from __future__ import annotations

from typing import Any

from django.db import connections

from competencies.models import AssignmentKind, EvidenceStatus
from core.db_router import read_alias

#: The as-of date placeholder the fragments use unless told another day expression.
DAY = "%(day)s"


def counted_evidence_on(day: str = DAY, *, alias: str = "ev") -> str:
    """``competencies_evidence`` row ``alias`` counts toward proficiency on ``day`` (an SQL
    expression). Same rule as ``Evidence.objects.counted_on(day)``."""
    return (
        f"{alias}.status = %(validated)s AND {alias}.achieved_date <= {day}"
        f" AND ({alias}.expires_date IS NULL OR {alias}.expires_date > {day})"
    )


def holding_on(day: str = DAY, *, alias: str = "a") -> str:
    """``competencies_assignment`` row ``alias`` (of any kind, acting too) runs on ``day`` (an
    SQL expression). Same rule as ``Assignment.objects.active_on(day)``."""
    return (
        f"{alias}.start_date <= {day} AND ({alias}.end_date IS NULL OR {alias}.end_date >= {day})"
    )


def definitive_holding_on(day: str = DAY, *, alias: str = "a") -> str:
    """``competencies_assignment`` row ``alias`` is definitive (not acting/Plt.) and runs on
    ``day`` (an SQL expression). Same rule as
    ``Assignment.objects.definitive().active_on(day)``."""
    return f"{alias}.kind <> %(acting)s AND {holding_on(day, alias=alias)}"


#: Evidence ``ev`` counts on ``%(day)s``.
COUNTED_EVIDENCE = counted_evidence_on()
#: Assignment ``a`` is a definitive holding on ``%(day)s``.
DEFINITIVE_HOLDING = definitive_holding_on()
#: Unit ``u`` is in the subtree of ``%(unit)s``.
IN_UNIT_SUBTREE = "starts_with(u.path, (SELECT path FROM competencies_orgunit WHERE id = %(unit)s))"

#: The definitive holders on ``%(day)s`` of the posts in the subtree of ``%(unit)s``:
#: ``(employee_id, position_id, org_unit_id)``.
HOLDERS_IN_SUBTREE = f"""
    SELECT a.employee_id, a.position_id, p.org_unit_id
    FROM competencies_assignment a
    JOIN competencies_position p ON p.id = a.position_id
    JOIN competencies_orgunit u ON u.id = p.org_unit_id
    WHERE {IN_UNIT_SUBTREE}
      AND {DEFINITIVE_HOLDING}
"""


def proficiency_on(day: str = DAY, *, alias: str = "pr") -> str:
    """Maintained-proficiency row ``alias`` (``competencies.proficiency``: the counting
    rule's intervals, one row per person and competency on any day) holds on ``day`` (an SQL
    expression)."""
    return f"{alias}.valid_from <= {day} AND ({alias}.valid_to IS NULL OR {alias}.valid_to > {day})"


#: The proficiency on ``%(day)s`` of everyone in a CTE named ``holders``:
#: ``(employee_id, competency_id, level)``, read from the maintained table; the same as the
#: highest counted evidence (``COUNTED_EVIDENCE``), which tests hold it to.
PROFICIENCY_OF_HOLDERS = f"""
    SELECT pr.employee_id, pr.competency_id, pr.level
    FROM competencies_proficiency pr
    WHERE pr.employee_id IN (SELECT employee_id FROM holders)
      AND {proficiency_on()}
"""


def params(**values: Any) -> dict[str, Any]:
    """The parameters of a statement built from these fragments: ``values`` plus the rules'
    constants (``validated``, ``acting``)."""
    return {
        "validated": EvidenceStatus.VALIDATED.value,
        "acting": AssignmentKind.ACTING.value,
        **values,
    }


def rows(sql: str, parameters: dict[str, Any]) -> list[tuple]:
    """Run ``sql`` with ``parameters`` (from ``params()``) and return every row. Runs on the
    replica inside ``core.db_router.read_from_replica()`` when one is configured."""
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, parameters)
        return cursor.fetchall()
