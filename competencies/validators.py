"""Validation of the NIP (*Nomor Induk Pegawai*), the 18-digit civil-servant number.

PNS (Perka BKN 22/2007): birth date YYYYMMDD, CPNS appointment YYYYMM, sex digit (1 male,
2 female), sequence 001–999. PPPK ("NI PPPK"): birth date YYYYMMDD, appointment year YYYY,
the digit 2, the number of contracts (1–9), sex digit, sequence. DOMAIN.md §3.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import dates

_DIGITS = re.compile(r"^\d{18}$")


@dataclass(frozen=True)
class NipParts:
    kind: str  # "pns" or "pppk"
    birth_date: dt.date
    appointment_year: int
    appointment_month: int | None
    sex: str  # "L" or "P"
    sequence: int


def _date(text: str) -> dt.date | None:
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def parse_nip(raw: str) -> NipParts:
    """Return the parts of a valid NIP or raise ``ValidationError`` saying what is wrong."""
    nip = (raw or "").replace(" ", "")
    if not _DIGITS.match(nip):
        raise ValidationError(
            _("A NIP has exactly 18 digits (got %(count)s characters)."),
            code="nip_length",
            params={"count": len(nip)},
        )
    birth = _date(nip[:8])
    if birth is None or not (1940 <= birth.year <= dates.today().year - 15):
        raise ValidationError(
            _("Digits 1–8 of a NIP are a birth date (YYYYMMDD); %(value)s is not a possible one."),
            code="nip_birth_date",
            params={"value": nip[:8]},
        )
    year = int(nip[8:12])
    month_or_marker = int(nip[12:14])
    sex_digit = nip[14]
    sequence = int(nip[15:])
    if 1 <= month_or_marker <= 12:
        kind, month = "pns", month_or_marker
    elif nip[12] == "2" and nip[13] != "0":
        kind, month = "pppk", None
    else:
        raise ValidationError(
            _(
                "Digits 9–14 of a NIP are the CPNS appointment year and month (YYYYMM); "
                "%(value)s has no valid month."
            ),
            code="nip_appointment",
            params={"value": nip[8:14]},
        )
    if not (birth.year + 15 <= year <= dates.today().year + 1):
        raise ValidationError(
            _("The appointment year %(year)s in this NIP is not possible for its birth date."),
            code="nip_appointment",
            params={"year": year},
        )
    if sex_digit not in "12":
        raise ValidationError(
            _("Digit 15 of a NIP is the sex: 1 (male) or 2 (female), not %(value)s."),
            code="nip_sex",
            params={"value": sex_digit},
        )
    if sequence == 0:
        raise ValidationError(
            _("Digits 16–18 of a NIP are a sequence number from 001 to 999."), code="nip_sequence"
        )
    return NipParts(
        kind=kind,
        birth_date=birth,
        appointment_year=year,
        appointment_month=month,
        sex="L" if sex_digit == "1" else "P",
        sequence=sequence,
    )


def validate_nip(value: str) -> None:
    parse_nip(value)


def normalise_nip(value: str) -> str:
    return (value or "").replace(" ", "").strip()


def mask_nip(nip: str) -> str:
    """Show only the last four digits: ``**************0001``."""
    return "*" * (len(nip) - 4) + nip[-4:] if len(nip) > 4 else "*" * len(nip)
