"""The certificate PDF's two renderers (issue 15): drawn with ReportLab when the shipped fonts
hold every character (``pdf_canvas``), else laid out from the HTML by WeasyPrint with its
per-process caches (``html_pdf``), which writes exactly the PDF the uncached render writes.
Either way: one page, the certificate's own texts read back from it, nothing of one
certificate (its QR code, its name) in the next, and the logo the setting names."""

from __future__ import annotations

import copy
import io
import itertools
import re

import pytest
from django.utils import timezone
from PIL import Image

from certificates import pdf_canvas, rendering
from certificates.models import Certificate, new_code
from tests.certificates.pdf_text import embedded_fonts, pdf_reader, pdf_text


def _squeezed(text: str) -> str:
    """The text without white space: a renderer breaks lines where it must."""
    return "".join(text.split())


def _another(certificate: Certificate, **fields: object) -> Certificate:
    other = copy.copy(certificate)
    other.code = new_code()
    for name, value in fields.items():
        setattr(other, name, value)
    return other


def _others(certificate: Certificate) -> list[Certificate]:
    return [
        _another(
            certificate,
            holder_name="Raden Ajeng Kartika Dewi Sulistyaningrum, S.Kom., M.T.",
            title="Tata Kelola Keamanan Informasi Sistem Pemerintahan Berbasis Elektronik (SPBE)",
            alignments=[
                {"code": "TIK-13", "name": "Manajemen Keamanan Informasi (SMKI)", "level": 3},
                {"code": "TIK-24", "name": "Literasi Digital", "level": 2},
                {"code": "TIK-05", "name": "Manajemen Basis Data", "level": 1},
            ],
        ),
        _another(certificate, holder_name="Budi Santoso", alignments=[], expires_on=None),
    ]


def _reads_as(pdf: bytes, certificate: Certificate) -> None:
    """What a reader checks: one page, and the certificate's own texts on it."""
    assert len(pdf_reader(pdf).pages) == 1
    text = _squeezed(pdf_text(pdf))
    for shown in [
        certificate.holder_name,
        certificate.title,
        certificate.grouped_code,
        certificate.short_code,
        f"{certificate.issued_on.day}{certificate.issued_on.year}",
        "SERTIFIKAT",
        "Diberikankepada",
        *(f"{item['code']}·{item['name']}" for item in certificate.alignments),
    ]:
        shown = _squeezed(shown)
        if shown.startswith(str(certificate.issued_on.day)):
            assert re.search(
                rf"{certificate.issued_on.day}[A-Za-z]+{certificate.issued_on.year}", text
            ), text
        else:
            assert shown in text, (shown, text)
    assert ("Tidakkedaluwarsa" in text) is (certificate.expires_on is None)


def test_the_shipped_fonts_draw_it_with_reportlab(certificate) -> None:
    for item in [certificate, *_others(certificate)]:
        assert pdf_canvas.can_draw(item)
        pdf = rendering.certificate_pdf(item)
        assert pdf.startswith(b"%PDF") and b"ReportLab" in pdf
        _reads_as(pdf, item)
        assert rendering.certificate_pdf(item) == pdf  # the same certificate, the same bytes
    first, second = (rendering.certificate_pdf(item) for item in _others(certificate))
    assert _others(certificate)[0].holder_name.split()[0] not in pdf_text(second)
    info = pdf_reader(first).metadata
    assert (
        info.title.startswith("Sertifikat ") and pdf_reader(first).trailer["/Root"]["/Lang"] == "id"
    )
    # Dated when the certificate was made, in Jakarta's time (not ReportLab's fixed 2000).
    made = timezone.localtime(certificate.created_at)
    assert info["/CreationDate"] == f"D:{made:%Y%m%d%H%M%S}+07'00'"
    assert info.subject == _others(certificate)[0].title
    # The shipped fonts, subset: each embedded font is smaller than the file it comes from.
    shipped = {path.stat().st_size for path in rendering.FONTS_DIR.glob("*.ttf")}
    fonts = embedded_fonts(first)
    assert len(fonts) >= 3 and all(len(font) < min(shipped) for font in fonts)


