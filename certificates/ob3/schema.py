"""1EdTech's JSON Schema for an AchievementCredential (draft 2019-09): it catches what JSON-LD
cannot (required fields, enumerations, ``proof`` as an array)."""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft201909Validator

from certificates.ob3.loader import SCHEMA_FILE, bundled_json


@cache
def _schema_validator() -> Draft201909Validator:
    schema = bundled_json(SCHEMA_FILE)
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)


def schema_errors(document: dict[str, Any]) -> list[str]:
    """Problems against 1EdTech's AchievementCredential JSON Schema (draft 2019-09); [] if valid.

    The schema catches what JSON-LD cannot (required fields, enumerations, ``proof`` as an
    array); each message is prefixed with the JSON path of the offending value.
    """
    errors = sorted(
        _schema_validator().iter_errors(document),
        key=lambda error: [str(part) for part in error.absolute_path],
    )
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(root)'}: {error.message}"
        for error in errors
    ]
