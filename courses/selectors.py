"""Reads for courses: the catalogue and its search, a learner's progress and resume point,
the learning-hours ledger against the yearly target, and course recommendations for gaps."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Max, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from wagtail.models import Page

from competencies import selectors as competency_selectors
from competencies.access import employee_for_user
from competencies.models import (
    Competency,
    CompetencyKind,
    Employee,
    EmploymentType,
    Evidence,
    EvidenceStatus,
    Position,
)
from courses import quizzes
from courses.blocks import QuizKind
from courses.models import (
    CourseCompetency,
    CourseIndexPage,
    CourseLevel,
    CoursePage,
    Enrollment,
    EnrollmentStatus,
    LearningRecord,
    LearningSource,
    LessonPage,
    LessonProgress,
    QuizAttempt,
)

# --- Catalogue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueFilters:
    query: str = ""
    competency: str = ""
    kind: str = ""
    level: str = ""

    @classmethod
    def from_query(cls, params: QueryDict | dict[str, str]) -> CatalogueFilters:
        def get(name: str, allowed: set[str] | None = None) -> str:
            value = (params.get(name) or "").strip()[:100]
            return value if allowed is None or value in allowed else ""

        return cls(
            query=get("q"),
            competency=get("competency").upper(),
            kind=get("kind", set(CompetencyKind.values)),
            level=get("level", set(CourseLevel.values)),
        )

    @property
    def active(self) -> bool:
        return any((self.query, self.competency, self.kind, self.level))


def _with_competencies(queryset: QuerySet[CoursePage]) -> QuerySet[CoursePage]:
    return queryset.select_related("cover_image").prefetch_related(
        Prefetch(
            "competencies",
            queryset=CourseCompetency.objects.select_related("competency").order_by("sort_order"),
        )
    )


def search_course_ids(*, query: str, within: Page | None = None) -> list[int]:
    """Ids of live courses matching ``query`` in their title, summary, description or any of
    their lessons' text, best match first (Wagtail search on PostgreSQL full text)."""
    pages = Page.objects.live().type(CoursePage, LessonPage)
    if within is not None:
        pages = pages.descendant_of(within)
    results = pages.search(query, operator="and")
    course_paths: list[str] = []
    for page in results:
        path = page.path if page.specific_class is CoursePage else page.path[: -Page.steplen]
        if path not in course_paths:
            course_paths.append(path)
    order = {path: rank for rank, path in enumerate(course_paths)}
    found = CoursePage.objects.live().filter(path__in=course_paths).values_list("pk", "path")
    return [pk for pk, path in sorted(found, key=lambda item: order[item[1]])]


def catalogue(
    *, index_page: CourseIndexPage | None = None, filters: CatalogueFilters
) -> list[CoursePage]:
    """Live courses for the catalogue, filtered and searched. A fixed number of queries."""
    courses = CoursePage.objects.live()
    if index_page is not None:
        courses = courses.child_of(index_page)
    if filters.competency:
        courses = courses.filter(competencies__competency__code=filters.competency)
    if filters.kind:
        courses = courses.filter(competencies__competency__kind=filters.kind)
    if filters.level:
        courses = courses.filter(level=filters.level)
    courses = _with_competencies(courses.distinct())
    if filters.query:
        ranked = search_course_ids(query=filters.query, within=index_page)
        rank = {pk: position for position, pk in enumerate(ranked)}
        return sorted(courses.filter(pk__in=ranked), key=lambda course: rank[course.pk])
    return list(courses.order_by("path"))


def catalogue_filter_options() -> dict[str, Any]:
    used = Competency.objects.filter(course_links__course__live=True).distinct().order_by("code")
    return {
        "competencies": list(used.values_list("code", "name_id")),
        "kinds": CompetencyKind.choices,
        "levels": CourseLevel.choices,
    }


def course_list() -> QuerySet[CoursePage]:
    """Live courses with what they build, for lists and the API."""
    return _with_competencies(CoursePage.objects.live().order_by("path"))


# --- Progress -------------------------------------------------------------------------------


@dataclass
class LessonState:
    lesson: LessonPage
    done: bool
    locked: bool


