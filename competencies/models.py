"""The competency matrix: framework, organisation, people, position history and evidence.

Time is first-class: an assignment has a start (TMT) and an end date, evidence has an achieved
and an expiry date, so every question can be asked "as of" a date. Dates are inclusive at the
start; an assignment's ``end_date`` is its last day; evidence is valid from ``achieved_date``
up to but not including ``expires_date``.

Integrity lives in the database: check constraints on levels and dates, an exclusion
constraint that keeps one person's definitive assignments from overlapping, and a trigger that
makes evidence append-only. Changes to requirements and assignments are recorded by
django-pghistory triggers together with who made them and why (``pghistory.context``).
"""

from __future__ import annotations

import datetime as dt

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from treebeard.mp_tree import MP_Node

from competencies.validators import validate_nip

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
#: SIASN's identifiers (a PNS, an organisation unit (unor), a jabatan reference, a history row)
#: are GUIDs: 32 hexadecimal digits, with or without the hyphens of 8-4-4-4-12. Kept as sent.
SIASN_ID_PATTERN = (
    r"[0-9A-Fa-f]{32}|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
)
SIASN_ID_VALIDATOR = RegexValidator(
    rf"\A(?:{SIASN_ID_PATTERN})\Z",
    _("A SIASN id is 32 hexadecimal digits, with or without hyphens (8-4-4-4-12)."),
    code="invalid_siasn_id",
)
#: Kelas jabatan (the position's grade for allowances): 1 to 17.
CLASS_GRADE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(17)]


def _siasn_id_field(verbose_name: str) -> models.CharField:
    return models.CharField(
        verbose_name,
        max_length=36,
        blank=True,
        default="",
        db_default="",
        validators=[SIASN_ID_VALIDATOR],
    )


CODE_VALIDATOR = RegexValidator(
    r"^[A-Z0-9][A-Z0-9.\-]*$", _("Use capital letters, digits, dots and hyphens only.")
)


class DateRange(Func):
    """``daterange(start, end, '[]')``: an assignment's days, both ends included."""

    function = "DATERANGE"
    output_field = models.Field()


# --- Framework ------------------------------------------------------------------------------


class CompetencyKind(models.TextChoices):
    TECHNICAL = "teknis", _("Technical (teknis)")
    MANAGERIAL = "manajerial", _("Managerial (manajerial)")
    SOCIOCULTURAL = "sosial_kultural", _("Socio-cultural (sosial kultural)")


class Competency(ClusterableModel):
    """One competency of the framework (PermenPAN-RB 38/2017), e.g. ``TIK-05`` or ``M.01``."""

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[CODE_VALIDATOR])
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CompetencyKind.choices)
    group = models.CharField(_("group"), max_length=100, blank=True)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    def __str__(self) -> str:
        return f"{self.code} {self.name_id}"

    def name_for(self, language: str) -> str:
        return self.name_en if language.startswith("en") and self.name_en else self.name_id


class CompetencyLevel(models.Model):
    """What level 1–5 of a competency looks like: a description and behavioural indicators."""

    competency = ParentalKey(Competency, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)
    description_id = models.TextField(_("description (Indonesian)"))
    description_en = models.TextField(_("description (English)"), blank=True)
    indicators = models.TextField(
        _("behavioural indicators"), blank=True, help_text=_("One indicator per line.")
    )

    class Meta:
        ordering = ["competency", "level"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="competency_level_unique"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="competency_level_1_to_5"
            ),
        ]
        verbose_name = _("competency level")
        verbose_name_plural = _("competency levels")

    def __str__(self) -> str:
        return f"{self.competency.code} L{self.level}"

    @property
    def indicator_list(self) -> list[str]:
        return [line.strip() for line in self.indicators.splitlines() if line.strip()]


# --- Organisation ---------------------------------------------------------------------------


