"""Open Badges 3.0 verifiable credentials: build, sign, verify and revoke, fully offline.

A Tangkas certificate is also issued as an ``OpenBadgeCredential`` (W3C Verifiable Credentials
Data Model 2.0 + 1EdTech Open Badges 3.0.3) so that a civil servant can carry it to a wallet or
another agency and anyone can check it without asking us. This module is the whole of that
cryptographic core and deliberately knows nothing about Django, models or settings: callers pass
plain values in and get plain ``dict`` documents out, which keeps it testable on its own and
usable from a management command, a Celery task or a view alike.

Why the design is what it is:

* **Signature suite** – an embedded Data Integrity proof, cryptosuite ``eddsa-rdfc-2022``
  (Ed25519 over RDF Dataset Canonicalization, RDFC-1.0 = URDNA2015). It is what 1EdTech
  conformance and independent verifiers (Digital Bazaar's ``@digitalbazaar/vc``, the DCC
  verifier) check; ``certificates/verifier`` runs Digital Bazaar's stack against our output.
* **Offline and pinned contexts** – canonicalization reads JSON-LD contexts. We serve only the
  copies bundled in ``certificates/contexts`` and refuse every other URL: fetching at run time
  would let whoever controls a context URL change what our signatures mean, and would make
  signing depend on the network.
* **No silently unsigned data** – ``pyld`` has no "safe mode": a property its contexts do not
  define is dropped, and an undefined type becomes a relative IRI that canonicalization drops.
  The signature would then cover less than the JSON shows, and strict (safe-mode) verifiers
  reject the credential outright. :func:`check_terms` detects both and :func:`sign` and
  :func:`verify` always run it.
* **Revocation** is a W3C Bitstring Status List (a signed credential of its own). Signature
  verification deliberately does not look at it: a revoked credential still has a valid
  signature, and callers must check the status list separately.
"""

from __future__ import annotations

import base64
import copy
import gzip
import hashlib
import json
import re
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Final, NoReturn
from urllib.parse import quote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from jsonschema import Draft201909Validator
from pyld import jsonld
from pyld.context_resolver import ContextResolver

__all__ = [
    "CredentialError",
    "DroppedTermError",
    "SigningKey",
    "UnknownContextError",
    "VerificationResult",
    "build_achievement_credential",
    "build_status_list_credential",
    "check_terms",
    "decode_status_list",
    "did_document",
    "did_web",
    "document_loader",
    "encode_status_list",
    "generate_private_key_pem",
    "get_bit",
    "hash_identity",
    "new_status_list",
    "public_key_from_multibase",
    "schema_errors",
    "set_bit",
    "sign",
    "signing_key_from_pem",
    "verify",
]


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Bundled contexts and the document loader
# --------------------------------------------------------------------------------------------

_CONTEXT_DIR: Final = Path(__file__).resolve().parent / "contexts"

_VC_V2: Final = "https://www.w3.org/ns/credentials/v2"
_DATA_INTEGRITY_V2: Final = "https://w3id.org/security/data-integrity/v2"
_MULTIKEY_V1: Final = "https://w3id.org/security/multikey/v1"
_DID_V1: Final = "https://www.w3.org/ns/did/v1"
_OB_V3P0: Final = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

# canonical URL -> file in certificates/contexts (see SOURCES.md there)
_CONTEXT_FILES: Final[Mapping[str, str]] = {
    _VC_V2: "credentials-v2.jsonld",
    _DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    _MULTIKEY_V1: "multikey-v1.jsonld",
    "https://www.w3.org/ns/credentials/status/v1": "vc-bitstring-status-list-v1.jsonld",
    _DID_V1: "did-v1.jsonld",
    _OB_V3P0: "ob-v3p0-context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
}
_SCHEMA_FILE: Final = "ob_v3p0_achievementcredential_schema.json"


