from django.contrib.auth import views as auth_views
from django.urls import path

from frontend import learning, views

app_name = "frontend"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="frontend/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("learn/courses/<int:course_id>/enroll/", learning.enroll, name="enroll"),
    path("learn/lessons/<int:lesson_id>/done/", learning.lesson_done, name="lesson_done"),
    path(
        "learn/lessons/<int:lesson_id>/quiz/<str:quiz_id>/",
        learning.quiz_submit,
        name="quiz_submit",
    ),
]
