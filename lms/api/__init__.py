"""The HR API's shared machinery (``/api/v1/``): RFC 9457 problem responses, OAuth2 scopes and
organisation-based permissions, cursor pagination with ``updated_since``, ``Idempotency-Key``
replay, throttling, and the URL map that mounts each app's ``api.py``.
"""
