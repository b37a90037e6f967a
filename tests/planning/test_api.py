"""The AKPK workflow through the API: plans with their state and totals, a plan's rows
(cursor-paged), and the steps for HR systems (scope akpk:write) with problem documents."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from planning import services
from planning.models import AkpkPlan, AkpkState
from tests.api.conftest import new_client, token_for
from tests.planning.conftest import YEAR, Office


def bearer(scopes: str) -> APIClient:
    client_id, secret = new_client(f"SIMPEG {scopes}", scopes)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(client_id, secret)['access_token']}")
    return client


@pytest.fixture
def plan(office: Office) -> AkpkPlan:
    return services.akpk_plan_generate(
        org_unit=office.diskominfo, year=YEAR, user=office.kadis.user
    )


def test_plans_list_with_state_and_totals(
    office: Office, plan: AkpkPlan, django_assert_num_queries
) -> None:
    client = bearer("gaps:read")
    client.get("/api/v1/akpk/plans/")  # the token's first use is looked up once
    with django_assert_num_queries(3):
        response = client.get(f"/api/v1/akpk/plans/?year={YEAR}")
    assert response.status_code == 200, response.content
    [item] = response.json()["results"]
    assert item["state"] == "draft" and item["org_unit_code"] == "DISKOMINFO"
    assert (item["people"], item["gaps"], item["jp_total"], item["cost_total"]) == (
        3,
        4,
        66,
        7_000_000,
    )
    services.akpk_plan_generate(org_unit=office.bappeda, year=YEAR, user=office.hr)
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/akpk/plans/").json()["results"]) == 2
    assert bearer("gaps:read").get("/api/v1/akpk/plans/?state=approved").json()["results"] == []
    assert bearer("gaps:read").get("/api/v1/akpk/plans/?state=nope").status_code == 400


def test_rows_are_cursor_paged_with_the_new_columns(office: Office, plan: AkpkPlan) -> None:
    client = bearer("gaps:read")
    first = client.get(f"/api/v1/akpk/plans/{plan.pk}/rows/?page_size=3").json()
    assert len(first["results"]) == 3 and first["next"]
    second = client.get(first["next"]).json()
    rows = first["results"] + second["results"]
    assert len(rows) == 4 and second["next"] is None
    row = next(r for r in rows if r["name"] == "Ani Wulandari" and r["competency_code"] == "TIK-05")
    assert row["nip"] == office.ani.nip and row["rank"] == "III/b"
    assert {k: row[k] for k in ("gap", "is_critical", "priority", "planned_quarter", "path")} == {
        "gap": 1,
        "is_critical": True,
        "priority": 1,
        "planned_quarter": 1,
        "path": "nonklasikal",
    }
    assert client.get("/api/v1/akpk/plans/999999/rows/").status_code == 404


def test_an_hr_system_verifies_and_gets_problems_for_wrong_steps(
    office: Office, plan: AkpkPlan
) -> None:
    client = bearer("akpk:write")
    url = f"/api/v1/akpk/plans/{plan.pk}/transitions/"
    early = client.post(url, {"action": "verify"}, format="json")
    assert early.status_code == 409
    assert early["Content-Type"].startswith("application/problem+json")
    problem = early.json()
    assert problem["code"] == "akpk_invalid_transition"
    assert problem["type"].endswith("/problems/akpk_invalid_transition/")
    assert problem["errors"][0]["field"] == "action"

    refused = client.post(url, {"action": "submit"}, format="json")  # the head's step
    assert refused.status_code == 403 and refused.json()["code"] == "akpk_action_not_allowed"
    services.akpk_plan_transition(plan_id=plan.pk, action="submit", user=office.kadis.user)
    assert client.post(url, {"action": "approve"}, format="json").status_code == 409
    no_comment = client.post(url, {"action": "return"}, format="json")
    assert no_comment.status_code == 400
    assert no_comment.json()["errors"][0]["field"] == "comment"
    bad = client.post(url, {"action": "publish"}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "action"

    done = client.post(url, {"action": "verify", "comment": "Lengkap."}, format="json")
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["to_state"] == "verified" and body["plan"]["state"] == "verified"
    assert body["by"].startswith("API: ")
    assert AkpkPlan.objects.get(pk=plan.pk).state == AkpkState.VERIFIED
    # A read-only client may not take steps.
    assert (
        bearer("gaps:read")
        .post(url, {"action": "return", "comment": "x"}, format="json")
        .status_code
        == 403
    )


def test_people_take_their_own_steps_through_the_api(office: Office, plan: AkpkPlan) -> None:
    url = f"/api/v1/akpk/plans/{plan.pk}/transitions/"
    head, ppk = APIClient(), APIClient()
    head.force_login(office.kadis.user)
    ppk.force_login(office.ppk)
    assert head.post(url, {"action": "submit"}, format="json").status_code == 200
    assert ppk.post(url, {"action": "verify"}, format="json").status_code == 403
    services.akpk_plan_transition(plan_id=plan.pk, action="verify", user=office.hr)
    assert ppk.post(url, {"action": "approve"}, format="json").status_code == 200
    assert head.post(url, {"action": "return", "comment": "x"}, format="json").status_code == 409
