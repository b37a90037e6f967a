"""``agreed_goals`` (what the next AKPK draft reads) and the notifications a change of state
sends: signed → whoever may sign it that day; agreed or returned → the person."""

from __future__ import annotations

import datetime as dt

from core import dates
from development import selectors, services
from development.models import ActivityKind, PlanStatus
from notifications import kinds
from notifications.models import Notification
from tests.development.conftest import plan_with_course, submitted_plan


def test_agreed_goals_reads_only_agreed_plans_in_one_query(
    city, budi, course, django_assert_num_queries
) -> None:
    plan = submitted_plan(city, course)
    year = plan.year
    with django_assert_num_queries(1):
        assert selectors.agreed_goals(year=year, employee_ids=[budi.pk, city.ani.pk]) == {}
    services.plan_agree(plan=plan, actor=city.kabid.user)
    with django_assert_num_queries(1):
        goals = selectors.agreed_goals(year=year, employee_ids=iter([budi.pk, city.ani.pk]))
    [goal] = goals[budi.pk]
    assert (goal.competency_id, goal.target_level, goal.target_date) == (
        city.db.pk,
        3,
        dt.date(year, 12, 31),
    )
    # Neither activity is tied to the goal yet.
    assert goal.activity_kinds == () and goal.activity_titles == ()
    assert selectors.agreed_goals(year=year - 1, employee_ids=[budi.pk]) == {}
    with django_assert_num_queries(0):
        assert selectors.agreed_goals(year=year, employee_ids=[]) == {}


def test_agreed_goals_carry_their_activities_in_date_order(city, budi, course) -> None:
    plan = plan_with_course(city, course)
    goal = plan.goals.get()
    today = dates.today()
    for title, month in (("Magang di BSSN", 9), ("Coaching basis data", 4)):
        services.activity_add(
            plan=plan,
            actor=budi.user,
            kind=ActivityKind.ASSIGNMENT if month == 9 else ActivityKind.COACHING,
            title=title,
            goal=goal,
            target_date=today.replace(month=month, day=1),
        )
    services.plan_submit(plan=plan, actor=budi.user)
    services.plan_agree(plan=plan, actor=city.citra.user)
    [agreed] = selectors.agreed_goals(year=plan.year, employee_ids=[budi.pk])[budi.pk]
    assert agreed.activity_kinds == ("coaching", "assignment")
    assert agreed.activity_titles == ("Coaching basis data", "Magang di BSSN")


def test_the_signers_of_a_plan_follow_the_post_on_the_day(city, budi) -> None:
    today = dates.today()
    # Budi's team (EGOV) is led by Citra, under Aptika led by the Kabid: both may sign.
    assert selectors.plan_signer_ids(employee_id=budi.pk, day=today) == sorted(
        [city.citra.user_id, city.kabid.user_id]
    )
    # Citra's own plan: only the Kabid (never herself).
    assert selectors.plan_signer_ids(employee_id=city.citra.pk, day=today) == [city.kabid.user_id]
    # Before the Kabid took the post (2019), nobody headed Aptika.
    assert selectors.plan_signer_ids(employee_id=city.ani.pk, day=dt.date(2018, 6, 1)) == []


def test_each_change_of_state_tells_whoever_must_act_next(
    city, budi, course, django_capture_on_commit_callbacks
) -> None:
    plan = plan_with_course(city, course)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_submit(plan=plan, actor=budi.user)
    told = Notification.objects.filter(kind=kinds.DEVELOPMENT_PLAN_ACTION)
    assert sorted(told.all().values_list("recipient_id", flat=True)) == sorted(
        [city.citra.user_id, city.kabid.user_id]
    )
    assert {n.link for n in told.all()} == {f"/dashboard/plans/{plan.pk}/"}
    assert {n.params["status"] for n in told.all()} == {"submitted"}

    with django_capture_on_commit_callbacks(execute=True):
        services.plan_return(plan=plan, actor=city.citra.user, comment="Tambahkan target tanggal.")
    [returned] = told.filter(recipient=budi.user)
    assert (returned.link, returned.params["status"]) == ("/me/plan/", PlanStatus.RETURNED)

    with django_capture_on_commit_callbacks(execute=True):
        services.plan_submit(plan=plan, actor=budi.user)
        services.plan_agree(plan=plan, actor=city.kabid.user)
    assert told.filter(recipient=budi.user).count() == 2  # returned, then agreed
    assert told.filter(recipient=city.kabid.user).count() == 2  # signed twice
    assert told.count() == 6
    assert kinds.kind_for(kinds.DEVELOPMENT_PLAN_ACTION).wired
