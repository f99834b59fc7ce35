"""The alignment map: the tree of objectives drawn as SVG on the server, strategic on the left, what falls under it
to the right, each node a link to its objective with its score and pace.

Hand-built with ElementTree (every text escaped, no script, no inline style: presentation attributes only, as in
`reports.svg`), so it renders inline under the page's strict CSP and in a printed page. Left to right keeps the
width at (depth × column) whatever the number of objectives: 60 objectives make it taller, never wider, and a phone
scrolls it sideways only when the tree is more than one level deep.
"""

from __future__ import annotations

import math
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from markupsafe import Markup

from koers import i18n
from koers.reports.svg import _APOSTROPHE, _QUOTE, FONT, INK, MUTED, SVG_NS, _mark_quotes
from koers.vocabulary import label

BOX_WIDTH: Final = 248
BOX_HEIGHT: Final = 66
COLUMN_GAP: Final = 36
ROW_GAP: Final = 10
MARGIN: Final = 4
TITLE_CHARS: Final = 29  # characters of a 13 px title line in a box (system fonts average ≈ 7.4 px a character)
FACT_CHARS: Final = 36  # characters of the 12 px line below it
STRIPE: Final = 6

PACE_COLOURS: Final = {
    "on_track": "#1b7f3b",
    "achieved": "#1b7f3b",
    "at_risk": "#8a5a00",
    "off_track": "#b3261e",
    "not_started": "#5f6b7a",
}

_ = i18n.gettext_


@dataclass
class Placed:
    """A node of the tree with its place on the drawing."""

    node: Mapping[str, Any]
    depth: int
    y: float = 0.0
    children: list[Placed] = field(default_factory=list)


def alignment_map(
    roots: Sequence[Mapping[str, Any]], *, lang: str | None = None, map_id: str = "alignment-map"
) -> Markup:
    """The SVG of a forest of objective views (`services.read.alignment.alignment_tree`'s `roots`: id, title,
    score, status, level, team, cycle, context, children)."""
    token = i18n.current_locale.set(lang) if lang in i18n.LOCALES else None
    try:
        return Markup(_draw(roots, map_id))
    finally:
        if token is not None:
            i18n.current_locale.reset(token)


def _place(roots: Sequence[Mapping[str, Any]]) -> tuple[list[Placed], int, int]:
    """Leaves on consecutive rows, each parent centred on its children; (placed roots, rows, depth)."""
    rows = 0
    depth = 0
    seen: set[int] = set()

    def place(node: Mapping[str, Any], level: int) -> Placed:
        nonlocal rows, depth
        seen.add(id(node))
        depth = max(depth, level + 1)
        placed = Placed(node, level)
        placed.children = [place(child, level + 1) for child in node.get("children") or [] if id(child) not in seen]
        if placed.children:
            placed.y = (placed.children[0].y + placed.children[-1].y) / 2
        else:
            placed.y = rows * (BOX_HEIGHT + ROW_GAP)
            rows += 1
        return placed

    return [place(root, 0) for root in roots], rows, depth


def _el(parent: ET.Element, tag: str, **attributes: Any) -> ET.Element:
    return ET.SubElement(parent, f"{{{SVG_NS}}}{tag}", {k.replace("_", "-"): str(v) for k, v in attributes.items()})


def _lines(title: str) -> list[str]:
    """The title on at most two lines, the second cut with an ellipsis when it does not fit."""
    lines = textwrap.wrap(title, TITLE_CHARS, break_long_words=True) or [""]
    if len(lines) > 2:
        rest = " ".join(lines[1:])
        lines = [lines[0], rest[: TITLE_CHARS - 1].rstrip() + "…"]
    return lines


def _described(node: Mapping[str, Any]) -> str:
    """What a node says in words: its title, score and pace, team and cycle."""
    parts = [
        str(node.get("title", "")),
        _("score %(score)s") % {"score": i18n.score(node.get("score"))},
        _("pace: %(pace)s") % {"pace": _(label(node.get("status")))},
        str(node.get("team") or _("Whole organisation")),
        str(node.get("cycle") or ""),
    ]
    return ", ".join(part for part in parts if part)


