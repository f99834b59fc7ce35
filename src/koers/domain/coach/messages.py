"""Finding texts in Dutch and English: why it matters, and a rewrite template."""

from __future__ import annotations

from koers.domain.coach.result import Finding

_NL: dict[str, tuple[str, str]] = {
    "not-measurable": (
        "Niet meetbaar: er staat geen getal, hoeveelheid of streefwaarde in{vague}. Hoe weet je dat je er bent?",
        "Maak het meetbaar: ‘{subject} van X naar Y voor <einddatum>’, "
        "bijvoorbeeld ‘Klantverloop van 10% naar 5% voor eind Q3’.",
    ),
    "activity": (
        "Dit beschrijft werk of een tussenstap (‘{verb}’), geen uitkomst. "
        "Wat verandert er als het af is, en waaraan zie je dat?",
        "Zet dit als initiatief onder een kernresultaat en schrijf op wat het moet opleveren: "
        "‘<wat verandert> van X naar Y voor <einddatum>’.",
    ),
    "activity-count": (
        "Een getal maakt van werk nog geen uitkomst: dit telt wat je doet (‘{verb}’), niet wat het oplevert.",
        "Zet dit als initiatief onder een kernresultaat en meet wat het moet opleveren: "
        "‘<wat verandert> van X naar Y voor <einddatum>’, bijvoorbeeld ‘Organische leads van 120 naar 200 "
        "per maand voor eind Q3’.",
    ),
    "compound": (
        "Hier staan twee doelen in één zin; je haalt of mist ze apart, dus één score zegt niet welk.",
        "Splits het in twee kernresultaten, elk met een eigen ‘van X naar Y voor <einddatum>’.",
    ),
    "no-deadline": (
        "Er staat geen termijn in: zonder einddatum weet niemand wanneer het gehaald moet zijn.",
        "Voeg een einddatum toe: ‘… voor <einddatum>’, bijvoorbeeld ‘voor eind Q3’ of ‘voor 1 juli’.",
    ),
    "no-baseline": (
        "Er staat geen startwaarde in: zonder ‘van X’ is de voortgang niet op 0–100 te scoren.",
        "Noem het vertrekpunt: ‘van X naar Y’, bijvoorbeeld ‘van 10% naar 5%’.",
    ),
    "maintain-value": (
        "Dit houdt een waarde alleen vast: dat is een KPI die je bewaakt, geen verandering die je nastreeft.",
        "Maak er een KPI van met een groene en rode grens, en kies als kernresultaat wat je wilt "
        "verbeteren: ‘van X naar Y voor <einddatum>’.",
    ),
    "objective-is-a-number": (
        "Een doelstelling is kwalitatief en richtinggevend; het getal (‘{measure}’) hoort in een kernresultaat.",
        "Formuleer de doelstelling zonder getal, bijvoorbeeld ‘Klanten behouden’, en zet het getal "
        "in een kernresultaat: ‘van X naar Y voor <einddatum>’.",
    ),
    "vague-objective": (
        "Deze doelstelling noemt geen onderwerp: beter of meer waarin, en voor wie?",
        "Noem wat je wilt bereiken, bijvoorbeeld ‘Klanten behouden’ of "
        "‘De favoriete webshop voor motoronderdelen worden’.",
    ),
    "objective-activity": (
        "Een doelstelling zegt waar je naartoe wilt, niet welk werk je doet (‘{verb}’).",
        "Beschrijf het resultaat waar dit werk voor is, bijvoorbeeld ‘Klanten behouden’, "
        "en zet het werk als initiatief onder een kernresultaat.",
    ),
    "too-few-key-results": (
        "Deze doelstelling heeft minder dan twee kernresultaten ({count}): zo zie je niet of ze echt gehaald is.",
        "Voeg kernresultaten toe tot je er 2 à 5 hebt, elk ‘van X naar Y voor <einddatum>’.",
    ),
    "too-many-key-results": (
        "{count} kernresultaten is te veel om op te sturen: de focus gaat verloren.",
        "Houd de 3 à 5 belangrijkste over; maak van de rest KPI’s of bewaar ze voor een volgende cyclus.",
    ),
    "activity-key-result": (
        "Kernresultaat ‘{key_result}’ beschrijft werk, geen uitkomst.",
        "Verplaats het naar de initiatieven en vervang het door de uitkomst die het moet opleveren.",
    ),
    "maintain-key-result": (
        "Kernresultaat ‘{key_result}’ houdt alleen een waarde vast; dat is een KPI.",
        "Maak er een KPI van met een groene en rode grens, en vervang het door een kernresultaat dat iets verandert.",
    ),
}

