"""The notifications' benchmark workloads (issue 16), run by ``make bench`` through
``bench.workloads.WORKLOADS``:

- the reminder batch (JP behind target) prepared for every person at the size, cold: every
  notification and mail row inserted; budget ≤ 60 s, with one statement per chunk of
  ``REMINDER_CHUNK`` employee ids (plus one for the ids' range), so the query count follows
  the number of chunks, never the number of people. Its second run (nothing left to create)
  is reported too.
- the notification list page (``/me/notifications/``) of a person with 200 notifications:
  median server time ≤ 50 ms, with its query count pinned.

The generated organisation has no logins; every person gets one first (two statements), as
people who read notifications have.

Run alone on any database: ``BENCH_SIZES=10000 DATABASE_URL=… python -m bench.notifications``
(it generates the organisation there, replacing what the generator made before).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time

if __name__ == "__main__":  # run alone: Django is set up before the imports below need it
    import django
    from dotenv import load_dotenv

    load_dotenv(override=False)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    os.environ["DEBUG"] = "false"
    django.setup()

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.workloads import TODAY, Result, measure

LOGINS_SQL = [
    """
    INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,
                           is_staff, is_active, date_joined)
    SELECT '!', false, 'bench-' || e.id, '', '', 'bench-' || e.id || '@example.invalid',
           false, true, now()
    FROM competencies_employee e
    WHERE e.user_id IS NULL
    ON CONFLICT (username) DO NOTHING
    """,
    """
    UPDATE competencies_employee e SET user_id = u.id
    FROM auth_user u
    WHERE e.user_id IS NULL AND u.username = 'bench-' || e.id
    """,
]


def _give_everyone_a_login() -> None:
    with connection.cursor() as cursor:
        for statement in LOGINS_SQL:
            cursor.execute(statement)


def notification_workloads(size: int) -> list[Result]:
    from django.test import Client

    from competencies.models import Employee
    from notifications import kinds, services
    from notifications.models import MailMessage, Notification
    from notifications.selectors import Item

    _give_everyone_a_login()
    day = dt.date(TODAY.year, 10, 1)  # the last quarter: everyone under the target is behind
    key = f"{day.year}-q4"
    Notification.objects.filter(kind=kinds.JP_BEHIND, key=key).delete()
    MailMessage.objects.filter(kind=kinds.JP_BEHIND, key=key).delete()
    chunks = len(services._employee_id_ranges())

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        mails = services.jp_reminders_prepare(today=day)
        cold_ms = (time.perf_counter() - started) * 1000
    queries = len(captured.captured_queries)
    started = time.perf_counter()
    again = services.jp_reminders_prepare(today=day)
    again_ms = (time.perf_counter() - started) * 1000
    assert again == []
    results = [
        Result(
            name="reminder batch prepared (JP behind, everyone)",
            size=size,
            median_ms=round(cold_ms, 1),
            queries=queries,
            floor_ms=None,
            budget_ms=60_000,
            max_queries=1 + chunks,
            note=(
                f"{len(mails):,} notifications + mails; {chunks} chunks of "
                f"{services.REMINDER_CHUNK:,}, 1 statement each; run again: {again_ms:,.0f} ms, "
                "nothing created"
            ),
        )
    ]

    # Someone who heads nothing, like most readers (a head's header asks once more).
    reader = (
        Employee.objects.filter(user__isnull=False)
        .exclude(assignments__position__is_head=True)
        .order_by("id")
        .first()
    )
    services.notifications_create(
        kind=kinds.CERTIFICATE_ISSUED,
        items=[
            Item(reader.user_id, f"bench-{n}", {"title": f"Kursus {n}", "code": f"B{n}"}, "/")
            for n in range(200)
        ],
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(reader.user)
    results.append(
        measure(
            "notification list page (/me/notifications/)",
            size,
            lambda: client.get("/me/notifications/"),
            None,
            budget_ms=50,
            max_queries=7,
            runs=25,
            note="200 notifications, page 1 of 20 rows",
        )
    )
    return results


def main() -> int:
    """Generate the organisation at each of ``BENCH_SIZES`` in ``DATABASE_URL`` and run only
    these workloads."""
    from bench import workloads

    results = []
    for size in [int(s) for s in os.environ.get("BENCH_SIZES", "10000").split(",") if s]:
        started = time.monotonic()
        workloads.build(size)
        print(f"[bench] {size:,} employees generated in {time.monotonic() - started:.1f}s")
        for result in notification_workloads(size):
            results.append(result)
            print(f"[bench] {result.line()}", flush=True)
    print()
    print(workloads.table(results))
    return 0 if all(r.within_budget for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
