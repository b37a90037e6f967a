"""Writes to the competency matrix. Every change goes through one of these functions.

Each service takes keyword-only arguments, runs in a transaction, validates before it saves,
and records who made the change and why in the audit trail (``pghistory.context``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pghistory
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.exceptions import InvalidMoveToDescendant

from competencies import policy
from competencies.exceptions import (
    DuplicateNipError,
    DuplicateRankTmtError,
    DuplicateSiasnIdError,
    EvidenceAlreadyReviewedError,
    EvidencePolicyError,
    InvalidDateRangeError,
    InvalidLevelError,
    InvalidNipError,
    OverlappingAssignmentError,
    OwnEvidenceReviewError,
    UnitCycleError,
    UnitHeadTakenError,
    UnknownCompetencyError,
)
from competencies.models import (
    REVIEW_FIELDS,
    Assignment,
    AssignmentKind,
    Competency,
    CompetencyLevel,
    Employee,
    EmployeeStatus,
    EmploymentType,
    Evidence,
    EvidenceSource,
    EvidenceStatus,
    OrgUnit,
    Position,
    PositionRequirement,
    RankHistory,
    validate_rank_for,
)
from competencies.signals import assignment_created, evidence_recorded, evidence_reviewed
from competencies.validators import normalise_nip, parse_nip
from core import dates
from core.exceptions import FieldError, ValidationError

User = AbstractBaseUser


def _audit(user: User | None, reason: str) -> Any:
    """The audit context recorded with every row change made inside it."""
    return pghistory.context(user=getattr(user, "pk", None), reason=reason or "")


def _check_level(level: Any, field: str = "level") -> int:
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
        raise InvalidLevelError(
            errors=[FieldError(field, InvalidLevelError.default_message, "invalid_level")]
        )
    return level


def _django_errors(exc: DjangoValidationError) -> list[FieldError]:
    if hasattr(exc, "error_dict"):
        return [
            FieldError(field, message, getattr(error, "code", None) or "invalid")
            for field, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [FieldError("__all__", message, "invalid") for message in exc.messages]


# --- Framework ------------------------------------------------------------------------------


@transaction.atomic
def competency_framework_load(*, entries: Iterable[dict[str, Any]]) -> int:
    """Create or update competencies and their five levels from framework data; returns count.

    Used by the data migration and ``load_framework``. Existing evidence and requirements keep
    pointing at the same competency rows (matched by code).
    """
    count = 0
    for entry in entries:
        competency, _created = Competency.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name_id": entry["name_id"],
                "name_en": entry["name_en"],
                "kind": entry["kind"],
                "group": entry.get("group", ""),
                "description_id": entry.get("description_id", ""),
                "description_en": entry.get("description_en", ""),
            },
        )
        for level in entry["levels"]:
            CompetencyLevel.objects.update_or_create(
                competency=competency,
                level=_check_level(level["level"]),
                defaults={
                    "description_id": level["description_id"],
                    "description_en": level.get("description_en", ""),
                    "indicators": "\n".join(level.get("indicators", [])),
                },
            )
        count += 1
    return count


def competency_by_code(code: str) -> Competency:
    try:
        return Competency.objects.get(code=code)
    except Competency.DoesNotExist:
        raise UnknownCompetencyError(
            _("There is no competency with the code %(code)s.") % {"code": code},
            errors=[
                FieldError(
                    "competency",
                    _("Unknown competency code: %(code)s") % {"code": code},
                    "unknown_competency",
                )
            ],
        ) from None


# --- Organisation ---------------------------------------------------------------------------


@transaction.atomic
def org_unit_create(
    *, code: str, name: str, kind: str, parent: OrgUnit | None = None, short_name: str = ""
) -> OrgUnit:
    unit = OrgUnit(code=code, name=name, kind=kind, short_name=short_name)
    try:
        unit.full_clean(exclude=["path", "depth", "numchild"])
    except DjangoValidationError as exc:
        raise ValidationError(errors=_django_errors(exc)) from None
    if parent is None:
        return OrgUnit.add_root(instance=unit)
    return OrgUnit.objects.get(pk=parent.pk).add_child(instance=unit)


@transaction.atomic
def org_unit_move(*, org_unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Put ``org_unit`` (and its subtree) under ``new_parent``; refuses cycles."""
    org_unit = OrgUnit.objects.select_for_update().get(pk=org_unit.pk)
    new_parent = OrgUnit.objects.get(pk=new_parent.pk)
    if new_parent.pk == org_unit.pk or new_parent.path.startswith(org_unit.path):
        raise UnitCycleError(
            errors=[FieldError("parent", UnitCycleError.default_message, "unit_cycle")]
        )
    try:
        org_unit.move(new_parent, pos="last-child")
    except InvalidMoveToDescendant:  # pragma: no cover - caught above, kept as a second guard
        raise UnitCycleError() from None
    # treebeard rewrites the subtree's paths in SQL, past ``auto_now``; HR systems syncing with
    # ``updated_since`` must see every unit whose path and depth changed.
    path = OrgUnit.objects.values_list("path", flat=True).get(pk=org_unit.pk)
    OrgUnit.objects.filter(path__startswith=path).update(updated_at=timezone.now())
    return OrgUnit.objects.get(pk=org_unit.pk)


