"""Bar charts drawn on the server as SVG (no script, CSP-safe), with a text table beside them for
screen readers (each chart is ``role="img"`` with a title naming its figures)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup


def bar_chart(title: str, rows: Sequence[tuple[str, float]], *, unit: str = "", width: int = 340) -> Markup:
    """Horizontal bars, one per (label, value); labels left, values at the bar's end."""
    if not rows:
        return Markup("")
    bar_h, gap, label_w = 22, 6, 110
    height = len(rows) * (bar_h + gap) + gap
    top = max((v for _, v in rows), default=0) or 1
    span = width - label_w - 56
    desc = "; ".join(f"{label}: {value:g}{unit}" for label, value in rows)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}: {escape(desc)}</title>"]
    for i, (label, value) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = max(int(span * value / top), 1 if value else 0)
        short = label if len(label) <= 9 else label[:8] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + bar_h * 0.7:.0f}" text-anchor="end">{escape(short)}</text>')
        parts.append(f'<rect class="bar" x="{label_w}" y="{y}" width="{w}" height="{bar_h}" rx="3"></rect>')
        parts.append(f'<text x="{label_w + w + 6}" y="{y + bar_h * 0.7:.0f}">{value:g}{escape(unit)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
