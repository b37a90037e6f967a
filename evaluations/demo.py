"""Demo training evaluations for ``manage.py seed_demo``: reaction answers from colleagues who
completed the demo courses (enough for one course's rating to show in the catalogue), and an
external training of someone demo.kepala leads, completed ``EVALUATION_LEVEL3_MONTHS`` ago with
evidence waiting, so that its level-3 evaluation is due for demo.kepala to answer. demo.pegawai's
own completions are left for them to evaluate. Idempotent: a second run creates nothing."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model

from competencies.access import evidence_reviewees
from competencies.models import Competency, Employee
from courses import demo as courses_demo
from courses import services as course_services
from courses.models import CoursePage, Enrollment, LearningRecord
from evaluations import services
from evaluations.models import ReactionSurvey

#: The course whose rating the demo catalogue shows.
RATED_COURSE = "keamanan-informasi-dasar-asn"
LEVEL3_REFERENCE = "BSSN-PKS-2026-0087"

#: (relevance, quality, applicability, comment), used in turn.
ANSWERS = [
    (5, 4, 5, "Materi phishing dan kata sandi langsung kami terapkan di bidang."),
    (4, 4, 4, "Contoh kasusnya dekat dengan pekerjaan di perangkat daerah."),
    (5, 5, 4, ""),
    (4, 3, 4, "Video agak panjang, tetapi kuisnya membantu."),
    (3, 4, 3, "Perlu contoh untuk aplikasi layanan publik kami sendiri."),
    (5, 4, 4, "Sangat relevan untuk pengelola data di Diskominfo."),
]


def _months_before(day: dt.date, months: int) -> dt.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _answer_completions(records: list[LearningRecord]) -> int:
    created = 0
    for number, record in enumerate(records):
        relevance, quality, applicability, comment = ANSWERS[number % len(ANSWERS)]
        _survey, made = ReactionSurvey.objects.get_or_create(
            learning_record=record,
            defaults={
                "relevance": relevance,
                "quality": quality,
                "applicability": applicability,
                "comment": comment,
            },
        )
        created += made
    return created


def seed_evaluations(*, today: dt.date) -> int:
    """Returns the number of rows created (0 when already there)."""
    User = get_user_model()
    pegawai = Employee.objects.filter(user__username="demo.pegawai").first()
    created = 0
    course = CoursePage.objects.live().filter(slug=RATED_COURSE).first()
    if course is not None and pegawai is not None:
        # Enough colleagues complete the rated course for its rating to show.
        done = LearningRecord.objects.filter(enrollment__course=course).exclude(employee=pegawai)
        missing = settings.EVALUATION_RATING_MIN_RESPONSES - done.count()
        if missing > 0:
            newcomers = (
                Employee.objects.filter(
                    assignments__position__org_unit__code__startswith="DISKOMINFO",
                    user__isnull=True,
                )
                .exclude(pk__in=Enrollment.objects.values("employee_id"))
                .distinct()
                .order_by("id")[:missing]
            )
            for employee in newcomers:
                courses_demo.take_course(employee, course)
        others = LearningRecord.objects.filter(enrollment__isnull=False).exclude(employee=pegawai)
        created += _answer_completions(list(others.order_by("id")))

    head = User.objects.filter(username="demo.kepala").first()
    if head is not None and not LearningRecord.objects.filter(reference=LEVEL3_REFERENCE).exists():
        led = evidence_reviewees(user=head, as_of=today).order_by("id")
        person = led.filter(pk=pegawai.pk).first() if pegawai is not None else None
        person = person or led.first()
        competency = Competency.objects.filter(code="TIK-05").first()
        if person is not None and competency is not None:
            months = settings.EVALUATION_LEVEL3_MONTHS
            completed = _months_before(today, months) - dt.timedelta(days=2)
            course_services.learning_record_create(
                employee=person,
                title="Pelatihan Pengamanan Basis Data Pemerintah Daerah",
                provider="Badan Siber dan Sandi Negara (BSSN)",
                jp_hours=Decimal(24),
                start_date=completed - dt.timedelta(days=3),
                completed_date=completed,
                reference=LEVEL3_REFERENCE,
                competencies=[(competency, 3)],
            )
            created += 1
    created += services.level3_evaluations_create(today=today)
    return created
