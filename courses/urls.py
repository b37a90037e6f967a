"""The courses' operations under ``/api/v1/`` (see docs/API.md); course pages themselves are
Wagtail pages, served by Wagtail's catch-all. The project mounts ``api_urlpatterns``."""

from django.urls import path

from courses import api

api_urlpatterns = [
    path("courses/", api.CourseList.as_view()),
    path("enrollments/", api.EnrollmentList.as_view()),
    path("learning-hours/", api.LearningHoursList.as_view()),
    path("learning-records/", api.LearningRecordCreate.as_view()),
]
