"""The rules of providers, offerings and requests, held by the database (and explained by the
admin's forms through ``clean``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from competencies.models import Competency
from courses import services as course_services
from providers.models import Offering, OfferingCompetency, OfferingRequest, Provider
from tests.competencies.factories import EmployeeFactory
from tests.providers.factories import make_offering, make_provider

pytestmark = pytest.mark.django_db


def refused(constraint: str, write) -> None:
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        write()


def test_a_mou_cannot_end_before_it_starts() -> None:
    provider = Provider(
        name="PT Uji",
        kind="vendor",
        mou_start_date=dt.date(2026, 5, 1),
        mou_end_date=dt.date(2026, 4, 30),
    )
    with pytest.raises(ValidationError) as error:
        provider.full_clean()
    assert "mou_end_date" in error.value.message_dict
    refused("provider_mou_ends_after_start", provider.save)
    provider.mou_end_date = dt.date(2026, 5, 1)
    provider.full_clean()
    provider.save()


def test_offering_rules() -> None:
    provider = make_provider()
    base = {"provider": provider, "title": "Uji", "path": "klasikal", "form": "pelatihan"}
    link = {"link": "https://example.go.id"}
    refused(
        "offering_positive_jp",
        lambda: Offering.objects.create(**base, **link, jp_hours=Decimal(0)),
    )
    refused(
        "offering_cost_not_negative",
        lambda: Offering.objects.create(**base, **link, jp_hours=1, cost=Decimal(-1)),
    )
    refused("offering_schedule_or_link", lambda: Offering.objects.create(**base, jp_hours=1))
    refused(
        "offering_ends_after_start",
        lambda: Offering.objects.create(
            **base, jp_hours=1, start_date=dt.date(2026, 2, 2), end_date=dt.date(2026, 2, 1)
        ),
    )
    refused(
        "offering_end_needs_start",
        lambda: Offering.objects.create(**base, **link, jp_hours=1, end_date=dt.date(2026, 2, 1)),
    )
    form_check = Offering(**base, jp_hours=Decimal(2))
    with pytest.raises(ValidationError) as error:
        form_check.full_clean()
    assert "link" in error.value.message_dict
    Offering.objects.create(**base, jp_hours=Decimal("0.25"), start_date=dt.date(2026, 2, 2))


def test_an_offering_builds_technical_competencies_once_at_a_level_1_to_5() -> None:
    offering = make_offering(make_provider())
    tik05 = Competency.objects.get(code="TIK-05")
    integrity = Competency.objects.get(code="M.01")
    refused(
        "offering_competency_level_1_to_5",
        lambda: OfferingCompetency.objects.create(offering=offering, competency=tik05, level=6),
    )
    OfferingCompetency.objects.create(offering=offering, competency=tik05, level=3)
    refused(
        "offering_competency_unique",
        lambda: OfferingCompetency.objects.create(offering=offering, competency=tik05, level=2),
    )
    managerial = OfferingCompetency(offering=offering, competency=integrity, level=2)
    with pytest.raises(ValidationError) as error:
        managerial.full_clean()
    # Read in English (the message is translated lazily, in the language active when read).
    with translation.override("en"):
        assert "technical competencies only" in str(error.value.message_dict["competency"])


def test_one_open_request_per_person_and_offering_and_completion_needs_its_record() -> None:
    offering = make_offering(make_provider())
    person = EmployeeFactory()
    first = OfferingRequest.objects.create(employee=person, offering=offering)
    refused(
        "offering_request_one_open",
        lambda: OfferingRequest.objects.create(
            employee=person, offering=offering, status="approved", decided_at=first.requested_at
        ),
    )
    refused(
        "offering_request_completed_has_record",
        lambda: OfferingRequest.objects.filter(pk=first.pk).update(
            status="completed", decided_at=first.requested_at
        ),
    )
    refused(
        "offering_request_decided_has_date",
        lambda: OfferingRequest.objects.filter(pk=first.pk).update(status="approved"),
    )
    record = course_services.learning_record_create(
        employee=person, title="Uji", jp_hours=Decimal(2), completed_date=dt.date(2026, 1, 5)
    )
    refused(
        "offering_request_completed_has_record",
        lambda: OfferingRequest.objects.filter(pk=first.pk).update(learning_record=record),
    )
    # A closed request leaves room for a new one.
    OfferingRequest.objects.filter(pk=first.pk).update(status="cancelled")
    OfferingRequest.objects.create(employee=person, offering=offering)
