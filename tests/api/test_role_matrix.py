"""Every URL pattern × every role, against an explicit table (issue 12).

The URL map is walked from the resolver (``get_resolver``, recursively), so a pattern without a
row in ``EXPECTED`` fails the test: a new endpoint has to say who may reach it. Each pattern is
asked with real ids from the demo city (a person and a unit in the head's subtree, the civil
servant's certificate, a course and its lessons, …), once per role:

anonymous; a civil servant; a head of unit; an acting (Plt.) head of a vacant post; a former
head (who headed a unit until 2020 and now holds a plain post); HR staff (the HR group with its
Wagtail admin rights); an API client holding one scope, for each scope; an API client holding
none; and a self-registered OAuth application (an ``oauth2_provider`` application without an
``ApiClient`` record) with a token it somehow holds.

An API operation is asked with each HTTP method it implements (writes with an empty body: a
caller who may write gets 400 for the missing fields, so nothing is written); a web page with
GET, or POST where it takes only POST; the OAuth endpoints with POST and the role's own client
credentials. Every admin page sits behind Wagtail's login gate (``gated``): only HR passes it,
and is then refused what would let HR staff give themselves more rights (logins, groups,
sites, settings); the ids Wagtail's own pages take are placeholders (999999), Tangkas's are
real rows.

The cells: a status code, or where a redirect goes (``→L`` the site's login, ``→AL`` the admin
login, ``→AH`` the admin home, where Wagtail sends a user refused a page, ``→H`` the site's home,
``→`` anywhere else). Set ``ROLE_MATRIX_DUMP=1`` to print what each pattern answers.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.shortcuts import resolve_url
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application
from rest_framework.test import APIClient

from certificates.models import Certificate
from competencies import demo as competencies_demo
from competencies.models import Assignment, Competency, Employee, Evidence, OrgUnit, Position
from core.models import ApiClient, WebhookSubscription
from courses import demo as courses_demo
from courses import services as courses_services
from courses.models import CoursePage, Enrollment, LessonPage
from development.models import DevelopmentPlan
from planning.models import AkpkPlan, AkpkRow
from providers import demo as providers_demo
from providers.models import Offering, OfferingRequest, Provider
from tests.competencies.factories import (
    EmployeeFactory,
    PositionFactory,
    UserFactory,
    assign,
    unit,
)

#: One API client per scope, in the table's column order (a new scope needs a new column).
SCOPES = (
    "employees:read",
    "employees:write",
    "gaps:read",
    "learning:read",
    "certificates:read",
    "certificates:write",
    "webhooks:manage",
    "events:read",
    "akpk:write",
)
ROLES = (
    "anonymous",
    "servant",
    "head",
    "acting",
    "former",
    "hr",
    *SCOPES,
    "no-scope",
    "self-registered",
)


def gated(hr: str) -> str:
    """A row of the Wagtail admin: every role but HR is sent to the admin login, HR gets
    ``hr`` (a bearer token opens nothing outside the API)."""
    return " ".join(hr if role == "hr" else "→AL" for role in ROLES)


# fmt: off
# The cells of a row, in ``ROLES`` order:
#   anonymous servant head acting former hr | employees:read employees:write gaps:read
#   learning:read certificates:read certificates:write webhooks:manage events:read akpk:write |
#   no-scope
#   self-registered
EXPECTED: dict[str, str] = {
    # The site.
    "GET healthz":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET readyz":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    # Wagtail's admin: its own pages, then Tangkas's (from ``GET admin/competency-import/``),
    # every one behind the admin login; HR has the rights the HR group gives (competencies,
    # not courses or certificates, never logins, groups or sites).
    "GET admin/": gated("200"),
    "GET admin/test404/": gated("200"),
    "GET admin/api/main/^pages/": gated("200"),
    "GET admin/api/main/^pages/<int:pk>/": gated("404"),
    "GET admin/api/main/^pages/find/": gated("404"),
    "GET admin/api/main/^pages/<int:pk>/action/<str:action_name>/": gated("405"),
    "GET admin/api/main/^documents/": gated("200"),
    "GET admin/api/main/^documents/<int:pk>/": gated("404"),
    "GET admin/api/main/^documents/find/": gated("404"),
    "GET admin/api/main/^images/": gated("200"),
    "GET admin/api/main/^images/<int:pk>/": gated("404"),
    "GET admin/api/main/^images/find/": gated("404"),
    "GET admin/failwhale/": gated("500"),  # Wagtail's page for testing error reports
    "GET admin/pages/": gated("→AH"),
    "GET admin/pages/<int:parent_page_id>/": gated("404"),
    "GET admin/pages/<int:parent_page_id>/results/": gated("404"),
    "GET admin/bulk/<str:app_label>/<str:model_name>/<str:action>/": gated("404"),
    "GET admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/": gated("404"),
    "GET admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/preview/": gated("404"),
    "GET admin/pages/usage/<slug:content_type_app_name>/<slug:content_type_model_name>/": gated("404"),
    "GET admin/pages/create/<slug:app_label>/<slug:model_name>": gated("404"),
    "GET admin/pages/usage/<slug:content_type_app_name>/<slug:content_type_model_name>/results/": gated("404"),
    "GET admin/pages/<int:page_id>/usage/": gated("404"),
    "GET admin/pages/<int:page_id>/edit/": gated("404"),
    "GET admin/pages/<int:page_id>/edit/preview/": gated("404"),
    "GET admin/pages/<int:page_id>/view_draft/": gated("404"),
    "GET admin/pages/<int:parent_page_id>/add_subpage/": gated("404"),
    "GET admin/pages/<int:page_id>/delete/": gated("404"),
    "GET admin/pages/<int:page_id>/unpublish/": gated("404"),
    "GET admin/pages/<int:page_id>/convert_alias/": gated("404"),
    "GET admin/pages/search/": gated("→AH"),
    "GET admin/pages/search/results/": gated("→AH"),
    "GET admin/pages/<int:page_to_move_id>/move/": gated("404"),
    "GET admin/pages/<int:page_to_move_id>/move/<int:destination_id>/confirm/": gated("404"),
    "GET admin/pages/<int:page_to_move_id>/set_position/": gated("404"),
    "GET admin/pages/<int:page_id>/copy/": gated("404"),
    "GET admin/pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/": gated("404"),
    "GET admin/pages/workflow/collect_action_data/<int:page_id>/<slug:action_name>/<int:task_state_id>/": gated("404"),
    "GET admin/pages/workflow/confirm_cancellation/<int:page_id>/": gated("404"),
    "GET admin/pages/workflow/preview/<int:page_id>/<int:task_id>/": gated("404"),
    "GET admin/pages/<int:page_id>/privacy/": gated("404"),
    "GET admin/pages/<int:page_id>/lock/": gated("404"),
    "GET admin/pages/<int:page_id>/unlock/": gated("404"),
    "GET admin/pages/<int:page_id>/revisions/": gated("→"),
    "GET admin/pages/<int:page_id>/revisions/<int:revision_id>/view/": gated("404"),
    "GET admin/pages/<int:page_id>/revisions/<int:revision_id>/revert/": gated("404"),
    "GET admin/pages/<int:page_id>/revisions/<int:revision_id>/unschedule/": gated("404"),
    r"GET admin/pages/^(?P<pk>\d+)/revisions/compare/(?P<revision_id_a>live|earliest|\d+)\.\.\.(?P<revision_id_b>live|latest|\d+)/$": gated("→AH"),
    "GET admin/pages/<int:page_id>/workflow_history/": gated("404"),
    "GET admin/pages/<int:page_id>/workflow_history/detail/<int:workflow_state_id>/": gated("404"),
    "GET admin/pages/<int:page_id>/history/": gated("404"),
    "GET admin/pages/<int:page_id>/history/results/": gated("404"),
    "GET admin/choose-page/": gated("200"),
    "GET admin/choose-page/<int:parent_page_id>/": gated("404"),
    "GET admin/choose-page/search/": gated("200"),
    "GET admin/choose-page/chosen-multiple/": gated("200"),
    "GET admin/choose-external-link/": gated("200"),
    "GET admin/choose-email-link/": gated("200"),
    "GET admin/choose-phone-link/": gated("200"),
    "GET admin/choose-anchor-link/": gated("200"),
    "GET admin/tag-autocomplete/": gated("200"),
    "GET admin/tag-autocomplete/<slug:app_name>/<slug:model_name>/": gated("404"),
    "GET admin/collections/": gated("→AH"),
    "GET admin/collections/add/": gated("→AH"),
    "GET admin/collections/<int:pk>/": gated("→AH"),
    "GET admin/collections/<int:pk>/delete/": gated("404"),
    "GET admin/collections/<int:collection_id>/privacy/": gated("404"),
    "GET admin/workflows/list/": gated("→AH"),
    "GET admin/workflows/list/results/": gated("→AH"),
    "GET admin/workflows/add/": gated("→AH"),
    "GET admin/workflows/enable/<int:pk>/": gated("405"),
    "GET admin/workflows/disable/<int:pk>/": gated("404"),
    "GET admin/workflows/edit/<int:pk>/": gated("→AH"),
    "GET admin/workflows/usage/<int:pk>/": gated("404"),
    "GET admin/workflows/usage/<int:pk>/results/": gated("404"),
    "GET admin/workflows/remove/<int:page_pk>/": gated("405"),
    "GET admin/workflows/remove/<int:page_pk>/<int:workflow_pk>/": gated("405"),
    "GET admin/workflows/tasks/add/<str:app_label>/<str:model_name>/": gated("404"),
    "GET admin/workflows/tasks/select_type/": gated("→AH"),
    "GET admin/workflows/tasks/index/": gated("→AH"),
    "GET admin/workflows/tasks/index/results/": gated("→AH"),
    "GET admin/workflows/tasks/edit/<int:pk>/": gated("404"),
    "GET admin/workflows/tasks/disable/<int:pk>/": gated("404"),
    "GET admin/workflows/tasks/enable/<int:pk>/": gated("405"),
    "GET admin/workflows/task_chooser/": gated("200"),
    "GET admin/workflows/task_chooser/results/": gated("200"),
    "GET admin/workflows/task_chooser/create/": gated("200"),
    "GET admin/workflows/task_chooser/<int:task_id>/": gated("404"),
    "GET admin/reports/locked/": gated("→AH"),
    "GET admin/reports/locked/results/": gated("→AH"),
    "GET admin/reports/workflow/": gated("→AH"),
    "GET admin/reports/workflow/results/": gated("→AH"),
    "GET admin/reports/workflow_tasks/": gated("→AH"),
    "GET admin/reports/workflow_tasks/results/": gated("→AH"),
    "GET admin/reports/site-history/": gated("200"),
    "GET admin/reports/site-history/results/": gated("200"),
    "GET admin/reports/aging-pages/": gated("→AH"),
    "GET admin/reports/aging-pages/results/": gated("→AH"),
    "GET admin/reports/page-types-usage/": gated("→AH"),
    "GET admin/reports/page-types-usage/results/": gated("→AH"),
    "GET admin/account/": gated("200"),
    # The admin's logout is the site's single logout (identity): a POST, for anyone.
    "GET admin/logout/":
        "405 405 405 405 405 405 | 405 405 405 405 405 405 405 405 405 | 405 405",
    "GET admin/dismissibles/": gated("200"),
    "GET admin/editing-sessions/ping/<str:app_label>/<str:model_name>/<str:object_id>/<int:session_id>/": gated("405"),
    "GET admin/editing-sessions/release/<int:session_id>/": gated("405"),
    "GET admin/block-preview/": gated("404"),
    "GET admin/competency-import/": gated("200"),
    "GET admin/competency-import/<str:job_id>/": gated("404"),  # an unknown import job
    "GET admin/course-evaluations/": gated("200"),
    "GET admin/certificates/<uuid:pk>/revoke/": gated("→AH"),
    "GET admin/forms/": gated("→AH"),
    "GET admin/forms/results/": gated("→AH"),
    "GET admin/forms/submissions/<int:page_id>/": gated("404"),
    "GET admin/forms/submissions/<int:page_id>/results/": gated("404"),
    "GET admin/forms/submissions/<int:page_id>/delete/": gated("→AH"),
    "GET admin/redirects/": gated("→AH"),
    "GET admin/redirects/results/": gated("→AH"),
    "GET admin/redirects/add/": gated("→AH"),
    "GET admin/redirects/<int:redirect_id>/": gated("→AH"),
    "GET admin/redirects/<int:redirect_id>/delete/": gated("404"),
    "GET admin/redirects/import/": gated("→AH"),
    "GET admin/redirects/import/process/": gated("→AH"),
    "GET admin/settings/<slug:app_name>/<slug:model_name>/": gated("404"),
    "GET admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/": gated("404"),
    "GET admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/preview/": gated("404"),
    "GET admin/embeds/chooser/": gated("200"),
    "GET admin/embeds/chooser/upload/": gated("200"),
    "GET admin/snippets/": gated("→AH"),
    "GET admin/documents/": gated("→AH"),
    "GET admin/documents/results/": gated("→AH"),
    "GET admin/documents/add/": gated("→AH"),
    "GET admin/documents/edit/<int:document_id>/": gated("→AH"),
    "GET admin/documents/delete/<int:document_id>/": gated("404"),
    "GET admin/documents/multiple/add/": gated("→AH"),
    "GET admin/documents/multiple/<int:doc_id>/": gated("405"),
    "GET admin/documents/multiple/create_from_uploaded_document/<int:uploaded_file_id>/": gated("405"),
    "GET admin/documents/multiple/<int:doc_id>/delete/": gated("405"),
    "GET admin/documents/multiple/delete_upload/<int:uploaded_file_id>/": gated("405"),
    "GET admin/documents/usage/<int:document_id>/": gated("404"),
    "GET admin/images/": gated("→AH"),
    "GET admin/images/results/": gated("→AH"),
    "GET admin/images/<int:image_id>/": gated("→AH"),
    "GET admin/images/<int:image_id>/delete/": gated("404"),
    "GET admin/images/<int:image_id>/generate_url/": gated("404"),
    "GET admin/images/<int:image_id>/generate_url/output/": gated("404"),
    "GET admin/images/<int:image_id>/preview/<str:filter_spec>/": gated("404"),
    "GET admin/images/add/": gated("→AH"),
    "GET admin/images/usage/<int:image_id>/": gated("404"),
    "GET admin/images/multiple/add/": gated("→AH"),
    "GET admin/images/multiple/<int:image_id>/": gated("405"),
    "GET admin/images/multiple/create_from_uploaded_image/<int:uploaded_file_id>/": gated("405"),
    "GET admin/images/multiple/<int:image_id>/delete/": gated("405"),
    "GET admin/images/multiple/delete_upload/<int:uploaded_file_id>/": gated("405"),
    "GET admin/competencies/": gated("200"),
    "GET admin/competencies/results/": gated("200"),
    "GET admin/competencies/new/": gated("200"),
    "GET admin/competencies/edit/<int:pk>/": gated("200"),
    "GET admin/competencies/delete/<int:pk>/": gated("200"),
    "GET admin/competencies/history/<int:pk>/": gated("200"),
    "GET admin/competencies/history-results/<int:pk>/": gated("200"),
    "GET admin/competencies/usage/<int:pk>/": gated("200"),
    "GET admin/competencies/inspect/<int:pk>/": gated("200"),
    "GET admin/org_units/": gated("200"),
    "GET admin/org_units/results/": gated("200"),
    "GET admin/org_units/new/": gated("200"),
    "GET admin/org_units/edit/<int:pk>/": gated("200"),
    "GET admin/org_units/delete/<int:pk>/": gated("200"),
    "GET admin/org_units/history/<int:pk>/": gated("200"),
    "GET admin/org_units/history-results/<int:pk>/": gated("200"),
    "GET admin/org_units/usage/<int:pk>/": gated("200"),
    "GET admin/positions/": gated("200"),
    "GET admin/positions/results/": gated("200"),
    "GET admin/positions/new/": gated("200"),
    "GET admin/positions/edit/<int:pk>/": gated("200"),
    "GET admin/positions/delete/<int:pk>/": gated("200"),
    "GET admin/positions/history/<int:pk>/": gated("200"),
    "GET admin/positions/history-results/<int:pk>/": gated("200"),
    "GET admin/positions/usage/<int:pk>/": gated("200"),
    "GET admin/positions/inspect/<int:pk>/": gated("200"),
    "GET admin/positions/copy/<int:pk>/": gated("200"),
    "GET admin/employees/": gated("200"),
    "GET admin/employees/results/": gated("200"),
    "GET admin/employees/new/": gated("200"),
    "GET admin/employees/edit/<int:pk>/": gated("200"),
    "GET admin/employees/delete/<int:pk>/": gated("200"),
    "GET admin/employees/history/<int:pk>/": gated("200"),
    "GET admin/employees/history-results/<int:pk>/": gated("200"),
    "GET admin/employees/usage/<int:pk>/": gated("200"),
    "GET admin/assignments/": gated("200"),
    "GET admin/assignments/results/": gated("200"),
    "GET admin/assignments/new/": gated("200"),
    "GET admin/assignments/edit/<int:pk>/": gated("200"),
    "GET admin/assignments/delete/<int:pk>/": gated("200"),
    "GET admin/assignments/history/<int:pk>/": gated("200"),
    "GET admin/assignments/history-results/<int:pk>/": gated("200"),
    "GET admin/assignments/usage/<int:pk>/": gated("200"),
    "GET admin/evidence/": gated("200"),
    "GET admin/evidence/results/": gated("200"),
    "GET admin/evidence/new/": gated("200"),
    "GET admin/evidence/edit/<int:pk>/": gated("→AH"),
    "GET admin/evidence/delete/<int:pk>/": gated("→AH"),
    "GET admin/evidence/history/<int:pk>/": gated("200"),
    "GET admin/evidence/history-results/<int:pk>/": gated("200"),
    "GET admin/evidence/usage/<int:pk>/": gated("200"),
    "GET admin/evidence/inspect/<int:pk>/": gated("200"),
    "GET admin/enrollments/": gated("→AH"),
    "GET admin/enrollments/results/": gated("→AH"),
    "GET admin/enrollments/new/": gated("→AH"),
    "GET admin/enrollments/edit/<int:pk>/": gated("→AH"),
    "GET admin/enrollments/delete/<int:pk>/": gated("→AH"),
    "GET admin/enrollments/history/<int:pk>/": gated("→AH"),
    "GET admin/enrollments/history-results/<int:pk>/": gated("→AH"),
    "GET admin/enrollments/usage/<int:pk>/": gated("→AH"),
    "GET admin/enrollments/inspect/<int:pk>/": gated("→AH"),
    "GET admin/learning_records/": gated("→AH"),
    "GET admin/learning_records/results/": gated("→AH"),
    "GET admin/learning_records/new/": gated("→AH"),
    "GET admin/learning_records/edit/<int:pk>/": gated("→AH"),
    "GET admin/learning_records/delete/<int:pk>/": gated("→AH"),
    "GET admin/learning_records/history/<int:pk>/": gated("→AH"),
    "GET admin/learning_records/history-results/<int:pk>/": gated("→AH"),
    "GET admin/learning_records/usage/<int:pk>/": gated("→AH"),
    # The partner registry (providers): HR manages it, with the rights the HR group gets.
    "GET admin/partner_providers/": gated("200"),
    "GET admin/partner_providers/results/": gated("200"),
    "GET admin/partner_providers/new/": gated("200"),
    "GET admin/partner_providers/edit/<int:pk>/": gated("200"),
    "GET admin/partner_providers/delete/<int:pk>/": gated("200"),
    "GET admin/partner_providers/history/<int:pk>/": gated("200"),
    "GET admin/partner_providers/history-results/<int:pk>/": gated("200"),
    "GET admin/partner_providers/usage/<int:pk>/": gated("200"),
    "GET admin/partner_providers/inspect/<int:pk>/": gated("200"),
    "GET admin/partner_offerings/": gated("200"),
    "GET admin/partner_offerings/results/": gated("200"),
    "GET admin/partner_offerings/new/": gated("200"),
    "GET admin/partner_offerings/edit/<int:pk>/": gated("200"),
    "GET admin/partner_offerings/delete/<int:pk>/": gated("200"),
    "GET admin/partner_offerings/history/<int:pk>/": gated("200"),
    "GET admin/partner_offerings/history-results/<int:pk>/": gated("200"),
    "GET admin/partner_offerings/usage/<int:pk>/": gated("200"),
    "GET admin/partner_offerings/inspect/<int:pk>/": gated("200"),
    "GET admin/partner_offerings/copy/<int:pk>/": gated("200"),
    "GET admin/certificates/": gated("→AH"),
    "GET admin/certificates/results/": gated("→AH"),
    "GET admin/certificates/new/": gated("→AH"),
    "GET admin/certificates/edit/<uuid:pk>/": gated("→AH"),
    "GET admin/certificates/delete/<uuid:pk>/": gated("→AH"),
    "GET admin/certificates/history/<uuid:pk>/": gated("→AH"),
    "GET admin/certificates/history-results/<uuid:pk>/": gated("→AH"),
    "GET admin/certificates/usage/<uuid:pk>/": gated("→AH"),
    "GET admin/certificates/inspect/<uuid:pk>/": gated("→AH"),
    # The retirement ages (reports): HR keeps them; the role matrix has no row of them, so the
    # pages of one row answer 404.
    "GET admin/retirement_ages/": gated("200"),
    "GET admin/retirement_ages/results/": gated("200"),
    "GET admin/retirement_ages/new/": gated("200"),
    "GET admin/retirement_ages/edit/<int:pk>/": gated("404"),
    "GET admin/retirement_ages/delete/<int:pk>/": gated("404"),
    "GET admin/retirement_ages/history/<int:pk>/": gated("404"),
    "GET admin/retirement_ages/history-results/<int:pk>/": gated("404"),
    "GET admin/retirement_ages/usage/<int:pk>/": gated("404"),
    "GET admin/sites/": gated("→AH"),
    "GET admin/sites/results/": gated("→AH"),
    "GET admin/sites/new/": gated("→AH"),
    "GET admin/sites/edit/<int:pk>/": gated("→AH"),
    "GET admin/sites/delete/<int:pk>/": gated("404"),
    "GET admin/sites/history/<int:pk>/": gated("404"),
    "GET admin/sites/history-results/<int:pk>/": gated("404"),
    "GET admin/sites/usage/<int:pk>/": gated("404"),
    "GET admin/sites/copy/<int:pk>/": gated("→AH"),
    "GET admin/users/": gated("→AH"),
    "GET admin/users/results/": gated("→AH"),
    "GET admin/users/new/": gated("→AH"),
    "GET admin/users/edit/<int:pk>/": gated("404"),
    "GET admin/users/delete/<int:pk>/": gated("404"),
    "GET admin/users/history/<int:pk>/": gated("404"),
    "GET admin/users/history-results/<int:pk>/": gated("404"),
    "GET admin/users/usage/<int:pk>/": gated("404"),
    "GET admin/users/copy/<int:pk>/": gated("→AH"),
    "GET admin/groups/": gated("→AH"),
    "GET admin/groups/results/": gated("→AH"),
    "GET admin/groups/new/": gated("→AH"),
    "GET admin/groups/edit/<int:pk>/": gated("→AH"),
    "GET admin/groups/delete/<int:pk>/": gated("404"),
    "GET admin/groups/history/<int:pk>/": gated("404"),
    "GET admin/groups/history-results/<int:pk>/": gated("404"),
    "GET admin/groups/usage/<int:pk>/": gated("404"),
    "GET admin/documents/chooser/": gated("200"),
    "GET admin/documents/chooser/results/": gated("200"),
    "GET admin/documents/chooser/chosen/<str:pk>/": gated("404"),
    "GET admin/documents/chooser/chosen-multiple/": gated("200"),
    "GET admin/documents/chooser/create/": gated("→AH"),
    "GET admin/images/chooser/": gated("200"),
    "GET admin/images/chooser/results/": gated("200"),
    "GET admin/images/chooser/chosen/<str:pk>/": gated("404"),
    "GET admin/images/chooser/chosen-multiple/": gated("200"),
    "GET admin/images/chooser/create/": gated("→AH"),
    "GET admin/images/chooser/<int:image_id>/select_format/": gated("404"),
    # The admin's public pages: its login, password reset, icons and translations.
    "GET admin/sprite/":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET admin/login/":
        "200 200 200 200 200 →AH | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET admin/password_reset/":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET admin/password_reset/done/":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET admin/password_reset/confirm/<uidb64>/<token>/":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET admin/password_reset/complete/":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET admin/jsi18n/":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET admin/^.*/$": gated("404"),
    r"GET documents/^(\d+)/(.*)$":
        "404 404 404 404 404 404 | 404 404 404 404 404 404 404 404 404 | 404 404",
    "GET documents/authenticate_with_password/<int:restriction_id>/":
        "404 404 404 404 404 404 | 404 404 404 404 404 404 404 404 404 | 404 404",
    "GET i18n/setlang/":
        "→H  →H  →H  →H  →H  →H | →H  →H  →H  →H  →H  →H  →H  →H →H | →H  →H",
    # Sign-on (identity): off unless OIDC_ISSUER is set, as here.
    "GET sso/login/":
        "404 404 404 404 404 404 | 404 404 404 404 404 404 404 404 404 | 404 404",
    "GET sso/callback/":
        "404 404 404 404 404 404 | 404 404 404 404 404 404 404 404 404 | 404 404",
    # Notifications: the person's own list and settings; the marks are POSTs; an unsubscribe
    # link that is not ours is a 400 for anyone.
    "GET me/notifications/":
        "→L 200 200 200 200 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET me/notifications/read-all/":
        "405 405 405 405 405 405 | 405 405 405 405 405 405 405 405 405 | 405 405",
    "GET me/notifications/<int:notification_id>/read/":
        "405 405 405 405 405 405 | 405 405 405 405 405 405 405 405 405 | 405 405",
    "GET me/notifications/settings/":
        "→L 200 200 200 200 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET notifications/unsubscribe/<str:token>/":
        "400 400 400 400 400 400 | 400 400 400 400 400 400 400 400 400 | 400 400",
    # Policy reports (reports): HR only, the CSV (?format=csv) under the same rule.
    "GET reports/":
        "→L 403 403 403 403 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET reports/jp/":
        "→L 403 403 403 403 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET reports/gaps/":
        "→L 403 403 403 403 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET reports/spending/":
        "→L 403 403 403 403 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET reports/critical/":
        "→L 403 403 403 403 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET reports/coverage/":
        "→L 403 403 403 403 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET reports/retirement/":
        "→L 403 403 403 403 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    # Training evaluation: a person's own surveys; the level-3 list for whoever heads a unit
    # today (an acting head of a vacant post too, not a former head) and HR; the report for HR
    # and course editors (the admin). The answers are POSTs.
    "GET me/evaluations/":
        "→L 200 200 200 200 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET me/evaluations/<int:record_id>/":
        "405 405 405 405 405 405 | 405 405 405 405 405 405 405 405 405 | 405 405",
    "GET dashboard/evaluations/":
        "→L 403 200 200 403 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET dashboard/evaluations/<int:evaluation_id>/":
        "405 405 405 405 405 405 | 405 405 405 405 405 405 405 405 405 | 405 405",
    "GET evaluations/report/":
        "→L 403 403 403 403 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET evaluations/report.csv":
        "→L 403 403 403 403 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    # Development plans (development): a person's own plan (the steps are POSTs); the unit's
    # plans for whoever heads a unit today (an acting head of a vacant post too) and HR; one
    # plan (the colleague's, in the head's bidang) for the heads above the person and HR.
    "GET me/plan/":
        "→L 200 200 200 200 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET me/plan/create/":
        "405 405 405 405 405 405 | 405 405 405 405 405 405 405 405 405 | 405 405",
    "GET me/plan/goals/":
        "405 405 405 405 405 405 | 405 405 405 405 405 405 405 405 405 | 405 405",
    "GET me/plan/goals/<int:goal_id>/remove/":
        "405 405 405 405 405 405 | 405 405 405 405 405 405 405 405 405 | 405 405",
    "GET me/plan/activities/":
        "405 405 405 405 405 405 | 405 405 405 405 405 405 405 405 405 | 405 405",
    "GET me/plan/activities/<int:activity_id>/remove/":
        "405 405 405 405 405 405 | 405 405 405 405 405 405 405 405 405 | 405 405",
    "GET me/plan/submit/":
        "405 405 405 405 405 405 | 405 405 405 405 405 405 405 405 405 | 405 405",
    "GET dashboard/plans/":
        "→L 403 200 200 403 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET dashboard/plans/<int:plan_id>/":
        "→L 403 200 403 403 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET dashboard/plans/<int:plan_id>/agree/":
        "405 405 405 405 405 405 | 405 405 405 405 405 405 405 405 405 | 405 405",
    "GET dashboard/plans/<int:plan_id>/return/":
        "405 405 405 405 405 405 | 405 405 405 405 405 405 405 405 405 | 405 405",
    "GET dashboard/plans/<int:plan_id>/activities/<int:activity_id>/confirm/":
        "405 405 405 405 405 405 | 405 405 405 405 405 405 405 405 405 | 405 405",
    # The AKPK workflow (planning): any person sees the list of the plans they may see (HR and
    # the PPK's delegates all, a head of a perangkat daerah theirs); the sample plan is
    # Diskominfo's, above the head's bidang, so only HR reaches it; the summary is BKPSDM's.
    "GET planning/akpk/":
        "→L 200 200 200 200 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET planning/akpk/summary/":
        "→L 403 403 403 403 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    r"GET ^planning/akpk/summary\.(?P<fmt>csv|xlsx)$":
        "→L 403 403 403 403 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET planning/akpk/<int:plan_id>/":
        "→L 404 404 404 404 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET planning/akpk/<int:plan_id>/transition/":
        "→L 405 405 405 405 405 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET planning/akpk/<int:plan_id>/revision/":
        "→L 405 405 405 405 405 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET planning/akpk/<int:plan_id>/rows/<int:row_id>/":
        "→L 404 404 404 404 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET planning/akpk/<int:plan_id>/rows/<int:row_id>/remove/":
        "→L 405 405 405 405 405 | →L →L →L →L →L →L →L →L →L | →L →L",
    r"GET ^planning/akpk/(?P<plan_id>[0-9]+)/rows\.(?P<fmt>csv|xlsx)$":
        "→L 404 404 404 404 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET planning/akpk/<int:plan_id>/akpk.pdf":
        "→L 404 404 404 404 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    # The HR API: every operation with each method it implements (writes with an empty body).
    "GET api/v1/schema/":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET api/v1/docs/":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET api/v1/competencies/":
        "401 200 200 200 200 200 | 200 403 200 200 200 403 403 403 403 | 403 401",
    "GET api/v1/org-units/":
        "401 200 200 200 200 200 | 200 403 403 403 403 403 403 403 403 | 403 401",
    "GET api/v1/org-units/<int:pk>/gaps/":
        "401 403 200 403 403 200 | 403 403 200 403 403 403 403 403 403 | 403 401",
    "GET api/v1/positions/":
        "401 200 200 200 200 200 | 200 403 403 403 403 403 403 403 403 | 403 401",
    "POST api/v1/positions/":
        "401 403 403 403 403 400 | 403 400 403 403 403 403 403 403 403 | 403 401",
    "GET api/v1/positions/<int:pk>/":
        "401 200 200 200 200 200 | 200 403 403 403 403 403 403 403 403 | 403 401",
    "PUT api/v1/positions/<int:pk>/":
        "401 403 403 403 403 400 | 403 400 403 403 403 403 403 403 403 | 403 401",
    "PATCH api/v1/positions/<int:pk>/":
        "401 403 403 403 403 200 | 403 200 403 403 403 403 403 403 403 | 403 401",
    "GET api/v1/employees/":
        "401 200 200 200 200 200 | 200 403 403 403 403 403 403 403 403 | 403 401",
    "POST api/v1/employees/":
        "401 403 403 403 403 400 | 403 400 403 403 403 403 403 403 403 | 403 401",
    "POST api/v1/employees/bulk/":
        "401 403 403 403 403 400 | 403 400 403 403 403 403 403 403 403 | 403 401",
    "POST api/v1/employees/lookup/":
        "401 400 400 400 400 400 | 400 403 403 403 403 403 403 403 403 | 403 401",
    "GET api/v1/employees/<int:pk>/":
        "401 404 200 404 404 200 | 200 403 403 403 403 403 403 403 403 | 403 401",
    "PATCH api/v1/employees/<int:pk>/":
        "401 403 403 403 403 200 | 403 200 403 403 403 403 403 403 403 | 403 401",
    "GET api/v1/employees/<int:pk>/assignments/":
        "401 404 200 404 404 200 | 200 403 403 403 403 403 403 403 403 | 403 401",
    "GET api/v1/employees/<int:pk>/ranks/":
        "401 404 200 404 404 200 | 200 403 403 403 403 403 403 403 403 | 403 401",
    "POST api/v1/employees/<int:pk>/ranks/":
        "401 403 403 403 403 400 | 403 400 403 403 403 403 403 403 403 | 403 401",
    "GET api/v1/employees/<int:pk>/competencies/":
        "401 404 200 404 404 200 | 403 403 200 403 403 403 403 403 403 | 403 401",
    "GET api/v1/employees/<int:pk>/gaps/":
        "401 404 200 404 404 200 | 403 403 200 403 403 403 403 403 403 | 403 401",
    "GET api/v1/assignments/":
        "401 200 200 200 200 200 | 200 403 403 403 403 403 403 403 403 | 403 401",
    "POST api/v1/assignments/":
        "401 403 403 403 403 400 | 403 400 403 403 403 403 403 403 403 | 403 401",
    "GET api/v1/evidence/":
        "401 200 200 200 200 200 | 403 403 200 403 403 403 403 403 403 | 403 401",
    "POST api/v1/evidence/":
        "401 403 403 403 403 400 | 403 400 403 403 403 403 403 403 403 | 403 401",
    # The sample evidence is already counted: who may review it gets 409, not a review; a
    # rejection's note is required, so an empty rejection is refused (400) before that.
    "POST api/v1/evidence/<int:pk>/validate/":
        "401 403 403 403 403 409 | 403 409 403 403 403 403 403 403 403 | 403 401",
    "POST api/v1/evidence/<int:pk>/reject/":
        "401 403 403 403 403 400 | 403 400 403 403 403 403 403 403 403 | 403 401",
    "GET api/v1/gaps/export/":
        "401 403 403 403 403 200 | 403 403 200 403 403 403 403 403 403 | 403 401",
    "POST api/v1/rotation-impact/":
        "401 403 400 400 403 400 | 403 403 400 403 403 403 403 403 403 | 403 401",
    "GET api/v1/akpk/":
        "401 403 200 403 403 200 | 403 403 200 403 403 403 403 403 403 | 403 401",
    "GET api/v1/akpk/plans/":
        "401 200 200 200 200 200 | 403 403 200 403 403 403 403 403 403 | 403 401",
    "GET api/v1/akpk/plans/<int:plan_id>/rows/":
        "401 404 404 404 404 200 | 403 403 200 403 403 403 403 403 403 | 403 401",
    "POST api/v1/akpk/plans/<int:plan_id>/transitions/":
        "401 404 404 404 404 400 | 403 403 403 403 403 403 403 403 400 | 403 401",
    # The partner registry, read like the courses: learning:read, or a logged-in person.
    "GET api/v1/providers/":
        "401 200 200 200 200 200 | 403 403 403 200 403 403 403 403 403 | 403 401",
    "GET api/v1/offerings/":
        "401 200 200 200 200 200 | 403 403 403 200 403 403 403 403 403 | 403 401",
    "GET api/v1/courses/":
        "401 200 200 200 200 200 | 403 403 403 200 403 403 403 403 403 | 403 401",
    "GET api/v1/enrollments/":
        "401 200 200 200 200 200 | 403 403 403 200 403 403 403 403 403 | 403 401",
    "GET api/v1/learning-hours/":
        "401 200 200 200 200 200 | 403 403 403 200 403 403 403 403 403 | 403 401",
    "POST api/v1/learning-records/":
        "401 403 403 403 403 400 | 403 400 403 403 403 403 403 403 403 | 403 401",
    "GET api/v1/learning-records/siasn/":
        "401 200 200 200 200 200 | 403 403 403 200 403 403 403 403 403 | 403 401",
    "GET api/v1/certificates/":
        "401 200 200 200 200 200 | 403 403 403 403 200 403 403 403 403 | 403 401",
    "POST api/v1/certificates/":
        "401 403 403 403 403 400 | 403 403 403 403 403 400 403 403 403 | 403 401",
    "GET api/v1/certificates/verify/<str:code>/":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET api/v1/certificates/<uuid:pk>/":
        "401 200 200 404 404 200 | 403 403 403 403 200 403 403 403 403 | 403 401",
    "POST api/v1/certificates/<uuid:pk>/revoke/":
        "401 403 403 403 403 400 | 403 403 403 403 403 400 403 403 403 | 403 401",
    "GET api/v1/webhooks/":
        "401 403 403 403 403 403 | 403 403 403 403 403 403 200 403 403 | 403 401",
    "POST api/v1/webhooks/":
        "401 403 403 403 403 403 | 403 403 403 403 403 403 400 403 403 | 403 401",
    "GET api/v1/webhooks/<int:pk>/":
        "401 403 403 403 403 403 | 403 403 403 403 403 403 200 403 403 | 403 401",
    # An empty PATCH changes nothing (every field of a PATCH is optional) and answers 200.
    "PATCH api/v1/webhooks/<int:pk>/":
        "401 403 403 403 403 403 | 403 403 403 403 403 403 200 403 403 | 403 401",
    "GET api/v1/webhooks/<int:pk>/deliveries/":
        "401 403 403 403 403 403 | 403 403 403 403 403 403 200 403 403 | 403 401",
    # An unknown delivery of the client's own subscription.
    "POST api/v1/webhooks/<int:pk>/deliveries/<int:delivery_id>/redeliver/":
        "401 403 403 403 403 403 | 403 403 403 403 403 403 404 403 403 | 403 401",
    "GET api/v1/events/":
        "401 403 403 403 403 403 | 403 403 403 403 403 403 403 200 403 | 403 401",
    # Asked last, for every role: the owner deletes the sample subscription.
    "DELETE api/v1/webhooks/<int:pk>/":
        "401 403 403 403 403 403 | 403 403 403 403 403 403 204 403 403 | 403 401",
    # OAuth: the role's own client credentials. The token endpoint refuses the self-registered
    # application (unauthorized_client). Revocation and introspection answer any application
    # that authenticates, and no person (django-oauth-toolkit): revocation touches only the
    # caller's own tokens; introspection describes whatever token the caller presents, so it
    # tells an application nothing about a token it does not already hold.
    "POST o/token/":
        "401 401 401 401 401 401 | 200 200 200 200 200 200 200 200 200 | 200 400",
    "POST o/revoke_token/":
        "401 401 401 401 401 401 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET o/introspect/":
        "403 403 403 403 403 403 | 400 400 400 400 400 400 400 400 400 | 400 400",
    "POST o/introspect/":
        "403 403 403 403 403 403 | 200 200 200 200 200 200 200 200 200 | 200 200",
    # Unknown API paths, credentials, the site's pages.
    "GET ^api/":
        "404 404 404 404 404 404 | 404 404 404 404 404 404 404 404 404 | 404 404",
    "GET .well-known/did.json":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET credentials/status/<int:list_id>":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET ":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET login/":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET logout/":
        "405 405 405 405 405 405 | 405 405 405 405 405 405 405 405 405 | 405 405",
    # Partner training: the catalogue and an offering for anyone logged in; a request (an
    # empty comment is a valid one) from anyone who is a person, sent to their list; HR's
    # queue and its decisions for HR only (an empty form is a 400); a request of someone else
    # is not found for its withdrawal.
    "GET partners/":
        "→L 200 200 200 200 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET partners/<int:offering_id>/":
        "→L 200 200 200 200 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "POST partners/<int:offering_id>/request/":
        "→L → → → → → | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET me/partner-requests/":
        "→L 200 200 200 200 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "POST me/partner-requests/<int:request_id>/cancel/":
        "→L 404 404 404 404 404 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET partners/requests/":
        "→L 403 403 403 403 200 | →L →L →L →L →L →L →L →L →L | →L →L",
    "POST partners/requests/<int:request_id>/decide/":
        "→L 403 403 403 403 400 | →L →L →L →L →L →L →L →L →L | →L →L",
    "POST partners/requests/<int:request_id>/complete/":
        "→L 403 403 403 403 400 | →L →L →L →L →L →L →L →L →L | →L →L",
    "GET me/competencies/":
        "→L  200 200 200 200 200 | →L  →L  →L  →L  →L  →L  →L  →L →L | →L  →L",
    "GET me/history/":
        "→L  200 200 200 200 200 | →L  →L  →L  →L  →L  →L  →L  →L →L | →L  →L",
    "GET me/certificates/":
        "→L  200 200 200 200 200 | →L  →L  →L  →L  →L  →L  →L  →L →L | →L  →L",
    "GET dashboard/":
        "→L  403 200 200 403 200 | →L  →L  →L  →L  →L  →L  →L  →L →L | →L  →L",
    "GET dashboard/people/<int:employee_id>/":
        "→L  403 200 403 403 200 | →L  →L  →L  →L  →L  →L  →L  →L →L | →L  →L",
    "GET dashboard/rotation/":
        "→L  403 200 200 403 200 | →L  →L  →L  →L  →L  →L  →L  →L →L | →L  →L",
    "GET dashboard/akpk/":
        "→L  403 200 200 403 200 | →L  →L  →L  →L  →L  →L  →L  →L →L | →L  →L",
    "GET dashboard/akpk.csv":
        "→L  403 200 200 403 200 | →L  →L  →L  →L  →L  →L  →L  →L →L | →L  →L",
    "GET dashboard/akpk.xlsx":
        "→L  403 200 200 403 200 | →L  →L  →L  →L  →L  →L  →L  →L →L | →L  →L",
    "GET dashboard/validation/":
        "→L  403 200 200 403 200 | →L  →L  →L  →L  →L  →L  →L  →L →L | →L  →L",
    "GET competencies/":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET competencies/<str:code>/":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET problems/":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET problems/<str:code>/":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET verify/":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET verify/<str:code>/":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET verify/<str:code>/certificate.pdf":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "GET verify/<str:code>/credential.json":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    "POST learn/courses/<int:course_id>/enroll/":
        "→L  →   →   →   →   → | →L  →L  →L  →L  →L  →L  →L  →L →L | →L  →L",
    "POST learn/lessons/<int:lesson_id>/done/":
        "→L  →   →   →   →   → | →L  →L  →L  →L  →L  →L  →L  →L →L | →L  →L",
    "POST learn/lessons/<int:lesson_id>/quiz/<str:quiz_id>/start/":
        "→L  →   →   →   →   → | →L  →L  →L  →L  →L  →L  →L  →L →L | →L  →L",
    "POST learn/lessons/<int:lesson_id>/quiz/<str:quiz_id>/":
        "→L  →   →   →   →   → | →L  →L  →L  →L  →L  →L  →L  →L →L | →L  →L",
    "GET _util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/":
        "404 404 404 404 404 404 | 404 404 404 404 404 404 404 404 404 | 404 404",
    "GET _util/login/":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
    r"GET ^((?:[\w\-]+/)*)$":
        "200 200 200 200 200 200 | 200 200 200 200 200 200 200 200 200 | 200 200",
}
# fmt: on


# --- The world the patterns are asked in ----------------------------------------------------


@dataclass
class World:
    clients: dict[str, APIClient]
    credentials: dict[str, tuple[str, str]]
    ids: dict[str, Any]
    users: dict[str, Any]


def _client() -> APIClient:
    """A client that answers 500 like the server would, instead of raising the exception."""
    client = APIClient()
    client.raise_request_exception = False
    return client


def _token_client(token: str) -> APIClient:
    client = _client()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _application(name: str, scopes: str | None) -> tuple[Application, str]:
    """An OAuth application with a known secret; with an ``ApiClient`` record unless
    ``scopes`` is None (self-registered)."""
    secret = secrets.token_urlsafe(32)
    application = Application.objects.create(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
    )
    if scopes is not None:
        ApiClient.objects.create(application=application, scopes=scopes)
    return application, secret


def _stored_token(application: Application, scope: str) -> str:
    token = secrets.token_urlsafe(24)
    AccessToken.objects.create(
        application=application,
        token=token,
        scope=scope,
        expires=timezone.now() + dt.timedelta(hours=1),
    )
    return token


def _issued_token(client_id: str, secret: str) -> str:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    response = APIClient().post(
        "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


@pytest.fixture
def world(db: None) -> World:
    with TestCase.captureOnCommitCallbacks(execute=True):
        competencies_demo.seed_structure()
        competencies_demo.seed_people(seed=2026)
        logins = competencies_demo.seed_logins(password=secrets.token_urlsafe(12))
        courses_demo.seed_courses()
        pegawai = Employee.objects.get(user__username=logins.pegawai)
        course = CoursePage.objects.get(slug="keamanan-informasi-dasar-asn")
        courses_demo.take_course(pegawai, course)
    users = get_user_model().objects
    kepala = Employee.objects.get(user__username=logins.kepala)
    kepala_unit = OrgUnit.objects.get(code="DISKOMINFO-APTIKA")
    colleague = (
        Employee.objects.filter(
            assignments__end_date__isnull=True,
            assignments__position__org_unit__path__startswith=kepala_unit.path,
            assignments__position__is_head=False,
        )
        .exclude(user__isnull=False)
        .order_by("id")
        .first()
    )
    # An acting head of a vacant post, and a head who left their unit in 2020.
    setda = OrgUnit.objects.get(code="SETDA")
    vacant = PositionFactory(
        org_unit=unit("ROLES-PLT", parent=setda, kind="bagian"), title="Kepala", is_head=True
    )
    acting = EmployeeFactory(name="Plt Kepala", user=UserFactory(username="plt"))
    assign(acting, vacant, dt.date(2024, 1, 1), kind="plt")
    left = unit("ROLES-EX", parent=setda, kind="bagian")
    former = EmployeeFactory(name="Mantan Kepala", user=UserFactory(username="mantan"))
    assign(
        former, PositionFactory(org_unit=left, is_head=True), dt.date(2015, 1, 1), kind="promosi"
    )
    assign(former, PositionFactory(org_unit=left, title="Analis"), dt.date(2020, 1, 1))

    clients: dict[str, APIClient] = {"anonymous": _client()}
    people = {
        "servant": users.get(username=logins.pegawai),
        "head": users.get(username=logins.kepala),
        "acting": users.get(username="plt"),
        "former": users.get(username="mantan"),
        "hr": users.get(username=logins.hr),
    }
    for role, user in people.items():
        clients[role] = _client()
        clients[role].force_login(user)
    credentials = {}
    for scope in SCOPES:
        out = StringIO()
        call_command("create_api_client", f"HR system {scope}", "--scopes", scope, stdout=out)
        client_id, secret = re.findall(r'"client_(?:id|secret)": "([^"]+)"', out.getvalue())
        credentials[scope] = (client_id, secret)
        clients[scope] = _token_client(_issued_token(client_id, secret))
    # A registered client whose record grants no scope, and an application without a record.
    empty, empty_secret = _application("no scope", "")
    credentials["no-scope"] = (empty.client_id, empty_secret)
    clients["no-scope"] = _token_client(_stored_token(empty, ""))
    rogue, rogue_secret = _application("self-registered", None)
    credentials["self-registered"] = (rogue.client_id, rogue_secret)
    clients["self-registered"] = _token_client(_stored_token(rogue, " ".join(SCOPES)))

    manager = Application.objects.get(name="HR system webhooks:manage")
    webhook = WebhookSubscription.objects.create(
        application=manager, url="https://hr.example.go.id/hooks", events=["certificate.issued"]
    )
    certificate = Certificate.objects.get(employee=pegawai)
    lesson = LessonPage.objects.child_of(course).live().order_by("path").last()
    quiz_id = next(iter(lesson.quizzes()))
    record = courses_services.learning_record_create(
        employee=pegawai,
        title="Pelatihan luar",
        provider="Komdigi",
        jp_hours=Decimal(8),
        completed_date=dt.date(2025, 3, 1),
    )
    # A draft AKPK of Diskominfo (a perangkat daerah above the head's bidang) with one row.
    plan = AkpkPlan.objects.create(
        org_unit=OrgUnit.objects.get(code="DISKOMINFO"), year=2026, gaps_as_of=dt.date(2026, 1, 1)
    )
    akpk_row = AkpkRow.objects.create(
        plan=plan,
        employee=colleague,
        nip=colleague.nip,
        name=colleague.name,
        position_title="Pranata Komputer",
        unit_name="Bidang Aplikasi Informatika",
        competency=Competency.objects.get(code="TIK-05"),
        competency_code="TIK-05",
        competency_name="Pengelolaan Basis Data",
        kind="teknis",
        required_level=3,
        current_level=2,
        gap=1,
        development_form="e_learning",
        path="nonklasikal",
    )
    # The colleague's development plan for 2026, a draft.
    development_plan = DevelopmentPlan.objects.create(employee=colleague, year=2026)
    # The demo partners, and a request of the colleague (who has no login) to decide on.
    providers_demo.seed_providers(today=timezone.localdate())
    offering = Offering.objects.order_by("id").first()
    partner_request = OfferingRequest.objects.create(employee=colleague, offering=offering)
    ids = {
        "offering": offering.pk,
        "partner_provider": Provider.objects.order_by("id").first().pk,
        "partner_request": partner_request.pk,
        "akpk_plan": plan.pk,
        "development_plan": development_plan.pk,
        "akpk_row": akpk_row.pk,
        "competency_pk": Competency.objects.get(code="TIK-05").pk,
        "evidence": Evidence.objects.filter(employee=colleague).first().pk,
        "enrollment": Enrollment.objects.get(employee=pegawai, course=course).pk,
        "learning_record": record.pk,
        "employee": colleague.pk,
        "unit": kepala_unit.pk,
        "position": Position.objects.filter(org_unit=kepala_unit, is_head=False).first().pk,
        "certificate": certificate.pk,
        "code": certificate.code,
        "webhook": webhook.pk,
        "course": course.pk,
        "course_path": course.url,
        "lesson": lesson.pk,
        "quiz": quiz_id,
        "status_list": certificate.status_list_id,
        "competency": "TIK-05",
        "assignment": Assignment.objects.filter(employee=colleague).first().pk,
        "kepala": kepala.pk,
    }
    return World(clients=clients, credentials=credentials, ids=ids, users=people)


# --- The URL map ----------------------------------------------------------------------------


def url_patterns() -> list[tuple[str, Any]]:
    """Every pattern of the URL map as ``(route, callback)``, includes walked recursively."""
    found: list[tuple[str, Any]] = []

    def walk(patterns: list, prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                found.append((route, entry.callback))

    walk(get_resolver().url_patterns, "")
    return found


def methods_of(route: str, callback: Any) -> list[str]:
    """The methods a pattern is asked with: each an API view implements; GET otherwise, or
    POST for a page that takes only POST."""
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view is not None and getattr(view, "required_scopes", None) is not None:
        return [
            m.upper()
            for m in ("get", "post", "put", "patch", "delete")
            if m in view.http_method_names and hasattr(view, m)
        ]
    if getattr(callback, "__name__", "") in POST_ONLY_PAGES or route.startswith("o/"):
        return ["POST"]
    return ["GET"]


POST_ONLY_PAGES = {
    "enroll",
    "lesson_done",
    "quiz_start",
    "quiz_submit",
    "offering_request",
    "request_cancel",
    "request_decide",
    "request_complete",
}
#: Pages that end the session they are asked with.
LOGOUTS = {"/logout/", "/admin/logout/"}

#: Sample values for the parts of routes that Wagtail's admin leaves open.
_FILLERS = [
    (r"<int:[a-z_]+>", "999999"),
    (r"<uuid:[a-z_]+>", "00000000-0000-0000-0000-000000000000"),
    (r"<(?:str|slug):app_(?:label|name)>", "competencies"),
    (r"<(?:str|slug):model_name>", "employee"),
    (r"<str:pk>", "999999"),
    (r"<[a-z:_0-9]+>", "x"),
    (r"\(\\d\+\)", "999999"),
    (r"\(\.\*\)", "x"),
    (r"\^\.\*/\$", "anything/"),
    (r"[\^\$]", ""),
]


def sample_path(route: str, ids: dict[str, Any]) -> str:
    """The route with real ids where ``SAMPLES`` names them, else Wagtail's placeholders."""
    if route in SAMPLES:
        return SAMPLES[route].format(**ids)
    path = route
    for pattern, value in _FILLERS:
        path = re.sub(pattern, value, path)
    return "/" + path


