"""The WSGI application under whatever settings are already configured (tests, tools).
``lms.wsgi`` is the entry point for servers and defaults to production settings."""

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
