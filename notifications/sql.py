"""The statement that creates notifications and their mails, set-based.

``CREATE_SQL`` takes a candidates query (columns ``recipient_id``, ``key``, ``params``,
``link``) and, in one statement, draws a mail id for each candidate whose preferences want
single mails of the kind and who has no such notification yet, inserts those mails and the
notifications pointing at them; both ``ON CONFLICT DO NOTHING`` on their ``(recipient, kind,
key)`` constraint, so running it again (beat twice, a retried task) creates nothing. The two
rows of a candidate are inserted by one statement, so a concurrent run that loses the race
loses it for both (the mail reference is checked at commit). The ids are drawn up front so
that no join between the inserted sets is needed (the planner cannot estimate one, and chose
a nested loop). It returns the ids of the mails created, for the sender.
"""

CREATE_SQL = """
WITH candidates AS ({candidates}),
decided AS (
    SELECT c.recipient_id, c.key, c.params, c.link,
           CASE WHEN COALESCE(p.email, %(email_default)s) AND NOT COALESCE(p.digest, false)
                     AND NOT EXISTS (
                         SELECT 1 FROM notifications_notification x
                         WHERE x.recipient_id = c.recipient_id AND x.kind = %(kind)s
                           AND x.key = c.key)
                THEN nextval(pg_get_serial_sequence('notifications_mailmessage', 'id'))
           END AS mail_id
    FROM candidates c
    LEFT JOIN notifications_notificationpreference p
        ON p.user_id = c.recipient_id AND p.kind = %(kind)s
),
mails AS (
    INSERT INTO notifications_mailmessage
        (id, recipient_id, kind, key, status, attempts, error, created_at)
    OVERRIDING SYSTEM VALUE
    SELECT mail_id, recipient_id, %(kind)s, key, 'pending', 0, '', now()
    FROM decided WHERE mail_id IS NOT NULL
    ON CONFLICT (recipient_id, kind, key) DO NOTHING
    RETURNING id
),
created AS (
    INSERT INTO notifications_notification
        (recipient_id, kind, key, params, link, created_at, mail_id)
    SELECT recipient_id, %(kind)s, key, params, link, now(), mail_id
    FROM decided
    ON CONFLICT (recipient_id, kind, key) DO NOTHING
    RETURNING id
)
SELECT id FROM mails
"""

#: Candidates given as arrays (events: a few recipients, each with its own key and params).
ARRAY_CANDIDATES = """
SELECT * FROM unnest(%(recipients)s::bigint[], %(keys)s::text[], %(params)s::jsonb[],
                     %(links)s::text[]) AS c(recipient_id, key, params, link)
"""

#: People behind their yearly JP target for a stage of the year, among employees with a login
#: whose id lies in ``[%(low)s, %(high)s]``. The JP total is the ledger's sum for the year
#: (``courses.selectors.learning_hours_list`` says the same in the ORM).
JP_BEHIND_CANDIDATES = """
SELECT e.user_id AS recipient_id, %(key)s::text AS key,
       jsonb_build_object('year', %(year)s::int, 'stage', %(stage)s::text,
                          'jp', trim_scale(COALESCE(j.total, 0))::text,
                          'target', CASE WHEN e.employment_type = 'pppk'
                                         THEN %(target_pppk)s::int ELSE %(target_pns)s::int END)
         AS params,
       %(link)s::text AS link
FROM competencies_employee e
LEFT JOIN (
    SELECT employee_id, SUM(jp_hours) AS total
    FROM courses_learningrecord
    WHERE year = %(year)s AND employee_id BETWEEN %(low)s AND %(high)s
    GROUP BY employee_id
) j ON j.employee_id = e.id
WHERE e.id BETWEEN %(low)s AND %(high)s
  AND e.status = 'active' AND e.user_id IS NOT NULL
  AND COALESCE(j.total, 0) < %(share)s::numeric * CASE WHEN e.employment_type = 'pppk'
                                  THEN %(target_pppk)s::int ELSE %(target_pns)s::int END
"""

#: Valid certificates expiring within the window, of holders with a login.
CERTIFICATE_EXPIRING_CANDIDATES = """
SELECT e.user_id AS recipient_id, c.id::text || ':' || c.expires_on::text AS key,
       jsonb_build_object('title', c.title, 'code', c.code,
                          'expires_on', c.expires_on::text) AS params,
       %(link)s::text AS link
FROM certificates_certificate c
JOIN competencies_employee e ON e.id = c.employee_id
WHERE c.status = 'valid' AND c.expires_on >= %(today)s AND c.expires_on <= %(until)s
  AND e.user_id IS NOT NULL AND e.status = 'active'
"""
