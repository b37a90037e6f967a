"""Open Badges 3.0 credentials: what we sign is what verifiers check, and tampering shows.

Pure-library tests of ``certificates.ob3``: no database, no network (the document loader
serves only the bundled contexts).
"""

from __future__ import annotations

import copy
import gzip
import hashlib
import hmac
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from certificates import ob3
from certificates.ob3 import loader, proof, terms

SITE = "https://tangkas.example.go.id"
ISSUER_DID = "did:web:tangkas.example.go.id"
STATUS_LIST_URL = f"{SITE}/credentials/status/1"
NIP = "199001012015031001"
SALT = "3f1c9a7e5b2d4c6a"
SUBJECT_KEY = b"test-only-subject-key"
NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)


def new_key(fragment: str = "key-1", did: str = ISSUER_DID) -> ob3.SigningKey:
    return ob3.signing_key_from_pem(ob3.generate_private_key_pem(), f"{did}#{fragment}")


def make_credential(*, issuer_did: str = ISSUER_DID, index: int = 42, **overrides: Any) -> dict:
    """A realistic unsigned certificate credential; keyword arguments override the defaults."""
    arguments: dict[str, Any] = {
        "credential_id": "urn:uuid:5b0f1f8e-3c1d-4f7a-9a51-0c1d2e3f4a5b",
        "issuer_id": issuer_did,
        "issuer_name": "BPSDM Kementerian Komunikasi dan Digital",
        "issuer_url": SITE,
        "valid_from": NOW,
        "valid_until": NOW + timedelta(days=3 * 365),
        "subject_nip": NIP,
        "subject_key": SUBJECT_KEY,
        "achievement_id": f"{SITE}/courses/keamanan-siber-dasar",
        "achievement_name": "Keamanan Siber Dasar",
        "achievement_description": "Pelatihan dasar keamanan siber — Basic cyber security.",
        "criteria_narrative": 'Menyelesaikan semua modul dan lulus ujian akhir (nilai ≥ 70).\n"JP": 40',
        "achievement_type": "Course",
        "jp_hours": 40,
        "image_url": f"{SITE}/static/badges/keamanan-siber.png",
        "alignments": [
            {
                "code": "KOM.TI.07",
                "name": "Keamanan Informasi",
                "level": 3,
                "target_url": f"{SITE}/competencies/KOM.TI.07",
            },
            {
                "code": "KOM.TI.02",
                "name": "Tata Kelola TI",
                "level": "2",
                "target_url": f"{SITE}/competencies/KOM.TI.02",
                "framework": "Kamus Kompetensi Teknis Bidang TIK",
            },
        ],
        "status_entry": {
            "id": f"{STATUS_LIST_URL}#{index}",
            "statusListIndex": str(index),
            "statusListCredential": STATUS_LIST_URL,
        },
    }
    arguments.update(overrides)
    return ob3.build_achievement_credential(**arguments)


def resolver_for(did_doc: dict) -> Callable[[str], Ed25519PublicKey | None]:
    """resolve_key backed by a DID document, as the verification page does with ours."""
    keys = {
        method["id"]: ob3.public_key_from_multibase(method["publicKeyMultibase"])
        for method in did_doc["verificationMethod"]
        if method["id"] in did_doc["assertionMethod"]
    }
    return keys.get


@pytest.fixture(scope="module")
def key() -> ob3.SigningKey:
    return new_key()


@pytest.fixture(scope="module")
def resolve(key: ob3.SigningKey) -> Callable[[str], Ed25519PublicKey | None]:
    return resolver_for(ob3.did_document(ISSUER_DID, [(key.key_id, key.public_key_multibase)]))


@pytest.fixture(scope="module")
def signed(key: ob3.SigningKey) -> dict:
    return ob3.sign(make_credential(), key, created=NOW)


# --- building --------------------------------------------------------------------------------


