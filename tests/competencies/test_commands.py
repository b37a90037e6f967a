"""The framework data, the demo city and the synthetic dataset generator."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone

from competencies import access, selectors
from competencies.models import (
    Assignment,
    AssignmentEvent,
    Competency,
    CompetencyLevel,
    Employee,
    Evidence,
    OrgUnit,
    Position,
    PositionRequirement,
    SummaryRollupState,
)
from competencies.validators import parse_nip

pytestmark = pytest.mark.django_db


def test_the_framework_ships_33_competencies_with_five_rated_levels() -> None:
    counts = dict(Competency.objects.values_list("kind").annotate(n=Count("id")))
    assert counts == {"manajerial": 8, "sosial_kultural": 1, "teknis": 24}
    assert Competency.objects.get(code="M.01").name_id == "Integritas"
    assert Competency.objects.get(code="S.01").name_id == "Perekat Bangsa"
    assert CompetencyLevel.objects.count() == 33 * 5
    for level in CompetencyLevel.objects.all():
        assert len(level.description_id) > 30
        assert 3 <= len(level.indicator_list) <= 4


def test_load_framework_is_idempotent() -> None:
    call_command("load_framework", stdout=StringIO())
    assert Competency.objects.count() == 33
    assert CompetencyLevel.objects.count() == 165


def test_seed_demo_builds_the_city_once_and_resets_logins(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = (
        OrgUnit.objects.count(),
        Position.objects.count(),
        Employee.objects.count(),
        Assignment.objects.count(),
    )
    assert first[0] == 31 and 280 <= first[2] <= 330
    call_command("seed_demo", stdout=out)
    assert (
        OrgUnit.objects.count(),
        Position.objects.count(),
        Employee.objects.count(),
        Assignment.objects.count(),
    ) == first
    for username in ("demo.pegawai", "demo.kepala", "demo.hr", "admin"):
        assert authenticate(username=username, password="tangkas-demo") is not None, username
    kepala = authenticate(username="demo.kepala", password="tangkas-demo")
    today = timezone.localdate()
    visible = set(
        access.org_units_visible_to(user=kepala, as_of=today).values_list("code", flat=True)
    )
    assert visible == {"DISKOMINFO-APTIKA", "DISKOMINFO-APTIKA-EGOV", "DISKOMINFO-APTIKA-PUSDATA"}
    pegawai = Employee.objects.get(user__username="demo.pegawai")
    [held] = selectors.employee_gaps(employee=pegawai, as_of=today)
    assert held.position.code == "DISKOMINFO-APTIKA-EGOV-PK-AP"
    hr = authenticate(username="demo.hr", password="tangkas-demo")
    assert access.user_is_hr(user=hr)
    # Every demo NIP is valid; several years of history; evidence from many sources.
    for nip in Employee.objects.values_list("nip", flat=True):
        parse_nip(nip)
    assert Assignment.objects.filter(start_date__lt=today - dt.timedelta(days=5 * 365)).exists()
    assert Evidence.objects.values("source").distinct().count() >= 6


def test_seed_demo_is_refused_under_production(settings) -> None:
    settings.ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=StringIO())
    assert not Employee.objects.exists()


_SCHEMA = """
    SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
    WHERE conrelid::regclass::text LIKE 'competencies_%%'
    UNION ALL
    SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'competencies_%%'
"""


def _schema() -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(_SCHEMA)
        return set(cursor.fetchall())


def test_generate_dataset_builds_the_requested_shape() -> None:
    out = StringIO()
    schema = _schema()
    call_command("generate_dataset", "--employees", "600", "--seed", "7", stdout=out)
    # The keys and indexes dropped for the load are back, as they were, and enforced.
    assert _schema() == schema
    with pytest.raises(IntegrityError), transaction.atomic():
        requirement = PositionRequirement.objects.first()
        PositionRequirement.objects.filter(pk=requirement.pk).update(competency_id=10**9)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # The proficiency table and the summary's rollup are built from what was generated.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM competencies_proficiency")
        before = cursor.fetchone()[0]
        cursor.execute("SELECT competencies_proficiency_rebuild()")
        assert cursor.fetchone()[0] == before > 0
    today = timezone.localdate()
    assert SummaryRollupState.objects.get().day == today
    kept = selectors.org_summary(as_of=today)
    SummaryRollupState.objects.update(day=today - dt.timedelta(days=1))  # read live instead
    assert selectors.org_summary(as_of=today) == kept
    assert len({row.top_unit_id for row in kept}) == 5
    assert "600 employees" in out.getvalue()
    assert Employee.objects.count() == 600
    per_person = list(
        Assignment.objects.values("employee").annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert min(per_person) >= 3 and max(per_person) <= 6
    evidence = list(
        Evidence.objects.values("employee").annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert min(evidence) >= 10 and max(evidence) <= 30
    requirements = list(
        Position.objects.annotate(n=Count("requirements")).values_list("n", flat=True)
    )
    assert set(requirements) == {25}
    for nip in Employee.objects.values_list("nip", flat=True)[:200]:
        parse_nip(nip)
    today = timezone.localdate()
    assert Assignment.objects.definitive().active_on(today).count() == 600
    # Synthetic rows are not audited changes.
    assert not AssignmentEvent.objects.exists()
    # The audit triggers are back on afterwards.
    person = Employee.objects.first()
    Assignment.objects.filter(employee=person, end_date__isnull=True).update(decree_number="X")
    assert AssignmentEvent.objects.count() == 1


def test_generate_dataset_refuses_a_non_empty_organisation() -> None:
    call_command("generate_dataset", "--employees", "50", stdout=StringIO())
    with pytest.raises(CommandError, match="--replace"):
        call_command("generate_dataset", "--employees", "50", stdout=StringIO())
    call_command("generate_dataset", "--employees", "80", "--replace", stdout=StringIO())
    assert Employee.objects.count() == 80