class OrgUnitKind(models.TextChoices):
    CITY = "kota", _("City government")
    REGIONAL_BODY = "perangkat_daerah", _("Regional body (perangkat daerah)")
    SECRETARIAT = "sekretariat", _("Secretariat")
    DIVISION = "bidang", _("Division (bidang)")
    SECTION_BAGIAN = "bagian", _("Section (bagian)")
    SECTION = "seksi", _("Section (seksi)")
    TEAM = "tim", _("Team (tim kerja)")
    DISTRICT = "kecamatan", _("District (kecamatan)")


class OrgUnit(MP_Node):
    """A unit of the organisation tree: city → perangkat daerah → bidang → seksi.

    The tree is a materialised path (django-treebeard), so a subtree is one indexed
    ``path LIKE 'prefix%'`` in SQL, which the gap queries rely on.
    """

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgUnitKind.choices)
    siasn_unor_id = _siasn_id_field(_("SIASN unor id"))
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["siasn_unor_id"],
                condition=~Q(siasn_unor_id=""),
                name="orgunit_siasn_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["path"], name="orgunit_path_prefix", opclasses=["varchar_pattern_ops"]
            )
        ]
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")

    def __str__(self) -> str:
        return self.short_name or self.name


class PositionKind(models.TextChoices):
    JPT = "jpt", _("Senior leadership (JPT)")
    ADMINISTRATOR = "administrator", _("Administrator")
    SUPERVISOR = "pengawas", _("Supervisor (pengawas)")
    EXECUTOR = "pelaksana", _("Executor (pelaksana)")
    FUNCTIONAL = "fungsional", _("Functional (jabatan fungsional)")


#: SIASN's jenis jabatan for each kind of position: 1 struktural, 2 fungsional, 4 pelaksana.
SIASN_JENIS_JABATAN = {
    PositionKind.JPT: "1",
    PositionKind.ADMINISTRATOR: "1",
    PositionKind.SUPERVISOR: "1",
    PositionKind.FUNCTIONAL: "2",
    PositionKind.EXECUTOR: "4",
}


class Position(ClusterableModel):
    """A position (*jabatan*) in one unit, with the competencies it requires.

    ``headcount`` is how many people the position is meant to have (*formasi*); it is vacant
    while fewer hold it. A unit has at most one head position.
    """

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[CODE_VALIDATOR])
    title = models.CharField(_("title"), max_length=200)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="positions", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PositionKind.choices)
    functional_level = models.CharField(
        _("functional level"),
        max_length=40,
        blank=True,
        help_text=_("For example Ahli Pertama, Ahli Muda, Terampil, or Pratama for a JPT."),
    )
    is_head = models.BooleanField(_("heads its unit"), default=False)
    headcount = models.PositiveSmallIntegerField(
        _("headcount"), default=1, validators=[MinValueValidator(1)]
    )
    class_grade = models.PositiveSmallIntegerField(
        _("kelas jabatan"), null=True, blank=True, validators=CLASS_GRADE_VALIDATORS
    )
    siasn_jabatan_id = _siasn_id_field(_("SIASN jabatan reference id"))
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["org_unit__path", "-is_head", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit"], condition=Q(is_head=True), name="position_one_head_per_unit"
            ),
            models.CheckConstraint(
                condition=Q(headcount__gte=1), name="position_headcount_positive"
            ),
            models.CheckConstraint(
                condition=Q(class_grade__isnull=True) | Q(class_grade__range=(1, 17)),
                name="position_class_grade_range",
            ),
        ]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.title

    @property
    def siasn_jenis_jabatan(self) -> str:
        """SIASN's jenis jabatan, which the kind decides."""
        return SIASN_JENIS_JABATAN.get(self.kind, "")


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="PositionRequirementEvent",
    # pghistory would copy the ParentalKey, which modelcluster forbids without a related name;
    # a plain unconstrained foreign key on the same column keeps the position in each event.
    exclude=["position"],
    attrs={
        # Written by triggers, never by a save; and not content (see Assignment).
        "wagtail_reference_index_ignore": True,
        "position": models.ForeignKey(
            "competencies.Position",
            on_delete=models.DO_NOTHING,
            db_constraint=False,
            related_name="+",
            related_query_name="+",
        ),
    },
)
class PositionRequirement(models.Model):
    """A competency a position requires, at a level 1–5, and whether it is critical."""

    position = ParentalKey(Position, on_delete=models.CASCADE, related_name="requirements")
    competency = models.ForeignKey(
        Competency,
        on_delete=models.PROTECT,
        related_name="requirements",
        verbose_name=_("competency"),
    )
    required_level = models.PositiveSmallIntegerField(
        _("required level"), validators=LEVEL_VALIDATORS
    )
    is_critical = models.BooleanField(_("critical"), default=False)

    class Meta:
        ordering = ["position", "competency__code"]
        constraints = [
            models.UniqueConstraint(fields=["position", "competency"], name="requirement_unique"),
            models.CheckConstraint(
                condition=Q(required_level__gte=1, required_level__lte=5),
                name="requirement_level_1_to_5",
            ),
        ]
        verbose_name = _("position requirement")
        verbose_name_plural = _("position requirements")

    def __str__(self) -> str:
        return f"{self.competency_id} ≥ {self.required_level}"


