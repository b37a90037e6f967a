"""Reads for certificates: lookup by code, verification that says exactly what failed, what
of a certificate is published, and whether a credential names a given civil servant.

Verification checks what an independent verifier checks — the Data Integrity proof against
the issuer's listed keys, the credential's dates, and its bit in the signed status list — and
reports each check on its own: a verifier may find a revoked credential's proof valid, so the
status is always checked separately (CREDENTIALS.md, pitfall 4).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates import keys, ob3
from certificates.models import Certificate, CertificateStatus, StatusList, normalise_code
from competencies.models import Employee
from competencies.validators import normalise_nip
from core import dates

_STATUS_URL = re.compile(r"/credentials/status/(\d+)$")


def certificate_by_code(code: str) -> Certificate | None:
    cleaned = normalise_code(code or "")
    if len(cleaned) != 26:
        return None
    return (
        Certificate.objects.select_related(
            "employee", "status_list", "superseded_by", "enrollment__course"
        )
        .filter(code=cleaned)
        .first()
    )


def certificates_for(*, employee: Employee) -> QuerySet[Certificate]:
    return Certificate.objects.filter(employee=employee).order_by("-issued_on", "-created_at")


def certificate_list() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("employee").order_by("-created_at", "id")


# --- The holder in the credential ---------------------------------------------------------


def _identifiers(credential: Any) -> list[dict[str, Any]]:
    subject = credential.get("credentialSubject") if isinstance(credential, dict) else None
    identifiers = subject.get("identifier") if isinstance(subject, dict) else None
    return [item for item in identifiers or [] if isinstance(item, dict)]


def credential_is_legacy(credential: dict[str, Any] | None) -> bool:
    """Whether the credential names its holder as credentials did before
    ``CREDENTIAL_SUBJECT_KEY``: a plain SHA-256 of the NIP with the salt published beside it,
    which gives the NIP away to anyone who tries a few million guesses. The PDFs of those
    certificates printed the last four digits of the NIP too."""
    return any("salt" in identifier for identifier in _identifiers(credential))


def credential_subject_matches(credential: dict[str, Any], nip: str) -> bool:
    """Whether the credential names the civil servant with this NIP: what the city's HR, which
    holds the NIP and ``CREDENTIAL_SUBJECT_KEY``, can tell and nobody else can. Legacy
    credentials match through the salt they carry. (Whether the credential is genuine is
    another question: ``verify_document``.)"""
    nip = normalise_nip(nip)
    if not nip:
        return False
    for identifier in _identifiers(credential):
        if identifier.get("identityType") != "nationalIdentityNumber":
            continue
        found = str(identifier.get("identityHash", "")).lower()
        if "salt" in identifier:  # a legacy credential, salt published beside the hash
            expected = ob3.hash_identity(nip, str(identifier["salt"]))
        else:
            expected = ob3.hmac_identity(nip, keys.subject_key())
        if hmac.compare_digest(found, expected):
            return True
    return False


def certificates_with_legacy_credentials() -> QuerySet[Certificate]:
    """Valid, unexpired certificates whose credential is legacy (``credential_is_legacy``;
    ours carry one identifier): what ``manage.py reissue_credentials`` reissues. Revoked and
    superseded ones are not reissued, nor expired ones: a credential cannot be valid until a
    day already past."""
    return (
        Certificate.objects.filter(
            status=CertificateStatus.VALID,
            credential__credentialSubject__identifier__0__has_key="salt",
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=dates.today()))
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class PublicFiles:
    """What the public verification page, its downloads and the verification API publish."""

    credential: dict[str, Any] | None
    pdf: bool


def certificate_public_files(certificate: Certificate) -> PublicFiles:
    """The signed credential and the PDF once they exist, except a legacy certificate's: its
    credential lets a guesser recover the NIP and its PDF shows NIP digits. Its page still
    says whether it is valid; ``reissue_credentials`` gives valid ones a new certificate."""
    if credential_is_legacy(certificate.credential):
        return PublicFiles(credential=None, pdf=False)
    return PublicFiles(credential=certificate.credential or None, pdf=bool(certificate.pdf))


@dataclass(frozen=True)
class Check:
    ok: bool | None  # None: could not be checked (e.g. the credential is not signed yet)
    detail: str
    code: str = ""  # machine-readable outcome: "revoked", "expired", …


@dataclass(frozen=True)
class Verification:
    state: str  # valid, revoked, expired, superseded, pending, invalid
    signature: Check
    status: Check
    validity: Check
    certificate: Certificate | None = None

    @property
    def verified(self) -> bool:
        return self.state == "valid"


def _status_list_for(entry: dict[str, Any], known: StatusList | None = None) -> StatusList | None:
    """The status list of ours that ``entry`` names: ``known`` (already read, e.g. with its
    certificate) when it is that one, else read from the database."""
    match = _STATUS_URL.search(entry.get("statusListCredential", ""))
    if not match or not entry.get("statusListCredential", "").startswith(
        settings.SITE_URL.rstrip("/")
    ):
        return None
    if known is not None and known.pk == int(match.group(1)):
        return known
    return StatusList.objects.filter(pk=int(match.group(1))).first()


#: How long a document whose proof verified is remembered as verified.
VERIFIED_CACHE_SECONDS = 24 * 3600


def check_signature(document: dict[str, Any]) -> Check:
    """The document's Data Integrity proof, verified (JSON-LD canonicalisation and Ed25519:
    tens of milliseconds). A signed document never changes and the issuer's keys are never
    removed (``IssuerKey``), so a proof that verified once verifies again: the key it verified
    with is remembered by the document's digest, and the verification page and the API do
    not redo the work on every view. A document that did not verify is checked again each
    time (nothing is remembered of it)."""
    digest = hashlib.sha256(
        json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    cache_key = f"ob3:verified:{digest}"
    key_id = cache.get(cache_key)
    if key_id is None:
        result = ob3.verify(document, keys.resolve_public_key)
        if not result.verified:
            return Check(False, result.reason)
        key_id = result.key_id
        cache.set(cache_key, key_id, VERIFIED_CACHE_SECONDS)
    return Check(
        True,
        str(
            _("The signature is valid: signed by %(issuer)s with key %(key)s.")
            % {"issuer": settings.CITY_NAME, "key": key_id}
        ),
    )


def check_status(document: dict[str, Any], known: StatusList | None = None) -> Check:
    entry = document.get("credentialStatus")
    if not isinstance(entry, dict):
        return Check(
            False, str(_("The credential names no status list, so revocation cannot be checked."))
        )
    status_list = _status_list_for(entry, known)
    if status_list is None or not status_list.credential:
        return Check(
            False, str(_("The status list this credential names is not one this issuer publishes."))
        )
    listed = check_signature(status_list.credential)
    if not listed.ok:
        return Check(
            False,
            str(
                _("The status list's own signature does not verify: %(reason)s")
                % {"reason": listed.detail}
            ),
        )
    try:
        index = int(entry.get("statusListIndex", ""))
        bits = ob3.decode_status_list(status_list.credential["credentialSubject"]["encodedList"])
        revoked = ob3.get_bit(bits, index)
    except (ValueError, KeyError, IndexError, TypeError):
        return Check(False, str(_("The credential's status entry cannot be read.")))
    if revoked:
        return Check(False, str(_("The status list marks this credential as revoked.")), "revoked")
    return Check(True, str(_("Not revoked: its bit in the signed status list is off.")))


def check_dates(document: dict[str, Any], now: dt.datetime | None = None) -> Check:
    now = now or timezone.now()

    def parse(value: str | None) -> dt.datetime | None:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None

    try:
        valid_from, valid_until = (
            parse(document.get("validFrom")),
            parse(document.get("validUntil")),
        )
    except (ValueError, AttributeError):
        return Check(False, str(_("The credential's dates cannot be read.")))
    if valid_from and valid_from > now:
        return Check(False, str(_("The credential is not valid yet.")))
    if valid_until and valid_until <= now:
        return Check(
            False,
            str(
                _("The credential expired on %(date)s.") % {"date": valid_until.date().isoformat()}
            ),
            "expired",
        )
    return Check(True, str(_("Within its validity period.")))


def verify_document(
    document: dict[str, Any], known_status_list: StatusList | None = None
) -> Verification:
    """Verify any credential document as an independent verifier would (the status list it
    names is read from the database unless it is ``known_status_list``)."""
    if not isinstance(document, dict):
        invalid = Check(False, str(_("This is not a credential.")))
        return Verification("invalid", invalid, invalid, invalid)
    signature = check_signature(document)
    status = check_status(document, known_status_list)
    validity = check_dates(document)
    if not signature.ok:
        state = "invalid"
    elif status.code == "revoked":
        state = "revoked"
    elif not validity.ok:
        state = "expired"
    elif not status.ok:
        state = "invalid"
    else:
        state = "valid"
    return Verification(state, signature, status, validity)


def verify_certificate(certificate: Certificate) -> Verification:
    """Verify a certificate of ours: its stored credential, plus what only we know
    (superseded, revocation reason) for the page."""
    if not certificate.credential:
        pending = Check(
            None, str(_("The credential is still being signed; try again in a minute."))
        )
        state = "revoked" if certificate.status == CertificateStatus.REVOKED else "pending"
        return Verification(state, pending, pending, pending, certificate)
    result = verify_document(certificate.credential, certificate.status_list)
    state = result.state
    if certificate.status == CertificateStatus.REVOKED:
        state = "revoked"
    elif certificate.status == CertificateStatus.SUPERSEDED and state == "valid":
        state = "superseded"
    return Verification(state, result.signature, result.status, result.validity, certificate)
