"""The HR API against its own OpenAPI document: schemathesis drives every operation with
generated requests, valid and invalid, in every phase (the document's examples, coverage of
each keyword's boundaries, random fuzzing, and stateful sequences that follow the responses),
and applies every check: no server error; every status, content type, header and body as the
document says; everything the document forbids refused, everything it allows accepted
(``tests/api/contract.py`` says which refusals of allowed input are business rules);
authentication enforced; a created resource readable, a deleted one gone.

CI runs a few examples per operation (``CONTRACT_EXAMPLES``, default 4); ``make fuzz`` runs
the same checks against a real server with tens of thousands of requests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings

from lms.wsgi_app import application
from tests.api import contract  # noqa: F401  (the hooks schemathesis.toml names, loaded here too)

EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "4"))
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


def test_the_document_validates_and_names_every_operation() -> None:
    document = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(document)
    operations = [op for path in document["paths"].values() for op in path.values()]
    assert len(operations) >= 30
    assert all(op.get("operationId") for op in operations)
    assert all("429" in op["responses"] for op in operations)


@pytest.fixture
def bearer(api_client) -> Iterator[dict[str, str]]:
    """A token with every scope. Requests then go through the raw WSGI app, which must not
    close the test's database connection: like Django's test client, we unhook the signal
    that would (after the token request, since the test client hooks it back)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    client = api_client(" ".join(django_settings.API_SCOPES))
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"Authorization": client._credentials["HTTP_AUTHORIZATION"]}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@HYPOTHESIS
@pytest.mark.django_db
def test_every_operation_keeps_the_contract(case: Any, bearer: dict[str, str], city: Any) -> None:
    cache.clear()  # throttles are exercised in their own tests
    case.call_and_validate(headers=bearer)


class Sequences(schema.as_state_machine()):  # type: ignore[misc]
    """Stateful: sequences of calls where each step may use what an earlier one returned (a
    created position's id, an employee's), checked like single calls, plus that a resource
    just created can be read and one just deleted cannot."""

    headers: dict[str, str] = {}

    def before_call(self, case: Any) -> None:
        cache.clear()

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"headers": self.headers}

    def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
        # The checks that try the request without credentials need to know which were sent.
        case.validate_response(
            response,
            headers=self.headers,
            transport_kwargs=kwargs or None,
            recorder=getattr(self, "recorder", None),
        )


@pytest.mark.django_db
def test_sequences_of_operations_keep_the_contract(bearer: dict[str, str], city: Any) -> None:
    Sequences.headers = bearer
    Sequences.run(
        settings=settings(HYPOTHESIS, max_examples=max(EXAMPLES * 3, 10), stateful_step_count=6)
    )
