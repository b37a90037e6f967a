"""The text a reader sees in a WeasyPrint PDF, for tests that check what a PDF shows.

No PDF library is a dependency, and WeasyPrint's output is regular: Flate streams, fonts in
object streams, each font with a ``ToUnicode`` CMap, text drawn as hex glyph strings in
``TJ`` arrays. Enough of PDF is read here to turn those glyphs back into characters; each
text-showing operation becomes one line.
"""

from __future__ import annotations

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_REFERENCE = re.compile(rb"/([^\s/<>\[\]()]+)\s*(\d+) 0 R")
_TOKEN = re.compile(rb"/([^\s/<>\[\]()]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>|(\])\s*TJ|(Tj)")


def _objects(pdf: bytes) -> tuple[dict[int, bytes], dict[int, bytes]]:
    """Object dictionaries by number (including those packed in object streams), and the
    decoded data of stream objects."""
    dictionaries: dict[int, bytes] = {}
    streams: dict[int, bytes] = {}
    for match in _OBJECT.finditer(pdf):
        number, body = int(match.group(1)), match.group(2)
        head, found, rest = body.partition(b"stream")
        dictionaries[number] = head
        if not found:
            continue
        data = rest.lstrip(b"\r\n")
        data = data[: data.rfind(b"endstream")]
        if b"/FlateDecode" in head:
            data = zlib.decompress(data)
        streams[number] = data
        if b"/ObjStm" in head:
            first = int(re.search(rb"/First (\d+)", head).group(1))
            numbers = [int(n) for n in data[:first].split()]
            pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
            for i, (inner, offset) in enumerate(pairs):
                end = pairs[i + 1][1] if i + 1 < len(pairs) else len(data) - first
                dictionaries[inner] = data[first + offset : first + end]
    return dictionaries, streams


def _cmap(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for source, target in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(source, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, target in re.findall(
            rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            start = int(target, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def pdf_text(pdf: bytes) -> str:
    dictionaries, streams = _objects(pdf)
    cmaps = {
        number: _cmap(streams[int(match.group(1))])
        for number, head in dictionaries.items()
        if (match := re.search(rb"/ToUnicode (\d+) 0 R", head))
    }
    fonts = {
        name.decode(): cmaps[int(ref)]
        for head in dictionaries.values()
        for name, ref in _REFERENCE.findall(head)
        if int(ref) in cmaps
    }
    lines: list[str] = []
    for data in streams.values():
        if b"BT" not in data or b" Tf" not in data:
            continue
        cmap: dict[int, str] = {}
        line = ""
        for font, glyphs, array_end, single in _TOKEN.findall(data):
            if font:
                cmap = fonts.get(font.decode(), {})
            elif array_end or single:
                lines.append(line)
                line = ""
            else:
                text = glyphs.decode()
                line += "".join(
                    cmap.get(int(text[i : i + 4], 16), "\ufffd") for i in range(0, len(text), 4)
                )
    return "\n".join(lines)