# --- People ---------------------------------------------------------------------------------

#: The PPPK grades, golongan I to XVII (Perpres 98/2020 on PPPK pay).
PPPK_GRADES = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
]  # fmt: skip
#: The PNS golongan/ruang (I/a … IV/e).
PNS_RANKS = [
    "I/a", "I/b", "I/c", "I/d", "II/a", "II/b", "II/c", "II/d",
    "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b", "IV/c", "IV/d", "IV/e",
]  # fmt: skip

RANK_CHOICES = [
    (code, f"{code} {name}")
    for code, name in [
        ("I/a", "Juru Muda"),
        ("I/b", "Juru Muda Tk I"),
        ("I/c", "Juru"),
        ("I/d", "Juru Tk I"),
        ("II/a", "Pengatur Muda"),
        ("II/b", "Pengatur Muda Tk I"),
        ("II/c", "Pengatur"),
        ("II/d", "Pengatur Tk I"),
        ("III/a", "Penata Muda"),
        ("III/b", "Penata Muda Tk I"),
        ("III/c", "Penata"),
        ("III/d", "Penata Tk I"),
        ("IV/a", "Pembina"),
        ("IV/b", "Pembina Tk I"),
        ("IV/c", "Pembina Utama Muda"),
        ("IV/d", "Pembina Utama Madya"),
        ("IV/e", "Pembina Utama"),
    ]
] + [(grade, f"PPPK {grade}") for grade in PPPK_GRADES]


class EmployeeStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")
    MOVED_OUT = "moved_out", _("Moved to another agency")


class EmploymentType(models.TextChoices):
    PNS = "pns", _("Civil servant (PNS)")
    PPPK = "pppk", _("Contract civil servant (PPPK)")


def validate_rank_for(employment_type: str, rank: str) -> None:
    """A PNS holds a golongan (``PNS_RANKS``), a PPPK a grade (``PPPK_GRADES``); the one rule
    for every way people are written (the model, the bulk API, the imports). A blank rank is
    allowed, and an unknown one is left to the field's choices to name."""
    if employment_type == EmploymentType.PNS and rank in PPPK_GRADES:
        raise ValidationError(
            _("%(rank)s is a PPPK grade; a PNS has a golongan from I/a to IV/e."),
            code="rank_employment_type",
            params={"rank": rank},
        )
    if employment_type == EmploymentType.PPPK and rank in PNS_RANKS:
        raise ValidationError(
            _("%(rank)s is a PNS golongan; a PPPK has a grade from I to XVII."),
            code="rank_employment_type",
            params={"rank": rank},
        )


