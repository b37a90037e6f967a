"""The validation queue: provisional evidence of the people a head leads today (definitive or
Plt.), or of anyone for HR, to validate or reject with a note, one by one or in bulk.

A plain form posts to the same page and redirects back (post/redirect/get), so the queue works
without JavaScript. Who may review is ``competencies.access.evidence_reviewees``; a submitted
id outside it is refused as a whole (nothing is written), never silently skipped.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from competencies import selectors, services
from competencies.access import evidence_reviewees
from core.exceptions import ApplicationError
from frontend.dashboard import dashboard_scope

#: Provisional evidence rows per page of the queue.
QUEUE_ROWS_PER_PAGE = 50
#: The longest note a reviewer may write (the API's limit too).
NOTE_MAX_LENGTH = 2000


def _decisions(request: HttpRequest) -> tuple[bool, list[int], dict[int, str]] | str:
    """What the form asks: validate or reject, which evidence ids, and the note of each. A
    string is the reason the form is refused."""
    one = request.POST.get("decide", "")
    if one:  # a row's own button: "validate:<id>" or "reject:<id>"
        action, _sep, raw_id = one.partition(":")
        ids = [raw_id]
        notes = {raw_id: request.POST.get(f"note-{raw_id}", "")}
    else:
        action = request.POST.get("bulk", "")
        ids = request.POST.getlist("selected")
        if not ids:
            return _("Choose at least one piece of evidence.")
        shared = request.POST.get("bulk_note", "")
        notes = {raw: request.POST.get(f"note-{raw}", "").strip() or shared for raw in ids}
    if action not in ("validate", "reject"):
        return _("Choose validate or reject.")
    if not all(raw.isascii() and raw.isdigit() for raw in ids):
        return _("Choose evidence from the list.")
    if any(len(note) > NOTE_MAX_LENGTH for note in notes.values()):
        return _("A note has at most %(limit)s characters.") % {"limit": NOTE_MAX_LENGTH}
    return action == "validate", [int(raw) for raw in ids], {int(k): v for k, v in notes.items()}


def _review(request: HttpRequest, reviewable: Any) -> str | None:
    """Apply the posted decisions all together; the error message if nothing was written."""
    decisions = _decisions(request)
    if isinstance(decisions, str):
        return decisions
    validate, ids, notes = decisions
    items = {e.pk: e for e in reviewable.filter(pk__in=ids)}
    if len(items) != len(set(ids)):
        return _(
            "Some of the evidence chosen is no longer waiting for you (someone else reviewed "
            "it, or the person is not in your units). Nothing was changed."
        )
    try:
        with transaction.atomic():
            for pk in ids:
                services.evidence_review(
                    evidence=items[pk], reviewer=request.user, validate=validate, note=notes[pk]
                )
    except ApplicationError as exc:
        return str(exc)
    done = len(items)
    if validate:
        text = ngettext(
            "%(count)d piece of evidence validated: it counts from now on.",
            "%(count)d pieces of evidence validated: they count from now on.",
            done,
        )
    else:
        text = ngettext(
            "%(count)d piece of evidence rejected.", "%(count)d pieces of evidence rejected.", done
        )
    messages.success(request, text % {"count": done})
    return None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def validation_queue(request: HttpRequest) -> HttpResponse:
    scope = dashboard_scope(request)
    people = evidence_reviewees(user=request.user, as_of=scope.today)
    if "unit" in request.GET:
        people = selectors.employees_in_unit(
            people=people, org_unit_id=scope.unit.pk, as_of=scope.today
        )
    reviewable = selectors.evidence_awaiting_review(people=people)
    if request.method == "POST":
        error = _review(request, reviewable)
        if error:
            messages.error(request, error)
        return HttpResponseRedirect(request.get_full_path())
    page = Paginator(reviewable, QUEUE_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "frontend/dashboard/validation.html",
        {"scope": scope, "page": page, "note_max_length": NOTE_MAX_LENGTH},
    )
