"""The KPI chart's labelled thresholds, and the alignment map: layout from 1 to 60 objectives, words, links."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from koers.reports.alignment_map import BOX_HEIGHT, BOX_WIDTH, COLUMN_GAP, MARGIN, ROW_GAP, alignment_map
from koers.reports.charts import kpi_chart

NS = {"svg": "http://www.w3.org/2000/svg"}
READINGS = [(datetime(2026, 6, 1, tzinfo=UTC), 10.4), (datetime(2026, 11, 30, tzinfo=UTC), 8.3)]


def legend(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.findall(".//svg:g[@class='legend']//svg:text", NS)]


def test_kpi_thresholds_are_named_with_their_value_and_the_amber_zone_shaded():
    kpi = {"id": 3, "name": "Churn", "unit": "%", "direction": "lower_is_better", "green_at": 5.0, "red_at": 9.0}
    root = ET.fromstring(kpi_chart(kpi, READINGS, lang="en"))
    assert {"Green up to 5%", "Red above 9%", "Amber"} <= set(legend(root))
    band = root.find(".//svg:g[@class='series amber-band']", NS)
    assert band is not None
    dutch = ET.fromstring(kpi_chart({**kpi, "direction": "higher_is_better", "unit": "min", "green_at": 8.5,
                                     "red_at": 6}, READINGS, lang="nl"))  # fmt: skip
    assert {"Groen vanaf 8,5 min", "Rood onder 6 min", "Oranje"} <= set(legend(dutch))
    x_labels = [t.text for t in dutch.findall(".//svg:g[@class='axis x']//svg:text", NS)]
    assert x_labels[0] == "1 jun" and x_labels[-1] == "30 nov"  # dates in the reader's language


def node(i: int, children: list | None = None, **fields) -> dict:
    return {"id": i, "title": f"Objective {i}", "score": 40.0 + i % 50, "status": "on_track", "team": "Sales",
            "cycle": "2026-Q4", "children": children or [], **fields}  # fmt: skip


def size(svg: str) -> tuple[int, int]:
    root = ET.fromstring(svg)
    return int(root.get("width") or 0), int(root.get("height") or 0)


def test_one_objective_is_one_box():
    svg = alignment_map([node(1)], lang="en")
    assert size(svg) == (2 * MARGIN + BOX_WIDTH, 2 * MARGIN + BOX_HEIGHT)
    root = ET.fromstring(svg)
    assert root.find("svg:title", NS).text == "Alignment map (objectives: 1)"
    link = root.find(".//svg:a", NS)
    assert link.get("href") == "/objectives/1"
    # its name is what the box shows (WCAG 2.5.3 label in name), its <title> (description, tooltip) says it in full
    assert link.get("aria-label") == "Objective 1, 41.0 · on track · Sales"
    assert link.find("svg:title", NS).text == "Objective 1, score 41.0, pace: on track, Sales, 2026-Q4"


def test_sixty_objectives_grow_the_map_downwards_never_wider_than_its_depth():
    # 3 strategic objectives, each with 4 tactical ones, each with 4 below: 3 + 12 + 48 = 63 nodes, 48 leaves
    counter = iter(range(1, 1000))
    roots = [node(next(counter), [node(next(counter), [node(next(counter)) for _ in range(4)]) for _ in range(4)])
             for _ in range(3)]  # fmt: skip
    svg = alignment_map(roots, lang="nl")
    width, height = size(svg)
    assert width == 2 * MARGIN + 3 * BOX_WIDTH + 2 * COLUMN_GAP  # three columns, whatever the count
    assert height == 2 * MARGIN + 48 * (BOX_HEIGHT + ROW_GAP) - ROW_GAP  # one row per leaf
    root = ET.fromstring(svg)
    assert len(root.findall(".//svg:a", NS)) == 63 and len(root.findall(".//svg:path", NS)) == 60
    assert root.find("svg:title", NS).text == "Afstemmingskaart (doelstellingen: 63)"
    # each parent sits at the middle of its children
    ys = {a.get("href"): float(a.find("svg:rect", NS).get("y")) for a in root.findall(".//svg:a", NS)}
    assert ys["/objectives/2"] == (ys["/objectives/3"] + ys["/objectives/6"]) / 2  # its children 3–6
    assert ys["/objectives/1"] == (ys["/objectives/2"] + ys["/objectives/17"]) / 2  # its children 2, 7, 12, 17
    assert ys["/objectives/3"] == MARGIN and ys["/objectives/4"] == MARGIN + BOX_HEIGHT + ROW_GAP


def test_a_long_title_takes_two_lines_and_a_loop_is_drawn_once():
    long = node(1, title="Uitgroeien tot de webshop waar liefhebbers blijven terugkomen, ook in het buitenland")
    looped = node(2)
    looped["children"] = [looped]  # a loop the data should never hold
    root = ET.fromstring(alignment_map([long, looped], lang="nl"))
    texts = [t.text for t in root.findall(".//svg:a[@href='/objectives/1']/svg:text", NS)]
    assert texts[0] == "Uitgroeien tot de webshop " and texts[1].endswith("… ") and len(texts) == 3
    link = root.find(".//svg:a[@href='/objectives/1']", NS)
    assert link.get("aria-label").startswith(f"{texts[0]}{texts[1].rstrip()}, ")  # the shortened title, as shown
    assert link.find("svg:title", NS).text.startswith(long["title"] + ", ")  # and in full in its description
    assert len(root.findall(".//svg:a[@href='/objectives/2']", NS)) == 1
