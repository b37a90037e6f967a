"""A signed certificate is read-only in the admin: editing or deleting it changes nothing and
says to revoke and issue anew; only a certificate waiting for its signature can be corrected."""

from __future__ import annotations

import pytest
from django.test import Client

from certificates import services
from certificates.exceptions import CertificateSignedError
from certificates.models import Certificate
from certificates.tasks import certificate_render
from courses.demo import take_course
from tests.competencies.factories import UserFactory

SIGNED = "Sertifikat ini sudah ditandatangani dan tidak dapat diubah lagi."


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(UserFactory(username="admin-sertifikat", is_staff=True, is_superuser=True))
    return client


def test_posting_a_new_title_for_a_signed_certificate_changes_nothing_and_says_why(
    certificate, admin_client: Client
) -> None:
    assert certificate.signed_at and certificate.credential
    before = (certificate.title, certificate.updated_at)
    edit = f"/admin/certificates/edit/{certificate.pk}/"
    response = admin_client.post(edit, {"title": "Judul Palsu"}, follow=True)
    certificate.refresh_from_db()
    assert (certificate.title, certificate.updated_at) == before
    assert response.redirect_chain == [(f"/admin/certificates/inspect/{certificate.pk}/", 302)]
    page = response.content.decode()
    assert SIGNED in page and "Cabut" in page  # the way forward: revoke


def test_a_signed_certificate_has_no_edit_form_and_no_delete(
    certificate, admin_client: Client
) -> None:
    form = admin_client.get(f"/admin/certificates/edit/{certificate.pk}/")
    assert form.status_code == 302 and form["Location"].endswith(f"/inspect/{certificate.pk}/")
    deleting = admin_client.post(f"/admin/certificates/delete/{certificate.pk}/", follow=True)
    assert SIGNED in deleting.content.decode()
    assert Certificate.objects.filter(pk=certificate.pk).exists()
    inspect = admin_client.get(f"/admin/certificates/inspect/{certificate.pk}/").content.decode()
    assert f"/admin/certificates/edit/{certificate.pk}/" not in inspect
    assert f"/admin/certificates/{certificate.pk}/revoke/" in inspect


def test_a_certificate_waiting_for_its_signature_can_still_be_corrected(
    catalogue, admin_client: Client, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    monkeypatch.setattr(certificate_render, "delay", lambda *args: None)  # no worker yet
    with django_capture_on_commit_callbacks(execute=True):
        take_course(catalogue.learner, catalogue.basics)
    waiting = Certificate.objects.get()
    assert not waiting.signed_at
    response = admin_client.post(
        f"/admin/certificates/edit/{waiting.pk}/", {"title": "Dasar Basis Data (revisi)"}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.title == "Dasar Basis Data (revisi)"


def test_the_service_refuses_a_signed_certificate(certificate) -> None:
    with pytest.raises(CertificateSignedError):
        services.certificate_update(certificate=certificate, title="Lain")
    assert Certificate.objects.get().title == certificate.title
