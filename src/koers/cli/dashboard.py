"""`koers status` rendered for a terminal: objectives by team with score bars and pace colours, and KPIs."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from koers.cli.context import fmt
from koers.cli.messages import N_, _, decimal
from koers.vocabulary import label

PACE_COLOURS = {
    "achieved": "bold green",
    "on_track": "green",
    "at_risk": "yellow",
    "off_track": "red",
    "not_started": "dim",
}
KPI_COLOURS = {"green": "green", "amber": "yellow", "red": "red", None: "dim"}
BAR_WIDTH = 10
ORGANISATION = N_("Organisation")


def bar(score: float | None, style: str) -> Text:
    """A score bar of BAR_WIDTH cells."""
    filled = 0 if score is None else round(BAR_WIDTH * max(0.0, min(score, 100.0)) / 100)
    return Text("█" * filled, style=style) + Text("░" * (BAR_WIDTH - filled), style="dim")


def _label(status: str | None) -> Text:
    return Text(_(label(status)), style=PACE_COLOURS.get(status or "", "dim"))


def _target(kr: dict[str, Any]) -> str:
    unit = kr["unit"]
    if kr["kind"] == "range":
        goal = f"{fmt(kr['target_low'])}–{fmt(kr['target_high'], unit)}"
    elif kr["kind"] == "milestone":
        return _(label("done")) if kr["current"] == 1 else _(N_("not done"))
    else:
        goal = ("≥ " if kr["kind"] == "above" else "≤ " if kr["kind"] == "below" else "") + fmt(kr["target"], unit)
    return f"{fmt(kr['current'], unit)} → {goal}"


def render(data: dict[str, Any], console: Console) -> None:
    """Print the dashboard that `services.read.dashboard.dashboard` returns."""
    if not data["cycles"]:
        console.print(
            Text.from_markup(
                "No open cycles. Load the demo with [bold]koers demo[/] or import a document with [bold]koers import[/]."
            )
        )
    for cycle in data["cycles"]:
        console.print(_cycle_table(cycle))
    if data["kpis"]:
        console.print(_kpi_table(data["kpis"]))


def _cycle_table(cycle: dict[str, Any]) -> Table:
    table = Table(
        title=Text.assemble(
            (cycle["name"], "bold"), f"  {cycle['start_date']} – {cycle['end_date']}  ({_(label(cycle['status']))})"
        ),
        title_justify="left",
        show_edge=False,
        expand=True,
        pad_edge=False,
    )
    table.add_column("id", justify="right", style="dim", no_wrap=True)
    table.add_column(_(N_("objective / key result")), ratio=1, min_width=24)
    table.add_column(_(N_("current → target")), justify="right", no_wrap=True)
    table.add_column(_(N_("score")), no_wrap=True)
    table.add_column("", justify="right", no_wrap=True)
    table.add_column(_(N_("status")), no_wrap=True)
    by_team: dict[str, list[dict[str, Any]]] = {}
    for objective in cycle["objectives"]:
        by_team.setdefault(objective["team"] or ORGANISATION, []).append(objective)
    order = sorted(by_team, key=lambda name: (name != ORGANISATION, name))
    for team in order:
        table.add_row("", Text(_(team) if team == ORGANISATION else team, style="bold cyan"), "", "", "", "")
        for objective in by_team[team]:
            style = PACE_COLOURS.get(objective["status"], "dim")
            title = Text(objective["title"], style="bold")
            if objective["level"] == "strategic":
                title += Text(f"  ({_(label('strategic'))})", style="dim")
            if objective["parent_id"]:
                title += Text(f"  ↳ supports #{objective['parent_id']}", style="dim")
            score = "–" if objective["score"] is None else decimal(objective["score"], ".1f")
            table.add_row(
                f"o:{objective['id']}",
                title,
                "",
                bar(objective["score"], style),
                score,
                _label(objective["status"]),
            )
            for kr in objective["key_results"]:
                kr_style = PACE_COLOURS.get(kr["status"], "dim")
                table.add_row(
                    str(kr["id"]),
                    Text("  " + kr["title"]),
                    _target(kr),
                    bar(kr["score"], kr_style),
                    decimal(kr["score"], ".1f"),
                    _label(kr["status"]),
                )
    return table


def _kpi_table(kpis: list[dict[str, Any]]) -> Group:
    table = Table(title=Text("KPIs", style="bold"), title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("id", justify="right", style="dim")
    table.add_column("KPI")
    table.add_column(_(N_("current")), justify="right")
    table.add_column(_(N_("green at")), justify="right")
    table.add_column(_(N_("red at")), justify="right")
    table.add_column(_(N_("status")))
    for kpi in kpis:
        colour = KPI_COLOURS.get(kpi["status"], "dim")
        if kpi["direction"] == "in_range":
            green = f"{fmt(kpi['target_low'])}–{fmt(kpi['target_high'], kpi['unit'])}"
            red = f"± {fmt(kpi['green_at'])} outside"
        else:
            sign = "≥ " if kpi["direction"] == "higher_is_better" else "≤ "
            green = sign + fmt(kpi["green_at"], kpi["unit"])
            red = ("< " if kpi["direction"] == "higher_is_better" else "> ") + fmt(kpi["red_at"], kpi["unit"])
        table.add_row(
            str(kpi["id"]),
            kpi["name"],
            fmt(kpi["current"], kpi["unit"]),
            green,
            red,
            Text(_(label(kpi["status"])) if kpi["status"] else _(N_("no data")), style=colour),
        )
    return Group(Text(""), table)
