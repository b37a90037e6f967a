"""The reports' charts (``core.svg``: share, count and paired bars): well-formed SVG, every value
written as text, names escaped, colours only from the site's palette."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from django.utils import translation

from core import svg

SITE_CSS = Path(__file__).resolve().parents[2] / "frontend/static/frontend/css/site.css"
SVG_NS = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    root = ET.fromstring(markup)  # noqa: S314 - our own output, parsed to prove it is XML
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("role") == "img"
    return root


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG_NS}text")]


def charts() -> list[str]:
    return [
        svg.share_bars(
            [svg.ShareBar("Dinas Kominfo", 50.0, "2/4"), svg.ShareBar("BKPSDM", 100.0, "2/2")],
            title="JP",
        ),
        svg.count_bars([svg.CountBar("2026", 3), svg.CountBar("2027", 12)], title="Pensiun"),
        svg.paired_bars(
            [svg.PairedBar("TIK-05", 8.0, 3), svg.PairedBar("TIK-13", 33.0, -2)],
            first_label="JP",
            second_label="Gap closed",
            title="Spending",
        ),
    ]


def test_share_bars_write_each_share_and_note() -> None:
    with translation.override("en"):
        root = parse(
            svg.share_bars(
                [svg.ShareBar("Dinas Kominfo", 50.0, "2/4"), svg.ShareBar("BKPSDM", 100, "2/2")],
                title="Share",
            )
        )
    assert "50% 2/4" in texts(root) and "100% 2/2" in texts(root)
    desc = root.find(f"{SVG_NS}desc").text
    assert "from 50% (Dinas Kominfo) to 100% (BKPSDM)" in desc


def test_paired_bars_mark_a_gap_that_grew() -> None:
    root = parse(
        svg.paired_bars(
            [svg.PairedBar("TIK-13", 33.0, -2)], first_label="JP", second_label="closed", title="t"
        )
    )
    assert "33" in texts(root) and "▲ +2" in texts(root)


def test_names_are_escaped_and_long_ones_shortened() -> None:
    name = '<script>alert("x")</script> Dinas Komunikasi, Informatika, Statistik dan Persandian'
    markup = svg.share_bars([svg.ShareBar(name, 10, "")], title="t")
    assert "<script>" not in markup
    root = parse(markup)
    label = texts(root)[3]  # after the three ticks
    assert label.endswith("…") and len(label) <= 34
    assert name in root.find(f"{SVG_NS}g/{SVG_NS}title").text  # the whole name on hover


def test_empty_charts_say_so() -> None:
    with translation.override("en"):
        for markup in (
            svg.share_bars([], title="t"),
            svg.count_bars([], title="t"),
            svg.paired_bars([], first_label="a", second_label="b", title="t"),
        ):
            assert "No data yet." in texts(parse(markup))


def test_the_charts_take_every_colour_from_the_palette() -> None:
    defined = set(re.findall(r"\.chart \.((?:fill|stroke)-[a-z]+) \{", SITE_CSS.read_text()))
    for markup in charts():
        assert not re.search(r"#[0-9a-fA-F]{3,6}\b|rgb\(", markup), "a colour literal"
        used = {
            name
            for element in parse(markup).iter()
            for name in (element.get("class") or "").split()
            if name.startswith(("fill-", "stroke-"))
        }
        assert used and used <= defined, used - defined
