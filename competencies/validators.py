"""Validation of the NIP (*Nomor Induk Pegawai*), the 18-digit civil-servant number.

PNS (Perka BKN 22/2007): birth date YYYYMMDD, CPNS appointment YYYYMM, sex digit (1 male,
2 female), sequence 001–999. PPPK ("NI PPPK"): birth date YYYYMMDD, appointment year YYYY,
the digit 2, the number of contracts (1–9), sex digit, sequence. DOMAIN.md §3.

Beyond the layout: a CPNS is at least 18 when appointed, and PPPK were first recruited in 2019,
so an NI PPPK from an earlier year is not real. A NIP never ends in 000 (the sequence starts at
001), but a spreadsheet that stores an 18-digit NIP as a number keeps only 15 digits and turns
the last three into 000; such a NIP is refused with a message that says how to fix the sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import dates

_DIGITS = re.compile(r"[0-9]{18}")
#: A number as a spreadsheet writes it in scientific notation: ``1.98503E+17``.
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE]\+?\d+$")

#: The youngest a CPNS can be appointed (applicants are at least 18 when they register).
CPNS_MIN_AGE = 18
#: The year the first PPPK were appointed; no NI PPPK carries an earlier year.
PPPK_FIRST_YEAR = 2019

#: What to tell someone whose NIP a spreadsheet has rounded (used by the imports as well).
ROUNDED_NIP_MESSAGE = _(
    "This NIP looks rounded by a spreadsheet: a spreadsheet keeps only 15 digits of a number, "
    "so the last digits of an 18-digit NIP become 000, and no NIP ends in 000 (its last three "
    "digits are a sequence number from 001). Format the NIP column as text and enter the NIPs "
    "again."
)


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


def parse_nip(raw: str, *, today: dt.date | None = None) -> NipParts:
    """Return the parts of a valid NIP or raise ``ValidationError`` saying what is wrong.
    ``today`` (the city's, by default) bounds the birth and appointment years; a caller
    checking thousands of NIPs at once passes it."""
    today = today or dates.today()
    nip = (raw or "").replace(" ", "")
    if _SCIENTIFIC.match(nip):
        raise ValidationError(ROUNDED_NIP_MESSAGE, code="nip_length")
    if not _DIGITS.fullmatch(nip):
        raise ValidationError(
            _("A NIP has exactly 18 digits (got %(count)s characters)."),
            code="nip_length",
            params={"count": len(nip)},
        )
    if nip.endswith("000"):
        # Checked before the other parts: a rounded NIP keeps its first 15 digits, and whatever
        # else is wrong, the sheet has to be fixed first.
        raise ValidationError(ROUNDED_NIP_MESSAGE, code="nip_sequence")
    birth = _date(nip[:8])
    if birth is None or not (1940 <= birth.year <= today.year - 15):
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
    if not (birth.year + 15 <= year <= today.year + 1):
        raise ValidationError(
            _("The appointment year %(year)s in this NIP is not possible for its birth date."),
            code="nip_appointment",
            params={"year": year},
        )
    if kind == "pppk" and year < PPPK_FIRST_YEAR:
        raise ValidationError(
            _(
                "Digits 9–12 of an NI PPPK are the year of appointment; PPPK were first "
                "appointed in %(first)s, so %(year)s is not possible."
            ),
            code="nip_pppk_year",
            params={"first": PPPK_FIRST_YEAR, "year": year},
        )
    if month is not None:
        # A TMT CPNS falls on the first of a month; the NIP keeps its year and month.
        appointed = dt.date(year, month, 1)
        if appointed < dates.add_years(birth, CPNS_MIN_AGE):
            age = year - birth.year - ((month, 1) < (birth.month, birth.day))
            raise ValidationError(
                _(
                    "This NIP says its holder was born on %(born)s and appointed CPNS in "
                    "%(appointed)s, at %(age)s; a CPNS is at least %(minimum)s years old."
                ),
                code="nip_cpns_age",
                params={
                    "born": birth.isoformat(),
                    "appointed": f"{month:02d}/{year}",
                    "age": age,
                    "minimum": CPNS_MIN_AGE,
                },
            )
    if sex_digit not in "12":
        raise ValidationError(
            _("Digit 15 of a NIP is the sex: 1 (male) or 2 (female), not %(value)s."),
            code="nip_sex",
            params={"value": sex_digit},
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
