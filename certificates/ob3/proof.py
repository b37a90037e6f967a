"""Signing and verifying with an embedded Data Integrity proof, cryptosuite
``eddsa-rdfc-2022`` (Ed25519 over RDF Dataset Canonicalization, RDFC-1.0 = URDNA2015): what
1EdTech conformance and independent verifiers (Digital Bazaar's ``@digitalbazaar/vc``, the DCC
verifier) check; ``certificates/verifier`` runs Digital Bazaar's stack against our output."""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld

from certificates.ob3.errors import CredentialError, DroppedTermError, UnknownContextError
from certificates.ob3.keys import SigningKey, b58decode, b58encode
from certificates.ob3.loader import DATA_INTEGRITY_V2, VC_V2, jsonld_options, reraise_jsonld_error
from certificates.ob3.terms import expand_checked
from certificates.ob3.text import format_datetime, unportable_text

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
            jsonld_options(algorithm="URDNA2015", format="application/n-quads"),
        )
    except jsonld.JsonLdError as exc:
        reraise_jsonld_error(exc)
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
    if VC_V2 not in contexts and DATA_INTEGRITY_V2 not in contexts:
        raise CredentialError(
            f"the document's @context must include {VC_V2} (or {DATA_INTEGRITY_V2}), "
            "which defines DataIntegrityProof"
        )
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    bad = unportable_text(unsecured, allow_tab=False)
    if bad is not None:
        raise CredentialError(
            f"{bad[:60]!r} holds a tab or control character that RDF canonicalizers escape "
            "differently; a signature over it would not verify everywhere"
        )
    expanded = expand_checked(unsecured)

    existing = document.get("proof", [])
    existing = copy.deepcopy(existing if isinstance(existing, list) else [existing])

    proof: dict[str, Any] = {
        "type": _PROOF_TYPE,
        "cryptosuite": _CRYPTOSUITE,
        "created": format_datetime(created),
        "verificationMethod": key.key_id,
        "proofPurpose": proof_purpose,
    }
    # hashData = SHA-256(canonical proof config) + SHA-256(canonical unsecured document); the
    # proof config is ours and uses only DataIntegrityProof terms, so it needs no term check
    hash_data = _sha256_canonical({"@context": unsecured["@context"], **proof})
    hash_data += _sha256_canonical(expanded)
    proof["proofValue"] = "z" + b58encode(key.private_key.sign(hash_data))

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
            signature = b58decode(proof_value[1:])
        except CredentialError:
            signature = b""
    if len(signature) != 64:
        return _fail("the proof value is not a base58btc-encoded Ed25519 signature", key_id)

    proof_config = {name: value for name, value in proof.items() if name != "proofValue"}
    proof_config["@context"] = context
    try:
        expanded_config = expand_checked(proof_config)
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
        if unportable_text(document, allow_tab=True) is not None:
            return _fail(
                "the credential holds control characters that RDF canonicalizers escape "
                "differently, so its signature cannot be checked reliably"
            )
        unsecured = {name: value for name, value in document.items() if name != "proof"}
        hashes: list[bytes] = []

        def document_hash() -> bytes:
            # term-checked and canonicalized once, however many proofs there are
            if not hashes:
                hashes.append(_sha256_canonical(expand_checked(unsecured)))
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
