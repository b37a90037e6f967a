"""Every step of a development plan through HTTP, and who may take it: the person starts,
edits and signs; a head of their unit on the day signs it off or returns it with a comment;
an agreed plan is read-only; a colleague, HR, the person themselves and a head who rotated
out cannot sign."""

from __future__ import annotations

import datetime as dt

from competencies.models import Assignment
from competencies.services import assignment_end
from core import dates
from development.models import DevelopmentPlan, PlanActivity, PlanGoal, PlanStatus
from tests.competencies.factories import EmployeeFactory, PositionFactory, UserFactory, assign
from tests.development.conftest import login, plan_with_course, submitted_plan


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_the_person_starts_a_plan_with_goals_from_their_counted_gaps(city, budi) -> None:
    client = login(budi.user)
    page = client.get("/me/plan/")
    assert page.status_code == 200
    assert "Mulai rencana saya untuk" in page.content.decode()

    response = client.post("/me/plan/create/", follow=True)
    plan = DevelopmentPlan.objects.get(employee=budi)
    assert plan.year == dates.today().year and plan.status == PlanStatus.DRAFT
    # Budi holds TIK-05 at 2 where his post requires 3 (critical); TIK-13 he meets.
    assert [(g.competency.code, g.target_level, g.origin) for g in plan.goals.all()] == [
        ("TIK-05", 3, "gap")
    ]
    assert [(t.from_status, t.to_status, t.actor) for t in plan.transitions.all()] == [
        ("", "draft", budi.user)
    ]
    assert "TIK-05" in response.content.decode()

    again = client.post("/me/plan/create/", follow=True)
    assert "sudah memiliki rencana pengembangan" in " ".join(_messages(again))
    assert DevelopmentPlan.objects.filter(employee=budi).count() == 1


def test_a_login_without_a_person_has_no_plan_page(db) -> None:
    client = login(UserFactory(username="tamu"))
    assert client.get("/me/plan/").status_code == 403
    assert client.post("/me/plan/create/").status_code == 403
    assert not DevelopmentPlan.objects.exists()


def test_goals_and_activities_explain_bad_input_and_change_nothing(city, budi, course) -> None:
    client = login(budi.user)
    client.post("/me/plan/create/")
    plan = DevelopmentPlan.objects.get(employee=budi)
    year = plan.year

    bad_goal = client.post(
        "/me/plan/goals/",
        {
            "goal-competency": city.db.pk,
            "goal-target_level": "4",
            "goal-target_date": f"{year + 1}-03-01",
        },
    )
    assert bad_goal.status_code == 400
    form = bad_goal.context["goal_form"]
    assert "sudah memiliki sasaran" in str(form.errors)
    assert PlanGoal.objects.filter(plan=plan).count() == 1

    wrong_year = client.post(
        "/me/plan/goals/",
        {
            "goal-competency": city.lead.pk,
            "goal-target_level": "2",
            "goal-target_date": f"{year + 1}-03-01",
        },
    )
    assert wrong_year.status_code == 400
    assert "target_date" in wrong_year.context["goal_form"].errors
    unknown_post = client.post(
        "/me/plan/goals/",
        {
            "goal-competency": city.lead.pk,
            "goal-target_level": "2",
            "goal-target_date": f"{year}-10-01",
            "goal-target_position": "NO-SUCH-POST",
        },
    )
    assert "target_position" in unknown_post.context["goal_form"].errors
    assert PlanGoal.objects.filter(plan=plan).count() == 1

    good = client.post(
        "/me/plan/goals/",
        {
            "goal-competency": city.lead.pk,
            "goal-target_level": "2",
            "goal-target_date": f"{year}-10-01",
            "goal-target_position": city.ketua_post.code,
        },
    )
    assert good.status_code == 302
    goal = PlanGoal.objects.get(plan=plan, competency=city.lead)
    assert (goal.origin, goal.target_position) == ("target_position", city.ketua_post)

    no_course = client.post(
        "/me/plan/activities/",
        {"activity-kind": "course", "activity-target_date": f"{year}-09-01"},
    )
    assert no_course.status_code == 400
    assert "course" in no_course.context["activity_form"].errors
    no_title = client.post(
        "/me/plan/activities/",
        {"activity-kind": "coaching", "activity-target_date": f"{year}-09-01"},
    )
    assert "title" in no_title.context["activity_form"].errors
    assert not PlanActivity.objects.filter(plan=plan).exists()

    added = client.post(
        "/me/plan/activities/",
        {
            "activity-kind": "course",
            "activity-course": course.pk,
            "activity-goal": goal.pk,
            "activity-target_date": f"{year}-09-01",
        },
    )
    assert added.status_code == 302
    activity = PlanActivity.objects.get(plan=plan)
    assert (activity.title, activity.course_id, activity.goal_id) == (
        course.title,
        course.pk,
        goal.pk,
    )

    client.post(f"/me/plan/activities/{activity.pk}/remove/")
    client.post(f"/me/plan/goals/{goal.pk}/remove/")
    assert not PlanActivity.objects.filter(plan=plan).exists()
    assert not PlanGoal.objects.filter(plan=plan, competency=city.lead).exists()


def test_the_person_cannot_sign_an_empty_plan(city, budi) -> None:
    client = login(budi.user)
    client.post("/me/plan/create/")
    response = client.post("/me/plan/submit/", follow=True)
    assert "Tambahkan paling sedikit satu kegiatan" in " ".join(_messages(response))
    assert DevelopmentPlan.objects.get(employee=budi).status == PlanStatus.DRAFT


