"""Small template helpers for the web pages: names in the active language, the heatmap's cell
marks, and the server-drawn charts (``core.svg``) fed from the selectors' results."""

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from core import svg

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any] | None, key: Any) -> Any:
    """``{{ mapping|get_item:key }}``: a dictionary lookup with a variable key."""
    return mapping.get(key) if mapping else None


@register.filter
def local_name(item: Any) -> str:
    """The English name (``name_en``) when the page is in English and one exists, else the
    Indonesian one (``name_id``): for competencies and every row the selectors return."""
    english = getattr(item, "name_en", "")
    if english and (get_language() or "").startswith("en"):
        return english
    return getattr(item, "name_id", "") or str(item)


@register.filter
def gap_class(gap: int | None) -> str:
    """The heatmap cell's CSS class: ``g0`` met, ``g1`` one level short, ``g2`` two or more."""
    if gap is None:
        return "gna"
    return "g0" if gap <= 0 else "g1" if gap == 1 else "g2"


@register.filter
def gap_symbol(gap: int | None) -> str:
    """The shape that says the same as the colour: ✓ met, ▲ one level short, ▲▲ two or more."""
    if gap is None:
        return "–"
    return "✓" if gap <= 0 else "▲" if gap == 1 else "▲▲"


@register.simple_tag
def proficiency_chart(
    rows: Iterable[Any], title: str, id_prefix: str = "proficiency"
) -> SafeString:
    """The proficiency-against-requirement bar chart of ``GapRow``-like rows."""
    bars = [
        svg.Bar(
            code=row.code,
            name=local_name(row),
            proficiency=row.proficiency,
            required=row.required_level,
            critical=row.is_critical,
        )
        for row in rows
    ]
    return svg.proficiency_bars(bars, title=title, id_prefix=id_prefix)


@register.simple_tag
def jp_ring(hours: Any, title: str, id_prefix: str = "jp") -> SafeString:
    """The JP ring of a ``LearningHours``."""
    return svg.jp_ring(hours.total, hours.target, title=title, id_prefix=id_prefix)


@register.simple_tag
def trend_chart(points: Iterable[Any], title: str, id_prefix: str = "trend") -> SafeString:
    """The quarterly trend chart of ``TrendPoint`` rows."""
    data = [
        svg.TrendDatum(label=p.label, total_gap=p.total_gap, coverage_pct=p.coverage_pct)
        for p in points
    ]
    return svg.trend_chart(data, title=title, id_prefix=id_prefix)
