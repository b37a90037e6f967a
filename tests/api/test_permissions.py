"""The permission matrix of docs/API.md, cell by cell: anonymous, a civil servant (their own
person only), a head of unit (their subtree today, read only; a unit as of today or the days
they held its post; a what-if in their units from today on), HR staff (everything), and API
clients (only their scopes)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core import dates
from tests.competencies.factories import EmployeeFactory, PositionFactory, UserFactory, assign

# (operation, method, path, body, required scope)
OPERATIONS = {
    "competencies": ("get", "/api/v1/competencies/", None, "gaps:read"),
    "org_units": ("get", "/api/v1/org-units/", None, "employees:read"),
    "positions_list": ("get", "/api/v1/positions/", None, "employees:read"),
    "positions_create": ("post", "/api/v1/positions/", "position", "employees:write"),
    "employees_list": ("get", "/api/v1/employees/", None, "employees:read"),
    "employee_self": ("get", "/api/v1/employees/{ani}/", None, "employees:read"),
    "employee_in_subtree": ("get", "/api/v1/employees/{budi}/", None, "employees:read"),
    "employee_outside": ("get", "/api/v1/employees/{dedi}/", None, "employees:read"),
    "employee_patch": ("patch", "/api/v1/employees/{budi}/", "patch", "employees:write"),
    "employees_bulk": ("post", "/api/v1/employees/bulk/", "bulk", "employees:write"),
    "assignments_create": ("post", "/api/v1/assignments/", "assignment", "employees:write"),
    "evidence_create": ("post", "/api/v1/evidence/", "evidence", "employees:write"),
    "gaps_self": ("get", "/api/v1/employees/{ani}/gaps/", None, "gaps:read"),
    "gaps_in_subtree": ("get", "/api/v1/employees/{budi}/gaps/", None, "gaps:read"),
    "gaps_outside": ("get", "/api/v1/employees/{dedi}/gaps/", None, "gaps:read"),
    "unit_gaps_own": ("get", "/api/v1/org-units/{aptika}/gaps/", None, "gaps:read"),
    "unit_gaps_other": ("get", "/api/v1/org-units/{bkpsdm}/gaps/", None, "gaps:read"),
    # The head took the post on 2019-01-01: the days before are their predecessor's.
    "unit_gaps_before_post": (
        "get",
        "/api/v1/org-units/{aptika}/gaps/?as_of=2018-12-31",
        None,
        "gaps:read",
    ),
    "export_all": ("get", "/api/v1/gaps/export/?format=csv", None, "gaps:read"),
    "rotation_impact": ("post", "/api/v1/rotation-impact/", "rotation", "gaps:read"),
    "rotation_impact_elsewhere": (
        "post",
        "/api/v1/rotation-impact/",
        "rotation_elsewhere",
        "gaps:read",
    ),
    "rotation_impact_past": ("post", "/api/v1/rotation-impact/", "rotation_past", "gaps:read"),
    "akpk_own": ("get", "/api/v1/akpk/?org_unit={aptika}", None, "gaps:read"),
    "learning_hours": ("get", "/api/v1/learning-hours/", None, "learning:read"),
    "learning_records_create": ("post", "/api/v1/learning-records/", "learning", "employees:write"),
    "courses": ("get", "/api/v1/courses/", None, "learning:read"),
    "certificates_list": ("get", "/api/v1/certificates/", None, "certificates:read"),
    "certificates_issue": ("post", "/api/v1/certificates/", "certificate", "certificates:write"),
    "webhooks": ("get", "/api/v1/webhooks/", None, "webhooks:manage"),
}

A, D, N, U = 200, 403, 404, 401  # allowed, denied, not visible (404), unauthenticated
MATRIX = {
    #                         anonymous employee head   hr
    "competencies": (U, A, A, A),
    "org_units": (U, A, A, A),
    "positions_list": (U, A, A, A),
    "positions_create": (U, D, D, A),
    "employees_list": (U, A, A, A),
    "employee_self": (U, A, A, A),  # Ani works in the head's subtree
    "employee_in_subtree": (U, N, A, A),
    "employee_outside": (U, N, N, A),
    "employee_patch": (U, D, D, A),
    "employees_bulk": (U, D, D, A),
    "assignments_create": (U, D, D, A),
    "evidence_create": (U, D, D, A),
    "gaps_self": (U, A, A, A),
    "gaps_in_subtree": (U, N, A, A),
    "gaps_outside": (U, N, N, A),
    "unit_gaps_own": (U, D, A, A),
    "unit_gaps_other": (U, D, D, A),
    "unit_gaps_before_post": (U, D, D, A),
    "export_all": (U, D, D, A),
    "rotation_impact": (U, D, A, A),
    "rotation_impact_elsewhere": (U, D, D, A),  # a position outside the head's units
    "rotation_impact_past": (U, D, D, A),  # a move before today
    "akpk_own": (U, D, A, A),
    "learning_hours": (U, A, A, A),
    "learning_records_create": (U, D, D, A),
    "courses": (U, A, A, A),
    "certificates_list": (U, A, A, A),
    "certificates_issue": (U, D, D, A),
    "webhooks": (U, D, D, D),
}
ROLES = ["anonymous", "employee", "head", "hr"]


def body_for(kind: str | None, city) -> dict | None:
    from tests.competencies.factories import make_nip

    return {
        None: None,
        "position": {
            "code": f"P-{make_nip()[-6:]}",
            "title": "Analis",
            "org_unit": city.aptika.pk,
            "kind": "fungsional",
        },
        "patch": {"rank": "III/b"},
        "bulk": {"rows": [{"nip": make_nip(), "name": "Baru"}]},
        "assignment": {
            "employee": city.budi.pk,
            "position": city.analis_post.pk,
            "kind": "rotasi",
            "start_date": "2026-01-01",
        },
        "evidence": {
            "employee": city.budi.pk,
            "competency": "TIK-05",
            "level": 3,
            "source": "assessment",
            "achieved_date": "2025-05-01",
        },
        "rotation": {
            "employee": city.budi.pk,
            "position": city.ketua_post.pk,
            "date": (dates.today() + dt.timedelta(days=30)).isoformat(),
        },
        "rotation_elsewhere": {
            "employee": city.budi.pk,
            "position": city.analis_post.pk,
            "date": (dates.today() + dt.timedelta(days=30)).isoformat(),
        },
        "rotation_past": {
            "employee": city.budi.pk,
            "position": city.ketua_post.pk,
            "date": "2025-01-01",
        },
        "learning": {
            "employee": city.budi.pk,
            "title": "DTS",
            "jp_hours": 8,
            "completed_date": "2025-03-01",
        },
        "certificate": {
            "employee": city.budi.pk,
            "title": "DTS Cloud",
            "provider": "Komdigi",
            "jp_hours": 8,
            "completed_date": "2025-03-01",
        },
    }[kind]


def call(client: APIClient, operation: str, city) -> int:
    method, path, body, _scope = OPERATIONS[operation]
    ids = {
        "ani": city.ani.pk,
        "budi": city.budi.pk,
        "dedi": city.dedi.pk,
        "aptika": city.aptika.pk,
        "bkpsdm": city.bkpsdm.pk,
    }
    url = path.format(**ids)
    data = body_for(body, city)
    response = (
        getattr(client, method)(url, data, format="json")
        if data is not None
        else getattr(client, method)(url)
    )
    return response.status_code


def client_for(role: str, city, hr_user) -> APIClient:
    client = APIClient()
    user = {"anonymous": None, "employee": city.ani.user, "head": city.kabid.user, "hr": hr_user}[
        role
    ]
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("operation", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_people(role: str, operation: str, city, hr_user) -> None:
    expected = MATRIX[operation][ROLES.index(role)]
    status = call(client_for(role, city, hr_user), operation, city)
    if expected == A:
        assert 200 <= status < 300, (role, operation, status)
    else:
        assert status == expected, (role, operation, status)


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_clients_only_their_scopes(operation: str, city, api_client) -> None:
    scope = OPERATIONS[operation][3]
    if operation == "competencies":  # reference data: any read scope, and nothing else
        for any_read in ("gaps:read", "employees:read", "learning:read", "certificates:read"):
            assert 200 <= call(api_client(any_read), operation, city) < 300
        assert call(api_client("employees:write webhooks:manage"), operation, city) == 403
        return
    others = " ".join(
        s
        for s in (
            "employees:read",
            "gaps:read",
            "learning:read",
            "certificates:read",
            "webhooks:manage",
        )
        if s != scope
    )
    assert call(api_client(others), operation, city) == 403
    assert (
        200
        <= call(
            api_client(scope + (" employees:read" if scope != "employees:read" else "")),
            operation,
            city,
        )
        < 300
    )


def test_a_head_who_rotated_out_loses_access_the_day_the_new_post_starts(city, as_person) -> None:
    from unittest import mock

    client = as_person(city.kabid.user)
    assert client.get(f"/api/v1/org-units/{city.aptika.pk}/gaps/").status_code == 200
    start = timezone.localdate() + dt.timedelta(days=1)
    assign(city.kabid, PositionFactory(org_unit=city.bkpsdm, title="Analis Kebijakan"), start)
    assign(
        EmployeeFactory(name="Kabid Baru", user=UserFactory(username="kabid-baru")),
        city.kabid_post,
        start,
        kind="promosi",
    )
    assert client.get(f"/api/v1/org-units/{city.aptika.pk}/gaps/").status_code == 200  # still today
    with mock.patch("django.utils.timezone.localdate", return_value=start):
        assert (
            as_person(city.kabid.user).get(f"/api/v1/org-units/{city.aptika.pk}/gaps/").status_code
            == 403
        )
