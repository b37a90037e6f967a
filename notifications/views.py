"""The pages of notifications: a person's list (``/me/notifications/``), their choices
(``/me/notifications/settings/``) and the one-click unsubscribe of a mail
(``/notifications/unsubscribe/<token>/``, RFC 8058: a POST without login or CSRF token).

Plain forms that post and redirect back, so everything works without JavaScript. Each view
makes one call into the domain.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import NotFoundError, ValidationError
from notifications import kinds, selectors, services


def _back(request: HttpRequest) -> HttpResponseRedirect:
    page = request.POST.get("page", "")
    url = reverse("notifications:list")
    return HttpResponseRedirect(f"{url}?page={page}" if page.isdigit() else url)


@never_cache
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page, lines = selectors.notification_page(user=request.user, page=request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "lines": lines})


@require_POST
@login_required
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    try:
        services.notification_mark_read(user=request.user, notification_id=notification_id)
    except NotFoundError:
        messages.error(request, _("That notification is not in your list."))
    return _back(request)


@require_POST
@login_required
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("Every notification is marked as read."))
    return _back(request)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        language = request.POST.get("language", "")
        choices = {
            kind.code: (
                request.POST.get(f"email-{kind.code}") == "on",
                request.POST.get(f"digest-{kind.code}") == "on",
            )
            for kind in kinds.wired_kinds()
        }
        try:
            services.preferences_set(user=request.user, language=language, choices=choices)
        except ValidationError:
            messages.error(request, _("Choose the language of your e-mails from the list."))
        else:
            messages.success(request, _("Your notification settings are saved."))
            return HttpResponseRedirect(reverse("notifications:settings"))
    language, choices = selectors.preferences_of(user=request.user)
    return render(
        request, "notifications/settings.html", {"language": language, "choices": choices}
    )


@csrf_exempt  # RFC 8058: mail clients post the one-click unsubscribe without a session
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "GET":
            services.unsubscribe_token_read(token=token)
            return render(request, "notifications/unsubscribe.html", {"done": False})
        _user_id, code = services.unsubscribe(token=token)
    except ValidationError:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    title = _("Weekly digest") if code == kinds.DIGEST else kinds.kind_for(code).title
    return render(request, "notifications/unsubscribe.html", {"done": True, "title": title})
