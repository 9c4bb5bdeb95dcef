"""Charts as SVG built on the server: no JavaScript, no CDN, and every one has a table beside it on the page.

Every mark gets its colour from a CSS class (`t-defense`, …) that reads the type's variable in static/css/tracker.css,
so one type has one colour on every page and chart. Text is escaped by `format_html`; nothing here trusts its input.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Sequence

from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from tracker.models import AgreementStatus, AgreementType

TYPE_LABELS = dict(AgreementType.choices)
STATUS_LABELS = dict(AgreementStatus.choices)


def _join(parts: Iterable[SafeString]) -> SafeString:
    # Parts are SafeStrings built by format_html; conditional_escape escapes anything that is not.
    return mark_safe("".join(conditional_escape(part) for part in parts))


def nice_step(top: float, ticks: int = 5) -> int:
    """A round step (1, 2, 5 × 10^n) giving about `ticks` gridlines up to `top`."""
    if top <= ticks:
        return 1
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return int(factor * power)
    return int(10 * power)


def year_step(span: int, width: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if span / step <= max(2, width / 70):
            return step
    return 100


def count_of(n: int, noun: str) -> str:
    """ "1 agreement", "2 agreements": a count with its noun in the right number."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _svg_open(width: float, height: float, label: str, *, css: str = "chart", role: str = "img") -> SafeString:
    return format_html(
        '<svg class="{}" viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMinYMin meet" role="{}" '
        'aria-label="{}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>',
        css,
        f"{width:g}",
        f"{height:g}",
        role,
        label,
        label,
    )


def year_axis(
    first: int, last: int, *, start: int | None = None, end: int | None = None, this_year: int | None = None
) -> tuple[int, int]:
    """The years an axis shows: the filter's window where it sets one (a window "from 2015" runs from 2015 to this
    year), otherwise the data's years widened to ten, never past this year when the data stops before it."""
    first = start if start is not None else first
    if end is not None:
        last = end
    elif start is not None and this_year is not None:
        last = max(last, this_year)
    missing = 10 - (last - first + 1)
    if missing <= 0:
        return first, last
    later = 0 if end is not None else missing // 2 if start is None else missing
    if this_year is not None and end is None:
        later = min(later, max(this_year - last, 0))
    earlier = 0 if start is not None else missing - later
    return first - earlier, last + later


def stacked_years(
    per_year: Sequence,
    *,
    label: str,
    types: Sequence[str] = AgreementType.values,
    width: int = 880,
    height: int = 250,
    window: tuple[int | None, int | None] = (None, None),
    this_year: int | None = None,
) -> SafeString:
    """Agreements per year, stacked by type; `per_year` holds `YearCounts` (year, counts by type). `window` is the
    filter's (first year, last year), either of them None when the filter leaves it open."""
    if not per_year:
        return SafeString("")
    left, right, top, bottom = 44, 12, 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    first, last = year_axis(per_year[0].year, per_year[-1].year, start=window[0], end=window[1], this_year=this_year)
    per_year = [row for row in per_year if first <= row.year <= last]
    if not per_year:
        return SafeString("")
    span = last - first + 1
    bar = plot_w / span
    peak = max(sum(row.counts.values()) for row in per_year) or 1
    step = nice_step(peak)
    ymax = math.ceil(peak / step) * step

    def y(value: float) -> float:
        return top + plot_h - value / ymax * plot_h

    # The years shown are in the chart's name, so a reader (and a screen reader) knows the window at once.
    parts = [_svg_open(width, height, f"{label}, {first}–{last}")]
    for tick in range(0, ymax + 1, step):
        parts.append(
            format_html(
                '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/><text class="tick" x="{}" y="{}" '
                'text-anchor="end">{}</text>',
                left,
                width - right,
                f"{y(tick):.1f}",
                f"{y(tick):.1f}",
                left - 6,
                f"{y(tick) + 4:.1f}",
                tick,
            )
        )
    ystep = year_step(span, plot_w)
    for year in range(math.ceil(first / ystep) * ystep, last + 1, ystep):
        x = left + (year - first + 0.5) * bar
        parts.append(
            format_html(
                '<line class="axis" x1="{}" x2="{}" y1="{}" y2="{}"/><text class="tick" x="{}" y="{}" '
                'text-anchor="middle">{}</text>',
                f"{x:.1f}",
                f"{x:.1f}",
                top + plot_h,
                top + plot_h + 4,
                f"{x:.1f}",
                top + plot_h + 16,
                year,
            )
        )
    gap = 1 if bar > 4 else 0
    for row in per_year:
        base = 0
        x = left + (row.year - first) * bar
        for kind in types:
            n = row.counts.get(kind, 0)
            if not n:
                continue
            parts.append(
                format_html(
                    '<rect class="t-{}" x="{}" y="{}" width="{}" height="{}"><title>{}: {} {}</title></rect>',
                    kind,
                    f"{x + gap / 2:.2f}",
                    f"{y(base + n):.2f}",
                    f"{max(bar - gap, 0.8):.2f}",
                    f"{y(base) - y(base + n):.2f}",
                    row.year,
                    n,
                    TYPE_LABELS[kind].lower(),
                )
            )
            base += n
    parts.append(
        format_html(
            '<line class="axis" x1="{}" x2="{}" y1="{}" y2="{}"/>'
            '<text class="axis-label" x="{}" y="{}" text-anchor="middle">Year of earliest known date</text>'
            '<text class="axis-label" transform="rotate(-90)" x="{}" y="12" text-anchor="middle">Agreements</text>',
            left,
            width - right,
            top + plot_h,
            top + plot_h,
            left + plot_w / 2,
            height - 4,
            -(top + plot_h / 2),
        )
    )
    parts.append(SafeString("</svg>"))
    return _join(parts)


