"""The OpenAPI document validates, and every operation answers within it: schemathesis drives
each operation with generated requests and checks for server errors and responses outside the
schema (status codes, content types, bodies). Business refusals of schema-valid input (an
impossible NIP, an unknown position) are fine: they are documented 4xx problems."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lms.wsgi_app import application

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

    client = api_client()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"Authorization": client._credentials["HTTP_AUTHORIZATION"]}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@pytest.mark.django_db
def test_every_operation_stays_within_the_schema(case, bearer, city) -> None:
    cache.clear()  # throttles are exercised in their own tests
    case.call_and_validate(
        headers=bearer,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