class Employee(models.Model):
    """A civil servant (ASN). The NIP is personal data: it never appears in URLs or logs."""

    nip = models.CharField(_("NIP"), max_length=18, unique=True, validators=[validate_nip])
    name = models.CharField(_("name"), max_length=200)
    employment_type = models.CharField(
        _("employment type"),
        max_length=4,
        choices=EmploymentType.choices,
        default=EmploymentType.PNS,
    )
    rank = models.CharField(_("rank (golongan)"), max_length=6, choices=RANK_CHOICES, blank=True)
    rank_start_date = models.DateField(_("TMT golongan"), null=True, blank=True)
    siasn_id = _siasn_id_field(_("SIASN PNS id"))
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EmployeeStatus.choices, default=EmployeeStatus.ACTIVE
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
        verbose_name=_("login"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["updated_at", "id"], name="employee_updated")]
        constraints = [
            models.UniqueConstraint(
                fields=["siasn_id"], condition=~Q(siasn_id=""), name="employee_siasn_unique"
            ),
            models.CheckConstraint(
                condition=Q(rank_start_date__isnull=True) | ~Q(rank=""),
                name="employee_rank_start_needs_rank",
            ),
        ]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            validate_rank_for(self.employment_type, self.rank)
        except ValidationError as error:
            raise ValidationError({"rank": error}) from None
        if self.rank_start_date is not None and not self.rank:
            message = _("A TMT golongan needs the golongan (rank) it starts.")
            raise ValidationError(
                {"rank_start_date": ValidationError(message, code="rank_required")}
            )


class RankHistory(models.Model):
    """One row of a person's golongan history (*riwayat golongan*): the rank held from its TMT.
    The newest row is the person's current ``rank`` and ``rank_start_date``."""

    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="rank_history", verbose_name=_("employee")
    )
    rank = models.CharField(_("rank (golongan)"), max_length=6, choices=RANK_CHOICES)
    start_date = models.DateField(_("TMT golongan"))
    decree_number = models.CharField(_("decree number (nomor SK)"), max_length=100, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    siasn_id = _siasn_id_field(_("SIASN id of the history row"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "start_date"], name="rank_history_one_per_tmt"
            ),
        ]
        verbose_name = _("golongan history row")
        verbose_name_plural = _("golongan history")

    def __str__(self) -> str:
        return f"{self.rank} ({self.start_date})"


class AssignmentQuerySet(models.QuerySet):
    def definitive(self) -> AssignmentQuerySet:
        return self.exclude(kind=AssignmentKind.ACTING)

    def active_on(self, day: dt.date) -> AssignmentQuerySet:
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)