def test_sign_off_by_the_person_then_the_head_and_the_agreed_plan_is_read_only(
    city, budi, course
) -> None:
    plan = plan_with_course(city, course)
    person = login(budi.user)
    signed = person.post("/me/plan/submit/", {"submit-comment": "Siap dilaksanakan"}, follow=True)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.employee_signed_at is not None
    assert "Anda sudah menandatangani rencana" in " ".join(_messages(signed))

    # Signed and waiting: the person can no longer change it.
    goal = plan.goals.get()
    refused = person.post(f"/me/plan/goals/{goal.pk}/remove/", follow=True)
    assert "tidak dapat diubah lagi" in " ".join(_messages(refused))
    assert plan.goals.count() == 1

    head = login(city.kabid.user)
    listing = head.get("/dashboard/plans/")
    assert listing.status_code == 200
    [row] = [r for r in listing.context["rows"] if r.employee_id == budi.pk]
    assert row.status == "submitted" and row.plan_id == plan.pk
    review = head.get(f"/dashboard/plans/{plan.pk}/")
    assert review.status_code == 200 and review.context["may_sign"] is True

    agreed = head.post(f"/dashboard/plans/{plan.pk}/agree/", {"agree-comment": ""}, follow=True)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED
    assert plan.supervisor == city.kabid.user and plan.supervisor_signed_at is not None
    assert "rencana disetujui" in " ".join(_messages(agreed))
    assert [t.to_status for t in plan.transitions.all()] == ["draft", "submitted", "agreed"]
    assert [t.comment for t in plan.transitions.all()][1] == "Siap dilaksanakan"

    # Agreed: read-only for everyone, and no second sign-off or return.
    year = plan.year
    for url, data in [
        (
            "/me/plan/goals/",
            {
                "goal-competency": city.lead.pk,
                "goal-target_level": "2",
                "goal-target_date": f"{year}-10-01",
            },
        ),
        (f"/me/plan/goals/{goal.pk}/remove/", {}),
        (f"/me/plan/activities/{plan.activities.first().pk}/remove/", {}),
        ("/me/plan/submit/", {}),
    ]:
        person.post(url, data)
    assert (
        head.post(f"/dashboard/plans/{plan.pk}/return/", {"return-comment": "Ubah"}).status_code
        == 302
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED
    assert plan.goals.count() == 1 and plan.activities.count() == 2
    assert plan.transitions.count() == 3
    page = person.get("/me/plan/")
    assert "goal_form" not in page.context and "Tambah sasaran" not in page.content.decode()


def test_the_head_returns_with_a_comment_and_the_person_signs_again(city, budi, course) -> None:
    plan = submitted_plan(city, course)
    head = login(city.citra.user)  # Ketua Tim of EGOV: heads Budi's own unit

    empty = head.post(f"/dashboard/plans/{plan.pk}/return/", {"return-comment": "  "})
    assert empty.status_code == 400
    assert "comment" in empty.context["return_form"].errors
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED

    head.post(
        f"/dashboard/plans/{plan.pk}/return/",
        {"return-comment": "Tambahkan pelatihan keamanan dari BSSN."},
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.employee_signed_at is None
    last = plan.transitions.last()
    assert (last.actor, last.comment) == (
        city.citra.user,
        "Tambahkan pelatihan keamanan dari BSSN.",
    )

    person = login(budi.user)
    page = person.get("/me/plan/")
    assert "Tambahkan pelatihan keamanan dari BSSN." in page.content.decode()
    assert "goal_form" in page.context  # editable again
    person.post("/me/plan/submit/")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_who_may_not_sign(city, budi, course, hr_user) -> None:
    plan = submitted_plan(city, course)
    # A colleague without a head post sees neither the plan nor the buttons.
    colleague = login(city.ani.user)
    assert colleague.get(f"/dashboard/plans/{plan.pk}/").status_code == 403
    assert colleague.post(f"/dashboard/plans/{plan.pk}/agree/").status_code == 403
    assert colleague.get("/dashboard/plans/").status_code == 403
    # HR reads every plan but is not the person's supervisor.
    hr = login(hr_user)
    review = hr.get(f"/dashboard/plans/{plan.pk}/")
    assert review.status_code == 200 and review.context["may_sign"] is False
    refused = hr.post(f"/dashboard/plans/{plan.pk}/agree/", follow=True)
    assert "Hanya kepala unit pegawai" in " ".join(_messages(refused))
    # The person cannot sign their own plan off.
    own = login(budi.user).post(f"/dashboard/plans/{plan.pk}/agree/", follow=True)
    assert "Hanya kepala unit pegawai" in " ".join(_messages(own))
    # A head of another perangkat daerah does not see the person at all.
    other_head = EmployeeFactory(name="Kepala BKPSDM", user=UserFactory(username="kabkpsdm"))
    assign(other_head, PositionFactory(org_unit=city.bkpsdm, is_head=True), dt.date(2020, 1, 1))
    assert login(other_head.user).post(f"/dashboard/plans/{plan.pk}/agree/").status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.supervisor is None


def test_a_head_who_rotated_out_can_no_longer_sign(city, budi, course) -> None:
    plan = submitted_plan(city, course)
    today = dates.today()
    kabid_post = Assignment.objects.get(employee=city.kabid, position=city.kabid_post)
    assignment_end(assignment=kabid_post, end_date=today - dt.timedelta(days=1))
    successor = EmployeeFactory(name="Kabid Baru", user=UserFactory(username="kabid-baru"))
    assign(successor, city.kabid_post, today, kind="rotasi")

    gone = login(city.kabid.user)
    assert gone.get(f"/dashboard/plans/{plan.pk}/").status_code == 403
    assert gone.post(f"/dashboard/plans/{plan.pk}/agree/").status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED

    login(successor.user).post(f"/dashboard/plans/{plan.pk}/agree/")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED and plan.supervisor == successor.user
