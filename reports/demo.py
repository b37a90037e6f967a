"""Demo data for the policy reports: external training in this year's ledger, so that the
JP-target report shows perangkat daerah at different shares (the demo city's course learners
alone reach no one's 20 JP). Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from competencies.models import Assignment
from courses.models import LearningRecord, LearningSource

#: Marks the ledger lines this seed writes (``reference``), so it writes them once a year.
REFERENCE_PREFIX = "DEMO-LAPORAN-"
#: (title, provider, JP): training a city's civil servants really take outside Tangkas.
TRAININGS = [
    ("Pelatihan Manajemen Keamanan Informasi", "BSSN", Decimal("24")),
    ("Government Transformation Academy", "Kementerian Komunikasi dan Digital", Decimal("20")),
    ("Bimbingan Teknis Arsitektur SPBE", "Kementerian PANRB", Decimal("16")),
    ("Kursus Analisis Data untuk Kebijakan Publik", "Universitas Gadjah Mada", Decimal("12")),
    ("Webinar Satu Data Indonesia", "Bappenas", Decimal("4")),
]


@transaction.atomic
def seed_reports(*, today: dt.date) -> int:
    """External training for about two people in three posted today (not the demo logins,
    whose own ledgers other demos tell a story with). Returns how many lines were written."""
    reference = f"{REFERENCE_PREFIX}{today.year}"
    if LearningRecord.objects.filter(reference__startswith=reference).exists():
        return 0
    people = list(
        Assignment.objects.definitive()
        .active_on(today)
        .filter(employee__user__isnull=True)
        .order_by("employee_id")
        .values_list("employee_id", flat=True)
        .distinct()
    )
    lines = []
    for index, employee_id in enumerate(people):
        # Seven people in ten get one training, one in three of them a second: some reach the
        # 20 JP, most do not yet.
        if index % 10 >= 7:
            continue
        picks = [TRAININGS[index % len(TRAININGS)]]
        if index % 3 == 0:
            picks.append(TRAININGS[(index + 2) % len(TRAININGS)])
        for number, (title, provider, jp) in enumerate(picks):
            completed = min(today, dt.date(today.year, 1 + (index + number * 4) % 10, 15))
            lines.append(
                LearningRecord(
                    employee_id=employee_id,
                    year=today.year,
                    start_date=completed,
                    completed_date=completed,
                    jp_hours=jp,
                    source=LearningSource.EXTERNAL,
                    title=title,
                    provider=provider,
                    reference=f"{reference}-{employee_id}-{number}",
                )
            )
    LearningRecord.objects.bulk_create(lines)
    return len(lines)
