"""The cycle report as one HTML document (also the source of the PDF): template, labels, and charts as inline SVG."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from koers import i18n
from koers.reports import charts, templating
from koers.vocabulary import N_, label

STATUSES = ("achieved", "on_track", "at_risk", "off_track", "not_started")
REASONS = {
    "no_recent_check_in": N_("no recent check-in"),
    "off_track": N_("off track"),
    "at_risk": N_("at risk"),
    "forecast_below_target": N_("forecast below target"),
    "confidence_disagrees": N_("confidence disagrees with the forecast"),
    "guardrail": N_("a guardrail KPI turned amber or red"),
}


def _reason(code: str) -> str:
    return i18n.gettext_(REASONS.get(code, code))


def _value(value: float | None, kr: dict[str, Any]) -> str:
    """A key result's value with its unit; a milestone reads done / not done."""
    if kr["kind"] == "milestone":
        return i18n.MISSING if value is None else i18n.gettext_(N_("done") if value >= 1 else N_("not done"))
    if value is None:
        return i18n.MISSING
    return f"{i18n.number(value, 2)} {kr['unit']}".strip()


def _goal(kr: dict[str, Any]) -> str:
    """What a key result aims for, by kind: a range, a floor, a ceiling, a target or done."""
    kind = kr["kind"]
    if kind == "milestone":
        return i18n.gettext_(N_("done"))
    if kind == "range":
        return f"{i18n.number(kr['target_low'], 2)}–{_value(kr['target_high'], kr)}"
    prefix = {"above": "≥ ", "below": "≤ "}.get(kind, "")
    return prefix + _value(kr["target"], kr)


def _remembered(translate: Callable[[str], str]) -> Callable[[str], str]:
    """`translate`, remembering its answers for one document: thousands of rows repeat a handful of words."""
    known: dict[str, str] = {}

    def remembered(code: str) -> str:
        found = known.get(code)
        if found is None:
            found = known[code] = translate(code)
        return found

    return remembered


def _label(code: str) -> str:
    return i18n.gettext_(label(code))


def _texts(kr: dict[str, Any], words: Callable[[str], str] = _label) -> dict[str, str]:
    """What a key result's row reads: current value, goal, score, pace and expected score, in the current language."""
    expected = kr.get("expected_score")
    return {
        "current": _value(kr["current"], kr),
        "goal": _goal(kr),
        "score": i18n.score(kr["score"]),
        "status": words(kr["status"]),
        "expected": "" if expected is None else i18n.gettext_("expected %(score)s") % {"score": i18n.score(expected)},
    }


def _html(text: str) -> str:
    """`markupsafe.escape(text)` (& < > ' "), as a plain string: a Markup object per value costs, and an organisation's
    report escapes some 150,000 values in its rows."""
    return (
        text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")
    )


def _key_result_row(kr: dict[str, Any], text: dict[str, str]) -> Markup:
    """A key result's row of its objective's table, as `cycle_report.html` prints it: built here, as its thousands
    of rows would cost an organisation's report a third of a second in Jinja."""
    owner = f'<span class="owner">{_html(kr["owner"])}</span>' if kr["owner"] else ""
    expected = f'<span class="expected">{_html(text["expected"])}</span>' if text["expected"] else ""
    return Markup(
        f'        <tr>\n          <th scope="row">{_html(kr["title"])}{owner}</th>\n'
        f'          <td class="num">{_html(text["current"])}</td>\n'
        f'          <td class="num">{_html(text["goal"])}</td>\n'
        f'          <td class="num"><span class="pill status-{_html(kr["status"])}">{_html(text["score"])}</span></td>\n'
        f"          <td>{_html(text['status'])}{expected}</td>\n        </tr>\n"
    )


def _attention_item(item: dict[str, Any], reason: Callable[[str], str]) -> Markup:
    """An item of the attention list, with its reasons, as `cycle_report.html` prints it (built here, like a row)."""
    because = ", ".join(map(reason, item["reasons"]))
    return Markup(
        f'    <li><strong>{_html(item["title"])}</strong> <span class="meta">({_html(item["objective_title"])})</span>:\n'
        f"{_html(because)}</li>\n"
    )


def _objective_texts(objective: dict[str, Any], words: Callable[[str], str]) -> dict[str, str]:
    """What an objective's header reads: its level, type, team and owner, its score, pace and forecast, its grade."""
    forecast = objective["forecast_score"]
    meta = (words(objective["level"]), words(objective["type"]), objective["team"], objective["owner"])
    return {
        "meta": " · ".join(part for part in meta if part),
        "score": i18n.score(objective["score"]),
        "status": words(objective["status"]),
        "forecast": "" if forecast is None else i18n.gettext_("forecast %(score)s") % {"score": i18n.score(forecast)},
        "grade": i18n.number(objective["final_grade"], 2),
        # issue 15: a grade set by hand says so, with the computed grade beside it and why
        "grade_by_hand": ""
        if objective["grade_override"] is None
        else i18n.gettext_("set by hand; computed %(grade)s") % {"grade": i18n.number(objective["grade"], 2)},
        "grade_note": objective["grade_note"] if objective["grade_override"] is not None else "",
    }


templating.environment.filters["reason"] = _reason


def _charts(report: dict[str, Any], lang: str | None) -> dict[int, str]:
    """One chart per key result the report charts (values, target, plan, forecast band), as inline SVG."""
    per_kr: dict[int, str] = {}
    if not report["charted"]:
        return per_kr
    for objective in report["objectives"]:
        for kr in objective["key_results"]:
            if kr.get("readings") is not None:
                per_kr[kr["id"]] = charts.key_result_chart(
                    kr,
                    report["cycle"],
                    kr["readings"],
                    today=report["today"],
                    lang=lang,
                    chart_id=f"kr-{kr['id']}-chart",
                )
    return per_kr


def cycle_report_html(report: dict[str, Any], lang: str | None, viewer: str | None = None) -> str:
    """The report of `services.read.report.cycle_report` as a standalone HTML document in `lang`."""
    per_kr = _charts(report, templating.language(lang))  # the charts' words in the report's language too
    token = i18n.current_locale.set(templating.language(lang))
    try:  # a row's words in plain Python: an organisation's report has thousands of rows, and Jinja calls cost
        words, reason = _remembered(_label), _remembered(_reason)
        objectives = [
            {
                **o,
                "indent": min(o["depth"], 3),  # the style indents three levels deep
                "text": _objective_texts(o, words),
                "key_results": [
                    {**kr, "chart": per_kr.get(kr["id"]), "row": _key_result_row(kr, _texts(kr, words))}
                    for kr in o["key_results"]
                ],
            }
            for o in report["objectives"]
        ]
        attention = [_attention_item(item, reason) for item in report["attention"]]
    finally:
        i18n.current_locale.reset(token)
    context = {**report, "objectives": objectives, "attention": attention, "statuses": STATUSES, "viewer": viewer}
    return templating.render("cycle_report.html", context, lang)
