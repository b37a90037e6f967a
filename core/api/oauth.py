"""OAuth2 client credentials (django-oauth-toolkit) limited to each client's allowed scopes."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


def _allowed(client: Any) -> set[str]:
    tangkas = getattr(client, "tangkas_client", None)
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

    def get_default_scopes(
        self, client_id: str, request: Any, *args: Any, **kwargs: Any
    ) -> list[str]:
        return sorted(_allowed(request.client))