ORG_UNIT_EDITABLE_FIELDS = ("code", "name", "short_name", "kind", "siasn_unor_id", "is_active")


def _check_siasn_id(instance: Any, field: str = "siasn_id") -> None:
    """Name the rule the partial unique constraint on a SIASN id keeps (an empty id is many)."""
    value = getattr(instance, field)
    if not value:
        return
    others = type(instance)._default_manager.filter(**{field: value}).exclude(pk=instance.pk)
    if others.exists():
        raise DuplicateSiasnIdError(
            errors=[FieldError(field, DuplicateSiasnIdError.default_message, "duplicate_siasn_id")]
        )


@transaction.atomic
def org_unit_update(*, org_unit: OrgUnit, data: dict[str, Any]) -> OrgUnit:
    """Change the fields in ``data`` (any of ``ORG_UNIT_EDITABLE_FIELDS``). The unit's place in
    the tree changes only through ``org_unit_move``."""
    changed = []
    for field in ORG_UNIT_EDITABLE_FIELDS:
        if field in data and getattr(org_unit, field) != data[field]:
            setattr(org_unit, field, data[field])
            changed.append(field)
    if not changed:
        return org_unit
    _check_siasn_id(org_unit, "siasn_unor_id")
    try:
        org_unit.full_clean(exclude=["path", "depth", "numchild"])
    except DjangoValidationError as exc:
        raise ValidationError(errors=_django_errors(exc)) from None
    org_unit.save(update_fields=[*changed, "updated_at"])
    return org_unit


@transaction.atomic
def position_create(
    *,
    code: str,
    title: str,
    org_unit: OrgUnit,
    kind: str,
    functional_level: str = "",
    is_head: bool = False,
    headcount: int = 1,
    class_grade: int | None = None,
    siasn_jabatan_id: str = "",
    requirements: Iterable[tuple[Competency, int, bool]] = (),
    user: User | None = None,
    reason: str = "",
) -> Position:
    position = Position(
        code=code,
        title=title,
        org_unit=org_unit,
        kind=kind,
        functional_level=functional_level,
        is_head=is_head,
        headcount=headcount,
        class_grade=class_grade,
        siasn_jabatan_id=siasn_jabatan_id,
    )
    _check_one_head(position)
    try:
        position.full_clean()
    except DjangoValidationError as exc:
        raise ValidationError(errors=_django_errors(exc)) from None
    # A new post has no requirements yet: one insert for all of them (the last word on a
    # competency named twice wins, as with requirement_set one by one).
    wanted = {
        competency.pk: PositionRequirement(
            competency=competency,
            required_level=_check_level(level, "required_level"),
            is_critical=critical,
        )
        for competency, level, critical in requirements
    }
    with _audit(user, reason):
        position.save()
        for requirement in wanted.values():
            requirement.position = position
        PositionRequirement.objects.bulk_create(wanted.values())
    return position


def _check_one_head(position: Position) -> None:
    """Name the rule the database's ``position_one_head_per_unit`` constraint keeps (which
    still decides between two requests at once)."""
    if (
        position.is_head
        and Position.objects.filter(org_unit_id=position.org_unit_id, is_head=True)
        .exclude(pk=position.pk)
        .exists()
    ):
        raise UnitHeadTakenError(
            errors=[
                FieldError("is_head", UnitHeadTakenError.default_message, UnitHeadTakenError.code)
            ]
        )