@dataclass
class Progress:
    enrollment: Enrollment | None
    lessons: list[LessonState]
    done: int
    total: int
    resume: LessonPage | None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress(
    *, course: CoursePage, enrollment: Enrollment | None, lessons: list[LessonPage] | None = None
) -> Progress:
    """Lessons done out of the required ones, each lesson's state, and where to resume."""
    if lessons is None:
        lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    done = set(enrollment.lessons_done.values_list("lesson_id", flat=True)) if enrollment else set()
    sequential = course.lesson_order == "sequential" and not (
        enrollment and enrollment.is_completed
    )
    states, blocked = [], False
    for lesson in lessons:
        states.append(
            LessonState(lesson=lesson, done=lesson.pk in done, locked=bool(sequential and blocked))
        )
        if lesson.is_required and lesson.pk not in done:
            blocked = True
    required = [s for s in states if s.lesson.is_required]
    resume = None
    if enrollment is not None:
        resume = next((s.lesson for s in states if not s.done and not s.locked), None)
        if resume is None and enrollment.last_lesson_id:
            resume = next(
                (s.lesson for s in states if s.lesson.pk == enrollment.last_lesson_id), None
            )
        resume = resume or (states[0].lesson if states else None)
    return Progress(
        enrollment=enrollment,
        lessons=states,
        done=sum(1 for s in required if s.done),
        total=len(required),
        resume=resume,
    )


def enrollments_for(*, employee: Employee, status: str | None = None) -> QuerySet[Enrollment]:
    queryset = Enrollment.objects.filter(employee=employee).select_related("course", "last_lesson")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-updated_at")


@dataclass(frozen=True)
class EnrollmentProgress:
    enrollment: Enrollment
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def in_progress(*, employee: Employee) -> list[EnrollmentProgress]:
    """Active enrollments with lessons done / total: three queries for any number."""
    enrollments = list(enrollments_for(employee=employee, status=EnrollmentStatus.ACTIVE))
    if not enrollments:
        return []
    courses = {e.course_id: e.course for e in enrollments}
    totals: dict[int, int] = defaultdict(int)
    lesson_course: dict[int, int] = {}
    for lesson in LessonPage.objects.live().filter(is_required=True).only("id", "path", "depth"):
        for course_id, course in courses.items():
            if lesson.depth == course.depth + 1 and lesson.path.startswith(course.path):
                totals[course_id] += 1
                lesson_course[lesson.pk] = course_id
    done: dict[int, int] = defaultdict(int)
    for enrollment_id, lesson_id in LessonProgress.objects.filter(
        enrollment__in=enrollments
    ).values_list("enrollment_id", "lesson_id"):
        if lesson_id in lesson_course:
            done[enrollment_id] += 1
    return [EnrollmentProgress(e, done[e.pk], totals[e.course_id]) for e in enrollments]


# --- Pages ----------------------------------------------------------------------------------


def _employee(user: Any) -> Employee | None:
    return employee_for_user(user=user)


def course_page_context(*, course: CoursePage, user: Any) -> dict[str, Any]:
    employee = _employee(user)
    enrollment = (
        Enrollment.objects.filter(employee=employee, course=course).first() if employee else None
    )
    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    completed_prerequisites: set[int] = set()
    # In Python, not SQL: in an admin preview the prerequisites are an in-memory FakeQuerySet.
    prerequisites = sorted((p for p in course.prerequisites.all() if p.live), key=lambda p: p.title)
    if employee and prerequisites:
        completed_prerequisites = set(
            Enrollment.objects.filter(
                employee=employee, course__in=prerequisites, status=EnrollmentStatus.COMPLETED
            ).values_list("course_id", flat=True)
        )
    return {
        "employee": employee,
        "enrollment": enrollment,
        "progress": progress(course=course, enrollment=enrollment, lessons=lessons),
        "builds": list(course.competencies.select_related("competency").order_by("sort_order")),
        "prerequisites": [(p, p.pk in completed_prerequisites) for p in prerequisites],
        "prerequisites_met": all(p.pk in completed_prerequisites for p in prerequisites),
        "total_minutes": sum(lesson.duration_minutes for lesson in lessons),
    }