def bars(rows: Sequence[tuple[str, str, int]], *, label: str, width: int = 420, unit: str = "agreement") -> SafeString:
    """Horizontal bars: rows of (css class, label, value), drawn in the given order."""
    if not rows:
        return SafeString("")
    row_h, label_w, right = 24, 110, 56
    height = row_h * len(rows) + 4
    peak = max(value for _, _, value in rows) or 1
    parts = [_svg_open(width, height, label, css="chart bars")]
    for i, (css, name, value) in enumerate(rows):
        y = 2 + i * row_h
        w = (width - label_w - right) * value / peak
        if css.startswith("s-"):
            # Status bars are all one neutral grey: the status's own mark tells them apart.
            status = css[2:]
            offset = 4.5 if status == AgreementStatus.TERMINATED else 0
            parts.append(format_html(_MARKER[status], "", f"{10 - offset:.1f}", f"{y + 11.5 - offset:.1f}", name))
        parts.append(
            format_html(
                '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>'
                '<rect class="{}" x="{}" y="{}" width="{}" height="{}" rx="2"><title>{}: {}</title></rect>'
                '<text class="value" x="{}" y="{}">{}</text>',
                label_w - 8,
                y + 16,
                name,
                css,
                label_w,
                y + 3,
                f"{max(w, 1 if value else 0):.1f}",
                row_h - 7,
                name,
                count_of(value, unit),
                f"{label_w + w + 6:.1f}",
                y + 16,
                f"{value:,}",
            )
        )
    parts.append(SafeString("</svg>"))
    return _join(parts)


def type_stack(counts: dict[str, int], *, width: int = 90, height: int = 10) -> SafeString:
    """One small bar split by type, for a table cell: an SVG, since the page's policy allows no inline style."""
    total = sum(counts.values())
    if not total:
        return SafeString("")
    described = "; ".join(f"{n} {TYPE_LABELS.get(kind, kind).lower()}" for kind, n in counts.items() if n)
    parts = [_svg_open(width, height, described, css="stack")]
    x = 0.0
    for kind, n in counts.items():
        if n:
            w = width * n / total
            parts.append(
                format_html(
                    '<rect class="t-{}" x="{}" y="0" width="{}" height="{}"><title>{} {}</title></rect>',
                    kind,
                    f"{x:.1f}",
                    f"{w:.1f}",
                    height,
                    n,
                    TYPE_LABELS.get(kind, kind).lower(),
                )
            )
            x += w
    parts.append(SafeString("</svg>"))
    return _join(parts)


def _short(text: str, size: int) -> str:
    """Shorten a label, keeping a trailing "(1951)": ATOP and DESTA titles end with the year that tells them apart."""
    if len(text) <= size:
        return text
    tail = text[text.rindex("(") :] if text.endswith(")") and "(" in text and len(text) - text.rindex("(") < 12 else ""
    return text[: size - len(tail) - 2].rstrip(" ,:–-") + "… " + tail if tail else text[: size - 1] + "…"


def _fraction_year(date: datetime.date) -> float:
    return date.year + (date.timetuple().tm_yday - 1) / 366


_MARKER = {
    AgreementStatus.PROPOSED: '<circle class="m-proposed {}" cx="{}" cy="{}" r="5"><title>{}</title></circle>',
    AgreementStatus.SIGNED: '<circle class="m-signed {}" cx="{}" cy="{}" r="5"><title>{}</title></circle>',
    AgreementStatus.IN_FORCE: '<circle class="m-in_force {}" cx="{}" cy="{}" r="5"><title>{}</title></circle>',
    AgreementStatus.TERMINATED: '<rect class="m-terminated {}" x="{}" y="{}" width="9" height="9"><title>{}</title>'
    "</rect>",
}


