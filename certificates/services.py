"""Writes for certificates: issuing (once per completion), signing and rendering, correcting
before signing, revoking, reissuing, and republishing the revocation status list.

Issuing only creates the row, inside a transaction guarded by a unique constraint; the
signed credential and the PDF are made afterwards by the ``certificate_render`` task, which
can run any number of times and finishes whatever is missing.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates import keys, ob3, rendering, selectors
from certificates.exceptions import (
    AlreadyRevokedError,
    CertificateNotFoundError,
    CertificateSignedError,
    RevocationReasonRequiredError,
)
from certificates.links import site_url, status_list_url
from certificates.models import Certificate, CertificateStatus, StatusList
from certificates.signals import certificate_issued, certificate_revoked
from competencies.models import Competency, Employee
from core import dates
from core.exceptions import FieldError
from courses.models import Enrollment, LearningRecord
from courses.services import learning_record_create

logger = logging.getLogger(__name__)

STATUS_LIST_BITS = 131_072


# --- Status list --------------------------------------------------------------------------


def _current_status_list() -> StatusList:
    """The list new certificates get an index in; a new one starts when it is half full, so
    that random indexes stay cheap to find and say nothing about issuing order."""
    status_list = StatusList.objects.select_for_update().order_by("-pk").first()
    if status_list is None or status_list.allocated >= status_list.size_bits // 2:
        status_list = StatusList.objects.create(
            size_bits=STATUS_LIST_BITS, bits=bytes(STATUS_LIST_BITS // 8)
        )
    return status_list


def _allocate_index(status_list: StatusList) -> int:
    taken = set(
        Certificate.objects.filter(status_list=status_list).values_list("status_index", flat=True)
    )
    while True:
        index = secrets.randbelow(status_list.size_bits)
        if index not in taken:
            status_list.allocated += 1
            status_list.save(update_fields=["allocated", "updated_at"])
            return index


def status_list_publish(*, status_list: StatusList) -> StatusList:
    """Sign the list as a ``BitstringStatusListCredential`` from the same issuer."""
    key = keys.current_signing_key()
    now = timezone.now().replace(microsecond=0)
    document = ob3.build_status_list_credential(
        credential_id=status_list_url(status_list),
        issuer_id=keys.issuer_did(),
        issuer_name=settings.CITY_NAME,
        valid_from=now,
        encoded_list=ob3.encode_status_list(bytes(status_list.bits)),
    )
    status_list.credential = ob3.sign(document, key, created=now)
    status_list.save(update_fields=["credential", "updated_at"])
    return status_list


# --- Issuing ------------------------------------------------------------------------------


def _enqueue_render(certificate_id: Any) -> None:
    """Ask a worker to finish the certificate once the row is committed. If the broker is
    down the certificate still exists; the periodic sweep finishes it later."""
    # Imported here: the task calls back into this module (the one cycle STYLE.md allows).
    from certificates.tasks import certificate_render

    def send() -> None:
        try:
            certificate_render.delay(str(certificate_id))
        except Exception:
            logger.warning(
                "certificate %s left for the sweep: the task could not be sent (or, run in-process, failed)",
                certificate_id,
                exc_info=True,
            )

    transaction.on_commit(send)


@transaction.atomic
def certificate_issue_for_enrollment(*, enrollment_id: int) -> Certificate:
    """Issue the certificate of a completed enrollment, or return the one it already has."""
    enrollment = (
        Enrollment.objects.select_for_update()
        .select_related("course", "employee")
        .get(pk=enrollment_id)
    )
    existing = (
        Certificate.objects.filter(enrollment=enrollment)
        .exclude(status=CertificateStatus.SUPERSEDED)
        .first()
    )
    if existing is not None:
        return existing
    if not enrollment.is_completed:
        raise CertificateNotFoundError(
            _("The course is not completed, so there is no certificate yet.")
        )
    course = enrollment.course
    issued = timezone.localtime(enrollment.completed_at).date()
    links = course.competencies.select_related("competency").order_by("sort_order")
    return _create(
        employee=enrollment.employee,
        enrollment=enrollment,
        title=course.title,
        description=course.summary,
        provider=settings.CITY_NAME,
        jp_hours=Decimal(course.jp_hours),
        alignments=[
            {"code": link.competency.code, "name": link.competency.name_id, "level": link.level}
            for link in links
        ],
        issued_on=issued,
        expires_on=dates.add_years(issued, course.certificate_validity_years)
        if course.certificate_validity_years
        else None,
    )


@transaction.atomic
def certificate_issue_for_learning_record(
    *,
    learning_record: LearningRecord,
    alignments: list[dict[str, Any]],
    expires_on: dt.date | None = None,
) -> Certificate:
    """A certificate for external training recorded by HR (the HR API issues these)."""
    existing = (
        Certificate.objects.filter(learning_record=learning_record)
        .exclude(status=CertificateStatus.SUPERSEDED)
        .first()
    )
    if existing is not None:
        return existing
    return _create(
        employee=learning_record.employee,
        learning_record=learning_record,
        title=learning_record.title,
        description="",
        provider=learning_record.provider,
        jp_hours=learning_record.jp_hours,
        alignments=alignments,
        issued_on=learning_record.completed_date,
        expires_on=expires_on,
    )


@transaction.atomic
def certificate_issue_for_external_training(
    *,
    employee: Employee,
    title: str,
    jp_hours: Decimal,
    completed_date: dt.date,
    provider: str = "",
    reference: str = "",
    competencies: Iterable[tuple[Competency, int]] = (),
    expires_on: dt.date | None = None,
    start_date: dt.date | None = None,
    recorded_by: Any = None,
) -> Certificate:
    """Record external training and certify it, as one write: the learning record, evidence
    for the competencies it attests and the certificate commit together (the credential and
    the PDF are made after commit). If any step fails nothing stays behind, so a retry with
    the same ``Idempotency-Key`` records the training once."""
    competencies = list(competencies)
    record = learning_record_create(
        employee=employee,
        title=title,
        jp_hours=jp_hours,
        completed_date=completed_date,
        provider=provider,
        reference=reference,
        competencies=competencies,
        valid_until=expires_on,
        start_date=start_date,
        recorded_by=recorded_by,
    )
    return certificate_issue_for_learning_record(
        learning_record=record,
        alignments=[
            {"code": competency.code, "name": competency.name_id, "level": level}
            for competency, level in competencies
        ],
        expires_on=expires_on,
    )


def _create(*, employee: Employee, **fields: Any) -> Certificate:
    status_list = _current_status_list()
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                employee=employee,
                holder_name=employee.name,
                status_list=status_list,
                status_index=_allocate_index(status_list),
                **fields,
            )
    except IntegrityError:
        # Another process issued it a moment ago; the unique constraint decided.
        source = {k: fields[k] for k in ("enrollment", "learning_record") if k in fields}
        return Certificate.objects.exclude(status=CertificateStatus.SUPERSEDED).get(**source)
    _enqueue_render(certificate.pk)
    return certificate


# --- Signing and rendering ----------------------------------------------------------------


def credential_for(certificate: Certificate, key: ob3.SigningKey) -> dict[str, Any]:
    """The signed Open Badges 3.0 credential of a certificate."""
    course = certificate.enrollment.course if certificate.enrollment_id else None
    # Valid from the instant it is signed: the issue *date* at 00:00 UTC would lie up to seven
    # hours in the future between 00:00 and 07:00 WIB. Valid through the whole expiry day in the
    # city's time zone, as ``Certificate.is_expired`` counts it.
    signed_at = timezone.now().replace(microsecond=0)
    document = ob3.build_achievement_credential(
        credential_id=f"urn:uuid:{certificate.pk}",
        issuer_id=keys.issuer_did(),
        issuer_name=settings.CITY_NAME,
        issuer_url=settings.SITE_URL,
        valid_from=signed_at,
        valid_until=dates.end_of_day(certificate.expires_on) if certificate.expires_on else None,
        subject_nip=certificate.employee.nip,
        subject_key=keys.subject_key(),
        achievement_id=site_url(course.url)
        if course is not None and course.url
        else f"urn:uuid:{certificate.pk}#achievement",
        achievement_name=certificate.title,
        achievement_description=certificate.description or certificate.title,
        criteria_narrative=(
            str(_("Completed every required lesson and passed the assessment of the course."))
            if course is not None
            else str(_("Completed external training recorded by the city's HR office."))
        ),
        achievement_type="Course" if course is not None else "Certificate",
        jp_hours=int(certificate.jp_hours),
        alignments=[
            {**item, "target_url": site_url(f"/competencies/{item['code']}/")}
            for item in certificate.alignments
        ],
        status_entry={
            "id": f"{status_list_url(certificate.status_list)}#{certificate.status_index}",
            "statusListIndex": str(certificate.status_index),
            "statusListCredential": status_list_url(certificate.status_list),
        },
    )
    return ob3.sign(document, key, created=signed_at)


def certificate_sign_and_render(*, certificate_id: Any, cached_render: bool = True) -> Certificate:
    """Finish a certificate: sign its credential and render its PDF, whichever is missing.

    Safe to run twice or after a crash: each step locks the row, skips what is already done,
    and the file is saved before the row points at it. ``cached_render=False`` renders the
    PDF with nothing kept from earlier certificates (the same bytes, slower: for make bench).
    """
    certificate_sign(certificate_id=certificate_id)
    return certificate_pdf_render(certificate_id=certificate_id, cached=cached_render)


@transaction.atomic
def certificate_sign(*, certificate_id: Any) -> Certificate:
    """Sign the certificate's credential unless it is signed (publishing its status list
    first if that was never signed)."""
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("employee", "status_list", "enrollment__course")
        .get(pk=certificate_id)
    )
    if not certificate.credential:
        if not certificate.status_list.credential:
            status_list_publish(status_list=certificate.status_list)
        certificate.credential = credential_for(certificate, keys.current_signing_key())
        certificate.signed_at = timezone.now()
        certificate.save(update_fields=["credential", "signed_at", "updated_at"])
        # Announced here, whatever issued it (a course completion, the sweep, external
        # training, a reissue): once, because the credential is signed once under the row
        # lock, and inside this transaction, so that what listeners record commits with it.
        certificate_issued.send(sender=Certificate, certificate_id=certificate.pk)
    return certificate


@transaction.atomic
def certificate_pdf_render(*, certificate_id: Any, cached: bool = True) -> Certificate:
    """Render the certificate's PDF unless it has one."""
    certificate = (
        Certificate.objects.select_for_update().select_related("employee").get(pk=certificate_id)
    )
    if not certificate.pdf:
        pdf = rendering.certificate_pdf(certificate, cached=cached)
        certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(pdf), save=False)
        certificate.rendered_at = timezone.now()
        certificate.save(update_fields=["pdf", "rendered_at", "updated_at"])
    return certificate


