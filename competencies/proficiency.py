"""The maintained current-proficiency table (``competencies_proficiency``).

For each person and competency, the counted level over time as intervals: ``level`` holds
from ``valid_from`` (inclusive) to ``valid_to`` (exclusive; NULL: still holds). It is the step
function of the counting rule (``competencies.selectors._sql.counted_evidence_on``): on a day
*d*, the level is the highest of the person's validated evidence of that competency with
``achieved_date <= d < expires_date``; days without such evidence have no row. Adjacent
intervals of the same level are one row, so a person and competency have at most one row on
any day, and an "as of" question reads that row instead of the evidence history.

PostgreSQL keeps it, in the same transaction as the evidence that changes it: statement-level
triggers on ``competencies_evidence`` (insert, update, delete, truncate) recompute the pairs
the statement touched, from all of their evidence, with ``PROFICIENCY_ROWS``. Evidence is
append-only and its facts are frozen (``Evidence``'s triggers), so what changes a level is a
new row, or a provisional one reviewed. ``manage.py rebuild_proficiency`` recomputes every
pair; ``tests/competencies/test_proficiency_table.py`` holds the incremental table equal to the
rebuilt one, and both to the counting rule, on generated histories.
"""

from __future__ import annotations

from django.db import connection

#: The intervals of the pairs in ``pairs(employee_id, competency_id)`` (a CTE the caller puts
#: first), from their validated evidence: every achieved and expiry date is a boundary, each
#: segment between two boundaries takes the highest level of the evidence covering its first
#: day (none: no row), and runs of adjacent segments of the same level are merged.
PROFICIENCY_ROWS = """
    ev AS (
        SELECT e.employee_id, e.competency_id, e.level, e.achieved_date, e.expires_date
        FROM competencies_evidence e
        JOIN pairs USING (employee_id, competency_id)
        WHERE e.status = 'validated'
    ),
    bounds AS (
        SELECT employee_id, competency_id, achieved_date AS day FROM ev
        UNION
        SELECT employee_id, competency_id, expires_date FROM ev WHERE expires_date IS NOT NULL
    ),
    segments AS (
        SELECT employee_id, competency_id, day AS valid_from,
               lead(day) OVER (PARTITION BY employee_id, competency_id ORDER BY day) AS valid_to
        FROM bounds
    ),
    levels AS (
        SELECT s.employee_id, s.competency_id, s.valid_from, s.valid_to, max(ev.level) AS level
        FROM segments s
        JOIN ev ON ev.employee_id = s.employee_id AND ev.competency_id = s.competency_id
               AND ev.achieved_date <= s.valid_from
               AND (ev.expires_date IS NULL OR ev.expires_date > s.valid_from)
        GROUP BY s.employee_id, s.competency_id, s.valid_from, s.valid_to
    ),
    marked AS (
        SELECT *,
               CASE WHEN lag(valid_to) OVER w = valid_from AND lag(level) OVER w = level
                    THEN 0 ELSE 1 END AS starts
        FROM levels
        WINDOW w AS (PARTITION BY employee_id, competency_id ORDER BY valid_from)
    ),
    runs AS (
        SELECT *, sum(starts) OVER (PARTITION BY employee_id, competency_id ORDER BY valid_from)
               AS run
        FROM marked
    )
    SELECT employee_id, competency_id, min(level) AS level, min(valid_from) AS valid_from,
           CASE WHEN bool_or(valid_to IS NULL) THEN NULL ELSE max(valid_to) END AS valid_to
    FROM runs
    GROUP BY employee_id, competency_id, run
"""

#: Statements of at most this many evidence rows never analyse the table first.
ANALYZE_ABOVE = 500