_EN: dict[str, tuple[str, str]] = {
    "not-measurable": (
        "Not measurable: there is no number, quantity or target{vague}. How will you know you got there?",
        "Make it measurable: ‘{subject} from X to Y by <end date>’, for example ‘Churn from 10% to 5% by end of Q3’.",
    ),
    "activity": (
        "This describes work or an intermediate step (‘{verb}’), not an outcome. "
        "What changes when it is done, and how will you see it?",
        "Make it an initiative under a key result and write down what it should achieve: "
        "‘<what changes> from X to Y by <end date>’.",
    ),
    "activity-count": (
        "A number does not turn work into an outcome: this counts what you do (‘{verb}’), not what it achieves.",
        "Make it an initiative under a key result and measure what it should achieve: "
        "‘<what changes> from X to Y by <end date>’, for example ‘Organic leads from 120 to 200 a month "
        "by end of Q3’.",
    ),
    "compound": (
        "There are two goals in one sentence; you hit or miss them separately, so one score cannot tell which.",
        "Split it into two key results, each with its own ‘from X to Y by <end date>’.",
    ),
    "no-deadline": (
        "There is no time frame: without an end date nobody knows when it must be reached.",
        "Add an end date: ‘… by <end date>’, for example ‘by end of Q3’ or ‘by June 30’.",
    ),
    "no-baseline": (
        "There is no starting value: without ‘from X’ progress cannot be scored from 0 to 100.",
        "Name the starting point: ‘from X to Y’, for example ‘from 10% to 5%’.",
    ),
    "maintain-value": (
        "This only keeps a value where it is: that is a KPI to watch, not a change to pursue.",
        "Make it a KPI with a green and a red threshold, and choose as key result what you want to "
        "improve: ‘from X to Y by <end date>’.",
    ),
    "objective-is-a-number": (
        "An objective is qualitative and gives direction; the number (‘{measure}’) belongs in a key result.",
        "Word the objective without a number, for example ‘Keep our customers’, and put the number "
        "in a key result: ‘from X to Y by <end date>’.",
    ),
    "vague-objective": (
        "This objective names no subject: better or more at what, and for whom?",
        "Say what you want to achieve, for example ‘Keep our customers’ or "
        "‘Become the go-to shop for motorbike parts’.",
    ),
    "objective-activity": (
        "An objective says where you want to go, not which work you do (‘{verb}’).",
        "Describe the result this work is for, for example ‘Keep our customers’, and make the work "
        "an initiative under a key result.",
    ),
    "too-few-key-results": (
        "This objective has {count} key result(s); with fewer than two you cannot tell whether it was really reached.",
        "Add key results until there are 2 to 5, each ‘from X to Y by <end date>’.",
    ),
    "too-many-key-results": (
        "{count} key results are too many to steer by: focus gets lost.",
        "Keep the 3 to 5 that matter most; turn the rest into KPIs or keep them for a later cycle.",
    ),
    "activity-key-result": (
        "Key result ‘{key_result}’ describes work, not an outcome.",
        "Move it to the initiatives and replace it with the outcome it should bring about.",
    ),
    "maintain-key-result": (
        "Key result ‘{key_result}’ only keeps a value where it is; that is a KPI.",
        "Make it a KPI with a green and a red threshold, and replace it with a key result that changes something.",
    ),
}

_TEXTS = {"nl": _NL, "en": _EN}
_DEFAULT_SUBJECT = {"nl": "<maatstaf>", "en": "<metric>"}
_VAGUE = {"nl": " (‘{word}’ zegt niet hoeveel)", "en": " (‘{word}’ does not say how much)"}


def finding(code: str, severity: str, lang: str, text_key: str | None = None, **values: str) -> Finding:
    """A finding with the message and suggestion for code (or text_key) in lang."""
    message, suggestion = _TEXTS[lang][text_key or code]
    values.setdefault("subject", _DEFAULT_SUBJECT[lang])
    vague_word = values.pop("vague_word", "")
    values["vague"] = _VAGUE[lang].format(word=vague_word) if vague_word else ""
    return Finding(
        code=code,
        severity=severity,
        message=message.format(**values),
        suggestion=suggestion.format(**values),
    )


def quote(text: str, limit: int = 60) -> str:
    """Text shortened for quoting inside a message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
