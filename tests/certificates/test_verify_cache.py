"""A proof that verified once is not verified again on every view (the credential never
changes), while revocation still shows at once: the status list changes, so its proof is
checked anew."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from certificates import ob3, selectors, services
from tests.competencies.conftest import hr_user  # noqa: F401  (the fixture, shared)

pytestmark = pytest.mark.awkward_hours


@pytest.fixture
def proofs_checked(monkeypatch) -> list[str]:
    checked: list[str] = []
    real = ob3.verify

    def counting(document, resolve):
        checked.append(document.get("type", [""])[-1])
        return real(document, resolve)

    monkeypatch.setattr(ob3, "verify", counting)
    cache.clear()
    return checked


def test_the_verification_page_checks_each_proof_once(certificate, proofs_checked) -> None:
    client = Client()
    for _ in range(3):
        page = client.get(f"/verify/{certificate.code}/")
        assert page.status_code == 200
        assert selectors.verify_certificate(certificate).state == "valid"
    # The credential's proof and the status list's, once each, whatever the number of views.
    assert sorted(proofs_checked) == ["BitstringStatusListCredential", "OpenBadgeCredential"]


def test_a_revocation_shows_at_once_despite_the_remembered_proofs(
    certificate,
    proofs_checked,
    hr_user,  # noqa: F811
) -> None:
    assert selectors.verify_certificate(certificate).state == "valid"
    services.certificate_revoke(certificate=certificate, reason="Salah peserta", user=hr_user)
    certificate.refresh_from_db()
    report = selectors.verify_document(certificate.credential)
    assert report.state == "revoked"
    assert report.signature.ok  # the credential's own proof, remembered, still holds


def test_a_tampered_copy_is_not_taken_for_the_remembered_original(
    certificate, proofs_checked
) -> None:
    assert selectors.verify_document(certificate.credential).signature.ok
    tampered = {**certificate.credential, "name": "Sertifikat Palsu"}
    assert selectors.verify_document(tampered).signature.ok is False
