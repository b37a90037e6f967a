"""Views for people. Each calls selectors or services of the domain apps and renders a page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views import defaults

from certificates.selectors import certificates_for
from competencies.access import employee_for_user
from competencies.models import Competency
from core.api.errors import api_bad_request, api_not_found, api_server_error
from courses.selectors import in_progress, learning_hours, recommendations
from frontend.learner import by_course

#: How many recommended courses and recent certificates the home page shows.
HOME_RECOMMENDATIONS = 3
HOME_CERTIFICATES = 3


def home(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors get the landing page; a civil servant gets their learning home:
    courses in progress, this year's JP against the target, courses for their gaps, and their
    latest certificates."""
    if not request.user.is_authenticated:
        return render(request, "frontend/home.html")
    employee = employee_for_user(user=request.user)
    if employee is None:
        return render(request, "frontend/home.html", {"not_linked": True})
    today = timezone.localdate()
    return render(
        request,
        "frontend/learner_home.html",
        {
            "employee": employee,
            "today": today,
            "in_progress": in_progress(employee=employee),
            "hours": learning_hours(employee=employee, year=today.year),
            "suggestions": by_course(recommendations(employee=employee, as_of=today))[
                :HOME_RECOMMENDATIONS
            ],
            "certificates": list(certificates_for(employee=employee)[:HOME_CERTIFICATES]),
        },
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return api_bad_request(request)
    return defaults.bad_request(request, exception)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return api_not_found(request)
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The site's 403 page, with the reason when the view gave one."""
    reason = str(exception) if exception is not None and exception.args else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return api_server_error(request)
    return render(request, "500.html", status=500)


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


def competency_framework(request: HttpRequest) -> HttpResponse:
    """The public competency dictionary: what each level means (alignment targets of
    certificates point here)."""
    competencies = Competency.objects.filter(is_active=True).order_by("kind", "code")
    return render(request, "frontend/competency_list.html", {"competencies": competencies})


def competency_detail(request: HttpRequest, code: str) -> HttpResponse:
    competency = get_object_or_404(Competency.objects.prefetch_related("levels"), code=code.upper())
    return render(request, "frontend/competency_detail.html", {"competency": competency})
