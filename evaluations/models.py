"""Training evaluation after a completion (every completion is a ``courses.LearningRecord``).

- ``ReactionSurvey`` (Kirkpatrick level 1): the participant's own answer, once per record:
  relevance, quality and applicability from 1 to 5, and a comment.
- ``BehaviourEvaluation`` (Kirkpatrick level 3): created ``EVALUATION_LEVEL3_MONTHS`` after the
  completion for the person's supervisor on that day, who answers whether the person applies
  what was learned. Who may answer follows the post on the day it is answered
  (``competencies.access.evidence_reviewees``), so it moves with the post when heads rotate.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.models import LearningRecord

SCORE_FIELDS = ("relevance", "quality", "applicability")


class ReactionSurvey(models.Model):
    learning_record = models.OneToOneField(
        LearningRecord,
        on_delete=models.CASCADE,
        related_name="reaction_survey",
        verbose_name=_("learning record"),
    )
    relevance = models.PositiveSmallIntegerField(_("relevance to my work"))
    quality = models.PositiveSmallIntegerField(_("quality of the training"))
    applicability = models.PositiveSmallIntegerField(_("what I can apply"))
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                name=f"reaction_{name}_1_to_5",
            )
            for name in SCORE_FIELDS
        ]
        verbose_name = _("reaction survey")
        verbose_name_plural = _("reaction surveys")

    def __str__(self) -> str:
        return f"{self.learning_record_id}: {self.relevance}/{self.quality}/{self.applicability}"


class Application(models.TextChoices):
    """Whether the person applies what was learned, in the supervisor's judgement."""

    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class BehaviourEvaluation(models.Model):
    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    learning_record = models.OneToOneField(
        LearningRecord,
        on_delete=models.CASCADE,
        related_name="behaviour_evaluation",
        verbose_name=_("learning record"),
    )
    due_date = models.DateField(_("due on"))
    #: The head of the person's unit on the due day, who was asked first (kept for the record;
    #: who may answer is decided on the day of the answer).
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supervisor asked"),
    )
    answer = models.CharField(
        _("applies it"), max_length=8, choices=Application.choices, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    evidence_validated = models.PositiveSmallIntegerField(
        _("evidence validated by the answer"), default=0
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(answer="") & Q(answered_at__isnull=True))
                | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="behaviour_answer_with_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_date"], name="behaviour_pending", condition=Q(answered_at__isnull=True)
            ),
        ]
        verbose_name = _("behaviour evaluation")
        verbose_name_plural = _("behaviour evaluations")

    def __str__(self) -> str:
        return f"{self.learning_record_id} due {self.due_date}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
