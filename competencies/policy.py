"""The evidence policy: which evidence counts at once, which waits for a reviewer, and which
is refused. Every writer of evidence asks here (``services.evidence_record``), the data
migration that classified the evidence recorded before the policy asks here, and the gap
queries count what it lets count (``status = 'validated'``). docs/EVIDENCE.md says the same
for people.

The rules follow Indonesian practice: managerial and socio-cultural levels come from a
competency assessment (assessment centre, *uji kompetensi*) or a supervisor's judgement,
never from an online course.

- Assessment, supervisor validation, HR validation and
  records migrated from an earlier system count at once.
- A course (completion) may award only **technical** competencies. Up to the ceiling
  (``EVIDENCE_COURSE_LEVEL_CEILING``, level 2 by default) it counts at once; above the ceiling
  it is provisional until a supervisor or HR validates it.
- Self assessments and external certificates are provisional until validated.
- Managerial and socio-cultural evidence comes only from assessment, supervisor or HR
  validation (or migration, which carries those records over): a course or an external
  certificate is refused for them. A self assessment may claim any kind; it waits for a
  reviewer like every self assessment.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from competencies.models import CompetencyKind, EvidenceSource, EvidenceStatus

#: Sources whose evidence counts as soon as it is recorded.
TRUSTED_SOURCES = frozenset(
    {
        EvidenceSource.ASSESSMENT,
        EvidenceSource.SUPERVISOR_VALIDATION,
        EvidenceSource.HR_VALIDATION,
        EvidenceSource.MIGRATION,
    }
)
#: Sources that may record evidence of a managerial or socio-cultural competency.
NON_TECHNICAL_SOURCES = TRUSTED_SOURCES | {EvidenceSource.SELF_ASSESSMENT}


@dataclass(frozen=True)
class Decision:
    """What the policy says about a piece of evidence: its status, or why it is refused."""

    status: str | None
    refusal: str = ""

    @property
    def refused(self) -> bool:
        return self.status is None


def course_level_ceiling() -> int:
    """The highest level a course completion records as counting without a reviewer."""
    return int(settings.EVIDENCE_COURSE_LEVEL_CEILING)


def evidence_decision(*, source: str, competency_kind: str, level: int) -> Decision:
    """The status new evidence starts with, or why it may not be recorded at all."""
    if competency_kind != CompetencyKind.TECHNICAL and source not in NON_TECHNICAL_SOURCES:
        return Decision(
            status=None,
            refusal=str(
                _(
                    "Managerial and socio-cultural levels come from a competency assessment or "
                    "a supervisor's or HR's validation, not from a course or a certificate."
                )
            ),
        )
    if source in TRUSTED_SOURCES:
        return Decision(EvidenceStatus.VALIDATED)
    if source == EvidenceSource.COURSE_COMPLETION and level <= course_level_ceiling():
        return Decision(EvidenceStatus.VALIDATED)
    return Decision(EvidenceStatus.PROVISIONAL)


def needs_review(*, source: str, competency_kind: str, level: int) -> bool:
    """True when evidence like this waits for a supervisor or HR before it counts."""
    return (
        evidence_decision(source=source, competency_kind=competency_kind, level=level).status
        == EvidenceStatus.PROVISIONAL
    )
