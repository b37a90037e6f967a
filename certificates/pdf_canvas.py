"""The certificate PDF drawn with ReportLab: the same page as ``certificate_pdf.html`` (A4
landscape, the shipped Noto fonts, the city's logo, the QR code of the verification URL),
about five times faster than laying out the HTML with WeasyPrint (issue 15, "Certificates":
a worker's rate).

A page of fixed design needs no layout engine: each block is placed where the stylesheet puts
it, the blocks that may wrap (the holder's name, the course, the competencies, the closing
text, the URL) wrap in ReportLab's paragraphs and push what follows down, as in the HTML.
What is the same for every certificate is loaded once per process: the fonts (ReportLab
subsets them per PDF in a few milliseconds, where WeasyPrint embeds them whole) and the logo
(an SVG logo rasterised once with CairoSVG at 600 px, about 690 dpi at 22 mm).

``can_draw`` says whether this renderer draws a certificate: every character of its texts in
the shipped fonts (a name in Vietnamese, say, is not: ``rendering`` then lays out the HTML,
and Pango finds the glyphs in the system's fonts), and a logo it can read. ``invariant``
output: the same certificate gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import threading
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format

from certificates.links import verification_url
from certificates.models import Certificate

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
_FONTS = {
    "Sans": "NotoSans_400Regular-latin.ttf",
    "Sans-Italic": "NotoSans_400Regular_Italic-latin.ttf",
    "Sans-Bold": "NotoSans_700Bold-latin.ttf",
    "Serif-Bold": "NotoSerif_700Bold-latin.ttf",
}
#: Colours of the stylesheet.
INK, DEEP, TEAL, GOLD, GREY, RULE = "#1b2430", "#0b3a4a", "#0b5d7a", "#e0a100", "#5a6675", "#d8dee6"
#: Pixels of a rasterised SVG logo.
LOGO_PIXELS = 600
#: What CSS calls ``line-height: normal`` for the Noto fonts (ascender + descender).
LINE = 1.362

_REGISTER_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def _fonts() -> frozenset[int]:
    """Set ReportLab up once per process: the shipped fonts registered, streams written in
    binary (not ASCII85: a quarter smaller, and no encoding pass). Returns the characters all
    the fonts draw, from the character maps ReportLab has just read."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    with _REGISTER_LOCK:
        rl_config.useA85 = 0
        covered: set[int] | None = None
        for name, file in _FONTS.items():
            font = TTFont(f"Tangkas-{name}", FONTS_DIR / file)
            pdfmetrics.registerFont(font)
            characters = set(font.face.charToGlyph)
            covered = characters if covered is None else covered & characters
    return frozenset(covered or ())


@functools.lru_cache(maxsize=4)
def _logo(path: Path, mtime_ns: int) -> bytes | None:
    """The logo as a JPEG on white (SVG rasterised at ``LOGO_PIXELS``), made once per file:
    ReportLab embeds a JPEG's bytes as they are, where it would decode, compress and encode a
    PNG again in every PDF (27 ms). None when it cannot be read."""
    from PIL import Image

    suffix = path.suffix.lower()
    try:
        if suffix == ".svg":
            import cairosvg

            raster = io.BytesIO(
                cairosvg.svg2png(url=str(path), output_width=LOGO_PIXELS, output_height=LOGO_PIXELS)
            )
        elif suffix in {".png", ".jpg", ".jpeg"}:
            raster = io.BytesIO(path.read_bytes())
        else:
            return None
        with Image.open(raster) as image:
            image = image.convert("RGBA")
            white = Image.new("RGBA", image.size, "white")
            output = io.BytesIO()
            Image.alpha_composite(white, image).convert("RGB").save(
                output, "JPEG", quality=92, optimize=True
            )
    except Exception:  # a file neither CairoSVG nor Pillow reads: the HTML path tries it
        return None
    return output.getvalue()


def _logo_bytes() -> tuple[bool, bytes | None]:
    """(whether this renderer can show the configured logo, its bytes; None: no logo)."""
    path = Path(settings.CITY_LOGO)
    try:
        mtime_ns = path.stat().st_mtime_ns
    except OSError:
        return True, None  # no logo file: the HTML shows none either
    logo = _logo(path, mtime_ns)
    return logo is not None, logo


