"""Certificates, the revocation status list, and the issuer's public keys.

A certificate is issued once per completed enrollment (a partial unique constraint: one
certificate that is not superseded per enrollment) or once per external learning record.
Its ``code`` carries 128 random bits and is what the verification URL and the QR code use;
``short_code`` is what people read aloud or print in small type. The PDF and the signed
Open Badges 3.0 credential are produced by a Celery task after the row exists, so a slow or
absent worker never loses a certificate: it only delays its files.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competencies.models import Employee

# Crockford's base32: no I, L, O or U, so a code read aloud or typed is never ambiguous.
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_code() -> str:
    """26 characters carrying 128 random bits (130 bits of base32, top two bits zero)."""
    number = secrets.randbits(128)
    return "".join(CROCKFORD[(number >> shift) & 31] for shift in range(125, -5, -5))


def normalise_code(raw: str) -> str:
    """Accept codes as people type them: any case, with hyphens or spaces, O for 0, I/L for 1."""
    cleaned = raw.upper().replace("-", "").replace(" ", "")
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def certificate_storage() -> Storage:
    """Certificate files live apart from public media: they are served only through their
    verification code or to their holder, never at a public URL."""
    return storages["certificates"]


def group_code(code: str, size: int = 4) -> str:
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded by a newer certificate")


class StatusList(models.Model):
    """A W3C Bitstring Status List for revocation, republished as a signed credential."""

    purpose = models.CharField(max_length=20, default="revocation")
    size_bits = models.PositiveIntegerField(default=131_072)
    bits = models.BinaryField()
    credential = models.JSONField(null=True, blank=True)
    allocated = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("status list")

    def __str__(self) -> str:
        return f"{self.purpose} list {self.pk}"


class IssuerKey(models.Model):
    """Every public key the issuer has signed with. Rotating the signing key adds a row and
    keeps the old ones, so credentials signed before the rotation stay verifiable."""

    key_id = models.CharField(max_length=300, unique=True)
    public_key_multibase = models.CharField(max_length=100, unique=True)
    first_used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-first_used_at"]
        verbose_name = _("issuer key")

    def __str__(self) -> str:
        return self.key_id


class Certificate(models.Model):
    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(
        _("verification code"), max_length=26, unique=True, default=new_code, editable=False
    )
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="certificates")
    enrollment = models.ForeignKey(
        "courses.Enrollment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
    )
    learning_record = models.ForeignKey(
        "courses.LearningRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
    )
    holder_name = models.CharField(_("holder"), max_length=200)
    title = models.CharField(_("achievement"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    jp_hours = models.DecimalField(_("learning hours (JP)"), max_digits=6, decimal_places=2)
    alignments = models.JSONField(_("competencies"), default=list)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status_list = models.ForeignKey(
        StatusList, on_delete=models.PROTECT, related_name="certificates"
    )
    status_index = models.PositiveIntegerField()
    # The salt of the identity hash of credentials signed before CREDENTIAL_SUBJECT_KEY (they
    # carry it too); new credentials use the keyed hash and no salt. Kept for the old rows.
    salt = models.CharField(max_length=64, default=secrets.token_hex, editable=False)
    credential = models.JSONField(null=True, blank=True)
    pdf = models.FileField(upload_to="pdf/%Y/", storage=certificate_storage, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issued_on", "-created_at"]
        constraints = [
            # Exactly one certificate per enrollment (a reissue supersedes the old one).
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(enrollment__isnull=False) & ~Q(status="superseded"),
                name="certificate_one_per_enrollment",
            ),
            models.UniqueConstraint(
                fields=["learning_record"],
                condition=Q(learning_record__isnull=False) & ~Q(status="superseded"),
                name="certificate_one_per_learning_record",
            ),
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="certificate_status_index_unique"
            ),
            models.CheckConstraint(
                condition=Q(enrollment__isnull=False) | Q(learning_record__isnull=False),
                name="certificate_has_a_source",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked")
                | (Q(revoked_at__isnull=False) & ~Q(revocation_reason="")),
                name="certificate_revocation_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["updated_at", "id"], name="certificate_updated")]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.title} ({self.short_code})"

    @property
    def short_code(self) -> str:
        """The first eight characters, printed as TGK-XXXX-XXXX: easy to read out, not a key."""
        return "TGK-" + group_code(self.code[:8])

    @property
    def grouped_code(self) -> str:
        return group_code(self.code)

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def display_status(self) -> str:
        """valid, revoked, superseded or expired: what a verifier should be told."""
        if self.status == CertificateStatus.VALID and self.is_expired:
            return "expired"
        return self.status

    @property
    def is_complete(self) -> bool:
        return bool(self.credential) and bool(self.pdf)