def test_the_credential_is_an_open_badge_with_a_keyed_hash_of_the_nip(signed: dict) -> None:
    assert signed["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert signed["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert signed["issuer"]["type"] == ["Profile"]
    assert signed["validFrom"].endswith("Z") and len(signed["validFrom"]) == 20
    subject = signed["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "identityType": "nationalIdentityNumber",
            "hashed": True,
            "identityHash": ob3.hmac_identity(NIP, SUBJECT_KEY),
        }
    ]
    assert NIP not in str(signed) and "salt" not in str(signed)
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "Course"
    assert achievement["creditsAvailable"] == 40 and subject["creditsEarned"] == 40
    assert achievement["alignment"][0] == {
        "type": ["Alignment"],
        "targetName": "Keamanan Informasi",
        "targetUrl": f"{SITE}/competencies/KOM.TI.07",
        "targetType": "ext:Competency",
        "targetCode": "KOM.TI.07",
        "targetDescription": "Level 3",
    }
    assert achievement["alignment"][1]["targetFramework"] == "Kamus Kompetensi Teknis Bidang TIK"
    assert signed["credentialStatus"] == {
        "id": f"{STATUS_LIST_URL}#42",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "42",
        "statusListCredential": STATUS_LIST_URL,
    }


def test_optional_parts_are_left_out_rather_than_null() -> None:
    credential = make_credential(
        issuer_url=None,
        valid_until=None,
        jp_hours=None,
        image_url=None,
        alignments=[],
        status_entry=None,
    )
    ob3.check_terms(credential)
    assert "validUntil" not in credential and "credentialStatus" not in credential
    assert "creditsAvailable" not in credential["credentialSubject"]["achievement"]
    assert "alignment" not in credential["credentialSubject"]["achievement"]


def test_hash_identity_is_sha256_of_nip_and_salt() -> None:
    """The old form, still read to match credentials issued before the keyed hash."""
    expected = hashlib.sha256((NIP + SALT).encode()).hexdigest()
    assert ob3.hash_identity(NIP, SALT) == f"sha256${expected}"


def test_hmac_identity_is_an_ob3_sha256_identity_hash_with_a_keyed_unpublished_salt() -> None:
    salt = hmac.new(SUBJECT_KEY, NIP.encode(), hashlib.sha256).hexdigest()
    expected = hashlib.sha256((NIP + salt).encode()).hexdigest()
    assert ob3.hmac_identity(NIP, SUBJECT_KEY) == f"sha256${expected}"
    assert ob3.hmac_identity(NIP, SUBJECT_KEY) != ob3.hash_identity(NIP, "")  # not plain SHA-256
    assert ob3.hmac_identity(NIP, b"another key") != ob3.hmac_identity(NIP, SUBJECT_KEY)
    with pytest.raises(ValueError, match="key"):
        ob3.hmac_identity(NIP, b"")


def test_builder_refuses_what_would_not_canonicalize_the_same_everywhere() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        make_credential(valid_from=datetime(2026, 1, 1))  # naive on purpose
    with pytest.raises(ValueError, match="jp_hours"):
        make_credential(jp_hours=40.0)
    with pytest.raises(ValueError, match="AlignmentTargetType"):
        make_credential(alignments=[{"name": "X", "target_url": SITE, "target_type": "Skill"}])
    cleaned = make_credential(achievement_description="Kolom\tA\r\nbaris\x0cdua")
    assert cleaned["credentialSubject"]["achievement"]["description"] == "Kolom A\nbarisdua"


# --- signing and verifying -------------------------------------------------------------------


