"""The API's JSON renderer (orjson) writes what DRF's own renderer writes: the same bytes for
every document without floats (floats: the same values), DRF's encoder for what orjson does
not know, indentation and huge integers through DRF itself."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.renderers import JSONRenderer

from core.api.renderers import FastJSONRenderer

fast, drf = FastJSONRenderer(), JSONRenderer()

scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text()
documents = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_same_bytes_as_drf_for_any_document_without_floats(document) -> None:
    assert fast.render(document) == drf.render(document)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=10))
def test_same_values_for_floats(numbers) -> None:
    assert json.loads(fast.render(numbers)) == json.loads(drf.render(numbers))


def test_what_orjson_does_not_know_goes_through_drfs_encoder() -> None:
    document = {
        "at": dt.datetime(2026, 12, 31, 23, 30, 0, 123456, tzinfo=ZoneInfo("UTC")),
        "day": dt.date(2026, 12, 31),
        "cost": Decimal("3500000.50"),
        "label": gettext_lazy("Draft"),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "codes": {"TIK-01"},
        "line": "a\u2028b\u2029c",
        3: "a key that is a number",
    }
    assert fast.render(document) == drf.render(document)


def test_indentation_and_huge_integers_are_drfs_own() -> None:
    document = {"big": 2**80, "rows": [1, 2]}
    assert fast.render(document) == drf.render(document)
    indented = fast.render({"a": [1]}, "application/json; indent=2", {})
    assert indented == drf.render({"a": [1]}, "application/json; indent=2", {})
    assert b"\n  " in indented
    assert fast.render(None) == b""
