"""Reads of partner providers, offerings and requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from providers.models import OfferingCompetency, mou_valid_on


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
