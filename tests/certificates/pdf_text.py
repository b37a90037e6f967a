"""The text a reader sees in a PDF, and its parts, for tests that check what a PDF shows:
read with pypdf (a dev dependency), whichever renderer wrote it (WeasyPrint or ReportLab)."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pdf_reader(pdf).pages)


def embedded_fonts(pdf: bytes) -> list[bytes]:
    """The font files embedded in the PDF (TrueType), each once, sorted."""
    found: dict[int, bytes] = {}
    for page in pdf_reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            if descendants:
                font = descendants[0].get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None or "/FontFile2" not in descriptor.get_object():
                continue
            stream = descriptor.get_object()["/FontFile2"]
            found[stream.indirect_reference.idnum] = stream.get_object().get_data()
    return sorted(found.values())
