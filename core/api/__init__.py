"""The HR API's shared machinery (``/api/v1/``), ignorant of the domain: RFC 9457 problem
responses (``errors``), cursor pagination with ``updated_since`` and strict query filters
(``lists``), strict fields for JSON bodies (``fields``), throttling (``throttles``), OAuth2
client scopes (``oauth``), ``Idempotency-Key`` replay keyed on the caller (``idempotency``,
``identity``), JSON bodies with a size limit (``parsers``) and the OpenAPI hooks (``schema``).

Who may see what (the organisation-based access policy) is domain knowledge and lives in
``competencies.access``; each app mounts its own operations from its ``urls.py``.
"""
