"""``manage.py refresh_summary_rollup``: bring the organisation summary's per-unit rollup up
to date now (``competencies.rollups``; Celery beat does it every minute). ``--full``
recomputes every unit."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from competencies import rollups


class Command(BaseCommand):
    help = "Recompute the organisation summary's per-unit rollup (the marked units, or all)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="Recompute every unit.")

    def handle(self, *args: object, **options: object) -> None:
        started = time.monotonic()
        if options["full"]:
            with connection.cursor() as cursor:
                cursor.execute("SELECT competencies_rollup_mark_all()")
        done = rollups.refresh()
        if done is None:
            self.stdout.write("The summary rollup is up to date.")
            return
        self.stdout.write(
            f"Summary rollup of {done.day}: {done.top_units} units, {done.cells:,} cells "
            f"{'recomputed in full' if done.full else 'recomputed'} in "
            f"{time.monotonic() - started:.1f}s."
        )
