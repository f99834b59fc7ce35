"""pygal's SVG made fit for a page under `style-src 'self'; script-src 'self'`, a PDF and a file alike.

pygal writes a `<style>` and a `<script>` into every chart, a `style` attribute on its tooltip and random ids.
We keep its drawing (axes, guides, labels, series, legend) and replace the rest: no script, no tooltip, no ids,
and the look as SVG presentation attributes (`fill`, `stroke`, `font-size` …), which a CSP does not count as
inline style. The same SVG then renders styled inline in a page, in WeasyPrint and opened on its own.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

SVG_NS: Final = "http://www.w3.org/2000/svg"
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")

INK: Final = "#1c2430"
MUTED: Final = "#4f5b6b"
GUIDE: Final = "#e3e8ef"
FONT: Final = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
FONT_SIZE: Final = 13


@dataclass(frozen=True)
class Look:
    """How one series is drawn: its role (a class tests and reports may select), colour, dashes, fill."""

    role: str
    colour: str
    dashes: str | None = None
    filled: bool = False
    width: float = 2.0
    dots: bool = False
    opacity: float = 0.25


def _tag(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


def _series_index(classes: set[str]) -> int | None:
    for name in classes:
        if name.startswith("color-") and name[6:].isdigit():
            return int(name[6:])
    return None


def clean(root: ET.Element, looks: Mapping[int, Look], title: str, description: str, chart_id: str) -> str:
    """The chart as CSP-safe SVG text, with `title` as its accessible name and `description` as its description."""
    _strip(root)
    root.attrib.pop("id", None)
    root.attrib.pop("xmlns", None)  # pygal writes it as an attribute; ElementTree writes the namespace itself
    root.set("class", "chart koers-chart")
    root.set("role", "img")
    root.set("aria-label", title)
    root.set("aria-describedby", f"{chart_id}-desc")
    root.set("font-family", FONT)
    root.set("font-size", str(FONT_SIZE))
    _paint(root, looks, None, axis="", in_legend=False)
    heading = ET.Element(f"{{{SVG_NS}}}title", {"id": f"{chart_id}-title"})
    heading.text = title
    desc = ET.Element(f"{{{SVG_NS}}}desc", {"id": f"{chart_id}-desc"})
    desc.text = description
    root.insert(0, desc)
    root.insert(0, heading)
    _mark_quotes(root)
    # Registered on every call, not once at import: another library (WeasyPrint's PDF metadata) re-registers
    # prefixes process-wide, after which every chart came out as <ns0:title> inside an HTML page's <svg>.
    ET.register_namespace("", SVG_NS)
    text = ET.tostring(root, encoding="unicode", short_empty_elements=False)
    return text.replace(_QUOTE, "&#34;").replace(_APOSTROPHE, "&#39;")


# ElementTree escapes only & < > in text; quotes are escaped too, as Jinja does, so a title's `href="…"` never
# appears verbatim in a page. Private-use characters stand in for them while ElementTree writes the tree.
_QUOTE, _APOSTROPHE = "\ue000", "\ue001"


def _mark_quotes(element: ET.Element) -> None:
    for node in element.iter():
        for name in ("text", "tail"):
            value = getattr(node, name)
            if value:
                value = value.replace(_QUOTE, "").replace(_APOSTROPHE, "")
                setattr(node, name, value.replace('"', _QUOTE).replace("'", _APOSTROPHE))


def _strip(parent: ET.Element) -> None:
    """Drop scripts, styles, tooltips, comments, per-label titles and every id (several charts share a page)."""
    for child in list(parent):
        tag, classes = _tag(child) if isinstance(child.tag, str) else "", _classes(child)
        if (
            not isinstance(child.tag, str)  # a comment
            or tag in ("script", "style", "desc", "title", "defs")
            or {"tooltip-overlay", "text-overlay"} & classes
        ):
            parent.remove(child)
            continue
        child.attrib.pop("id", None)
        child.attrib.pop("style", None)
        _strip(child)


def _paint(element: ET.Element, looks: Mapping[int, Look], look: Look | None, axis: str, in_legend: bool) -> None:
    classes = _classes(element)
    index = _series_index(classes)
    if index is not None and index in looks:
        look = looks[index]
    if "axis" in classes:
        axis = "y" if "y" in classes else "x"
    in_legend = in_legend or "legends" in classes
    tag = _tag(element)
    if tag == "g":
        if "series" in classes and look is not None:
            element.set("class", f"series {look.role}")
        elif "axis" in classes:
            element.set("class", " ".join(sorted(classes & {"axis", "x", "y"})))
        elif "legends" in classes:
            element.set("class", "legend")
        else:
            element.attrib.pop("class", None)
    _draw(element, tag, classes, look, axis, in_legend)
    for child in element:
        if isinstance(child.tag, str):
            _paint(child, looks, look, axis, in_legend)


def _draw(element: ET.Element, tag: str, classes: set[str], look: Look | None, axis: str, in_legend: bool) -> None:
    if tag == "rect" and "background" in classes:
        element.set("fill", "#ffffff")
        element.set("class", "background")
    elif tag == "text":
        element.set("fill", INK if in_legend or "title" in classes else MUTED)
        if "title" in classes or "no_data" in classes or axis == "x":
            element.set("text-anchor", "middle")
        elif axis == "y":
            element.set("text-anchor", "end")
        element.attrib.pop("class", None)
    elif axis and tag == "path":
        major_axis = "guide" not in classes
        element.set("stroke", MUTED if major_axis else GUIDE)
        element.set("stroke-width", "1")
        element.set("fill", "none")
        element.set("class", "axis-line" if major_axis else "guide")
    elif in_legend and tag == "rect" and look is not None:
        element.set("fill", look.colour)
        if look.filled:
            element.set("fill-opacity", str(max(look.opacity, 0.35)))
        element.attrib.pop("class", None)
    elif look is not None and tag in ("path", "rect"):
        if look.filled:
            element.set("fill", look.colour)
            element.set("fill-opacity", str(look.opacity))
            element.set("stroke", "none")
        else:
            element.set("fill", "none")
            element.set("stroke", look.colour)
            element.set("stroke-width", str(look.width))
            element.set("stroke-linejoin", "round")
            if look.dashes:
                element.set("stroke-dasharray", look.dashes)
        element.attrib.pop("class", None)
    elif look is not None and tag == "circle":
        element.set("fill", look.colour)
        element.attrib.pop("class", None)
