"""The evidence policy (competencies/policy.py): what counts at once, what waits for a
reviewer, what is refused; a review is written once and the facts never change; the data
migration classifies evidence recorded before the policy."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.db import ProgrammingError, connection, transaction
from django.test import override_settings

from competencies import selectors, services
from competencies.exceptions import (
    EvidenceAlreadyReviewedError,
    EvidencePolicyError,
    OwnEvidenceReviewError,
)
from competencies.models import Evidence, EvidenceStatus
from competencies.policy import evidence_decision
from core.exceptions import ValidationError
from tests.competencies.factories import CompetencyFactory, EmployeeFactory, UserFactory, evidence

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 1, 1)


@pytest.mark.parametrize(
    ("source", "kind", "level", "status"),
    [
        ("course_completion", "teknis", 1, "validated"),
        ("course_completion", "teknis", 2, "validated"),
        ("course_completion", "teknis", 3, "provisional"),
        ("course_completion", "manajerial", 1, None),
        ("course_completion", "sosial_kultural", 1, None),
        ("external_certificate", "teknis", 2, "provisional"),
        ("external_certificate", "manajerial", 2, None),
        ("self_assessment", "teknis", 1, "provisional"),
        ("self_assessment", "manajerial", 3, "provisional"),
        ("assessment", "manajerial", 4, "validated"),
        ("supervisor_validation", "sosial_kultural", 2, "validated"),
        ("hr_validation", "teknis", 5, "validated"),
        ("migration", "manajerial", 3, "validated"),
    ],
)
def test_the_policy_table(source: str, kind: str, level: int, status: str | None) -> None:
    assert evidence_decision(source=source, competency_kind=kind, level=level).status == status


@override_settings(EVIDENCE_COURSE_LEVEL_CEILING=3)
def test_the_course_ceiling_is_a_setting() -> None:
    assert evidence_decision(source="course_completion", competency_kind="teknis", level=3).status
    assert (
        evidence_decision(source="course_completion", competency_kind="teknis", level=4).status
        == "provisional"
    )


def test_a_course_never_records_a_managerial_level() -> None:
    lead = CompetencyFactory(code="M.07", kind="manajerial")
    with pytest.raises(EvidencePolicyError) as raised:
        evidence(EmployeeFactory(), lead, 3, source="course_completion")
    assert raised.value.errors[0].field == "source"
    assert not Evidence.objects.exists()


def test_provisional_evidence_counts_only_once_validated() -> None:
    person, skill = EmployeeFactory(), CompetencyFactory(code="SELF-1")
    head = UserFactory(username="atasan")
    claim = evidence(person, skill, 4, source="self_assessment")
    assert claim.status == EvidenceStatus.PROVISIONAL
    [entry] = selectors.proficiency_for_employee(employee=person, as_of=DAY)
    assert (entry.level, entry.evidence) == (0, [claim])

    reviewed = services.evidence_review(evidence=claim, reviewer=head, validate=True, note="OK")
    assert (reviewed.status, reviewed.reviewed_by, reviewed.review_note) == (
        "validated",
        head,
        "OK",
    )
    assert reviewed.reviewed_at is not None
    [entry] = selectors.proficiency_for_employee(employee=person, as_of=DAY)
    assert entry.level == 4


def test_a_rejected_claim_never_counts_and_needs_a_reason() -> None:
    person, skill = EmployeeFactory(), CompetencyFactory()
    head = UserFactory()
    claim = evidence(person, skill, 3, source="external_certificate")
    with pytest.raises(ValidationError) as raised:
        services.evidence_review(evidence=claim, reviewer=head, validate=False, note="  ")
    assert raised.value.errors[0].field == "note"
    claim.refresh_from_db()
    assert claim.status == "provisional"
    services.evidence_review(evidence=claim, reviewer=head, validate=False, note="Palsu")
    [entry] = selectors.proficiency_for_employee(employee=person, as_of=DAY)
    assert entry.level == 0


def test_a_review_happens_once() -> None:
    claim = evidence(EmployeeFactory(), CompetencyFactory(), 3, source="self_assessment")
    services.evidence_review(evidence=claim, reviewer=None, validate=True)
    with pytest.raises(EvidenceAlreadyReviewedError):
        services.evidence_review(evidence=claim, reviewer=None, validate=False, note="no")
    claim.refresh_from_db()
    assert claim.status == "validated"


def test_nobody_reviews_their_own_evidence() -> None:
    user = UserFactory()
    claim = evidence(EmployeeFactory(user=user), CompetencyFactory(), 3, source="self_assessment")
    with pytest.raises(OwnEvidenceReviewError):
        services.evidence_review(evidence=claim, reviewer=user, validate=True)
    claim.refresh_from_db()
    assert claim.status == "provisional"


def test_the_database_keeps_the_facts_and_the_review_final() -> None:
    claim = evidence(EmployeeFactory(), CompetencyFactory(), 2, source="self_assessment")
    rows = Evidence.objects.filter(pk=claim.pk)
    with pytest.raises(ProgrammingError, match="Cannot update"), transaction.atomic():
        rows.update(level=5)
    with pytest.raises(ProgrammingError, match="Cannot update"), transaction.atomic():
        rows.update(level=5, status="validated")
    with pytest.raises(ProgrammingError, match="Cannot delete"), transaction.atomic():
        rows.delete()
    rows.update(status="rejected", review_note="bukti tidak sah")  # a review is allowed ...
    with pytest.raises(ProgrammingError, match="Cannot update"), transaction.atomic():
        rows.update(status="validated")  # ... once
    claim.refresh_from_db()
    assert (claim.level, claim.status) == (2, "rejected")


def test_the_data_migration_classifies_recorded_evidence(capsys) -> None:
    person, reviewer = EmployeeFactory(), UserFactory()
    tech, lead = CompetencyFactory(code="TIK-X"), CompetencyFactory(code="M.X", kind="manajerial")
    claimed = evidence(person, tech, 3, source="self_assessment")
    with connection.cursor() as cursor:  # rows as the system held them before the policy
        for competency, level, source, validates, by in [
            (tech, 2, "course_completion", None, None),
            (tech, 3, "course_completion", None, None),
            (lead, 3, "course_completion", None, None),
            (lead, 2, "external_certificate", None, None),
            (lead, 4, "assessment", None, None),
            (tech, 3, "supervisor_validation", claimed.pk, reviewer.pk),
        ]:
            cursor.execute(
                "INSERT INTO competencies_evidence (employee_id, competency_id, level, source,"
                " achieved_date, recorded_at, reference, note, validates_id, recorded_by_id)"
                " VALUES (%s, %s, %s, %s, '2024-01-01', now(), '', 'lama', %s, %s)",
                [person.pk, competency.pk, level, source, validates, by],
            )
    migration = importlib.import_module("competencies.migrations.0005_classify_recorded_evidence")
    with connection.schema_editor() as editor:
        migration.classify(django_apps, editor)

    status = {
        (e.competency.code, e.level, e.source): e.status
        for e in Evidence.objects.select_related("competency")
    }
    assert status == {
        ("TIK-X", 3, "self_assessment"): "validated",  # validated the earlier way
        ("TIK-X", 2, "course_completion"): "validated",
        ("TIK-X", 3, "course_completion"): "provisional",  # above the ceiling
        ("M.X", 3, "course_completion"): "rejected",
        ("M.X", 2, "external_certificate"): "rejected",
        ("M.X", 4, "assessment"): "validated",
        ("TIK-X", 3, "supervisor_validation"): "validated",
    }
    claimed.refresh_from_db()
    assert claimed.reviewed_by == reviewer
    rejected = Evidence.objects.filter(status="rejected").first()
    assert "kebijakan bukti" in rejected.review_note
    out = capsys.readouterr().out
    assert "2 row(s): course or certificate of a managerial/socio-cultural competency" in out
    assert "1 row(s) stay provisional" in out
