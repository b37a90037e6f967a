"""Signing on through a real OpenID Provider (tests/identity/provider/), from the site's
login button to the callback, over HTTP against the live test server.

Every refusal here is one the provider really produces or a request a browser could really
send; each test fails if the check it covers is taken out of the client.
"""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from competencies.access import HR_GROUP_NAME
from competencies.models import Employee, PositionKind
from tests.competencies.factories import (
    EmployeeFactory,
    PositionFactory,
    UserFactory,
    assign,
    unit,
)
from tests.identity.conftest import NIP_AYU, NIP_HR, NIP_STRANGER, Browser, Provider

pytestmark = pytest.mark.django_db(transaction=True)

User = get_user_model()


def _query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def _with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query=urlencode({**_query(url), **changes})))


def _logged_in(browser: Browser) -> bool:
    """Whether the site takes the browser for a logged-in user (else it asks for the login)."""
    response = browser.get("/me/competencies/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def _welcome(browser: Browser) -> str:
    """The learner home's greeting, which names the person behind the login."""
    return browser.get("/").text.split("<h1>", 1)[1].split("</h1>", 1)[0]


def _problem_code(response) -> str:
    assert 'data-code="' in response.text, response.text[:800]
    return response.text.split('data-code="', 1)[1].split('"', 1)[0]


def test_first_sign_on_creates_the_login_and_links_it_to_the_person(browser: Browser) -> None:
    ayu = EmployeeFactory(nip=NIP_AYU, name="Ayu Anggraini Sekar")
    users_before = User.objects.count()
    started = browser.get("/sso/login/?next=/me/history/")
    request = _query(started.headers["Location"])
    # The authorization request: code flow, PKCE with S256, state and nonce.
    assert request["response_type"] == "code" and request["client_id"] == "tangkas"
    assert request["code_challenge_method"] == "S256" and len(request["code_challenge"]) == 43
    assert len(request["state"]) >= 32 and len(request["nonce"]) >= 32
    assert request["redirect_uri"] == f"{browser.site}/sso/callback/"

    back = browser.get(
        browser.until_site(browser.http.get(started.headers["Location"]), "ayu").headers["Location"]
    )
    assert back.status_code == 302 and back.headers["Location"] == "/me/history/"
    assert "Ayu Anggraini Sekar" in _welcome(browser)
    ayu.refresh_from_db()
    assert ayu.user is not None and User.objects.count() == users_before + 1
    assert not ayu.user.has_usable_password()
    assert NIP_AYU not in ayu.user.username  # the NIP is not a user name
    assert not ayu.user.groups.filter(name=HR_GROUP_NAME).exists()

    # A later sign-on (another browser) finds the same login through the person.
    again = Browser(browser.site, browser.issuer)
    assert again.sign_on("ayu").status_code == 302
    assert User.objects.count() == users_before + 1
    assert "Ayu Anggraini Sekar" in _welcome(again)


def test_a_person_who_already_has_a_login_signs_on_to_it(browser: Browser) -> None:
    login = UserFactory(username="ayu.lokal")
    EmployeeFactory(nip=NIP_AYU, name="Ayu Sekar", user=login)
    users_before = User.objects.count()
    assert browser.sign_on("ayu").status_code == 302
    assert User.objects.count() == users_before
    assert "Ayu Sekar" in _welcome(browser)


def test_a_login_that_is_switched_off_stays_off(browser: Browser) -> None:
    login = UserFactory(username="ayu.lokal", is_active=False)
    EmployeeFactory(nip=NIP_AYU, user=login)
    answer = browser.sign_on("ayu")
    assert answer.status_code == 403 and _problem_code(answer) == "sign_on_login_inactive"
    assert not _logged_in(browser)


def test_an_id_token_with_another_nonce_is_refused(browser: Browser) -> None:
    EmployeeFactory(nip=NIP_AYU)
    # The provider is asked for another nonce than the one this browser's session holds, as
    # an attacker replaying a token issued for another login would present.
    answer = browser.sign_on("ayu", change_request=lambda url: _with_query(url, nonce="x" * 32))
    assert answer.status_code == 400 and _problem_code(answer) == "sign_on_failed"
    assert not _logged_in(browser)
    assert not User.objects.filter(employee__nip=NIP_AYU).exists()


def test_an_expired_id_token_is_refused(browser: Browser) -> None:
    """The provider's clock is the real one, so the site's clock is moved past the ID token's
    expiry (oidc-provider's default: one hour) and the leeway before the callback."""
    EmployeeFactory(nip=NIP_AYU)
    started = browser.get("/sso/login/")
    back = browser.until_site(browser.http.get(started.headers["Location"]), "ayu")
    later = dt.datetime.now(tz=dt.UTC) + dt.timedelta(hours=1, minutes=5)
    with time_machine.travel(later, tick=True):
        answer = browser.get(back.headers["Location"])
    assert answer.status_code == 400 and _problem_code(answer) == "sign_on_failed"
    assert not _logged_in(browser)


def test_an_id_token_signed_with_another_key_is_refused(browser: Browser, sso: Provider) -> None:
    EmployeeFactory(nip=NIP_AYU)
    sso.next_id_token(forged=True)  # same claims and kid, a key the JWKS does not hold
    answer = browser.sign_on("ayu")
    assert answer.status_code == 400 and _problem_code(answer) == "sign_on_failed"
    assert not _logged_in(browser)


def test_an_id_token_for_another_audience_is_refused(browser: Browser, sso: Provider) -> None:
    EmployeeFactory(nip=NIP_AYU)
    sso.next_id_token(aud="another-application")
    answer = browser.sign_on("ayu")
    assert answer.status_code == 400 and _problem_code(answer) == "sign_on_failed"
    assert not _logged_in(browser)


def test_an_id_token_from_another_issuer_is_refused(browser: Browser, sso: Provider) -> None:
    EmployeeFactory(nip=NIP_AYU)
    sso.next_id_token(iss="https://sso.other-city.example/realms/asn")
    answer = browser.sign_on("ayu")
    assert answer.status_code == 400 and _problem_code(answer) == "sign_on_failed"
    assert not _logged_in(browser)


def test_a_callback_this_browser_did_not_start_is_refused(browser: Browser) -> None:
    EmployeeFactory(nip=NIP_AYU)
    other = Browser(browser.site, browser.issuer)
    started = other.get("/sso/login/")
    back = other.until_site(other.http.get(started.headers["Location"]), "ayu")
    browser.get("/sso/login/")  # this browser has a sign-on of its own under way
    answer = browser.get(back.headers["Location"])  # but is handed the other's code and state
    assert answer.status_code == 400 and _problem_code(answer) == "sign_on_failed"
    assert not _logged_in(browser)


def test_an_unknown_nip_gets_the_bkpsdm_page_and_nothing_is_created(
    browser: Browser, caplog: pytest.LogCaptureFixture
) -> None:
    users_before, people_before = User.objects.count(), Employee.objects.count()
    with caplog.at_level(logging.DEBUG):
        answer = browser.sign_on("stranger")
    assert "sign_on_unknown_nip" in caplog.text  # the log says why, naming nobody
    assert NIP_STRANGER not in caplog.text and "Orang Lain" not in caplog.text
    assert answer.status_code == 403 and _problem_code(answer) == "sign_on_unknown_nip"
    assert "hubungi BKPSDM" in answer.text
    assert NIP_STRANGER not in answer.text
    assert (User.objects.count(), Employee.objects.count()) == (users_before, people_before)
    assert not _logged_in(browser)
    english = Browser(browser.site, browser.issuer)
    english.http.headers["Accept-Language"] = "en"
    answer = english.sign_on("stranger")
    assert "contact BKPSDM" in answer.text and '<html lang="en">' in answer.text


def test_a_sign_on_without_a_nip_is_refused(browser: Browser) -> None:
    users_before = User.objects.count()
    answer = browser.sign_on("no-nip")
    assert answer.status_code == 403 and _problem_code(answer) == "sign_on_no_nip"
    assert User.objects.count() == users_before


def test_the_hr_role_claim_grants_hr_and_its_absence_takes_it_away(browser: Browser) -> None:
    unit("UNIT-A")
    person = EmployeeFactory(nip=NIP_HR)
    assert browser.sign_on("hr-with-role").status_code == 302
    person.refresh_from_db()
    assert person.user.groups.filter(name=HR_GROUP_NAME).exists()
    assert browser.get("/dashboard/").status_code == 200  # HR sees the organisation

    later = Browser(browser.site, browser.issuer)
    assert later.sign_on("hr-without-role").status_code == 302
    assert not person.user.groups.filter(name=HR_GROUP_NAME).exists()
    assert later.get("/dashboard/").status_code == 403
    assert Group.objects.filter(name=HR_GROUP_NAME).exists()  # the group itself stays


def test_head_access_follows_the_post_not_the_role_claim(browser: Browser) -> None:
    bidang = unit("UNIT-A")
    head_post = PositionFactory(org_unit=bidang, is_head=True, kind=PositionKind.ADMINISTRATOR)
    person = EmployeeFactory(nip=NIP_HR)
    assign(person, head_post, start=timezone.localdate() - dt.timedelta(days=400))
    assert browser.sign_on("hr-without-role").status_code == 302
    person.refresh_from_db()
    assert not person.user.groups.filter(name=HR_GROUP_NAME).exists()
    assert browser.get("/dashboard/").status_code == 200  # the head of the unit, today


def test_logout_ends_the_session_here_and_at_the_provider(browser: Browser) -> None:
    EmployeeFactory(nip=NIP_AYU)
    assert browser.sign_on("ayu").status_code == 302
    logout = browser.csrf_post("/logout/")
    assert logout.status_code == 302
    end_session = logout.headers["Location"]
    assert end_session.startswith(f"{browser.issuer}/session/end")
    params = _query(end_session)
    assert params["post_logout_redirect_uri"] == f"{browser.site}/"
    # The ID token names nobody (the NIP came from userinfo): it goes back as the hint.
    assert params["id_token_hint"].count(".") == 2 and params["client_id"] == "tangkas"
    assert not _logged_in(browser)  # logged out here at once

    # The provider asks to confirm, then sends the browser back to the site.
    confirm = browser.http.get(end_session, allow_redirects=False, timeout=20)
    assert confirm.status_code == 200
    form = confirm.text.split('action="', 1)[1].split('"', 1)[0]
    xsrf = confirm.text.split('name="xsrf" value="', 1)[1].split('"', 1)[0]
    done = browser.post_form(form, {"xsrf": xsrf, "logout": "yes"})
    assert done.status_code in (302, 303) and done.headers["Location"] == f"{browser.site}/"

    # The provider's session is over too: signing on asks for the login again.
    started = browser.get("/sso/login/")
    at_provider = browser.http.get(started.headers["Location"], allow_redirects=True, timeout=20)
    assert 'name="login"' in at_provider.text


def test_a_discovery_document_for_another_issuer_is_not_used(
    browser: Browser, sso: Provider, settings
) -> None:
    # The same provider reached under another name: its document names its real issuer, so
    # every token would fail the issuer check; the sign-on says the service is unavailable.
    settings.OIDC_ISSUER = sso.issuer.replace("127.0.0.1", "localhost")
    answer = browser.get("/sso/login/")
    assert answer.status_code == 503 and _problem_code(answer) == "sign_on_unavailable"


def test_refused_sign_ons_do_not_lock_an_office_out(browser: Browser, settings) -> None:
    """The password lockout counts guesses per user name and address; refused sign-ons carry
    no user name, so counting them would lock everyone behind the address out."""
    settings.AXES_FAILURE_LIMIT = 2
    EmployeeFactory(nip=NIP_AYU)
    for _ in range(3):
        colleague = Browser(browser.site, browser.issuer)
        assert colleague.sign_on("stranger").status_code == 403
    assert browser.sign_on("ayu").status_code == 302
    assert _logged_in(browser)


def test_an_id_token_that_names_the_person_is_not_put_in_the_logout_url(
    browser: Browser, sso: Provider
) -> None:
    EmployeeFactory(nip=NIP_AYU)
    sso.next_id_token(nip=NIP_AYU, name="Ayu Sekar")
    assert browser.sign_on("ayu").status_code == 302
    logout = browser.csrf_post("/logout/")
    end_session = logout.headers["Location"]
    assert NIP_AYU not in end_session and "id_token_hint" not in end_session
    params = _query(end_session)
    assert params["client_id"] == "tangkas"
    # The provider still logs the person out (it asks them to confirm).
    confirm = browser.http.get(end_session, allow_redirects=False, timeout=20)
    assert confirm.status_code == 200 and 'name="xsrf"' in confirm.text


def test_userinfo_about_another_subject_is_refused(browser: Browser, sso: Provider) -> None:
    EmployeeFactory(nip=NIP_AYU)
    sso.next_id_token(sub="someone-else")  # the NIP comes from userinfo, about "ayu"
    answer = browser.sign_on("ayu")
    assert answer.status_code == 400 and _problem_code(answer) == "sign_on_failed"
    assert not _logged_in(browser)


def test_the_discovery_document_is_read_once(browser: Browser, sso: Provider) -> None:
    EmployeeFactory(nip=NIP_AYU)
    before = sso.discoveries()
    assert browser.sign_on("ayu").status_code == 302
    assert Browser(browser.site, browser.issuer).sign_on("ayu").status_code == 302
    assert sso.discoveries() == before + 1
