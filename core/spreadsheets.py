"""Cells a spreadsheet would run as a formula, written once for every export.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel and LibreOffice (CSV injection: a name like ``=HYPERLINK(…)`` or ``=cmd|…`` becomes code
on the HR officer's machine). Every text cell of a file meant for a spreadsheet is written with
a leading apostrophe when it starts so, which spreadsheets show as plain text.

``formula_safe`` applies the rule to a Python string (the AKPK files), ``formula_safe_sql`` to
an SQL text expression (the gap export, streamed straight from PostgreSQL by ``COPY``); both
read ``FORMULA_START``.
"""

from __future__ import annotations

#: The first characters that make a spreadsheet read a cell as a formula (one character each).
FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

# ascii() is the code point of the first character: one integer test per cell, measured at
# about half the cost of comparing left(x, 1) as text (the gap export streams millions of cells).
_SQL_CODES = ", ".join(str(ord(character)) for character in FORMULA_START)


def formula_safe(value: str) -> str:
    """``value``, with a leading apostrophe if it starts like a formula."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


def formula_safe_sql(expression: str) -> str:
    """An SQL expression for the text ``expression`` with ``formula_safe``'s apostrophe (NULL
    stays NULL). ``expression`` is SQL written by us, never a value from outside."""
    return (
        f"CASE WHEN ascii({expression}) IN ({_SQL_CODES})"
        f" THEN '''' || {expression} ELSE {expression} END"
    )
