"""The Tangkas project package: settings, URL routing, WSGI/ASGI, Celery, and what every app
shares (the application error hierarchy, health probes, the embedded development database).

It holds no domain models: those live in ``competencies``, ``courses`` and ``certificates``.
"""

from lms.celery import app as celery_app

__all__ = ["celery_app"]
