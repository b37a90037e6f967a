"""Charts drawn on the server as inline SVG, so they show without JavaScript and weigh little.

Each function returns a complete ``<svg>`` element as a safe string. Every text and attribute
value is escaped here (the data come from people's names and the competency framework), every
chart has ``role="img"`` with a ``<title>`` and a ``<desc>`` that screen readers announce, and
the page shows the same numbers in a table next to it. Colour is never the only signal: each
value is also written as text, and a gap is drawn with a different shape (a hatched bar, a
marker) as well as a different colour.

No colour is written here: every shape names its paint with a class of the site's palette
(``fill-ok``, ``stroke-line``, …, defined once in ``frontend/css/site.css`` under "Chart
palette"), so the charts follow the stylesheet. That works because every chart is drawn inline
in an HTML page; a chart served on its own (an ``<img>``, a file, a PDF) would not see the page's
stylesheet and would have to carry that palette in a ``<style>`` of its own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

MAX_LEVEL = 5


@dataclass(frozen=True)
class Bar:
    """One competency in the proficiency chart."""

    code: str
    name: str
    proficiency: int
    required: int
    critical: bool = False

    @property
    def gap(self) -> int:
        return max(0, self.required - self.proficiency)


@dataclass(frozen=True)
class TrendDatum:
    """One quarter in the trend chart."""

    label: str
    total_gap: int
    coverage_pct: float


def _num(value: float | int | Decimal, places: int = 1) -> str:
    """A number as people read it in the active language (``12``, ``12,5`` in Indonesian)."""
    rounded = round(float(value), places)
    if rounded == int(rounded):
        return number_format(int(rounded))
    return number_format(rounded, decimal_pos=places)


def _attrs(**attributes: object) -> str:
    parts = []
    for key, value in attributes.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = f"{value:.2f}".rstrip("0").rstrip(".")
        parts.append(f'{name}="{escape(str(value))}"')
    return " ".join(parts)


def _el(tag: str, text: str | None = None, **attributes: object) -> str:
    attrs = _attrs(**attributes)
    opening = f"<{tag} {attrs}" if attrs else f"<{tag}"
    if text is None:
        return f"{opening}/>"
    return f"{opening}>{escape(text)}</{tag}>"


def _svg(
    body: list[str], *, width: int, height: int, title: str, desc: str, id_prefix: str, css: str
) -> SafeString:
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart {escape(css)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{escape(title_id)} '
        f'{escape(desc_id)}" font-family="system-ui, sans-serif">'
    )
    parts = [
        head,
        _el("title", title, id=title_id),
        _el("desc", desc, id=desc_id),
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every value above went through escape()


def _hatch(id_: str, paint: str) -> str:
    """A diagonally striped fill: ``paint`` (a palette class such as ``fill-warn``) with pale
    stripes."""
    return (
        f'<defs><pattern id="{escape(id_)}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" class="{escape(paint)}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" class="stroke-paper" stroke-width="2"/>'
        f"</pattern></defs>"
    )


# --- Proficiency against the required level --------------------------------------------------


def proficiency_bars(
    bars: Sequence[Bar], *, title: str, id_prefix: str = "proficiency"
) -> SafeString:
    """A horizontal bar per competency: the person's level as a bar (solid when it meets the
    requirement, hatched when short), the required level as a dark marker, and the two numbers
    and the gap written at the end of the row."""
    label_w, bar_x, step, row_h, top = 64, 72, 44, 30, 28
    bar_w = step * MAX_LEVEL
    text_x = bar_x + bar_w + 10
    width = text_x + 140
    height = top + row_h * max(1, len(bars)) + 8
    hatch_id = f"{id_prefix}-hatch"
    body = [_hatch(hatch_id, "fill-warn")]
    # Level scale: a faint line per level, numbered at the top.
    for level in range(MAX_LEVEL + 1):
        x = bar_x + step * level
        body.append(_el("line", x1=x, y1=top - 6, x2=x, y2=height - 6, class_="stroke-line"))
        body.append(
            _el(
                "text",
                str(level),
                x=x,
                y=top - 12,
                class_="fill-muted",
                font_size=11,
                text_anchor="middle",
            )
        )
    if not bars:
        body.append(
            _el(
                "text",
                _("No requirements."),
                x=bar_x,
                y=top + 18,
                class_="fill-muted",
                font_size=13,
            )
        )
    for index, bar in enumerate(bars):
        y = top + row_h * index
        met = bar.gap == 0
        status = _("met") if met else _("gap %(gap)s") % {"gap": bar.gap}
        tooltip = _("%(code)s %(name)s: level %(level)s of %(required)s required (%(status)s)") % {
            "code": bar.code,
            "name": bar.name,
            "level": bar.proficiency,
            "required": bar.required,
            "status": status,
        }
        body.append(f'<g class="bar-row">{_el("title", tooltip)}')
        code = f"★ {bar.code}" if bar.critical else bar.code
        body.append(
            _el(
                "text",
                code,
                x=label_w,
                y=y + 19,
                class_="fill-ink",
                font_size=12,
                font_weight=700,
                text_anchor="end",
            )
        )
        body.append(
            _el(
                "rect",
                x=bar_x,
                y=y + 7,
                width=bar_w,
                height=16,
                rx=3,
                class_="fill-track",
                opacity=0.6,
            )
        )
        if bar.proficiency:
            body.append(
                _el(
                    "rect",
                    x=bar_x,
                    y=y + 7,
                    width=step * min(bar.proficiency, MAX_LEVEL),
                    height=16,
                    rx=3,
                    fill=None if met else f"url(#{hatch_id})",
                    class_="fill-ok stroke-ok" if met else "stroke-warn",
                )
            )
        # The required level: a dark marker line with a triangle above it.
        mx = bar_x + step * min(bar.required, MAX_LEVEL)
        body.append(
            _el("line", x1=mx, y1=y + 3, x2=mx, y2=y + 27, class_="stroke-ink", stroke_width=3)
        )
        body.append(
            _el("path", d=f"M{mx - 5},{y + 1} L{mx + 5},{y + 1} L{mx},{y + 7} Z", class_="fill-ink")
        )
        summary = f"{bar.proficiency}/{bar.required}"
        body.append(
            _el(
                "text",
                summary,
                x=text_x,
                y=y + 19,
                class_="fill-ink",
                font_size=13,
                font_weight=700,
            )
        )
        body.append(
            _el(
                "text",
                f"✓ {status}" if met else f"▲ {status}",
                x=text_x + 34,
                y=y + 19,
                class_="fill-ok" if met else "fill-bad",
                font_size=12,
                font_weight=700,
            )
        )
        body.append("</g>")
    short = sum(1 for bar in bars if bar.gap)
    desc = _(
        "%(count)s competencies; %(short)s below the required level. Bars show the current "
        "level from 0 to 5; the dark marker is the required level."
    ) % {"count": len(bars), "short": short}
    return _svg(
        body,
        width=width,
        height=height,
        title=title,
        desc=desc,
        id_prefix=id_prefix,
        css="chart-bars",
    )


# --- Learning hours against the yearly target -----------------------------------------------


def jp_ring(
    total: float | int | Decimal, target: int, *, title: str, id_prefix: str = "jp"
) -> SafeString:
    """A ring that fills as the year's learning hours (JP) approach the target."""
    size, radius, stroke = 140, 54, 16
    centre = size / 2
    circumference = 2 * math.pi * radius
    share = min(1.0, float(total) / target) if target else 1.0
    met = target and float(total) >= target
    body = [
        _el(
            "circle",
            cx=centre,
            cy=centre,
            r=radius,
            fill="none",
            class_="stroke-track",
            stroke_width=stroke,
        )
    ]
    if share > 0:
        body.append(
            _el(
                "circle",
                cx=centre,
                cy=centre,
                r=radius,
                fill="none",
                class_="stroke-ok" if met else "stroke-brand",
                stroke_width=stroke,
                stroke_linecap="round" if share < 1 else None,
                stroke_dasharray=f"{circumference * share:.2f} {circumference:.2f}",
                transform=f"rotate(-90 {centre} {centre})",
            )
        )
    body.append(
        _el(
            "text",
            _num(total),
            x=centre,
            y=centre + 4,
            class_="fill-ink",
            font_size=30,
            font_weight=800,
            text_anchor="middle",
        )
    )
    body.append(
        _el(
            "text",
            _("of %(target)s JP") % {"target": target},
            x=centre,
            y=centre + 24,
            class_="fill-muted",
            font_size=12,
            text_anchor="middle",
        )
    )
    if met:
        body.append(
            _el(
                "text",
                "✓",
                x=centre,
                y=centre - 24,
                class_="fill-ok",
                font_size=18,
                font_weight=800,
                text_anchor="middle",
            )
        )
    desc = _("%(total)s of %(target)s learning hours (JP) this year, %(percent)s%%.") % {
        "total": _num(total),
        "target": target,
        "percent": round(share * 100),
    }
    return _svg(
        body, width=size, height=size, title=title, desc=desc, id_prefix=id_prefix, css="chart-ring"
    )