@transaction.atomic
def requirement_set(
    *,
    position: Position,
    competency: Competency,
    required_level: int,
    is_critical: bool = False,
    user: User | None = None,
    reason: str = "",
) -> PositionRequirement:
    """Create or change what ``position`` requires of ``competency``."""
    _check_level(required_level, "required_level")
    with _audit(user, reason):
        requirement, created = PositionRequirement.objects.get_or_create(
            position=position,
            competency=competency,
            defaults={"required_level": required_level, "is_critical": is_critical},
        )
        if not created and (requirement.required_level, requirement.is_critical) != (
            required_level,
            is_critical,
        ):
            requirement.required_level = required_level
            requirement.is_critical = is_critical
            requirement.save(update_fields=["required_level", "is_critical"])
    return requirement


@transaction.atomic
def requirement_remove(
    *, requirement: PositionRequirement, user: User | None = None, reason: str = ""
) -> None:
    with _audit(user, reason):
        requirement.delete()


# --- People ---------------------------------------------------------------------------------


def nip_check(nip: str, field: str = "nip") -> str:
    """Return the normalised NIP or raise ``InvalidNipError`` saying which part is wrong."""
    value = normalise_nip(nip)
    try:
        parse_nip(value)
    except DjangoValidationError as exc:
        message = exc.messages[0]
        raise InvalidNipError(
            message, errors=[FieldError(field, message, exc.error_list[0].code or "invalid_nip")]
        ) from None
    return value


@transaction.atomic
def employee_create(
    *,
    nip: str,
    name: str,
    rank: str = "",
    rank_start_date: dt.date | None = None,
    siasn_id: str = "",
    email: str = "",
    status: str = "active",
    user_account: Any = None,
) -> Employee:
    """A new person; a rank with its TMT (``rank_start_date``) starts their golongan history."""
    nip = nip_check(nip)
    if Employee.objects.filter(nip=nip).exists():
        raise DuplicateNipError(
            errors=[FieldError("nip", DuplicateNipError.default_message, "duplicate_nip")]
        )
    employee = Employee(
        nip=nip,
        name=name.strip(),
        employment_type=EmploymentType.PPPK
        if parse_nip(nip).kind == "pppk"
        else EmploymentType.PNS,
        rank=rank,
        rank_start_date=rank_start_date,
        siasn_id=siasn_id,
        email=email,
        status=status,
        user=user_account,
    )
    _check_siasn_id(employee)
    try:
        employee.full_clean(validate_unique=False, validate_constraints=False)
    except DjangoValidationError as exc:
        raise ValidationError(errors=_django_errors(exc)) from None
    try:
        with transaction.atomic():
            employee.save()
    except IntegrityError as exc:
        # Two requests raced past the existence checks; the unique constraints decide.
        if "employee_siasn_unique" in str(exc):
            raise DuplicateSiasnIdError(
                errors=[
                    FieldError(
                        "siasn_id", DuplicateSiasnIdError.default_message, "duplicate_siasn_id"
                    )
                ]
            ) from None
        raise DuplicateNipError() from None
    _rank_history_follow(employee)
    return employee


def _rank_history_follow(employee: Employee) -> None:
    """Keep the golongan history holding the person's current rank from its TMT."""
    if employee.rank and employee.rank_start_date is not None:
        RankHistory.objects.update_or_create(
            employee=employee,
            start_date=employee.rank_start_date,
            defaults={"rank": employee.rank},
        )


@transaction.atomic
def employee_rank_record(
    *,
    employee: Employee,
    rank: str,
    start_date: dt.date,
    decree_number: str = "",
    decree_date: dt.date | None = None,
    siasn_id: str = "",
) -> RankHistory:
    """Add a row to the person's golongan history (*riwayat golongan*). The newest row is their
    current rank: a row with a TMT on or after the current one moves ``rank`` and
    ``rank_start_date`` to it; an older row only fills in the history."""
    Employee.objects.select_for_update().filter(pk=employee.pk).first()
    try:
        validate_rank_for(employee.employment_type, rank)
    except DjangoValidationError as exc:
        raise ValidationError(errors=[FieldError("rank", exc.messages[0], exc.code)]) from None
    if RankHistory.objects.filter(employee=employee, start_date=start_date).exists():
        raise DuplicateRankTmtError(
            errors=[
                FieldError(
                    "start_date", DuplicateRankTmtError.default_message, "duplicate_rank_tmt"
                )
            ]
        )
    row = RankHistory(
        employee=employee,
        rank=rank,
        start_date=start_date,
        decree_number=decree_number,
        decree_date=decree_date,
        siasn_id=siasn_id,
    )
    _check_siasn_id(row)
    try:
        row.full_clean(validate_unique=False, validate_constraints=False)
    except DjangoValidationError as exc:
        raise ValidationError(errors=_django_errors(exc)) from None
    row.save()
    if employee.rank_start_date is None or start_date >= employee.rank_start_date:
        employee.rank, employee.rank_start_date = rank, start_date
        employee.save(update_fields=["rank", "rank_start_date", "updated_at"])
    return row


