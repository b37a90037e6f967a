"""The AKPK workflow through its pages: generate, edit, submit, verify, return, approve, who may
press which button on the day (a head who rotated out cannot), the frozen approved AKPK and
its new revision, and the totals the head sees change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from competencies.models import Assignment
from core import dates
from planning.models import AkpkPlan, AkpkRow, AkpkState
from tests.competencies.factories import EmployeeFactory, UserFactory, assign, unit
from tests.planning.conftest import YEAR, Office

LIST = "/planning/akpk/"


def generate(office: Office) -> AkpkPlan:
    response = office.client_for(office.kadis.user).post(
        LIST, {"org_unit": office.diskominfo.pk, "year": YEAR}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return AkpkPlan.objects.get(org_unit=office.diskominfo, year=YEAR, state=AkpkState.DRAFT)


def step(client: Client, plan: AkpkPlan, action: str, comment: str = "") -> int:
    response = client.post(
        f"/planning/akpk/{plan.pk}/transition/", {"action": action, "comment": comment}
    )
    return response.status_code


def state_of(plan: AkpkPlan) -> str:
    return AkpkPlan.objects.values_list("state", flat=True).get(pk=plan.pk)


def test_draft_to_approved_each_step_by_its_role(office: Office) -> None:
    plan = generate(office)
    head, hr, ppk = (office.client_for(u) for u in (office.kadis.user, office.hr, office.ppk))
    page = head.get(f"/planning/akpk/{plan.pk}/").content.decode()
    assert 'value="submit"' in page and 'value="approve"' not in page

    # Only the head submits: HR, the PPK's delegate, an outsider are refused, nothing changes.
    assert step(hr, plan, "submit") == 403
    assert step(ppk, plan, "submit") == 403
    assert step(office.client_for(office.outsider), plan, "submit") == 404  # not even visible
    assert step(head, plan, "approve") == 409  # a draft cannot be approved
    assert state_of(plan) == AkpkState.DRAFT
    assert step(head, plan, "submit") == 302
    assert state_of(plan) == AkpkState.SUBMITTED

    assert step(head, plan, "verify") == 403
    assert step(ppk, plan, "verify") == 403
    assert step(hr, plan, "verify", "Sesuai dengan hasil pemetaan.") == 302
    assert state_of(plan) == AkpkState.VERIFIED

    assert step(hr, plan, "approve") == 403
    assert step(head, plan, "approve") == 403
    assert step(ppk, plan, "approve", "Disetujui.") == 302
    assert state_of(plan) == AkpkState.APPROVED

    trail = list(plan.transitions.values_list("action", "from_state", "to_state", "actor_label"))
    assert trail == [
        ("generate", "", "draft", "Hendra Gunawan"),
        ("submit", "draft", "submitted", "Hendra Gunawan"),
        ("verify", "submitted", "verified", "hr"),
        ("approve", "verified", "approved", "ppk"),
    ]
    page = head.get(f"/planning/akpk/{plan.pk}/").content.decode()
    assert "Sesuai dengan hasil pemetaan." in page and "Disetujui." in page


def test_return_needs_a_comment_and_goes_back_to_draft(office: Office) -> None:
    plan = generate(office)
    head, hr, ppk = (office.client_for(u) for u in (office.kadis.user, office.hr, office.ppk))
    assert step(head, plan, "submit") == 302
    response = hr.post(f"/planning/akpk/{plan.pk}/transition/", {"action": "return"})
    assert response.status_code == 400
    assert "Say what must change" in response.content.decode()
    assert state_of(plan) == AkpkState.SUBMITTED
    assert step(hr, plan, "return", "Biaya pelatihan belum sesuai SBM.") == 302
    assert state_of(plan) == AkpkState.DRAFT
    # The head fixes and submits again; a verified one can be returned by the PPK's delegate.
    assert step(head, plan, "submit") == 302
    assert step(hr, plan, "verify") == 302
    assert step(hr, plan, "return", "x") == 403
    assert step(ppk, plan, "return", "Prioritaskan kompetensi kritis.") == 302
    assert state_of(plan) == AkpkState.DRAFT


def test_head_who_rotated_out_can_no_longer_act(office: Office) -> None:
    plan = generate(office)
    today = dates.today()
    # Hendra leaves the post yesterday; Sari becomes Kepala Dinas today.
    Assignment.objects.filter(employee=office.kadis).update(end_date=today - dt.timedelta(days=1))
    sari = EmployeeFactory(name="Sari Dewi", user=UserFactory(username="sari"))
    assign(sari, office.kadis_post, today, kind="promosi")
    old, new = office.client_for(office.kadis.user), office.client_for(sari.user)
    assert step(old, plan, "submit") == 404  # the plan is out of his reach now
    assert old.get(f"/planning/akpk/{plan.pk}/").status_code == 404
    assert state_of(plan) == AkpkState.DRAFT
    assert step(new, plan, "submit") == 302
    assert plan.transitions.last().actor_label == "Sari Dewi"


def test_a_head_of_another_unit_does_not_see_or_submit(office: Office) -> None:
    plan = generate(office)
    budi_user = UserFactory(username="budi")
    office.budi.user = budi_user
    office.budi.save(update_fields=["user"])
    client = office.client_for(budi_user)  # staff, not a head
    assert client.get(f"/planning/akpk/{plan.pk}/").status_code == 404
    assert step(client, plan, "submit") == 404
    assert client.post(LIST, {"org_unit": office.bappeda.pk, "year": YEAR}).status_code == 400
    assert not AkpkPlan.objects.filter(org_unit=office.bappeda).exists()


def test_head_edits_the_draft_and_sees_the_totals_change(office: Office) -> None:
    plan = generate(office)
    head = office.client_for(office.kadis.user)
    page = head.get(f"/planning/akpk/{plan.pk}/").content.decode()
    assert 'id="total-people">3<' in page
    # 4 rows: Ani db (e-learning default 10 JP), Ani sec (training 24), Budi sec (24), Hendra (8)
    assert 'id="total-jp">66<' in page
    row = AkpkRow.objects.get(plan=plan, employee=office.budi)
    form = {
        "development_form": "seminar",
        "path": "klasikal",
        "course": "",
        "planned_quarter": "3",
        "jp_hours": "16",
        "estimated_cost": "1500000",
        "priority": "2",
    }
    url = f"/planning/akpk/{plan.pk}/rows/{row.pk}/"
    bad = head.post(url, {**form, "planned_quarter": "5", "jp_hours": "-1"})
    assert bad.status_code == 400
    assert "errorlist" in bad.content.decode()
    row.refresh_from_db()
    assert row.jp_hours == 24  # nothing half-written
    assert head.post(url, form).status_code == 302
    row.refresh_from_db()
    assert (row.development_form, row.planned_quarter, row.jp_hours, row.estimated_cost) == (
        "seminar",
        3,
        16,
        1_500_000,
    )
    page = head.get(f"/planning/akpk/{plan.pk}/").content.decode()
    assert 'id="total-jp">58<' in page
    # Removing Budi's only row takes him out of the people count.
    remove = f"/planning/akpk/{plan.pk}/rows/{row.pk}/remove/"
    assert head.post(remove, {"removed": "1"}).status_code == 302
    page = head.get(f"/planning/akpk/{plan.pk}/").content.decode()
    assert 'id="total-people">2<' in page and 'id="total-jp">42<' in page
    assert head.post(remove, {"removed": "0"}).status_code == 302
    assert 'id="total-people">3<' in head.get(f"/planning/akpk/{plan.pk}/").content.decode()


def test_approved_akpk_is_frozen_and_a_new_revision_copies_it(office: Office) -> None:
    plan = generate(office)
    head, hr, ppk = (office.client_for(u) for u in (office.kadis.user, office.hr, office.ppk))
    for client, action in ((head, "submit"), (hr, "verify"), (ppk, "approve")):
        assert step(client, plan, action) == 302
    row = AkpkRow.objects.filter(plan=plan).first()
    url = f"/planning/akpk/{plan.pk}/rows/{row.pk}/"
    form = {
        "development_form": "coaching",
        "path": "nonklasikal",
        "planned_quarter": "2",
        "jp_hours": "4",
        "estimated_cost": "0",
        "priority": "3",
    }
    refused = head.post(url, form)
    assert refused.status_code == 409
    assert "no longer a draft" in refused.content.decode()
    head.post(f"/planning/akpk/{plan.pk}/rows/{row.pk}/remove/", {"removed": "1"})
    assert AkpkRow.objects.get(pk=row.pk).removed is False
    page = head.get(f"/planning/akpk/{plan.pk}/").content.decode()
    assert "approved and frozen" in page and "Open a new revision" in page

    response = head.post(f"/planning/akpk/{plan.pk}/revision/")
    revision = AkpkPlan.objects.get(org_unit=office.diskominfo, year=YEAR, revision=2)
    assert response.status_code == 302 and response["Location"] == f"/planning/akpk/{revision.pk}/"
    assert revision.state == AkpkState.DRAFT and revision.previous_id == plan.pk
    assert revision.rows.count() == plan.rows.count() == 4
    assert state_of(plan) == AkpkState.APPROVED
    # Only one open revision at a time; the approved one offers no second copy.
    again = head.post(f"/planning/akpk/{plan.pk}/revision/")
    assert again.status_code == 302
    assert AkpkPlan.objects.filter(org_unit=office.diskominfo, year=YEAR).count() == 2
    assert "Open a new revision" not in head.get(f"/planning/akpk/{plan.pk}/").content.decode()


def test_generating_twice_is_refused(office: Office) -> None:
    generate(office)
    response = office.client_for(office.kadis.user).post(
        LIST, {"org_unit": office.diskominfo.pk, "year": YEAR}
    )
    assert response.status_code == 400
    assert "already has an open AKPK" in response.content.decode()


@pytest.mark.parametrize("people", [1, 3])
def test_list_and_detail_query_counts_do_not_grow(
    office: Office, people: int, django_assert_num_queries
) -> None:
    for index in range(people):
        pd = unit(f"PD-{index}", kind="perangkat_daerah", name=f"Dinas {index}")
        AkpkPlan.objects.create(org_unit=pd, year=YEAR, gaps_as_of=dates.today())
    plan = generate(office)
    hr = office.client_for(office.hr)
    hr.get(LIST)  # warm the session
    with django_assert_num_queries(9):
        assert hr.get(LIST).status_code == 200
    with django_assert_num_queries(10):
        assert hr.get(f"/planning/akpk/{plan.pk}/").status_code == 200


def test_pages_speak_indonesian(office: Office) -> None:
    plan = generate(office)
    head = office.client_for(office.kadis.user)
    page = head.get(f"/planning/akpk/{plan.pk}/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    for text in ("Ajukan ke BKPSDM", "Jejak", "Draf dibuat", "Perkiraan biaya (Rp)", "Triwulan"):
        assert text in page, text
    english = head.get(f"/planning/akpk/{plan.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Submit to BKPSDM" in english
