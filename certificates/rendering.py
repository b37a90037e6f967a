"""The certificate PDF: A4 landscape, Bahasa Indonesia with English, rendered by WeasyPrint
from a Django template with the project's own OFL fonts and a QR code of the verification URL.
It names the holder and shows no digit of their NIP: the PDF is public, like its link.
"""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from certificates.links import verification_url
from certificates.models import Certificate

FONTS_DIR = Path(__file__).resolve().parent / "fonts"


def qr_svg_data_uri(url: str) -> str:
    qr = segno.make(url, error="m")
    return qr.svg_data_uri(scale=4, border=0, dark="#0b3a4a")


def logo_data_uri() -> str | None:
    path = Path(settings.CITY_LOGO)
    if not path.is_file():
        return None
    mime = mimetypes.guess_type(path.name)[0] or "image/svg+xml"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def certificate_html(certificate: Certificate) -> str:
    url = verification_url(certificate)
    with translation.override("id"):
        return render_to_string(
            "certificates/certificate_pdf.html",
            {
                "certificate": certificate,
                "city_name": settings.CITY_NAME,
                "logo": logo_data_uri(),
                "qr": qr_svg_data_uri(url),
                "verification_url": url,
                "fonts_dir": FONTS_DIR.as_uri(),
            },
        )


def certificate_pdf(certificate: Certificate) -> bytes:
    # Imported here: WeasyPrint takes 1.3-1.8 s to import and only a worker renders PDFs.
    from weasyprint import HTML

    # The shipped fonts are already subset to Latin (fonts/README.md): embedding them whole
    # is several times faster than letting WeasyPrint subset them in Python.
    return HTML(string=certificate_html(certificate), base_url=str(FONTS_DIR)).write_pdf(
        full_fonts=True
    )
