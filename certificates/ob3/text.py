"""Values as a credential carries them: free text that canonicalizes the same in every
verifier, and dates as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, Final

# C0 controls (except LF and CR) and DEL: their canonical N-Quads escaping differs between
# RDF canonicalization implementations (pyld vs rdf-canonize, RDF 1.1 vs 1.2 N-Quads), so a
# signature over them would not verify everywhere.
_UNPORTABLE_CONTROL_RE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNPORTABLE_CONTROL_NO_TAB_RE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\t]")


def clean_text(value: str) -> str:
    """Normalise free text (course descriptions pasted from office documents) for signing.

    Tabs become spaces, CRLF becomes LF and other control characters are removed, so the text
    canonicalizes identically in every verifier (see ``_UNPORTABLE_CONTROL_RE``).
    """
    value = value.replace("\r\n", "\n").replace("\t", " ")
    return _UNPORTABLE_CONTROL_RE.sub("", value)


def format_datetime(value: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` in UTC; naive datetimes are refused because they are ambiguous."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetimes in credentials must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def require_text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string")
    return value


def unportable_text(document: Any, *, allow_tab: bool) -> str | None:
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
