"""The competency matrix's operations under ``/api/v1/`` (paths are part of the contract; see
docs/API.md). The project mounts ``api_urlpatterns`` in ``lms/urls.py``."""

from django.urls import path

from competencies import api

api_urlpatterns = [
    path("competencies/", api.CompetencyList.as_view()),
    path("org-units/", api.OrgUnitList.as_view()),
    path("org-units/<int:pk>/gaps/", api.UnitGaps.as_view()),
    path("positions/", api.PositionListCreate.as_view()),
    path("positions/<int:pk>/", api.PositionDetail.as_view()),
    path("employees/", api.EmployeeListCreate.as_view()),
    path("employees/bulk/", api.EmployeeBulkUpsert.as_view()),
    path("employees/lookup/", api.EmployeeLookup.as_view()),
    path("employees/<int:pk>/", api.EmployeeDetail.as_view()),
    path("employees/<int:pk>/assignments/", api.EmployeeAssignments.as_view()),
    path("employees/<int:pk>/ranks/", api.EmployeeRanks.as_view()),
    path("employees/<int:pk>/competencies/", api.EmployeeCompetencies.as_view()),
    path("employees/<int:pk>/gaps/", api.EmployeeGaps.as_view()),
    path("assignments/", api.AssignmentListCreate.as_view()),
    path("evidence/", api.EvidenceListCreate.as_view()),
    path("evidence/<int:pk>/validate/", api.EvidenceValidate.as_view()),
    path("evidence/<int:pk>/reject/", api.EvidenceReject.as_view()),
    path("gaps/export/", api.GapExport.as_view()),
    path("rotation-impact/", api.RotationImpactView.as_view()),
    path("akpk/", api.AkpkView.as_view()),
]