def test_sign_then_verify(signed: dict, key: ob3.SigningKey, resolve) -> None:
    (proof,) = signed["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["verificationMethod"] == key.key_id
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["proofValue"].startswith("z")
    assert ob3.verify(signed, resolve) == ob3.VerificationResult(True, "", key.key_id)


def test_sign_returns_a_new_document(key: ob3.SigningKey) -> None:
    credential = make_credential()
    before = copy.deepcopy(credential)
    signed = ob3.sign(credential, key, created=NOW)
    assert credential == before and "proof" not in credential
    signed["credentialSubject"]["achievement"]["name"] = "changed"
    assert credential == before


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(
            lambda c: c["credentialSubject"]["identifier"][0].update(
                identityHash=ob3.hmac_identity("198001012005011002", SUBJECT_KEY)
            ),
            id="subject",
        ),
        pytest.param(
            lambda c: c["credentialSubject"]["achievement"].update(name="Keamanan Siber Lanjut"),
            id="achievement",
        ),
        pytest.param(
            lambda c: c["credentialSubject"]["achievement"]["alignment"][0].update(
                targetDescription="Level 5"
            ),
            id="alignment-level",
        ),
        pytest.param(lambda c: c.update(validUntil="2099-01-01T00:00:00Z"), id="validity"),
        pytest.param(lambda c: c["proof"][0].update(created="2020-01-01T00:00:00Z"), id="proof"),
    ],
)
def test_tampering_after_signing_is_detected(signed: dict, resolve, tamper) -> None:
    tampered = copy.deepcopy(signed)
    tamper(tampered)
    result = ob3.verify(tampered, resolve)
    assert not result.verified
    assert "changed after signing" in result.reason


def test_an_added_undefined_term_is_caught_although_pyld_would_drop_it(signed, resolve) -> None:
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["nomorInduk"] = NIP
    result = ob3.verify(tampered, resolve)
    assert not result.verified
    assert "'nomorInduk'" in result.reason and "not covered by the signature" in result.reason


def test_a_credential_signed_by_another_key_fails(key: ob3.SigningKey, resolve) -> None:
    impostor = ob3.SigningKey(key_id=key.key_id, private_key=new_key().private_key)
    forged = ob3.sign(make_credential(), impostor, created=NOW)
    result = ob3.verify(forged, resolve)
    assert not result.verified
    assert "does not match" in result.reason and key.key_id in result.reason


def test_a_key_the_issuer_does_not_list_fails(resolve) -> None:
    forged = ob3.sign(make_credential(), new_key("key-9"), created=NOW)
    result = ob3.verify(forged, resolve)
    assert not result.verified
    assert result.reason.startswith("signed by a key this issuer does not list")


def test_a_key_of_another_did_cannot_sign_for_the_issuer(resolve) -> None:
    outsider = new_key(did="did:web:evil.example")
    forged = ob3.sign(make_credential(), outsider, created=NOW)
    result = ob3.verify(forged, lambda _key_id: outsider.private_key.public_key())
    assert not result.verified
    assert "not a key of the issuer" in result.reason


def test_an_unknown_cryptosuite_fails(signed: dict, resolve) -> None:
    other = copy.deepcopy(signed)
    other["proof"][0]["cryptosuite"] = "ecdsa-rdfc-2019"
    result = ob3.verify(other, resolve)
    assert not result.verified
    assert result.reason.startswith("unsupported cryptosuite 'ecdsa-rdfc-2019'")


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ("not a credential", "not a JSON object"),
        ({}, "no proof"),
        (
            {"issuer": ISSUER_DID, "proof": [{"type": "Ed25519Signature2020"}]},
            "unsupported proof type",
        ),
    ],
)
def test_verify_reports_bad_input_instead_of_raising(document, reason, resolve) -> None:
    result = ob3.verify(document, resolve)
    assert not result.verified and reason in result.reason


def test_verify_reports_a_garbled_proof_value(signed: dict, resolve) -> None:
    garbled = copy.deepcopy(signed)
    garbled["proof"][0]["proofValue"] = "z0OIl"  # not base58
    assert "not a base58btc-encoded" in ob3.verify(garbled, resolve).reason
    garbled["proof"] = {"type": "DataIntegrityProof"}  # an object, not an array
    assert not ob3.verify(garbled, resolve).verified


