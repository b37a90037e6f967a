"""The crash-test barrier, loaded only into the worker that ``test_worker.py`` kills (through
``worker_settings``): between signing the credential and rendering the PDF, the worker touches
``<file>.reached`` and waits while the file named by ``TANGKAS_TEST_PAUSE_BEFORE_PDF`` exists,
so that the test can kill it at that known point.

It wraps the render step of ``certificate_sign_and_render``: the credential is signed and
committed, and the transaction that renders the PDF has not started.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from certificates import services

PAUSE_FILE = Path(os.environ["TANGKAS_TEST_PAUSE_BEFORE_PDF"])
WAIT_AT_MOST = 120.0  # the test kills the worker long before; never hang a forgotten worker

_render = services.certificate_pdf_render


def _pause_then_render(**kwargs: Any) -> Any:
    Path(f"{PAUSE_FILE}.reached").touch()
    deadline = time.monotonic() + WAIT_AT_MOST
    while PAUSE_FILE.exists() and time.monotonic() < deadline:
        time.sleep(0.1)  # a test barrier: waiting on a file the test controls
    return _render(**kwargs)


services.certificate_pdf_render = _pause_then_render
