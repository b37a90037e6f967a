"""``Location`` on a 201: where the resource just created can be read.

A view that creates resources with a detail URL names it in ``created_location`` (a path
with ``{id}``) and mixes in ``CreatedLocationMixin``. The header is set in
``finalize_response``, which every answer of the view passes through, so a replay of an
``Idempotency-Key`` (``core.api.idempotency``) carries it as the first answer did. The OpenAPI
document declares it on those operations' 201 (``core.api.schema.created_locations``).
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response


class CreatedLocationMixin:
    #: The created resource's path, with ``{id}`` (e.g. ``/api/v1/employees/{id}/``).
    created_location: str

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        data = getattr(response, "data", None)
        if response.status_code == 201 and isinstance(data, dict) and "id" in data:
            path = self.created_location.format(id=data["id"])
            response["Location"] = request.build_absolute_uri(path)
        return response
