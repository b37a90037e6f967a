"""Reads of partner providers, offerings and requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from competencies.models import Competency, Employee
from competencies.selectors import GapRow
from providers.models import (
    OPEN_REQUEST_STATUSES,
    Offering,
    OfferingCompetency,
    OfferingRequest,
    Provider,
    mou_valid_on,
)


@dataclass(frozen=True)
class OfferingOption:
    """A partner offering as an option to develop one competency (to ``level``)."""

    id: int
    title: str
    provider_name: str
    jp: Decimal
    cost: Decimal
    path: str
    form: str
    level: int


def offerings_by_competency(
    *, competency_ids: Iterable[int], day: dt.date
) -> dict[int, list[OfferingOption]]:
    """The partner offerings that build each of ``competency_ids``, as options on ``day``:
    active offerings, not yet ended on ``day``, of active providers whose MoU is valid on
    ``day`` (or has no period). Ordered by level, then cost, then title. One query; a
    competency no offering builds is absent from the answer."""
    ids = list(competency_ids)
    options: dict[int, list[OfferingOption]] = {}
    if not ids:
        return options
    links = (
        OfferingCompetency.objects.filter(
            mou_valid_on(day, "offering__provider__"),
            Q(offering__end_date__isnull=True) | Q(offering__end_date__gte=day),
            competency_id__in=ids,
            offering__is_active=True,
            offering__provider__is_active=True,
        )
        .order_by("competency_id", "level", "offering__cost", "offering__title", "offering_id")
        .values_list(
            "competency_id",
            "offering_id",
            "offering__title",
            "offering__provider__name",
            "offering__jp_hours",
            "offering__cost",
            "offering__path",
            "offering__form",
            "level",
        )
    )
    for competency_id, offering_id, title, provider, jp, cost, path, form, level in links:
        options.setdefault(competency_id, []).append(
            OfferingOption(
                id=offering_id,
                title=title,
                provider_name=provider,
                jp=jp,
                cost=cost,
                path=path,
                form=form,
                level=level,
            )
        )
    return options


# --- Pages ----------------------------------------------------------------------------------


def _requestable(day: dt.date) -> Q:
    """Offerings a person can see and request on ``day``."""
    return (
        mou_valid_on(day, "provider__")
        & (Q(end_date__isnull=True) | Q(end_date__gte=day))
        & Q(is_active=True, provider__is_active=True)
    )


def _with_competencies(offerings: QuerySet[Offering]) -> QuerySet[Offering]:
    return offerings.select_related("provider").prefetch_related(
        Prefetch(
            "competencies",
            queryset=OfferingCompetency.objects.select_related("competency").order_by(
                "sort_order", "id"
            ),
        )
    )


def offering_list(
    *,
    day: dt.date,
    competency_id: int | None = None,
    path: str = "",
    provider_id: int | None = None,
) -> list[Offering]:
    """The partner catalogue on ``day``: requestable offerings with their provider and
    competencies, optionally only those building ``competency_id``, on ``path``, or of
    ``provider_id``. Two queries, whatever the number of offerings."""
    offerings = Offering.objects.filter(_requestable(day))
    if competency_id is not None:
        offerings = offerings.filter(competencies__competency_id=competency_id)
    if path:
        offerings = offerings.filter(path=path)
    if provider_id is not None:
        offerings = offerings.filter(provider_id=provider_id)
    return list(_with_competencies(offerings.distinct()).order_by("provider__name", "title", "id"))


def offering_filter_choices(*, day: dt.date) -> tuple[list[Provider], list[Competency]]:
    """The providers and competencies the catalogue can be filtered by on ``day`` (those of
    requestable offerings)."""
    offerings = Offering.objects.filter(_requestable(day))
    providers = list(Provider.objects.filter(offerings__in=offerings).distinct().order_by("name"))
    competencies = list(
        Competency.objects.filter(offering_links__offering__in=offerings)
        .distinct()
        .order_by("code")
    )
    return providers, competencies


def offering_get(*, offering_id: int, day: dt.date) -> Offering | None:
    """One offering of the catalogue on ``day``, or ``None`` when it is not (or no longer) in
    it."""
    return _with_competencies(Offering.objects.filter(_requestable(day), pk=offering_id)).first()


def open_request_for(*, employee: Employee | None, offering: Offering) -> OfferingRequest | None:
    """The person's open request for ``offering``, if any."""
    if employee is None:
        return None
    return OfferingRequest.objects.filter(
        employee=employee, offering=offering, status__in=OPEN_REQUEST_STATUSES
    ).first()