# --- A unit's quarterly trend -----------------------------------------------------------------


def _nice_ceiling(value: float) -> int:
    """The smallest round number ≥ ``value`` for an axis (5, 10, 15, 20, 30, 40, 50, 60, 80,
    100, 150, …), so that the axis halves to a round number too."""
    if value <= 5:
        return 5
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 1.5, 2, 3, 4, 5, 6, 8, 10):
        if value <= factor * magnitude:
            return int(factor * magnitude)
    return int(10 * magnitude)  # pragma: no cover - the loop always returns


def trend_chart(
    points: Sequence[TrendDatum], *, title: str, id_prefix: str = "trend"
) -> SafeString:
    """Two panels over the same quarters: the total gap as bars (top) and coverage as a line
    with dots on a 0–100 % scale (bottom), every value written on the chart."""
    left, right, top = 40, 12, 30
    gap_h, gap_gap, cov_h = 104, 34, 70
    slot = 56
    width = left + right + slot * max(1, len(points))
    gap_base = top + 16 + gap_h
    cov_top = gap_base + gap_gap
    cov_base = cov_top + cov_h
    height = cov_base + 38
    max_gap = _nice_ceiling(max((p.total_gap for p in points), default=0) or 1)

    def gap_y(value: float) -> float:
        return gap_base - gap_h * value / max_gap

    def cov_y(value: float) -> float:
        return cov_base - cov_h * value / 100

    body = [
        # Legend: a square for the bars, a line with a dot for coverage.
        _el("rect", x=left, y=6, width=12, height=12, class_="fill-warn"),
        _el("text", _("Total gap (levels)"), x=left + 17, y=16, class_="fill-ink", font_size=12),
        _el(
            "line",
            x1=left + 160,
            y1=12,
            x2=left + 182,
            y2=12,
            class_="stroke-brand",
            stroke_width=3,
        ),
        _el("circle", cx=left + 171, cy=12, r=4, class_="fill-brand"),
        _el("text", _("Coverage %"), x=left + 188, y=16, class_="fill-ink", font_size=12),
    ]
    for value, y in ((0, gap_base), (max_gap / 2, gap_y(max_gap / 2)), (max_gap, gap_y(max_gap))):
        body.append(_el("line", x1=left, y1=y, x2=width - right, y2=y, class_="stroke-line"))
        body.append(
            _el(
                "text",
                _num(value),
                x=left - 6,
                y=y + 4,
                class_="fill-muted",
                font_size=11,
                text_anchor="end",
            )
        )
    for value in (0, 50, 100):
        y = cov_y(value)
        body.append(
            _el(
                "line",
                x1=left,
                y1=y,
                x2=width - right,
                y2=y,
                class_="stroke-line",
                stroke_dasharray=None if value == 0 else "3 3",
            )
        )
        body.append(
            _el(
                "text",
                f"{value}%",
                x=left - 6,
                y=y + 4,
                class_="fill-muted",
                font_size=11,
                text_anchor="end",
            )
        )
    line_points = []
    for index, point in enumerate(points):
        cx = left + slot * index + slot / 2
        y = gap_y(point.total_gap)
        tooltip = _("%(quarter)s: total gap %(gap)s, coverage %(coverage)s%%") % {
            "quarter": point.label,
            "gap": point.total_gap,
            "coverage": _num(point.coverage_pct),
        }
        body.append(f"<g>{_el('title', tooltip)}")
        body.append(
            _el(
                "rect",
                x=cx - 14,
                y=y,
                width=28,
                height=max(0.0, gap_base - y),
                class_="fill-warn",
                rx=2,
            )
        )
        body.append(
            _el(
                "text",
                str(point.total_gap),
                x=cx,
                y=y - 4,
                class_="fill-ink",
                font_size=11,
                font_weight=700,
                text_anchor="middle",
            )
        )
        label_year, _sep, label_quarter = point.label.partition(" ")
        body.append(
            _el(
                "text",
                label_quarter or label_year,
                x=cx,
                y=cov_base + 16,
                class_="fill-ink",
                font_size=11,
                text_anchor="middle",
            )
        )
        if label_quarter:
            body.append(
                _el(
                    "text",
                    label_year,
                    x=cx,
                    y=cov_base + 30,
                    class_="fill-muted",
                    font_size=10,
                    text_anchor="middle",
                )
            )
        body.append("</g>")
        line_points.append((cx, cov_y(point.coverage_pct), point.coverage_pct))
    if line_points:
        body.append(
            _el(
                "polyline",
                points=" ".join(f"{x:.1f},{y:.1f}" for x, y, _v in line_points),
                fill="none",
                class_="stroke-brand",
                stroke_width=3,
            )
        )
        for x, y, value in line_points:
            body.append(_el("circle", cx=x, cy=y, r=4.5, class_="fill-brand stroke-paper"))
            body.append(
                _el(
                    "text",
                    f"{_num(value, 0)}%",
                    x=x,
                    y=y - 9,
                    class_="fill-brand",
                    font_size=11,
                    font_weight=700,
                    text_anchor="middle",
                )
            )
    if points:
        first, last = points[0], points[-1]
        desc = _(
            "From %(first)s to %(last)s the total gap went from %(gap_first)s to %(gap_last)s "
            "and coverage from %(cov_first)s%% to %(cov_last)s%%."
        ) % {
            "first": first.label,
            "last": last.label,
            "gap_first": first.total_gap,
            "gap_last": last.total_gap,
            "cov_first": _num(first.coverage_pct),
            "cov_last": _num(last.coverage_pct),
        }
    else:
        desc = _("No data yet.")
    return _svg(
        body,
        width=width,
        height=height,
        title=title,
        desc=desc,
        id_prefix=id_prefix,
        css="chart-trend",
    )