@dataclass(frozen=True)
class QuizView:
    """What the lesson page may show of a quiz.

    ``questions`` are what to draw: every question of a practice quiz; for a graded quiz the
    questions of the attempt in progress, or — once the quiz is finished — of its final
    attempt, and nothing otherwise. Choices are ``(key, text)`` with the key the choice's place
    in the order shown (``courses.quizzes``). An entry carries ``correct``, ``is_correct`` and
    ``explanation`` only when ``reveal`` is true: after any practice attempt, and after a graded
    quiz is passed or its last attempt used; before that they are not in the context at all.
    """

    quiz_id: str
    title: str
    is_graded: bool
    questions: list[dict[str, Any]]
    reveal: bool
    last_attempt: QuizAttempt | None
    last_attempt_number: int
    attempts: int
    questions_asked: int
    max_attempts: int | None = None
    attempts_left: int | None = None
    time_limit_minutes: int | None = None
    retry_wait_minutes: int | None = None
    open_attempt: QuizAttempt | None = None
    passed: bool | None = None
    finished: bool = False
    next_start_at: dt.datetime | None = None
    can_start: bool = False


def _question_entries(
    quiz: Any, drawn: list[dict[str, Any]], attempt: QuizAttempt | None, *, reveal: bool
) -> list[dict[str, Any]]:
    questions = dict(quizzes.questions_of(quiz))
    answers = (attempt.answers or {}) if attempt is not None else {}
    entries = []
    for item in drawn:
        question = questions.get(item["question"])
        if question is None:  # deleted by an editor after the draw
            continue
        texts = {choice_id: choice["text"] for choice_id, choice in quizzes.choices_of(question)}
        shown = [choice_id for choice_id in item["choices"] if choice_id in texts]
        key = {choice_id: str(place) for place, choice_id in enumerate(shown)}
        chosen = answers.get(item["question"], [])
        entry: dict[str, Any] = {
            "id": item["question"],
            "prompt": question["prompt"],
            "kind": question["kind"],
            "choices": [(key[choice_id], texts[choice_id]) for choice_id in shown],
            "chosen": [key[c] for c in chosen if c in key],
            "answered": False,
        }
        if reveal:
            correct = quizzes.correct_choices(question)
            entry.update(
                answered=attempt is not None,
                correct=[key[c] for c in correct if c in key],
                is_correct=sorted(chosen) == correct,
                explanation=question["explanation"],
            )
        entries.append(entry)
    return entries


def _practice_view(quiz_id: str, quiz: Any, attempts: list[QuizAttempt]) -> QuizView:
    last = attempts[-1] if attempts else None
    every = [
        {"question": question_id, "choices": [c for c, _ in quizzes.choices_of(question)]}
        for question_id, question in quizzes.questions_of(quiz)
    ]
    return QuizView(
        quiz_id=quiz_id,
        title=quiz["title"],
        is_graded=False,
        questions=_question_entries(quiz, every, last, reveal=last is not None),
        reveal=last is not None,
        last_attempt=last,
        last_attempt_number=len(attempts),
        attempts=len(attempts),
        questions_asked=quizzes.questions_asked(quiz),
    )


def _graded_view(
    quiz_id: str,
    quiz: Any,
    attempts: list[QuizAttempt],
    *,
    enrolled: bool,
    passing_score: int,
    now: dt.datetime,
) -> QuizView:
    state = quizzes.graded_state(quiz=quiz, attempts=attempts, passing_score=passing_score, now=now)
    if state.finished and state.last_ended is not None:
        shown, drawn, reveal = state.last_ended, state.last_ended.draw, True
    elif state.open_attempt is not None:
        shown, drawn, reveal = state.open_attempt, state.open_attempt.draw, False
    else:
        shown, drawn, reveal = None, [], False
    return QuizView(
        quiz_id=quiz_id,
        title=quiz["title"],
        is_graded=True,
        questions=_question_entries(quiz, drawn, shown, reveal=reveal),
        reveal=reveal,
        last_attempt=state.last_ended,
        last_attempt_number=attempts.index(state.last_ended) + 1 if state.last_ended else 0,
        attempts=state.used,
        questions_asked=quizzes.questions_asked(quiz),
        max_attempts=state.allowed,
        attempts_left=state.attempts_left,
        time_limit_minutes=quiz["time_limit_minutes"],
        retry_wait_minutes=settings.QUIZ_RETRY_WAIT_MINUTES,
        open_attempt=state.open_attempt,
        passed=state.passed if state.last_ended is not None else None,
        finished=state.finished,
        next_start_at=state.next_start_at,
        can_start=enrolled
        and not state.finished
        and state.open_attempt is None
        and (state.next_start_at is None or now >= state.next_start_at),
    )


