"""The Content-Security-Policy of every response (django-csp).

The site's own pages get a strict policy (``CONTENT_SECURITY_POLICY`` in settings): scripts
and style sheets only from this server, no inline script, inline ``style`` *attributes* only
(progress bars set their width), images from this server and ``data:`` (QR codes), frames only
for the video embeds of lessons, no framing by other sites. The Wagtail admin cannot run under
it yet (its widgets write inline scripts and styles — wagtail/wagtail#1288), so admin pages
other than the login page get ``'unsafe-inline'`` for scripts and styles, and ``blob:`` images
(the image chooser's previews); the login page, the one admin page anyone can reach, keeps the
strict policy. The API docs (Swagger UI) insert a style element at run time, so that page alone
may apply inline styles; its scripts stay strict.
"""

from __future__ import annotations

from typing import Any

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

API_DOCS = "/api/v1/docs/"
API_DOCS_RELAXED = {"style-src": [SELF, UNSAFE_INLINE]}
ADMIN_PREFIX = "/admin/"
ADMIN_LOGIN = "/admin/login/"
ADMIN_RELAXED = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: Any, response: Any, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        path = request.path
        if path.startswith(ADMIN_PREFIX) and not path.startswith(ADMIN_LOGIN):
            parts.replace = {**ADMIN_RELAXED, **(parts.replace or {})}
        elif path == API_DOCS:
            parts.replace = {**API_DOCS_RELAXED, **(parts.replace or {})}
        return parts