def unfinished_certificate_ids(*, older_than: dt.timedelta = dt.timedelta(minutes=2)) -> list[Any]:
    cutoff = timezone.now() - older_than
    return list(
        Certificate.objects.filter(
            Q(credential__isnull=True) | Q(pdf=""), created_at__lte=cutoff
        ).values_list("pk", flat=True)
    )


def completed_enrollments_without_certificate() -> list[int]:
    return list(
        Enrollment.objects.filter(status="completed")
        .exclude(certificates__status__in=[CertificateStatus.VALID, CertificateStatus.REVOKED])
        .values_list("pk", flat=True)
    )


# --- Revoking and reissuing ---------------------------------------------------------------


@transaction.atomic
def certificate_update(*, certificate: Certificate, title: str) -> Certificate:
    """Correct the title of a certificate that is not signed yet. Once it is signed the
    credential and the PDF are fixed (``CertificateSignedError``): revoke and issue anew. The
    row is locked, so a signing that runs at the same moment comes strictly before or after."""
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.signed_at or locked.credential:
        raise CertificateSignedError()
    locked.title = title
    locked.save(update_fields=["title", "updated_at"])
    return locked


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, user: Any = None) -> Certificate:
    """Revoke with a reason: flips the credential's bit and re-signs the status list."""
    if not (reason or "").strip():
        raise RevocationReasonRequiredError(
            errors=[FieldError("reason", RevocationReasonRequiredError.default_message, "required")]
        )
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == CertificateStatus.REVOKED:
        raise AlreadyRevokedError()
    status_list = StatusList.objects.select_for_update().get(pk=certificate.status_list_id)
    bits = bytearray(status_list.bits)
    ob3.set_bit(bits, certificate.status_index, True)
    status_list.bits = bytes(bits)
    status_list.save(update_fields=["bits", "updated_at"])
    status_list_publish(status_list=status_list)
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revocation_reason = reason.strip()
    certificate.revoked_by = user if getattr(user, "pk", None) else None
    certificate.save(
        update_fields=["status", "revoked_at", "revocation_reason", "revoked_by", "updated_at"]
    )
    transaction.on_commit(lambda: _announce_revoked(certificate.pk))
    return certificate


