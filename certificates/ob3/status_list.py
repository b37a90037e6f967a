"""Revocation as a W3C Bitstring Status List: the bits, their ``encodedList`` form and the
unsigned ``BitstringStatusListCredential``. It is a check of its own: signature verification
does not look at it, because a revoked credential still has a valid signature."""

from __future__ import annotations

import base64
import gzip
import zlib
from datetime import datetime
from typing import Any, Final

from certificates.ob3.errors import CredentialError
from certificates.ob3.loader import VC_V2
from certificates.ob3.text import clean_text, format_datetime, require_text

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
    list_id = require_text("credential_id", credential_id)
    return {
        "@context": [VC_V2],
        "id": list_id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {
            "id": require_text("issuer_id", issuer_id),
            "name": clean_text(require_text("issuer_name", issuer_name)),
        },
        "validFrom": format_datetime(valid_from),
        "credentialSubject": {
            "id": list_id + "#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }
