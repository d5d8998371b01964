"""The per-case chart of concerns and ready-reckoner ticks across visits.

Shared by both renderers: `value_scale` and `chart_description` feed the HTML's inline SVG
(built here by `visits_chart_svg`) and the PDF's reportlab chart, so both say the same thing.

Every label may hold anything a user typed. `clean_text` drops what cannot appear in XML at
all (control characters, lone surrogates); the SVG writer then escapes what is left.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from actions.reports.model import VisitPoint

# Characters XML 1.0 does not allow (C0 controls other than tab/newline/CR, lone surrogates,
# U+FFFE/U+FFFF). Such text cannot be put in an SVG, and lone surrogates cannot even be
# encoded as UTF-8, so they are replaced before anything is written.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def clean_text(text: str) -> str:
    """`text` with characters that XML (and UTF-8) cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub(REPLACEMENT, text)


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis, for labels that must fit a chart."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


@dataclass(frozen=True)
class Scale:
    """The value axis: 0 to `top` in steps of `step` (whole numbers; counts are whole)."""

    top: int
    step: int

    @property
    def ticks(self) -> list[int]:
        return list(range(0, self.top + 1, self.step))


def value_scale(visits: Sequence[VisitPoint]) -> Scale:
    """A whole-number axis that fits the largest count with about four gridlines."""
    largest = max((max(v.concerns, v.reckoner_ticks, 0) for v in visits), default=0)
    if largest <= 4:
        return Scale(top=4, step=1)
    raw = largest / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(int(step), 1)
    return Scale(top=step * math.ceil(largest / step), step=step)


def chart_title(reference: str) -> str:
    return f"Concerns and ready-reckoner ticks across visits, case {clean_text(reference)}"


def chart_description(visits: Sequence[VisitPoint]) -> str:
    """One or two plain sentences saying what the chart shows, for screen readers and print."""
    if not visits:
        return "No visits are recorded for this case yet."
    first, last = visits[0], visits[-1]
    if len(visits) == 1:
        return (
            f"One visit so far ({clean_text(first.label)}): "
            f"{_plural(first.concerns, 'concern')} and "
            f"{_plural(first.reckoner_ticks, 'ready-reckoner tick')}."
        )
    return (
        f"{len(visits)} visits. At the first ({clean_text(first.label)}): "
        f"{_plural(first.concerns, 'concern')} and "
        f"{_plural(first.reckoner_ticks, 'ready-reckoner tick')}. "
        f"At the latest ({clean_text(last.label)}): "
        f"{_plural(last.concerns, 'concern')} and "
        f"{_plural(last.reckoner_ticks, 'ready-reckoner tick')}."
    )


# -- SVG ---------------------------------------------------------------------------------

# Greyscale-safe series: a solid dark bar and a white bar with a dark outline.
SERIES = (
    ("Concerns", "#333333", "#333333"),
    ("Ready-reckoner ticks", "#ffffff", "#333333"),
)

_WIDTH = 560
_PLOT_H = 150
_LEFT, _RIGHT, _TOP = 48, 12, 34


def _attr(value: object) -> str:
    return quoteattr(str(value))


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def visits_chart_svg(reference: str, visits: Sequence[VisitPoint], id_prefix: str) -> str:
    """An inline SVG of grouped bars (concerns, ticks) per visit, as an escaped XML string.

    `id_prefix` keeps the ids of the <title> and <desc> unique when several charts share a
    page. The caller should also show the numbers as a table for screen readers.
    """
    id_prefix = re.sub(r"[^A-Za-z0-9_-]", "-", id_prefix) or "chart"
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    scale = value_scale(visits)
    n = len(visits)
    rotate = n > 8  # many visits: slanted labels, so they need more room below the bars
    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = _PLOT_H
    base_y = _TOP + plot_h
    height = base_y + (78 if rotate else 40)

    def y_of(value: int) -> float:
        return base_y - plot_h * value / scale.top

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" height="{height}" '
        f"aria-labelledby={_attr(f'{title_id} {desc_id}')}>",
        f"<title id={_attr(title_id)}>{escape(chart_title(reference))}</title>",
        f"<desc id={_attr(desc_id)}>{escape(chart_description(visits))}</desc>",
        '<g font-family="Helvetica, Arial, sans-serif" font-size="11" fill="#222">',
    ]

    # Legend, top left.
    x = _LEFT
    for name, fill, stroke in SERIES:
        out.append(
            f'<rect x="{x}" y="8" width="12" height="12" fill="{fill}" stroke="{stroke}"/>'
            f'<text x="{x + 17}" y="18">{escape(name)}</text>'
        )
        x += 30 + 7 * len(name)

    # Value axis: gridlines and whole-number labels.
    for tick in scale.ticks:
        ty = _num(y_of(tick))
        out.append(
            f'<line x1="{_LEFT}" y1="{ty}" x2="{_LEFT + plot_w}" y2="{ty}" '
            f'stroke="#cccccc" stroke-width="1"/>'
            f'<text x="{_LEFT - 6}" y="{ty}" text-anchor="end" dominant-baseline="middle">'
            f"{tick}</text>"
        )
    mid_y = _num(_TOP + plot_h / 2)
    out.append(
        f'<text x="12" y="{mid_y}" text-anchor="middle" transform="rotate(-90 12 {mid_y})">'
        f"Count</text>"
    )

    if n == 0:
        out.append(
            f'<text x="{_num(_LEFT + plot_w / 2)}" y="{mid_y}" text-anchor="middle">'
            f"No visits recorded yet</text>"
        )
    else:
        group_w = plot_w / n
        bar_w = min(group_w * 0.36, 40)
        label_every = max(1, math.ceil(n / 24))
        label_len = 9 if rotate else max(4, int(group_w / 6.5))
        for i, visit in enumerate(visits):
            centre = _LEFT + group_w * (i + 0.5)
            for j, (value, (_, fill, stroke)) in enumerate(
                zip((visit.concerns, visit.reckoner_ticks), SERIES, strict=True)
            ):
                value = max(value, 0)
                bx = centre - bar_w + j * bar_w
                by = y_of(min(value, scale.top))
                out.append(
                    f'<rect x="{_num(bx)}" y="{_num(by)}" width="{_num(bar_w)}" '
                    f'height="{_num(base_y - by)}" fill="{fill}" stroke="{stroke}"/>'
                )
                if n <= 16:
                    out.append(
                        f'<text x="{_num(bx + bar_w / 2)}" y="{_num(by - 3)}" '
                        f'text-anchor="middle" font-size="10">{value}</text>'
                    )
            if i % label_every == 0:
                label = escape(shorten(clean_text(visit.label), label_len))
                ly = base_y + 14
                if rotate:
                    out.append(
                        f'<text x="{_num(centre)}" y="{ly}" text-anchor="end" '
                        f'transform="rotate(-35 {_num(centre)} {ly})">{label}</text>'
                    )
                else:
                    out.append(
                        f'<text x="{_num(centre)}" y="{ly}" text-anchor="middle">{label}</text>'
                    )

    out.append(
        f'<line x1="{_LEFT}" y1="{base_y}" x2="{_LEFT + plot_w}" y2="{base_y}" stroke="#222"/>'
        f'<text x="{_num(_LEFT + plot_w / 2)}" y="{height - 6}" text-anchor="middle">'
        f"Visit</text>"
    )
    out.append("</g></svg>")
    return "".join(out)
