"""Level 3 (behaviour): created on the due day in the city's time zone, once; asked of the
person's supervisor on that day (access moves with the post); a "yes" validates the provisional
evidence of that completion through the evidence review, with the supervisor as reviewer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from competencies.models import Evidence, EvidenceStatus
from core import dates
from evaluations import services
from evaluations.models import BehaviourEvaluation
from tests.evaluations.conftest import Office, client_for, external_training

WIB = ZoneInfo("Asia/Jakarta")
#: Two months before 31 December 2025: due that day when EVALUATION_LEVEL3_MONTHS is 2.
COMPLETED = dt.date(2025, 10, 31)


@pytest.fixture
def two_months(settings) -> None:
    settings.EVALUATION_LEVEL3_MONTHS = 2


@pytest.mark.awkward_hours
def test_created_on_the_due_day_in_the_citys_time_zone_and_only_once(
    office: Office, two_months: None, wib_clock: dt.datetime
) -> None:
    due = external_training(office.staff, COMPLETED)
    external_training(office.colleague, dt.date(2025, 11, 1))  # due on 1 January 2026
    today = dates.today()
    assert today == dt.date(2025, 12, 31)  # 00:30 WIB is still the 30th in UTC

    assert services.level3_evaluations_create(today=today - dt.timedelta(days=1)) == 0
    assert services.level3_evaluations_create(today=today) == 1
    assert services.level3_evaluations_create(today=today) == 0

    [evaluation] = BehaviourEvaluation.objects.all()
    assert evaluation.learning_record == due
    assert evaluation.due_date == dt.date(2025, 12, 31)
    # The head of the unit on the due day, not the one who led it at the completion.
    assert evaluation.supervisor == office.new_head.user
    assert not evaluation.is_answered


def test_a_completion_older_than_the_catch_up_window_is_not_asked_about(
    office: Office, two_months: None
) -> None:
    external_training(office.staff, dt.date(2025, 9, 1))  # due 1 November 2025
    assert services.level3_evaluations_create(today=dt.date(2025, 12, 31)) == 0
    assert services.level3_evaluations_create(today=dt.date(2025, 11, 9)) == 0
    assert services.level3_evaluations_create(today=dt.date(2025, 11, 8)) == 1


@pytest.fixture
def due_evaluation(office: Office, two_months: None):
    """The staff member's external training, evaluated on 31 December 2025 at 10:00 WIB."""
    with time_machine.travel(dt.datetime(2025, 12, 31, 10, 0, tzinfo=WIB), tick=False):
        record = external_training(office.staff, COMPLETED)
        services.level3_evaluations_create(today=dates.today())
        yield BehaviourEvaluation.objects.get(learning_record=record)


def test_only_the_supervisor_on_the_day_sees_and_answers_it(
    office: Office, due_evaluation: BehaviourEvaluation
) -> None:
    new_head = client_for(office.new_head)
    page = new_head.get("/dashboard/evaluations/")
    assert page.status_code == 200
    assert [e for e, _form in page.context["items"]] == [due_evaluation]
    assert "Dewi Lestari" in page.content.decode()

    # The head who rotated out (now heading a section elsewhere) no longer sees it ...
    old_head = client_for(office.old_head)
    assert old_head.get("/dashboard/evaluations/").context["items"] == []
    # ... nor may answer it; neither may the head of another unit, nor the person.
    for employee in (office.old_head, office.other_head, office.staff):
        client_for(employee).post(
            f"/dashboard/evaluations/{due_evaluation.pk}/", {"answer": "no", "comment": "x"}
        )
    due_evaluation.refresh_from_db()
    assert not due_evaluation.is_answered
    # A civil servant who heads nothing gets the 403 page.
    assert client_for(office.colleague).get("/dashboard/evaluations/").status_code == 403

    # On the day before the handover, the old head was the one asked.
    with time_machine.travel(dt.datetime(2025, 12, 15, 10, 0, tzinfo=WIB), tick=False):
        early = BehaviourEvaluation.objects.filter(pk=due_evaluation.pk)
        early.update(due_date=dt.date(2025, 12, 15))
        assert [e for e, _f in old_head.get("/dashboard/evaluations/").context["items"]] == [
            due_evaluation
        ]
        assert new_head.get("/dashboard/evaluations/").status_code == 403