#: Recompute the pairs of ``unnest(emp, comp)``. A statement bigger than the evidence table
#: as the planner last counted it (a new database, a first import, the demo city) analyses the
#: table first: its rows, inserted by this very transaction, count. Without statistics the
#: planner takes the intervals' self-join for a row or two and runs it as a nested loop: 4,677
#: evidence rows of one insert took 9.1 s instead of about 30 ms (migration 0010).
REFRESH_SQL = f"""
CREATE OR REPLACE FUNCTION competencies_proficiency_refresh(emp bigint[], comp bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(emp) > {ANALYZE_ABOVE} AND cardinality(emp) > (
        SELECT greatest(c.reltuples, 0) FROM pg_class c
        WHERE c.oid = 'competencies_evidence'::regclass
    ) THEN
        ANALYZE competencies_evidence;
    END IF;
    DELETE FROM competencies_proficiency p
    USING (SELECT DISTINCT * FROM unnest(emp, comp) AS x(employee_id, competency_id)) x
    WHERE p.employee_id = x.employee_id AND p.competency_id = x.competency_id;
    INSERT INTO competencies_proficiency (employee_id, competency_id, level, valid_from, valid_to)
    WITH pairs AS (
        SELECT DISTINCT * FROM unnest(emp, comp) AS x(employee_id, competency_id)
    ),
    {PROFICIENCY_ROWS};
END $$;
"""  # noqa: S608 (module constants only; no value is interpolated)

#: The functions and triggers that keep the table (created by migration 0008).
#: (PL/pgSQL rather than an SQL function: it keeps its statements' plans for the session, so a
#: single evidence row costs no planning of the whole statement.)
INSTALL_SQL = f"""{REFRESH_SQL}
CREATE OR REPLACE FUNCTION competencies_proficiency_rebuild()
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE written bigint;
BEGIN
    -- DELETE, not TRUNCATE: the table's deferred foreign-key checks may be pending.
    DELETE FROM competencies_proficiency;
    INSERT INTO competencies_proficiency (employee_id, competency_id, level, valid_from, valid_to)
    WITH pairs AS (
        SELECT DISTINCT employee_id, competency_id FROM competencies_evidence
        WHERE status = 'validated'
    ),
    {PROFICIENCY_ROWS};
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END $$;

CREATE OR REPLACE FUNCTION competencies_proficiency_on_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM competencies_proficiency_refresh(
        ARRAY(SELECT employee_id FROM new_rows), ARRAY(SELECT competency_id FROM new_rows));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION competencies_proficiency_on_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM competencies_proficiency_refresh(
        ARRAY(SELECT employee_id FROM new_rows UNION ALL SELECT employee_id FROM old_rows),
        ARRAY(SELECT competency_id FROM new_rows UNION ALL SELECT competency_id FROM old_rows));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION competencies_proficiency_on_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM competencies_proficiency_refresh(
        ARRAY(SELECT employee_id FROM old_rows), ARRAY(SELECT competency_id FROM old_rows));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION competencies_proficiency_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM competencies_proficiency;
    RETURN NULL;
END $$;

CREATE TRIGGER proficiency_after_insert AFTER INSERT ON competencies_evidence
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_proficiency_on_insert();
CREATE TRIGGER proficiency_after_update AFTER UPDATE ON competencies_evidence
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_proficiency_on_update();
CREATE TRIGGER proficiency_after_delete AFTER DELETE ON competencies_evidence
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_proficiency_on_delete();
CREATE TRIGGER proficiency_after_truncate AFTER TRUNCATE ON competencies_evidence
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_proficiency_on_truncate();
"""  # noqa: S608 (module constants only; no value is interpolated)

UNINSTALL_SQL = """
DROP TRIGGER IF EXISTS proficiency_after_insert ON competencies_evidence;
DROP TRIGGER IF EXISTS proficiency_after_update ON competencies_evidence;
DROP TRIGGER IF EXISTS proficiency_after_delete ON competencies_evidence;
DROP TRIGGER IF EXISTS proficiency_after_truncate ON competencies_evidence;
DROP FUNCTION IF EXISTS competencies_proficiency_on_insert();
DROP FUNCTION IF EXISTS competencies_proficiency_on_update();
DROP FUNCTION IF EXISTS competencies_proficiency_on_delete();
DROP FUNCTION IF EXISTS competencies_proficiency_on_truncate();
DROP FUNCTION IF EXISTS competencies_proficiency_rebuild();
DROP FUNCTION IF EXISTS competencies_proficiency_refresh(bigint[], bigint[]);
"""


def rebuild() -> int:
    """Recompute the whole table from the evidence (one statement); returns its rows."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT competencies_proficiency_rebuild()")
        return cursor.fetchone()[0]
