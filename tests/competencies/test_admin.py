"""HR works on the competency matrix in the Wagtail admin, through the HTTP interface."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from competencies.demo import hr_group
from competencies.models import Assignment, Employee, Evidence, OrgUnit
from tests.api.conftest import api_client  # noqa: F401  (shared fixture)
from tests.competencies.factories import (
    CompetencyFactory,
    EmployeeFactory,
    PositionFactory,
    UserFactory,
    assign,
    make_nip,
    require,
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


def test_the_admin_refuses_a_course_level_of_a_managerial_competency(hr_client: Client) -> None:
    person, lead = EmployeeFactory(), CompetencyFactory(code="M.07", kind="manajerial")
    form = {
        "employee": person.pk,
        "competency": lead.pk,
        "level": 3,
        "source": "course_completion",
        "achieved_date": "2025-03-01",
    }
    response = hr_client.post("/admin/evidence/new/", form)
    assert response.status_code == 200
    shown = problems(response).lower()
    assert "managerial" in shown or "manajerial" in shown
    assert not Evidence.objects.exists()
    response = hr_client.post("/admin/evidence/new/", {**form, "source": "assessment"})
    assert response.status_code == 302
    assert Evidence.objects.get().status == "validated"


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


# --- Edits reach HR systems that sync with ``updated_since`` ---------------------------------


class EditForm(HTMLParser):
    """What a browser would post from the admin's edit form: enabled fields with their current
    values (checked boxes only, selected options), without the inline panels' empty templates."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str | list[str]] = {}
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if (
            tag == "form"
            and (a.get("method") or "").lower() == "post"
            and "/edit/" in (a.get("action") or "")
        ):
            self._in_form = True
        if not self._in_form or "disabled" in a or "__prefix__" in (a.get("name") or ""):
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.data[name] = a.get("value") or ("on" if kind == "checkbox" else "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def edit_in_admin(client: Client, url: str, **changes: str) -> None:
    """Open the edit page, change some fields as a person would, and save."""
    page = EditForm()
    page.feed(client.get(url).content.decode())
    assert page.data, "no edit form found"
    response = client.post(url, {**page.data, **changes})
    assert response.status_code == 302, problems(response)


def synced(client: APIClient, path: str, since: dt.datetime) -> set[int]:
    """The ids an HR system syncing ``path`` with ``?updated_since=since`` receives."""
    response = client.get(path, {"updated_since": since.isoformat()})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def hr_system(api_client: Callable[..., APIClient]) -> APIClient:  # noqa: F811
    return api_client()


def test_editing_a_unit_in_the_admin_reaches_hr_systems_syncing_changes(
    hr_client: Client, hr_system: APIClient
) -> None:
    bidang = unit("BID-1", name="Bidang Statistik")
    unit("BID-2", name="Bidang Persandian")
    before = timezone.now()
    edit_in_admin(
        hr_client, f"/admin/org_units/edit/{bidang.pk}/", name="Bidang Statistik Sektoral"
    )
    bidang.refresh_from_db()
    assert bidang.name == "Bidang Statistik Sektoral"
    assert bidang.updated_at > before
    assert synced(hr_system, "/api/v1/org-units/", before) == {bidang.pk}


def test_moving_a_unit_in_the_admin_reaches_hr_systems_for_its_whole_subtree(
    hr_client: Client, hr_system: APIClient
) -> None:
    """A move changes the ``path`` and ``depth`` of the unit and of every unit under it."""
    old_parent = unit("DINAS-A", kind="perangkat_daerah")
    new_parent = unit("DINAS-B", kind="perangkat_daerah")
    bidang = unit("DINAS-A-BID", parent=old_parent)
    seksi = unit("DINAS-A-BID-S", parent=bidang, kind="seksi")
    before = timezone.now()
    edit_in_admin(hr_client, f"/admin/org_units/edit/{bidang.pk}/", parent=str(new_parent.pk))
    bidang.refresh_from_db()
    assert bidang.get_parent() == new_parent
    assert synced(hr_system, "/api/v1/org-units/", before) == {bidang.pk, seksi.pk}


def test_a_duplicate_unit_code_in_the_admin_is_explained_and_changes_nothing(
    hr_client: Client,
) -> None:
    unit("BID-1")
    other = unit("BID-2")
    response = hr_client.post(
        f"/admin/org_units/edit/{other.pk}/",
        {"code": "BID-1", "name": other.name, "kind": "bidang", "is_active": "on"},
    )
    assert response.status_code == 200
    assert problems(response)
    other.refresh_from_db()
    assert other.code == "BID-2"


def _position_edit() -> tuple[models.Model, str, dict[str, str]]:
    position = PositionFactory(headcount=1)
    return position, "/api/v1/positions/", {"headcount": "2"}


def _requirement_edit() -> tuple[models.Model, str, dict[str, str]]:
    position = PositionFactory()
    require(position, CompetencyFactory(), 2)
    return position, "/api/v1/positions/", {"requirements-0-required_level": "3"}


def _employee_edit() -> tuple[models.Model, str, dict[str, str]]:
    return EmployeeFactory(), "/api/v1/employees/", {"name": "Dewi Kartika Sari"}


def _assignment_edit() -> tuple[models.Model, str, dict[str, str]]:
    assignment = assign(EmployeeFactory(), PositionFactory(), dt.date(2020, 1, 1), kind="initial")
    return assignment, "/api/v1/assignments/", {"decree_number": "800/12/BKPSDM/2020"}


@pytest.mark.parametrize(
    ("admin_list", "make"),
    [
        ("positions", _position_edit),
        ("positions", _requirement_edit),
        ("employees", _employee_edit),
        ("assignments", _assignment_edit),
    ],
    ids=["position", "position requirement", "employee", "assignment"],
)
def test_every_edit_in_the_admin_reaches_hr_systems_syncing_changes(
    hr_client: Client,
    hr_system: APIClient,
    admin_list: str,
    make: Callable[[], tuple[models.Model, str, dict[str, str]]],
) -> None:
    item, api_list, changes = make()
    before = timezone.now()
    edit_in_admin(hr_client, f"/admin/{admin_list}/edit/{item.pk}/", **changes)
    item.refresh_from_db()
    assert item.updated_at > before
    assert synced(hr_system, api_list, before) == {item.pk}


def test_a_requirement_changed_by_an_import_in_the_admin_reaches_hr_systems(
    hr_client: Client, hr_system: APIClient
) -> None:
    """The requirements are part of a position in the API, so changing only them moves it."""
    position = PositionFactory(org_unit=unit("BID-1"))
    skill = CompetencyFactory()
    require(position, skill, 2)
    before = timezone.now()
    upload = SimpleUploadedFile(
        "jabatan.csv",
        (
            "code,title,unit_code,kind,functional_level,is_head,headcount,requirements\n"
            f"{position.code},{position.title},BID-1,{position.kind},{position.functional_level},"
            f"no,1,{skill.code}:3\n"
        ).encode(),
        "text/csv",
    )
    response = hr_client.post("/admin/competency-import/", {"kind": "positions", "file": upload})
    assert response.status_code == 302, problems(response)
    assert position.requirements.get().required_level == 3
    position.refresh_from_db()
    assert position.updated_at > before
    assert synced(hr_system, "/api/v1/positions/", before) == {position.pk}
