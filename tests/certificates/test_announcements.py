"""Every certificate announces itself once, as ``certificate.issued``, when its credential is
signed, whatever issued it: a course completion, the sweep after a failed completion,
external training through the API, or a reissue. Nothing is announced before the signature,
and signing again announces nothing."""

from __future__ import annotations

import pytest

from certificates import services
from certificates.models import Certificate
from certificates.tasks import certificate_render, certificates_sweep
from core.models import Event
from courses.demo import take_course
from tests.api.conftest import api_client  # noqa: F401  (the fixture, shared)
from tests.api.test_certificates_api import EXTERNAL
from tests.competencies.conftest import city  # noqa: F401  (the fixture, shared)


def announced() -> list[str]:
    return [
        event.data["certificate"]
        for event in Event.objects.filter(type="certificate.issued").order_by("id")
    ]


def issued_unsigned(catalogue, monkeypatch, capture) -> Certificate:
    """Complete a course while the broker is down: the certificate exists, unsigned."""
    with monkeypatch.context() as patch, capture(execute=True):
        patch.setattr(certificate_render, "delay", lambda *args, **kwargs: None)
        take_course(catalogue.learner, catalogue.basics)
    return Certificate.objects.get()


def test_a_course_completion_announces_its_certificate_once_signed(
    catalogue, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    certificate = issued_unsigned(catalogue, monkeypatch, django_capture_on_commit_callbacks)
    assert certificate.credential is None and announced() == []
    services.certificate_sign_and_render(certificate_id=certificate.pk)
    assert announced() == [str(certificate.pk)]
    services.certificate_sign_and_render(certificate_id=certificate.pk)  # again: nothing new
    services.certificate_issue_for_enrollment(enrollment_id=certificate.enrollment_id)
    assert announced() == [str(certificate.pk)]


def test_the_sweep_announces_a_certificate_the_completion_failed_to_issue(
    catalogue, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    def broken(**kwargs):
        raise RuntimeError("the database hiccuped")

    monkeypatch.setattr(
        "certificates.receivers.certificate_issue_for_enrollment", broken
    )  # the completion's receiver fails and leaves the certificate to the sweep
    take_course(catalogue.learner, catalogue.basics)
    assert not Certificate.objects.exists() and announced() == []
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        certificates_sweep(older_than_seconds=0)
    certificate = Certificate.objects.get()
    assert certificate.credential and announced() == [str(certificate.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        certificates_sweep(older_than_seconds=0)  # nothing left to do, nothing announced
    assert announced() == [str(certificate.pk)]


def test_external_training_issued_through_the_api_is_announced(
    city,  # noqa: F811
    api_client,  # noqa: F811
    django_capture_on_commit_callbacks,
) -> None:
    client = api_client("certificates:write")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/certificates/", {**EXTERNAL, "employee": city.budi.pk}, format="json"
        )
    assert response.status_code == 201, response.json()
    assert announced() == [response.json()["id"]]
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_sign_and_render(certificate_id=response.json()["id"])
    assert announced() == [response.json()["id"]]


def test_a_reissued_certificate_is_announced_as_a_new_one(
    certificate, django_capture_on_commit_callbacks
) -> None:
    assert announced() == [str(certificate.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        new = services.certificate_reissue(certificate=certificate)
    assert announced() == [str(certificate.pk), str(new.pk)]


def test_a_signature_that_rolls_back_announces_nothing(
    catalogue, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    certificate = issued_unsigned(catalogue, monkeypatch, django_capture_on_commit_callbacks)

    def broken_save(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(Certificate, "save", broken_save)
    with pytest.raises(RuntimeError):
        services.certificate_sign(certificate_id=certificate.pk)
    monkeypatch.undo()
    assert announced() == []
