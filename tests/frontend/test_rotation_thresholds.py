"""The rotation page and the home page render the city's figures, not fixed ones: the years
after which a person is overdue for rotation, the years in post before a move is too early
(``ROTATION_DUE_YEARS``, ``ROTATION_MIN_YEARS_IN_POST``), and no fixed 20 JP."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from competencies import selectors
from core import dates
from tests.frontend.conftest import Demo

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ID = {"HTTP_ACCEPT_LANGUAGE": "id"}


def test_the_due_list_says_and_uses_the_configured_years(kepala: Client, demo: Demo, settings):
    html = kepala.get("/dashboard/rotation/", **EN).content.decode()
    assert "People 5 years or more in the same position" in html
    assert "at least 2 and at most 5 years apart" in html
    settings.ROTATION_DUE_YEARS, settings.ROTATION_MIN_YEARS_IN_POST = 8, 3
    response = kepala.get("/dashboard/rotation/", **EN)
    html = response.content.decode()
    assert "People 8 years or more in the same position" in html
    assert "at least 3 and at most 8 years apart" in html
    today = timezone.localdate()
    expected = selectors.rotation_due(org_unit=demo.kepala_unit, as_of=today, years=8)
    assert response.context["due"] == expected
    assert all(row.since <= dates.add_years(today, -8) for row in expected)
    indonesian = kepala.get("/dashboard/rotation/", **ID).content.decode()
    assert "Pegawai yang telah 8 tahun atau lebih pada jabatan yang sama" in indonesian


def test_trying_a_move_too_soon_after_the_last_one_warns(kepala: Client, demo: Demo, settings):
    on_date = timezone.localdate() + dt.timedelta(days=30)
    query = {
        "unit": demo.kepala_unit.pk,
        "employee": demo.pegawai.pk,
        "position": demo.colleague.assignments.filter(end_date__isnull=True)[0].position_id,
        "on_date": on_date.isoformat(),
    }
    settings.ROTATION_MIN_YEARS_IN_POST = 40  # longer than anyone has held a post
    response = kepala.get("/dashboard/rotation/", query, **EN)
    impact = response.context["impact"]
    assert impact is not None and impact.too_early
    html = response.content.decode()
    since = impact.in_post_since
    assert (
        f"Too early to rotate: {demo.pegawai.name} has held the current position since "
        f"{since.day} {since:%B %Y}" in html
    )
    assert "civil servants are moved at least 40 years apart" in html
    settings.ROTATION_MIN_YEARS_IN_POST = 0
    response = kepala.get("/dashboard/rotation/", query, **EN)
    assert not response.context["impact"].too_early
    assert "Too early to rotate" not in response.content.decode()


def test_the_landing_page_names_no_fixed_jp_figure(client: Client, demo: Demo) -> None:
    html = client.get("/", **EN).content.decode()
    assert "counts their learning hours (JP) toward each year's target" in html
    assert "20 JP" not in html
    assert "menuju target setiap tahun" in client.get("/", **ID).content.decode()
