"""Open Badges 3.0 verifiable credentials: build, sign, verify and revoke, fully offline.

A Tangkas certificate is also issued as an ``OpenBadgeCredential`` (W3C Verifiable Credentials
Data Model 2.0 + 1EdTech Open Badges 3.0.3) so that a civil servant can carry it to a wallet or
another agency and anyone can check it without asking us. This package is the whole of that
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

How it is split (one module per concern, each importing only those above it):

* ``errors`` – ``CredentialError`` and the refusals callers tell apart;
* ``loader`` – the bundled contexts (``certificates/contexts``) and the document loader;
* ``keys`` – Ed25519 keys, Multikey/base58btc encoding, ``did:web`` and the DID document;
* ``text`` – free text and dates as a credential carries them;
* ``terms`` – the term check (pyld's missing safe mode);
* ``credentials`` – building an ``OpenBadgeCredential``, the holder's identity hash;
* ``status_list`` – the Bitstring Status List and its credential;
* ``proof`` – ``eddsa-rdfc-2022`` signing and verification;
* ``schema`` – 1EdTech's JSON Schema check.

Callers use this package's names (``from certificates import ob3``; ``ob3.sign(…)``); the
modules are its inside.
"""

from certificates.ob3.credentials import (
    build_achievement_credential,
    hash_identity,
    hmac_identity,
)
from certificates.ob3.errors import CredentialError, DroppedTermError, UnknownContextError
from certificates.ob3.keys import (
    SigningKey,
    did_document,
    did_web,
    generate_private_key_pem,
    public_key_from_multibase,
    signing_key_from_pem,
)
from certificates.ob3.loader import document_loader
from certificates.ob3.proof import VerificationResult, sign, verify
from certificates.ob3.schema import schema_errors
from certificates.ob3.status_list import (
    build_status_list_credential,
    decode_status_list,
    encode_status_list,
    get_bit,
    new_status_list,
    set_bit,
)
from certificates.ob3.terms import check_terms

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
    "hmac_identity",
    "new_status_list",
    "public_key_from_multibase",
    "schema_errors",
    "set_bit",
    "sign",
    "signing_key_from_pem",
    "verify",
]
