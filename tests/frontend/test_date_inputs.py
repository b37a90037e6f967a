"""Every date a form renders is an ISO 8601 date (YYYY-MM-DD), whatever the page's language.

HTML's ``<input type="date">`` takes nothing else: a value in the locale's format (``01-12-2026``
in Indonesian, the default language) fails validation and the browser shows an empty field, so
the default date is lost. Each form with a date field is rendered here in both languages.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.test import Client

from competencies import wagtail_hooks as competencies_admin
from competencies.models import Assignment, Employee
from courses import wagtail_hooks as courses_admin
from frontend import forms as frontend_forms
from tests.frontend.conftest import Demo, login

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LANGUAGES = ["id", "en"]

#: The forms that have a date field, and the page that renders each one with a date in it.
DATE_FORMS = {
    frontend_forms.RotationForm: ("kepala", "/dashboard/rotation/"),
    frontend_forms.AsOfForm: ("kepala", "/dashboard/?as_of=2025-06-30"),
    competencies_admin.AssignmentForm: ("hr", "/admin/assignments/edit/{assignment}/"),
    competencies_admin.EmployeeForm: ("hr", "/admin/employees/edit/{employee}/"),
    competencies_admin.EvidenceForm: ("hr", "/admin/evidence/new/"),
    courses_admin.ExternalTrainingForm: ("admin", "/admin/learning_records/new/"),
}


@pytest.fixture
def admin(demo: Demo, db: None) -> Client:
    """The demo superuser (the learning-hours ledger is outside the HR group's rights)."""
    return login("admin")


class DateInputs(HTMLParser):
    """The ``<input>`` elements that hold a date: ``type="date"`` or named like a date field."""

    def __init__(self, date_names: set[str]) -> None:
        super().__init__()
        self.date_names = date_names
        self.found: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "input" and (
            attributes.get("type") == "date" or attributes.get("name") in self.date_names
        ):
            self.found.append(attributes)


def date_fields(form_class: type[forms.BaseForm]) -> set[str]:
    return {
        name for name, field in form_class.base_fields.items() if isinstance(field, forms.DateField)
    }


def test_every_form_with_a_date_field_is_checked_here() -> None:
    """A new form with a date field must join ``DATE_FORMS``."""
    modules = (frontend_forms, competencies_admin, courses_admin)
    found = {
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, forms.BaseForm)
        and value.__module__ == module.__name__
        and date_fields(value)
    }
    assert found == set(DATE_FORMS)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form_class", list(DATE_FORMS), ids=lambda form: form.__name__)
def test_every_date_input_holds_an_iso_date(
    demo: Demo, language: str, form_class: type[forms.BaseForm], request: pytest.FixtureRequest
) -> None:
    user, url = DATE_FORMS[form_class]
    client: Client = request.getfixturevalue(user)
    client.cookies["django_language"] = language
    # An assignment with every date filled in: started, ended and decreed.
    assignment = (
        Assignment.objects.filter(end_date__isnull=False, decree_date__isnull=False)
        .order_by("id")
        .first()
    )
    # Its holder, with a TMT golongan (the employee form's date).
    Employee.objects.filter(pk=assignment.employee_id).update(
        rank="III/b", rank_start_date=dt.date(2022, 4, 1)
    )
    response = client.get(
        url.format(assignment=assignment.pk, employee=assignment.employee_id),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(rf'<html[^>]*\blang="{language}"', html), "the page is in another language"
    parser = DateInputs(date_fields(form_class))
    parser.feed(html)
    values = [attributes.get("value") for attributes in parser.found]
    assert values, "no date input on the page"
    if form_class is frontend_forms.RotationForm:
        # The date of the planned move is offered from the start (the first of next month).
        assert [attributes.get("type") for attributes in parser.found] == ["date"]
        assert values[0]
    if form_class is competencies_admin.AssignmentForm:
        assert all(values)
    if form_class is competencies_admin.EmployeeForm:
        assert values == ["2022-04-01"]
    for value in values:
        assert value is None or value == "" or ISO_DATE.match(value), value
