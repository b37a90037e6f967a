"""``/api/v1/``: each app's operations (paths are part of the contract; see docs/API.md)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from certificates import api as certificates
from competencies import api as competencies
from courses import api as courses
from lms.api import webhooks

urlpatterns = [
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[], authentication_classes=[]),
        name="api-schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(
            url_name="api-schema", permission_classes=[], authentication_classes=[]
        ),
        name="api-docs",
    ),
    path("competencies/", competencies.CompetencyList.as_view()),
    path("org-units/", competencies.OrgUnitList.as_view()),
    path("org-units/<int:pk>/gaps/", competencies.UnitGaps.as_view()),
    path("positions/", competencies.PositionListCreate.as_view()),
    path("positions/<int:pk>/", competencies.PositionDetail.as_view()),
    path("employees/", competencies.EmployeeListCreate.as_view()),
    path("employees/bulk/", competencies.EmployeeBulkUpsert.as_view()),
    path("employees/<int:pk>/", competencies.EmployeeDetail.as_view()),
    path("employees/<int:pk>/assignments/", competencies.EmployeeAssignments.as_view()),
    path("employees/<int:pk>/competencies/", competencies.EmployeeCompetencies.as_view()),
    path("employees/<int:pk>/gaps/", competencies.EmployeeGaps.as_view()),
    path("assignments/", competencies.AssignmentListCreate.as_view()),
    path("evidence/", competencies.EvidenceCreate.as_view()),
    path("gaps/export/", competencies.GapExport.as_view()),
    path("rotation-impact/", competencies.RotationImpactView.as_view()),
    path("akpk/", competencies.AkpkView.as_view()),
    path("courses/", courses.CourseList.as_view()),
    path("enrollments/", courses.EnrollmentList.as_view()),
    path("learning-hours/", courses.LearningHoursList.as_view()),
    path("learning-records/", courses.LearningRecordCreate.as_view()),
    path("certificates/", certificates.CertificateListCreate.as_view()),
    path("certificates/verify/<str:code>/", certificates.CertificateVerify.as_view()),
    path("certificates/<uuid:pk>/", certificates.CertificateDetail.as_view()),
    path("certificates/<uuid:pk>/revoke/", certificates.CertificateRevoke.as_view()),
    path("webhooks/", webhooks.WebhookListCreate.as_view()),
    path("webhooks/<int:pk>/", webhooks.WebhookDelete.as_view()),
]
