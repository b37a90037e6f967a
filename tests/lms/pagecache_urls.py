"""A page whose building writes (``tests/lms/test_pagecache.py``): each visit counts itself."""

from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse
from django.urls import path


def counted(request: HttpRequest) -> HttpResponse:
    Group.objects.create(name=f"visit {Group.objects.count() + 1}")
    return HttpResponse(f"visits: {Group.objects.count()}")


def plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"visits: {Group.objects.count()}")


urlpatterns = [path("counted/", counted, name="counted"), path("plain/", plain, name="plain")]
