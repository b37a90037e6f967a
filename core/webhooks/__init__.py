"""The webhook feature: API clients subscribe to events (``api``), events are queued as
deliveries (``services.event_publish``) and sent, signed and retried, by a Celery task
(``tasks``). It knows no domain app: ``lms.receivers`` connects the apps' domain signals to
``event_publish``.
"""
