"""The certificate PDF: A4 landscape, Bahasa Indonesia with English, with the project's own
OFL fonts and a QR code of the verification URL. It names the holder and shows no digit of
their NIP: the PDF is public, like its link.

The page is designed as a Django template (``certificate_pdf.html``) that WeasyPrint lays out.
A worker renders many certificates, so the common case, every character in the shipped fonts,
is drawn with ReportLab to the same design instead, about five times faster
(``certificates.pdf_canvas``). The rest (a name in Vietnamese, say: Pango finds its glyphs in
the system's fonts) is laid out from the HTML, and most of what WeasyPrint does for one is the
same for every one, so ``html_pdf`` keeps that per process (issue 15, "Certificates"):

- the font configuration: a new ``FontConfiguration`` loads every system font into
  Fontconfig, and Pango's shaping caches live in its font map;
- the stylesheet (``certificate_pdf.css``), rendered and parsed once, its ``@font-face``
  fonts registered once;
- the city logo, read and encoded once, and decoded once by WeasyPrint (its image cache,
  holding the logo only: the QR code differs for every certificate);
- the metrics of each embedded font: with ``full_fonts`` WeasyPrint parses each font file
  with fontTools on every PDF to list every glyph's width and character, and the same four
  files give the same lists.

The PDF ``html_pdf`` writes is byte for byte the one the uncached render writes
(``cached=False``, the render as it was before, kept for ``make bench`` and the test that
compares the two).
"""

from __future__ import annotations

import base64
import contextlib
import contextvars
import functools
import hashlib
import io
import mimetypes
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def _read_logo(path: Path) -> str | None:
    if not path.is_file():
        return None
    mime = mimetypes.guess_type(path.name)[0] or "image/svg+xml"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


@functools.lru_cache(maxsize=4)
def _cached_logo(path: Path, mtime_ns: int) -> str | None:
    return _read_logo(path)


def logo_data_uri(*, cached: bool = False) -> str | None:
    path = Path(settings.CITY_LOGO)
    if not cached:
        return _read_logo(path)
    try:
        mtime_ns = path.stat().st_mtime_ns
    except OSError:
        return None
    return _cached_logo(path, mtime_ns)


def _context(certificate: Certificate, *, cached: bool) -> dict[str, Any]:
    url = verification_url(certificate)
    return {
        "certificate": certificate,
        "city_name": settings.CITY_NAME,
        "logo": logo_data_uri(cached=cached),
        "qr": qr_svg_data_uri(url),
        "verification_url": url,
        "fonts_dir": FONTS_DIR.as_uri(),
    }


def certificate_html(certificate: Certificate, *, inline_css: bool = True) -> str:
    """The certificate as one HTML document, its stylesheet inline unless ``inline_css`` is
    false (the cached render passes the stylesheet it parsed once)."""
    with translation.override("id"):
        return render_to_string(
            "certificates/certificate_pdf.html",
            {**_context(certificate, cached=not inline_css), "inline_css": inline_css},
        )


def certificate_pdf(certificate: Certificate, *, cached: bool = True) -> bytes:
    """The certificate's PDF: drawn with ReportLab when every character is in the shipped
    fonts and the logo can be read (``pdf_canvas``), else laid out from the HTML with the
    per-process caches (``html_pdf``). ``cached=False`` renders it as before issue 15, with
    WeasyPrint and nothing kept between certificates (the old path, which ``make bench``
    measures beside)."""
    if not cached:
        # Imported here: WeasyPrint takes 1.3-1.8 s to import and only a worker renders PDFs.
        from weasyprint import HTML

        # The shipped fonts are already subset to Latin (fonts/README.md): embedding them
        # whole is several times faster than letting WeasyPrint subset them in Python.
        return HTML(string=certificate_html(certificate), base_url=str(FONTS_DIR)).write_pdf(
            full_fonts=True
        )
    from certificates import pdf_canvas

    if pdf_canvas.can_draw(certificate):
        return pdf_canvas.certificate_pdf(certificate)
    return html_pdf(certificate)


def html_pdf(certificate: Certificate) -> bytes:
    """The PDF laid out from the HTML by WeasyPrint, with what is the same for every
    certificate kept per process: byte for byte the PDF of ``certificate_pdf(cached=False)``."""
    from weasyprint import HTML

    html = certificate_html(certificate, inline_css=False)
    with _RENDER_LOCK, _font_metrics_cached():
        renderer = _renderer()
        images = dict(renderer.images)
        pdf = HTML(string=html, base_url=str(FONTS_DIR)).write_pdf(
            stylesheets=[renderer.stylesheet],
            font_config=renderer.font_config,
            full_fonts=True,
            cache=images,
        )
        if not renderer.images:
            # Keep what the first render decoded, except the QR code (unique to it).
            qr_uri = qr_svg_data_uri(verification_url(certificate))
            renderer.images = {key: value for key, value in images.items() if key != qr_uri}
        return pdf


