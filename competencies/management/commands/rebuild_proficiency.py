"""``manage.py rebuild_proficiency``: recompute the maintained proficiency table from the
evidence (``competencies.proficiency``). The triggers keep it in step; this is for after a
restore of the evidence alone, or to check: it says how many rows it wrote."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from competencies import proficiency


class Command(BaseCommand):
    help = "Recompute the maintained proficiency table from the evidence."

    def handle(self, *args: object, **options: object) -> None:
        started = time.monotonic()
        with transaction.atomic():
            written = proficiency.rebuild()
        self.stdout.write(
            f"Proficiency rebuilt: {written:,} intervals in {time.monotonic() - started:.1f}s."
        )
