"""The bundled JSON-LD contexts and the document loader that serves only them.

Canonicalization reads JSON-LD contexts. We serve only the copies bundled in
``certificates/contexts`` and refuse every other URL: fetching at run time would let whoever
controls a context URL change what our signatures mean, and would make signing depend on the
network. Every pyld call goes through :func:`jsonld_options`."""

from __future__ import annotations

import copy
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Final, NoReturn

from pyld.context_resolver import ContextResolver

from certificates.ob3.errors import CredentialError, UnknownContextError

CONTEXT_DIR: Final = Path(__file__).resolve().parent.parent / "contexts"

VC_V2: Final = "https://www.w3.org/ns/credentials/v2"
DATA_INTEGRITY_V2: Final = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1: Final = "https://w3id.org/security/multikey/v1"
DID_V1: Final = "https://www.w3.org/ns/did/v1"
OB_V3P0: Final = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

# canonical URL -> file in certificates/contexts (see SOURCES.md there)
CONTEXT_FILES: Final[Mapping[str, str]] = {
    VC_V2: "credentials-v2.jsonld",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
    "https://www.w3.org/ns/credentials/status/v1": "vc-bitstring-status-list-v1.jsonld",
    DID_V1: "did-v1.jsonld",
    OB_V3P0: "ob-v3p0-context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
}
SCHEMA_FILE: Final = "ob_v3p0_achievementcredential_schema.json"


@cache
def bundled_json(filename: str) -> Any:
    """Parse a bundled file once per process; canonicalization asks for contexts constantly."""
    return json.loads((CONTEXT_DIR / filename).read_text(encoding="utf-8"))


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A pyld document loader that serves the bundled contexts and refuses every other URL.

    Raises :class:`UnknownContextError` for anything not bundled, so a credential that points
    at a context we have not reviewed can neither be signed nor silently fetched. The returned
    document is a copy, so nothing pyld does to it can alter the cached original. ``tag:
    static`` lets pyld keep the processed context across operations.
    """
    filename = CONTEXT_FILES.get(url)
    if filename is None:
        raise UnknownContextError(url)
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": copy.deepcopy(bundled_json(filename)),
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


def jsonld_options(**extra: Any) -> dict[str, Any]:
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


def reraise_jsonld_error(exc: Exception) -> NoReturn:
    """Turn a pyld failure into our errors so callers need not know pyld."""
    unknown = _unknown_context_in(exc)
    if unknown is not None:
        raise UnknownContextError(unknown.url) from exc
    raise CredentialError(f"JSON-LD processing failed: {exc}") from exc