@cache
def _bundled_json(filename: str) -> Any:
    """Parse a bundled file once per process; canonicalization asks for contexts constantly."""
    return json.loads((_CONTEXT_DIR / filename).read_text(encoding="utf-8"))


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A pyld document loader that serves the bundled contexts and refuses every other URL.

    Raises :class:`UnknownContextError` for anything not bundled, so a credential that points
    at a context we have not reviewed can neither be signed nor silently fetched. The returned
    document is a copy, so nothing pyld does to it can alter the cached original. ``tag:
    static`` lets pyld keep the processed context across operations.
    """
    filename = _CONTEXT_FILES.get(url)
    if filename is None:
        raise UnknownContextError(url)
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": copy.deepcopy(_bundled_json(filename)),
        "tag": "static",
    }


class _BoundedCache:
    """A small thread-safe LRU used as pyld's resolved-context cache.

    pyld's default cache is module-global and shared with every other pyld user in the process,
    keyed by URL only: a context cached there by some other loader would be used without asking
    ours. A private cache keeps the "bundled contexts only" guarantee, and its bound keeps
    inline contexts of untrusted documents (also cached, keyed by content) from growing memory.
    """

    def __init__(self, maxsize: int) -> None:
        self._maxsize = maxsize
        self._data: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, default: Any = None) -> Any:
        with self._lock:
            if key not in self._data:
                return default
            self._data.move_to_end(key)
            return self._data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._maxsize:
                self._data.popitem(last=False)


_RESOLVED_CONTEXTS: Final = _BoundedCache(maxsize=256)


def _jsonld_options(**extra: Any) -> dict[str, Any]:
    """Options for every pyld call: our loader, our context cache, JSON-LD 1.1, no base IRI.

    ``base: None`` matters: for an in-memory document pyld 3 otherwise resolves relative IRIs
    against ``http://example.org/base/``, so an undefined type would be signed as
    ``http://example.org/base/<type>`` while jsonld.js (base ``null``) drops or rejects it.
    """
    return {
        "documentLoader": document_loader,
        "contextResolver": ContextResolver(_RESOLVED_CONTEXTS, document_loader),
        "processingMode": "json-ld-1.1",
        "base": None,
        **extra,
    }


def _unknown_context_in(exc: BaseException) -> UnknownContextError | None:
    """pyld wraps loader errors in its own; find ours in the cause chain, if it is there."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, UnknownContextError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _reraise_jsonld_error(exc: Exception) -> NoReturn:
    """Turn a pyld failure into our errors so callers need not know pyld."""
    unknown = _unknown_context_in(exc)
    if unknown is not None:
        raise UnknownContextError(unknown.url) from exc
    raise CredentialError(f"JSON-LD processing failed: {exc}") from exc


# --------------------------------------------------------------------------------------------
# Multibase / base58btc / multikey
# --------------------------------------------------------------------------------------------

_B58_ALPHABET: Final = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX: Final = {char: i for i, char in enumerate(_B58_ALPHABET)}
_ED25519_PUB_MULTICODEC: Final = b"\xed\x01"


def _b58encode(data: bytes) -> str:
    """Bitcoin base58 (multibase ``z``); a few lines are cheaper than another dependency."""
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rem = divmod(number, 58)
        out.append(_B58_ALPHABET[rem])
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + "".join(reversed(out))


def _b58decode(text: str) -> bytes:
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
    return "z" + _b58encode(_ED25519_PUB_MULTICODEC + _raw_public_key(public_key))


# --------------------------------------------------------------------------------------------
# Keys and DIDs
# --------------------------------------------------------------------------------------------


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
    decoded = _b58decode(value[1:])
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
        "@context": [_DID_V1, _MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": key_ids,
        "authentication": key_ids[:1],
    }


# --------------------------------------------------------------------------------------------
# Building credentials
# --------------------------------------------------------------------------------------------

_EXTENSIBLE_ENUM_RE: Final = re.compile(r"^ext:[A-Za-z0-9.\-_]+$")
_ALIGNMENT_TARGET_TYPES: Final = frozenset(
    {
        "ceasn:Competency",
        "ceterms:Credential",
        "CFItem",
        "CFRubric",
        "CFRubricCriterion",
        "CFRubricCriterionLevel",
        "CTDL",
    }
)
_ACHIEVEMENT_TYPES: Final = frozenset(
    {
        "Achievement",
        "ApprenticeshipCertificate",
        "Assessment",
        "Assignment",
        "AssociateDegree",
        "Award",
        "Badge",
        "BachelorDegree",
        "Certificate",
        "CertificateOfCompletion",
        "Certification",
        "CommunityService",
        "Competency",
        "Course",
        "CoCurricular",
        "Degree",
        "Diploma",
        "DoctoralDegree",
        "Fieldwork",
        "GeneralEducationDevelopment",
        "JourneymanCertificate",
        "LearningProgram",
        "License",
        "Membership",
        "ProfessionalDoctorate",
        "QualityAssuranceCredential",
        "MasterCertificate",
        "MasterDegree",
        "MicroCredential",
        "ResearchDoctorate",
        "SecondarySchoolDiploma",
    }
)
# A competency in an agency's own dictionary is not a CASE item nor a Credential Engine
# competency, so the OB 3.0 extension form is the honest targetType.
_DEFAULT_ALIGNMENT_TARGET_TYPE: Final = "ext:Competency"

# C0 controls (except LF and CR) and DEL: their canonical N-Quads escaping differs between
# RDF canonicalization implementations (pyld vs rdf-canonize, RDF 1.1 vs 1.2 N-Quads), so a
# signature over them would not verify everywhere.
_UNPORTABLE_CONTROL_RE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNPORTABLE_CONTROL_NO_TAB_RE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\t]")


def _clean_text(value: str) -> str:
    """Normalise free text (course descriptions pasted from office documents) for signing.

    Tabs become spaces, CRLF becomes LF and other control characters are removed, so the text
    canonicalizes identically in every verifier (see ``_UNPORTABLE_CONTROL_RE``).
    """
    value = value.replace("\r\n", "\n").replace("\t", " ")
    return _UNPORTABLE_CONTROL_RE.sub("", value)


def _format_datetime(value: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` in UTC; naive datetimes are refused because they are ambiguous."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetimes in credentials must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _require_text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string")
    return value


def hash_identity(value: str, salt: str) -> str:
    """An OB 3.0 ``IdentityHash``: ``sha256$`` + hex(SHA-256(UTF-8(value + salt))).

    This keeps the NIP out of the credential text while letting someone who already knows the
    NIP confirm the match. It is not secrecy against a determined guesser: NIPs are structured,
    so a known salt leaves a small search space.
    """
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def _alignment(entry: Mapping[str, Any]) -> dict[str, Any]:
    """One competency alignment as an OB 3.0 ``Alignment``.

    The OB 3.0.3 context has no "level" term, so the level goes into ``targetDescription``
    (schema.org's "short description of the alignment target") as ``"Level <level>"``;
    ``targetName`` stays the plain competency name and ``targetCode`` its dictionary code.
    Optional keys: ``target_type`` (default ``ext:Competency``) and ``framework``
    (``targetFramework``, the name of the competency dictionary).
    """
    target_type = entry.get("target_type", _DEFAULT_ALIGNMENT_TARGET_TYPE)
    if target_type not in _ALIGNMENT_TARGET_TYPES and not _EXTENSIBLE_ENUM_RE.match(target_type):
        raise ValueError(f"{target_type!r} is not an OB 3.0 AlignmentTargetType nor 'ext:…'")
    alignment: dict[str, Any] = {
        "type": ["Alignment"],
        "targetName": _clean_text(_require_text("alignment name", entry.get("name"))),
        "targetUrl": _require_text("alignment target_url", entry.get("target_url")),
        "targetType": target_type,
    }
    code = entry.get("code")
    if code:
        alignment["targetCode"] = _clean_text(str(code))
    level = entry.get("level")
    if level is not None and str(level).strip():
        alignment["targetDescription"] = _clean_text(f"Level {level}")
    framework = entry.get("framework")
    if framework:
        alignment["targetFramework"] = _clean_text(str(framework))
    return alignment


def _status_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A ``BitstringStatusListEntry`` for revocation; the index is a decimal string by spec."""
    index = str(entry.get("statusListIndex", ""))
    if not index.isdecimal():
        raise ValueError("statusListIndex must be a non-negative decimal number (as a string)")
    status_list = _require_text("statusListCredential", entry.get("statusListCredential"))
    entry_id = _require_text("status entry id", entry.get("id"))
    if entry_id == status_list:
        raise ValueError("the status entry id must differ from statusListCredential")
    return {
        "id": entry_id,
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(int(index)),
        "statusListCredential": status_list,
    }


def build_achievement_credential(
    *,
    credential_id: str,
    issuer_id: str,
    issuer_name: str,
    issuer_url: str | None,
    valid_from: datetime,
    valid_until: datetime | None,
    subject_nip: str,
    salt: str,
    achievement_id: str,
    achievement_name: str,
    achievement_description: str,
    criteria_narrative: str,
    achievement_type: str = "Course",
    jp_hours: int | None = None,
    image_url: str | None = None,
    alignments: list[dict[str, Any]],
    status_entry: dict[str, Any] | None,
) -> dict[str, Any]:
    """An unsigned ``OpenBadgeCredential`` for one holder and one achievement.

    Only terms defined by the VC 2.0 and OB 3.0.3 contexts are used (see :func:`check_terms`),
    so strict verifiers accept it and the signature covers every field. The holder is
    identified by a salted hash of the NIP (``IdentityObject``, ``nationalIdentityNumber``),
    never the NIP itself. JP hours, when given, go into ``achievement.creditsAvailable`` and
    ``credentialSubject.creditsEarned`` (OB 3.0's credit-hour fields; completing the course
    earns all of its JP). Free text is normalised with :func:`_clean_text`.
    """
    valid_from_text = _format_datetime(valid_from)  # refuses naive datetimes first
    valid_until_text = None if valid_until is None else _format_datetime(valid_until)
    if valid_until is not None and valid_until <= valid_from:
        raise ValueError("valid_until must be later than valid_from")
    if achievement_type not in _ACHIEVEMENT_TYPES and not _EXTENSIBLE_ENUM_RE.match(
        achievement_type
    ):
        raise ValueError(f"{achievement_type!r} is not an OB 3.0 AchievementType nor 'ext:…'")
    if jp_hours is not None and (
        isinstance(jp_hours, bool) or not isinstance(jp_hours, int) or jp_hours < 0
    ):
        # JP are whole lesson hours; an int also keeps clear of the float-to-literal rules
        # (xsd:double formatting) where RDF canonicalizers have disagreed
        raise ValueError("jp_hours must be a non-negative int")
    _require_text("subject_nip", subject_nip)
    _require_text("salt", salt)

    achievement: dict[str, Any] = {
        "id": _require_text("achievement_id", achievement_id),
        "type": ["Achievement"],
        "achievementType": achievement_type,
        "name": _clean_text(_require_text("achievement_name", achievement_name)),
        "description": _clean_text(
            _require_text("achievement_description", achievement_description)
        ),
        "criteria": {
            "narrative": _clean_text(_require_text("criteria_narrative", criteria_narrative))
        },
    }
    if jp_hours is not None:
        achievement["creditsAvailable"] = jp_hours
    if image_url:
        achievement["image"] = {"id": image_url, "type": "Image"}
    if alignments:
        achievement["alignment"] = [_alignment(entry) for entry in alignments]

    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "nationalIdentityNumber",
                "hashed": True,
                "identityHash": hash_identity(subject_nip, salt),
                "salt": salt,
            }
        ],
    }
    if jp_hours is not None:
        subject["creditsEarned"] = jp_hours
    subject["achievement"] = achievement

    issuer: dict[str, Any] = {
        "id": _require_text("issuer_id", issuer_id),
        "type": ["Profile"],
        "name": _clean_text(_require_text("issuer_name", issuer_name)),
    }
    if issuer_url:
        issuer["url"] = issuer_url

    credential: dict[str, Any] = {
        "@context": [_VC_V2, _OB_V3P0],
        "id": _require_text("credential_id", credential_id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement["name"],
        "issuer": issuer,
        "validFrom": valid_from_text,
    }
    if valid_until_text is not None:
        credential["validUntil"] = valid_until_text
    credential["credentialSubject"] = subject
    if status_entry is not None:
        credential["credentialStatus"] = _status_entry(status_entry)
    return credential


# --------------------------------------------------------------------------------------------
# Bitstring Status List
# --------------------------------------------------------------------------------------------

_MIN_STATUS_LIST_BITS: Final = 131_072  # 16 KiB: the spec's minimum, for herd privacy
_MAX_STATUS_LIST_BYTES: Final = 16 * 1024 * 1024  # refuse gzip bombs from foreign lists


def new_status_list(size_bits: int = _MIN_STATUS_LIST_BITS) -> bytearray:
    """An all-zero (nothing revoked) list of at least 131,072 bits, as bytes."""
    if size_bits < _MIN_STATUS_LIST_BITS:
        raise ValueError(f"a status list must have at least {_MIN_STATUS_LIST_BITS} bits")
    return bytearray((size_bits + 7) // 8)


def encode_status_list(bits: bytes | bytearray) -> str:
    """``encodedList``: multibase base64url (``u`` prefix, no padding) of the GZIP'd bits.

    The ``u`` prefix is what the Bitstring Status List REC and Digital Bazaar's
    ``@digitalbazaar/vc-bitstring-status-list`` (which rejects lists without it) expect. The
    gzip header's mtime is fixed at 0 so the same bits always encode to the same string.
    """
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode_status_list(encoded: str) -> bytearray:
    """Inverse of :func:`encode_status_list`; refuses malformed or oversized lists."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise CredentialError("encodedList must be multibase base64url (start with 'u')")
    body = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflater = zlib.decompressobj(wbits=31)  # gzip container only
        bits = inflater.decompress(compressed, _MAX_STATUS_LIST_BYTES + 1)
    except (ValueError, zlib.error) as exc:
        raise CredentialError(f"encodedList is not base64url-encoded gzip: {exc}") from exc
    if len(bits) > _MAX_STATUS_LIST_BYTES or inflater.unconsumed_tail:
        raise CredentialError("the status list is larger than 16 MiB")
    if not inflater.eof:
        raise CredentialError("encodedList holds a truncated gzip stream")
    return bytearray(bits)


def _bit_position(bits: bytes | bytearray, index: int) -> tuple[int, int]:
    if isinstance(index, bool) or not isinstance(index, int):
        raise TypeError("a status list index is an int")
    if not 0 <= index < len(bits) * 8:
        raise IndexError(f"status list index {index} is outside 0..{len(bits) * 8 - 1}")
    byte, offset = divmod(index, 8)
    return byte, 0x80 >> offset  # index 0 is the left-most (most significant) bit


def set_bit(bits: bytearray, index: int, value: bool = True) -> None:
    """Set (revoke) or clear a credential's bit; index 0 is the left-most bit of byte 0."""
    byte, mask = _bit_position(bits, index)
    if value:
        bits[byte] |= mask
    else:
        bits[byte] &= ~mask & 0xFF


def get_bit(bits: bytes | bytearray, index: int) -> bool:
    """Whether a credential's bit is set (revoked); index 0 is the left-most bit of byte 0."""
    byte, mask = _bit_position(bits, index)
    return bool(bits[byte] & mask)


def build_status_list_credential(
    *,
    credential_id: str,
    issuer_id: str,
    issuer_name: str,
    valid_from: datetime,
    encoded_list: str,
) -> dict[str, Any]:
    """An unsigned ``BitstringStatusListCredential`` (revocation) to sign with the issuer key.

    Verifiers require the list to come from the same issuer as the credentials that point to
    it, and the spec requires at least 16 KiB of bits, which is checked here.
    """
    bits = decode_status_list(encoded_list)
    if len(bits) * 8 < _MIN_STATUS_LIST_BITS:
        raise CredentialError(f"a status list must have at least {_MIN_STATUS_LIST_BITS} bits")
    list_id = _require_text("credential_id", credential_id)
    return {
        "@context": [_VC_V2],
        "id": list_id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {
            "id": _require_text("issuer_id", issuer_id),
            "name": _clean_text(_require_text("issuer_name", issuer_name)),
        },
        "validFrom": _format_datetime(valid_from),
        "credentialSubject": {
            "id": list_id + "#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }


# --------------------------------------------------------------------------------------------
# Term checking (pyld's missing safe mode)
# --------------------------------------------------------------------------------------------

# what jsonld.js calls an absolute IRI (also pyld's test)
_ABSOLUTE_IRI_RE: Final = re.compile(r"^([A-Za-z][A-Za-z0-9+\-.]*|_):[^\s]*$")


def _is_absolute_iri(value: str) -> bool:
    return bool(_ABSOLUTE_IRI_RE.match(value)) and not value.startswith("_:")


def _null_values(node: Any, path: str = "") -> Iterator[str]:
    """Paths of ``null`` property values: JSON-LD drops them silently, so they are unsigned."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                continue
            here = f"{path}.{key}" if path else key
            if value is None:
                yield here
            else:
                yield from _null_values(value, here)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _null_values(item, f"{path}[{i}]")


def _relative_iris(node: Any) -> Iterator[tuple[str, str]]:
    """``(what, value)`` for every relative IRI in an expanded document.

    These are the values canonicalization silently drops: an undefined ``type`` value, a
    relative ``id``, a relative datatype, or a property that is a blank node identifier.
    """
    if isinstance(node, list):
        for item in node:
            yield from _relative_iris(item)
        return
    if not isinstance(node, dict):
        return
    if "@value" in node:
        datatype = node.get("@type")
        if isinstance(datatype, str) and datatype != "@json" and not _is_absolute_iri(datatype):
            yield "datatype", datatype
        return
    node_id = node.get("@id")
    if isinstance(node_id, str) and not (_is_absolute_iri(node_id) or node_id.startswith("_:")):
        yield "id", node_id
    for type_iri in node.get("@type", []):
        if isinstance(type_iri, str) and not _is_absolute_iri(type_iri):
            yield "type", type_iri
    for key, value in node.items():
        if key in ("@id", "@type", "@context"):
            continue
        if not key.startswith("@") and not _is_absolute_iri(key):
            yield "property", key
        yield from _relative_iris(value)


def check_terms(document: dict[str, Any]) -> None:
    """Refuse a document whose JSON-LD expansion would lose data.

    Expands with the bundled loader and raises :class:`DroppedTermError` naming the first
    property that expansion drops (a term the contexts do not define), any value that becomes
    a relative IRI (e.g. ``type: "1EdTechJsonSchemaValidator2019"`` without the 1EdTech
    extensions context), and any ``null`` value. This is what jsonld.js's ``safe: true`` mode
    rejects, so a document passing here is one strict verifiers accept and one whose every
    field the signature covers. Raises :class:`UnknownContextError` for an unbundled context.
    """
    _expand_checked(document)


def _expand_checked(document: dict[str, Any]) -> list[Any]:
    """:func:`check_terms`, returning the expansion so canonicalization need not redo it.

    Canonicalizing the expanded form gives the same N-Quads as canonicalizing the compact
    document (expansion is idempotent and needs no contexts the second time) at half the cost.
    """
    if not isinstance(document, dict):
        raise CredentialError("a JSON-LD document must be a JSON object")
    for path in _null_values(document):
        raise DroppedTermError(path, f"{path} is null; JSON-LD drops null values unsigned")

    dropped: list[str | None] = []
    try:
        expanded: list[Any] = jsonld.expand(
            document, _jsonld_options(), on_property_dropped=dropped.append
        )
    except jsonld.JsonLdError as exc:
        _reraise_jsonld_error(exc)
    if dropped:
        term = dropped[0] or "(a term mapped to null)"
        raise DroppedTermError(
            term,
            f"the term {term!r} is not defined by the document's @context, so JSON-LD drops it "
            "and the signature would not cover it; remove it or add a context that defines it",
        )
    if not expanded:
        raise DroppedTermError("(document)", "the document expands to nothing")
    for what, value in _relative_iris(expanded):
        raise DroppedTermError(
            value,
            f"the {what} {value!r} is not defined by the document's @context and becomes a "
            "relative IRI, which canonicalization drops; define it (e.g. add the context that "
            "defines it) or use an absolute IRI",
        )
    return expanded


def _unportable_text(document: Any, *, allow_tab: bool) -> str | None:
    """The first string holding a control character that canonicalizers escape differently."""
    pattern = _UNPORTABLE_CONTROL_RE if allow_tab else _UNPORTABLE_CONTROL_NO_TAB_RE
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if pattern.search(key):
                    return key
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str) and pattern.search(node):
            return node
    return None


# --------------------------------------------------------------------------------------------
# eddsa-rdfc-2022
# --------------------------------------------------------------------------------------------

_PROOF_TYPE: Final = "DataIntegrityProof"
_CRYPTOSUITE: Final = "eddsa-rdfc-2022"
_PROOF_PURPOSES: Final = frozenset(
    {
        "assertionMethod",
        "authentication",
        "capabilityInvocation",
        "capabilityDelegation",
        "keyAgreement",
    }
)
# xsd:dateTimeStamp, as Data Integrity requires for `created`/`expires`
_DATETIME_STAMP_RE: Final = re.compile(
    r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
)


def _canonicalize(document: dict[str, Any] | list[Any]) -> bytes:
    """RDFC-1.0 (URDNA2015) canonical N-Quads of a JSON-LD document (or its expansion)."""
    try:
        nquads = jsonld.normalize(
            document,
            _jsonld_options(algorithm="URDNA2015", format="application/n-quads"),
        )
    except jsonld.JsonLdError as exc:
        _reraise_jsonld_error(exc)
    return nquads.encode("utf-8")


def _sha256_canonical(document: dict[str, Any] | list[Any]) -> bytes:
    """SHA-256 of the canonical N-Quads: one half of eddsa-rdfc-2022's hashData."""
    return hashlib.sha256(_canonicalize(document)).digest()


def _contexts_of(document: Mapping[str, Any]) -> list[Any]:
    context = document.get("@context")
    return context if isinstance(context, list) else [context]


def sign(
    document: dict[str, Any],
    key: SigningKey,
    *,
    created: datetime,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """Return a copy of ``document`` with an added ``eddsa-rdfc-2022`` Data Integrity proof.

    Follows the W3C "Data Integrity EdDSA Cryptosuites v1.0" algorithms: the proof
    configuration (the proof without ``proofValue``, given the document's ``@context``) and
    the document without ``proof`` are canonicalized with RDFC-1.0, each hashed with SHA-256,
    and the concatenation is signed with Ed25519. ``proof`` is emitted as an array, as
    1EdTech's JSON Schema requires; an existing proof is kept (a proof set, each proof over the
    unsecured document), which allows dual-signing during key rotation.

    :func:`check_terms` runs first, so nothing can be signed that the signature does not cover.
    """
    if not isinstance(document, dict):
        raise CredentialError("only a JSON object can be signed")
    if proof_purpose not in _PROOF_PURPOSES:
        raise CredentialError(f"unknown proof purpose {proof_purpose!r}")
    contexts = _contexts_of(document)
    if _VC_V2 not in contexts and _DATA_INTEGRITY_V2 not in contexts:
        raise CredentialError(
            f"the document's @context must include {_VC_V2} (or {_DATA_INTEGRITY_V2}), "
            "which defines DataIntegrityProof"
        )
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    bad = _unportable_text(unsecured, allow_tab=False)
    if bad is not None:
        raise CredentialError(
            f"{bad[:60]!r} holds a tab or control character that RDF canonicalizers escape "
            "differently; a signature over it would not verify everywhere"
        )
    expanded = _expand_checked(unsecured)

    existing = document.get("proof", [])
    existing = copy.deepcopy(existing if isinstance(existing, list) else [existing])

    proof: dict[str, Any] = {
        "type": _PROOF_TYPE,
        "cryptosuite": _CRYPTOSUITE,
        "created": _format_datetime(created),
        "verificationMethod": key.key_id,
        "proofPurpose": proof_purpose,
    }
    # hashData = SHA-256(canonical proof config) + SHA-256(canonical unsecured document); the
    # proof config is ours and uses only DataIntegrityProof terms, so it needs no term check
    hash_data = _sha256_canonical({"@context": unsecured["@context"], **proof})
    hash_data += _sha256_canonical(expanded)
    proof["proofValue"] = "z" + _b58encode(key.private_key.sign(hash_data))

    signed = copy.deepcopy(unsecured)
    signed["proof"] = [*existing, proof]
    return signed


@dataclass(frozen=True)
class VerificationResult:
    """Outcome of :func:`verify`; ``reason`` says in plain English what failed."""

    verified: bool
    reason: str
    key_id: str | None = None


def _fail(reason: str, key_id: str | None = None) -> VerificationResult:
    return VerificationResult(verified=False, reason=reason, key_id=key_id)


def _issuer_id(document: Mapping[str, Any]) -> str | None:
    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def _verify_proof(
    proof: Any,
    *,
    context: Any,
    issuer_id: str,
    document_hash: Callable[[], bytes],
    resolve_key: Callable[[str], Ed25519PublicKey | None],
) -> VerificationResult:
    """Verify one proof of a proof set against the unsecured document.

    The cheap checks come first so the reason names the most basic problem;
    ``document_hash`` canonicalizes the document (once) only when a signature is checked.
    """
    if not isinstance(proof, dict):
        return _fail("a proof is not a JSON object")
    key_id = proof.get("verificationMethod")
    key_id = key_id if isinstance(key_id, str) else None
    if proof.get("type") != _PROOF_TYPE:
        return _fail(
            f"unsupported proof type {proof.get('type')!r} (only {_PROOF_TYPE} is accepted)",
            key_id,
        )
    if proof.get("cryptosuite") != _CRYPTOSUITE:
        return _fail(
            f"unsupported cryptosuite {proof.get('cryptosuite')!r} "
            f"(only {_CRYPTOSUITE} is accepted)",
            key_id,
        )
    if proof.get("proofPurpose") != "assertionMethod":
        return _fail(
            f"the proof's purpose is {proof.get('proofPurpose')!r}; an issuer signs a "
            "credential for 'assertionMethod'",
            key_id,
        )
    if key_id is None:
        return _fail("the proof does not name its key (verificationMethod)")
    for field in ("created", "expires"):
        value = proof.get(field)
        if value is not None and not (isinstance(value, str) and _DATETIME_STAMP_RE.match(value)):
            return _fail(f"the proof's {field} date {value!r} is not a valid date-time", key_id)
    expires = proof.get("expires")
    if expires is not None and datetime.fromisoformat(expires) < datetime.now(UTC):
        return _fail(f"the proof expired on {expires}", key_id)
    if key_id.split("#", 1)[0] != issuer_id:
        # what Digital Bazaar's CredentialIssuancePurpose checks: the key's controller is the
        # issuer, so nobody can sign "as" our DID with a key of their own DID
        return _fail(
            f"the proof was made with key {key_id}, which is not a key of the issuer {issuer_id}",
            key_id,
        )
    public_key = resolve_key(key_id)
    if public_key is None:
        return _fail(f"signed by a key this issuer does not list ({key_id})", key_id)
    proof_value = proof.get("proofValue")
    signature = b""
    if isinstance(proof_value, str) and proof_value.startswith("z"):
        try:
            signature = _b58decode(proof_value[1:])
        except CredentialError:
            signature = b""
    if len(signature) != 64:
        return _fail("the proof value is not a base58btc-encoded Ed25519 signature", key_id)

    proof_config = {name: value for name, value in proof.items() if name != "proofValue"}
    proof_config["@context"] = context
    try:
        expanded_config = _expand_checked(proof_config)
    except DroppedTermError as exc:
        return _fail(f"the proof contains {exc.term!r}, which its @context does not define", key_id)
    try:
        public_key.verify(signature, _sha256_canonical(expanded_config) + document_hash())
    except InvalidSignature:
        return _fail(
            "the signature does not match the credential (it was changed after signing, "
            f"or it was not signed with key {key_id})",
            key_id,
        )
    return VerificationResult(verified=True, reason="", key_id=key_id)


def verify(
    document: dict[str, Any],
    resolve_key: Callable[[str], Ed25519PublicKey | None],
) -> VerificationResult:
    """Check every ``eddsa-rdfc-2022`` proof on a credential; never raises for bad input.

    ``resolve_key(key_id)`` returns the public key the issuer publishes under that id (e.g.
    from our own DID document, including rotated-out keys), or ``None``. Besides the
    signature, this checks that the key belongs to the credential's issuer (its DID URL starts
    with the issuer id), that the proof is for ``assertionMethod``, and that the document
    carries no term its contexts do not define (pyld would drop such a term before hashing, so
    unsigned data could otherwise be added after signing without breaking the signature).

    It does not check revocation (the status list is a separate check) nor ``validFrom`` /
    ``validUntil``: the caller reports those separately, as a verification page should.
    """
    try:
        if not isinstance(document, dict):
            return _fail("the credential is not a JSON object")
        proofs = document.get("proof")
        if not proofs:
            return _fail("the credential has no proof (it is not signed)")
        proofs = proofs if isinstance(proofs, list) else [proofs]
        issuer_id = _issuer_id(document)
        if issuer_id is None:
            return _fail("the credential names no issuer")
        if _unportable_text(document, allow_tab=True) is not None:
            return _fail(
                "the credential holds control characters that RDF canonicalizers escape "
                "differently, so its signature cannot be checked reliably"
            )
        unsecured = {name: value for name, value in document.items() if name != "proof"}
        hashes: list[bytes] = []

        def document_hash() -> bytes:
            # term-checked and canonicalized once, however many proofs there are
            if not hashes:
                hashes.append(_sha256_canonical(_expand_checked(unsecured)))
            return hashes[0]

        first_key: str | None = None
        for proof in proofs:
            try:
                result = _verify_proof(
                    proof,
                    context=document.get("@context"),
                    issuer_id=issuer_id,
                    document_hash=document_hash,
                    resolve_key=resolve_key,
                )
            except DroppedTermError as exc:
                return _fail(
                    f"the credential contains {exc.term!r}, which its @context does not "
                    "define, so it is not covered by the signature"
                )
            except UnknownContextError as exc:
                return _fail(
                    f"the credential uses a context that is not bundled here ({exc.url}), so "
                    "it cannot be checked offline"
                )
            if not result.verified:
                return result
            first_key = first_key or result.key_id
        return VerificationResult(verified=True, reason="", key_id=first_key)
    except Exception as exc:  # a verifier reports bad input, it does not crash on it
        return _fail(f"the credential could not be processed: {exc}")


# --------------------------------------------------------------------------------------------
# JSON Schema
# --------------------------------------------------------------------------------------------


@cache
def _schema_validator() -> Draft201909Validator:
    schema = _bundled_json(_SCHEMA_FILE)
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)


def schema_errors(document: dict[str, Any]) -> list[str]:
    """Problems against 1EdTech's AchievementCredential JSON Schema (draft 2019-09); [] if valid.

    The schema catches what JSON-LD cannot (required fields, enumerations, ``proof`` as an
    array); each message is prefixed with the JSON path of the offending value.
    """
    errors = sorted(
        _schema_validator().iter_errors(document),
        key=lambda error: [str(part) for part in error.absolute_path],
    )
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(root)'}: {error.message}"
        for error in errors
    ]
