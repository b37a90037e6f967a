"""The demo city has survey answers (one course rated in the catalogue) and a level-3
evaluation due for demo.kepala, and seeding again creates nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from evaluations import demo
from evaluations.models import BehaviourEvaluation, ReactionSurvey

pytestmark = pytest.mark.django_db


def test_seed_demo_has_answers_and_a_due_level3_evaluation_for_the_head_once(
    client: Client,
) -> None:
    call_command("seed_demo", stdout=StringIO())
    counts = (ReactionSurvey.objects.count(), BehaviourEvaluation.objects.count())
    assert counts[0] >= settings.EVALUATION_RATING_MIN_RESPONSES
    assert demo.seed_evaluations(today=timezone.localdate()) == 0
    assert (ReactionSurvey.objects.count(), BehaviourEvaluation.objects.count()) == counts

    client.login(username="demo.kepala", password="tangkas-demo")
    page = client.get("/dashboard/evaluations/")
    assert page.status_code == 200
    titles = [e.learning_record.title for e, _form in page.context["items"]]
    assert "Pelatihan Pengamanan Basis Data Pemerintah Daerah" in titles

    assert "Dinilai" in client.get("/courses/").content.decode()
    client.login(username="demo.pegawai", password="tangkas-demo")
    assert client.get("/me/evaluations/").context["items"]  # their own, left to answer
