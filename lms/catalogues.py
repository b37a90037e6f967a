"""Compile the project's ``.po`` message catalogues into ``.mo`` files.

Django's ``compilemessages`` needs GNU gettext's ``msgfmt``, which a fresh machine may not
have; polib compiles the same catalogues in pure Python, so ``make run`` and ``make test``
need nothing beyond Python. Run as ``python -m lms.catalogues``; needs no Django settings.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = BASE_DIR / "locale"


def catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """The project's catalogue and each app's own (``<app>/locale/``, which Django also reads)."""
    app_catalogues = locale_dir.parent.glob("*/locale/*/LC_MESSAGES/*.po")
    return sorted({*locale_dir.glob("*/LC_MESSAGES/*.po"), *app_catalogues})


def compile_all(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every catalogue whose ``.mo`` is missing or older; return what was compiled."""
    compiled = []
    for po_path in catalogues(locale_dir):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        compiled.append(mo_path)
    return compiled


if __name__ == "__main__":
    try:
        done = compile_all()
    except (OSError, ValueError) as exc:
        sys.stderr.write(f"tangkas: cannot compile message catalogues: {exc}\n")
        sys.exit(1)
    print(f"[tangkas] Message catalogues compiled: {len(done)} (others were up to date).")