def test_a_proof_set_needs_every_proof_valid(signed: dict, resolve, key) -> None:
    second_key = new_key("key-2")
    twice = ob3.sign(signed, second_key, created=NOW)
    assert len(twice["proof"]) == 2
    assert not ob3.verify(twice, resolve).verified  # key-2 is not in the DID document
    both = resolver_for(
        ob3.did_document(
            ISSUER_DID,
            [
                (second_key.key_id, second_key.public_key_multibase),
                (key.key_id, key.public_key_multibase),
            ],
        )
    )
    assert ob3.verify(twice, both).verified


def test_canonicalizing_the_expansion_equals_canonicalizing_the_document() -> None:
    # sign() hashes the expanded form to save a second expansion; it must be the same N-Quads
    credential = make_credential()
    assert proof._canonicalize(credential) == proof._canonicalize(terms.expand_checked(credential))


def test_many_credentials_each_get_their_own_verifying_proof(key: ob3.SigningKey, resolve) -> None:
    """Signing in bulk (its speed is measured by ``make bench``, not here): every credential
    gets its own proof, and each verifies."""
    credentials = [
        make_credential(credential_id=f"urn:uuid:00000000-0000-4000-8000-{i:012d}", index=i)
        for i in range(50)
    ]
    signed = [ob3.sign(credential, key, created=NOW) for credential in credentials]
    assert len({document["proof"][0]["proofValue"] for document in signed}) == len(signed)
    assert all(ob3.verify(document, resolve).verified for document in signed)


# --- JSON-LD term checks and the document loader ---------------------------------------------


def test_an_undefined_top_level_term_is_refused(key: ob3.SigningKey) -> None:
    credential = make_credential()
    credential["nomorInduk"] = "x"
    with pytest.raises(ob3.DroppedTermError) as caught:
        ob3.check_terms(credential)
    assert caught.value.term == "nomorInduk"
    with pytest.raises(ob3.DroppedTermError):
        ob3.sign(credential, key, created=NOW)


def test_1edtech_schema_type_needs_the_extensions_context() -> None:
    credential = make_credential()
    credential["credentialSchema"] = [
        {
            "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
            "type": "1EdTechJsonSchemaValidator2019",
        }
    ]
    with pytest.raises(ob3.DroppedTermError) as caught:
        ob3.check_terms(credential)
    assert caught.value.term == "1EdTechJsonSchemaValidator2019"
    credential["@context"].append("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json")
    ob3.check_terms(credential)


def test_null_values_and_relative_ids_are_refused() -> None:
    credential = make_credential()
    credential["credentialSubject"]["achievement"]["image"] = None
    with pytest.raises(ob3.DroppedTermError, match="is null"):
        ob3.check_terms(credential)
    credential = make_credential(achievement_id="courses/keamanan-siber-dasar")
    with pytest.raises(ob3.DroppedTermError) as caught:
        ob3.check_terms(credential)
    assert caught.value.term == "courses/keamanan-siber-dasar"


