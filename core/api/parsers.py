"""JSON request bodies with a size limit (``API_MAX_BODY_BYTES``; ``API_BULK_MAX_BODY_BYTES``
for the bulk upsert, whose 5,000 rows need more).

Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is one figure for forms and every API operation, and
when DRF trips it the client gets Django's HTML 400 page. These parsers refuse a body past
their limit with a 413 problem (``core.api.errors``): at once when ``Content-Length`` says so,
else after reading at most the limit and one byte, whatever the server in front does with
chunked uploads. They read the request stream themselves (DRF hands its own ``JSONParser`` the
whole ``request.body`` instead, under Django's limit), then parse JSON exactly as DRF does.
"""

from __future__ import annotations

import io
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, renderers
from rest_framework.parsers import BaseParser, JSONParser


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "request_too_large"
    default_detail = _("The request body is too large.")


class LimitedJSONParser(BaseParser):
    """``application/json`` of at most ``settings.<limit_setting>`` bytes."""

    media_type = "application/json"
    renderer_class = renderers.JSONRenderer
    limit_setting = "API_MAX_BODY_BYTES"

    def parse(
        self,
        stream: IO[bytes],
        media_type: str | None = None,
        parser_context: dict[str, Any] | None = None,
    ) -> Any:
        limit = int(getattr(settings, self.limit_setting))
        request = (parser_context or {}).get("request")
        meta = getattr(request, "META", {})
        try:
            declared = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise self.too_large(limit)
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise self.too_large(limit)
        return JSONParser().parse(io.BytesIO(body), media_type, parser_context)

    @staticmethod
    def too_large(limit: int) -> RequestTooLarge:
        return RequestTooLarge(
            _("The request body is larger than %(limit)s bytes, the most this operation takes.")
            % {"limit": limit}
        )


class BulkJSONParser(LimitedJSONParser):
    """The bulk operations' JSON: ``API_BULK_MAX_BODY_BYTES``."""

    limit_setting = "API_BULK_MAX_BODY_BYTES"
