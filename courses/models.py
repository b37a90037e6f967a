"""Courses: Wagtail pages for what is taught, plain models for who is learning what.

Page tree: ``CourseIndexPage`` (the catalogue at ``/courses/``) → ``CoursePage`` →
``LessonPage``. Lessons are child pages rather than a StreamField of modules on the course
because each lesson then has its own editor, revisions, preview and scheduled publishing,
and — what matters most for learners — a stable page id that progress and quiz attempts
refer to: reordering, editing and republishing lessons never erases anyone's progress.

Enrollment, lesson progress, quiz attempts and the learning-hours ledger are plain models.
How many attempts a quiz allows, which one counts, its question pool and time limit are
settings of the quiz block (``courses.blocks.QuizBlock``), not of the course: one course may
have practice quizzes and a graded one. The course keeps its passing score.

A page's context (the catalogue, the learner's progress) comes from ``courses.selectors``,
which query these models; the web interface completes it through the Wagtail hook
``construct_course_page_context`` (``frontend/wagtail_hooks.py``), so that this module does not
import the selectors back. Serving, the admin's preview and tests all go through
``get_context``, so every one of them gets the same context.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from competencies.models import LEVEL_VALIDATORS, Competency, CompetencyKind, Employee
from courses.blocks import LessonStreamBlock, QuizKind

PAGE_CONTEXT_HOOK = "construct_course_page_context"


def _construct_context(page: Page, request: Any, context: dict[str, Any]) -> dict[str, Any]:
    """Let the functions registered for ``PAGE_CONTEXT_HOOK`` add the page's own context."""
    constructors = hooks.get_hooks(PAGE_CONTEXT_HOOK)
    if not constructors:
        raise ImproperlyConfigured(f"Nothing is registered for the {PAGE_CONTEXT_HOOK} hook.")
    for construct in constructors:
        construct(page, request, context)
    return context


class DeliveryMode(models.TextChoices):
    E_LEARNING = "e_learning", _("E-learning")
    BLENDED = "blended", _("Blended")
    CLASSROOM = "klasikal", _("Classroom (klasikal)")


class CourseLevel(models.TextChoices):
    BASIC = "dasar", _("Basic")
    INTERMEDIATE = "menengah", _("Intermediate")
    ADVANCED = "lanjut", _("Advanced")


class LessonOrder(models.TextChoices):
    SEQUENTIAL = "sequential", _("In order")
    FREE = "free", _("In any order")


class CourseIndexPage(Page):
    """The catalogue: every open course, searchable and filterable."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        return _construct_context(self, request, context)


class CoursePage(Page):
    """A course: what it builds, how long it takes (JP), and how it is passed."""

    summary = models.CharField(_("summary"), max_length=300)
    description = RichTextField(_("description"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    jp_hours = models.PositiveSmallIntegerField(
        _("learning hours (JP)"),
        validators=[MinValueValidator(1)],
        help_text=_("1 JP = 45 minutes."),
    )
    delivery_mode = models.CharField(
        _("delivery mode"),
        max_length=12,
        choices=DeliveryMode.choices,
        default=DeliveryMode.E_LEARNING,
    )
    level = models.CharField(
        _("level"), max_length=10, choices=CourseLevel.choices, default=CourseLevel.BASIC
    )
    prerequisites = ParentalManyToManyField(
        "courses.CoursePage",
        blank=True,
        related_name="required_by",
        verbose_name=_("prerequisite courses"),
    )
    passing_score = models.PositiveSmallIntegerField(
        _("passing score (%)"),
        default=70,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Applies to the graded quizzes; their attempts, pool and time limit are set on "
            "each quiz."
        ),
    )
    certificate_validity_years = models.PositiveSmallIntegerField(
        _("certificate valid for (years)"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the certificate does not expire."),
    )
    is_open = models.BooleanField(_("open for enrollment"), default=True)
    lesson_order = models.CharField(
        _("lesson order"),
        max_length=12,
        choices=LessonOrder.choices,
        default=LessonOrder.SEQUENTIAL,
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("cover_image"),
        FieldRowPanel([FieldPanel("jp_hours"), FieldPanel("delivery_mode"), FieldPanel("level")]),
        InlinePanel("competencies", label=_("Competencies this course builds"), min_num=1),
        FieldPanel("prerequisites"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("passing_score"),
                        FieldPanel("lesson_order"),
                        FieldPanel("certificate_validity_years"),
                    ]
                ),
                FieldPanel("is_open"),
            ],
            heading=_("Taking the course"),
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("description"),
        index.FilterField("level"),
        index.FilterField("is_open"),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        return _construct_context(self, request, context)


class CourseCompetency(Orderable):
    """A competency a course builds, and the level a completion records as evidence."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="competencies")
    competency = models.ForeignKey(
        Competency,
        on_delete=models.PROTECT,
        related_name="course_links",
        verbose_name=_("competency"),
    )
    level = models.PositiveSmallIntegerField(_("level awarded"), validators=LEVEL_VALIDATORS)

    panels = [FieldPanel("competency"), FieldPanel("level")]

    def clean(self) -> None:
        """The evidence policy (``competencies.policy``): a course builds technical
        competencies only; managerial and socio-cultural levels come from assessment."""
        super().clean()
        competency = self.competency if self.competency_id else None
        if competency is not None and competency.kind != CompetencyKind.TECHNICAL:
            raise ValidationError(
                {
                    "competency": _(
                        "A course can build technical competencies only: managerial and "
                        "socio-cultural levels come from a competency assessment or a "
                        "supervisor's validation."
                    )
                }
            )

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["course", "competency"], name="course_competency_unique"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="course_competency_level_1_to_5"
            ),
        ]
        verbose_name = _("competency built")


