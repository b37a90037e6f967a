"""StreamField blocks of a lesson: text, headings, images, video, code, callouts, documents
and quizzes.

A quiz keeps its correct answers and explanations in the page's stored content; the lesson
template renders only prompts and choices (``QuizBlock`` values never reach the browser with
the answers in them), and scoring happens on the server. Questions and choices are list items
with stable ids, so a published edit of a lesson keeps learners' attempts meaningful.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
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
    is_assessment = blocks.BooleanBlock(
        required=False,
        label=_("Course assessment"),
        help_text=_("The course's passing score applies to the assessment quizzes."),
    )
    questions = blocks.ListBlock(QuestionBlock(), min_num=1, label=_("Questions"))

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