def test_yes_validates_the_provisional_evidence_with_the_supervisor_as_reviewer(
    office: Office, due_evaluation: BehaviourEvaluation
) -> None:
    [evidence] = Evidence.objects.filter(employee=office.staff)
    assert evidence.status == EvidenceStatus.PROVISIONAL
    other = external_training(office.staff, dt.date(2025, 12, 1), title="Pelatihan Lain")
    [untouched] = Evidence.objects.filter(employee=office.staff, achieved_date=other.completed_date)

    with time_machine.travel(dt.datetime(2025, 12, 31, 23, 30, tzinfo=WIB), tick=False):
        response = client_for(office.new_head).post(
            f"/dashboard/evaluations/{due_evaluation.pk}/",
            {"answer": "yes", "comment": "Sudah menerapkan enkripsi.", "validate_evidence": "on"},
            follow=True,
        )
    assert response.status_code == 200
    assert "1 bukti divalidasi" in response.content.decode()
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.VALIDATED
    assert evidence.reviewed_by == office.new_head.user
    assert "Pelatihan Keamanan Siber BSSN" in evidence.review_note
    untouched.refresh_from_db()
    assert untouched.status == EvidenceStatus.PROVISIONAL  # another training's evidence
    due_evaluation.refresh_from_db()
    assert (due_evaluation.answer, due_evaluation.evidence_validated) == ("yes", 1)
    assert due_evaluation.answered_by == office.new_head.user

    # Answered once: a second answer changes nothing.
    with time_machine.travel(dt.datetime(2026, 1, 2, 9, 0, tzinfo=WIB), tick=False):
        again = client_for(office.new_head).post(
            f"/dashboard/evaluations/{due_evaluation.pk}/", {"answer": "no"}, follow=True
        )
    assert "sudah dievaluasi" in again.content.decode()
    due_evaluation.refresh_from_db()
    assert due_evaluation.answer == "yes"


def test_partly_keeps_the_evidence_waiting_and_a_missing_answer_is_explained(
    office: Office, due_evaluation: BehaviourEvaluation
) -> None:
    client = client_for(office.new_head)
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=WIB), tick=False):
        bad = client.post(f"/dashboard/evaluations/{due_evaluation.pk}/", {"comment": "?"})
        assert bad.status_code == 400
        assert "Pilih ya, sebagian, atau tidak." in bad.content.decode()
        client.post(
            f"/dashboard/evaluations/{due_evaluation.pk}/",
            {"answer": "partly", "validate_evidence": "on"},
        )
    due_evaluation.refresh_from_db()
    assert due_evaluation.answer == "partly" and due_evaluation.evidence_validated == 0
    assert Evidence.objects.get(employee=office.staff).status == EvidenceStatus.PROVISIONAL


def test_hr_may_answer_for_anyone(office: Office, due_evaluation: BehaviourEvaluation) -> None:
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=WIB), tick=False):
        client_for(office.hr_user).post(
            f"/dashboard/evaluations/{due_evaluation.pk}/", {"answer": "no", "comment": "Belum."}
        )
    due_evaluation.refresh_from_db()
    assert due_evaluation.answer == "no" and due_evaluation.answered_by == office.hr_user


def test_the_pending_list_runs_a_fixed_number_of_queries(
    office: Office, two_months: None, django_assert_num_queries: Callable
) -> None:
    client: Client = client_for(office.new_head)
    with time_machine.travel(dt.datetime(2025, 12, 31, 10, 0, tzinfo=WIB), tick=False):
        external_training(office.staff, COMPLETED)
        services.level3_evaluations_create(today=dates.today())
        client.get("/dashboard/evaluations/")
        with CaptureQueriesContext(connection) as before:
            client.get("/dashboard/evaluations/")
        queries = len(before.captured_queries)
        for number in range(6):
            external_training(office.colleague, COMPLETED, title=f"Pelatihan {number}")
        assert services.level3_evaluations_create(today=dates.today()) == 6
        with django_assert_num_queries(queries):
            response = client.get("/dashboard/evaluations/")
    assert len(response.context["items"]) == 7
