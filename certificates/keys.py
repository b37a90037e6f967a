"""The issuer's signing key and identity.

The private key comes from the environment (``CREDENTIAL_SIGNING_KEY``, a PEM; ``\\n`` escapes
allowed) or from a file (``CREDENTIAL_SIGNING_KEY_FILE``), never from the repository.
``manage.py generate_signing_key`` makes one. Development and tests create a throw-away key
in ``var/keys/`` when neither is set; production refuses to start without one.

The issuer is ``did:web`` of ``SITE_URL``; ``/.well-known/did.json`` lists every key the
issuer has used (``IssuerKey``), current first, so rotating the key keeps old credentials
verifiable.

The holder's identity hash is keyed with ``CREDENTIAL_SUBJECT_KEY``, a secret that is never
published (production refuses to start without it).
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings

from certificates import ob3
from certificates.models import IssuerKey


class SigningKeyMissingError(RuntimeError):
    pass


class SubjectKeyMissingError(RuntimeError):
    pass


def issuer_did() -> str:
    return ob3.did_web(settings.SITE_URL)


def _pem() -> str:
    if settings.CREDENTIAL_SIGNING_KEY:
        return settings.CREDENTIAL_SIGNING_KEY.replace("\\n", "\n")
    if settings.CREDENTIAL_SIGNING_KEY_FILE:
        path = Path(settings.CREDENTIAL_SIGNING_KEY_FILE)
        if not path.exists():
            if not settings.CREDENTIAL_SIGNING_KEY_AUTOCREATE:
                raise SigningKeyMissingError(
                    f"CREDENTIAL_SIGNING_KEY_FILE points at a missing file: {path}"
                )
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(ob3.generate_private_key_pem())
            os.chmod(path, 0o600)
        return path.read_text()
    raise SigningKeyMissingError(
        "Set CREDENTIAL_SIGNING_KEY or CREDENTIAL_SIGNING_KEY_FILE to sign certificates."
    )


def subject_key() -> bytes:
    """The key of the holder's identity hash (``ob3.hmac_identity``): server-side only, never
    published. HR matches a credential to a NIP with it, so changing it breaks the match of
    every credential signed before the change."""
    if not settings.CREDENTIAL_SUBJECT_KEY:
        raise SubjectKeyMissingError("Set CREDENTIAL_SUBJECT_KEY to sign certificates.")
    return settings.CREDENTIAL_SUBJECT_KEY.encode("utf-8")


def fingerprint(public_key_multibase: str) -> str:
    return hashlib.sha256(public_key_multibase.encode()).hexdigest()[:16]


@lru_cache(maxsize=4)
def _signing_key(pem: str, did: str) -> ob3.SigningKey:
    probe = ob3.signing_key_from_pem(pem, key_id=f"{did}#probe")
    return ob3.signing_key_from_pem(
        pem, key_id=f"{did}#key-{fingerprint(probe.public_key_multibase)}"
    )


def current_signing_key() -> ob3.SigningKey:
    """The key new credentials are signed with, registered in the issuer's key list."""
    key = _signing_key(_pem(), issuer_did())
    IssuerKey.objects.get_or_create(
        public_key_multibase=key.public_key_multibase, defaults={"key_id": key.key_id}
    )
    return key


def resolve_public_key(key_id: str) -> Ed25519PublicKey | None:
    """A verification method of this issuer, or None when the issuer never listed it."""
    record = IssuerKey.objects.filter(key_id=key_id).first()
    return ob3.public_key_from_multibase(record.public_key_multibase) if record else None


def did_document() -> dict:
    current_signing_key()
    keys = [
        (k.key_id, k.public_key_multibase) for k in IssuerKey.objects.order_by("-first_used_at")
    ]
    current = _signing_key(_pem(), issuer_did())
    keys.sort(key=lambda item: item[0] != current.key_id)
    return ob3.did_document(issuer_did(), keys)
