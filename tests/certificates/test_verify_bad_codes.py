"""Verification with a code that cannot be one (characters outside the code alphabet, control
characters, NUL, very long input) answers "not found" or "bad request", never a server error."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

BAD_CODES = ["%00", "%E2%98%83", "<script>", "A" * 300, "TGK-%00-ZZZZ", "%FF%FE", "..%2F..%2F"]


@pytest.mark.django_db
@pytest.mark.parametrize("code", BAD_CODES)
def test_bad_codes_are_not_found_on_the_page_and_in_the_api(code: str) -> None:
    cache.clear()  # the verification rate limit
    client = Client(raise_request_exception=False)
    assert client.get(f"/verify/?code={code}").status_code in (302, 400, 404)
    assert client.get(f"/verify/{code}/").status_code in (400, 404)
    api = client.get(f"/api/v1/certificates/verify/{code}/")
    assert api.status_code in (400, 404), api.content[:200]
    cache.clear()