# --- Horizontal bars: a share, a count, or two values per row --------------------------------


@dataclass(frozen=True)
class ShareBar:
    """One row of a share chart: a label, a percentage (0–100) and a note (``12/40``)."""

    label: str
    pct: float
    note: str = ""


@dataclass(frozen=True)
class CountBar:
    """One row of a count chart."""

    label: str
    count: int


@dataclass(frozen=True)
class PairedBar:
    """One row of a paired chart: two values on their own scales (JP spent, gap closed)."""

    label: str
    first: float
    second: float


_LABEL_CHARS = 34


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1].rstrip() + "…"


def _hbars(
    rows: Sequence[tuple[str, float, str, str]],
    *,
    scale: float,
    ticks: Sequence[tuple[float, str]],
    title: str,
    desc: str,
    id_prefix: str,
) -> SafeString:
    """Rows of (label, value, text written after the bar, tooltip) on a 0–``scale`` axis."""
    label_w, bar_x, bar_w, row_h, top = 236, 244, 300, 26, 26
    width = bar_x + bar_w + 130
    height = top + row_h * max(1, len(rows)) + 8
    body = []
    for value, text in ticks:
        x = bar_x + bar_w * value / scale
        body.append(_el("line", x1=x, y1=top - 6, x2=x, y2=height - 6, class_="stroke-line"))
        body.append(
            _el(
                "text",
                text,
                x=x,
                y=top - 10,
                class_="fill-muted",
                font_size=11,
                text_anchor="middle",
            )
        )
    if not rows:
        body.append(
            _el("text", _("No data yet."), x=bar_x, y=top + 16, class_="fill-muted", font_size=13)
        )
    for index, (label, value, text, tooltip) in enumerate(rows):
        y = top + row_h * index
        body.append(f"<g>{_el('title', tooltip)}")
        body.append(
            _el(
                "text",
                _short(label),
                x=label_w,
                y=y + 17,
                class_="fill-ink",
                font_size=12,
                text_anchor="end",
            )
        )
        body.append(
            _el(
                "rect",
                x=bar_x,
                y=y + 5,
                width=bar_w,
                height=16,
                rx=3,
                class_="fill-track",
                opacity=0.6,
            )
        )
        length = bar_w * max(0.0, min(value, scale)) / scale
        if length:
            body.append(
                _el("rect", x=bar_x, y=y + 5, width=length, height=16, rx=3, class_="fill-brand")
            )
        body.append(
            _el(
                "text",
                text,
                x=bar_x + bar_w + 8,
                y=y + 17,
                class_="fill-ink",
                font_size=12,
                font_weight=700,
            )
        )
        body.append("</g>")
    return _svg(
        body,
        width=width,
        height=height,
        title=title,
        desc=desc,
        id_prefix=id_prefix,
        css="chart-hbars",
    )