EMPLOYEE_EDITABLE_FIELDS = (
    "name",
    "rank",
    "rank_start_date",
    "siasn_id",
    "email",
    "status",
    "user",
)


@transaction.atomic
def employee_update(
    *, employee: Employee, data: dict[str, Any], effective_date: dt.date | None = None
) -> Employee:
    """Change the fields in ``data`` (any of ``EMPLOYEE_EDITABLE_FIELDS``); NIP is immutable.

    A status that says the person left the service (retired, moved to another agency) ends
    their open assignments on ``effective_date``, or today (``employee_departures_apply``).
    """
    changed = []
    for field in EMPLOYEE_EDITABLE_FIELDS:
        if field in data and getattr(employee, field) != data[field]:
            setattr(employee, field, data[field])
            changed.append(field)
    if not changed:
        return employee
    _check_siasn_id(employee)
    try:
        employee.full_clean(validate_unique=False, validate_constraints=False)
    except DjangoValidationError as exc:
        raise ValidationError(errors=_django_errors(exc)) from None
    employee.save(update_fields=[*changed, "updated_at"])
    if {"rank", "rank_start_date"} & set(changed):
        _rank_history_follow(employee)
    if "status" in changed and employee.status in DEPARTED_STATUSES:
        employee_departures_apply(employee_ids=[employee.pk], effective_date=effective_date)
    return employee


#: The statuses of people who have left the city's service: retired (*pensiun*) or moved to
#: another agency (*pindah instansi*).
DEPARTED_STATUSES = (EmployeeStatus.RETIRED, EmployeeStatus.MOVED_OUT)


@transaction.atomic
def employee_departures_apply(
    *,
    employee_ids: list[int],
    effective_date: dt.date | None = None,
    user: User | None = None,
    reason: str = "",
) -> int:
    """End the open assignments of the people among ``employee_ids`` who have left the service
    (``DEPARTED_STATUSES``; the others are left alone): every assignment still running on the
    last day, definitive or acting, ends that day. The last day is ``effective_date``, or today
    in the city (``core.dates.today()``). Returns how many assignments it ended.

    Every interface that writes a status calls this one rule: ``employee_update`` (the admin,
    the API, the spreadsheet import) and the bulk upsert. An assignment that ended earlier keeps
    its end date; one that starts after the last day is left as recorded (access never follows
    it: ``competencies.access`` opens nothing to a person who left).
    """
    if not employee_ids:
        return 0
    last_day = effective_date or dates.today()
    ending = list(
        Assignment.objects.select_for_update(of=("self",))
        .filter(
            employee_id__in=employee_ids,
            employee__status__in=DEPARTED_STATUSES,
            start_date__lte=last_day,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=last_day))
    )
    now = timezone.now()
    for assignment in ending:
        assignment.end_date = last_day
        assignment.updated_at = now
    with _audit(user, reason or "left the service"):
        Assignment.objects.bulk_update(ending, ["end_date", "updated_at"])
    return len(ending)


# --- Position history -----------------------------------------------------------------------


