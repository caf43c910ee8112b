"""Charts drawn as SVG on the server: the swimlane heatmap of the SOP, SLA
compliance per step and month, requests per agency and month, outcomes.

Every chart has a title and a description for screen readers, writes its
numbers as text (colour is never the only carrier), uses colour-blind-safe
palettes (ColorBrewer YlOrBr for counts, Okabe-Ito for categories) and
scales with its viewBox. Callers pass the words, already translated.
"""
from __future__ import annotations

import itertools
import textwrap

from markupsafe import Markup, escape

# sequential, colour-blind safe (ColorBrewer YlOrBr); the last needs white text
HEAT = ((0, "#f5f5f5"), (1, "#fff7bc"), (3, "#fec44f"), (6, "#fe9929"), (10, "#cc4c02"))
OUTCOME_COLOURS = {"fulfilled": "#0072B2", "schedule_full": "#E69F00", "withdrawn": "#56B4E9",
                   "expired": "#D55E00", "rejected": "#CC79A7", "running": "#BBBBBB"}
GOOD, BAD = "#0072B2", "#D55E00"
FONT = "font-family=\"'Liberation Sans', Arial, sans-serif\""
_ids = itertools.count(1)


def _open(width: int, height: int, title: str, desc: str, css_class: str) -> tuple[str, list[str]]:
    uid = f"chart{next(_ids)}"
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-labelledby="{uid}t {uid}d" {FONT} preserveAspectRatio="xMinYMin meet">'
            f'<title id="{uid}t">{escape(title)}</title><desc id="{uid}d">{escape(desc)}</desc>')
    return head, []


def _text(x, y, text, size=14, weight="normal", anchor="start", fill="#111", extra="") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-weight="{weight}" '
            f'text-anchor="{anchor}" fill="{fill}"{extra}>{escape(text)}</text>')


def heat_colour(count: int) -> tuple[str, str]:
    """Fill and text colour of a cell holding ``count`` waiting requests."""
    fill = next(colour for limit, colour in reversed(HEAT) if count >= limit)
    return fill, "#fff" if count >= HEAT[-1][0] else "#111"