def _texts(certificate: Certificate) -> Iterable[str]:
    yield settings.CITY_NAME
    yield certificate.holder_name
    yield certificate.title
    yield verification_url(certificate)
    for item in certificate.alignments or []:
        yield f"{item.get('code', '')} · {item.get('name', '')} {item.get('level', '')}"


def can_draw(certificate: Certificate) -> bool:
    covered = _fonts()
    if not all(ord(character) in covered for text in _texts(certificate) for character in text):
        return False
    return _logo_bytes()[0]


def _mm(value: float) -> float:
    return value * 72 / 25.4


def _style(name: str, font: str, size: float, colour: str, **more: object):
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(
        name,
        fontName=f"Tangkas-{font}",
        fontSize=size,
        leading=size * LINE,
        textColor=HexColor(colour),
        **more,
    )


def _english(text: str, size: float = 10) -> str:
    """The English gloss, as ``.en`` sets it: italic, grey, 10 pt."""
    return f' <font name="Tangkas-Sans-Italic" size="{size}" color="{GREY}">{escape(text)}</font>'


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate's PDF (``can_draw`` must hold)."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph, Table, TableStyle

    _fonts()
    _able, logo = _logo_bytes()
    url = verification_url(certificate)
    width, height = _mm(297), _mm(210)
    left, content = _mm(18), _mm(297 - 36)
    output = io.BytesIO()
    with translation.override("id"):
        canvas = Canvas(
            output,
            pagesize=(width, height),
            invariant=1,
            pageCompression=1,
            lang="id",
        )
        canvas.setTitle(f"Sertifikat {certificate.short_code}")
        canvas.setAuthor(settings.CITY_NAME)
        canvas.setSubject(certificate.title)
        canvas.setCreator("Tangkas")
        # Invariant output would date the file 1 January 2000: the certificate's own time.
        made = pdf_date(certificate)
        canvas.setDateFormatter(lambda *_ignored: made)

        # The frame: a 2.5 mm border 7 mm in, a 0.6 mm gold line 4 mm inside its outer edge.
        canvas.setStrokeColor(HexColor(TEAL))
        canvas.setLineWidth(_mm(2.5))
        canvas.rect(_mm(8.25), _mm(8.25), width - _mm(16.5), height - _mm(16.5))
        canvas.setStrokeColor(HexColor(GOLD))
        canvas.setLineWidth(_mm(0.6))
        canvas.rect(_mm(10.7), _mm(10.7), width - _mm(21.4), height - _mm(21.4))

        # The header: the logo (22 mm), and beside it the city and the programme.
        top = height - _mm(14)
        text_left = left
        if logo is not None:
            canvas.drawImage(
                ImageReader(io.BytesIO(logo)),
                left,
                top - _mm(22),
                _mm(22),
                _mm(22),
                preserveAspectRatio=True,
            )
            text_left = left + _mm(28)
        middle = top - _mm(11)
        city = canvas.beginText(text_left, middle + 1)
        city.setFont("Tangkas-Sans-Bold", 14)
        city.setFillColor(HexColor(DEEP))
        city.setCharSpace(0.5)
        city.textOut(settings.CITY_NAME.upper())
        city.setCharSpace(0)  # the spacing is text state: it would outlive the text object
        canvas.drawText(city)
        canvas.setFont("Tangkas-Sans", 9)
        canvas.setFillColor(HexColor(GREY))
        canvas.drawString(
            text_left, middle - 11, "Tangkas — Pengembangan Kompetensi TIK Aparatur Sipil Negara"
        )

        # The title line, then the blocks in their order, each pushing the next down.
        y = top - _mm(22) - _mm(9)
        heading = canvas.beginText(left, y - 34)
        heading.setFont("Tangkas-Serif-Bold", 34)
        heading.setFillColor(HexColor(DEEP))
        heading.setCharSpace(1)
        heading.textOut("SERTIFIKAT ")
        # As the HTML's span inherits the heading's font and spacing (no serif italic shipped).
        heading.setFont("Tangkas-Serif-Bold", 10)
        heading.setFillColor(HexColor(GREY))
        heading.textOut("Certificate of Completion")
        heading.setCharSpace(0)
        canvas.drawText(heading)
        y -= 34 * LINE

        def block(paragraph: Paragraph, gap_mm: float, width: float = content) -> None:
            nonlocal y
            y -= _mm(gap_mm)
            _w, used = paragraph.wrap(width, y)
            paragraph.drawOn(canvas, left, y - used)
            y -= used

        given = _style("given", "Sans", 12, INK)
        block(Paragraph("Diberikan kepada" + _english("Awarded to"), given), 5)
        block(
            Paragraph(escape(certificate.holder_name), _style("holder", "Serif-Bold", 26, INK)),
            4.23,
        )
        block(
            Paragraph(
                "atas keberhasilan menyelesaikan" + _english("for successfully completing"), given
            ),
            5,
        )
        block(Paragraph(escape(certificate.title), _style("course", "Sans-Bold", 17, TEAL)), 4.23)

        # The facts: four columns as wide as their text, 10 mm apart, a label above a value.
        def date_text(day) -> str:
            return date_format(day, "j F Y")

        facts = [
            (
                "Jam pelajaran",
                "Learning hours",
                f"{floatformat(certificate.jp_hours, '-2')} JP",
                "",
            ),
            ("Tanggal terbit", "Issued", date_text(certificate.issued_on), ""),
            ("Berlaku sampai", "Valid until")
            + (
                (date_text(certificate.expires_on), "")
                if certificate.expires_on
                else ("Tidak kedaluwarsa", "No expiry")
            ),
            ("Nomor", "Number", certificate.short_code, ""),
        ]
        label = _style("label", "Sans", 10.5, INK)
        value = _style("value", "Sans-Bold", 13, INK)
        y -= _mm(4)
        x, lowest = left, y
        for indonesian, english, shown, shown_english in facts:
            column = max(
                stringWidth(f"{indonesian} ", "Tangkas-Sans", 10.5)
                + stringWidth(english, "Tangkas-Sans-Italic", 10),
                stringWidth(f"{shown} ", "Tangkas-Sans-Bold", 13)
                + stringWidth(shown_english, "Tangkas-Sans-Italic", 10),
            )
            column = min(column + 1, left + content - x)
            label_text = Paragraph(escape(indonesian) + _english(english), label)
            value_text = Paragraph(
                escape(shown) + (_english(shown_english) if shown_english else ""), value
            )
            _w, first = label_text.wrap(column, y)
            label_text.drawOn(canvas, x, y - first)
            _w, second = value_text.wrap(column, y)
            value_text.drawOn(canvas, x, y - first - second)
            lowest = min(lowest, y - first - second)
            x += column + _mm(10)
        y = lowest

        if certificate.alignments:
            cell = _style("cell", "Sans", 9.5, INK)
            head = _style("head", "Sans", 9.5, GREY)
            rows = [
                [
                    Paragraph("Kompetensi" + _english("Competency"), head),
                    Paragraph("Level", head),
                ]
            ] + [
                [
                    Paragraph(escape(f"{item.get('code', '')} · {item.get('name', '')}"), cell),
                    Paragraph(escape(str(item.get("level", ""))), cell),
                ]
                for item in certificate.alignments
            ]
            table = Table(rows, colWidths=[_mm(150), _mm(20)], hAlign="LEFT")
            table.setStyle(
                TableStyle(
                    [
                        ("LEFTPADDING", (0, 0), (-1, -1), _mm(2)),
                        ("RIGHTPADDING", (0, 0), (-1, -1), _mm(2)),
                        ("TOPPADDING", (0, 0), (-1, -1), _mm(1.2)),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), _mm(1.2)),
                        ("LINEBELOW", (0, 0), (-1, -1), _mm(0.3), HexColor(RULE)),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            y -= _mm(4)
            _w, used = table.wrapOn(canvas, _mm(170), y)
            table.drawOn(canvas, left, y - used)

        # Bottom left: how it was issued. Bottom right: the QR code, the code and the URL.
        sign = Paragraph(
            f"Diterbitkan secara elektronik oleh {escape(settings.CITY_NAME)} sebagai kredensial "
            "Open Badges 3.0 yang ditandatangani secara digital; keasliannya dapat diperiksa "
            "tanpa login."
            + _english(
                "Issued electronically as a digitally signed Open Badges 3.0 credential; "
                "anyone can verify it without logging in.",
                9,
            ),
            _style("sign", "Sans", 9, GREY),
        )
        _w, used = sign.wrap(_mm(150), height)
        sign.drawOn(canvas, left, _mm(16))

        box, box_left = _mm(58), width - _mm(18) - _mm(58)
        small = _style("small", "Sans", 8.5, GREY, alignment=1)
        code = _style("code", "Sans-Bold", 11, INK, alignment=1)
        bottom = _mm(16)
        for paragraph in reversed(
            [
                Paragraph(
                    "Pindai untuk memeriksa keaslian" + _english("Scan to verify", 8.5), small
                ),
                Paragraph(_broken(certificate.grouped_code, "-", code, box), code),
                Paragraph(_broken(url, "/", small, box), small),
            ]
        ):
            _w, used = paragraph.wrap(box, height)
            paragraph.drawOn(canvas, box_left, bottom)
            bottom += used
        bottom += _mm(1.5)  # the image's line below it in the HTML
        _draw_qr(canvas, url, box_left + (box - _mm(34)) / 2, bottom, _mm(34))

        canvas.showPage()
        canvas.save()
    return output.getvalue()


def pdf_date(certificate: Certificate) -> str:
    """When the certificate was made, in the city's time, as a PDF date."""
    if certificate.created_at is not None:
        made = timezone.localtime(certificate.created_at)
    else:  # not saved yet
        made = timezone.make_aware(dt.datetime.combine(certificate.issued_on, dt.time()))
    offset = made.utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"D:{made:%Y%m%d%H%M%S}{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"


def _broken(text: str, after: str, style, width: float) -> str:
    """``text`` (a code, a URL: no spaces) as lines that fit ``width``, broken after
    ``after`` where it can and anywhere where it must; escaped, lines joined by ``<br/>``."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def fits(piece: str) -> bool:
        return stringWidth(piece, style.fontName, style.fontSize) <= width

    parts = [part + after for part in text.split(after)]
    parts[-1] = parts[-1][: -len(after)]
    lines = [""]
    for part in filter(None, parts):
        if fits(lines[-1] + part):
            lines[-1] += part
            continue
        lines.append("")
        for character in part:  # a part wider than the line: broken where it must
            if lines[-1] and not fits(lines[-1] + character):
                lines.append("")
            lines[-1] += character
    return "<br/>".join(escape(line) for line in lines if line)


def qr_modules(url: str) -> tuple[int, list[tuple[int, int]]]:
    """The URL's QR code (error correction M, as the HTML's): its size in modules, and its
    dark modules as (column, row) from the top left."""
    import segno

    matrix = segno.make(url, error="m").matrix
    dark = [(x, y) for y, row in enumerate(matrix) for x, on in enumerate(row) if on]
    return len(matrix), dark


def _draw_qr(canvas, url: str, left: float, bottom: float, size: float) -> None:
    """The QR code as one filled path of squares (vector, sharp at any zoom)."""
    from reportlab.lib.colors import HexColor

    count, dark = qr_modules(url)
    module = size / count
    path = canvas.beginPath()
    # One rectangle for each run of dark modules in a row (a third of the squares).
    runs: list[list[int]] = []
    for x, y in dark:
        if runs and runs[-1][1] == y and runs[-1][0] + runs[-1][2] == x:
            runs[-1][2] += 1
        else:
            runs.append([x, y, 1])
    for x, y, length in runs:
        path.rect(left + x * module, bottom + (count - 1 - y) * module, length * module, module)
    canvas.setFillColor(HexColor(DEEP))
    canvas.drawPath(path, stroke=0, fill=1)
