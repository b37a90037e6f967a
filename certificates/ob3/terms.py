"""Term checking, pyld's missing safe mode.

``pyld`` has no "safe mode": a property its contexts do not define is dropped, and an undefined
type becomes a relative IRI that canonicalization drops. The signature would then cover less
than the JSON shows, and strict (safe-mode) verifiers reject the credential outright.
:func:`check_terms` detects both, and signing and verification always run it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Final

from pyld import jsonld

from certificates.ob3.errors import CredentialError, DroppedTermError
from certificates.ob3.loader import jsonld_options, reraise_jsonld_error

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
    expand_checked(document)


def expand_checked(document: dict[str, Any]) -> list[Any]:
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
            document, jsonld_options(), on_property_dropped=dropped.append
        )
    except jsonld.JsonLdError as exc:
        reraise_jsonld_error(exc)
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