@transaction.atomic
def assignment_create(
    *,
    employee: Employee,
    position: Position,
    kind: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    decree_number: str = "",
    decree_date: dt.date | None = None,
    siasn_id: str = "",
    user: User | None = None,
    reason: str = "",
) -> Assignment:
    """Record that ``employee`` holds ``position`` from ``start_date`` (TMT).

    A definitive assignment (every kind but acting) ends the person's current definitive
    assignment the day before the new TMT, and ends the acting (*Plt.*) assignments to the
    same post (``acting_assignments_end``). It is refused if it would overlap any other
    definitive assignment (for instance one that starts on or after the new TMT); the
    database's exclusion constraint is the final word even under concurrent requests.
    """
    if kind not in AssignmentKind.values:
        raise ValidationError(
            errors=[FieldError("kind", _("Unknown assignment kind."), "invalid_choice")]
        )
    if end_date is not None and end_date < start_date:
        raise InvalidDateRangeError(
            errors=[
                FieldError("end_date", InvalidDateRangeError.default_message, "invalid_date_range")
            ]
        )
    # Serialise writes to one person's history so two rotations cannot interleave.
    Employee.objects.select_for_update().filter(pk=employee.pk).first()
    with _audit(user, reason):
        if kind != AssignmentKind.ACTING:
            current = (
                Assignment.objects.definitive()
                .active_on(start_date)
                .filter(employee=employee, start_date__lt=start_date)
                .first()
            )
            if current is not None:
                current.end_date = start_date - dt.timedelta(days=1)
                current.save(update_fields=["end_date", "updated_at"])
        assignment = Assignment(
            employee=employee,
            position=position,
            kind=kind,
            start_date=start_date,
            end_date=end_date,
            decree_number=decree_number,
            decree_date=decree_date,
            siasn_id=siasn_id,
        )
        _check_siasn_id(assignment)
        try:
            with transaction.atomic():
                assignment.save()
        except IntegrityError as exc:
            if "assignment_siasn_unique" in str(exc):
                raise DuplicateSiasnIdError(
                    errors=[
                        FieldError(
                            "siasn_id", DuplicateSiasnIdError.default_message, "duplicate_siasn_id"
                        )
                    ]
                ) from None
            if "assignment_definitive_no_overlap" in str(exc):
                raise OverlappingAssignmentError(
                    errors=[
                        FieldError(
                            "start_date",
                            OverlappingAssignmentError.default_message,
                            "overlapping_assignment",
                        )
                    ]
                ) from None
            raise
        if kind != AssignmentKind.ACTING:
            acting_assignments_end(arrivals=[(position.pk, start_date)], user=user, reason=reason)
    # Inside the transaction: the event is stored with the row it announces, or not at all.
    _announce_assignment(assignment.pk)
    return assignment


def _announce_assignment(assignment_id: int) -> None:
    assignment_created.send(sender=Assignment, assignment_id=assignment_id)


@transaction.atomic
def stale_assignments_end(
    *, departed_last_day: dt.date | None = None, user: User | None = None, reason: str = ""
) -> tuple[int, int]:
    """Apply the two rules that end assignments to data recorded before they existed (``manage.py
    end_stale_assignments``): the open assignments of people who left the service end on
    ``departed_last_day`` (default today: when they left is not recorded), and open acting
    assignments end the day before a definitive holder of their post started. Returns how
    many of each it ended; running it again ends nothing more."""
    departed = list(
        Assignment.objects.filter(employee__status__in=DEPARTED_STATUSES)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=departed_last_day or dates.today()))
        .values_list("employee_id", flat=True)
        .distinct()
    )
    acting_posts = Assignment.objects.filter(kind=AssignmentKind.ACTING).values("position_id")
    arrivals = list(
        Assignment.objects.definitive()
        .filter(position_id__in=acting_posts)
        .values_list("position_id", "start_date")
    )
    reason = reason or "end_stale_assignments"
    return (
        employee_departures_apply(
            employee_ids=departed, effective_date=departed_last_day, user=user, reason=reason
        ),
        acting_assignments_end(arrivals=arrivals, user=user, reason=reason),
    )


