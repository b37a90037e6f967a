"""HR works on the competency matrix in the Wagtail admin, through the HTTP interface."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from competencies.demo import hr_group
from competencies.models import Assignment, Employee, Evidence, OrgUnit
from tests.competencies.factories import (
    CompetencyFactory,
    EmployeeFactory,
    PositionFactory,
    UserFactory,
    assign,
    make_nip,
    unit,
)

pytestmark = pytest.mark.django_db


def problems(response) -> str:
    """The error texts a form page shows (field errors and messages), for assertions."""
    html = response.content.decode()
    found = re.findall(r'(?s)class="error-message">(.*?)</p>', html)
    found += re.findall(r'(?s)data-type="error"[^>]*>(.*?)</li>', html)
    found += re.findall(r'(?s)<li class="error">(.*?)</li>', html)
    return " | ".join(re.sub(r"<[^>]+>|\s+", " ", item).strip() for item in found)


@pytest.fixture
def hr_client(client: Client) -> Client:
    user = UserFactory(username="hr-admin")
    user.groups.add(hr_group())
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "name", ["competencies", "org_units", "positions", "employees", "assignments", "evidence"]
)
def test_hr_opens_every_list(hr_client: Client, name: str) -> None:
    EmployeeFactory()
    response = hr_client.get(f"/admin/{name}/")
    assert response.status_code == 200


def test_the_employee_list_masks_nips_and_searches(hr_client: Client) -> None:
    person = EmployeeFactory(name="Ratna Simanjuntak")
    EmployeeFactory(name="Yusuf Hakim")
    html = hr_client.get("/admin/employees/", {"q": "Ratna"}).content.decode()
    assert "Ratna Simanjuntak" in html and "Yusuf Hakim" not in html
    assert person.nip not in html
    assert person.nip[-4:] in html


def test_a_civil_servant_without_admin_rights_is_kept_out(client: Client) -> None:
    client.force_login(UserFactory(username="pegawai-biasa"))
    response = client.get("/admin/employees/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_creating_an_employee_with_a_bad_nip_explains_in_indonesian(hr_client: Client) -> None:
    response = hr_client.post(
        "/admin/employees/new/", {"nip": "19660801198803 3 001", "name": "Budi", "status": "active"}
    )
    assert response.status_code == 200
    assert "jenis kelamin" in response.content.decode()
    assert not Employee.objects.exists()
    nip = make_nip()
    response = hr_client.post(
        "/admin/employees/new/", {"nip": nip, "name": "Budi Santoso", "status": "active"}
    )
    assert response.status_code == 302
    assert Employee.objects.get(nip=nip).name == "Budi Santoso"


def test_recording_a_rotation_in_the_admin_ends_the_previous_post(hr_client: Client) -> None:
    person = EmployeeFactory()
    first = assign(person, PositionFactory(), dt.date(2020, 1, 1), kind="initial")
    target = PositionFactory()
    response = hr_client.post(
        "/admin/assignments/new/",
        {
            "employee": person.pk,
            "position": target.pk,
            "kind": "rotasi",
            "start_date": "2025-02-01",
            "decree_number": "800.1.3/45/BKPSDM/2025",
            "decree_date": "2025-01-20",
            "reason": "SK rotasi Januari 2025",
        },
    )
    assert response.status_code == 302, problems(response)
    first.refresh_from_db()
    assert first.end_date == dt.date(2025, 1, 31)
    event = first.events.order_by("-pgh_id").first()
    assert event.pgh_context.metadata["reason"] == "SK rotasi Januari 2025"


def test_an_overlapping_rotation_in_the_admin_is_explained_and_changes_nothing(
    hr_client: Client,
) -> None:
    person = EmployeeFactory()
    assign(person, PositionFactory(), dt.date(2020, 1, 1), kind="initial")
    assign(person, PositionFactory(), dt.date(2024, 1, 1))
    response = hr_client.post(
        "/admin/assignments/new/",
        {
            "employee": person.pk,
            "position": PositionFactory().pk,
            "kind": "rotasi",
            "start_date": "2022-01-01",
            "end_date": "2024-06-30",
        },
    )
    assert response.status_code == 200
    assert "tumpang tindih" in problems(response)
    assert Assignment.objects.filter(employee=person).count() == 2


def test_moving_a_unit_under_its_own_child_is_explained(hr_client: Client) -> None:
    parent = unit("P", kind="perangkat_daerah")
    child = unit("P-C", parent=parent)
    response = hr_client.post(
        f"/admin/org_units/edit/{parent.pk}/",
        {
            "code": "P",
            "name": parent.name,
            "kind": "perangkat_daerah",
            "is_active": "on",
            "parent": child.pk,
        },
    )
    assert response.status_code == 200
    assert OrgUnit.objects.get(pk=parent.pk).path == parent.path
    assert "unit" in problems(response)


def test_evidence_is_recorded_with_who_and_cannot_be_edited(hr_client: Client) -> None:
    person, skill = EmployeeFactory(), CompetencyFactory()
    response = hr_client.post(
        "/admin/evidence/new/",
        {
            "employee": person.pk,
            "competency": skill.pk,
            "level": 3,
            "source": "assessment",
            "achieved_date": "2025-03-01",
            "reference": "Asesmen BKPSDM 2025",
        },
    )
    assert response.status_code == 302
    item = Evidence.objects.get()
    assert item.recorded_by.username == "hr-admin"
    # HR has no change or delete permission on evidence: Wagtail sends them away.
    for url in (f"/admin/evidence/edit/{item.pk}/", f"/admin/evidence/delete/{item.pk}/"):
        response = hr_client.post(url, {"level": 5})
        assert response.status_code in (302, 403)
        assert response.get("Location", "/admin/") == "/admin/"
    item.refresh_from_db()
    assert (item.level, Evidence.objects.count()) == (3, 1)


def test_the_import_page_lists_every_bad_row_and_imports_nothing(hr_client: Client) -> None:
    good = make_nip()
    upload = SimpleUploadedFile(
        "pegawai.csv",
        f"nip,name\n{good},Dewi Lestari\n123,Salah\n{make_nip()},\n".encode(),
        "text/csv",
    )
    response = hr_client.post("/admin/competency-import/", {"kind": "people", "file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "baris 3: nip" in html and "baris 4: name" in html
    assert not Employee.objects.exists()
    upload = SimpleUploadedFile(
        "pegawai.csv", f"nip,name\n{good},Dewi Lestari\n".encode(), "text/csv"
    )
    response = hr_client.post("/admin/competency-import/", {"kind": "people", "file": upload})
    assert response.status_code == 302
    assert Employee.objects.get(nip=good).name == "Dewi Lestari"


def test_only_hr_may_import(client: Client) -> None:
    client.force_login(UserFactory(username="bukan-hr", is_staff=True))
    assert client.get("/admin/competency-import/").status_code in (302, 403)


def test_a_competency_shows_its_levels(hr_client: Client) -> None:
    from competencies.models import Competency

    competency = Competency.objects.get(code="TIK-05")
    html = hr_client.get(f"/admin/competencies/edit/{competency.pk}/").content.decode()
    assert competency.levels.get(level=3).description_id[:40] in html
