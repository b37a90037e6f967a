"""The reminder batch sends through a real SMTP server: each person behind their JP target
once per stage of the year, in their language, with one-click unsubscribe headers that work;
running the batch twice sends nothing more; a refused recipient is logged on its own message
and the others are still sent; a mail a dead worker left half-way is sent by the next run."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from notifications import kinds, services, tasks
from notifications.models import MailMessage, MailStatus, Notification, NotificationPreference

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def run_batch(django_capture_on_commit_callbacks):
    """Run the beat's reminder task as beat does (eagerly here); the mails it hands to the
    workers after commit are sent at once."""

    def run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.reminders_run.delay().get()

    return run


@pytest.mark.awkward_hours
def test_a_batch_run_twice_sends_each_person_behind_one_mail_in_their_language(
    people, smtp, wib_clock, run_batch
) -> None:
    assert run_batch() == 3  # the head, the staff member and the English reader; not the keen one
    assert run_batch() == 0
    assert len(smtp.messages) == 3
    assert smtp.to(people.keen.user.email) == []

    [indonesian] = smtp.to(people.staff.user.email)
    assert indonesian.subject == "Jam pelajaran Anda untuk 2025 tertinggal"
    assert indonesian.message["Content-Language"] == "id"
    assert "0 dari 20 JP" in indonesian.part("text/plain")
    [english] = smtp.to(people.english.user.email)
    assert english.subject == "Your learning hours for 2025 are behind"
    assert "you have 0 of your 20 JP for 2025" in english.part("text/plain")
    assert '<html lang="en">' in english.part("text/html")

    # One notification each, and one mail each in the log.
    assert Notification.objects.filter(kind=kinds.JP_BEHIND, key="2025-q4").count() == 3
    assert set(MailMessage.objects.values_list("status", flat=True)) == {MailStatus.SENT}


def test_the_mail_links_work_and_its_one_click_unsubscribe_switches_the_kind_off(
    people, smtp, run_batch
) -> None:
    with time_machine.travel(dt.datetime(2025, 10, 1, 0, 30, tzinfo=WIB)):
        run_batch()
    [arrived] = smtp.to(people.staff.user.email)
    message = arrived.message
    assert message.is_multipart()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = str(message["List-Unsubscribe"]).strip().removeprefix("<").removesuffix(">")
    assert unsubscribe_url.startswith("http://testserver/notifications/unsubscribe/")
    for text in (arrived.part("text/plain"), arrived.part("text/html")):
        assert "http://testserver/me/competencies/" in text
        assert unsubscribe_url in text
        assert people.staff.nip not in text and people.staff.nip not in unsubscribe_url

    reader = Client()
    reader.force_login(people.staff.user)
    assert reader.get("/me/competencies/").status_code == 200
    assert reader.get("/me/notifications/").status_code == 200

    path = unsubscribe_url.removeprefix("http://testserver")
    mail_client = Client(enforce_csrf_checks=True)  # what a mail provider's one-click does
    page = mail_client.get(path)
    assert page.status_code == 200 and b'<form method="post">' in page.content
    assert not NotificationPreference.objects.filter(user=people.staff.user).exists()
    done = mail_client.post(
        path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert done.status_code == 200
    preference = NotificationPreference.objects.get(user=people.staff.user, kind=kinds.JP_BEHIND)
    assert preference.email is False

    # The next stage's reminder still reaches the list, but not the mailbox.
    with time_machine.travel(dt.datetime(2026, 7, 1, 0, 30, tzinfo=WIB)):
        run_batch()
    assert len(smtp.to(people.staff.user.email)) == 1
    assert Notification.objects.filter(recipient=people.staff.user, key="2026-mid").exists()
    assert len(smtp.to(people.english.user.email)) == 2


def test_an_unsubscribe_token_that_is_not_ours_is_refused(people) -> None:
    token = services.unsubscribe_token(user_id=people.staff.user_id, kind=kinds.JP_BEHIND)
    for bad in (
        token[:-2] + "xx",  # edited
        token[:20],  # cut short
        services.unsubscribe_token(user_id=people.staff.user_id, kind="no_such_kind"),
        services.unsubscribe_token(user_id=10**9, kind=kinds.JP_BEHIND),
    ):
        url = reverse("notifications:unsubscribe", kwargs={"token": bad})
        for response in (Client().get(url), Client().post(url)):
            assert response.status_code == 400
            assert "tidak sah" in response.content.decode()
            assert "<form" not in response.content.decode().split("<main", 1)[1]
    assert not NotificationPreference.objects.exists()


def test_the_reminder_follows_the_city_clock_not_utc(people, smtp, run_batch) -> None:
    # 30 June 23:30 WIB is still the first half of the year: nobody is behind yet.
    with time_machine.travel(dt.datetime(2025, 6, 30, 23, 30, tzinfo=WIB)):
        assert run_batch() == 0
    # 1 July 00:30 WIB (still 30 June in UTC): the mid-year reminder, for less than half of 20 JP.
    with time_machine.travel(dt.datetime(2025, 7, 1, 0, 30, tzinfo=WIB)):
        assert run_batch() == 3
    assert {n.key for n in Notification.objects.all()} == {"2025-mid"}
    [staff] = smtp.to(people.staff.user.email)
    assert "Separuh tahun 2025" in staff.part("text/plain")


def test_a_refused_recipient_is_logged_on_its_message_and_the_others_are_sent(
    people, smtp, run_batch
) -> None:
    smtp.refuse.add(people.staff.user.email)
    with time_machine.travel(dt.datetime(2025, 12, 31, 23, 30, tzinfo=WIB)):
        run_batch()
    assert len(smtp.messages) == 2
    refused = MailMessage.objects.get(recipient=people.staff.user)
    assert refused.status == MailStatus.BOUNCED
    assert "550" in refused.error and refused.attempts == 1
    assert MailMessage.objects.filter(status=MailStatus.SENT).count() == 2


def test_a_mail_left_half_way_by_a_dead_worker_is_sent_once_by_the_next_run(people, smtp) -> None:
    with time_machine.travel(dt.datetime(2025, 12, 31, 0, 30, tzinfo=WIB)):
        message_ids = services.jp_reminders_prepare(today=dt.date(2025, 12, 31))
    assert len(message_ids) == 3 and smtp.messages == []
    # A worker claimed the first mail and died before sending it; another claimed the second
    # a moment ago and is still working on it.
    MailMessage.objects.filter(pk=message_ids[0]).update(
        status=MailStatus.SENDING,
        attempts=1,
        claimed_at=dt.datetime(2025, 12, 30, 17, 0, tzinfo=dt.UTC),
    )
    busy = MailMessage.objects.get(pk=message_ids[1])
    MailMessage.objects.filter(pk=busy.pk).update(
        status=MailStatus.SENDING, attempts=1, claimed_at=dt.datetime.now(dt.UTC)
    )
    counts = services.mail_messages_send(message_ids=message_ids)
    assert counts[MailStatus.SENT] == 2  # the dead worker's and the untouched one
    assert MailMessage.objects.get(pk=busy.pk).status == MailStatus.SENDING
    assert services.mail_messages_send(message_ids=message_ids)[MailStatus.SENT] == 0
    assert len(smtp.messages) == 2
    assert MailMessage.objects.get(pk=message_ids[0]).attempts == 2


def test_a_failed_mail_is_tried_again_and_then_sent(
    people, smtp, settings, django_capture_on_commit_callbacks
) -> None:
    with time_machine.travel(dt.datetime(2025, 12, 31, 0, 30, tzinfo=WIB)):
        message_ids = services.jp_reminders_prepare(today=dt.date(2025, 12, 31))
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there: the connection fails
    counts = services.mail_messages_send(message_ids=message_ids)
    assert counts[MailStatus.FAILED] == 3
    assert all("Error" in m.error for m in MailMessage.objects.all())
    settings.EMAIL_PORT = port
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.mail_sweep.delay().get() == 3
    assert len(smtp.messages) == 3
    assert set(MailMessage.objects.values_list("status", "attempts")) == {(MailStatus.SENT, 2)}


def test_no_reminder_before_july_and_none_for_people_who_left(people, smtp) -> None:
    assert services.jp_reminders_prepare(today=dt.date(2025, 6, 30)) == []
    people.staff.status = "retired"
    people.staff.save(update_fields=["status"])
    assert len(services.jp_reminders_prepare(today=dt.date(2025, 7, 1))) == 2
    assert not Notification.objects.filter(recipient=people.staff.user).exists()


def test_the_batch_runs_a_fixed_number_of_statements_per_chunk(
    people, django_assert_num_queries, monkeypatch
) -> None:
    # Chunks of two employee ids: the four people and their head fall into several chunks,
    # plus one statement for the range of ids.
    monkeypatch.setattr(services, "REMINDER_CHUNK", 2)
    chunks = len(services._employee_id_ranges())
    with django_assert_num_queries(1 + chunks):  # one INSERT … SELECT per chunk
        services.jp_reminders_prepare(today=dt.date(2025, 12, 31))
