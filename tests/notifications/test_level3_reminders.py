"""The level-3 reminder in the daily batch: on the due day the batch creates the evaluations and
mails the person's supervisor on that day (not the head who rotated out), once per due day
however often the batch runs; a head who takes the post over later is told too."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from competencies.models import Assignment, Position
from evaluations.models import BehaviourEvaluation
from notifications import kinds, tasks
from notifications.models import Notification
from tests.competencies.factories import assign
from tests.evaluations.conftest import Office, external_training, office  # noqa: F401

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def run_batch(django_capture_on_commit_callbacks):
    def run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.reminders_run.delay().get()

    return run


@pytest.mark.awkward_hours
def test_the_batch_run_twice_tells_the_supervisor_on_the_due_day_once(
    office: Office,  # noqa: F811
    smtp,
    settings,
    run_batch,
    wib_clock: dt.datetime,
) -> None:
    settings.EVALUATION_LEVEL3_MONTHS = 2
    external_training(office.staff, dt.date(2025, 10, 31), title="Pelatihan Keamanan Siber BSSN")
    external_training(office.colleague, dt.date(2025, 10, 31), title="Pelatihan Tata Kelola SPBE")
    # The batch also sends the JP reminders of the last quarter (everyone is behind): only the
    # level-3 reminder is counted here.
    run_batch()
    assert BehaviourEvaluation.objects.count() == 2
    [notification] = Notification.objects.filter(kind=kinds.LEVEL3_EVALUATION_DUE)
    assert notification.recipient == office.new_head.user
    assert notification.key == "2025-12-31"
    assert notification.params == {"count": 2, "due_date": "2025-12-31"}
    assert notification.link == "/dashboard/evaluations/"
    [mail] = [m for m in smtp.to(office.new_head.user.email) if "level 3" in m.subject]
    assert mail.subject == "Evaluasi level 3 jatuh tempo"
    assert "2 evaluasi pelatihan pegawai yang Anda pimpin" in mail.part("text/plain")
    assert "http://testserver/dashboard/evaluations/" in mail.part("text/plain")
    # Nothing names the people (NIPs and names stay out of mails).
    assert office.staff.name not in mail.part("text/plain")
    assert [m for m in smtp.to(office.old_head.user.email) if "level 3" in m.subject] == []

    sent = len(smtp.messages)
    run_batch()
    assert len(smtp.messages) == sent
    assert Notification.objects.filter(kind=kinds.LEVEL3_EVALUATION_DUE).count() == 1


def test_a_head_who_takes_over_before_the_answer_is_told_too(
    office: Office,  # noqa: F811
    smtp,
    settings,
    run_batch,
) -> None:
    settings.EVALUATION_LEVEL3_MONTHS = 2
    external_training(office.staff, dt.date(2025, 10, 31))
    with time_machine.travel(dt.datetime(2025, 12, 31, 7, 0, tzinfo=WIB), tick=False):
        run_batch()
    # On 5 January the new head leaves the post and another head takes it over.
    successor = office.other_head
    head_post = Position.objects.get(title="Kepala Bidang Aptika")
    Assignment.objects.filter(employee=office.new_head, position=head_post).update(
        end_date=dt.date(2026, 1, 4)
    )
    Assignment.objects.filter(employee=successor).update(end_date=dt.date(2026, 1, 4))
    assign(successor, head_post, dt.date(2026, 1, 5), kind="rotasi")
    with time_machine.travel(dt.datetime(2026, 1, 5, 7, 0, tzinfo=WIB), tick=False):
        run_batch()
        run_batch()
    recipients = list(
        Notification.objects.filter(kind=kinds.LEVEL3_EVALUATION_DUE)
        .order_by("id")
        .values_list("recipient", flat=True)
    )
    assert recipients == [office.new_head.user_id, successor.user_id]