def heatmap(steps, lanes, words: dict, columns: int = 4, css_class: str = "heatmap") -> Markup:
    """The SOP's lanes with their steps as cells coloured by requests waiting now.

    ``steps``: StepStat-like objects; ``lanes``: (lane id, label) in order;
    ``words``: waiting, overdue, median, standard, none, over, legend, title,
    desc, and the formatted ``time`` and ``std`` functions."""
    card_w, card_h, gap, pad, band = 280, 132, 10, 12, 34
    width = pad * 2 + columns * card_w + (columns - 1) * gap
    parts, y = [], 8
    for lane, label in lanes:
        mine = [s for s in steps if s.lane == lane]
        rows = max(1, -(-len(mine) // columns))
        height = band + rows * (card_h + gap) + 4
        parts.append(f'<rect x="2" y="{y}" width="{width - 4}" height="{height}" rx="6" fill="#ffffff" '
                     f'stroke="#555" stroke-width="1.5"/>')
        parts.append(f'<rect x="2" y="{y}" width="{width - 4}" height="{band - 6}" rx="6" fill="#e8eef4"/>')
        parts.append(_text(pad, y + 20, label, 17, "bold"))
        parts.append(_text(width - pad, y + 20, words["lane_total"](sum(s.waiting for s in mine)), 14,
                           anchor="end", fill="#333"))
        for i, step in enumerate(mine):
            cx = pad + (i % columns) * (card_w + gap)
            cy = y + band + (i // columns) * (card_h + gap)
            parts.append(_card(step, cx, cy, card_w, card_h, words))
        y += height + 10
    legend = _heat_legend(pad, y + 4, words)
    head, _ = _open(width, y + 40, words["title"], words["desc"], css_class)
    return Markup(head + "".join(parts) + legend + "</svg>")


def _card(step, x, y, w, h, words) -> str:
    fill, ink = heat_colour(step.waiting)
    alarm = step.median_over_standard or step.overdue > 0
    stroke = f'stroke="{BAD}" stroke-width="3" stroke-dasharray="6 3"' if alarm else 'stroke="#777" stroke-width="1"'
    out = [f'<g><title>{escape(step.name)}</title>'
           f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="5" fill="{fill}" {stroke}/>']
    code = step.id.split("_", 1)[0]
    lines = textwrap.wrap(f"{code} · {words['name'](step.name)}", 31)[:2]
    for i, line in enumerate(lines):
        out.append(_text(x + 10, y + 20 + i * 18, line, 15, "bold" if i == 0 else "normal", fill=ink))
    out.append(_text(x + 10, y + 86, str(step.waiting), 34, "bold", fill=ink))
    out.append(_text(x + 10, y + 106, words["waiting"], 13, fill=ink))
    right = x + w - 10
    out.append(_text(right, y + 68, f"{words['median']} {words['time'](step.median_minutes)}", 14,
                     anchor="end", fill=ink))
    out.append(_text(right, y + 86, f"{words['standard']} {words['std'](step.standard)}"
                     if step.standard else words["none"], 13, anchor="end", fill=ink))
    flags = []
    if step.median_over_standard:
        flags.append(words["over"])
    if step.overdue:
        flags.append(words["overdue"](step.overdue))
    if flags:
        out.append(_text(right, y + 106, "⚠ " + " · ".join(flags), 13, "bold", anchor="end", fill=ink))
    out.append(_text(right, y + 124, words["finished"](step.finished), 12, anchor="end", fill=ink))
    return "".join(out) + "</g>"


def _heat_legend(x, y, words) -> str:
    out = [_text(x, y + 16, words["legend"], 13, "bold")]
    cx = x + 8 + len(words["legend"]) * 7.2
    for i, (limit, colour) in enumerate(HEAT):
        upper = HEAT[i + 1][0] - 1 if i + 1 < len(HEAT) else None
        label = str(limit) if upper == limit or limit == 0 else (f"{limit}–{upper}" if upper else f"≥{limit}")
        out.append(f'<rect x="{cx:.1f}" y="{y + 3}" width="18" height="18" fill="{colour}" stroke="#777"/>')
        out.append(_text(cx + 22, y + 17, label, 13))
        cx += 30 + len(label) * 8
    return "".join(out)


def compliance(rows, months, steps, words: dict, css_class: str = "chart") -> Markup:
    """Small multiples: per timed step, the share of requests within the standard per month.

    ``rows``: Compliance objects; ``months``: keys in order; ``steps``: (id, label)."""
    width, label_h, plot_h, pad = 400, 34, 96, 8
    col = (width - pad * 2) / max(1, len(months))
    by = {(r.month, r.step): r for r in rows}
    parts, y = [], 4
    for step, label in steps:
        parts.append(_text(pad, y + 18, label, 15, "bold"))
        base = y + label_h + plot_h
        parts.append(f'<line x1="{pad}" y1="{base}" x2="{width - pad}" y2="{base}" stroke="#555"/>')
        target = base - plot_h * 0.9
        parts.append(f'<line x1="{pad}" y1="{target:.1f}" x2="{width - pad}" y2="{target:.1f}" '
                     f'stroke="#777" stroke-dasharray="4 3"/>')
        for i, month in enumerate(months):
            row = by.get((month, step))
            x = pad + i * col + col * 0.2
            if row and row.finished:
                pct = row.percent
                h = max(2.0, plot_h * 0.85 * pct / 100)
                colour = GOOD if pct >= 90 else BAD
                parts.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{col * 0.6:.1f}" height="{h:.1f}" '
                             f'fill="{colour}"><title>{escape(words["bar"](month, row))}</title></rect>')
                share = words.get("percent", lambda v: f"{v:.0f}%")(pct)  # the page's number format
                parts.append(_text(x + col * 0.3, base - h - 5, share, 14, "bold", "middle"))
            else:
                parts.append(_text(x + col * 0.3, base - 6, "–", 14, anchor="middle", fill="#555"))
            parts.append(_text(x + col * 0.3, base + 17, words["month"](month), 13, anchor="middle"))
        y = base + 30
    parts.append(_text(pad, y + 6, words["note"], 12, fill="#333"))
    head, _ = _open(width, y + 14, words["title"], words["desc"], css_class)
    return Markup(head + "".join(parts) + "</svg>")


def agency_grid(rows, months, words: dict, css_class: str = "chart") -> Markup:
    """Requests per agency (rows) and month (columns), numbers in shaded cells."""
    counts: dict[tuple, int] = {}
    names: dict = {}
    for r in rows:
        counts[(r.agency, r.month)] = counts.get((r.agency, r.month), 0) + r.count
        names[r.agency] = r.name
    agencies = sorted(names, key=lambda a: (-sum(counts.get((a, m), 0) for m in months), a))
    width, first, row_h, pad = 400, 78, 30, 4
    col = (width - first - pad - 44) / max(1, len(months))
    top = max([0] + list(counts.values()))
    parts = [_text(first + col * (i + 0.5), 18, words["month"](m), 13, "bold", "middle")
             for i, m in enumerate(months)]
    parts.append(_text(width - pad, 18, words["total"], 13, "bold", "end"))
    for j, agency in enumerate(agencies):
        y = 28 + j * row_h
        parts.append(f'<g><title>{escape(names[agency])}</title>'
                     + _text(pad, y + 20, agency.upper(), 14, "bold") + "</g>")
        for i, month in enumerate(months):
            n = counts.get((agency, month), 0)
            shade = heat_colour(0 if not n else max(1, round(n * 10 / top)) if top else 0)
            parts.append(f'<rect x="{first + i * col + 1:.1f}" y="{y + 2}" width="{col - 2:.1f}" height="{row_h - 4}" '
                         f'fill="{shade[0]}" stroke="#ccc"/>')
            parts.append(_text(first + col * (i + 0.5), y + 20, str(n), 14, anchor="middle", fill=shade[1]))
        total = sum(counts.get((agency, m), 0) for m in months)
        parts.append(_text(width - pad, y + 20, str(total), 14, "bold", "end"))
    if not agencies:
        parts.append(_text(pad, 50, words["empty"], 14, fill="#555"))
    height = 36 + max(1, len(agencies)) * row_h
    head, _ = _open(width, height, words["title"], words["desc"], css_class)
    return Markup(head + "".join(parts) + "</svg>")


def outcome_months(rows, months, order, names: dict, words: dict, css_class: str = "chart") -> Markup:
    """Stacked horizontal bars: per month, requests received by outcome, with counts."""
    counts = {(r.month, r.outcome): r.count for r in rows}
    width, first, bar_h, pad = 400, 48, 26, 4
    top = max([1] + [sum(counts.get((m, o), 0) for o in order) for m in months])
    scale = (width - first - pad - 30) / top
    parts = []
    for i, month in enumerate(months):
        y = 8 + i * (bar_h + 10)
        parts.append(_text(pad, y + 18, words["month"](month), 13, "bold"))
        x = first
        for outcome in order:
            n = counts.get((month, outcome), 0)
            if not n:
                continue
            w = n * scale
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{OUTCOME_COLOURS[outcome]}" '
                         f'stroke="#fff"><title>{escape(names[outcome])}: {n}</title></rect>')
            if w >= 18:
                ink = "#fff" if outcome in ("fulfilled", "expired") else "#111"
                parts.append(_text(x + w / 2, y + 18, str(n), 13, "bold", "middle", ink))
            x += w
        parts.append(_text(x + 4, y + 18, str(sum(counts.get((month, o), 0) for o in order)), 13, fill="#333"))
    y = 8 + len(months) * (bar_h + 10) + 4
    parts.append(_legend(order, names, {o: sum(counts.get((m, o), 0) for m in months) for o in order},
                         pad, y, width))
    head, _ = _open(width, y + 24 * ((len(order) + 1) // 2) + 6, words["title"], words["desc"], css_class)
    return Markup(head + "".join(parts) + "</svg>")


def _legend(order, names, totals, x, y, width) -> str:
    out, half = [], (width - x * 2) / 2
    for i, outcome in enumerate(order):
        cx, cy = x + (i % 2) * half, y + (i // 2) * 24
        out.append(f'<rect x="{cx}" y="{cy}" width="16" height="16" fill="{OUTCOME_COLOURS[outcome]}"/>')
        out.append(_text(cx + 22, cy + 13, f"{names[outcome]}: {totals.get(outcome, 0)}", 13))
    return "".join(out)


def outcome_bar(outcomes: dict, order, names: dict, title: str) -> Markup:
    """One stacked bar of a month's outcomes with a legend of counts (the recap PDF)."""
    width, pad = 600, 4
    total = sum(outcomes.get(o, 0) for o in order) or 1
    parts, x = [], pad
    for outcome in order:
        n = outcomes.get(outcome, 0)
        if not n:
            continue
        w = (width - pad * 2) * n / total
        parts.append(f'<rect x="{x:.1f}" y="4" width="{w:.1f}" height="28" fill="{OUTCOME_COLOURS[outcome]}" stroke="#fff"/>')
        if w > 20:
            ink = "#fff" if outcome in ("fulfilled", "expired") else "#111"
            parts.append(_text(x + w / 2, 23, str(n), 13, "bold", "middle", ink))
        x += w
    parts.append(_legend(order, names, outcomes, pad, 42, width))
    head, _ = _open(width, 42 + 24 * ((len(order) + 1) // 2), title, title, "outcomes")
    return Markup(head + "".join(parts) + "</svg>")
