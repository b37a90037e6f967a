"""The HR API for the competency matrix under ``/api/v1/``, one module per resource.

- ``framework``: competencies and their levels;
- ``organisation``: the org-unit tree;
- ``positions``: positions (jabatan) and their requirements;
- ``people``: people (ASN), one by one, and the lookup by NIP (in the body, never the URL);
- ``employees_bulk``: people in bulk by NIP (the rows validated here, written by
  ``competencies.bulk``);
- ``assignments``: position history and rotations;
- ``evidence``: evidence, its review (validate / reject) and the proficiency it gives;
- ``gaps``: gaps per person, per unit, and the organisation-wide export;
- ``rotation``: the impact of a planned move;
- ``akpk``: the annual competency-development needs analysis;
- ``_common``: what several of them share (the ``as_of`` parameter, visible people).

Each view validates with an input or filter serializer, makes one call into a service or
selector, and serializes the answer. ``competencies/urls.py`` routes to the views re-exported
here.
"""

from competencies.api.akpk import AkpkView
from competencies.api.assignments import AssignmentListCreate, EmployeeAssignments
from competencies.api.employees_bulk import EmployeeBulkUpsert
from competencies.api.evidence import (
    EmployeeCompetencies,
    EvidenceListCreate,
    EvidenceReject,
    EvidenceValidate,
)
from competencies.api.framework import CompetencyList
from competencies.api.gaps import EmployeeGaps, GapExport, UnitGaps
from competencies.api.organisation import OrgUnitList
from competencies.api.people import (
    EmployeeDetail,
    EmployeeListCreate,
    EmployeeLookup,
    EmployeeRanks,
)
from competencies.api.positions import PositionDetail, PositionListCreate
from competencies.api.rotation import RotationImpactView

__all__ = [
    "AkpkView",
    "AssignmentListCreate",
    "CompetencyList",
    "EmployeeAssignments",
    "EmployeeBulkUpsert",
    "EmployeeCompetencies",
    "EmployeeDetail",
    "EmployeeGaps",
    "EmployeeListCreate",
    "EmployeeLookup",
    "EmployeeRanks",
    "EvidenceListCreate",
    "EvidenceReject",
    "EvidenceValidate",
    "GapExport",
    "OrgUnitList",
    "PositionDetail",
    "PositionListCreate",
    "RotationImpactView",
    "UnitGaps",
]