def test_the_core_imports_no_framework() -> None:
    # In a fresh interpreter: this test process has Django loaded already.
    probe = (
        "import sys; from certificates import ob3; "
        "print(sorted({name.split('.')[0] for name in sys.modules} "
        "& {'django', 'rest_framework', 'wagtail', 'celery'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"


def test_the_document_loader_serves_only_bundled_contexts() -> None:
    loaded = ob3.document_loader("https://www.w3.org/ns/credentials/v2")
    assert loaded["documentUrl"] == "https://www.w3.org/ns/credentials/v2"
    assert "@context" in loaded["document"]
    loaded["document"]["@context"].clear()  # a copy: the cached context is untouched
    assert ob3.document_loader("https://www.w3.org/ns/credentials/v2")["document"]["@context"]
    with pytest.raises(ob3.UnknownContextError, match="refusing to load"):
        ob3.document_loader("https://example.org/evil-context.jsonld")
    with pytest.raises(ob3.UnknownContextError):
        ob3.document_loader("http://www.w3.org/ns/credentials/v2")  # not the canonical URL


def test_every_bundled_context_loads() -> None:
    for url in loader.CONTEXT_FILES:
        assert "@context" in ob3.document_loader(url)["document"]


def test_a_credential_with_an_unbundled_context_is_refused(key: ob3.SigningKey, resolve) -> None:
    credential = make_credential()
    credential["@context"].append("https://example.org/evil-context.jsonld")
    with pytest.raises(ob3.UnknownContextError) as caught:
        ob3.check_terms(credential)
    assert caught.value.url == "https://example.org/evil-context.jsonld"
    signed = ob3.sign(make_credential(), key, created=NOW)
    signed["@context"].append("https://example.org/evil-context.jsonld")
    assert "not bundled" in ob3.verify(signed, resolve).reason


# --- JSON Schema -----------------------------------------------------------------------------


def test_a_signed_credential_matches_the_1edtech_schema(signed: dict) -> None:
    assert ob3.schema_errors(signed) == []


def test_schema_errors_point_at_the_problem(signed: dict) -> None:
    broken = copy.deepcopy(signed)
    del broken["issuer"]
    errors = ob3.schema_errors(broken)
    assert errors and any("'issuer' is a required property" in error for error in errors)
    broken = copy.deepcopy(signed)
    broken["proof"] = broken["proof"][0]  # 1EdTech wants an array
    assert any(error.startswith("proof:") for error in ob3.schema_errors(broken))


# --- Bitstring Status List -------------------------------------------------------------------


def test_a_new_status_list_is_at_least_16_kib_and_all_clear() -> None:
    bits = ob3.new_status_list()
    assert len(bits) >= 16384 and not any(bits)
    with pytest.raises(ValueError):
        ob3.new_status_list(1024)


def test_bit_zero_is_the_left_most_bit() -> None:
    bits = ob3.new_status_list()
    ob3.set_bit(bits, 0)
    ob3.set_bit(bits, 9)
    assert bits[0] == 0b1000_0000 and bits[1] == 0b0100_0000
    assert ob3.get_bit(bits, 0) and ob3.get_bit(bits, 9) and not ob3.get_bit(bits, 1)
    ob3.set_bit(bits, 0, False)
    assert bits[0] == 0 and not ob3.get_bit(bits, 0)
    with pytest.raises(IndexError):
        ob3.get_bit(bits, len(bits) * 8)


def test_status_list_encoding_round_trips() -> None:
    bits = ob3.new_status_list()
    for index in (0, 7, 8, 42, 131071):
        ob3.set_bit(bits, index)
    encoded = ob3.encode_status_list(bits)
    assert encoded.startswith("u") and "=" not in encoded and "+" not in encoded
    assert ob3.decode_status_list(encoded) == bits
    assert ob3.encode_status_list(bits) == encoded  # deterministic (gzip mtime 0)
    with pytest.raises(ob3.CredentialError, match="start with 'u'"):
        ob3.decode_status_list(encoded[1:])


def test_decoding_refuses_a_gzip_bomb() -> None:
    import base64

    bomb = gzip.compress(bytes(32 * 1024 * 1024))
    encoded = "u" + base64.urlsafe_b64encode(bomb).rstrip(b"=").decode()
    with pytest.raises(ob3.CredentialError, match="larger than"):
        ob3.decode_status_list(encoded)


def test_the_status_list_credential_is_signed_by_the_issuer(key, resolve) -> None:
    bits = ob3.new_status_list()
    ob3.set_bit(bits, 42)
    status_list = ob3.build_status_list_credential(
        credential_id=STATUS_LIST_URL,
        issuer_id=ISSUER_DID,
        issuer_name="BPSDM",
        valid_from=NOW,
        encoded_list=ob3.encode_status_list(bits),
    )
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["credentialSubject"]["id"] == f"{STATUS_LIST_URL}#list"
    assert status_list["credentialSubject"]["type"] == "BitstringStatusList"
    signed_list = ob3.sign(status_list, key, created=NOW)
    assert ob3.verify(signed_list, resolve).verified
    decoded = ob3.decode_status_list(signed_list["credentialSubject"]["encodedList"])
    assert ob3.get_bit(decoded, 42)
    with pytest.raises(ob3.CredentialError, match="at least"):
        ob3.build_status_list_credential(
            credential_id=STATUS_LIST_URL,
            issuer_id=ISSUER_DID,
            issuer_name="BPSDM",
            valid_from=NOW,
            encoded_list=ob3.encode_status_list(bytes(1024)),
        )


# --- keys and DIDs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("site", "did"),
    [
        ("https://tangkas.example.go.id", "did:web:tangkas.example.go.id"),
        ("https://Tangkas.Example.go.id/", "did:web:tangkas.example.go.id"),
        ("http://127.0.0.1:8000", "did:web:127.0.0.1%3A8000"),
        ("https://example.go.id/pusdiklat/tangkas", "did:web:example.go.id:pusdiklat:tangkas"),
    ],
)
def test_did_web(site: str, did: str) -> None:
    assert ob3.did_web(site) == did


