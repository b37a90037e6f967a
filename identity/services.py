"""Signing a person in from the provider's claims.

A sign-on is tied to a person by the NIP claim alone, never by e-mail: e-mail addresses are
shared, reused and typed by hand, a NIP names one civil servant. The first sign-on of a person
creates their Tangkas login and links it; later ones find it through the person. A NIP that
matches no person creates nothing.

The HR role follows the provider: a sign-on whose role claim carries ``OIDC_HR_VALUE`` puts
the login in the HR group, one without it takes the login out (BKPSDM manages the role in one
place; a login that lost it at the provider loses it here at its next sign-on). Superusers are
left as they are. Head of unit access is not a role: it keeps following the post held on the
day (``competencies.access``).
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction

from competencies.access import HR_GROUP_NAME
from competencies.demo import hr_group
from competencies.models import Employee
from competencies.validators import normalise_nip, parse_nip
from identity.exceptions import MissingNipClaimError, UnknownPersonError

logger = logging.getLogger(__name__)


def nip_from_claim(value: Any) -> str:
    """The NIP the provider sent, normalised, or ``MissingNipClaimError`` when it is absent
    or not a valid NIP (checked with the project's NIP rules)."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise MissingNipClaimError()
    nip = normalise_nip(str(value))
    try:
        parse_nip(nip)
    except DjangoValidationError:
        raise MissingNipClaimError() from None
    return nip


def claim_grants_hr(*, claims: dict[str, Any], claim: str, value: str) -> bool:
    """Whether the role claim (a dotted path such as ``realm_access.roles``) holds ``value``:
    equal to it, or, for a list of groups or roles, containing it (a Keycloak group path
    ``/tangkas-hr`` counts for ``tangkas-hr``)."""
    if not claim or not value:
        return False
    found: Any = claims
    for part in claim.split("."):
        if not isinstance(found, dict):
            return False
        found = found.get(part)
    if isinstance(found, str):
        found = [found]
    if not isinstance(found, list):
        return False
    wanted = {value, "/" + value.lstrip("/")}
    return any(isinstance(item, str) and item in wanted for item in found)


@transaction.atomic
def sso_login_link(*, nip: str, is_hr: bool, email: str = "") -> AbstractBaseUser:
    """The login of the person whose NIP is ``nip``, created and linked on their first
    sign-on, with the HR group as the provider says. Raises ``UnknownPersonError`` (nothing
    created) when no person has this NIP."""
    # Locked, so that two first sign-ons at once create one login; the login is read after the
    # lock (not joined in), so the second sees the first's.
    employee = Employee.objects.select_for_update().filter(nip=nip).first()
    if employee is None:
        raise UnknownPersonError()
    user = employee.user
    created = user is None
    if user is None:
        user = _login_create(employee=employee, email=email)
    _hr_group_sync(user=user, is_hr=is_hr)
    logger.info("sign-on: user %s (created %s, hr %s)", user.pk, created, is_hr)
    return user


def _login_create(*, employee: Employee, email: str) -> AbstractBaseUser:
    User = get_user_model()
    username = f"sso-{employee.pk}"
    if User._default_manager.filter(username=username).exists():
        username = f"{username}-{secrets.token_hex(4)}"
    first, _sep, last = employee.name.partition(" ")
    try:
        validate_email(email)
    except DjangoValidationError:
        email = ""
    user = User(
        username=username,
        email=employee.email or email,
        first_name=first[:150],
        last_name=last[:150],
    )
    user.set_unusable_password()  # signs in through the provider only
    user.full_clean()
    user.save()
    employee.user = user
    employee.save(update_fields=["user", "updated_at"])
    return user


def _hr_group_sync(*, user: AbstractBaseUser, is_hr: bool) -> None:
    if user.is_superuser:
        return
    if is_hr:
        # The HR group as the demo city defines it (admin access, the competency matrix).
        group = Group.objects.filter(name=HR_GROUP_NAME).first() or hr_group()
        user.groups.add(group)
    else:
        user.groups.remove(*Group.objects.filter(name=HR_GROUP_NAME))
