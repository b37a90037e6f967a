"""The issuer's public URLs: the site, a certificate's verification page and a status list.

They are printed in the PDF's QR code, signed into the credential and shown on the pages, so
they are built in one place from ``SITE_URL``.
"""

from __future__ import annotations

from django.conf import settings

from certificates.models import Certificate, StatusList


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def verification_url(certificate: Certificate) -> str:
    return site_url(f"/verify/{certificate.code}/")


def status_list_url(status_list: StatusList) -> str:
    return site_url(f"/credentials/status/{status_list.pk}")