#: The concrete path asked for each Tangkas route with parameters (``{…}`` from ``World.ids``).
SAMPLES = {
    "api/v1/org-units/<int:pk>/gaps/": "/api/v1/org-units/{unit}/gaps/",
    "api/v1/positions/<int:pk>/": "/api/v1/positions/{position}/",
    "api/v1/employees/<int:pk>/": "/api/v1/employees/{employee}/",
    "api/v1/employees/<int:pk>/assignments/": "/api/v1/employees/{employee}/assignments/",
    "api/v1/employees/<int:pk>/ranks/": "/api/v1/employees/{employee}/ranks/",
    "api/v1/employees/<int:pk>/competencies/": "/api/v1/employees/{employee}/competencies/",
    "api/v1/employees/<int:pk>/gaps/": "/api/v1/employees/{employee}/gaps/",
    "api/v1/akpk/": "/api/v1/akpk/?org_unit={unit}",
    "api/v1/akpk/plans/<int:plan_id>/rows/": "/api/v1/akpk/plans/{akpk_plan}/rows/",
    "api/v1/akpk/plans/<int:plan_id>/transitions/": "/api/v1/akpk/plans/{akpk_plan}/transitions/",
    "planning/akpk/<int:plan_id>/": "/planning/akpk/{akpk_plan}/",
    "dashboard/plans/<int:plan_id>/": "/dashboard/plans/{development_plan}/",
    "planning/akpk/<int:plan_id>/transition/": "/planning/akpk/{akpk_plan}/transition/",
    "planning/akpk/<int:plan_id>/revision/": "/planning/akpk/{akpk_plan}/revision/",
    "planning/akpk/<int:plan_id>/rows/<int:row_id>/": "/planning/akpk/{akpk_plan}/rows/{akpk_row}/",
    "planning/akpk/<int:plan_id>/rows/<int:row_id>/remove/": (
        "/planning/akpk/{akpk_plan}/rows/{akpk_row}/remove/"
    ),
    r"^planning/akpk/summary\.(?P<fmt>csv|xlsx)$": "/planning/akpk/summary.csv",
    r"^planning/akpk/(?P<plan_id>[0-9]+)/rows\.(?P<fmt>csv|xlsx)$": "/planning/akpk/{akpk_plan}/rows.xlsx",
    "planning/akpk/<int:plan_id>/akpk.pdf": "/planning/akpk/{akpk_plan}/akpk.pdf",
    "partners/<int:offering_id>/": "/partners/{offering}/",
    "partners/<int:offering_id>/request/": "/partners/{offering}/request/",
    "partners/requests/<int:request_id>/decide/": "/partners/requests/{partner_request}/decide/",
    "partners/requests/<int:request_id>/complete/": (
        "/partners/requests/{partner_request}/complete/"
    ),
    "me/partner-requests/<int:request_id>/cancel/": (
        "/me/partner-requests/{partner_request}/cancel/"
    ),
    "api/v1/certificates/verify/<str:code>/": "/api/v1/certificates/verify/{code}/",
    "api/v1/certificates/<uuid:pk>/": "/api/v1/certificates/{certificate}/",
    "api/v1/certificates/<uuid:pk>/revoke/": "/api/v1/certificates/{certificate}/revoke/",
    "api/v1/webhooks/<int:pk>/": "/api/v1/webhooks/{webhook}/",
    "api/v1/webhooks/<int:pk>/deliveries/": "/api/v1/webhooks/{webhook}/deliveries/",
    "api/v1/webhooks/<int:pk>/deliveries/<int:delivery_id>/redeliver/": (
        "/api/v1/webhooks/{webhook}/deliveries/999999/redeliver/"
    ),
    "^api/": "/api/v1/no-such-thing/",
    "credentials/status/<int:list_id>": "/credentials/status/{status_list}",
    "dashboard/people/<int:employee_id>/": "/dashboard/people/{employee}/",
    "competencies/<str:code>/": "/competencies/{competency}/",
    "verify/<str:code>/": "/verify/{code}/",
    "verify/<str:code>/certificate.pdf": "/verify/{code}/certificate.pdf",
    "verify/<str:code>/credential.json": "/verify/{code}/credential.json",
    "learn/courses/<int:course_id>/enroll/": "/learn/courses/{course}/enroll/",
    "learn/lessons/<int:lesson_id>/done/": "/learn/lessons/{lesson}/done/",
    "learn/lessons/<int:lesson_id>/quiz/<str:quiz_id>/": "/learn/lessons/{lesson}/quiz/{quiz}/",
    "learn/lessons/<int:lesson_id>/quiz/<str:quiz_id>/start/": (
        "/learn/lessons/{lesson}/quiz/{quiz}/start/"
    ),
    "problems/<str:code>/": "/problems/forbidden/",
    "api/v1/evidence/<int:pk>/validate/": "/api/v1/evidence/{evidence}/validate/",
    "api/v1/evidence/<int:pk>/reject/": "/api/v1/evidence/{evidence}/reject/",
    "^((?:[\\w\\-]+/)*)$": "{course_path}",
    "admin/competency-import/<str:job_id>/": "/admin/competency-import/no-such-job/",
    "admin/certificates/<uuid:pk>/revoke/": "/admin/certificates/{certificate}/revoke/",
    "admin/pages/^(?P<pk>\\d+)/revisions/compare/(?P<revision_id_a>live|earliest|\\d+)"
    "\\.\\.\\.(?P<revision_id_b>live|latest|\\d+)/$": (
        "/admin/pages/{course}/revisions/compare/earliest...latest/"
    ),
    # Tangkas's own admin views, each with a real row of its model.
    **{
        f"admin/{viewset}/{action}/<{kind}:pk>/": f"/admin/{viewset}/{action}/{{{id_name}}}/"
        for viewset, kind, id_name in (
            ("competencies", "int", "competency_pk"),
            ("org_units", "int", "unit"),
            ("positions", "int", "position"),
            ("employees", "int", "employee"),
            ("assignments", "int", "assignment"),
            ("evidence", "int", "evidence"),
            ("enrollments", "int", "enrollment"),
            ("learning_records", "int", "learning_record"),
            ("partner_providers", "int", "partner_provider"),
            ("partner_offerings", "int", "offering"),
            ("certificates", "uuid", "certificate"),
        )
        for action in ("edit", "delete", "history", "history-results", "usage", "inspect", "copy")
    },
}


