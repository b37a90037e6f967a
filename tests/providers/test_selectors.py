"""``offerings_by_competency``: the partner options the AKPK draft offers for a competency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from competencies.models import Competency, Employee
from courses.services import learning_record_create
from providers.models import OfferingRequest
from providers.selectors import OfferingOption, offerings_by_competency, provider_activity
from tests.competencies.factories import EmployeeFactory
from tests.providers.factories import DAY, make_offering, make_provider

pytestmark = pytest.mark.django_db


def test_options_by_level_then_cost_in_one_query(django_assert_num_queries) -> None:
    tik05 = Competency.objects.get(code="TIK-05")
    tik06 = Competency.objects.get(code="TIK-06")
    bssn = make_provider()
    its = make_provider("Institut Teknologi Sepuluh Nopember", kind="university")
    dear = make_offering(bssn, "Mahal level 2", builds=[(tik05, 2)], cost="5000000")
    cheap = make_offering(its, "Murah level 2", builds=[(tik05, 2), (tik06, 3)], cost="750000")
    first = make_offering(its, "Level 1", builds=[(tik05, 1)], cost="9000000")

    with django_assert_num_queries(1):
        options = offerings_by_competency(competency_ids=[tik05.pk, tik06.pk, 999999], day=DAY)

    assert [o.id for o in options[tik05.pk]] == [first.pk, cheap.pk, dear.pk]
    assert options[tik06.pk] == [
        OfferingOption(
            id=cheap.pk,
            title="Murah level 2",
            provider_name="Institut Teknologi Sepuluh Nopember",
            jp=Decimal("24.00"),
            cost=Decimal("750000.00"),
            path="klasikal",
            form="pelatihan",
            level=3,
        )
    ]
    assert 999999 not in options


def test_only_active_offerings_of_partners_under_a_valid_mou() -> None:
    tik05 = Competency.objects.get(code="TIK-05")
    valid = make_provider(
        "Universitas Brawijaya",
        kind="university",
        mou_start_date=dt.date(2026, 1, 1),
        mou_end_date=dt.date(2026, 12, 31),
    )
    open_ended = make_provider("Komunitas Python Indonesia", kind="community")
    expired = make_provider("PT Lama", kind="vendor", mou_end_date=DAY - dt.timedelta(days=1))
    not_yet = make_provider("PT Baru", kind="vendor", mou_start_date=DAY + dt.timedelta(days=1))
    inactive = make_provider("PT Nonaktif", kind="vendor", is_active=False)
    shown = {
        make_offering(valid, "Valid", builds=[(tik05, 2)]).pk,
        make_offering(open_ended, "Tanpa periode", builds=[(tik05, 2)]).pk,
        make_offering(
            valid, "Berakhir hari ini", builds=[(tik05, 2)], start_date=DAY, end_date=DAY
        ).pk,
    }
    make_offering(valid, "Nonaktif", builds=[(tik05, 2)], is_active=False)
    make_offering(
        valid,
        "Sudah selesai",
        builds=[(tik05, 2)],
        start_date=DAY - dt.timedelta(days=3),
        end_date=DAY - dt.timedelta(days=1),
    )
    for provider in (expired, not_yet, inactive):
        make_offering(provider, f"Dari {provider.name}", builds=[(tik05, 2)])

    options = offerings_by_competency(competency_ids=[tik05.pk], day=DAY)

    assert {o.id for o in options[tik05.pk]} == shown


def test_no_competencies_no_query(django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        assert offerings_by_competency(competency_ids=[], day=DAY) == {}


def test_provider_activity_counts_requests_people_and_completions(
    django_assert_num_queries,
) -> None:
    bssn = make_provider()
    quiet = make_provider("Komunitas Sepi", kind="community")
    first = make_offering(bssn, "Satu")
    second = make_offering(bssn, "Dua")
    make_offering(quiet, "Tiga")
    ani, budi = EmployeeFactory(), EmployeeFactory()
    now = timezone.now()
    OfferingRequest.objects.create(employee=ani, offering=first)
    OfferingRequest.objects.create(employee=ani, offering=second, status="approved", decided_at=now)
    record = learning_record_create(
        employee=budi, title="Satu", jp_hours=Decimal(12), completed_date=DAY
    )
    OfferingRequest.objects.create(
        employee=budi, offering=first, status="completed", decided_at=now, learning_record=record
    )
    OfferingRequest.objects.create(
        employee=budi, offering=second, status="rejected", decided_at=now
    )
    assert Employee.objects.count() == 2

    with django_assert_num_queries(2):
        rows = provider_activity()

    by_name = {row.name: row for row in rows}
    active = by_name["Badan Siber dan Sandi Negara"]
    assert (active.offerings, active.requests, active.participants) == (2, 4, 2)
    assert (active.approved, active.completions, active.jp_recorded) == (2, 1, Decimal("12.00"))
    silent = by_name["Komunitas Sepi"]
    assert (silent.offerings, silent.requests, silent.completions) == (1, 0, 0)
    assert provider_activity(year=now.year - 5)[0].requests == 0
