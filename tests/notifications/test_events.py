"""The events that notify, wired to the domain's own signals: a certificate issued or revoked,
evidence that waits for a reviewer, a graded quiz failed on its last attempt, and a
certificate that expires within 60 days. Each notifies its people once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from certificates import services as certificate_services
from competencies.access import HR_GROUP_NAME
from competencies.models import EvidenceSource
from courses import services as course_services
from courses.demo import take_course
from notifications import kinds, tasks
from notifications.models import MailMessage, Notification
from tests.competencies.factories import evidence
from tests.courses.conftest import answers_for, lesson, set_quiz


def notified(user, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_a_certificate_issued_and_revoked_notifies_its_holder_by_mail(
    catalogue,
    smtp,
    django_capture_on_commit_callbacks,
) -> None:
    catalogue.learner.user.email = "ayu@kota.example"
    catalogue.learner.user.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        take_course(catalogue.learner, catalogue.basics)
    [issued] = notified(catalogue.learner.user, kinds.CERTIFICATE_ISSUED)
    certificate = catalogue.learner.certificates.get()
    assert issued.key == str(certificate.pk) and issued.link == "/me/certificates/"
    [mail] = smtp.to("ayu@kota.example")
    assert mail.subject == f"Sertifikat Anda “{certificate.title}” telah terbit"

    with django_capture_on_commit_callbacks(execute=True):
        certificate_services.certificate_revoke(certificate=certificate, reason="Salah data")
    assert len(notified(catalogue.learner.user, kinds.CERTIFICATE_REVOKED)) == 1
    assert len(smtp.to("ayu@kota.example")) == 2
    assert "dicabut" in smtp.to("ayu@kota.example")[1].subject


def test_evidence_waiting_for_review_tells_the_head_once_a_day(
    people, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        evidence(people.staff, people.tik, 3, source=EvidenceSource.SELF_ASSESSMENT)
        evidence(people.english, people.tik, 4, source=EvidenceSource.SELF_ASSESSMENT)
        evidence(people.keen, people.tik, 2, source=EvidenceSource.ASSESSMENT)  # counts at once
    [told] = notified(people.head.user, kinds.EVIDENCE_TO_REVIEW)
    assert told.link == "/dashboard/validation/"
    assert told.params == {"competency": "TIK-05", "level": 3}
    assert Notification.objects.filter(kind=kinds.EVIDENCE_TO_REVIEW).count() == 1
    # The link works for the head.
    from django.test import Client

    head = Client()
    head.force_login(people.head.user)
    assert head.get(told.link).status_code == 200


def test_the_heads_own_evidence_goes_to_hr_when_nobody_heads_them(
    people, django_capture_on_commit_callbacks
) -> None:
    from tests.notifications.conftest import person

    hr = person("hr")
    hr.user.groups.add(Group.objects.get_or_create(name=HR_GROUP_NAME)[0])
    with django_capture_on_commit_callbacks(execute=True):
        evidence(people.head, people.tik, 3, source=EvidenceSource.SELF_ASSESSMENT)
    assert len(notified(hr.user, kinds.EVIDENCE_TO_REVIEW)) == 1
    assert notified(people.head.user, kinds.EVIDENCE_TO_REVIEW) == []


@pytest.mark.parametrize("attempts", [1, 2])
def test_a_graded_quiz_failed_on_its_last_attempt_tells_the_learner(
    catalogue,
    settings,
    django_capture_on_commit_callbacks,
    attempts: int,
) -> None:
    settings.QUIZ_RETRY_WAIT_MINUTES = 0
    learner = catalogue.learner
    course_services.enrollment_create(employee=learner, course=catalogue.basics)
    course_services.lesson_complete(
        employee=learner, lesson=lesson(catalogue.basics, "tabel-dan-relasi")
    )
    final = set_quiz(
        lesson(catalogue.basics, "ujian-akhir"), time_limit_minutes=None, max_attempts=attempts
    )
    [quiz_id] = final.quizzes()
    for number in range(1, attempts + 1):
        with django_capture_on_commit_callbacks(execute=True):
            attempt = course_services.quiz_attempt_start(
                employee=learner, lesson=final, quiz_id=quiz_id
            )
            _quiz_id, wrong = answers_for(final, right=False, attempt=attempt)
            course_services.quiz_submit(
                employee=learner,
                lesson=final,
                quiz_id=quiz_id,
                answers=wrong,
                attempt_id=attempt.pk,
            )
        told = notified(learner.user, kinds.QUIZ_FAILED)
        assert len(told) == (1 if number == attempts else 0)
    [failed] = told
    assert failed.params["course"] == catalogue.basics.title
    assert failed.params["passing"] == catalogue.basics.passing_score


def test_a_certificate_expiring_within_60_days_is_told_once(
    people, smtp, django_capture_on_commit_callbacks
) -> None:
    today = dt.date(2025, 12, 31)
    soon = certificate_services.certificate_issue_for_external_training(
        employee=people.staff,
        title="Sertifikasi Jaringan",
        jp_hours=Decimal(8),
        completed_date=dt.date(2023, 3, 1),
        expires_on=today + dt.timedelta(days=60),
    )
    certificate_services.certificate_issue_for_external_training(
        employee=people.english,
        title="Sertifikasi Keamanan",
        jp_hours=Decimal(8),
        completed_date=dt.date(2023, 3, 1),
        expires_on=today + dt.timedelta(days=61),
    )
    Notification.objects.all().delete()  # the "issued" ones; the expiry is what is tested
    MailMessage.objects.all().delete()
    smtp.messages.clear()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.reminders_run.delay(today.isoformat())
    [told] = Notification.objects.filter(kind=kinds.CERTIFICATE_EXPIRING)
    assert told.recipient == people.staff.user
    assert told.key == f"{soon.pk}:2026-03-01"
    expiring = [m for m in smtp.messages if "kedaluwarsa" in m.subject]
    assert [m.rcpt_tos for m in expiring] == [[people.staff.user.email]]