def _draw(roots: Sequence[Mapping[str, Any]], map_id: str) -> str:
    placed, rows, depth = _place(roots)
    width = MARGIN * 2 + max(depth, 1) * BOX_WIDTH + max(depth - 1, 0) * COLUMN_GAP
    height = MARGIN * 2 + max(rows, 1) * (BOX_HEIGHT + ROW_GAP) - ROW_GAP
    root = ET.Element(
        f"{{{SVG_NS}}}svg",
        {
            "class": "alignment-map",
            "width": str(width),
            "height": str(height),
            "viewBox": f"0 0 {width} {height}",
            "role": "group",
            "aria-labelledby": f"{map_id}-title",
            "font-family": FONT,
            "font-size": "13",
        },
    )
    title = _el(root, "title", id=f"{map_id}-title")
    count = _count(placed)
    title.text = _("Alignment map (objectives: %(num)s)") % {"num": count}
    lines = _el(root, "g", **{"class": "links", "fill": "none", "stroke": "#8a97a8", "stroke-width": "1.5"})
    boxes = _el(root, "g", **{"class": "nodes"})

    def x_of(level: int) -> float:
        return MARGIN + level * (BOX_WIDTH + COLUMN_GAP)

    def draw(item: Placed) -> None:
        top = MARGIN + item.y
        for child in item.children:
            x0, y0 = x_of(item.depth) + BOX_WIDTH, top + BOX_HEIGHT / 2
            x1, y1 = x_of(child.depth), MARGIN + child.y + BOX_HEIGHT / 2
            bend = (x1 - x0) / 2
            _el(
                lines,
                "path",
                d=f"M{x0:.1f},{y0:.1f} C{x0 + bend:.1f},{y0:.1f} {x1 - bend:.1f},{y1:.1f} {x1:.1f},{y1:.1f}",
            )
            draw(child)
        _node(boxes, item.node, x_of(item.depth), top)

    for item in placed:
        draw(item)
    _mark_quotes(root)  # quotes in texts written as &#34; / &#39;, as Jinja and `reports.svg` write them
    ET.register_namespace("", SVG_NS)
    text = ET.tostring(root, encoding="unicode", short_empty_elements=False)
    return text.replace(_QUOTE, "&#34;").replace(_APOSTROPHE, "&#39;")


def _count(placed: list[Placed]) -> int:
    return sum(1 + _count(item.children) for item in placed)


def _node(parent: ET.Element, node: Mapping[str, Any], x: float, y: float) -> None:
    status = str(node.get("status") or "not_started")
    colour = PACE_COLOURS.get(status, PACE_COLOURS["not_started"])
    context = bool(node.get("context"))
    link = _el(parent, "a", href=f"/objectives/{int(node.get('id') or 0)}", **{"class": f"node s-{status}"})
    # Its name is what the box shows, in reading order (WCAG 2.5.3 label in name: a speech user says what they see,
    # a shortened title included); the <title> below, its description and tooltip, says it in full with the cycle.
    tip = _el(link, "title")
    tip.text = _described(node)
    box = {"x": f"{x:.1f}", "y": f"{y:.1f}", "width": BOX_WIDTH, "height": BOX_HEIGHT, "rx": 6}
    _el(link, "rect", **box, fill="#ffffff", stroke="#8a97a8" if context else colour, stroke_width="1.5",
        **({"stroke-dasharray": "4 3"} if context else {}))  # fmt: skip
    _el(link, "rect", x=f"{x:.1f}", y=f"{y:.1f}", width=STRIPE, height=BOX_HEIGHT, rx=3, fill=colour)
    left = x + STRIPE + 8
    lines = _lines(str(node.get("title", "")))
    for i, line in enumerate(lines):
        text = _el(link, "text", x=f"{left:.1f}", y=f"{y + 18 + i * 16:.1f}", fill=INK, font_weight="600")
        text.text = line + " "  # the words' space at the line break: what a checker reads, not drawn at the end
    score = node.get("score")
    shown = i18n.score(score) if isinstance(score, int | float) and math.isfinite(score) else "–"
    facts = _el(link, "text", x=f"{left:.1f}", y=f"{y + BOX_HEIGHT - 9:.1f}", fill=MUTED, font_size="12")
    strong = _el(facts, "tspan", fill=colour, font_weight="700")
    strong.text = f"{shown} · {_(label(status))}"
    team = str(node.get("team") or _("Whole organisation"))
    room = FACT_CHARS - len(strong.text) - 3
    if room >= 4:
        rest = _el(facts, "tspan")
        rest.text = " · " + (team if len(team) <= room else team[: room - 1].rstrip() + "…")
    link.set("aria-label", f"{' '.join(lines)}, {''.join(t.text or '' for t in facts)}")
