"""Partner providers and what they offer.

``Provider`` is a partner outside Tangkas (a university, a government agency such as BSSN or
Komdigi, a community, a vendor) with its MoU (*nota kesepahaman*) and the competencies it
covers. ``Offering`` is one external course or programme of a provider, with the competencies
and levels it builds (``OfferingCompetency``, the same rules as a Tangkas course's
``CourseCompetency``), its JP, path, form and cost. ``OfferingRequest`` is a person asking to
take an offering; HR decides and, on completion, records the JP in the learning-hours ledger
(``courses.LearningRecord``), which the request then points at.

``DevelopmentForm`` and ``DevelopmentPath`` are the forms and paths of competency development
(PermenPAN-RB / Perlembagaan LAN 10/2018: *jalur klasikal* and *nonklasikal*); the AKPK and
the individual development plans use the same choices.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from competencies.models import LEVEL_VALIDATORS, Competency, CompetencyKind, Employee
from courses.models import LearningRecord


class ProviderKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    GOVERNMENT = "government", _("Government agency")
    COMMUNITY = "community", _("Community")
    VENDOR = "vendor", _("Vendor")


class DevelopmentPath(models.TextChoices):
    CLASSICAL = "klasikal", _("Classroom (klasikal)")
    NON_CLASSICAL = "nonklasikal", _("Non-classroom (nonklasikal)")


class DevelopmentForm(models.TextChoices):
    """Bentuk pengembangan kompetensi (Peraturan LAN 10/2018), shared by offerings, the AKPK
    (``planning``) and development plans."""

    TRAINING = "pelatihan", _("Training (pelatihan)")
    E_LEARNING = "e_learning", _("E-learning")
    SEMINAR = "seminar", _("Seminar / workshop")
    COACHING = "coaching", _("Coaching")
    MENTORING = "mentoring", _("Mentoring")
    SECONDMENT = "magang", _("Internship / secondment (magang)")
    COURSE = "kursus", _("Course (kursus)")


class Provider(ClusterableModel):
    """A partner that trains our people, and the MoU that lets it."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ProviderKind.choices)
    mou_number = models.CharField(_("MoU number"), max_length=100, blank=True)
    mou_start_date = models.DateField(_("MoU valid from"), null=True, blank=True)
    mou_end_date = models.DateField(_("MoU valid until"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    competencies = ParentalManyToManyField(
        Competency,
        blank=True,
        related_name="providers",
        verbose_name=_("competencies covered"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind"), FieldPanel("is_active")]),
        MultiFieldPanel(
            [
                FieldPanel("mou_number"),
                FieldRowPanel([FieldPanel("mou_start_date"), FieldPanel("mou_end_date")]),
            ],
            heading=_("Memorandum of understanding (MoU)"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("contact_name"),
                        FieldPanel("contact_email"),
                        FieldPanel("contact_phone"),
                    ]
                ),
                FieldPanel("website"),
            ],
            heading=_("Contact"),
        ),
        FieldPanel("competencies"),
    ]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mou_start_date__isnull=True)
                | Q(mou_end_date__isnull=True)
                | Q(mou_end_date__gte=F("mou_start_date")),
                name="provider_mou_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["updated_at", "id"], name="provider_updated")]
        verbose_name = _("partner provider")
        verbose_name_plural = _("partner providers")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if (
            self.mou_start_date is not None
            and self.mou_end_date is not None
            and self.mou_end_date < self.mou_start_date
        ):
            raise ValidationError(
                {"mou_end_date": _("The MoU cannot end before it starts.")},
                code="invalid_date_range",
            )


def mou_valid_on(day: object, prefix: str = "") -> Q:
    """Providers (through ``prefix``, e.g. ``"provider__"``) whose MoU is valid on ``day``:
    started by then and not yet ended; an open end (or no period at all) counts as valid."""
    return (
        Q(**{f"{prefix}mou_start_date__isnull": True}) | Q(**{f"{prefix}mou_start_date__lte": day})
    ) & (Q(**{f"{prefix}mou_end_date__isnull": True}) | Q(**{f"{prefix}mou_end_date__gte": day}))


