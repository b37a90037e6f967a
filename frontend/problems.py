"""``/problems/``: the pages a problem document's ``type`` points at, one per error code of
the HR API (``core.api.problems``), in the site's languages, for the people who build
integrations."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from core.api.problems import problem_type_get, problem_type_list


def problem_list(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/problem_list.html", {"problems": problem_type_list()})


def problem_detail(request: HttpRequest, code: str) -> HttpResponse:
    problem = problem_type_get(code=code)
    if problem is None:
        raise Http404(code)
    return render(request, "frontend/problem_detail.html", {"problem": problem})