def quiz_views(
    *, lesson: LessonPage, enrollment: Enrollment | None, passing_score: int
) -> dict[str, QuizView]:
    """Each quiz of ``lesson`` as its learner may see it now (one query for the attempts)."""
    attempts: dict[str, list[QuizAttempt]] = defaultdict(list)
    if enrollment is not None:
        for attempt in QuizAttempt.objects.filter(enrollment=enrollment, lesson=lesson).order_by(
            "number"
        ):
            attempts[attempt.quiz_id].append(attempt)
    now = timezone.now()
    views = {}
    for quiz_id, quiz in lesson.quizzes().items():
        if quizzes.is_graded(quiz):
            views[quiz_id] = _graded_view(
                quiz_id,
                quiz,
                [a for a in attempts[quiz_id] if a.kind == QuizKind.GRADED],
                enrolled=enrollment is not None,
                passing_score=passing_score,
                now=now,
            )
        else:
            views[quiz_id] = _practice_view(quiz_id, quiz, attempts[quiz_id])
    return views


def lesson_page_context(*, lesson: LessonPage, user: Any) -> dict[str, Any]:
    course = lesson.get_parent().specific
    employee = _employee(user)
    enrollment = (
        Enrollment.objects.filter(employee=employee, course=course).first() if employee else None
    )
    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    state = progress(course=course, enrollment=enrollment, lessons=lessons)
    index = next((i for i, s in enumerate(state.lessons) if s.lesson.pk == lesson.pk), 0)
    current = state.lessons[index] if state.lessons else None
    return {
        "course": course,
        "employee": employee,
        "enrollment": enrollment,
        "progress": state,
        "lesson_state": current,
        "previous_lesson": state.lessons[index - 1].lesson if index > 0 else None,
        "next_lesson": state.lessons[index + 1].lesson if index + 1 < len(state.lessons) else None,
        "quizzes": quiz_views(
            lesson=lesson, enrollment=enrollment, passing_score=course.passing_score
        ),
    }


# --- Learning hours -------------------------------------------------------------------------


@dataclass
class LearningHours:
    employee: Employee
    year: int
    total: Decimal
    target: int
    by_source: dict[str, Decimal] = field(default_factory=dict)
    records: list[LearningRecord] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.total / self.target)) if self.target else 100

    @property
    def remaining(self) -> Decimal:
        return max(Decimal(0), Decimal(self.target) - self.total)

    @property
    def met(self) -> bool:
        return self.total >= self.target


def jp_annual_target(*, employment_type: str) -> int:
    """The JP a person of this employment type should reach in a year: ``JP_ANNUAL_TARGET_PNS``
    (PP 11/2017: at least 20) or ``JP_ANNUAL_TARGET_PPPK``."""
    if employment_type == EmploymentType.PPPK:
        return settings.JP_ANNUAL_TARGET_PPPK
    return settings.JP_ANNUAL_TARGET_PNS


def learning_hours(*, employee: Employee, year: int) -> LearningHours:
    """JP in the ledger for one person and year, against their own yearly target."""
    records = list(
        LearningRecord.objects.filter(employee=employee, year=year).order_by(
            "-completed_date", "-id"
        )
    )
    by_source: dict[str, Decimal] = {source: Decimal(0) for source in LearningSource.values}
    for record in records:
        by_source[record.source] += record.jp_hours
    return LearningHours(
        employee=employee,
        year=year,
        total=sum(by_source.values(), Decimal(0)),
        target=jp_annual_target(employment_type=employee.employment_type),
        by_source=by_source,
        records=records,
    )


def learning_hours_list(
    *, year: int, employees: QuerySet[Employee] | None = None
) -> QuerySet[Employee]:
    """Employees annotated with their JP for ``year`` in total and by source (one query)."""
    queryset = employees if employees is not None else Employee.objects.all()
    zero = Decimal(0)
    return queryset.annotate(
        jp_total=Coalesce(
            Sum("learning_records__jp_hours", filter=Q(learning_records__year=year)), zero
        ),
        jp_courses=Coalesce(
            Sum(
                "learning_records__jp_hours",
                filter=Q(
                    learning_records__year=year, learning_records__source=LearningSource.COURSE
                ),
            ),
            zero,
        ),
        jp_external=Coalesce(
            Sum(
                "learning_records__jp_hours",
                filter=Q(
                    learning_records__year=year, learning_records__source=LearningSource.EXTERNAL
                ),
            ),
            zero,
        ),
    )


