"""The server-drawn charts: well-formed SVG, accessible, escaped, and carrying the values."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from core import svg

NS = {"svg": "http://www.w3.org/2000/svg"}
SITE_CSS = Path(__file__).resolve().parents[2] / "frontend/static/frontend/css/site.css"


def parse(markup: str) -> ET.Element:
    root = ET.fromstring(markup)  # noqa: S314 - our own output, parsed to prove it is XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}text")]


def assert_accessible(root: ET.Element, title: str) -> None:
    assert root.get("role") == "img"
    title_el = root.find("svg:title", NS)
    desc_el = root.find("svg:desc", NS)
    assert title_el is not None and title_el.text == title
    assert desc_el is not None and desc_el.text
    assert root.get("aria-labelledby") == f"{title_el.get('id')} {desc_el.get('id')}"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_proficiency_chart_has_a_bar_per_competency_with_levels_and_gap_as_text() -> None:
    bars = [
        svg.Bar(code="TIK-05", name="Database Administration", proficiency=1, required=3),
        svg.Bar(code="M.01", name="Integrity", proficiency=3, required=2, critical=True),
    ]
    root = parse(svg.proficiency_bars(bars, title="My levels", id_prefix="p1"))
    assert_accessible(root, "My levels")
    words = texts(root)
    assert "TIK-05" in words and "★ M.01" in words
    assert "1/3" in words and "3/2" in words
    assert "▲ gap 2" in words and "✓ met" in words
    tooltips = [el.text for el in root.iter("{http://www.w3.org/2000/svg}title")]
    assert "TIK-05 Database Administration: level 1 of 3 required (gap 2)" in tooltips
    assert "2 competencies; 1 below the required level" in root.find("svg:desc", NS).text


def test_the_proficiency_chart_draws_a_short_level_hatched_and_a_met_level_solid() -> None:
    markup = svg.proficiency_bars(
        [svg.Bar("A", "a", 1, 2), svg.Bar("B", "b", 2, 2)], title="t", id_prefix="x"
    )
    assert 'fill="url(#x-hatch)"' in markup
    assert 'class="fill-ok stroke-ok"' in markup


def test_the_proficiency_chart_escapes_names_and_titles() -> None:
    evil = '<script>alert("x")</script> & "quotes"'
    markup = svg.proficiency_bars(
        [svg.Bar(code="<b>", name=evil, proficiency=0, required=1)], title=evil
    )
    assert "<script>" not in markup and "<b>" not in markup
    root = parse(markup)  # still well-formed XML
    assert root.find("svg:title", NS).text == evil


def test_an_empty_proficiency_chart_says_so() -> None:
    root = parse(svg.proficiency_bars([], title="Nothing"))
    assert "No requirements." in texts(root)


@pytest.mark.parametrize(
    ("total", "target", "shown", "percent"),
    [(Decimal("12.00"), 20, "12", 60), (Decimal("7.5"), 20, "7.5", 38), (25, 20, "25", 100)],
)
def test_the_jp_ring_shows_the_total_against_the_target(total, target, shown, percent) -> None:
    root = parse(svg.jp_ring(total, target, title="JP"))
    assert_accessible(root, "JP")
    assert shown in texts(root)
    assert f"of {target} JP" in texts(root)
    assert f"{percent}%" in root.find("svg:desc", NS).text
    if total >= target:
        assert "✓" in texts(root)


def test_the_jp_ring_is_in_the_page_language() -> None:
    with translation.override("id"):
        root = parse(svg.jp_ring(Decimal("7.5"), 20, title="JP"))
    assert "7,5" in texts(root)


def test_the_trend_chart_writes_each_quarter_gap_and_coverage() -> None:
    points = [
        svg.TrendDatum("2025 Q3", 216, 60.0),
        svg.TrendDatum("2025 Q4", 210, 62.4),
        svg.TrendDatum("2026 Q1", 193, 63.0),
    ]
    root = parse(svg.trend_chart(points, title="Trend"))
    assert_accessible(root, "Trend")
    words = texts(root)
    for value in ("216", "210", "193", "60%", "62%", "63%", "Q3", "Q4", "Q1", "2025", "2026"):
        assert value in words
    assert len(list(root.iter("{http://www.w3.org/2000/svg}rect"))) == 1 + len(points)
    desc = root.find("svg:desc", NS).text
    assert "from 216 to 193" in desc and "from 60% to 63%" in desc


def test_the_trend_chart_axis_is_round() -> None:
    assert [svg._nice_ceiling(v) for v in (0, 4, 7, 226, 1200)] == [5, 5, 8, 300, 1500]
    root = parse(svg.trend_chart([], title="Empty"))
    assert root.find("svg:desc", NS).text == "No data yet."


def every_chart() -> list[str]:
    return [
        svg.proficiency_bars(
            [svg.Bar("A", "a", 1, 2), svg.Bar("B", "b", 2, 2, critical=True)], title="t"
        ),
        svg.jp_ring(12, 20, title="JP"),
        svg.jp_ring(25, 20, title="JP"),
        svg.trend_chart([svg.TrendDatum("2025 Q4", 9, 50.0)], title="Trend"),
    ]


def test_the_charts_take_every_colour_from_the_palette_of_the_stylesheet() -> None:
    css = SITE_CSS.read_text()
    defined = set(re.findall(r"\.chart \.((?:fill|stroke)-[a-z]+) \{", css))
    for markup in every_chart():
        assert not re.search(r"#[0-9a-fA-F]{3,6}\b|rgb\(", markup), "a colour literal"
        root = parse(markup)
        used = {
            name
            for element in root.iter()
            for name in (element.get("class") or "").split()
            if name.startswith(("fill-", "stroke-"))
        }
        assert used and used <= defined, used - defined
