"""The Tangkas project: settings, URL routing (each app's own ``urls.py`` mounted in
``urls``/``api_urls``), WSGI/ASGI, Celery, start-up, health probes, the embedded development
database, the message catalogues, the demo city command, and ``receivers`` (the one module
that ties the apps' domain signals to webhook events).

It sits on top: it imports the apps, and no app imports it (``make lint`` checks it). It holds
no models; what the apps share lives in the bottom layer, ``core``.
"""

from lms.celery import app as celery_app

__all__ = ["celery_app"]
