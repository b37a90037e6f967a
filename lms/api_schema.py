"""drf-spectacular hooks for the OpenAPI document of ``/api/v1/``."""

from __future__ import annotations

from typing import Any


def only_public_api(endpoints: list[tuple[str, str, str, Any]], **kwargs: Any) -> list:
    """Keep only the operations under ``/api/v1/``: the contract HR systems rely on."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
