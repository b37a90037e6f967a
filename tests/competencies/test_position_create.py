"""``services.position_create`` with the post's requirements: one insert whatever their
number, the last word on a competency named twice, and nothing created when one is invalid."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from competencies import services
from competencies.exceptions import InvalidLevelError
from competencies.models import Position, PositionKind, PositionRequirement
from tests.competencies.factories import CompetencyFactory, unit


def _create(code: str, requirements: list) -> Position:
    return services.position_create(
        code=code,
        title=f"Jabatan {code}",
        org_unit=unit("UNIT-A"),
        kind=PositionKind.FUNCTIONAL,
        requirements=requirements,
    )


@pytest.mark.django_db
def test_requirements_in_one_insert_and_the_last_word_wins() -> None:
    first, second, third = CompetencyFactory.create_batch(3)
    position = _create("POS-1", [(first, 2, False), (second, 3, True), (first, 4, True)])
    assert set(
        PositionRequirement.objects.filter(position=position).values_list(
            "competency", "required_level", "is_critical"
        )
    ) == {(first.pk, 4, True), (second.pk, 3, True)}

    counts = []
    for code, requirements in [
        ("POS-2", [(first, 1, False)]),
        ("POS-3", [(c, 2, False) for c in (first, second, third)]),
    ]:
        with CaptureQueriesContext(connection) as queries:
            _create(code, requirements)
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_an_invalid_level_creates_nothing() -> None:
    good, bad = CompetencyFactory.create_batch(2)
    with pytest.raises(InvalidLevelError) as raised:
        _create("POS-X", [(good, 2, False), (bad, 6, False)])
    assert raised.value.errors[0].field == "required_level"
    assert not Position.objects.filter(code="POS-X").exists()
    assert not PositionRequirement.objects.exists()
