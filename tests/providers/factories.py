"""Partners, offerings and requests for the provider tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from competencies.models import Competency
from providers.models import (
    DevelopmentForm,
    DevelopmentPath,
    Offering,
    OfferingCompetency,
    Provider,
    ProviderKind,
)


def make_provider(name: str = "Badan Siber dan Sandi Negara", **fields: Any) -> Provider:
    fields.setdefault("kind", ProviderKind.GOVERNMENT)
    fields.setdefault("mou_number", "B-123/BSSN/HK.02.02/11/2026")
    return Provider.objects.create(name=name, **fields)


def make_offering(
    provider: Provider,
    title: str = "Pelatihan Keamanan Siber",
    *,
    builds: list[tuple[Competency, int]] = (),
    jp: str = "24",
    cost: str = "0",
    **fields: Any,
) -> Offering:
    fields.setdefault("path", DevelopmentPath.CLASSICAL)
    fields.setdefault("form", DevelopmentForm.TRAINING)
    if "start_date" not in fields and "link" not in fields:
        fields["link"] = "https://example.go.id/daftar"
    offering = Offering.objects.create(
        provider=provider, title=title, jp_hours=Decimal(jp), cost=Decimal(cost), **fields
    )
    for order, (competency, level) in enumerate(builds):
        OfferingCompetency.objects.create(
            offering=offering, competency=competency, level=level, sort_order=order
        )
    return offering


DAY = dt.date(2026, 6, 15)
