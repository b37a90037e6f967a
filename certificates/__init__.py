"""Certificates: issuing, the PDF with its QR code, the Open Badges 3.0 verifiable credential,
public verification and revocation through a Bitstring Status List.

What belongs here: the certificate records, their rendering and signing (Celery tasks), the
signing keys and the issuer DID document, and the public verification documents. It listens
for course completions from ``courses`` (``receivers``) and builds on ``competencies``.

How it is laid out: ``models``; ``services`` (issue, sign, render, revoke, reissue) and
``selectors`` (verification); ``links`` (site, verification and status-list URLs);
``rendering`` (the PDF); ``keys``; ``ob3`` (the Open Badges 3.0 core, with no Django import);
``tasks``; ``signals`` (Signal objects only) and ``receivers``; ``api`` and ``urls``.
"""