@transaction.atomic
def acting_assignments_end(
    *, arrivals: list[tuple[int, dt.date]], user: User | None = None, reason: str = ""
) -> int:
    """A definitive holder arrives: ``arrivals`` are ``(position id, start date)`` of definitive
    assignments just recorded. Each acting (*Plt.*) assignment to one of those posts that
    started before an arrival and is still running on its day ends the day before the
    earliest such arrival (or keeps its own, earlier, end date). Returns how many it ended.

    Only posts held by one person (a head post, or a headcount of one) have a Plt. to end: the
    arrival of one holder among several fills no acting holder's place. An acting assignment
    that starts on or after the arrival is left as recorded; access ignores it on the days a
    definitive holder holds the post (``competencies.access.head_assignments_on``).
    """
    starts: dict[int, list[dt.date]] = {}
    for position_id, start_date in arrivals:
        starts.setdefault(position_id, []).append(start_date)
    if not starts:
        return 0
    acting = (
        Assignment.objects.select_for_update(of=("self",))
        .filter(kind=AssignmentKind.ACTING, position_id__in=starts)
        .filter(Q(position__is_head=True) | Q(position__headcount=1))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=min(min(d) for d in starts.values())))
    )
    ending = []
    now = timezone.now()
    for assignment in acting:
        arrived = [
            day
            for day in starts[assignment.position_id]
            if day > assignment.start_date
            and (assignment.end_date is None or assignment.end_date >= day)
        ]
        if arrived:
            assignment.end_date = min(arrived) - dt.timedelta(days=1)
            assignment.updated_at = now
            ending.append(assignment)
    with _audit(user, reason or "definitive holder arrived"):
        Assignment.objects.bulk_update(ending, ["end_date", "updated_at"])
    return len(ending)


@transaction.atomic
def assignment_end(
    *, assignment: Assignment, end_date: dt.date, user: User | None = None, reason: str = ""
) -> Assignment:
    if end_date < assignment.start_date:
        raise InvalidDateRangeError(
            errors=[
                FieldError("end_date", InvalidDateRangeError.default_message, "invalid_date_range")
            ]
        )
    with _audit(user, reason):
        assignment.end_date = end_date
        assignment.save(update_fields=["end_date", "updated_at"])
    return assignment


# --- Evidence -------------------------------------------------------------------------------


@transaction.atomic
def evidence_record(
    *,
    employee: Employee,
    competency: Competency,
    level: int,
    source: str,
    achieved_date: dt.date,
    expires_date: dt.date | None = None,
    recorded_by: User | None = None,
    reference: str = "",
    note: str = "",
    validates: Evidence | None = None,
) -> Evidence:
    """Append one piece of evidence, with the status the evidence policy gives it
    (``competencies.policy``): counting at once, or provisional until a supervisor or HR
    reviews it. Evidence the policy refuses (a course awarding a managerial level) raises
    ``EvidencePolicyError``. The facts are never changed afterwards; only the review is."""
    _check_level(level)
    if source not in EvidenceSource.values:
        raise ValidationError(
            errors=[FieldError("source", _("Unknown evidence source."), "invalid_choice")]
        )
    if expires_date is not None and expires_date <= achieved_date:
        raise InvalidDateRangeError(
            _("The expiry date must be after the date the level was achieved."),
            errors=[
                FieldError(
                    "expires_date", _("Must be after the achieved date."), "invalid_date_range"
                )
            ],
        )
    decision = policy.evidence_decision(source=source, competency_kind=competency.kind, level=level)
    if decision.refused:
        raise EvidencePolicyError(
            decision.refusal,
            errors=[FieldError("source", decision.refusal, EvidencePolicyError.code)],
        )
    evidence = Evidence.objects.create(
        employee=employee,
        competency=competency,
        level=level,
        source=source,
        achieved_date=achieved_date,
        expires_date=expires_date,
        recorded_by=recorded_by if getattr(recorded_by, "pk", None) else None,
        reference=reference,
        note=note,
        validates=validates,
        status=decision.status,
    )
    transaction.on_commit(lambda: _announce_evidence(evidence.pk))
    return evidence


def _announce_evidence(evidence_id: int) -> None:
    evidence_recorded.send(sender=Evidence, evidence_id=evidence_id)


