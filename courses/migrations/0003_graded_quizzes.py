"""Graded quizzes, step 2 of 3: move the course-level quiz settings into the quiz blocks.

Before, a quiz block had ``is_assessment``; the assessment quizzes (or, when a course marked
none, every quiz of the course) decided the pass, and the course set ``max_attempts`` (empty:
unlimited) and ``score_policy``. Now each quiz block has a ``kind``:

- a quiz marked ``is_assessment``, and every quiz of a course that marked none, becomes
  *graded*, with the course's ``max_attempts`` (3, the new default, where it was unlimited)
  and ``score_policy``;
- every other quiz becomes *practice*.

The live content and every revision of each lesson are rewritten (so that an editor who
reverts to an old revision keeps the meaning). Existing attempts take the kind of their quiz,
start when they were submitted, and get a draw: the questions they answered, with the
choices in the order the lesson has them today.
"""

import json

from django.db import migrations
from django.db.models import F, JSONField
from django.db.models.functions import Cast
from wagtail.blocks import StreamValue

STEPLEN = 4  # Wagtail's treebeard path step: a lesson's course is its path minus one step
DEFAULT_MAX_ATTEMPTS = 3


def _quizzes(raw):
    return [block for block in raw or [] if block.get("type") == "quiz"]


def _graded_setting(value, graded, course):
    value.pop("is_assessment", None)
    value["kind"] = "graded" if graded else "practice"
    value.setdefault("max_attempts", course["max_attempts"] or DEFAULT_MAX_ATTEMPTS)
    value.setdefault("score_policy", course["score_policy"] or "best")
    value.setdefault("questions_per_attempt", None)
    value.setdefault("time_limit_minutes", None)


def _convert(raw, course, marked):
    for block in _quizzes(raw):
        value = block["value"]
        _graded_setting(value, bool(value.get("is_assessment")) or not marked, course)
    return raw


def _rewrite_revisions(apps, convert):
    """Rewrite the body of every saved revision of a lesson with ``convert(revision, raw)``."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    lesson_type = ContentType.objects.filter(app_label="courses", model="lessonpage").first()
    if lesson_type is None:  # a new database: no lesson was ever saved
        return
    revisions = []
    for revision in Revision.objects.filter(content_type=lesson_type).iterator():
        body = revision.content.get("body")
        raw = json.loads(body) if isinstance(body, str) else body
        if raw is None:
            continue
        raw = convert(revision, raw)
        if raw is None:
            continue
        revision.content["body"] = json.dumps(raw) if isinstance(body, str) else raw
        revisions.append(revision)
    Revision.objects.bulk_update(revisions, ["content"], batch_size=500)


def forwards(apps, schema_editor):
    CoursePage = apps.get_model("courses", "CoursePage")
    LessonPage = apps.get_model("courses", "LessonPage")
    QuizAttempt = apps.get_model("courses", "QuizAttempt")

    courses = {
        course["path"]: course
        for course in CoursePage.objects.values("path", "max_attempts", "score_policy")
    }
    lessons = list(LessonPage.objects.annotate(raw=Cast(F("body"), JSONField())).order_by("path"))
    course_of = {lesson.pk: lesson.path[:-STEPLEN] for lesson in lessons}
    marked = {path: False for path in courses}
    for lesson in lessons:
        if any(quiz["value"].get("is_assessment") for quiz in _quizzes(lesson.raw)):
            marked[course_of[lesson.pk]] = True

    quiz_kind, choice_order = {}, {}
    fallback = {"max_attempts": None, "score_policy": "best"}
    for lesson in lessons:
        path = course_of[lesson.pk]
        raw = _convert(lesson.raw, courses.get(path, fallback), marked.get(path, False))
        for quiz in _quizzes(raw):
            quiz_kind[quiz.get("id")] = quiz["value"]["kind"]
            for question in quiz["value"].get("questions", []):
                choice_order[question.get("id")] = [
                    choice.get("id") for choice in question.get("value", {}).get("choices", [])
                ]
        lesson.body = StreamValue(lesson.body.stream_block, raw, is_lazy=True)
    LessonPage.objects.bulk_update(lessons, ["body"], batch_size=500)

    def convert_revision(revision, raw):
        path = course_of.get(int(revision.object_id))
        if path is None:  # a revision of a lesson since deleted
            return None
        return _convert(raw, courses.get(path, fallback), marked.get(path, False))

    _rewrite_revisions(apps, convert_revision)

    attempts = list(QuizAttempt.objects.all())
    for attempt in attempts:
        graded = quiz_kind.get(attempt.quiz_id) == "graded"
        attempt.kind = "graded" if graded or attempt.is_assessment else "practice"
        attempt.started_at = attempt.submitted_at
        attempt.draw = [
            {"question": question_id, "choices": choice_order.get(question_id, [])}
            for question_id in attempt.answers or {}
        ]
    QuizAttempt.objects.bulk_update(
        attempts, ["kind", "started_at", "draw"], batch_size=1000
    )


def _back(raw):
    for block in _quizzes(raw):
        value = block["value"]
        value["is_assessment"] = value.pop("kind", "practice") == "graded"
        for name in ("max_attempts", "score_policy", "questions_per_attempt", "time_limit_minutes"):
            value.pop(name, None)
    return raw


def backwards(apps, schema_editor):
    LessonPage = apps.get_model("courses", "LessonPage")
    QuizAttempt = apps.get_model("courses", "QuizAttempt")
    lessons = list(LessonPage.objects.annotate(raw=Cast(F("body"), JSONField())))
    for lesson in lessons:
        lesson.body = StreamValue(lesson.body.stream_block, _back(lesson.raw), is_lazy=True)
    LessonPage.objects.bulk_update(lessons, ["body"], batch_size=500)
    _rewrite_revisions(apps, lambda revision, raw: _back(raw))
    QuizAttempt.objects.filter(kind="graded").update(is_assessment=True)
    # Attempts that were never submitted have nothing to go back to.
    QuizAttempt.objects.exclude(status="submitted").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_quiz_attempt_draw_and_deadline"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
