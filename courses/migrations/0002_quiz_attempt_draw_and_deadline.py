"""Graded quizzes, step 1 of 3: quiz attempts that are started (with their draw and deadline)
before they are submitted, and the quiz block's new settings. Existing attempts were all
submitted, so they are added as such; the next migration fills in what they lack."""

import wagtail.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="quizattempt",
            name="kind",
            field=models.CharField(
                choices=[("practice", "Practice"), ("graded", "Graded")],
                default="practice",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="quizattempt",
            name="status",
            field=models.CharField(
                choices=[
                    ("open", "In progress"),
                    ("submitted", "Submitted"),
                    ("expired", "Time ran out"),
                ],
                default="submitted",
                max_length=9,
            ),
        ),
        migrations.AddField(
            model_name="quizattempt",
            name="draw",
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name="quizattempt",
            name="started_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="quizattempt",
            name="deadline_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="quizattempt",
            name="submitted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="quizattempt",
            name="answers",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="quizattempt",
            name="correct",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="quizattempt",
            name="questions",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="quizattempt",
            name="score",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True),
        ),
        migrations.AlterField(
            model_name="lessonpage",
            name="body",
            field=wagtail.fields.StreamField([('heading', 0), ('paragraph', 1), ('image', 2), ('video', 3), ('code', 6), ('callout', 9), ('document', 12), ('quiz', 28)], block_lookup={0: ('courses.blocks.HeadingBlock', (), {'label': 'Heading'}), 1: ('wagtail.blocks.RichTextBlock', (), {'label': 'Rich text'}), 2: ('wagtail.images.blocks.ImageBlock', [], {'label': 'Image'}), 3: ('wagtail.embeds.blocks.EmbedBlock', (), {'help_text': 'A link to a video, e.g. on YouTube.', 'label': 'Video embed'}), 4: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('python', 'Python'), ('javascript', 'JavaScript'), ('json', 'JSON'), ('bash', 'Bash'), ('sql', 'SQL'), ('http', 'HTTP'), ('yaml', 'YAML'), ('text', 'Plain text')], 'label': 'Language'}), 5: ('wagtail.blocks.TextBlock', (), {'label': 'Code'}), 6: ('wagtail.blocks.StructBlock', [[('language', 4), ('code', 5)]], {'label': 'Code sample'}), 7: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('note', 'Note'), ('warning', 'Warning')], 'label': 'Kind'}), 8: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ul', 'ol'], 'label': 'Text'}), 9: ('wagtail.blocks.StructBlock', [[('kind', 7), ('text', 8)]], {'label': 'Callout'}), 10: ('wagtail.documents.blocks.DocumentChooserBlock', (), {'label': 'Document'}), 11: ('wagtail.blocks.CharBlock', (), {'label': 'Link text', 'required': False}), 12: ('wagtail.blocks.StructBlock', [[('document', 10), ('title', 11)]], {'label': 'Downloadable document'}), 13: ('wagtail.blocks.CharBlock', (), {'default': 'Check your understanding', 'label': 'Title'}), 14: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('practice', 'Practice'), ('graded', 'Graded')], 'help_text': "Practice: the right answers after every attempt, no limits. Graded: counts toward completion (the course's passing score applies); the answers are shown only after a pass or the last attempt.", 'label': 'Kind'}), 15: ('wagtail.blocks.IntegerBlock', (), {'default': 3, 'help_text': 'Graded quizzes only.', 'label': 'Attempts allowed', 'max_value': 20, 'min_value': 1}), 16: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('best', 'Best attempt counts'), ('last', 'Last attempt counts')], 'help_text': 'Graded quizzes only.', 'label': 'Which attempt counts'}), 17: ('wagtail.blocks.IntegerBlock', (), {'help_text': 'Graded quizzes only: draw this many of the questions at random for each attempt. Leave empty to ask all of them.', 'label': 'Questions per attempt', 'min_value': 1, 'required': False}), 18: ('wagtail.blocks.IntegerBlock', (), {'help_text': 'Graded quizzes only. Leave empty for no time limit.', 'label': 'Time limit (minutes)', 'max_value': 600, 'min_value': 1, 'required': False}), 19: ('wagtail.blocks.TextBlock', (), {'label': 'Question'}), 20: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('single', 'Single choice'), ('multiple', 'Multiple choice')], 'label': 'Kind'}), 21: ('wagtail.blocks.CharBlock', (), {'label': 'Answer'}), 22: ('wagtail.blocks.BooleanBlock', (), {'label': 'Correct', 'required': False}), 23: ('wagtail.blocks.StructBlock', [[('text', 21), ('correct', 22)]], {}), 24: ('wagtail.blocks.ListBlock', (23,), {'label': 'Answers', 'min_num': 2}), 25: ('wagtail.blocks.TextBlock', (), {'label': 'Explanation shown after answering'}), 26: ('wagtail.blocks.StructBlock', [[('prompt', 19), ('kind', 20), ('choices', 24), ('explanation', 25)]], {}), 27: ('wagtail.blocks.ListBlock', (26,), {'label': 'Questions', 'min_num': 1}), 28: ('wagtail.blocks.StructBlock', [[('title', 13), ('kind', 14), ('max_attempts', 15), ('score_policy', 16), ('questions_per_attempt', 17), ('time_limit_minutes', 18), ('questions', 27)]], {'label': 'Quiz'})}, verbose_name='content'),
        ),
    ]