@transaction.atomic
def evidence_review(
    *,
    evidence: Evidence,
    reviewer: User | None,
    validate: bool,
    note: str = "",
) -> Evidence:
    """Validate or reject provisional evidence, once: the status, who, when and why are
    written on the row (the facts stay as recorded), and ``evidence_reviewed`` is sent after
    commit (webhooks ``evidence.validated`` / ``evidence.rejected``).

    Who may review is the caller's to check (``selectors.evidence_reviewable_by`` for people,
    the API's scope for clients); nobody reviews their own evidence. A rejection needs a note.
    """
    evidence = Evidence.objects.select_for_update().select_related("employee").get(pk=evidence.pk)
    if evidence.status != EvidenceStatus.PROVISIONAL:
        raise EvidenceAlreadyReviewedError(
            errors=[
                FieldError(
                    "status",
                    EvidenceAlreadyReviewedError.default_message,
                    EvidenceAlreadyReviewedError.code,
                )
            ]
        )
    reviewer_id = getattr(reviewer, "pk", None)
    if reviewer_id is not None and evidence.employee.user_id == reviewer_id:
        raise OwnEvidenceReviewError(
            errors=[
                FieldError(
                    "evidence", OwnEvidenceReviewError.default_message, OwnEvidenceReviewError.code
                )
            ]
        )
    note = (note or "").strip()
    if not validate and not note:
        raise ValidationError(
            _("Say why the evidence is rejected, so the person knows what to do."),
            errors=[FieldError("note", _("A rejection needs a note."), "rejection_note_required")],
        )
    evidence.status = EvidenceStatus.VALIDATED if validate else EvidenceStatus.REJECTED
    evidence.reviewed_by_id = reviewer_id
    evidence.reviewed_at = timezone.now()
    evidence.review_note = note
    evidence.save(update_fields=REVIEW_FIELDS)
    status = evidence.status
    transaction.on_commit(lambda: _announce_review(evidence.pk, status))
    return evidence


def _announce_review(evidence_id: int, status: str) -> None:
    evidence_reviewed.send(sender=Evidence, evidence_id=evidence_id, status=status)


POSITION_EDITABLE_FIELDS = (
    "title",
    "org_unit",
    "kind",
    "functional_level",
    "is_head",
    "headcount",
    "class_grade",
    "siasn_jabatan_id",
    "is_active",
)


@transaction.atomic
def position_update(
    *,
    position: Position,
    data: dict[str, Any],
    requirements: Iterable[tuple[Competency, int, bool]] | None = None,
    user: User | None = None,
    reason: str = "",
) -> bool:
    """Change a position's fields and, when given, replace its requirements; True if changed."""
    changed = [f for f in POSITION_EDITABLE_FIELDS if f in data and getattr(position, f) != data[f]]
    for f in changed:
        setattr(position, f, data[f])
    with _audit(user, reason):
        if changed:
            _check_one_head(position)
            try:
                position.full_clean(validate_unique=False)
            except DjangoValidationError as exc:
                raise ValidationError(errors=_django_errors(exc)) from None
            position.save(update_fields=[*changed, "updated_at"])
        if requirements is None:
            return bool(changed)
        wanted = {
            competency.pk: (competency, level, critical)
            for competency, level, critical in requirements
        }
        current = {r.competency_id: r for r in position.requirements.all()}
        touched = False
        for competency_id, requirement in current.items():
            if competency_id not in wanted:
                requirement.delete()
                touched = True
        for competency_id, (competency, level, critical) in wanted.items():
            existing = current.get(competency_id)
            if existing is None or (existing.required_level, existing.is_critical) != (
                level,
                critical,
            ):
                requirement_set(
                    position=position,
                    competency=competency,
                    required_level=level,
                    is_critical=critical,
                )
                touched = True
        if touched and not changed:
            # The requirements are part of the position HR systems sync by ``updated_since``.
            position.save(update_fields=["updated_at"])
    return bool(changed) or touched


@transaction.atomic
def assignment_update(
    *,
    assignment: Assignment,
    end_date: dt.date | None,
    decree_number: str,
    decree_date: dt.date | None,
    user: User | None = None,
    reason: str = "",
) -> Assignment:
    """Correct an assignment's end date or decree. Who holds what from when is not edited:
    record a new assignment instead, which keeps the history honest."""
    if end_date is not None and end_date < assignment.start_date:
        raise InvalidDateRangeError(
            errors=[
                FieldError("end_date", InvalidDateRangeError.default_message, "invalid_date_range")
            ]
        )
    assignment.end_date = end_date
    assignment.decree_number = decree_number
    assignment.decree_date = decree_date
    with _audit(user, reason):
        try:
            with transaction.atomic():
                assignment.save(
                    update_fields=["end_date", "decree_number", "decree_date", "updated_at"]
                )
        except IntegrityError as exc:
            if "assignment_definitive_no_overlap" in str(exc):
                raise OverlappingAssignmentError(
                    errors=[
                        FieldError(
                            "end_date",
                            OverlappingAssignmentError.default_message,
                            "overlapping_assignment",
                        )
                    ]
                ) from None
            raise
    return assignment
