"""OAuth2 client credentials (django-oauth-toolkit), for registered API clients only.

An API client is an OAuth2 application *with* an ``ApiClient`` record (made by
``manage.py create_api_client``), which lists the scopes it may ask for. An application
without one — however it came to exist — gets no token (``validate_grant_type``) and a token it
somehow holds authenticates nobody (``RegisteredClientAuthentication``). Only the token, revoke
and introspect endpoints are mounted (``lms/urls.py``); nobody can register an application
through the web."""

from __future__ import annotations

from typing import Any

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.oauth2_validators import OAuth2Validator
from rest_framework import exceptions


def _registered(application: Any) -> Any:
    """The application's ``ApiClient`` record, or ``None``."""
    try:
        return application.tangkas_client
    except AttributeError:  # RelatedObjectDoesNotExist is an AttributeError too
        return None


def _allowed(client: Any) -> set[str]:
    tangkas = _registered(client)
    return tangkas.scope_set if tangkas is not None else set()


class ClientScopeValidator(OAuth2Validator):
    """A token may carry only scopes its client was created with; without a ``scope``
    parameter it gets all of them."""

    def validate_scopes(
        self,
        client_id: str,
        scopes: list[str],
        client: Any,
        request: Any,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        return set(scopes) <= _allowed(client) and super().validate_scopes(
            client_id, scopes, client, request, *args, **kwargs
        )

    def validate_grant_type(
        self,
        client_id: str,
        grant_type: str,
        client: Any,
        request: Any,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        """Only the client-credentials grant, and only for a registered API client."""
        return (
            grant_type == "client_credentials"
            and _registered(client) is not None
            and super().validate_grant_type(client_id, grant_type, client, request, *args, **kwargs)
        )

    def get_default_scopes(
        self, client_id: str, request: Any, *args: Any, **kwargs: Any
    ) -> list[str]:
        return sorted(_allowed(request.client))


class RegisteredClientAuthentication(OAuth2Authentication):
    """Bearer tokens of registered API clients only; any other token is refused (401)."""

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None and _registered(result[1].application) is None:
            raise exceptions.AuthenticationFailed(
                "The access token does not belong to a registered API client."
            )
        return result
