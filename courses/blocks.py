"""StreamField blocks of a lesson: text, headings, images, video, code, callouts, documents
and quizzes.

A quiz keeps its correct answers and explanations in the page's stored content; the lesson
template renders only prompts and choices (``QuizBlock`` values never reach the browser with
the answers in them), and scoring happens on the server. Questions and choices are list items
with stable ids, so a published edit of a lesson keeps learners' attempts meaningful.

A quiz is *practice* (feedback after every attempt, no limits) or *graded* (it decides
completion; its attempts, waiting time, question pool and time limit are set on the block).
The rules are in docs/ASSESSMENT.md and enforced in ``courses.services``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

CODE_LANGUAGES = [
    ("python", "Python"),
    ("javascript", "JavaScript"),
    ("json", "JSON"),
    ("bash", "Bash"),
    ("sql", "SQL"),
    ("http", "HTTP"),
    ("yaml", "YAML"),
    ("text", _("Plain text")),
]


class QuizKind(models.TextChoices):
    PRACTICE = "practice", _("Practice")
    GRADED = "graded", _("Graded")


class ScorePolicy(models.TextChoices):
    BEST = "best", _("Best attempt counts")
    LAST = "last", _("Last attempt counts")


#: Attempts a graded quiz allows unless its editor says otherwise.
DEFAULT_MAX_ATTEMPTS = 3


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        form_classname = "title"
        template = "courses/blocks/heading_block.html"


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(choices=CODE_LANGUAGES, default="python", label=_("Language"))
    code = blocks.TextBlock(label=_("Code"))

    class Meta:
        icon = "code"
        template = "courses/blocks/code_block.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("note", _("Note")), ("warning", _("Warning"))], default="note", label=_("Kind")
    )
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"], label=_("Text"))

    class Meta:
        icon = "warning"
        template = "courses/blocks/callout_block.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(required=False, label=_("Link text"))

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/document_block.html"


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"))
    correct = blocks.BooleanBlock(required=False, label=_("Correct"))

    class Meta:
        icon = "tick"


class QuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("Question"))
    kind = blocks.ChoiceBlock(
        choices=[("single", _("Single choice")), ("multiple", _("Multiple choice"))],
        default="single",
        label=_("Kind"),
    )
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2, label=_("Answers"))
    explanation = blocks.TextBlock(label=_("Explanation shown after answering"))

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["correct"])
        if value["kind"] == "single" and correct != 1:
            raise StructBlockValidationError(
                block_errors={
                    "choices": ValidationError(
                        _("A single-choice question has exactly one correct answer.")
                    )
                }
            )
        if value["kind"] == "multiple" and correct < 1:
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Mark at least one correct answer."))}
            )
        return value

    class Meta:
        icon = "help"


class QuizBlock(blocks.StructBlock):
    title = blocks.CharBlock(default=_("Check your understanding"), label=_("Title"))
    kind = blocks.ChoiceBlock(
        choices=QuizKind.choices,
        default=QuizKind.PRACTICE,
        label=_("Kind"),
        help_text=_(
            "Practice: the right answers after every attempt, no limits. Graded: counts toward "
            "completion (the course's passing score applies); the answers are shown only after "
            "a pass or the last attempt."
        ),
    )
    max_attempts = blocks.IntegerBlock(
        default=DEFAULT_MAX_ATTEMPTS,
        min_value=1,
        max_value=20,
        label=_("Attempts allowed"),
        help_text=_("Graded quizzes only."),
    )
    score_policy = blocks.ChoiceBlock(
        choices=ScorePolicy.choices,
        default=ScorePolicy.BEST,
        label=_("Which attempt counts"),
        help_text=_("Graded quizzes only."),
    )
    questions_per_attempt = blocks.IntegerBlock(
        required=False,
        min_value=1,
        label=_("Questions per attempt"),
        help_text=_(
            "Graded quizzes only: draw this many of the questions at random for each attempt. "
            "Leave empty to ask all of them."
        ),
    )
    time_limit_minutes = blocks.IntegerBlock(
        required=False,
        min_value=1,
        max_value=600,
        label=_("Time limit (minutes)"),
        help_text=_("Graded quizzes only. Leave empty for no time limit."),
    )
    questions = blocks.ListBlock(QuestionBlock(), min_num=1, label=_("Questions"))

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        drawn = value["questions_per_attempt"]
        if drawn is not None and drawn > len(value["questions"]):
            raise StructBlockValidationError(
                block_errors={
                    "questions_per_attempt": ValidationError(
                        _("The quiz has only %(count)s questions.")
                        % {"count": len(value["questions"])}
                    )
                }
            )
        return value

    class Meta:
        icon = "form"
        template = "courses/blocks/quiz_block.html"


class LessonStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock(label=_("Heading"))
    paragraph = blocks.RichTextBlock(label=_("Rich text"))
    image = ImageBlock(label=_("Image"))
    video = EmbedBlock(label=_("Video embed"), help_text=_("A link to a video, e.g. on YouTube."))
    code = CodeBlock(label=_("Code sample"))
    callout = CalloutBlock(label=_("Callout"))
    document = DocumentBlock(label=_("Downloadable document"))
    quiz = QuizBlock(label=_("Quiz"))
