"""How schemathesis judges the HR API's contract, shared by the CI test
(``tests/api/test_schema.py``) and the long run (``make fuzz``, which loads this module with
``SCHEMATHESIS_HOOKS``).

Every check and every phase runs. One failure is dropped, on purpose and only this one: a
request the schema allows that the server refuses **for a business rule the schema cannot
state** (digits 1–8 of a NIP that are not a real birth date, a competency code or a position
nobody has, an ``Idempotency-Key`` already used for another request). Such a refusal is a 400
problem whose errors carry the code of the rule (``nip_birth_date``, ``unknown_competency``,
…) or an application error of its own code, or the 422 of a reused key. A 400 whose errors carry only the codes of the schema's own keywords
(``required``, ``invalid``, ``max_length``, ``pattern``, …) means the schema allowed what the
server refuses: that failure is kept, and the schema (or the server) is wrong.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis.openapi.checks import RejectedPositiveData

#: The codes of refusals the schema can state: DRF's and Django's field codes, and ours for a
#: pattern or a date's form. A schema-valid request must never be refused with one of them.
SCHEMA_CODES = frozenset(
    {
        "blank",
        "date",
        "datetime",
        "empty",
        "incorrect_type",
        "invalid",
        "invalid_choice",
        "invalid_date",
        "max_decimal_places",
        "max_digits",
        "max_length",
        "max_string_length",
        "max_value",
        "max_whole_digits",
        "min_length",
        "min_value",
        "not_a_dict",
        "not_a_list",
        "null",
        "null_characters_not_allowed",
        "parse_error",
        "pattern",
        "required",
        "surrogate_characters_not_allowed",
        "too_many",
        "unsupported_media_type",
    }
)
#: Problem codes that stand for "see errors": the request was refused field by field.
FIELD_BY_FIELD = frozenset({"invalid", "import_rejected", "parse_error"})


def refused_for_a_business_rule(status_code: int, problem: Any) -> bool:
    """Whether a 400 ``problem`` names a business rule rather than a schema keyword, or a 422
    says that the request's ``Idempotency-Key`` already named another request."""
    if not isinstance(problem, dict):
        return False
    if status_code == 422:
        return problem.get("code") == "idempotency_key_reused"
    if status_code != 400:
        return False
    if problem.get("code") not in FIELD_BY_FIELD:
        return True  # an application error with a code of its own
    codes = {error.get("code") for error in problem.get("errors") or []}
    return bool(codes) and not codes & SCHEMA_CODES


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """Keep every failure but a schema-valid request refused for a business rule."""
    if not isinstance(failure, RejectedPositiveData):
        return True
    try:
        problem = response.json()
    except ValueError:
        return True
    return not refused_for_a_business_rule(response.status_code, problem)