# Lane labels are 11.5px text: about 6.4 px a character on average, so a label is cut to what its line holds.
_LABEL_CHAR_WIDTH = 6.4


def timeline(
    agreements: Sequence,
    *,
    label: str,
    today: datetime.date,
    width: int = 880,
    max_rows: int = 150,
    window: tuple[int | None, int | None] = (None, None),
) -> SafeString:
    """One lane per agreement on a shared time axis: a bar from its first step to its end (or today), and a marker
    for each status change. Each agreement has `status_rows` (from `agreements_attach_details`) and a link.

    Each lane's label sits on its own line above the lane, across the chart's width: a label beside the lanes was
    cut at its left edge, and markers of early steps were drawn over it."""
    rows = [a for a in agreements if any(step["date"] for step in a.status_rows)][:max_rows]
    if not rows:
        return SafeString("")
    dates = [step["date"] for a in rows for step in a.status_rows if step["date"]]
    ongoing = any(a.status != AgreementStatus.TERMINATED for a in rows)
    first, last = year_axis(
        math.floor(_fraction_year(min(dates))),
        math.ceil(_fraction_year(max([*dates, today] if ongoing else dates)) + 0.01) - 1,
        start=window[0],
        end=window[1],
        this_year=today.year,
    )
    last += 1  # the axis runs to the end of its last year
    left, right, top, row_h = 12, 16, 28, 32
    plot_w = width - left - right
    height = top + row_h * len(rows) + 30

    def x(value: float) -> float:
        return left + (min(max(value, first), last) - first) / (last - first) * plot_w

    parts = [_svg_open(width, height, label, css="chart timeline", role="group")]
    parts.extend(_timeline_axis(first, last, x, plot_w=plot_w, top=top, height=height))
    for i, agreement in enumerate(rows):
        parts.extend(_timeline_lane(agreement, x, today=today, top=top + i * row_h, width=plot_w, left=left))
    parts.append(SafeString("</svg>"))
    return _join(parts)


def _timeline_axis(first: int, last: int, x, *, plot_w: float, top: int, height: int) -> list[SafeString]:
    step = year_step(last - first, plot_w)
    return [
        format_html(
            '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
            '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>'
            '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
            f"{x(year):.1f}",
            f"{x(year):.1f}",
            top - 6,
            height - 24,
            f"{x(year):.1f}",
            top - 12,
            year,
            f"{x(year):.1f}",
            height - 10,
            year,
        )
        for year in range(math.ceil(first / step) * step, last + 1, step)
    ]


def _timeline_lane(agreement, x, *, today: datetime.date, top: float, width: float, left: float) -> list[SafeString]:
    from tracker.partial_dates import PartialDate

    cy = top + 22
    steps = [s for s in agreement.status_rows if s["date"]]
    start = _fraction_year(steps[0]["date"])
    ended = [s for s in steps if s["status"] == AgreementStatus.TERMINATED]
    end = _fraction_year(ended[-1]["date"]) if ended else _fraction_year(max(today, steps[-1]["date"]))
    parts = [
        format_html(
            '<a href="{}"><text class="lane-label" x="{}" y="{}">{}<title>{}</title></text></a>'
            '<line class="lane t-{}{}" x1="{}" x2="{}" y1="{}" y2="{}"/>',
            reverse("agreement-detail", args=[agreement.pk]),
            left,
            f"{top + 11:.1f}",
            _short(agreement.title, int(width / _LABEL_CHAR_WIDTH)),
            agreement.title,
            agreement.type,
            "" if ended else " ongoing",
            f"{x(start):.1f}",
            f"{max(x(end), x(start) + 2):.1f}",
            f"{cy:.1f}",
            f"{cy:.1f}",
        )
    ]
    for s in steps:
        when = PartialDate.from_parts(s["date"], s["date_precision"])
        px = x(_fraction_year(s["date"]))
        tip = f"{STATUS_LABELS[s['status']]}: {when.display()}"
        offset = 4.5 if s["status"] == AgreementStatus.TERMINATED else 0
        parts.append(
            format_html(_MARKER[s["status"]], f"t-{agreement.type}", f"{px - offset:.1f}", f"{cy - offset:.1f}", tip)
        )
    return parts


