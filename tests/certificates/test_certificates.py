"""Issuing on completion, the signed credential and PDF, verification, revocation, reissue."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from certificates import keys, ob3, selectors, services
from certificates.exceptions import AlreadyRevokedError, RevocationReasonRequiredError
from certificates.models import Certificate, IssuerKey, StatusList, normalise_code

# Certificates issued just after midnight WIB (still yesterday in UTC) and just before the year
# changes must be valid at once, to us and to any verifier.
pytestmark = pytest.mark.awkward_hours


def test_the_credential_is_valid_from_its_signing_until_the_end_of_its_expiry_day(
    certificate,
) -> None:
    credential = certificate.credential
    valid_from = dt.datetime.fromisoformat(credential["validFrom"])
    signed_at = dt.datetime.fromisoformat(credential["proof"][0]["created"])
    assert valid_from == signed_at <= timezone.now()
    assert timezone.now() - valid_from < dt.timedelta(minutes=5)
    # Valid through the whole expiry day in Jakarta: until 00:00 WIB of the day after.
    valid_until = dt.datetime.fromisoformat(credential["validUntil"])
    expected = dt.datetime.combine(
        certificate.expires_on + dt.timedelta(days=1),
        dt.time(0, 0),
        tzinfo=timezone.get_default_timezone(),
    )
    assert valid_until == expected
    assert selectors.check_dates(credential).ok


def test_completion_issues_one_signed_certificate_with_its_pdf(certificate, catalogue) -> None:
    assert Certificate.objects.count() == 1
    today = timezone.localdate()
    assert certificate.employee == catalogue.learner
    assert (certificate.title, certificate.jp_hours) == ("Dasar Basis Data", 4)
    assert certificate.alignments == [
        {"code": "TIK-05", "name": "Pengelolaan Basis Data", "level": 2}
    ]
    assert (certificate.issued_on, certificate.expires_on) == (
        today,
        today.replace(year=today.year + 3),
    )
    assert len(certificate.code) == 26 and certificate.short_code.startswith("TGK-")
    assert certificate.pdf.open("rb").read(5) == b"%PDF-"
    credential = certificate.credential
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert ob3.schema_errors(credential) == []
    identifier = credential["credentialSubject"]["identifier"][0]
    assert identifier["identityHash"] == ob3.hmac_identity(
        catalogue.learner.nip, keys.subject_key()
    )
    assert catalogue.learner.nip not in str(credential) and "salt" not in identifier
    assert credential["credentialStatus"]["statusListIndex"] == str(certificate.status_index)
    report = selectors.verify_certificate(certificate)
    assert report.state == "valid", report
    assert report.signature.ok and report.status.ok and report.validity.ok


def test_issuing_twice_keeps_one_certificate_and_the_database_insists(certificate) -> None:
    again = services.certificate_issue_for_enrollment(enrollment_id=certificate.enrollment_id)
    assert again.pk == certificate.pk
    services.certificate_sign_and_render(
        certificate_id=certificate.pk
    )  # a second run changes nothing
    refreshed = Certificate.objects.get(pk=certificate.pk)
    assert (
        refreshed.credential == certificate.credential
        and refreshed.pdf.name == certificate.pdf.name
    )
    with (
        pytest.raises(IntegrityError, match="certificate_one_per_enrollment"),
        transaction.atomic(),
    ):
        Certificate.objects.create(
            employee=certificate.employee,
            enrollment=certificate.enrollment,
            holder_name="x",
            title="x",
            jp_hours=1,
            issued_on=certificate.issued_on,
            status_list=certificate.status_list,
            status_index=(certificate.status_index + 1) % 131072,
        )


def test_codes_carry_128_random_bits_and_are_read_forgivingly() -> None:
    from certificates.models import new_code

    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000 and all(len(code) == 26 for code in codes)
    assert all(code[0] in "01234567" for code in codes)  # 130 bits of base32: the top two are zero
    assert normalise_code("abcd-efgh ijkl-mnop") == "ABCDEFGH1JK1MN0P"


def test_revoking_needs_a_reason_and_flips_the_bit(
    certificate, django_capture_on_commit_callbacks
) -> None:
    with pytest.raises(RevocationReasonRequiredError):
        services.certificate_revoke(certificate=certificate, reason="  ")
    assert selectors.verify_certificate(Certificate.objects.get()).state == "valid"
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(certificate=certificate, reason="Kecurangan saat asesmen")
    revoked = Certificate.objects.get()
    bits = ob3.decode_status_list(
        StatusList.objects.get().credential["credentialSubject"]["encodedList"]
    )
    assert ob3.get_bit(bits, revoked.status_index)
    report = selectors.verify_certificate(revoked)
    assert report.state == "revoked"
    assert report.signature.ok  # the proof itself stays valid; the status check catches it
    assert report.status.ok is False and report.status.code == "revoked"
    with pytest.raises(AlreadyRevokedError):
        services.certificate_revoke(certificate=revoked, reason="lagi")


def test_a_tampered_credential_or_another_key_is_named_as_such(certificate) -> None:
    tampered = copy.deepcopy(certificate.credential)
    tampered["credentialSubject"]["achievement"]["alignment"][0]["targetName"] += " (level 5)"
    report = selectors.verify_document(tampered)
    assert report.state == "invalid" and report.signature.ok is False
    assert "chang" in report.signature.detail or "match" in report.signature.detail
    stranger = ob3.signing_key_from_pem(
        ob3.generate_private_key_pem(), key_id=f"{keys.issuer_did()}#key-intruder"
    )
    unsigned = {k: v for k, v in certificate.credential.items() if k != "proof"}
    forged = ob3.sign(unsigned, stranger, created=timezone.now().replace(microsecond=0))
    report = selectors.verify_document(forged)
    assert report.state == "invalid" and "key" in report.signature.detail


def test_an_expired_certificate_says_so(certificate) -> None:
    expired = copy.deepcopy(certificate.credential)
    assert (
        selectors.check_dates(expired, now=timezone.now() + dt.timedelta(days=4 * 366)).code
        == "expired"
    )
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert Certificate.objects.get().display_status == "expired"


def test_reissue_supersedes_the_old_certificate(certificate) -> None:
    new = services.certificate_reissue(certificate=certificate)
    old = Certificate.objects.get(pk=certificate.pk)
    assert (old.status, old.superseded_by) == ("superseded", new)
    assert new.code != old.code and new.enrollment == old.enrollment and new.status == "valid"
    assert selectors.verify_certificate(old).state == "superseded"
    with pytest.raises(AlreadyRevokedError):
        services.certificate_reissue(certificate=old)


def test_rotating_the_key_keeps_old_credentials_verifiable(
    certificate, catalogue, settings, tmp_path
) -> None:
    old_key_id = certificate.credential["proof"][0]["verificationMethod"]
    settings.CREDENTIAL_SIGNING_KEY = ob3.generate_private_key_pem()
    new = services.certificate_reissue(certificate=certificate)
    services.certificate_sign_and_render(certificate_id=new.pk)
    new.refresh_from_db()
    assert new.credential["proof"][0]["verificationMethod"] != old_key_id
    listed = [method["id"] for method in keys.did_document()["verificationMethod"]]
    assert listed[0] == new.credential["proof"][0]["verificationMethod"] and old_key_id in listed
    assert IssuerKey.objects.count() == 2
    assert selectors.verify_document(
        Certificate.objects.get(pk=certificate.pk).credential
    ).signature.ok


def test_the_verification_page(certificate, client: Client) -> None:
    response = client.get(f"/verify/{certificate.grouped_code.lower()}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "banner-valid" in html and certificate.holder_name in html
    assert certificate.employee.nip not in html  # nor any part of it: test_holder_privacy.py
    assert "TIK-05" in html and "4 JP" in html
    pdf = client.get(f"/verify/{certificate.code}/certificate.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")
    credential = client.get(f"/verify/{certificate.code}/credential.json")
    assert credential.json()["id"] == f"urn:uuid:{certificate.pk}"


def test_the_verification_page_reads_one_row_once_the_proofs_are_known(
    certificate, client: Client, django_assert_num_queries, settings
) -> None:
    """The first view verifies both proofs (and reads the issuer's key for each); after that
    building the page reads the certificate with its status list, and nothing else: the status
    list it names is the one already read. A revocation still shows at once (the next test).
    The page cache is off here: a page it serves runs no query (tests/lms/test_pagecache.py)."""
    settings.PAGE_CACHE_SECONDS = 0
    client.get(f"/verify/{certificate.code}/")
    with django_assert_num_queries(1):
        response = client.get(f"/verify/{certificate.code}/")
    assert "banner-valid" in response.content.decode()


def test_a_revoked_certificate_shows_date_and_reason(certificate, client: Client) -> None:
    services.certificate_revoke(
        certificate=certificate, reason="Sertifikat diterbitkan karena kesalahan data"
    )
    html = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "banner-revoked" in html and "kesalahan data" in html


def test_unknown_codes_get_a_plain_not_found_page(db, client: Client) -> None:
    response = client.get("/verify/0000000000000000000000000A/")
    assert response.status_code == 404
    assert "tidak ditemukan" in response.content.decode().lower()
    assert client.get("/verify/short/").status_code == 404


def test_verification_is_rate_limited_per_client(db, client: Client, settings) -> None:
    settings.VERIFY_RATE = "3/m"
    cache.clear()
    codes = [f"{n:026d}" for n in range(5)]
    statuses = [client.get(f"/verify/{code}/").status_code for code in codes]
    assert statuses == [404, 404, 404, 429, 429]
    assert client.get(f"/verify/{codes[0]}/").get("Retry-After") == "60"
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert other.get(f"/verify/{codes[0]}/").status_code == 404
    cache.clear()


def test_certificate_files_are_not_under_public_media(certificate, settings) -> None:
    from pathlib import Path

    path = Path(certificate.pdf.path)
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    assert certificate.code in path.name


def test_did_document_and_status_list_are_served(certificate, client: Client) -> None:
    did = client.get("/.well-known/did.json")
    assert did.status_code == 200 and did.json()["id"] == keys.issuer_did()
    url = certificate.credential["credentialStatus"]["statusListCredential"]
    response = client.get(url.replace("http://127.0.0.1:8000", ""))
    assert response.status_code == 200 and "max-age=60" in response["Cache-Control"]
    assert response.json()["type"][-1] == "BitstringStatusListCredential"


def test_the_pdf_template_carries_everything_printed(certificate) -> None:
    from certificates.rendering import certificate_html

    html = certificate_html(certificate)
    for text in (
        certificate.holder_name,
        "Dasar Basis Data",
        "4 JP",
        "TIK-05",
        certificate.grouped_code,
        "data:image/svg+xml",
    ):
        assert text in html
    assert "Certificate of Completion" in html and "SERTIFIKAT" in html
