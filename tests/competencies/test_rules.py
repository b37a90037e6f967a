"""The two rules every gap query shares, written once in ``competencies.selectors._sql``:
counted evidence on a day, and the definitive holders of a post on a day. The SQL fragments
agree with their ORM twins, and every read of a unit obeys them.

And the rank rule, written once in ``competencies.models.validate_rank_for``: a PNS holds a
golongan (I/a to IV/e), a PPPK a grade (I to XVII), whichever way a person is written (the
services, the admin; the bulk API and the imports are tested with their interfaces)."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
from django.test import Client
from django.utils import translation

from competencies import selectors, services
from competencies.demo import hr_group
from competencies.models import Assignment, AssignmentKind, Employee, Evidence
from competencies.selectors import _sql
from core.exceptions import ValidationError
from tests.competencies.conftest import DAY
from tests.competencies.factories import (
    CompetencyFactory,
    EmployeeFactory,
    PositionFactory,
    UserFactory,
    assign,
    evidence,
    make_nip,
    unit,
)

pytestmark = pytest.mark.django_db

#: Days around the boundaries the rules are about.
DAYS = [
    dt.date(2019, 12, 31),
    dt.date(2020, 1, 1),
    dt.date(2021, 6, 30),
    dt.date(2022, 1, 1),
    dt.date(2023, 12, 31),
    dt.date(2024, 1, 1),
]


def sql_ids(table: str, alias: str, condition: str, day: dt.date) -> set[int]:
    sql = f"SELECT {alias}.id FROM {table} {alias} WHERE {condition}"  # noqa: S608
    return {row[0] for row in _sql.rows(sql, _sql.params(day=day))}


def test_counted_evidence_is_the_same_rule_in_sql_and_in_the_orm() -> None:
    person, skill = EmployeeFactory(), CompetencyFactory()
    evidence(person, skill, 2, achieved=dt.date(2020, 1, 1))
    evidence(person, skill, 3, achieved=dt.date(2020, 1, 1), expires=dt.date(2024, 1, 1))
    evidence(person, skill, 4, achieved=dt.date(2022, 1, 1), source="self_assessment")
    evidence(person, skill, 5, achieved=dt.date(2021, 6, 30), expires=dt.date(2022, 1, 1))
    for day in DAYS:
        orm = set(Evidence.objects.counted_on(day).values_list("pk", flat=True))
        assert sql_ids("competencies_evidence", "ev", _sql.COUNTED_EVIDENCE, day) == orm, day
    # Valid from the achieved date; the expiry date is the first day it no longer counts; a
    # self assessment never counts by itself.
    assert sorted(e.level for e in Evidence.objects.counted_on(dt.date(2021, 6, 30))) == [2, 3, 5]
    assert sorted(e.level for e in Evidence.objects.counted_on(dt.date(2024, 1, 1))) == [2]


def test_a_definitive_holding_is_the_same_rule_in_sql_and_in_the_orm() -> None:
    post = PositionFactory(org_unit=unit("RULES"))
    other = PositionFactory(org_unit=post.org_unit)
    ani, budi = EmployeeFactory(), EmployeeFactory()
    assign(ani, post, dt.date(2020, 1, 1), end=dt.date(2021, 6, 30))
    assign(ani, other, dt.date(2021, 7, 1))
    assign(budi, post, dt.date(2022, 1, 1))
    assign(budi, other, dt.date(2020, 1, 1), kind=AssignmentKind.ACTING, end=dt.date(2023, 12, 31))
    for day in DAYS:
        orm = set(Assignment.objects.definitive().active_on(day).values_list("pk", flat=True))
        assert sql_ids("competencies_assignment", "a", _sql.DEFINITIVE_HOLDING, day) == orm, day
    # The end date is the last day held; an acting (Plt.) assignment is no holding.
    held = Assignment.objects.definitive().active_on(dt.date(2021, 6, 30))
    assert [(a.employee, a.position) for a in held] == [(ani, post)]


def test_no_statement_names_the_acting_kind_itself() -> None:
    """The acting kind reaches SQL only as the ``%(acting)s`` parameter from ``params()``."""
    literal = f"'{AssignmentKind.ACTING.value}'"
    statements = [
        value
        for module in (
            selectors.people,
            selectors.units,
            selectors.rotation,
            selectors.organisation,
            _sql,
        )
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str) and "competencies_" in value
    ]
    assert len(statements) >= 10
    assert not [s for s in statements if literal in s]
    assert _sql.params()["acting"] == AssignmentKind.ACTING
    assert "kind <> %(acting)s" in _sql.DEFINITIVE_HOLDING
    assert literal not in inspect.getsource(_sql)


def test_an_acting_holder_is_not_a_holder_in_any_read_of_a_unit(
    city, django_assert_num_queries
) -> None:
    """Dedi acts (Plt.) as a Pranata Komputer of EGOV while holding his own post elsewhere."""
    before = {
        "matrix": selectors.gap_matrix_for_unit(org_unit=city.aptika, as_of=DAY),
        "trend": selectors.unit_trend(org_unit=city.aptika, as_of=DAY, quarters=2),
        "due": selectors.rotation_due(org_unit=city.aptika, as_of=DAY, years=0),
        "summary": selectors.org_summary(as_of=DAY),
        "readiness": selectors.unit_readiness_for_position(
            org_unit=city.aptika, position=city.analis_post, as_of=DAY
        ),
        "akpk": selectors.akpk_rows(org_unit=city.aptika, year=DAY.year, as_of=DAY),
    }
    assign(city.dedi, city.pk_post, dt.date(2024, 6, 1), kind=AssignmentKind.ACTING)
    with django_assert_num_queries(4):
        matrix = selectors.gap_matrix_for_unit(org_unit=city.aptika, as_of=DAY)
    assert "Dedi Siregar" not in {row.name for row in matrix.rows}
    assert matrix.coverage == before["matrix"].coverage
    [vacancy] = matrix.vacancies
    assert (vacancy.title, vacancy.holders) == ("Pranata Komputer", 2)
    assert selectors.unit_trend(org_unit=city.aptika, as_of=DAY, quarters=2) == before["trend"]
    due = selectors.rotation_due(org_unit=city.aptika, as_of=DAY, years=0)
    assert due == before["due"]
    assert "Dedi Siregar" not in {row.name for row in due}
    assert selectors.org_summary(as_of=DAY) == before["summary"]
    readiness = selectors.unit_readiness_for_position(
        org_unit=city.aptika, position=city.analis_post, as_of=DAY
    )
    assert readiness == before["readiness"]
    akpk = selectors.akpk_rows(org_unit=city.aptika, year=DAY.year, as_of=DAY)
    assert akpk == before["akpk"]
    # The person's own page still shows the post they act in (acting is a real task).
    assert {g.position for g in selectors.employee_gaps(employee=city.dedi, as_of=DAY)} == {
        city.analis_post,
        city.pk_post,
    }


def test_expired_evidence_does_not_count_in_any_read(city) -> None:
    """Budi's level 5 in TIK-05 expires on 1 December 2024: before, his gap is closed; from
    that day on, he is back at level 2 (required 3) everywhere."""
    evidence(city.budi, city.db, 5, achieved=dt.date(2023, 6, 1), expires=dt.date(2024, 12, 1))
    for day, gap in ((dt.date(2024, 11, 30), 0), (dt.date(2024, 12, 1), 1), (DAY, 1)):
        [held] = selectors.employee_gaps(employee=city.budi, as_of=day)
        assert {row.code: row.gap for row in held.rows}["TIK-05"] == gap, day
        matrix = selectors.gap_matrix_for_unit(org_unit=city.egov, as_of=day)
        budi = next(row for row in matrix.rows if row.employee_id == city.budi.pk)
        assert budi.cells[city.db.pk].gap == gap, day
        meeting = {row.code: row.holders_meeting for row in matrix.coverage}["TIK-05"]
        assert meeting == 3 - gap, day  # Ani, Citra, and Budi while his level counts
        [point] = selectors.unit_trend(org_unit=city.egov, as_of=day, quarters=1)
        assert point.total_gap == matrix.total_gap, day
        summary = {(row.top_unit_name, row.code): row for row in selectors.org_summary(as_of=day)}
        assert summary[(city.diskominfo.name, "TIK-05")].holders_meeting == 3 - gap, day
        akpk = selectors.akpk_rows(org_unit=city.egov, year=day.year, as_of=day)
        listed = (city.budi.pk, "TIK-05") in {(r.employee_id, r.code) for r in akpk}
        assert listed == bool(gap), day


# --- A PNS holds a golongan, a PPPK a grade -------------------------------------------------


def pppk_nip() -> str:
    """An NI PPPK: born 15 June 1995, appointed in 2021, first contract."""
    return make_nip(birth="19950615", appointed="202121")


def test_a_pppk_is_written_with_any_grade_up_to_xvii_and_a_pns_with_a_golongan() -> None:
    pppk = services.employee_create(nip=pppk_nip(), name="Rina PPPK", rank="XVII")
    assert (pppk.employment_type, pppk.rank) == ("pppk", "XVII")
    assert services.employee_update(employee=pppk, data={"rank": "I"}).rank == "I"
    pns = services.employee_create(nip=make_nip(), name="Agus PNS", rank="IV/e")
    assert (pns.employment_type, pns.rank) == ("pns", "IV/e")


@pytest.mark.parametrize(
    ("nip", "rank", "words"),
    [(make_nip, "IX", "is a PPPK grade"), (pppk_nip, "III/a", "is a PNS golongan")],
)
def test_a_rank_of_the_other_employment_type_is_refused_on_the_rank(nip, rank, words) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.employee_create(nip=nip(), name="Salah Golongan", rank=rank)
    [error] = raised.value.errors
    assert (error.field, error.code) == ("rank", "rank_employment_type")
    assert words in str(error.message)
    assert not Employee.objects.exists()
    # Changing the rank of someone already recorded obeys the same rule.
    person = services.employee_create(nip=nip(), name="Sudah Ada")
    with pytest.raises(ValidationError) as raised:
        services.employee_update(employee=person, data={"rank": rank})
    assert [(e.field, e.code) for e in raised.value.errors] == [("rank", "rank_employment_type")]
    person.refresh_from_db()
    assert person.rank == ""


def test_the_admin_form_checks_the_rank_against_the_type_the_nip_gives(client: Client) -> None:
    user = UserFactory(username="hr-ranks")
    user.groups.add(hr_group())
    client.force_login(user)
    pppk, pns = pppk_nip(), make_nip()
    form = {"name": "Dewi", "status": "active"}
    refused = client.post("/admin/employees/new/", {**form, "nip": pns, "rank": "XVII"})
    assert refused.status_code == 200
    assert "adalah golongan PPPK" in " ".join(refused.context["form"].errors["rank"])
    assert "adalah golongan PPPK" in refused.content.decode()
    refused = client.post("/admin/employees/new/", {**form, "nip": pppk, "rank": "III/a"})
    assert refused.status_code == 200
    assert "adalah golongan/ruang PNS" in " ".join(refused.context["form"].errors["rank"])
    assert not Employee.objects.exists()
    accepted = client.post("/admin/employees/new/", {**form, "nip": pppk, "rank": "XVII"})
    assert accepted.status_code == 302
    assert Employee.objects.get(nip=pppk).employment_type == "pppk"