@pytest.mark.parametrize("site", ["ftp://example.go.id", "example.go.id", "https://x.go.id/?a=1"])
def test_did_web_refuses_what_is_not_a_site_url(site: str) -> None:
    with pytest.raises(ValueError):
        ob3.did_web(site)


def test_multikey_round_trip(key: ob3.SigningKey) -> None:
    assert key.public_key_multibase.startswith("z6Mk")
    public = ob3.public_key_from_multibase(key.public_key_multibase)
    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    assert public.public_bytes(*raw) == key.private_key.public_key().public_bytes(*raw)
    with pytest.raises(ob3.CredentialError):
        ob3.public_key_from_multibase("zQ3s")


def test_only_ed25519_pem_keys_are_accepted() -> None:
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(ob3.CredentialError, match="Ed25519"):
        ob3.signing_key_from_pem(pem, f"{ISSUER_DID}#key-1")
    with pytest.raises(ob3.CredentialError):
        ob3.signing_key_from_pem("not a pem", f"{ISSUER_DID}#key-1")


def test_after_rotation_old_credentials_still_verify(key: ob3.SigningKey) -> None:
    old_credential = ob3.sign(make_credential(), key, created=NOW)
    new = new_key("key-2")
    document = ob3.did_document(
        ISSUER_DID, [(new.key_id, new.public_key_multibase), (key.key_id, key.public_key_multibase)]
    )
    ob3.check_terms(document)  # the DID document is clean JSON-LD too
    assert document["@context"] == [
        "https://www.w3.org/ns/did/v1",
        "https://w3id.org/security/multikey/v1",
    ]
    assert [m["id"] for m in document["verificationMethod"]] == [new.key_id, key.key_id]
    assert all(
        m["type"] == "Multikey" and m["controller"] == ISSUER_DID
        for m in document["verificationMethod"]
    )
    assert document["assertionMethod"] == [new.key_id, key.key_id]
    assert document["authentication"] == [new.key_id]
    resolve = resolver_for(document)
    assert ob3.verify(old_credential, resolve).verified
    assert ob3.verify(ob3.sign(make_credential(), new, created=NOW), resolve).verified


def test_did_document_refuses_foreign_or_duplicate_keys(key: ob3.SigningKey) -> None:
    with pytest.raises(ValueError):
        ob3.did_document(ISSUER_DID, [("did:web:other#key-1", key.public_key_multibase)])
    with pytest.raises(ValueError):
        ob3.did_document(ISSUER_DID, [(key.key_id, key.public_key_multibase)] * 2)