def _announce_revoked(certificate_id: Any) -> None:
    certificate_revoked.send(sender=Certificate, certificate_id=certificate_id)


@transaction.atomic
def certificate_reissue(
    *, certificate: Certificate, issued_on: dt.date | None = None, keep_dates: bool = False
) -> Certificate:
    """A new certificate for the same achievement (after a retake or recertification): new
    code, dates and credential; the old one is marked superseded. With ``keep_dates`` the new
    one keeps the old issue and expiry dates: the same achievement in a new credential, not a
    new achievement."""
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if old.status == CertificateStatus.REVOKED:
        raise AlreadyRevokedError(_("A revoked certificate cannot be reissued."))
    if old.status == CertificateStatus.SUPERSEDED:
        raise AlreadyRevokedError(_("This certificate was already replaced by a newer one."))
    old.status = CertificateStatus.SUPERSEDED
    old.save(update_fields=["status", "updated_at"])
    if keep_dates:
        issued, expires = old.issued_on, old.expires_on
    else:
        issued = issued_on or dates.today()
        validity = None
        if old.expires_on:
            validity = old.expires_on.year - old.issued_on.year
        expires = dates.add_years(issued, validity) if validity else None
    new = _create(
        employee=old.employee,
        enrollment=old.enrollment,
        learning_record=old.learning_record,
        title=old.title,
        description=old.description,
        provider=old.provider,
        jp_hours=old.jp_hours,
        alignments=old.alignments,
        issued_on=issued,
        expires_on=expires,
    )
    old.superseded_by = new
    old.save(update_fields=["superseded_by", "updated_at"])
    return new


def legacy_credentials_reissue(*, dry_run: bool = False) -> int:
    """Reissue every certificate whose credential names its holder the way credentials did
    before ``CREDENTIAL_SUBJECT_KEY`` (a plain SHA-256 of the NIP with its salt, which gives the
    NIP away to a guesser): each gets a new certificate with the same dates and a keyed
    identity hash, and the old one is superseded. Returns how many were (or, with
    ``dry_run``, would be) reissued.

    Safe to run again or twice at once: a reissued certificate is no longer valid, so it is
    not selected again, and one that another run superseded meanwhile is skipped. Each
    reissue commits on its own, so an interrupted run keeps what it did.
    """
    candidates = selectors.certificates_with_legacy_credentials()
    if dry_run:
        return candidates.count()
    reissued = 0
    for certificate in candidates.iterator():
        try:
            certificate_reissue(certificate=certificate, keep_dates=True)
        except AlreadyRevokedError:
            continue  # revoked or reissued since it was selected
        reissued += 1
    return reissued