def share_bars(items: Sequence[ShareBar], *, title: str, id_prefix: str = "share") -> SafeString:
    """A horizontal bar per row on a 0–100 % scale, the percentage and the note written after
    it."""
    rows = [
        (
            item.label,
            item.pct,
            f"{_num(item.pct)}% {item.note}".strip(),
            f"{item.label}: {_num(item.pct)}% {item.note}".strip(),
        )
        for item in items
    ]
    if items:
        low = min(items, key=lambda item: item.pct)
        high = max(items, key=lambda item: item.pct)
        desc = _(
            "%(count)s rows, from %(low)s%% (%(low_label)s) to %(high)s%% (%(high_label)s)."
        ) % {
            "count": len(items),
            "low": _num(low.pct),
            "low_label": low.label,
            "high": _num(high.pct),
            "high_label": high.label,
        }
    else:
        desc = _("No data yet.")
    ticks = [(value, f"{value}%") for value in (0, 50, 100)]
    return _hbars(rows, scale=100, ticks=ticks, title=title, desc=desc, id_prefix=id_prefix)


def count_bars(items: Sequence[CountBar], *, title: str, id_prefix: str = "count") -> SafeString:
    """A horizontal bar per row on a round scale, the count written after it."""
    scale = _nice_ceiling(max((item.count for item in items), default=0) or 1)
    rows = [
        (item.label, item.count, _num(item.count), f"{item.label}: {_num(item.count)}")
        for item in items
    ]
    total = sum(item.count for item in items)
    desc = (
        _("%(count)s rows, %(total)s in total.") % {"count": len(items), "total": _num(total)}
        if items
        else _("No data yet.")
    )
    ticks = [(0, "0"), (scale / 2, _num(scale / 2)), (scale, _num(scale))]
    return _hbars(rows, scale=scale, ticks=ticks, title=title, desc=desc, id_prefix=id_prefix)


