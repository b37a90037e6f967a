"""A person asks for partner training, HR approves it and records the completion, which lands
in the JP ledger; who may do what. Through the pages, as people use them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from core import dates
from courses import selectors as course_selectors
from courses.models import LearningRecord, LearningSource
from providers.models import OfferingRequest, RequestStatus

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def request_offering(client: Client, offering, comment: str = "") -> object:
    return client.post(f"/partners/{offering.pk}/request/", {"comment": comment})


def test_request_approve_and_record_completion(city, hr_user, partners) -> None:
    ani = client_for(city.ani.user)
    hr = client_for(hr_user)

    page = ani.get(f"/partners/{partners.database.pk}/")
    assert page.status_code == 200
    assert "Administrasi Basis Data PostgreSQL" in page.content.decode()

    response = request_offering(ani, partners.database, "Untuk migrasi basis data SIMPEG")
    assert response.status_code == 302
    assert response["Location"] == "/me/partner-requests/"
    request = OfferingRequest.objects.get()
    assert (request.employee, request.status) == (city.ani, RequestStatus.REQUESTED)

    again = request_offering(ani, partners.database)
    assert again.status_code == 400
    assert "already have an open request" in again.content.decode()
    assert OfferingRequest.objects.count() == 1

    assert (
        ani.post(
            f"/partners/requests/{request.pk}/decide/", {f"d{request.pk}-decision": "approve"}
        ).status_code
        == 403
    )
    approved = hr.post(
        f"/partners/requests/{request.pk}/decide/", {f"d{request.pk}-decision": "approve"}
    )
    assert approved.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (RequestStatus.APPROVED, hr_user)

    today = dates.today()
    bad = hr.post(
        f"/partners/requests/{request.pk}/complete/",
        {
            f"c{request.pk}-completed_date": (today + dt.timedelta(days=1)).isoformat(),
            f"c{request.pk}-start_date": (today + dt.timedelta(days=2)).isoformat(),
            f"c{request.pk}-jp_hours": "24",
        },
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "cannot end in the future" in body
    assert not LearningRecord.objects.exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED

    zero = hr.post(
        f"/partners/requests/{request.pk}/complete/",
        {f"c{request.pk}-completed_date": today.isoformat(), f"c{request.pk}-jp_hours": "0"},
    )
    assert zero.status_code == 400
    assert f'id="id_c{request.pk}-jp_hours-errors"' in zero.content.decode()

    before = course_selectors.learning_hours(employee=city.ani, year=today.year).total
    done = hr.post(
        f"/partners/requests/{request.pk}/complete/",
        {
            f"c{request.pk}-start_date": (today - dt.timedelta(days=5)).isoformat(),
            f"c{request.pk}-completed_date": today.isoformat(),
            f"c{request.pk}-jp_hours": "20.5",
        },
    )
    assert done.status_code == 302
    request.refresh_from_db()
    record = request.learning_record
    assert request.status == RequestStatus.COMPLETED
    assert (record.source, record.title, record.provider, record.jp_hours) == (
        LearningSource.EXTERNAL,
        "Administrasi Basis Data PostgreSQL",
        "Institut Teknologi Sepuluh Nopember",
        Decimal("20.50"),
    )
    assert (record.employee, record.completed_date, record.recorded_by) == (
        city.ani,
        today,
        hr_user,
    )
    after = course_selectors.learning_hours(employee=city.ani, year=today.year).total
    assert after - before == Decimal("20.50")

    mine = ani.get("/me/partner-requests/").content.decode()
    assert "20.50 JP recorded" in mine

    # Completed once: recording again is refused and writes nothing.
    twice = hr.post(
        f"/partners/requests/{request.pk}/complete/",
        {f"c{request.pk}-completed_date": today.isoformat(), f"c{request.pk}-jp_hours": "2"},
    )
    assert twice.status_code == 400
    assert LearningRecord.objects.count() == 1


def test_a_rejection_says_why(city, hr_user, partners) -> None:
    request_offering(client_for(city.ani.user), partners.security)
    request = OfferingRequest.objects.get()
    hr = client_for(hr_user)
    url = f"/partners/requests/{request.pk}/decide/"

    silent = hr.post(url, {f"d{request.pk}-decision": "reject"})
    assert silent.status_code == 400
    assert "Say why the request is rejected." in silent.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.REQUESTED

    hr.post(url, {f"d{request.pk}-decision": "reject", f"d{request.pk}-comment": "Kuota penuh"})
    request.refresh_from_db()
    assert (request.status, request.comment) == (RequestStatus.REJECTED, "Kuota penuh")
    # Closed: the person may ask again.
    assert request_offering(client_for(city.ani.user), partners.security).status_code == 302
    assert OfferingRequest.objects.filter(status=RequestStatus.REQUESTED).count() == 1


def test_only_hr_sees_and_works_the_queue(city, hr_user, partners) -> None:
    request_offering(client_for(city.ani.user), partners.security)
    request = OfferingRequest.objects.get()
    for user in (city.ani.user, city.kabid.user, city.citra.user):
        client = client_for(user)
        assert client.get("/partners/requests/").status_code == 403
        assert (
            client.post(
                f"/partners/requests/{request.pk}/complete/",
                {f"c{request.pk}-completed_date": "2025-01-01", f"c{request.pk}-jp_hours": "2"},
            ).status_code
            == 403
        )
    queue = client_for(hr_user).get("/partners/requests/")
    assert queue.status_code == 200
    assert "Ani Wulandari — Pelatihan Penanganan Insiden Siber" in queue.content.decode()
    assert Client().get("/partners/requests/").status_code == 302  # to the login


def test_a_person_sees_and_withdraws_only_their_own_requests(city, partners) -> None:
    ani, citra = client_for(city.ani.user), client_for(city.citra.user)
    request_offering(ani, partners.security)
    request = OfferingRequest.objects.get()

    assert (
        "Pelatihan Penanganan Insiden Siber"
        not in citra.get("/me/partner-requests/").content.decode()
    )
    assert citra.post(f"/me/partner-requests/{request.pk}/cancel/").status_code == 404
    request.refresh_from_db()
    assert request.status == RequestStatus.REQUESTED

    assert "Pelatihan Penanganan Insiden Siber" in ani.get("/me/partner-requests/").content.decode()
    assert ani.post(f"/me/partner-requests/{request.pk}/cancel/").status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED


def test_an_offering_out_of_its_mou_cannot_be_seen_or_requested(city, partners) -> None:
    partners.its.mou_end_date = dates.today() - dt.timedelta(days=1)
    partners.its.save()
    ani = client_for(city.ani.user)
    assert ani.get(f"/partners/{partners.database.pk}/").status_code == 404
    assert request_offering(ani, partners.database).status_code == 404
    assert not OfferingRequest.objects.exists()
    assert "PostgreSQL" not in ani.get("/partners/").content.decode()


def test_a_login_without_a_person_cannot_request(hr_user, partners) -> None:
    response = request_offering(client_for(hr_user), partners.security)
    assert response.status_code == 403
    assert not OfferingRequest.objects.exists()