class LessonPage(Page):
    """One lesson of a course: content blocks, possibly quizzes."""

    body = StreamField(LessonStreamBlock(), verbose_name=_("content"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=45)
    is_required = models.BooleanField(_("required for completion"), default=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("is_required")]),
        FieldPanel("body"),
    ]

    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def quizzes(self) -> dict[str, Any]:
        """The quiz blocks of this lesson by their stable block id."""
        return {block.id: block.value for block in self.body if block.block_type == "quiz"}

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        return _construct_context(self, request, context)


# --- Learners ---------------------------------------------------------------------------------


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    COMPLETED = "completed", _("Completed")


class Enrollment(models.Model):
    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="enrollments")
    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(
        max_length=10, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ACTIVE
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_lesson = models.ForeignKey(
        LessonPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "course"], name="enrollment_once_per_course"
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(completed_at__isnull=False),
                name="enrollment_completed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["updated_at", "id"], name="enrollment_updated")]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")

    def __str__(self) -> str:
        return f"{self.employee_id} → {self.course_id}"

    @property
    def is_completed(self) -> bool:
        return self.status == EnrollmentStatus.COMPLETED


class LessonProgress(models.Model):
    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="lessons_done"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "lesson"], name="lesson_done_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id}: {self.lesson_id}"


class AttemptStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    EXPIRED = "expired", _("Time ran out")


class QuizAttempt(models.Model):
    """One attempt at one quiz.

    ``draw`` is what the learner was asked, in the order shown: ``[{"question": id,
    "choices": [id, …]}, …]``; it is fixed when the attempt starts, so a reload shows the same
    questions and the attempt is scored against it. ``answers`` are choice ids per question id.
    A practice attempt is started and submitted at once; a graded one is started (``open``),
    then submitted, or ``expired`` when its time limit passed without a submission.
    """

    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attempts")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    quiz_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=8, choices=QuizKind.choices, default=QuizKind.PRACTICE)
    number = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=9, choices=AttemptStatus.choices, default=AttemptStatus.OPEN
    )
    draw = models.JSONField(default=list)
    started_at = models.DateTimeField()
    deadline_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(null=True, blank=True)
    correct = models.PositiveSmallIntegerField(null=True, blank=True)
    questions = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["enrollment", "quiz_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "quiz_id", "number"], name="quiz_attempt_number_unique"
            ),
            models.UniqueConstraint(
                fields=["enrollment", "quiz_id"],
                condition=Q(status="open"),
                name="quiz_attempt_one_open",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(score__isnull=False, questions__isnull=False),
                name="quiz_attempt_ended_has_score",
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted")
                | Q(submitted_at__isnull=False, answers__isnull=False),
                name="quiz_attempt_submitted_has_answers",
            ),
            models.CheckConstraint(
                condition=~Q(status="expired") | Q(deadline_at__isnull=False),
                name="quiz_attempt_expired_had_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id} #{self.number}: {self.get_status_display()}"

    @property
    def ended_at(self) -> dt.datetime | None:
        """When the attempt ended: its submission, or its deadline when the time ran out."""
        return self.submitted_at if self.status == AttemptStatus.SUBMITTED else self.deadline_at


class LearningSource(models.TextChoices):
    COURSE = "course_completion", _("Tangkas course")
    EXTERNAL = "external_training", _("External training")


class LearningRecord(models.Model):
    """One line of the learning-hours ledger: JP earned by a person in a calendar year."""

    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="learning_records"
    )
    year = models.PositiveSmallIntegerField()
    start_date = models.DateField(null=True, blank=True)
    completed_date = models.DateField()
    jp_hours = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))]
    )
    source = models.CharField(max_length=20, choices=LearningSource.choices)
    title = models.CharField(max_length=300)
    provider = models.CharField(max_length=200, blank=True)
    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.PROTECT, null=True, blank=True, related_name="learning_record"
    )
    reference = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-completed_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(jp_hours__gt=0), name="learning_record_positive_jp"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(start_date__lte=F("completed_date")),
                name="learning_record_starts_before_end",
            ),
            models.CheckConstraint(
                condition=Q(source="external_training") | Q(enrollment__isnull=False),
                name="learning_record_course_has_enrollment",
            ),
        ]
        indexes = [
            models.Index(fields=["employee", "year"], name="learning_record_person_year"),
            models.Index(fields=["updated_at", "id"], name="learning_record_updated"),
        ]
        verbose_name = _("learning record")
        verbose_name_plural = _("learning-hours ledger")

    def __str__(self) -> str:
        return f"{self.title} ({self.jp_hours} JP)"