class Offering(ClusterableModel):
    """One external course or programme a partner offers."""

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="offerings", verbose_name=_("provider")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    jp_hours = models.DecimalField(
        _("learning hours (JP)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25"))],
        help_text=_("1 JP = 45 minutes."),
    )
    path = models.CharField(_("path"), max_length=12, choices=DevelopmentPath.choices)
    form = models.CharField(_("form"), max_length=12, choices=DevelopmentForm.choices)
    cost = models.DecimalField(
        _("cost per participant (IDR)"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(Decimal(0))],
    )
    start_date = models.DateField(_("starts on"), null=True, blank=True)
    end_date = models.DateField(_("ends on"), null=True, blank=True)
    link = models.URLField(
        _("link"),
        blank=True,
        help_text=_("Where to register or take it, for offerings without a schedule."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("provider"), FieldPanel("is_active")]),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel(
            [FieldPanel("jp_hours"), FieldPanel("path"), FieldPanel("form"), FieldPanel("cost")]
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("link"),
            ],
            heading=_("Schedule or link"),
        ),
        InlinePanel("competencies", label=_("Competencies this offering builds"), min_num=1),
    ]

    class Meta:
        ordering = ["provider__name", "title", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(jp_hours__gt=0), name="offering_positive_jp"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="offering_cost_not_negative"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=False),
                name="offering_end_needs_start",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="offering_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=False) | ~Q(link=""),
                name="offering_schedule_or_link",
            ),
        ]
        indexes = [models.Index(fields=["updated_at", "id"], name="offering_updated")]
        verbose_name = _("partner offering")
        verbose_name_plural = _("partner offerings")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.end_date is not None and self.start_date is None:
            errors["start_date"] = _("An offering with an end date needs its start date.")
        elif (
            self.end_date is not None
            and self.start_date is not None
            and self.end_date < self.start_date
        ):
            errors["end_date"] = _("The offering cannot end before it starts.")
        if self.start_date is None and not self.link:
            errors["link"] = _("Give either the schedule (start date) or a link.")
        if errors:
            raise ValidationError(errors)


class OfferingCompetency(Orderable):
    """A competency an offering builds, and the level a completion attests (the same rules as
    ``courses.CourseCompetency``: technical competencies only, level 1–5, once per offering)."""

    offering = ParentalKey(Offering, on_delete=models.CASCADE, related_name="competencies")
    competency = models.ForeignKey(
        Competency,
        on_delete=models.PROTECT,
        related_name="offering_links",
        verbose_name=_("competency"),
    )
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)

    panels = [FieldPanel("competency"), FieldPanel("level")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "competency"], name="offering_competency_unique"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="offering_competency_level_1_to_5"
            ),
        ]
        indexes = [models.Index(fields=["competency", "level"], name="offering_competency_lookup")]
        verbose_name = _("competency built")

    def __str__(self) -> str:
        return f"{self.offering_id}: {self.competency_id} L{self.level}"

    def clean(self) -> None:
        """The evidence policy (``competencies.policy``): training builds technical
        competencies only; managerial and socio-cultural levels come from assessment."""
        super().clean()
        competency = self.competency if self.competency_id else None
        if competency is not None and competency.kind != CompetencyKind.TECHNICAL:
            raise ValidationError(
                {
                    "competency": _(
                        "An offering can build technical competencies only: managerial and "
                        "socio-cultural levels come from a competency assessment or a "
                        "supervisor's validation."
                    )
                }
            )


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


#: The states in which a request is still open: a person has at most one per offering.
OPEN_REQUEST_STATUSES = (RequestStatus.REQUESTED, RequestStatus.APPROVED)


class OfferingRequest(models.Model):
    """A person asking to take a partner offering; HR approves or rejects it and records the
    completion, which writes the JP into the ledger (``learning_record``)."""

    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="offering_requests"
    )
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="requests")
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)
    learning_record = models.OneToOneField(
        LearningRecord,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offering_request",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "offering"],
                condition=Q(status__in=["requested", "approved"]),
                name="offering_request_one_open",
            ),
            models.CheckConstraint(
                condition=Q(status="completed", learning_record__isnull=False)
                | (~Q(status="completed") & Q(learning_record__isnull=True)),
                name="offering_request_completed_has_record",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "cancelled"]) | Q(decided_at__isnull=False),
                name="offering_request_decided_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "requested_at"], name="offering_request_queue"),
            models.Index(fields=["updated_at", "id"], name="offering_request_updated"),
        ]
        verbose_name = _("offering request")
        verbose_name_plural = _("offering requests")

    def __str__(self) -> str:
        return f"{self.employee_id} → {self.offering_id}: {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES
