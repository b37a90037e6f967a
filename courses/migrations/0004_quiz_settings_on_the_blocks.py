"""Graded quizzes, step 3 of 3: the quiz settings live on the quiz blocks only (the course
keeps its passing score), and the database holds the attempts' rules: at most one attempt in
progress per learner and quiz, a score on every ended attempt, answers on every submitted
one, and a deadline on every attempt that ran out of time."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_graded_quizzes"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="coursepage",
            name="max_attempts",
        ),
        migrations.RemoveField(
            model_name="coursepage",
            name="score_policy",
        ),
        migrations.RemoveField(
            model_name="quizattempt",
            name="is_assessment",
        ),
        migrations.AlterField(
            model_name="coursepage",
            name="passing_score",
            field=models.PositiveSmallIntegerField(
                default=70,
                help_text=(
                    "Applies to the graded quizzes; their attempts, pool and time limit are set "
                    "on each quiz."
                ),
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="passing score (%)",
            ),
        ),
        migrations.AlterField(
            model_name="quizattempt",
            name="started_at",
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name="quizattempt",
            name="status",
            field=models.CharField(
                choices=[
                    ("open", "In progress"),
                    ("submitted", "Submitted"),
                    ("expired", "Time ran out"),
                ],
                default="open",
                max_length=9,
            ),
        ),
        migrations.AddConstraint(
            model_name="quizattempt",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "open")),
                fields=("enrollment", "quiz_id"),
                name="quiz_attempt_one_open",
            ),
        ),
        migrations.AddConstraint(
            model_name="quizattempt",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "open"),
                    models.Q(("questions__isnull", False), ("score__isnull", False)),
                    _connector="OR",
                ),
                name="quiz_attempt_ended_has_score",
            ),
        ),
        migrations.AddConstraint(
            model_name="quizattempt",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "submitted"), _negated=True),
                    models.Q(("answers__isnull", False), ("submitted_at__isnull", False)),
                    _connector="OR",
                ),
                name="quiz_attempt_submitted_has_answers",
            ),
        ),
        migrations.AddConstraint(
            model_name="quizattempt",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "expired"), _negated=True),
                    ("deadline_at__isnull", False),
                    _connector="OR",
                ),
                name="quiz_attempt_expired_had_deadline",
            ),
        ),
    ]
