"""Views for people. Each calls selectors or services of the domain apps and renders a page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/home.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


def competency_framework(request: HttpRequest) -> HttpResponse:
    """The public competency dictionary: what each level means (alignment targets of
    certificates point here)."""
    from competencies.models import Competency

    competencies = Competency.objects.filter(is_active=True).order_by("kind", "code")
    return render(request, "frontend/competency_list.html", {"competencies": competencies})


def competency_detail(request: HttpRequest, code: str) -> HttpResponse:
    from django.shortcuts import get_object_or_404

    from competencies.models import Competency

    competency = get_object_or_404(Competency.objects.prefetch_related("levels"), code=code.upper())
    return render(request, "frontend/competency_detail.html", {"competency": competency})
