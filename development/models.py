"""Individual development plans (IDP, *rencana pengembangan individu*).

A ``DevelopmentPlan`` is one person's plan for one year (unique person × year). It holds
``PlanGoal`` rows (a competency and the level to reach, from a gap of the current post or a
target position) and ``PlanActivity`` rows (a Tangkas course, a partner offering, coaching, an
assignment or anything else, each with a target date). The person signs it (``submitted``),
the head of their unit on the day signs it too (``agreed``) or returns it with a comment
(``returned``); an agreed plan is read-only. Every change of state is a ``PlanTransition``
(who, when, from, to, comment), appended and never edited.

Whether an activity on a course or a partner offering is done is not stored:
``development.selectors`` reads it from the person's completed enrollment in the course, or
their completed request of the partner offering (``providers.OfferingRequest``), so progress
fills itself in. Coaching, assignments and other activities, which Tangkas does not record, are
done when the supervisor confirms them on the agreed plan (``confirmed_on``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from competencies.models import LEVEL_VALIDATORS, Competency, Employee, Position
from courses.models import CoursePage
from providers.models import Offering


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Signed by the person, waiting for the supervisor")
    AGREED = "agreed", _("Agreed")
    RETURNED = "returned", _("Returned for changes")


#: States in which the person may still change goals and activities.
EDITABLE_STATUSES = (PlanStatus.DRAFT, PlanStatus.RETURNED)


class DevelopmentPlan(models.Model):
    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    employee = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        related_name="development_plans",
        verbose_name=_("person"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    employee_signed_at = models.DateTimeField(_("signed by the person at"), null=True, blank=True)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supervisor"),
    )
    supervisor_signed_at = models.DateTimeField(
        _("signed by the supervisor at"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "year"], name="development_plan_once_a_year"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "agreed"])
                | Q(employee_signed_at__isnull=False),
                name="development_plan_signed_by_person",
            ),
            models.CheckConstraint(
                condition=~Q(status="agreed")
                | Q(supervisor__isnull=False, supervisor_signed_at__isnull=False),
                name="development_plan_agreed_has_supervisor",
            ),
        ]
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")

    def __str__(self) -> str:
        return f"{self.employee_id} {self.year}: {self.status}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class GoalOrigin(models.TextChoices):
    GAP = "gap", _("A gap in the current position")
    TARGET_POSITION = "target_position", _("A target position")
    OTHER = "other", _("Other")


class PlanGoal(models.Model):
    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="goals")
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="+", verbose_name=_("competency")
    )
    target_level = models.PositiveSmallIntegerField(_("target level"), validators=LEVEL_VALIDATORS)
    origin = models.CharField(_("origin"), max_length=20, choices=GoalOrigin.choices)
    target_position = models.ForeignKey(
        Position,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("target position"),
    )
    target_date = models.DateField(_("target date"))

    class Meta:
        ordering = ["target_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "competency"], name="plan_goal_once_per_competency"
            ),
            models.CheckConstraint(
                condition=Q(target_level__gte=1, target_level__lte=5),
                name="plan_goal_level_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(origin="target_position") | Q(target_position__isnull=False),
                name="plan_goal_target_position_named",
            ),
        ]
        verbose_name = _("development goal")
        verbose_name_plural = _("development goals")

    def __str__(self) -> str:
        return f"{self.competency_id} → {self.target_level}"


class ActivityKind(models.TextChoices):
    COURSE = "course", _("Tangkas course")
    OFFERING = "offering", _("Partner training")
    COACHING = "coaching", _("Coaching or mentoring")
    ASSIGNMENT = "assignment", _("Assignment (on-the-job)")
    OTHER = "other", _("Other")


class PlanActivity(models.Model):
    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="activities")
    goal = models.ForeignKey(
        PlanGoal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("goal"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    course = models.ForeignKey(
        CoursePage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("course"),
    )
    offering = models.ForeignKey(
        Offering,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner offering"),
    )
    title = models.CharField(_("title"), max_length=300)
    target_date = models.DateField(_("target date"))
    #: An activity Tangkas does not record itself (coaching, an assignment, anything else) is
    #: done when the supervisor confirms it on the agreed plan: the day, and who.
    confirmed_on = models.DateField(_("confirmed done on"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    class Meta:
        ordering = ["target_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_on__isnull=True) | ~Q(kind__in=["course", "offering"]),
                name="plan_activity_confirmed_only_when_not_recorded",
            ),
            models.CheckConstraint(
                condition=(Q(kind="course") & Q(course__isnull=False))
                | (~Q(kind="course") & Q(course__isnull=True)),
                name="plan_activity_course_when_kind_says",
            ),
            models.CheckConstraint(
                condition=(Q(kind="offering") & Q(offering__isnull=False))
                | (~Q(kind="offering") & Q(offering__isnull=True)),
                name="plan_activity_offering_when_kind_says",
            ),
        ]
        verbose_name = _("development activity")
        verbose_name_plural = _("development activities")

    def __str__(self) -> str:
        return self.title

    @property
    def needs_confirmation(self) -> bool:
        """Done only when the supervisor says so (Tangkas records nothing for it)."""
        return self.kind not in (ActivityKind.COURSE, ActivityKind.OFFERING)


class PlanTransition(models.Model):
    """One change of a plan's state: appended, never edited."""

    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=PlanStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=PlanStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(to_status="returned") | ~Q(comment=""),
                name="plan_transition_return_has_comment",
            ),
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="plan_transition_changes_state"
            ),
        ]
        verbose_name = _("development plan transition")
        verbose_name_plural = _("development plan transitions")

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.from_status} → {self.to_status}"