def _requests() -> QuerySet[OfferingRequest]:
    return OfferingRequest.objects.select_related(
        "offering__provider", "employee", "decided_by", "learning_record"
    )


def requests_of(*, employee: Employee) -> list[OfferingRequest]:
    """A person's own requests, newest first. One query."""
    return list(_requests().filter(employee=employee).order_by("-requested_at", "-id"))


def request_queue(*, status: str = "") -> list[OfferingRequest]:
    """The requests HR works on: with ``status``, only those; otherwise the open ones (waiting
    for a decision, then approved and waiting for completion), oldest first. One query."""
    requests = _requests()
    if status:
        return list(requests.filter(status=status).order_by("-updated_at", "-id")[:200])
    return list(
        requests.filter(status__in=OPEN_REQUEST_STATUSES).order_by("-status", "requested_at", "id")
    )


@dataclass
class PartnerSuggestion:
    """A partner offering with the gaps of a person it helps close."""

    option: OfferingOption
    gaps: list[GapRow] = field(default_factory=list)


def partner_suggestions(
    *, gaps: Iterable[GapRow], day: dt.date, limit: int = 5
) -> list[PartnerSuggestion]:
    """Partner offerings that raise a person's level on their open gaps (an offering attesting
    a level above the person's current one), grouped by offering, those closing most gaps
    first, then the cheapest. One query."""
    open_gaps = {row.competency_id: row for row in gaps if row.gap > 0}
    grouped: dict[int, PartnerSuggestion] = {}
    for competency_id, options in offerings_by_competency(
        competency_ids=list(open_gaps), day=day
    ).items():
        gap = open_gaps[competency_id]
        for option in options:
            if option.level <= gap.proficiency:
                continue
            entry = grouped.setdefault(option.id, PartnerSuggestion(option))
            if gap not in entry.gaps:
                entry.gaps.append(gap)
    ranked = sorted(grouped.values(), key=lambda s: (-len(s.gaps), s.option.cost, s.option.title))
    return ranked[:limit]


# --- Report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderActivity:
    """What one partner did for the city: its offerings, the people who asked for them, how
    many were approved, completed and the JP recorded."""

    provider_id: int
    name: str
    kind: str
    offerings: int
    requests: int
    participants: int
    approved: int
    completions: int
    jp_recorded: Decimal


def provider_activity(*, year: int | None = None) -> list[ProviderActivity]:
    """Per partner (all of them, by name): offerings, requests made (in ``year`` when given),
    distinct people who asked, requests approved or completed, completions and their JP. Two
    queries, whatever the number of partners and requests; the evaluation scores of the
    completed training are the evaluations app's to add (it sits above this one)."""
    requests = OfferingRequest.objects.all()
    if year is not None:
        requests = requests.filter(requested_at__year=year)
    counted = {
        row["offering__provider_id"]: row
        for row in requests.values("offering__provider_id").annotate(
            requests=Count("id"),
            participants=Count("employee_id", distinct=True),
            approved=Count("id", filter=Q(status__in=["approved", "completed"])),
            completions=Count("id", filter=Q(status="completed")),
            jp_recorded=Sum("learning_record__jp_hours", filter=Q(status="completed")),
        )
    }
    providers = Provider.objects.annotate(offering_count=Count("offerings")).order_by("name")
    rows = []
    for provider in providers:
        row = counted.get(provider.pk, {})
        rows.append(
            ProviderActivity(
                provider_id=provider.pk,
                name=provider.name,
                kind=provider.kind,
                offerings=provider.offering_count,
                requests=row.get("requests", 0),
                participants=row.get("participants", 0),
                approved=row.get("approved", 0),
                completions=row.get("completions", 0),
                jp_recorded=row.get("jp_recorded") or Decimal(0),
            )
        )
    return rows
