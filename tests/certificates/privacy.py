"""Checks that a public page, file or answer carries no digits of a holder's NIP."""

from __future__ import annotations

import re
from collections.abc import Iterable

from certificates.models import Certificate


def random_values(certificate: Certificate) -> list[str]:
    """Values of the certificate's own that are random (its code, id, status index, key id and
    signature): by chance they can contain any four digits, so checks remove them first. The
    code's groups count one by one: a PDF may wrap the code between them."""
    values = [
        *certificate.grouped_code.split("-"),
        certificate.code,
        certificate.code.lower(),
        certificate.grouped_code,
        certificate.grouped_code.lower(),
        str(certificate.pk),
        str(certificate.status_index),
    ]
    for proof in (certificate.credential or {}).get("proof", []):
        values += [proof["proofValue"], proof["verificationMethod"]]
    return values


def nip_digit_runs(text: str, nip: str, *, ignore: Iterable[str] = ()) -> list[str]:
    """The runs of digits in ``text`` that hold four or more consecutive digits of ``nip``
    (the masked ``**************1001`` as much as the whole number)."""
    for value in sorted(ignore, key=len, reverse=True):
        text = text.replace(value, " ")
    windows = {nip[i : i + 4] for i in range(len(nip) - 3)}
    return [
        run
        for run in re.findall(r"\d{4,}", text)
        if any(run[i : i + 4] in windows for i in range(len(run) - 3))
    ]