# --- What stays the same between certificates, kept per process ---------------------------

# WeasyPrint and Pango are not meant to share one font configuration between threads.
_RENDER_LOCK = threading.Lock()


class _Renderer:
    def __init__(self) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        with translation.override("id"):
            css = render_to_string(
                "certificates/certificate_pdf.css", {"fonts_dir": FONTS_DIR.as_uri()}
            )
        self.stylesheet = CSS(string=css, base_url=str(FONTS_DIR), font_config=self.font_config)
        self.images: dict[str, Any] = {}


@functools.lru_cache(maxsize=1)
def _renderer() -> _Renderer:
    return _Renderer()


class _FontMetrics:
    """What WeasyPrint reads from a parsed font file to write its width and ToUnicode tables
    when the font is embedded whole (weasyprint/pdf/fonts.py, build_fonts_dictionary): the
    glyphs' advance widths, the best cmap and glyph ids, taken once from fontTools."""

    class _Glyph:
        __slots__ = ("width",)

        def __init__(self, width: int) -> None:
            self.width = width

    def __init__(self, data: bytes, font_number: int) -> None:
        from fontTools.ttLib import TTFont

        font = TTFont(io.BytesIO(data), fontNumber=font_number)
        self._glyphs = {
            name: self._Glyph(glyph.width) for name, glyph in font.getGlyphSet().items()
        }
        self._cmap = dict(font.getBestCmap())
        self._ids = {name: font.getGlyphID(name) for name in self._cmap.values()}

    def getGlyphSet(self) -> dict[str, _FontMetrics._Glyph]:
        return self._glyphs

    def getBestCmap(self) -> dict[int, str]:
        return self._cmap

    def getGlyphID(self, name: str) -> int:
        return self._ids[name]


_METRICS: dict[tuple[bytes, int], _FontMetrics] = {}
_METRICS_ON: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "certificate_font_metrics", default=False
)


@functools.lru_cache(maxsize=1)
def _shipped_fonts() -> frozenset[bytes]:
    """The shipped fonts (static, Latin subsets, no colour tables), by SHA-256: the only
    fonts whose metrics are kept."""
    return frozenset(hashlib.sha256(path.read_bytes()).digest() for path in FONTS_DIR.glob("*.ttf"))


def _font_file(file: Any, fontNumber: int = -1, **options: Any) -> Any:
    """Stands for fontTools' TTFont in weasyprint.pdf.fonts: inside ``certificate_pdf``'s
    cached render it answers the read-only questions build_fonts_dictionary asks from metrics
    kept per font file; anywhere else (or asked anything else) it is TTFont itself."""
    from fontTools.ttLib import TTFont

    if not _METRICS_ON.get() or options or not isinstance(file, io.BytesIO):
        return TTFont(file, fontNumber=fontNumber, **options)
    data = file.getvalue()
    key = (hashlib.sha256(data).digest(), fontNumber)
    if key[0] not in _shipped_fonts():
        # A system font Pango fell back to (a character the shipped fonts lack): it may be a
        # variable or colour font, which WeasyPrint edits through TTFont.
        return TTFont(file, fontNumber=fontNumber, **options)
    metrics = _METRICS.get(key)
    if metrics is None:
        metrics = _METRICS[key] = _FontMetrics(data, fontNumber)
    return metrics


_FONT_STREAMS: dict[tuple[bytes, bytes], bytes] = {}


def _stream_data(stream: Any) -> bytes:
    """Stands for pydyf's Stream.data: inside the cached render, a stream that is one shipped
    font file, whole (build_fonts_dictionary's FontFile2), is compressed once per process
    (zlib level 9, a tenth of a PDF's time); every other stream is serialised as pydyf does."""
    content = stream.stream[0] if len(stream.stream) == 1 else None
    if not _METRICS_ON.get() or not isinstance(content, bytes) or not stream.compress:
        return _PYDYF_STREAM_DATA(stream)
    digest = hashlib.sha256(content).digest()
    if digest not in _shipped_fonts():
        return _PYDYF_STREAM_DATA(stream)
    key = (digest, repr(sorted(stream.extra.items())).encode())
    data = _FONT_STREAMS.get(key)
    if data is None:
        data = _FONT_STREAMS[key] = _PYDYF_STREAM_DATA(stream)
    return data


_PYDYF_STREAM_DATA: Any = None


@contextlib.contextmanager
def _font_metrics_cached() -> Iterator[None]:
    global _PYDYF_STREAM_DATA
    import pydyf
    from weasyprint.pdf import fonts

    if fonts.TTFont is not _font_file:
        fonts.TTFont = _font_file
    if _PYDYF_STREAM_DATA is None:
        _PYDYF_STREAM_DATA = pydyf.Stream.data.fget
        pydyf.Stream.data = property(_stream_data)
    token = _METRICS_ON.set(True)
    try:
        yield
    finally:
        _METRICS_ON.reset(token)
