"""Dates in the city's time zone (Asia/Jakarta, WIB).

The city's day starts at 00:00 WIB, which is 17:00 UTC of the day before. Every "today", every
day boundary and every date read from outside goes through here, so that no code compares a
local date with a UTC one (``datetime.date.today()`` gives the *machine's* date).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# The formats HR spreadsheets use; ISO 8601 first (the API accepts only ISO 8601).
SPREADSHEET_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


def today() -> dt.date:
    """Today's date in the project's time zone (``TIME_ZONE``)."""
    return timezone.localdate()


def start_of_day(day: dt.date) -> dt.datetime:
    """The aware instant at which ``day`` begins in the project's time zone."""
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=timezone.get_default_timezone())


def end_of_day(day: dt.date) -> dt.datetime:
    """The aware instant at which ``day`` ends (the start of the next day), project time zone."""
    return start_of_day(day + dt.timedelta(days=1))


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def parse_date(value: Any, *, formats: tuple[str, ...] = ("%Y-%m-%d",)) -> dt.date | None:
    """A date from ``value`` (a ``date``, or text in one of ``formats``); ``None`` when blank.

    Raises ``ValueError`` when the text is not a date in any of the formats. A ``datetime`` is
    refused rather than silently cut to its (UTC or local?) date.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        raise ValueError("a date is expected, not a date and time")
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in formats:
        if fmt == "%Y-%m-%d" and not _ISO_DATE.fullmatch(text):
            continue  # strptime would take 2026-1-5; ISO 8601 has two-digit months and days
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date")