def test_the_qr_code_is_the_verification_urls(certificate) -> None:
    """The QR code is drawn as one rectangle per run of dark modules in a row: the page holds
    exactly the runs of the URL's code (and the frame's two rectangles)."""
    from certificates.links import verification_url

    count, dark = pdf_canvas.qr_modules(verification_url(certificate))
    rows: dict[int, list[int]] = {}
    for x, y in dark:
        rows.setdefault(y, []).append(x)
    runs = sum(1 + sum(1 for a, b in itertools.pairwise(xs) if b != a + 1) for xs in rows.values())
    content = pdf_reader(rendering.certificate_pdf(certificate)).pages[0].get_contents().get_data()
    assert len(re.findall(rb" re\b", content)) == runs + 2
    assert count >= 21 and len(dark) > count


def test_the_html_render_writes_the_same_pdf_as_the_uncached_one(certificate) -> None:
    for item in [certificate, *_others(certificate), certificate]:
        uncached = rendering.certificate_pdf(item, cached=False)
        assert rendering.html_pdf(item) == uncached
        _reads_as(uncached, item)
    first, second = (rendering.html_pdf(item) for item in _others(certificate))
    assert _others(certificate)[0].grouped_code not in _squeezed(pdf_text(second))
    # WeasyPrint embeds the shipped fonts whole.
    shipped = sorted(path.read_bytes() for path in rendering.FONTS_DIR.glob("*.ttf"))
    fonts = embedded_fonts(first)
    assert all(font in shipped for font in fonts) and len(fonts) >= 3


def test_a_character_the_shipped_fonts_lack_is_laid_out_from_the_html(certificate) -> None:
    # ễ and ặ are outside the Latin subset shipped (fonts/README.md): Pango takes them from a
    # system font, whose metrics are not kept, and the two HTML renders still agree.
    vietnamese = _another(certificate, holder_name="Nguyễn Thị Đặng")
    assert not pdf_canvas.can_draw(vietnamese)
    pdf = rendering.certificate_pdf(vietnamese)
    assert b"ReportLab" not in pdf
    assert pdf == rendering.certificate_pdf(vietnamese, cached=False)
    assert "Nguy" in pdf_text(pdf)


def test_fonttools_is_itself_outside_the_cached_render(certificate) -> None:
    from fontTools.ttLib import TTFont
    from weasyprint.pdf import fonts

    rendering.html_pdf(certificate)
    data = (rendering.FONTS_DIR / "NotoSans_700Bold-latin.ttf").read_bytes()
    assert isinstance(fonts.TTFont(io.BytesIO(data)), TTFont)
    with rendering._font_metrics_cached():
        assert not isinstance(fonts.TTFont(io.BytesIO(data)), TTFont)
        # Asked anything but the plain read, it is TTFont again.
        assert isinstance(fonts.TTFont(io.BytesIO(data), lazy=True), TTFont)


def _images(pdf: bytes) -> list[Image.Image]:
    return [Image.open(io.BytesIO(image.data)) for image in pdf_reader(pdf).pages[0].images]


@pytest.mark.parametrize("logo", ["missing", "svg", "png", "unreadable"])
def test_the_logo_follows_the_setting(certificate, settings, tmp_path, logo) -> None:
    rendering.certificate_pdf(certificate)  # the shipped logo, kept
    assert len(_images(rendering.certificate_pdf(certificate))) == 1
    path = tmp_path / f"logo.{'png' if logo == 'png' else 'svg'}"
    if logo == "svg":
        path.write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
            '<rect width="10" height="10" fill="#e0a100"/></svg>'
        )
    elif logo == "png":
        Image.new("RGB", (40, 40), "#e0a100").save(path)
    elif logo == "unreadable":
        path.write_text("not an image")
    settings.CITY_LOGO = str(path)
    html = rendering.certificate_html(certificate, inline_css=False)
    assert ('<img src="data:' in html.split('<div class="city">')[0]) is (logo != "missing")
    pdf = rendering.certificate_pdf(certificate)
    if logo == "unreadable":  # ReportLab cannot show it: the HTML render decides
        assert not pdf_canvas.can_draw(certificate)
        assert pdf == rendering.certificate_pdf(certificate, cached=False)
        return
    images = _images(pdf)
    assert len(images) == (0 if logo == "missing" else 1)
    if images:  # the new logo's colour, not the shipped one's
        red, green, blue = images[0].convert("RGB").getpixel((images[0].width // 2, 2))
        assert abs(red - 0xE0) < 12 and abs(green - 0xA1) < 12 and blue < 20
