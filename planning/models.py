"""The AKPK workflow's tables: a plan per perangkat daerah, year and revision
(``AkpkPlan``), its rows (``AkpkRow``: a snapshot of a counted gap and the development planned
for it) and every change of state (``AkpkTransition``: who, when, from, to, why).

The snapshot columns are copied when the draft is generated, so an approved AKPK keeps saying
what was approved after people rotate and their evidence changes; the editable columns are
what the head plans. Integrity lives in the database: one plan per unit, year and revision,
one open (not approved) plan per unit and year, one row per person and competency in a plan,
quarters 1–4, priorities 1–3, no negative JP or cost.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from competencies.models import Competency, Employee, OrgUnit
from providers.models import (
    DevelopmentForm,
    DevelopmentPath,
)  # the forms of development (Peraturan LAN 10/2018), shared with offerings and IDPs


class AkpkState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified")
    APPROVED = "approved", _("Approved")


class AkpkAction(models.TextChoices):
    GENERATE = "generate", _("Draft generated")
    SUBMIT = "submit", _("Submit")
    VERIFY = "verify", _("Verify")
    RETURN = "return", _("Return with comments")
    APPROVE = "approve", _("Approve")
    REVISE = "revise", _("New revision opened")


class Priority(models.IntegerChoices):
    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


class AkpkPlan(models.Model):
    """The AKPK of one perangkat daerah for one planning year, in one revision."""

    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="akpk_plans",
        verbose_name=_("perangkat daerah"),
    )
    year = models.PositiveSmallIntegerField(_("planning year"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    state = models.CharField(
        _("state"), max_length=10, choices=AkpkState.choices, default=AkpkState.DRAFT
    )
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_revision",
        verbose_name=_("revision it replaces"),
    )
    gaps_as_of = models.DateField(_("gaps as of"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "org_unit__path", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "year", "revision"], name="akpk_plan_unit_year_revision"
            ),
            models.UniqueConstraint(
                fields=["org_unit", "year"],
                condition=~Q(state="approved"),
                name="akpk_plan_one_open_per_unit_year",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="akpk_plan_year_range"
            ),
            models.CheckConstraint(condition=Q(revision__gte=1), name="akpk_plan_revision_1_up"),
        ]
        permissions = [
            ("approve_akpk", _("Can approve an AKPK (delegate of the PPK)")),
        ]
        verbose_name = _("AKPK plan")
        verbose_name_plural = _("AKPK plans")

    def __str__(self) -> str:
        return f"AKPK {self.year} {self.org_unit} (rev. {self.revision})"

    @property
    def is_frozen(self) -> bool:
        """An approved AKPK is frozen; only a draft is edited."""
        return self.state != AkpkState.DRAFT


class AkpkRow(models.Model):
    """One person × competency to develop: the gap as it was counted, and the plan for it."""

    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    plan = models.ForeignKey(AkpkPlan, on_delete=models.CASCADE, related_name="rows")
    # The snapshot of the counted gap.
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="akpk_rows")
    nip = models.CharField(_("NIP"), max_length=18)
    name = models.CharField(_("name"), max_length=200)
    rank = models.CharField(_("rank (golongan)"), max_length=6, blank=True)
    position_title = models.CharField(_("position"), max_length=200)
    unit_name = models.CharField(_("unit"), max_length=200)
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    competency_code = models.CharField(_("competency code"), max_length=20)
    competency_name = models.CharField(_("competency"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20)
    required_level = models.PositiveSmallIntegerField(_("required level"))
    current_level = models.PositiveSmallIntegerField(_("current level"))
    gap = models.PositiveSmallIntegerField(_("gap"))
    is_critical = models.BooleanField(_("critical"), default=False)
    # What the head plans. The provider is a Tangkas course or a partner offering, not both.
    development_form = models.CharField(
        _("development form"), max_length=12, choices=DevelopmentForm.choices
    )
    path = models.CharField(_("path"), max_length=12, choices=DevelopmentPath.choices)
    course = models.ForeignKey(
        "courses.CoursePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Tangkas course"),
    )
    offering = models.ForeignKey(
        "providers.Offering",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("partner offering"),
    )
    planned_quarter = models.PositiveSmallIntegerField(_("planned quarter"), default=1)
    jp_hours = models.PositiveSmallIntegerField(_("learning hours (JP)"), default=0)
    estimated_cost = models.PositiveBigIntegerField(_("estimated cost (Rp)"), default=0)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    removed = models.BooleanField(_("removed"), default=False)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "employee", "competency"], name="akpk_row_person_competency"
            ),
            models.CheckConstraint(
                condition=Q(planned_quarter__gte=1, planned_quarter__lte=4),
                name="akpk_row_quarter_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=3), name="akpk_row_priority_1_to_3"
            ),
            models.CheckConstraint(condition=Q(gap__gte=1), name="akpk_row_gap_positive"),
            models.CheckConstraint(
                condition=Q(course__isnull=True) | Q(offering__isnull=True),
                name="akpk_row_one_provider",
            ),
        ]
        indexes = [models.Index(fields=["plan", "removed"], name="akpk_row_plan_removed")]
        verbose_name = _("AKPK row")
        verbose_name_plural = _("AKPK rows")

    def __str__(self) -> str:
        return f"{self.name} · {self.competency_code}"


class AkpkTransition(models.Model):
    """A change of an AKPK's state (or its generation, or a new revision): append-only."""

    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    plan = models.ForeignKey(AkpkPlan, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=10, choices=AkpkAction.choices)
    from_state = models.CharField(_("from"), max_length=10, choices=AkpkState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=10, choices=AkpkState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    #: Who acted, as shown in the trail (the person's name, or the API client's id).
    actor_label = models.CharField(_("by"), max_length=200)
    client_id = models.CharField(_("API client"), max_length=100, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["plan", "at", "pk"]
        verbose_name = _("AKPK transition")
        verbose_name_plural = _("AKPK transitions")

    def __str__(self) -> str:
        return f"{self.plan}: {self.action}"
