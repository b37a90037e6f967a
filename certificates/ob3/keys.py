"""Ed25519 keys, their Multikey (multibase base58btc) encoding, ``did:web`` and the DID
document that publishes the issuer's keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from certificates.ob3.errors import CredentialError
from certificates.ob3.loader import DID_V1, MULTIKEY_V1

_B58_ALPHABET: Final = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX: Final = {char: i for i, char in enumerate(_B58_ALPHABET)}
_ED25519_PUB_MULTICODEC: Final = b"\xed\x01"


def b58encode(data: bytes) -> str:
    """Bitcoin base58 (multibase ``z``); a few lines are cheaper than another dependency."""
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rem = divmod(number, 58)
        out.append(_B58_ALPHABET[rem])
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        try:
            number = number * 58 + _B58_INDEX[char]
        except KeyError:
            raise CredentialError(f"{char!r} is not a base58btc character") from None
    leading_ones = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * leading_ones + body


def _raw_public_key(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _public_key_multibase(public_key: Ed25519PublicKey) -> str:
    return "z" + b58encode(_ED25519_PUB_MULTICODEC + _raw_public_key(public_key))


@dataclass(frozen=True)
class SigningKey:
    """An issuer's Ed25519 key together with the verification method id that names it.

    ``key_id`` is the full DID URL a verifier dereferences (``did:web:host#key-1``); keeping
    the pair together means a proof can never name a different key than the one that signed.
    """

    key_id: str
    private_key: Ed25519PrivateKey

    @property
    def public_key_multibase(self) -> str:
        """The public key as a Multikey value: ``z`` + base58btc(0xed01 + 32 raw bytes)."""
        return _public_key_multibase(self.private_key.public_key())


def generate_private_key_pem() -> str:
    """A new Ed25519 private key as unencrypted PKCS#8 PEM.

    Unencrypted because it is meant for a secrets store or a root-only file outside the
    repository, read at start-up through :func:`signing_key_from_pem`.
    """
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem.decode("ascii")


def signing_key_from_pem(pem: str | bytes, key_id: str) -> SigningKey:
    """Load an Ed25519 PKCS#8 PEM private key and bind it to its verification method id."""
    if "#" not in key_id:
        raise CredentialError(
            f"key id {key_id!r} must be a DID URL with a fragment, e.g. 'did:web:host#key-1'"
        )
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise CredentialError(f"the signing key is not a readable PEM private key: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise CredentialError(
            f"the signing key is a {type(key).__name__}, but eddsa-rdfc-2022 needs Ed25519"
        )
    return SigningKey(key_id=key_id, private_key=key)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    """Decode a Multikey ``publicKeyMultibase`` (``z6Mk…``) into an Ed25519 public key."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise CredentialError("publicKeyMultibase must be a base58btc multibase string ('z…')")
    decoded = b58decode(value[1:])
    if len(decoded) != 34 or not decoded.startswith(_ED25519_PUB_MULTICODEC):
        raise CredentialError("publicKeyMultibase is not an Ed25519 Multikey (0xed01 + 32 bytes)")
    return Ed25519PublicKey.from_public_bytes(decoded[2:])


def did_web(site_url: str) -> str:
    """The ``did:web`` DID for a deployment's public URL, per the did:web method spec.

    The host is lower-cased, a port's ``:`` is percent-encoded (``%3A``) and each path segment
    becomes a ``:``-separated part. ``https://a.b.go.id`` resolves to
    ``https://a.b.go.id/.well-known/did.json``; a DID with path parts resolves to
    ``…/path/did.json``.
    """
    parts = urlsplit(site_url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"{site_url!r} is not an http(s) URL with a host")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"{site_url!r}: a did:web site URL has no query, fragment or user")
    if ":" in parts.hostname:
        raise ValueError(f"{site_url!r}: did:web cannot express an IPv6 literal host")
    host = parts.hostname.lower()
    if parts.port is not None:
        host += f"%3A{parts.port}"
    segments = [quote(segment, safe="") for segment in parts.path.split("/") if segment]
    return ":".join(["did", "web", host, *segments])


def did_document(did: str, keys: list[tuple[str, str]]) -> dict[str, Any]:
    """A DID document publishing the issuer's keys as Multikey verification methods.

    ``keys`` is ``[(key_id, public_key_multibase), …]`` with the current key first. Rotated-out
    keys must stay listed (in ``verificationMethod`` and ``assertionMethod``) so credentials
    they signed keep verifying; only the current key is listed under ``authentication``,
    because an old key has no business proving control of the DID any more.
    """
    if not did.startswith("did:"):
        raise ValueError(f"{did!r} is not a DID")
    if not keys:
        raise ValueError("a DID document needs at least one key")
    key_ids = [key_id for key_id, _ in keys]
    if len(set(key_ids)) != len(key_ids):
        raise ValueError("key ids in a DID document must be unique")
    methods = []
    for key_id, multibase in keys:
        if not key_id.startswith(did + "#"):
            raise ValueError(f"key id {key_id!r} must be {did!r} followed by '#fragment'")
        public_key_from_multibase(multibase)  # refuse to publish a malformed key
        methods.append(
            {
                "id": key_id,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": multibase,
            }
        )
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": key_ids,
        "authentication": key_ids[:1],
    }
