"""The pages: a person's notification list (paged, mark read, mark all read, without
JavaScript, a pinned number of queries), their settings (e-mail and digest per kind, the
language of mails), and the header's "Notifications (n)"."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from notifications import kinds, services, tasks
from notifications.models import Notification, NotificationPreference, NotificationProfile
from notifications.selectors import PAGE_SIZE, Item


def give(user, count: int, kind: str = kinds.CERTIFICATE_ISSUED, title: str = "Kursus") -> None:
    """``count`` notifications of ``kind`` for ``user``, as an event creates them (their mails
    are sent after commit)."""
    message_ids = services.event_notify(
        kind=kind,
        items=[
            Item(user.pk, f"c{n}", {"title": f"{title} {n}", "code": f"K{n}"}, "/me/certificates/")
            for n in range(count)
        ],
    )
    tasks.mail_messages_send.delay(message_ids)


@pytest.fixture
def staff(people) -> Client:
    client = Client()
    client.force_login(people.staff.user)
    return client


def unread_in_header(html: str) -> int:
    match = re.search(r'href="/me/notifications/"[^>]*>[^<(]+\((\d+)', html)
    assert match, "the header has no notifications link"
    return int(match.group(1))


def test_the_list_shows_ones_own_notifications_in_the_language_asked(people, staff) -> None:
    give(people.staff.user, 2)
    give(people.english.user, 1, title="Milik orang lain")
    page = staff.get("/me/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for n in (0, 1):
        assert f"Your certificate “Kursus {n}” (code K{n}) was issued." in page
    assert "Milik orang lain" not in page
    assert unread_in_header(page) == 2
    indonesian = staff.get("/me/notifications/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Sertifikat Anda “Kursus 1” telah terbit" in indonesian
    assert "<h1>Pemberitahuan</h1>" in indonesian


def test_marking_read_one_and_all_works_without_javascript(people, staff) -> None:
    give(people.staff.user, 3)
    first = Notification.objects.filter(recipient=people.staff.user).first()
    response = staff.post(f"/me/notifications/{first.pk}/read/", {"page": "1"})
    assert response.status_code == 302 and response["Location"] == "/me/notifications/?page=1"
    assert unread_in_header(staff.get("/me/notifications/").content.decode()) == 2
    staff.post("/me/notifications/read-all/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert unread_in_header(staff.get("/").content.decode()) == 0


def test_nobody_marks_someone_elses_notification(people, staff) -> None:
    give(people.english.user, 1)
    theirs = Notification.objects.get()
    response = staff.post(f"/me/notifications/{theirs.pk}/read/", follow=True)
    assert response.status_code == 200
    assert Notification.objects.get().read_at is None
    assert "tidak ada di daftar Anda" in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in_and_get_and_post_are_kept_apart(staff) -> None:
    for url in ("/me/notifications/", "/me/notifications/settings/"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert staff.get("/me/notifications/read-all/").status_code == 405


def test_the_list_is_paged_with_a_fixed_number_of_queries(
    people, staff, django_assert_num_queries
) -> None:
    give(people.staff.user, PAGE_SIZE + 5)
    staff.get("/me/notifications/")  # warm per-process caches
    # session, user, count, page, the header's unread count and its dashboard link (two)
    with django_assert_num_queries(7):
        first = staff.get("/me/notifications/")
    give(people.staff.user, 30, kind=kinds.CERTIFICATE_REVOKED)
    with django_assert_num_queries(7):
        second = staff.get("/me/notifications/?page=2")
    assert len(first.context["lines"]) == PAGE_SIZE
    assert len(second.context["lines"]) == PAGE_SIZE
    assert staff.get("/me/notifications/?page=999").context["page"].number == 3


def test_the_header_costs_one_query_for_a_person_and_none_for_a_visitor(
    people, staff, django_assert_num_queries
) -> None:
    Client().get("/verify/")
    with django_assert_num_queries(0):
        assert Client().get("/verify/").status_code == 200
    staff.get("/verify/")
    # session, user, the unread count, and the two the dashboard link already asked
    with django_assert_num_queries(5):
        page = staff.get("/verify/").content.decode()
    assert unread_in_header(page) == 0


def test_settings_save_email_digest_and_language(people, staff) -> None:
    page = staff.get("/me/notifications/settings/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for kind in kinds.wired_kinds():
        assert f'name="email-{kind.code}" checked' in page.replace(f'id="email-{kind.code}" ', "")
    for kind in kinds.KINDS.values():
        if not kind.wired:
            assert f"email-{kind.code}" not in page  # nothing sends it yet
    data = {"language": "en", "email-certificate_issued": "on", "digest-certificate_issued": "on"}
    response = staff.post("/me/notifications/settings/", data)
    assert response.status_code == 302
    assert NotificationProfile.objects.get(user=people.staff.user).language == "en"
    chosen = {
        p.kind: (p.email, p.digest)
        for p in NotificationPreference.objects.filter(user=people.staff.user)
    }
    assert chosen[kinds.CERTIFICATE_ISSUED] == (True, True)
    assert chosen[kinds.JP_BEHIND] == (False, False)
    again = staff.get("/me/notifications/settings/").content.decode()
    assert '<option value="en" selected>' in again


def test_an_unknown_language_is_refused_and_nothing_is_saved(people, staff) -> None:
    response = staff.post("/me/notifications/settings/", {"language": "xx"})
    assert response.status_code == 200
    assert "Pilih bahasa surel Anda dari daftar." in response.content.decode()
    assert not NotificationProfile.objects.filter(user=people.staff.user).exists()
    assert not NotificationPreference.objects.exists()


def test_the_weekly_digest_gathers_the_kinds_chosen_for_it_into_one_mail(
    people, smtp, django_capture_on_commit_callbacks
) -> None:
    NotificationPreference.objects.create(
        user=people.english.user, kind=kinds.CERTIFICATE_ISSUED, email=True, digest=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        give(people.english.user, 2)
        give(people.staff.user, 1)
    assert len(smtp.to(people.english.user.email)) == 0  # waits for the digest
    assert len(smtp.to(people.staff.user.email)) == 1
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.digests_run.delay()
    [digest] = smtp.to(people.english.user.email)
    assert digest.subject == "Your Tangkas notifications of the week"
    text = digest.part("text/plain")
    assert "Kursus 0" in text and "Kursus 1" in text
    assert digest.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert len(smtp.messages) == 2
    # The digest's one-click unsubscribe switches off the kinds it gathers.
    url = str(digest.message["List-Unsubscribe"]).strip().removeprefix("<").removesuffix(">")
    Client().post(url.removeprefix("http://testserver"))
    assert not NotificationPreference.objects.get(user=people.english.user).email