def responsive(build: Callable[[int], SafeString], *, wide: int = 880, narrow: int = 360) -> SafeString:
    """The same chart drawn for a wide screen and for a phone; the style sheet shows the one that fits. An SVG
    scaled down to a phone shrinks its text away, and one kept wide shows only part of its axis."""
    drawn = build(wide)
    if not drawn:
        return drawn
    return format_html('<div class="chart-wide">{}</div><div class="chart-narrow">{}</div>', drawn, build(narrow))


def network(edges: Sequence, *, label: str, size: int = 760) -> SafeString:
    """Countries on a circle, grouped by region (a deterministic layout); an edge per pair, its width the pair's
    weight (`network_edges`: a multilateral agreement counts less for each pair) and its colour the pair's main type.
    `edges` are `NetworkEdge`s."""
    if not edges:
        return SafeString("")
    nodes: dict[int, object] = {}
    degree: dict[int, int] = {}
    for edge in edges:
        for country in (edge.a, edge.b):
            nodes[country.pk] = country
            degree[country.pk] = degree.get(country.pk, 0) + edge.weight
    ordered = sorted(nodes.values(), key=lambda c: (c.region or "~", c.subregion or "", c.name))
    regions = [c.region or "Other" for c in ordered]
    gaps = sum(1 for i in range(1, len(ordered)) if regions[i] != regions[i - 1]) + 1
    slots = len(ordered) + gaps * 1.5
    centre, radius = size / 2, size / 2 - 120
    position, angle, slot = {}, {}, 0.0
    for i, country in enumerate(ordered):
        if i == 0 or regions[i] != regions[i - 1]:
            slot += 1.5
        theta = 2 * math.pi * slot / slots - math.pi / 2
        angle[country.pk] = theta
        position[country.pk] = (centre + radius * math.cos(theta), centre + radius * math.sin(theta))
        slot += 1
    heaviest = max(edge.weight for edge in edges) or 1
    top_degree = max(degree.values()) or 1
    parts = [_svg_open(size, size, label, css="chart network", role="group")]
    for edge in sorted(edges, key=lambda e: e.weight):
        (x1, y1), (x2, y2) = position[edge.a.pk], position[edge.b.pk]
        # Curve towards the centre so that edges between neighbours stay visible and long ones bundle.
        cx, cy = centre + ((x1 + x2) / 2 - centre) * 0.35, centre + ((y1 + y2) / 2 - centre) * 0.35
        parts.append(
            format_html(
                '<path class="edge t-{}" d="M{} {} Q{} {} {} {}" stroke-width="{}"><title>{} – {}: {}, weight {}'
                "</title></path>",
                edge.main_type,
                f"{x1:.1f}",
                f"{y1:.1f}",
                f"{cx:.1f}",
                f"{cy:.1f}",
                f"{x2:.1f}",
                f"{y2:.1f}",
                f"{0.8 + 5 * math.sqrt(edge.weight / heaviest):.2f}",
                edge.a.name,
                edge.b.name,
                count_of(edge.agreements, "agreement"),
                f"{edge.weight:g}",
            )
        )
    for country in ordered:
        px, py = position[country.pk]
        theta = angle[country.pk]
        lx, ly = centre + (radius + 12) * math.cos(theta), centre + (radius + 12) * math.sin(theta)
        degrees = math.degrees(theta)
        flip = math.cos(theta) < 0
        parts.append(
            format_html(
                '<a href="{}"><circle class="node" cx="{}" cy="{}" r="{}"><title>{}: ties of weight {} shown</title>'
                '</circle><text class="node-label" x="{}" y="{}" text-anchor="{}" transform="rotate({} {} {})">{}'
                "</text></a>",
                reverse("country-detail", args=[country.code]),
                f"{px:.1f}",
                f"{py:.1f}",
                f"{3 + 5 * math.sqrt(degree[country.pk] / top_degree):.1f}",
                country.name,
                f"{degree[country.pk]:.4g}",
                f"{lx:.1f}",
                f"{ly + 3:.1f}",
                "end" if flip else "start",
                f"{degrees + 180 if flip else degrees:.1f}",
                f"{lx:.1f}",
                f"{ly:.1f}",
                country.name if len(country.name) <= 22 else country.name[:20] + "…",
            )
        )
    parts.append(SafeString("</svg>"))
    return _join(parts)


def legend(types: Iterable[str]) -> SafeString:
    """The type colours used by a chart, as an HTML list (shared by every chart)."""
    return format_html(
        '<ul class="legend" aria-label="Agreement types">{}</ul>',
        format_html_join("", '<li><span class="swatch t-{}"></span>{}</li>', ((t, TYPE_LABELS[t]) for t in types)),
    )