class AssignmentKind(models.TextChoices):
    INITIAL = "initial", _("Initial appointment")
    TRANSFER = "mutasi", _("Transfer (mutasi)")
    ROTATION = "rotasi", _("Rotation (rotasi)")
    PROMOTION = "promosi", _("Promotion (promosi)")
    ACTING = "plt", _("Acting (Plt.)")


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="AssignmentEvent",
    # One trigger run per statement (transition tables), not per row: the bulk upsert records
    # 5,000 assignments in one INSERT, and a row trigger re-attached the audit context 5,000
    # times (two PL/pgSQL subtransactions each), most of that request's time.
    level=pghistory.Statement,
    # Written by triggers, never by a save; and not content (see Assignment).
    attrs={"wagtail_reference_index_ignore": True},
)
class Assignment(models.Model):
    """A period in which an employee holds a position (one row of the position history).

    Definitive assignments (every kind but acting) of one person never overlap: a PostgreSQL
    exclusion constraint over ``daterange(start_date, end_date, '[]')`` enforces it.
    """

    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("employee")
    )
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("position")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AssignmentKind.choices)
    start_date = models.DateField(_("start date (TMT)"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    decree_number = models.CharField(_("decree number (nomor SK)"), max_length=100, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    siasn_id = _siasn_id_field(_("SIASN id of the history row"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["employee", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="assignment_end_after_start",
            ),
            ExclusionConstraint(
                name="assignment_definitive_no_overlap",
                expressions=[
                    ("employee", RangeOperators.EQUAL),
                    (
                        DateRange("start_date", "end_date", models.Value("[]")),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                condition=~Q(kind="plt"),
            ),
            models.UniqueConstraint(
                fields=["siasn_id"], condition=~Q(siasn_id=""), name="assignment_siasn_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["position", "start_date"], name="assignment_position_start"),
            models.Index(fields=["updated_at", "id"], name="assignment_updated"),
        ]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.position} ({self.start_date}–{self.end_date or ''})"

    @property
    def is_definitive(self) -> bool:
        return self.kind != AssignmentKind.ACTING


# --- Evidence -------------------------------------------------------------------------------


class EvidenceSource(models.TextChoices):
    COURSE_COMPLETION = "course_completion", _("Course completion")
    ASSESSMENT = "assessment", _("Assessment (assessment centre, test)")
    SUPERVISOR_VALIDATION = "supervisor_validation", _("Validated by supervisor")
    HR_VALIDATION = "hr_validation", _("Validated by HR")
    EXTERNAL_CERTIFICATE = "external_certificate", _("External certificate")
    SELF_ASSESSMENT = "self_assessment", _("Self assessment")
    MIGRATION = "migration", _("Migrated from an earlier system")


class EvidenceStatus(models.TextChoices):
    """Where a piece of evidence stands. Only ``validated`` evidence counts toward proficiency;
    which evidence starts out validated is the evidence policy's call
    (``competencies.policy``)."""

    PROVISIONAL = "provisional", _("Provisional (awaiting validation)")
    VALIDATED = "validated", _("Validated")
    REJECTED = "rejected", _("Rejected")


#: The columns a review may write; every other column of an evidence row is frozen.
REVIEW_FIELDS = ["status", "reviewed_by", "reviewed_at", "review_note"]


class EvidenceQuerySet(models.QuerySet):
    """Evidence filtered by the rules of proficiency.

    The gap queries say the same in SQL: ``competencies.selectors._sql.counted_evidence_on``
    is ``counted_on`` (and so ``counting`` plus ``valid_on``); change both together.
    """

    def counting(self) -> EvidenceQuerySet:
        """Evidence that counts toward proficiency: validated (by a person, or by the policy
        when its kind needs no validation)."""
        return self.filter(status=EvidenceStatus.VALIDATED)

    def valid_on(self, day: dt.date) -> EvidenceQuerySet:
        """Evidence valid on ``day``: ``achieved_date <= day < expires_date``."""
        return self.filter(
            Q(expires_date__isnull=True) | Q(expires_date__gt=day), achieved_date__lte=day
        )

    def counted_on(self, day: dt.date) -> EvidenceQuerySet:
        """Evidence that counts toward proficiency on ``day``: counting and valid that day.
        Same rule as ``competencies.selectors._sql.counted_evidence_on``."""
        return self.counting().valid_on(day)


@pgtrigger.register(
    pgtrigger.Protect(name="evidence_append_only", operation=pgtrigger.Delete),
    # The facts (who, what, which level, when, from where) never change ...
    pgtrigger.Protect(
        name="evidence_facts_frozen",
        operation=pgtrigger.Update,
        condition=pgtrigger.AnyChange(exclude=REVIEW_FIELDS),
    ),
    # ... and a review happens once: a validated or rejected row is final.
    pgtrigger.Protect(
        name="evidence_reviewed_once",
        operation=pgtrigger.Update,
        condition=pgtrigger.Condition("OLD.status <> 'provisional'"),
    ),
)
class Evidence(models.Model):
    """One piece of evidence that a person reached a level of a competency. Append-only: only
    its review (``status``, who, when, why) is written afterwards, once.

    A person's proficiency in a competency as of a date is the highest level among validated
    evidence valid on that date (``achieved_date <= date < expires_date``).
    """

    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("employee")
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("competency")
    )
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)
    source = models.CharField(_("source"), max_length=30, choices=EvidenceSource.choices)
    achieved_date = models.DateField(_("achieved on"))
    expires_date = models.DateField(_("expires on"), null=True, blank=True)
    validates = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="validations",
        verbose_name=_("validates self assessment"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EvidenceStatus.choices,
        default=EvidenceStatus.PROVISIONAL,
        db_default=EvidenceStatus.PROVISIONAL,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validated or rejected by"),
    )
    reviewed_at = models.DateTimeField(_("validated or rejected at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True, default="", db_default="")

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["employee", "competency", "-achieved_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="evidence_level_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(expires_date__isnull=True) | Q(expires_date__gt=F("achieved_date")),
                name="evidence_expires_after_achieved",
            ),
        ]
        indexes = [
            models.Index(
                fields=["employee", "competency", "level"],
                name="evidence_lookup",
                include=["achieved_date", "expires_date", "status"],
            ),
            models.Index(
                fields=["status", "recorded_at"],
                name="evidence_awaiting_review",
                condition=Q(status="provisional"),
            ),
            models.Index(fields=["recorded_at", "id"], name="evidence_recorded"),
        ]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return f"{self.competency_id} L{self.level} ({self.get_source_display()})"

    @property
    def counts(self) -> bool:
        return self.status == EvidenceStatus.VALIDATED

    @property
    def is_pending(self) -> bool:
        return self.status == EvidenceStatus.PROVISIONAL


class Proficiency(models.Model):
    """A person's counted level of a competency over an interval of days: from ``valid_from``
    (inclusive) to ``valid_to`` (exclusive; null while it still holds). Kept by PostgreSQL from
    the evidence, in the evidence's own transaction (``competencies.proficiency``); never
    written by Django. Gap, coverage, AKPK, export and summary queries read it instead of the
    evidence history."""

    #: A record, not content: Wagtail's reference index (the admin's "usage") would index it
    #: again, synchronously, on every save.
    wagtail_reference_index_ignore = True

    # No index of their own: the two below lead with each of them.
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    level = models.PositiveSmallIntegerField(validators=LEVEL_VALIDATORS)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            # Covering: an "as of" read of a person's rows never visits the table.
            models.UniqueConstraint(
                fields=["employee", "competency", "valid_from"],
                include=["level", "valid_to"],
                name="proficiency_interval",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="proficiency_interval_not_empty",
            ),
        ]
        indexes = [
            models.Index(
                fields=["competency", "valid_from"],
                name="proficiency_by_competency",
                include=["employee", "level", "valid_to"],
            ),
        ]
        verbose_name = _("proficiency")
        verbose_name_plural = _("proficiency")

    def __str__(self) -> str:
        return f"{self.employee_id}:{self.competency_id} L{self.level} from {self.valid_from}"


class SummaryRollup(models.Model):
    """The organisation summary's cell of one top unit and competency on the rollup's day
    (``SummaryRollupState.day``): kept by ``competencies.rollups``, never edited."""

    wagtail_reference_index_ignore = True

    #: The top unit's materialised path (``competencies.rollups.TOP_LEN`` characters).
    top_path = models.CharField(max_length=255)
    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    holders_required = models.PositiveIntegerField()
    holders_meeting = models.PositiveIntegerField()
    total_gap = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["top_path", "competency"], name="summary_rollup_cell")
        ]

    def __str__(self) -> str:
        return f"{self.top_path}:{self.competency_id}"


class SummaryRollupState(models.Model):
    """One row (id 1): the day the rollup's cells are for; none until the first refresh."""

    wagtail_reference_index_ignore = True

    day = models.DateField(null=True)

    def __str__(self) -> str:
        return f"rollup of {self.day}"


class SummaryRollupMark(models.Model):
    """What a committed write may have changed since the last refresh: a top unit as the
    writer saw it (its path; ``*``: every one), a person (their holdings' units) or a position
    (its unit), looked up when the marks are read (``competencies.rollups``). Inserted by
    triggers, taken away by the refresh; plain ids (the person may since have been deleted)
    and no uniqueness, so that writers never wait for one another on a mark."""

    wagtail_reference_index_ignore = True

    top_path = models.CharField(max_length=255, blank=True)
    employee_id = models.BigIntegerField(null=True)
    position_id = models.BigIntegerField(null=True)

    def __str__(self) -> str:
        return self.top_path or f"employee {self.employee_id} / position {self.position_id}"
