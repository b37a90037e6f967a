"""A real OpenID Provider on the loopback, and a browser-less sign-on through it.

The provider is panva's ``oidc-provider`` (OpenID Certified), run by Node from
``tests/identity/provider/`` (its own package.json and lock file; installed with ``npm ci``
here when node_modules is missing, and by ``.ci/run``). It knows the client ``tangkas``, whose
redirect URI is the live test server's ``/sso/callback/``, and the accounts in ``ACCOUNTS``;
its development login form signs in any of them by name.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import ClassVar
from urllib.parse import urljoin

import pytest
import requests
from django.core.cache import cache

from tests.competencies.factories import make_nip

PROVIDER_DIR = Path(__file__).resolve().parent / "provider"
CLIENT_ID = "tangkas"
CLIENT_SECRET = "tangkas-test-client-secret"

NIP_AYU = make_nip(birth="19880214", appointed="201203", sex="2", seq=7)
NIP_HR = make_nip(birth="19790530", appointed="200504", sex="1", seq=11)
NIP_STRANGER = make_nip(birth="19910101", appointed="201601", sex="1", seq=21)

#: The provider's accounts: id -> claims. Two accounts carry NIP_HR, with and without the HR
#: group, as one person whose role BKPSDM changed at the provider.
ACCOUNTS = {
    "ayu": {"nip": NIP_AYU, "name": "Ayu Sekar", "email": "ayu@kota.example"},
    "hr-with-role": {"nip": NIP_HR, "groups": ["/tangkas-hr", "/pegawai"]},
    "hr-without-role": {"nip": NIP_HR, "groups": ["/pegawai"]},
    "stranger": {"nip": NIP_STRANGER, "name": "Orang Lain"},
    "no-nip": {"name": "Tanpa NIP"},
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Provider:
    issuer: str

    def next_id_token(self, **claims: str | bool) -> None:
        """Have the next ID token re-signed (by the provider's key) with these claims."""
        requests.post(f"{self.issuer}/__test/next-id-token", json=claims, timeout=5)

    def discoveries(self) -> int:
        """How many times the discovery document has been read so far."""
        return requests.get(f"{self.issuer}/__test/discoveries", timeout=5).json()["discoveries"]


def _install_provider_packages() -> None:
    """``npm ci`` when the packages are missing (``make test`` installs them beforehand). Under a
    file lock: two xdist workers must not run ``npm ci`` in the same folder at once."""
    with open(PROVIDER_DIR / "package-lock.json", "rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
                subprocess.run(
                    ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                    cwd=PROVIDER_DIR,
                    check=True,
                    timeout=300,
                )
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def provider(live_server) -> Iterator[Provider]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed for the OpenID Provider of the identity tests")
    _install_provider_packages()
    port = _free_port()
    env = {
        **os.environ,
        "OP_PORT": str(port),
        "OP_CLIENTS": json.dumps(
            [
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [f"{live_server.url}/sso/callback/"],
                    "post_logout_redirect_uris": [f"{live_server.url}/"],
                }
            ]
        ),
        "OP_ACCOUNTS": json.dumps(ACCOUNTS),
    }
    process = subprocess.Popen(
        [node, "provider.mjs"],
        cwd=PROVIDER_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()  # blocks until the provider listens (or dies)
        if not line.startswith("ready "):
            pytest.fail(f"the OpenID Provider did not start (exit {process.poll()})")
        yield Provider(issuer=line.split()[1])
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sso(
    settings,
    provider: Provider,
    transactional_db: None,
    django_db_serialized_rollback: None,
) -> Provider:
    """Single sign-on switched on against the test provider (discovery not yet cached).

    The live server makes these tests transactional; like every other transactional test of
    the suite (the browser's, the worker's) they restore the rows migrations made
    (serialized rollback). One that did not would have its teardown recreate the content
    types, and the next serialized test would find them there twice."""
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid profile email asn"
    settings.OIDC_NIP_CLAIM = "nip"
    settings.OIDC_HR_CLAIM = "groups"
    settings.OIDC_HR_VALUE = "tangkas-hr"
    cache.clear()
    return provider


_FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*method="post"', re.IGNORECASE)


class Browser:
    """A browser without JavaScript: a requests session that follows redirects one by one, so
    a test can read or change each hop."""

    #: Every browser's session, closed after each test: a kept-alive connection keeps the live
    #: server's thread for it, and that thread's database connection, open.
    sessions: ClassVar[list[requests.Session]] = []

    def __init__(self, site: str, issuer: str) -> None:
        self.site = site
        self.issuer = issuer
        self.http = requests.Session()
        Browser.sessions.append(self.http)

    def get(self, url: str, **kwargs) -> requests.Response:
        return self.http.get(urljoin(self.site, url), allow_redirects=False, timeout=20, **kwargs)

    def post_form(self, url: str, data: dict[str, str]) -> requests.Response:
        return self.http.post(url, data=data, allow_redirects=False, timeout=20)

    def csrf_post(self, path: str, data: dict[str, str] | None = None) -> requests.Response:
        self.get("/login/")  # sets the CSRF cookie
        token = self.http.cookies.get("csrftoken")
        return self.http.post(
            urljoin(self.site, path),
            data={"csrfmiddlewaretoken": token, **(data or {})},
            headers={"Referer": urljoin(self.site, path)},
            allow_redirects=False,
            timeout=20,
        )

    def until_site(self, response: requests.Response, account: str) -> requests.Response:
        """Go through the provider's pages (log in as ``account``, consent) until it sends the
        browser back to the site; return that redirect."""
        for _ in range(12):
            if response.is_redirect:
                location = urljoin(response.url, response.headers["Location"])
                if location.startswith(self.site):
                    return response
                response = self.http.get(location, allow_redirects=False, timeout=20)
                continue
            assert response.status_code == 200, response.text[:500]
            action = urljoin(response.url, unescape(_FORM.search(response.text).group(1)))
            if 'name="login"' in response.text:
                fields = {"prompt": "login", "login": account, "password": "any"}
            else:
                fields = {"prompt": "consent"}
            response = self.post_form(action, fields)
        raise AssertionError("the provider never sent the browser back")

    def sign_on(
        self,
        account: str,
        *,
        start: str = "/sso/login/",
        change_request: Callable[[str], str] = lambda url: url,
    ) -> requests.Response:
        """Start at the site, sign in at the provider, and return the site's answer to the
        callback. ``change_request`` may alter the authorization request on its way."""
        started = self.get(start)
        assert started.status_code == 302, started.text[:500]
        authorize = change_request(started.headers["Location"])
        assert authorize.startswith(self.issuer)
        back = self.until_site(self.http.get(authorize, allow_redirects=False, timeout=20), account)
        return self.get(back.headers["Location"])


@pytest.fixture
def browser(live_server, sso: Provider) -> Iterator[Browser]:
    yield Browser(live_server.url, sso.issuer)
    while Browser.sessions:
        Browser.sessions.pop().close()