# --- Recommendations ------------------------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    """The shortest way (fewest JP) to close one gap: prerequisites first, then the course."""

    gap: competency_selectors.GapRow
    path: list[CoursePage]
    total_jp: int

    @property
    def course(self) -> CoursePage | None:
        return self.path[-1] if self.path else None


def _open_courses() -> list[CoursePage]:
    return list(
        CoursePage.objects.live()
        .filter(is_open=True)
        .prefetch_related("competencies", "prerequisites")
        .order_by("path")
    )


def _path_to(
    course: CoursePage, completed: set[int], by_id: dict[int, CoursePage]
) -> list[CoursePage] | None:
    """The course with every not-yet-completed prerequisite before it (depth first)."""
    path: list[CoursePage] = []
    seen: set[int] = set()

    def visit(node: CoursePage, trail: tuple[int, ...]) -> bool:
        if node.pk in trail:
            return False  # a prerequisite cycle: no path
        for prerequisite in node.prerequisites.all():
            if prerequisite.pk in completed or prerequisite.pk in seen:
                continue
            target = by_id.get(prerequisite.pk)
            if target is None or not visit(target, (*trail, node.pk)):
                return False  # a prerequisite that is closed or unpublished blocks the path
        if node.pk not in seen:
            seen.add(node.pk)
            path.append(node)
        return True

    return path if visit(course, ()) else None


def recommendations(
    *, employee: Employee, as_of: dt.date, position: Position | None = None
) -> list[Recommendation]:
    """Open courses that close each of the person's gaps, shortest path first.

    The gaps are those of the positions held on ``as_of``, or of ``position`` (readiness).
    For each gap, among the open courses that build the competency to at least the required
    level, the one whose path (its uncompleted prerequisites and itself) has the fewest JP. A
    gap that the person's evidence waiting for validation would close gets no course: it
    waits for the head of unit or HR (docs/EVIDENCE.md).
    """
    if position is not None:
        gaps = competency_selectors.employee_readiness(
            employee=employee, position=position, as_of=as_of
        ).rows
    else:
        gaps = [
            row
            for held in competency_selectors.employee_gaps(employee=employee, as_of=as_of)
            for row in held.rows
        ]
    worst: dict[int, competency_selectors.GapRow] = {}
    for row in gaps:
        if row.gap > 0 and (
            row.competency_id not in worst
            or row.required_level > worst[row.competency_id].required_level
        ):
            worst[row.competency_id] = row
    # A gap that evidence waiting for validation would close needs a reviewer, not a course.
    pending = (
        dict(
            Evidence.objects.filter(
                employee=employee, status=EvidenceStatus.PROVISIONAL, competency_id__in=list(worst)
            )
            .valid_on(as_of)
            .values("competency_id")
            .annotate(level=Max("level"))
            .values_list("competency_id", "level")
        )
        if worst
        else {}
    )
    worst = {
        competency_id: row
        for competency_id, row in worst.items()
        if pending.get(competency_id, 0) < row.required_level
    }
    if not worst:
        return []
    courses = _open_courses()
    by_id = {course.pk: course for course in courses}
    completed = set(
        Enrollment.objects.filter(employee=employee, status=EnrollmentStatus.COMPLETED).values_list(
            "course_id", flat=True
        )
    )
    result = []
    for row in worst.values():
        best: tuple[int, int, str, list[CoursePage]] | None = None
        for course in courses:
            if not any(
                link.competency_id == row.competency_id and link.level >= row.required_level
                for link in course.competencies.all()
            ):
                continue
            path = _path_to(course, completed, by_id)
            if path is None:
                continue
            cost = (sum(step.jp_hours for step in path), len(path), course.title, path)
            if best is None or cost[:3] < best[:3]:
                best = cost
        if best is not None:
            result.append(Recommendation(gap=row, path=best[3], total_jp=best[0]))
    return sorted(result, key=lambda r: (r.total_jp, -r.gap.gap, r.gap.code))
