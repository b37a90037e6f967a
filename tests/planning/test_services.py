"""The workflow's services: the generated draft, who may take each step, frozen plans,
revisions. The pages and API tests go through HTTP; these pin the rules underneath."""

from __future__ import annotations

from planning import services
from planning.models import AkpkRow, AkpkState, DevelopmentForm
from tests.planning.conftest import YEAR
from tests.providers.factories import make_offering, make_provider


def test_generate_snapshots_each_counted_gap_with_defaults(
    office, django_assert_max_num_queries
) -> None:
    # 17: one of them reads the agreed development plans (development.selectors.agreed_goals).
    with django_assert_max_num_queries(17):
        plan = services.akpk_plan_generate(
            org_unit=office.diskominfo, year=YEAR, user=office.kadis.user
        )
    rows = {(r.name, r.competency_code): r for r in AkpkRow.objects.filter(plan=plan)}
    assert sorted(rows) == [
        ("Ani Wulandari", "TIK-05"),
        ("Ani Wulandari", "TIK-13"),
        ("Budi Santoso", "TIK-13"),
        ("Hendra Gunawan", "M.01"),
    ]
    ani_db = rows["Ani Wulandari", "TIK-05"]
    assert (ani_db.required_level, ani_db.current_level, ani_db.gap, ani_db.is_critical) == (
        3,
        2,
        1,
        True,
    )
    assert ani_db.nip == office.ani.nip and ani_db.rank == "III/b"
    assert ani_db.priority == 1 and ani_db.planned_quarter == 1
    budi_sec = rows["Budi Santoso", "TIK-13"]
    assert budi_sec.development_form == DevelopmentForm.TRAINING and budi_sec.path == "klasikal"
    assert (budi_sec.jp_hours, budi_sec.estimated_cost) == (24, 3_500_000)
    assert rows["Hendra Gunawan", "M.01"].development_form == DevelopmentForm.COACHING
    assert plan.state == AkpkState.DRAFT and plan.revision == 1
    assert plan.transitions.get().action == "generate"


def test_a_partner_offering_is_the_default_provider_where_it_builds_the_level(office) -> None:
    bssn = make_provider()
    offering = make_offering(
        bssn,
        "Pelatihan Manajemen Keamanan Informasi",
        builds=[(office.sec, 2)],
        jp="32.5",
        cost="4250000",
    )
    plan = services.akpk_plan_generate(
        org_unit=office.diskominfo, year=YEAR, user=office.kadis.user
    )
    budi_sec = AkpkRow.objects.get(plan=plan, employee=office.budi, competency=office.sec)
    assert budi_sec.offering_id == offering.pk and budi_sec.course_id is None
    assert (budi_sec.jp_hours, budi_sec.estimated_cost, budi_sec.path) == (
        33,
        4_250_000,
        "klasikal",
    )


def test_goals_of_agreed_development_plans_are_planned_first_in_their_quarter(office) -> None:
    """The approved IDPs feed the draft: a gap the person and their head agreed to close is
    high priority, planned in the quarter of the goal's target date; a draft IDP counts not."""
    import datetime as dt

    from django.utils import timezone

    from development.models import DevelopmentPlan, GoalOrigin, PlanGoal, PlanStatus

    signed = timezone.now()
    for employee, status in ((office.budi, PlanStatus.AGREED), (office.ani, PlanStatus.DRAFT)):
        idp = DevelopmentPlan.objects.create(
            employee=employee,
            year=YEAR,
            status=status,
            employee_signed_at=signed if status == PlanStatus.AGREED else None,
            supervisor=office.kadis.user if status == PlanStatus.AGREED else None,
            supervisor_signed_at=signed if status == PlanStatus.AGREED else None,
        )
        PlanGoal.objects.create(
            plan=idp,
            competency=office.sec,
            target_level=2,
            origin=GoalOrigin.GAP,
            target_date=dt.date(YEAR, 8, 31),
        )
    plan = services.akpk_plan_generate(
        org_unit=office.diskominfo, year=YEAR, user=office.kadis.user
    )
    budi = AkpkRow.objects.get(plan=plan, employee=office.budi, competency=office.sec)
    ani = AkpkRow.objects.get(plan=plan, employee=office.ani, competency=office.sec)
    assert (budi.priority, budi.planned_quarter) == (1, 3)
    assert (ani.priority, ani.planned_quarter) == (2, 2)  # the default for a gap of 2