def ask(world: World, role: str, method: str, path: str) -> str:
    """What ``path`` answers ``role``: a status, or where the redirect goes."""
    client = world.clients[role]
    if path in LOGOUTS and role in world.users:
        # Logging out ends the session: the role's other requests keep theirs.
        client = _client()
        client.force_login(world.users[role])
    if path.startswith("/o/"):
        # The OAuth endpoints: the role's own client credentials, if it has any.
        client, extra = _client(), {}
        if role in world.credentials:
            basic = base64.b64encode(":".join(world.credentials[role]).encode()).decode()
            extra["HTTP_AUTHORIZATION"] = f"Basic {basic}"
        form = {"grant_type": "client_credentials", "token": "not-a-token"}
        response = (
            client.get(path, **extra) if method == "GET" else client.post(path, form, **extra)
        )
    elif method == "GET":
        response = client.get(path)
    else:
        response = getattr(client, method.lower())(path, {}, format="json")
    if response.status_code in (301, 302, 303, 307, 308):
        target = response["Location"].split("?")[0]
        return {
            resolve_url(settings.LOGIN_URL): "→L",
            "/admin/login/": "→AL",
            "/admin/": "→AH",
            "/": "→H",
        }.get(target, "→")
    return str(response.status_code)


def test_every_pattern_answers_every_role_as_the_table_says(world: World) -> None:
    assert set(SCOPES) == set(settings.API_SCOPES)
    rows, seen = [], set()
    for route, callback in url_patterns():
        for method in methods_of(route, callback):
            key = f"{method} {route}"
            if key in seen:  # a route given twice: the first pattern answers, as Django's does
                continue
            seen.add(key)
            rows.append((key, sample_path(route, world.ids), method))
    rows.sort(key=lambda row: row[2] == "DELETE")  # deleting the sample webhook comes last
    observed: dict[str, list[str]] = {}
    for role in ROLES:
        cache.clear()  # throttles and rate limits count per test, not across roles
        for key, path, method in rows:
            observed.setdefault(key, []).append(ask(world, role, method, path))
    if os.environ.get("ROLE_MATRIX_DUMP"):
        for key, cells in observed.items():
            row = " | ".join(" ".join(part) for part in (cells[:6], cells[6:-2], cells[-2:]))
            print(f'    "{key}":\n        "{row}",')
    missing = [key for key in observed if key not in EXPECTED]
    assert missing == [], "patterns without a row in EXPECTED"
    wrong = []
    for key, cells in observed.items():
        expected = EXPECTED[key].replace("|", "").split()
        for role, want, got in zip(ROLES, expected, cells, strict=True):
            if want != got:
                wrong.append(f"{key} as {role}: expected {want}, got {got}")
    assert wrong == []
    stale = [key for key in EXPECTED if key not in observed]
    assert stale == [], "rows for patterns that no longer exist"
