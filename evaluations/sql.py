"""The set-based statements of training evaluation.

``SUPERVISORS_ON`` finds, for every person in a CTE named ``people(employee_id)``, who heads
them on ``%(today)s``: the head of the nearest unit at or above any post they hold that day
(the rule of ``notifications.selectors.evidence_reviewers`` and
``competencies.access.head_assignments_on``): a definitive head, or an acting (*Plt.*) one
while no definitive holder holds the head post; a person in service with an active login;
never the person themselves. A person with two such heads at the same depth gets both.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from competencies.selectors._sql import definitive_holding_on

_USERS = get_user_model()._meta.db_table
_DAY = "%(today)s"

SUPERVISORS_ON = f"""
SELECT employee_id, user_id FROM (
    SELECT pe.employee_id, he.user_id,
           dense_rank() OVER (PARTITION BY pe.employee_id ORDER BY hu.depth DESC) AS nearest
    FROM people pe
    JOIN competencies_assignment a ON a.employee_id = pe.employee_id
         AND a.start_date <= {_DAY} AND (a.end_date IS NULL OR a.end_date >= {_DAY})
    JOIN competencies_position p ON p.id = a.position_id
    JOIN competencies_orgunit u ON u.id = p.org_unit_id
    JOIN competencies_orgunit hu ON starts_with(u.path, hu.path)
    JOIN competencies_position hp ON hp.org_unit_id = hu.id AND hp.is_head
    JOIN competencies_assignment ha ON ha.position_id = hp.id
         AND ha.start_date <= {_DAY} AND (ha.end_date IS NULL OR ha.end_date >= {_DAY})
         AND (ha.kind <> %(acting)s OR NOT EXISTS (
             SELECT 1 FROM competencies_assignment d
             WHERE d.position_id = hp.id AND {definitive_holding_on(_DAY, alias="d")}))
    JOIN competencies_employee he ON he.id = ha.employee_id AND he.status = 'active'
    JOIN {_USERS} hl ON hl.id = he.user_id AND hl.is_active
    WHERE ha.employee_id <> pe.employee_id
) ranked
WHERE nearest = 1
"""  # noqa: S608 (module constants only; every value is a bound parameter)

#: Create the level-3 evaluations falling due in ``[%(since)s, %(today)s]`` (completion plus
#: ``%(months)s`` months; PostgreSQL keeps the day of the month or takes the month's last),
#: for people in service, each with its supervisor on ``%(today)s``. ``%(earliest)s`` narrows
#: the completions read to those that can fall due in the window. Once per learning record.
LEVEL3_CREATE = f"""
WITH due AS (
    SELECT lr.id AS learning_record_id, lr.employee_id,
           (lr.completed_date + make_interval(months => %(months)s))::date AS due_date
    FROM courses_learningrecord lr
    JOIN competencies_employee e ON e.id = lr.employee_id AND e.status = 'active'
    WHERE lr.completed_date BETWEEN %(earliest)s AND %(today)s
      AND NOT EXISTS (SELECT 1 FROM evaluations_behaviourevaluation b
                      WHERE b.learning_record_id = lr.id)
),
window_due AS (
    SELECT * FROM due WHERE due_date BETWEEN %(since)s AND %(today)s
),
people AS (SELECT DISTINCT employee_id FROM window_due),
supervisors AS ({SUPERVISORS_ON})
INSERT INTO evaluations_behaviourevaluation
    (learning_record_id, due_date, supervisor_id, answer, comment, evidence_validated, created_at)
SELECT DISTINCT ON (w.learning_record_id)
       w.learning_record_id, w.due_date, s.user_id, '', '', 0, now()
FROM window_due w
LEFT JOIN supervisors s ON s.employee_id = w.employee_id
ORDER BY w.learning_record_id, s.user_id
ON CONFLICT (learning_record_id) DO NOTHING
RETURNING id
"""  # noqa: S608 (module constants only; every value is a bound parameter)

#: The reminder of ``notifications``: for each day on which level-3 evaluations fell due that are
#: still unanswered, the people's supervisors on ``%(today)s``, with how many wait for them; the
#: key is the due day, so each supervisor is told once per due day however many fell due (a
#: head who takes over the post is told too). Nothing names the people.
LEVEL3_DUE_CANDIDATES = f"""
WITH pending AS (
    SELECT b.id, b.due_date, lr.employee_id
    FROM evaluations_behaviourevaluation b
    JOIN courses_learningrecord lr ON lr.id = b.learning_record_id
    JOIN competencies_employee e ON e.id = lr.employee_id AND e.status = 'active'
    WHERE b.answered_at IS NULL AND b.due_date <= %(today)s
),
people AS (SELECT DISTINCT employee_id FROM pending),
supervisors AS ({SUPERVISORS_ON})
SELECT s.user_id AS recipient_id, p.due_date::text AS key,
       jsonb_build_object('count', count(DISTINCT p.id), 'due_date', p.due_date::text) AS params,
       %(link)s::text AS link
FROM pending p
JOIN supervisors s ON s.employee_id = p.employee_id
GROUP BY s.user_id, p.due_date
"""  # noqa: S608 (module constants only; every value is a bound parameter)
