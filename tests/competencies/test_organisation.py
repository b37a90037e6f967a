"""The organisation tree, positions and their requirements, and people."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from competencies import services
from competencies.exceptions import (
    DuplicateNipError,
    InvalidLevelError,
    InvalidNipError,
    UnitCycleError,
)
from competencies.models import Employee, OrgUnit, PositionRequirement
from tests.competencies.factories import CompetencyFactory, PositionFactory, make_nip, require, unit

pytestmark = pytest.mark.django_db


def test_a_unit_cannot_move_under_its_own_descendant() -> None:
    dinas = unit("DINAS", kind="perangkat_daerah")
    bidang = unit("DINAS-B", parent=dinas)
    seksi = unit("DINAS-B-S", parent=bidang, kind="seksi")
    before = list(OrgUnit.objects.order_by("path").values_list("code", "path"))
    for target in (seksi, bidang, dinas):
        with pytest.raises(UnitCycleError):
            services.org_unit_move(org_unit=dinas, new_parent=target)
    assert list(OrgUnit.objects.order_by("path").values_list("code", "path")) == before


def test_moving_a_unit_moves_its_subtree() -> None:
    a = unit("A", kind="perangkat_daerah")
    b = unit("B", kind="perangkat_daerah")
    child = unit("A-1", parent=a)
    grandchild = unit("A-1-X", parent=child, kind="seksi")
    services.org_unit_move(org_unit=child, new_parent=b)
    grandchild.refresh_from_db()
    assert grandchild.path.startswith(OrgUnit.objects.get(code="B").path)


def test_a_required_level_outside_one_to_five_is_refused_by_service_and_database() -> None:
    position, skill = PositionFactory(), CompetencyFactory()
    for bad in (0, 6):
        with pytest.raises(InvalidLevelError):
            require(position, skill, bad)
    with pytest.raises(IntegrityError, match="requirement_level_1_to_5"), transaction.atomic():
        PositionRequirement.objects.create(position=position, competency=skill, required_level=7)
    assert not PositionRequirement.objects.exists()


def test_requirement_changes_are_audited() -> None:
    position, skill = PositionFactory(), CompetencyFactory()
    requirement = require(position, skill, 2)
    services.requirement_set(
        position=position, competency=skill, required_level=3, reason="SKJ 2025"
    )
    events = list(
        requirement.events.order_by("pgh_id").values_list(
            "pgh_label", "required_level", "position_id"
        )
    )
    assert events == [("insert", 2, position.pk), ("update", 3, position.pk)]


def test_a_unit_has_at_most_one_head() -> None:
    place = unit("HEADS")
    PositionFactory(org_unit=place, is_head=True)
    with pytest.raises(IntegrityError, match="position_one_head_per_unit"), transaction.atomic():
        PositionFactory(org_unit=place, is_head=True)


def test_an_invalid_nip_is_refused_with_its_reason() -> None:
    with translation.override("en"), pytest.raises(InvalidNipError) as raised:
        services.employee_create(nip="19660801198803 3 001", name="Budi")
    assert raised.value.errors[0].field == "nip"
    assert "Digit 15" in str(raised.value)
    assert not Employee.objects.exists()


def test_a_duplicate_nip_is_refused() -> None:
    nip = make_nip()
    services.employee_create(nip=nip, name="Siti Rahayu")
    with pytest.raises(DuplicateNipError):
        services.employee_create(nip=nip, name="Siti Rahayu (lagi)")
    assert Employee.objects.count() == 1


def test_the_employment_type_follows_the_nip() -> None:
    assert services.employee_create(nip="200012312024211001", name="Rina").employment_type == "pppk"
    assert services.employee_create(nip=make_nip(), name="Agus").employment_type == "pns"
