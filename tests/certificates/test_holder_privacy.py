"""No public page, file or answer shows the holder's NIP (security review, issue 12).

The verification page, the PDF and the credential name the holder, not their NIP; the
credential identifies the holder by an HMAC of the NIP under a server-side key
(``CREDENTIAL_SUBJECT_KEY``) that is never published, so that the city's HR, holding both,
can still match a credential to a person and nobody else can recover the NIP by guessing.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from certificates import keys, ob3, selectors, services
from certificates.models import Certificate
from courses.demo import take_course
from tests.certificates.pdf_text import pdf_text
from tests.certificates.privacy import nip_digit_runs, random_values

# A NIP whose four-digit runs cannot be mistaken for a date, JP or level on the page.
NIP = "197703172003121987"
OTHER_NIP = "197703172003121986"


@pytest.fixture
def holder(catalogue):
    catalogue.learner.nip = NIP
    catalogue.learner.save(update_fields=["nip"])
    return catalogue.learner


@pytest.fixture
def issue(catalogue, holder, django_capture_on_commit_callbacks):
    """Complete a course of the catalogue and return its certificate, signed and rendered."""

    def issue(course) -> Certificate:
        with django_capture_on_commit_callbacks(execute=True):
            take_course(holder, course)
        return Certificate.objects.get(enrollment__course=course, status="valid")

    return issue


@pytest.fixture
def certificate(issue, catalogue) -> Certificate:
    return issue(catalogue.basics)


# --- what the public sees ----------------------------------------------------------------------


def test_the_verification_page_names_the_holder_and_shows_no_nip_digits(
    certificate, client: Client
) -> None:
    html = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "banner-valid" in html and certificate.holder_name in html
    assert nip_digit_runs(html, NIP, ignore=random_values(certificate)) == []


def test_the_pdf_names_the_holder_and_shows_no_nip_digits(certificate, client: Client) -> None:
    response = client.get(f"/verify/{certificate.code}/certificate.pdf")
    text = pdf_text(b"".join(response.streaming_content))
    # The text is read back, not guessed: the holder, the course and the code are in it.
    assert certificate.holder_name in text and "Dasar Basis Data" in text
    assert certificate.short_code in text
    assert nip_digit_runs(text, NIP, ignore=random_values(certificate)) == []
    assert "NIP" not in text


def test_the_credential_names_the_holder_by_a_keyed_hash_without_salt(
    certificate, settings
) -> None:
    credential = certificate.credential
    (identifier,) = credential["credentialSubject"]["identifier"]
    key = settings.CREDENTIAL_SUBJECT_KEY.encode()
    assert identifier == {
        "type": "IdentityObject",
        "identityType": "nationalIdentityNumber",
        "hashed": True,
        "identityHash": ob3.hmac_identity(NIP, key),
    }
    text = json.dumps(credential)
    assert NIP not in text and nip_digit_runs(text, NIP, ignore=random_values(certificate)) == []
    assert "salt" not in text and certificate.salt not in text
    assert ob3.schema_errors(credential) == []
    assert selectors.verify_certificate(certificate).state == "valid"


def test_hr_matches_a_credential_with_the_nip_and_the_server_key(certificate, settings) -> None:
    credential = certificate.credential
    assert selectors.credential_subject_matches(credential, NIP)
    assert selectors.credential_subject_matches(credential, " 19770317 200312 1 987 ")
    assert not selectors.credential_subject_matches(credential, OTHER_NIP)
    assert not selectors.credential_subject_matches(credential, "")
    # Without the key the NIP matches nothing, however it is hashed.
    settings.CREDENTIAL_SUBJECT_KEY = "another-key-of-another-deployment-0000"
    assert not selectors.credential_subject_matches(credential, NIP)


# --- certificates issued before: reissued by a command -----------------------------------------


def make_old_style(certificate: Certificate) -> Certificate:
    """Turn the stored credential into what certificates issued before the fix carry: a plain
    SHA-256 of NIP + salt with the salt beside it, signed as it was, so it still verifies."""
    document = copy.deepcopy({k: v for k, v in certificate.credential.items() if k != "proof"})
    document["credentialSubject"]["identifier"] = [
        {
            "type": "IdentityObject",
            "identityType": "nationalIdentityNumber",
            "hashed": True,
            "identityHash": ob3.hash_identity(NIP, certificate.salt),
            "salt": certificate.salt,
        }
    ]
    created = dt.datetime.fromisoformat(document["validFrom"])
    certificate.credential = ob3.sign(document, keys.current_signing_key(), created=created)
    certificate.save(update_fields=["credential"])
    assert selectors.verify_certificate(certificate).state == "valid"
    return certificate


def reissue_credentials(*args: str) -> str:
    out = StringIO()
    call_command("reissue_credentials", *args, stdout=out)
    return out.getvalue()


def test_an_old_style_credential_is_matched_by_hr_and_not_published(
    certificate, client: Client
) -> None:
    old = make_old_style(certificate)
    assert selectors.credential_subject_matches(old.credential, NIP)
    assert not selectors.credential_subject_matches(old.credential, OTHER_NIP)
    # Its salt lets anyone recover the NIP by guessing, and its PDF shows NIP digits: neither
    # is published any more, though the page still verifies it.
    assert client.get(f"/verify/{old.code}/credential.json").status_code == 404
    assert client.get(f"/verify/{old.code}/certificate.pdf").status_code == 404
    html = client.get(f"/verify/{old.code}/").content.decode()
    assert (
        "banner-valid" in html and "credential.json" not in html and "certificate.pdf" not in html
    )


def test_reissue_credentials_replaces_old_style_credentials_once(
    issue, catalogue, client: Client, django_capture_on_commit_callbacks
) -> None:
    old = make_old_style(issue(catalogue.basics))
    revoked = make_old_style(issue(catalogue.express))
    services.certificate_revoke(certificate=revoked, reason="Kecurangan saat asesmen")
    current = issue(catalogue.advanced)  # already new style

    assert reissue_credentials("--dry-run") == "1 certificate would be reissued.\n"
    assert Certificate.objects.filter(status="valid").count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        assert reissue_credentials() == "1 certificate reissued.\n"
    old.refresh_from_db()
    new = old.superseded_by
    assert old.status == "superseded" and new is not None and new.status == "valid"
    assert (new.enrollment, new.issued_on, new.expires_on) == (
        old.enrollment,
        old.issued_on,
        old.expires_on,
    )
    assert "salt" not in json.dumps(new.credential)
    assert selectors.credential_subject_matches(new.credential, NIP)
    assert selectors.verify_certificate(new).state == "valid" and new.pdf

    revoked.refresh_from_db()
    current.refresh_from_db()
    assert (revoked.status, revoked.superseded_by) == ("revoked", None)
    assert (current.status, current.superseded_by) == ("valid", None)

    html = client.get(f"/verify/{old.code}/").content.decode()
    assert "Digantikan oleh sertifikat yang lebih baru" in html  # "Replaced by a newer …"
    assert f"/verify/{new.code}/" in html

    assert reissue_credentials() == "0 certificates reissued.\n"
    assert reissue_credentials("--dry-run") == "0 certificates would be reissued.\n"
    assert Certificate.objects.count() == 4
