"""The errors of the credential core: one base class, and the two refusals callers tell apart
(a term the signature would not cover, a context that is not bundled)."""

from __future__ import annotations


class CredentialError(Exception):
    """Base class: a credential (or a key, a DID, a status list) cannot be built, signed or read."""


class DroppedTermError(CredentialError):
    """JSON-LD expansion dropped a property or turned a value into a relative IRI.

    Such data would not be covered by the signature (and strict verifiers reject it), so it is
    an error to sign or accept it. ``term`` names the offending term or value.
    """

    def __init__(self, term: str, message: str) -> None:
        super().__init__(message)
        self.term = term


class UnknownContextError(CredentialError):
    """The document loader was asked for a URL that is not one of the bundled contexts."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"refusing to load {url!r}: only the contexts bundled in certificates/contexts are "
            "served, nothing is fetched from the network"
        )
        self.url = url
