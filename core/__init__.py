"""The bottom layer: what every app of Tangkas shares and that knows no app.

What belongs here: the application error types (``core.exceptions``), date helpers in the
city's time zone (``core.dates``), the HR API's plumbing (``core.api``: problem+json errors,
lists and pagination, throttles, OAuth glue, idempotency), the webhook feature
(``core.webhooks``) and the read-replica router (``core.db_router``). Nothing in this package
imports ``lms`` or a domain app (``competencies``, ``courses``, ``certificates``,
``frontend``); ``make lint`` checks it.
"""