def paired_bars(
    items: Sequence[PairedBar],
    *,
    first_label: str,
    second_label: str,
    title: str,
    id_prefix: str = "paired",
) -> SafeString:
    """Two thin bars per row, each value on its own scale and written after its bar: the first
    solid, the second hatched (so the two differ by shape as well as colour); a negative
    second value draws no bar and is written with a ▲ (the gap grew)."""
    label_w, bar_x, bar_w, row_h, top = 100, 108, 280, 34, 30
    width = bar_x + bar_w + 120
    height = top + row_h * max(1, len(items)) + 8
    first_max = max((item.first for item in items), default=0) or 1
    second_max = max((item.second for item in items), default=0) or 1
    hatch_id = f"{id_prefix}-hatch"
    body = [
        _hatch(hatch_id, "fill-ok"),
        _el("rect", x=bar_x, y=6, width=12, height=10, class_="fill-brand"),
        _el("text", first_label, x=bar_x + 17, y=15, class_="fill-ink", font_size=12),
        _el(
            "rect",
            x=bar_x + 150,
            y=6,
            width=12,
            height=10,
            fill=f"url(#{hatch_id})",
            class_="stroke-ok",
        ),
        _el("text", second_label, x=bar_x + 167, y=15, class_="fill-ink", font_size=12),
    ]
    if not items:
        body.append(
            _el("text", _("No data yet."), x=bar_x, y=top + 16, class_="fill-muted", font_size=13)
        )
    for index, item in enumerate(items):
        y = top + row_h * index
        second_text = _num(item.second) if item.second >= 0 else f"▲ +{_num(-item.second)}"
        tooltip = f"{item.label}: {first_label} {_num(item.first)}; {second_label} {second_text}"
        body.append(f"<g>{_el('title', tooltip)}")
        body.append(
            _el(
                "text",
                _short(item.label),
                x=label_w,
                y=y + 19,
                class_="fill-ink",
                font_size=12,
                font_weight=700,
                text_anchor="end",
            )
        )
        first_w = bar_w * max(0.0, item.first) / first_max
        if first_w:
            body.append(
                _el("rect", x=bar_x, y=y + 4, width=first_w, height=11, class_="fill-brand")
            )
        body.append(
            _el(
                "text",
                _num(item.first),
                x=bar_x + first_w + 5,
                y=y + 14,
                class_="fill-ink",
                font_size=11,
            )
        )
        second_w = bar_w * max(0.0, item.second) / second_max
        if second_w:
            body.append(
                _el(
                    "rect",
                    x=bar_x,
                    y=y + 17,
                    width=second_w,
                    height=11,
                    fill=f"url(#{hatch_id})",
                    class_="stroke-ok",
                )
            )
        body.append(
            _el(
                "text",
                second_text,
                x=bar_x + second_w + 5,
                y=y + 27,
                class_="fill-ink" if item.second >= 0 else "fill-bad",
                font_size=11,
            )
        )
        body.append("</g>")
    desc = _("%(count)s rows: %(first)s and %(second)s, each on its own scale.") % {
        "count": len(items),
        "first": first_label,
        "second": second_label,
    }
    return _svg(
        body,
        width=width,
        height=height,
        title=title,
        desc=desc,
        id_prefix=id_prefix,
        css="chart-paired",
    )
