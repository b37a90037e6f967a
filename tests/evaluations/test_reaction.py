"""Level 1 (reaction) through HTTP: a person evaluates their own completions once, with scores
from 1 to 5 explained field by field, and never someone else's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core import dates
from evaluations.models import ReactionSurvey
from tests.evaluations.conftest import Office, client_for, external_training

VALID = {
    "relevance": "5",
    "quality": "4",
    "applicability": "3",
    "comment": "Materi sangat aplikatif.",
}


def recent(days: int = 10) -> dt.date:
    return dates.today() - dt.timedelta(days=days)


def test_the_page_lists_only_ones_own_open_completions(office: Office) -> None:
    mine = external_training(office.staff, recent(), title="Pelatihan Tata Kelola Data")
    theirs = external_training(office.colleague, recent(), title="Pelatihan Milik Rekan")
    old = external_training(office.staff, recent(400), title="Pelatihan Lama Sekali")

    response = client_for(office.staff).get("/me/evaluations/")

    assert response.status_code == 200
    records = [record for record, _form in response.context["items"]]
    assert records == [mine]
    content = response.content.decode()
    assert "Pelatihan Tata Kelola Data" in content
    assert theirs.title not in content and old.title not in content
    assert f'action="/me/evaluations/{mine.pk}/"' in content


def test_an_answer_is_saved_once(office: Office) -> None:
    record = external_training(office.staff, recent())
    client = client_for(office.staff)

    response = client.post(f"/me/evaluations/{record.pk}/", VALID)
    assert response.status_code == 302 and response["Location"] == "/me/evaluations/"
    survey = ReactionSurvey.objects.get(learning_record=record)
    assert (survey.relevance, survey.quality, survey.applicability) == (5, 4, 3)
    assert survey.comment == "Materi sangat aplikatif."

    again = client.post(f"/me/evaluations/{record.pk}/", {**VALID, "relevance": "1"}, follow=True)
    assert "sudah dievaluasi" in again.content.decode()
    assert ReactionSurvey.objects.filter(learning_record=record).count() == 1
    assert ReactionSurvey.objects.get(learning_record=record).relevance == 5
    # Answered, it leaves the list and shows among the latest answers.
    page = client.get("/me/evaluations/")
    assert page.context["items"] == []
    assert [s.pk for s in page.context["answered"]] == [survey.pk]


def test_scores_outside_1_to_5_are_explained_per_field_and_nothing_is_saved(office: Office) -> None:
    record = external_training(office.staff, recent())
    client = client_for(office.staff)

    response = client.post(
        f"/me/evaluations/{record.pk}/", {"relevance": "6", "quality": "0", "comment": "x"}
    )

    assert response.status_code == 400
    form = dict(response.context["items"])[record]
    assert set(form.errors) == {"relevance", "quality", "applicability"}
    content = response.content.decode()
    assert "Pilih nilai dari 1 sampai 5." in content
    assert f'aria-describedby="id_r{record.pk}_relevance-errors"' in content
    assert not ReactionSurvey.objects.exists()


def test_nobody_evaluates_someone_elses_completion(office: Office) -> None:
    record = external_training(office.colleague, recent())

    response = client_for(office.staff).post(f"/me/evaluations/{record.pk}/", VALID, follow=True)
    assert "tidak termasuk" in response.content.decode()
    # Not even their head: the reaction is the participant's own.
    client_for(office.new_head).post(f"/me/evaluations/{record.pk}/", VALID)
    assert not ReactionSurvey.objects.exists()


def test_anonymous_visitors_log_in_first_and_get_cannot_answer(office: Office) -> None:
    record = external_training(office.staff, recent())
    response = Client().get("/me/evaluations/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client_for(office.staff).get(f"/me/evaluations/{record.pk}/").status_code == 405
    assert Client().post(f"/me/evaluations/{record.pk}/", VALID).status_code == 302
    assert not ReactionSurvey.objects.exists()


def test_the_page_runs_a_fixed_number_of_queries(
    office: Office, django_assert_num_queries: Callable
) -> None:
    client = client_for(office.staff)
    first = external_training(office.staff, recent(), title="Pelatihan Pertama")
    client.post(f"/me/evaluations/{first.pk}/", VALID)
    external_training(office.staff, recent(), title="Pelatihan Kedua")
    client.get("/me/evaluations/")
    with CaptureQueriesContext(connection) as before:
        assert client.get("/me/evaluations/").status_code == 200
    queries = len(before.captured_queries)  # now: the next request clears the log

    for number in range(5):
        done = external_training(office.staff, recent(), title=f"Pelatihan Tambahan {number}")
        client.post(f"/me/evaluations/{done.pk}/", VALID)
        external_training(office.staff, recent(), title=f"Pelatihan Terbuka {number}")

    with django_assert_num_queries(queries):
        response = client.get("/me/evaluations/")
    assert len(response.context["items"]) == 6
    assert len(response.context["answered"]) == 6
