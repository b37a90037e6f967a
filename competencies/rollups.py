"""Per-unit rollups of the organisation summary (``competencies.selectors.org_summary``).

The summary counts, for every *perangkat daerah* (top unit, depth 2) and competency, the
definitive holders whose post requires it, how many of them meet the required level and the
sum of their gaps. Computed live it reads every holding and every current proficiency of the
organisation (≈ 1 s at 100,000 people, tens of seconds at a million). The rollup keeps those
cells for one day (``SummaryRollupState.day``), so the summary reads units × competencies
rows whatever the history behind them.

How it stays true:

- Statement-level triggers (``INSTALL_SQL``) *mark*, in the writer's transaction, what a
  write may change (``SummaryRollupMark``): the people whose proficiency changed (the
  evidence's own triggers rewrite it) and the positions whose holdings or requirements
  changed, by id, together with the top units they belonged to as the writer saw them. A
  position moving to another unit marks both units; a unit moving in the tree, a unit
  deleted or a bulk change of more than ``BULK_ROWS`` people marks everything (``ALL``).
- The ids are turned into top units when the marks are read, from the organisation as it is
  then (``competencies_rollup_resolve``), not as the writer saw it: a write that commits after
  a concurrent move (of the person, the position or the unit) still names the unit the move
  took it to.
- ``org_summary`` reads the kept cells of the units not marked and computes the marked units
  live, all in one statement (``competencies_summary_cells``, a STABLE function: one
  snapshot for the rollup's day, its marks and its cells); when the rollup is of another day,
  or everything (or more than ``LIVE_TOPS_MAX`` units) is marked, it computes the whole
  summary live. It is never wrong, only slower.
- ``refresh()`` (the Celery beat task ``competencies.summary_rollup_refresh`` every minute,
  ``manage.py refresh_summary_rollup``) takes the marks away, turns them into top units and
  recomputes those, each in a statement of its own, or everything when the day changed. A
  write that commits in between leaves its marks for the next refresh, so no change is lost.

``tests/competencies/test_summary_rollup.py`` holds the summary equal to the rules (computed
there in Python) after every step of generated histories of writes and refreshes, and across
a second connection's write that commits after a move and a refresh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, connections, transaction

from competencies.selectors.organisation import TOP_LEN, cells_params, cells_sql
from core import dates
from core.db_router import read_alias

#: The mark that stands for every top unit.
ALL = "*"
#: A statement that changes more people than this marks everything instead of their units
#: (a proficiency rebuild, a bulk import): cheaper than finding every person's unit.
BULK_ROWS = 5000
#: More marked top units than this and the summary (and the refresh) computes every unit
#: at once: one pass over the tables is cheaper than this many units looked up one by one.
LIVE_TOPS_MAX = 16
#: Serialises refreshes (``pg_advisory_xact_lock``): two at once would do the work twice.
_LOCK = 7_311_042


def _plpgsql(sql: str) -> str:
    """``CELLS_SQL`` for ``EXECUTE … USING day, acting, tops`` in PL/pgSQL."""
    return (
        sql.replace("%(day)s", "$1")
        .replace("%(acting)s", "$2")
        .replace("%(tops)s", "$3")
        .replace("%(top_len)s", str(TOP_LEN))
    )


_MARK = "competencies_summaryrollupmark"

#: The functions and triggers (created by migration 0009). The triggers insert marks only:
#: writers never wait for one another on them.
INSTALL_SQL = f"""
-- The top units that marks name: their own top units (as the writer saw them), and those of
-- the people's holdings and of the positions as the organisation is now. A holding that
-- ended before ``since`` (the rollup's day) counts on no day the rollup is used for.
-- (PL/pgSQL rather than SQL: it keeps its plan for the session; planned again at every
-- evidence row, it nearly doubled the cost of recording one.)
CREATE OR REPLACE FUNCTION competencies_rollup_resolve(
    tops text[], people bigint[], positions bigint[], since date)
RETURNS text[] LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN ARRAY(
        SELECT DISTINCT t FROM unnest(tops) AS t WHERE t <> ''
        UNION
        SELECT substr(u.path, 1, {TOP_LEN})
        FROM competencies_assignment a
        JOIN competencies_position p ON p.id = a.position_id
        JOIN competencies_orgunit u ON u.id = p.org_unit_id
        WHERE a.employee_id = ANY(people) AND u.depth >= 2
          AND (since IS NULL OR a.end_date IS NULL OR a.end_date >= since)
        UNION
        SELECT substr(u.path, 1, {TOP_LEN})
        FROM competencies_position p
        JOIN competencies_orgunit u ON u.id = p.org_unit_id
        WHERE p.id = ANY(positions) AND u.depth >= 2
    );
END $$;

-- The summary's cells on a day, in one snapshot (STABLE: every statement here sees the
-- calling statement's snapshot): the kept cells of the units not marked and, computed, those
-- of the marked units; everything computed when the rollup is not of that day or too much is
-- marked. ``cell_kept`` says which.
CREATE OR REPLACE FUNCTION competencies_summary_cells(on_day date, acting text)
RETURNS TABLE (cell_kept boolean, cell_top text, cell_competency bigint,
               cell_required bigint, cell_meeting bigint, cell_gap bigint)
LANGUAGE plpgsql STABLE AS $f$
DECLARE kept_day date; tops text[];
BEGIN
    SELECT s.day INTO kept_day FROM competencies_summaryrollupstate s WHERE s.id = 1;
    IF kept_day = on_day THEN
        tops := competencies_rollup_resolve(
            ARRAY(SELECT m.top_path FROM {_MARK} m),
            ARRAY(SELECT m.employee_id FROM {_MARK} m WHERE m.employee_id IS NOT NULL),
            ARRAY(SELECT m.position_id FROM {_MARK} m WHERE m.position_id IS NOT NULL),
            kept_day);
    END IF;
    IF kept_day IS DISTINCT FROM on_day OR '{ALL}' = ANY(tops)
       OR cardinality(tops) > {LIVE_TOPS_MAX} THEN
        RETURN QUERY EXECUTE $q$ SELECT false, c.* FROM ({_plpgsql(cells_sql(only_tops=False))}) c $q$
            USING on_day, acting;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT true, r.top_path::text, r.competency_id, r.holders_required::bigint,
               r.holders_meeting::bigint, r.total_gap::bigint
        FROM competencies_summaryrollup r WHERE NOT (r.top_path = ANY(tops));
    IF cardinality(tops) > 0 THEN
        RETURN QUERY EXECUTE $q$ SELECT false, c.* FROM ({_plpgsql(cells_sql(only_tops=True))}) c $q$
            USING on_day, acting, tops;
    END IF;
END $f$;

CREATE OR REPLACE FUNCTION competencies_rollup_mark_people(people bigint[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE since date;
BEGIN
    IF cardinality(people) = 0 THEN
        RETURN;
    END IF;
    IF cardinality(people) > {BULK_ROWS} THEN
        INSERT INTO {_MARK} (top_path) VALUES ('{ALL}');
        RETURN;
    END IF;
    SELECT day INTO since FROM competencies_summaryrollupstate WHERE id = 1;
    INSERT INTO {_MARK} (top_path, employee_id)
    SELECT '', person FROM unnest(people) AS person
    UNION ALL
    SELECT t, NULL FROM unnest(competencies_rollup_resolve('{{}}', people, '{{}}', since)) AS t;
END $$;

CREATE OR REPLACE FUNCTION competencies_rollup_mark_positions(positions bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(positions) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO {_MARK} (top_path, position_id)
    SELECT '', position FROM unnest(positions) AS position
    UNION ALL
    SELECT t, NULL FROM unnest(competencies_rollup_resolve('{{}}', '{{}}', positions, NULL)) AS t;
END $$;

-- Units as they are (a position moved from one to the other, or deleted with its unit's
-- holdings): their top units, now.
CREATE OR REPLACE FUNCTION competencies_rollup_mark_units(units bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {_MARK} (top_path)
    SELECT DISTINCT substr(u.path, 1, {TOP_LEN})
    FROM competencies_orgunit u WHERE u.id = ANY(units) AND u.depth >= 2;
END $$;

CREATE OR REPLACE FUNCTION competencies_rollup_mark_all()
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {_MARK} (top_path) VALUES ('{ALL}');
END $$;

-- A person's proficiency changed (the evidence's triggers rewrite their intervals).
CREATE OR REPLACE FUNCTION competencies_rollup_on_proficiency_new() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM competencies_rollup_mark_people(ARRAY(SELECT DISTINCT employee_id FROM new_rows));
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION competencies_rollup_on_proficiency_old() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM competencies_rollup_mark_people(ARRAY(SELECT DISTINCT employee_id FROM old_rows));
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION competencies_rollup_on_proficiency_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM competencies_rollup_mark_people(ARRAY(
        SELECT employee_id FROM new_rows UNION SELECT employee_id FROM old_rows));
    RETURN NULL;
END $$;

-- Assignments and requirements: the units of the posts before and after.
CREATE OR REPLACE FUNCTION competencies_rollup_on_post_new() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM competencies_rollup_mark_positions(ARRAY(SELECT position_id FROM new_rows));
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION competencies_rollup_on_post_old() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM competencies_rollup_mark_positions(ARRAY(SELECT position_id FROM old_rows));
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION competencies_rollup_on_post_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM competencies_rollup_mark_positions(
        ARRAY(SELECT position_id FROM new_rows UNION SELECT position_id FROM old_rows));
    RETURN NULL;
END $$;

-- A position moved to another unit (or was deleted, with its holdings).
CREATE OR REPLACE FUNCTION competencies_rollup_on_position_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM competencies_rollup_mark_units(ARRAY(
        SELECT o.org_unit_id FROM old_rows o JOIN new_rows n USING (id)
        WHERE n.org_unit_id <> o.org_unit_id
        UNION
        SELECT n.org_unit_id FROM old_rows o JOIN new_rows n USING (id)
        WHERE n.org_unit_id <> o.org_unit_id));
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION competencies_rollup_on_position_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM competencies_rollup_mark_units(ARRAY(SELECT org_unit_id FROM old_rows));
    RETURN NULL;
END $$;

-- A unit moved in the tree (its path changed) or deleted: every top unit.
CREATE OR REPLACE FUNCTION competencies_rollup_on_unit_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n USING (id)
               WHERE n.path <> o.path OR n.depth <> o.depth) THEN
        PERFORM competencies_rollup_mark_all();
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION competencies_rollup_on_statement() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM competencies_rollup_mark_all();
    RETURN NULL;
END $$;

CREATE TRIGGER rollup_after_insert AFTER INSERT ON competencies_proficiency
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_rollup_on_proficiency_new();
CREATE TRIGGER rollup_after_update AFTER UPDATE ON competencies_proficiency
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_rollup_on_proficiency_changed();
CREATE TRIGGER rollup_after_delete AFTER DELETE ON competencies_proficiency
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_rollup_on_proficiency_old();
CREATE TRIGGER rollup_after_truncate AFTER TRUNCATE ON competencies_proficiency
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_rollup_on_statement();

CREATE TRIGGER rollup_after_insert AFTER INSERT ON competencies_assignment
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_rollup_on_post_new();
CREATE TRIGGER rollup_after_update AFTER UPDATE ON competencies_assignment
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_rollup_on_post_changed();
CREATE TRIGGER rollup_after_delete AFTER DELETE ON competencies_assignment
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_rollup_on_post_old();
CREATE TRIGGER rollup_after_truncate AFTER TRUNCATE ON competencies_assignment
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_rollup_on_statement();

CREATE TRIGGER rollup_after_insert AFTER INSERT ON competencies_positionrequirement
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_rollup_on_post_new();
CREATE TRIGGER rollup_after_update AFTER UPDATE ON competencies_positionrequirement
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_rollup_on_post_changed();
CREATE TRIGGER rollup_after_delete AFTER DELETE ON competencies_positionrequirement
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_rollup_on_post_old();
CREATE TRIGGER rollup_after_truncate AFTER TRUNCATE ON competencies_positionrequirement
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_rollup_on_statement();

CREATE TRIGGER rollup_after_update AFTER UPDATE ON competencies_position
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_rollup_on_position_changed();
CREATE TRIGGER rollup_after_delete AFTER DELETE ON competencies_position
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_rollup_on_position_deleted();

CREATE TRIGGER rollup_after_update AFTER UPDATE ON competencies_orgunit
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_rollup_on_unit_changed();
CREATE TRIGGER rollup_after_delete AFTER DELETE ON competencies_orgunit
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_rollup_on_statement();
CREATE TRIGGER rollup_after_truncate AFTER TRUNCATE ON competencies_orgunit
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_rollup_on_statement();
"""  # noqa: S608 (module constants only; no value is interpolated)

_TRIGGERS = {
    "competencies_proficiency": ("insert", "update", "delete", "truncate"),
    "competencies_assignment": ("insert", "update", "delete", "truncate"),
    "competencies_positionrequirement": ("insert", "update", "delete", "truncate"),
    "competencies_position": ("update", "delete"),
    "competencies_orgunit": ("update", "delete", "truncate"),
}
_FUNCTIONS = (
    "competencies_rollup_resolve(text[], bigint[], bigint[], date)",
    "competencies_summary_cells(date, text)",
    "competencies_rollup_mark_people(bigint[])",
    "competencies_rollup_mark_units(bigint[])",
    "competencies_rollup_mark_positions(bigint[])",
    "competencies_rollup_mark_all()",
    "competencies_rollup_on_proficiency_new()",
    "competencies_rollup_on_proficiency_old()",
    "competencies_rollup_on_proficiency_changed()",
    "competencies_rollup_on_post_new()",
    "competencies_rollup_on_post_old()",
    "competencies_rollup_on_post_changed()",
    "competencies_rollup_on_position_changed()",
    "competencies_rollup_on_position_deleted()",
    "competencies_rollup_on_unit_changed()",
    "competencies_rollup_on_statement()",
)
UNINSTALL_SQL = "\n".join(
    [
        f"DROP TRIGGER IF EXISTS rollup_after_{event} ON {table};"
        for table, events in _TRIGGERS.items()
        for event in events
    ]
    + [f"DROP FUNCTION IF EXISTS {function};" for function in _FUNCTIONS]
)


@dataclass(frozen=True)
class Refresh:
    day: dt.date
    full: bool
    top_units: int  # recomputed (all of them when full)
    cells: int


#: The summary's cells on ``%(day)s`` (``competencies_summary_cells``): ``(kept, top_path,
#: competency_id, holders_required, holders_meeting, total_gap)``.
SUMMARY_CELLS_SQL = """
    SELECT cell_kept, cell_top, cell_competency, cell_required, cell_meeting, cell_gap
    FROM competencies_summary_cells(%(day)s, %(acting)s)
"""


def summary_cells(*, day: dt.date) -> list[tuple]:
    """The summary's cells with whether each was kept (True) or computed (False), read on the
    connection the caller reads from (one statement)."""
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(SUMMARY_CELLS_SQL, cells_params(day=day))
        return cursor.fetchall()


def refresh(*, today: dt.date | None = None) -> Refresh | None:
    """Bring the rollup to ``today`` (default: today in Jakarta): recompute the marked top
    units, or every one when the rollup is of another day, everything is marked or more than
    ``LIVE_TOPS_MAX`` units are. Returns None when there was nothing to do (and then writes
    nothing)."""
    today = today or dates.today()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        cursor.execute(
            "SELECT (SELECT day FROM competencies_summaryrollupstate WHERE id = 1),"
            " EXISTS (SELECT 1 FROM competencies_summaryrollupmark)"
        )
        day, any_marked = cursor.fetchone()
        if day == today and not any_marked:
            return None
        # The marks go first, then what they name is looked up, then computed: each in a
        # statement of its own (see the module's docstring).
        cursor.execute(
            "DELETE FROM competencies_summaryrollupmark RETURNING top_path, employee_id, position_id"
        )
        taken = cursor.fetchall()
        tops: list[str] = []
        if day == today:
            cursor.execute(
                "SELECT competencies_rollup_resolve(%s::text[], %s::bigint[], %s::bigint[], %s)",
                [
                    [top for top, _, _ in taken],
                    [person for _, person, _ in taken if person is not None],
                    [position for _, _, position in taken if position is not None],
                    day,
                ],
            )
            tops = sorted(cursor.fetchone()[0])
        full = day != today or ALL in tops or len(tops) > LIVE_TOPS_MAX
        if full:
            cursor.execute("DELETE FROM competencies_summaryrollup")
            cursor.execute(
                "INSERT INTO competencies_summaryrollup"
                " (top_path, competency_id, holders_required, holders_meeting, total_gap) "
                + cells_sql(only_tops=False),
                cells_params(day=today),
            )
            cells = cursor.rowcount
            cursor.execute(
                "INSERT INTO competencies_summaryrollupstate (id, day) VALUES (1, %s)"
                " ON CONFLICT (id) DO UPDATE SET day = EXCLUDED.day",
                [today],
            )
            cursor.execute("SELECT count(DISTINCT top_path) FROM competencies_summaryrollup")
            units = cursor.fetchone()[0]
        else:
            cursor.execute(
                "DELETE FROM competencies_summaryrollup WHERE top_path = ANY(%s)", [tops]
            )
            cells = 0
            if tops:
                cursor.execute(
                    "INSERT INTO competencies_summaryrollup"
                    " (top_path, competency_id, holders_required, holders_meeting, total_gap) "
                    + cells_sql(only_tops=True),
                    cells_params(day=today, tops=tops),
                )
                cells = cursor.rowcount
            units = len(tops)
    return Refresh(day=today, full=full, top_units=units, cells=cells)
