"""Certificates: issuing, the PDF with its QR code, the Open Badges 3.0 verifiable credential,
public verification and revocation through a Bitstring Status List.

What belongs here: the certificate records, their rendering and signing (Celery tasks), the
signing keys and the issuer DID document, and the public verification page. It listens for
course completions from ``courses`` and builds on ``competencies``.
"""
