"""Digital Bazaar's verifier accepts what ``certificates.ob3`` signs, and sees revocation.

A signature only our own code accepts proves little: these tests hand the files to
``certificates/verifier/verify.mjs`` (``@digitalbazaar/vc`` + ``eddsa-rdfc-2022`` +
bitstring status list, jsonld.js in safe mode, fully offline) exactly as a third party would
get them: the credential, our DID document and the signed status list as JSON files.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from certificates import ob3
from tests.certificates.test_ob3 import ISSUER_DID, STATUS_LIST_URL, make_credential, new_key

VERIFIER_DIR = Path(__file__).resolve().parents[2] / "certificates" / "verifier"
INDEX = 4242


def _skip_reason() -> str | None:
    if shutil.which("node") is None:
        return "node is not on PATH: the independent (Node.js) verifier cannot run"
    if not (VERIFIER_DIR / "node_modules").is_dir():
        return (
            "certificates/verifier/node_modules is missing: "
            "run `npm ci` in certificates/verifier to install the independent verifier"
        )
    return None


pytestmark = pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")

SIGNED_AT = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)


def _status_list(key: ob3.SigningKey, *revoked: int) -> dict[str, Any]:
    bits = ob3.new_status_list()
    for index in revoked:
        ob3.set_bit(bits, index)
    unsigned = ob3.build_status_list_credential(
        credential_id=STATUS_LIST_URL,
        issuer_id=ISSUER_DID,
        issuer_name="BPSDM Kementerian Komunikasi dan Digital",
        valid_from=SIGNED_AT,
        encoded_list=ob3.encode_status_list(bits),
    )
    return ob3.sign(unsigned, key, created=SIGNED_AT)


class Files:
    """The issuer's published artefacts, written where the Node verifier can read them."""

    def __init__(
        self,
        directory: Path,
        key: ob3.SigningKey,
        *old_keys: ob3.SigningKey,
        did: str = ISSUER_DID,
    ) -> None:
        self.directory = directory
        self.key = key
        keys = [key, *old_keys]
        self.did_document = self.write(
            "did.json", ob3.did_document(did, [(k.key_id, k.public_key_multibase) for k in keys])
        )

    def write(self, name: str, document: dict[str, Any]) -> Path:
        path = self.directory / name
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
        return path

    def verify(self, credential: dict[str, Any], status_list: dict | None) -> tuple[int, dict]:
        arguments = [str(self.write("credential.json", credential)), str(self.did_document)]
        if status_list is not None:
            arguments.append(str(self.write("status-list.json", status_list)))
        completed = subprocess.run(
            ["node", str(VERIFIER_DIR / "verify.mjs"), *arguments],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert completed.stdout, completed.stderr
        return completed.returncode, json.loads(completed.stdout)


@pytest.fixture(scope="module")
def key() -> ob3.SigningKey:
    return new_key()


@pytest.fixture
def files(tmp_path: Path, key: ob3.SigningKey) -> Files:
    return Files(tmp_path, key)


@pytest.fixture(scope="module")
def credential(key: ob3.SigningKey) -> dict[str, Any]:
    return ob3.sign(make_credential(index=INDEX), key, created=SIGNED_AT)


def test_node_verifies_our_credential_and_its_status(files: Files, credential, key) -> None:
    code, result = files.verify(credential, _status_list(key))
    assert result == {"verified": True, "revoked": False, "error": None}
    assert code == 0


def test_node_verifies_without_a_status_list(files: Files, credential) -> None:
    code, result = files.verify(credential, None)
    assert result == {"verified": True, "revoked": None, "error": None}
    assert code == 0


def test_node_sees_revocation_after_the_list_is_re_signed(files: Files, credential, key) -> None:
    code, result = files.verify(credential, _status_list(key, INDEX))
    assert result["verified"] is True  # the signature is still good …
    assert result["revoked"] is True  # … but the issuer has revoked it
    assert code == 1


def test_node_rejects_a_tampered_credential(files: Files, credential, key) -> None:
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["achievement"]["alignment"][0]["targetDescription"] = "Level 5"
    code, result = files.verify(tampered, _status_list(key))
    assert result["verified"] is False and "Invalid signature" in result["error"]
    assert code == 1


def test_node_rejects_a_credential_signed_by_another_key(files: Files, key) -> None:
    impostor = ob3.SigningKey(key_id=key.key_id, private_key=new_key().private_key)
    forged = ob3.sign(make_credential(index=INDEX), impostor, created=SIGNED_AT)
    code, result = files.verify(forged, None)
    assert result["verified"] is False and code == 1


def test_node_rejects_an_undefined_term_like_check_terms_does(files: Files, credential) -> None:
    tampered = copy.deepcopy(credential)
    tampered["nomorInduk"] = "x"
    code, result = files.verify(tampered, None)
    assert result["verified"] is False and "nomorInduk" in result["error"]
    assert code == 1


def test_node_verifies_an_old_credential_after_key_rotation(
    tmp_path: Path, credential, key
) -> None:
    rotated = Files(tmp_path, new_key("key-2"), key)  # new current key, old one still listed
    code, result = rotated.verify(credential, _status_list(rotated.key))
    assert result == {"verified": True, "revoked": False, "error": None}
    assert code == 0


def test_node_agrees_on_text_with_newlines_quotes_and_non_ascii(files: Files, key) -> None:
    # escaping in canonical N-Quads is where RDF canonicalizers have differed
    narrative = 'Baris 1\nBaris "2" \\ — ≥ 70 — 日本語\r\nakhir\tkolom'
    unsigned = make_credential(index=INDEX, criteria_narrative=narrative)
    code, result = files.verify(ob3.sign(unsigned, key, created=SIGNED_AT), _status_list(key))
    assert result == {"verified": True, "revoked": False, "error": None}
    assert code == 0


def test_node_accepts_the_1edtech_schema_with_the_extensions_context(files: Files, key) -> None:
    unsigned = make_credential(index=INDEX)
    unsigned["@context"].append("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json")
    unsigned["credentialSchema"] = [
        {
            "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
            "type": "1EdTechJsonSchemaValidator2019",
        }
    ]
    code, result = files.verify(ob3.sign(unsigned, key, created=SIGNED_AT), _status_list(key))
    assert result == {"verified": True, "revoked": False, "error": None}
    assert code == 0


def test_node_verifies_a_did_web_with_a_port(tmp_path: Path) -> None:
    did = ob3.did_web("http://127.0.0.1:8000")
    local = Files(tmp_path, new_key(did=did), did=did)
    credential = ob3.sign(
        make_credential(issuer_did=did, status_entry=None), local.key, created=SIGNED_AT
    )
    code, result = local.verify(credential, None)
    assert result == {"verified": True, "revoked": None, "error": None}
    assert code == 0
