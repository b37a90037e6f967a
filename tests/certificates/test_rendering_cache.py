"""The per-process cached PDF render (issue 15) writes exactly the PDF the uncached render
writes: same bytes, so the same text, pages, embedded fonts and layout, for every certificate
in turn, and nothing of one certificate (its QR code, its name) leaks into the next."""

from __future__ import annotations

import copy
import io
import re

import pytest

from certificates import rendering
from certificates.models import Certificate, new_code
from tests.certificates.pdf_text import _objects, pdf_text


def _pages(pdf: bytes) -> int:
    dictionaries, _ = _objects(pdf)
    return sum(1 for head in dictionaries.values() if re.search(rb"/Type\s*/Page\b", head))


def _embedded_fonts(pdf: bytes) -> list[bytes]:
    dictionaries, streams = _objects(pdf)
    return sorted(
        streams[int(match.group(1))]
        for head in dictionaries.values()
        if (match := re.search(rb"/FontFile2 (\d+) 0 R", head))
    )


def _squeezed(text: str) -> str:
    """The text without white space: pdf_text breaks lines where the PDF does."""
    return "".join(text.split())


def _another(certificate: Certificate, **fields: object) -> Certificate:
    other = copy.copy(certificate)
    other.code = new_code()
    for name, value in fields.items():
        setattr(other, name, value)
    return other


def test_the_cached_render_writes_the_same_pdf_as_the_uncached_one(certificate) -> None:
    others = [
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
    for item in [certificate, *others, certificate]:
        uncached = rendering.certificate_pdf(item, cached=False)
        cached = rendering.certificate_pdf(item)
        assert cached == uncached
        assert _pages(cached) == 1
        text = _squeezed(pdf_text(cached))
        assert _squeezed(item.holder_name) in text and item.grouped_code in text
    # What a reader checks, spelled out: the texts differ between certificates, the shipped
    # fonts are embedded whole in both renders.
    first, second = (rendering.certificate_pdf(item) for item in others)
    assert others[0].grouped_code not in _squeezed(pdf_text(second))
    fonts = _embedded_fonts(first)
    shipped = sorted(path.read_bytes() for path in rendering.FONTS_DIR.glob("*.ttf"))
    assert fonts == _embedded_fonts(rendering.certificate_pdf(others[0], cached=False))
    assert all(font in shipped for font in fonts) and len(fonts) >= 3


def test_a_character_the_shipped_fonts_lack_falls_back_the_same_way(certificate) -> None:
    # ễ and ặ are outside the Latin subset shipped (fonts/README.md): Pango takes them from a
    # system font, whose metrics are not kept, and the two renders still agree.
    vietnamese = _another(certificate, holder_name="Nguyễn Thị Đặng")
    cached = rendering.certificate_pdf(vietnamese)
    assert cached == rendering.certificate_pdf(vietnamese, cached=False)
    assert "Nguy" in pdf_text(cached)


def test_fonttools_is_itself_outside_the_cached_render(certificate) -> None:
    from fontTools.ttLib import TTFont
    from weasyprint.pdf import fonts

    rendering.certificate_pdf(certificate)
    data = (rendering.FONTS_DIR / "NotoSans_700Bold-latin.ttf").read_bytes()
    assert isinstance(fonts.TTFont(io.BytesIO(data)), TTFont)
    with rendering._font_metrics_cached():
        assert not isinstance(fonts.TTFont(io.BytesIO(data)), TTFont)
        # Asked anything but the plain read, it is TTFont again.
        assert isinstance(fonts.TTFont(io.BytesIO(data), lazy=True), TTFont)


@pytest.mark.parametrize("logo", ["missing", "changed"])
def test_the_logo_follows_the_setting(certificate, settings, tmp_path, logo) -> None:
    rendering.certificate_pdf(certificate)  # the shipped logo, cached
    path = tmp_path / "logo.svg"
    if logo == "changed":
        path.write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
            '<rect width="10" height="10" fill="#e0a100"/></svg>'
        )
    settings.CITY_LOGO = str(path)
    html = rendering.certificate_html(certificate, inline_css=False)
    assert ('<img src="data:image/svg+xml' in html.split('<div class="city">')[0]) is (
        logo == "changed"
    )
    assert rendering.certificate_pdf(certificate) == rendering.certificate_pdf(
        certificate, cached=False
    )
