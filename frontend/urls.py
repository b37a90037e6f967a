from django.urls import path

from frontend import dashboard, learner, learning, problems, validation, verify, views
from identity import views as identity_views

app_name = "frontend"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", identity_views.LoginView.as_view(), name="login"),
    path("logout/", identity_views.LogoutView.as_view(), name="logout"),
    path("me/competencies/", learner.my_competencies, name="my_competencies"),
    path("me/history/", learner.my_history, name="my_history"),
    path("me/certificates/", learner.my_certificates, name="my_certificates"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/people/<int:employee_id>/", dashboard.person, name="dashboard_person"),
    path("dashboard/rotation/", dashboard.rotation, name="dashboard_rotation"),
    path("dashboard/akpk/", dashboard.akpk, name="dashboard_akpk"),
    path("dashboard/validation/", validation.validation_queue, name="dashboard_validation"),
    path("dashboard/akpk.csv", dashboard.akpk_csv_download, name="dashboard_akpk_csv"),
    path("dashboard/akpk.xlsx", dashboard.akpk_xlsx_download, name="dashboard_akpk_xlsx"),
    path("competencies/", views.competency_framework, name="competencies"),
    path("competencies/<str:code>/", views.competency_detail, name="competency"),
    # The ``type`` of the API's problem documents (core.api.problems.PROBLEMS_PATH).
    path("problems/", problems.problem_list, name="problems"),
    path("problems/<str:code>/", problems.problem_detail, name="problem"),
    path("verify/", verify.verify_form, name="verify_form"),
    path("verify/<str:code>/", verify.verify, name="verify"),
    path("verify/<str:code>/certificate.pdf", verify.verify_pdf, name="verify_pdf"),
    path("verify/<str:code>/credential.json", verify.verify_credential, name="verify_credential"),
    path("learn/courses/<int:course_id>/enroll/", learning.enroll, name="enroll"),
    path("learn/lessons/<int:lesson_id>/done/", learning.lesson_done, name="lesson_done"),
    path(
        "learn/lessons/<int:lesson_id>/quiz/<str:quiz_id>/start/",
        learning.quiz_start,
        name="quiz_start",
    ),
    path(
        "learn/lessons/<int:lesson_id>/quiz/<str:quiz_id>/",
        learning.quiz_submit,
        name="quiz_submit",
    ),
]
