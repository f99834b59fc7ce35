"""`koers demo`: the seed's e-commerce example (SPEC §4), inside a believable organisation, in Dutch."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from koers.domain import model
from koers.domain.errors import Conflict
from koers.services.check_ins import record_check_in
from koers.services.kpis import create_kpi, record_measurement
from koers.services.objectives import create_initiative, create_key_result, create_objective
from koers.services.organisation import add_user, close_cycle, create_cycle, create_team
from koers.storage.unit_of_work import UnitOfWork

ORGANISATION = "Auto & Motor Onderdelen BV"
DEMO_ADMIN_EMAIL = "admin@koers.local"
# The demo's password is public on purpose: the demo runs on a laptop, for a first look. Every demo person has it,
# so a newcomer can try the member and team-lead views too.
DEMO_ADMIN_PASSWORD = "welkom-bij-koers"


def quarter_of(day: date) -> tuple[str, date, date]:
    """Name, first and last day of the quarter containing `day`."""
    q = (day.month - 1) // 3
    start = date(day.year, 3 * q + 1, 1)
    end = date(day.year + (q == 3), (3 * q + 3) % 12 + 1, 1) - timedelta(days=1)
    return f"{day.year}-Q{q + 1}", start, end


def is_empty(uow: UnitOfWork) -> bool:
    """True when the database holds no organisation yet."""
    return not uow.cycles.list() and not uow.users.list() and not uow.teams.list()


def load_demo(uow: UnitOfWork, now: datetime | None = None, password_hash: str | None = None) -> dict[str, Any]:
    """Fill an empty database with the demo organisation; refuse when it already holds data."""
    if not is_empty(uow):
        raise Conflict("demo.database_not_empty")
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    history_end = now - timedelta(hours=1)  # a check-in made now is always newer than the demo's history
    rng = random.Random(20261128)
    today = now.date()
    q_name, q_start, q_end = quarter_of(today)
    p_name, p_start, p_end = quarter_of(q_start - timedelta(days=1))
    year = create_cycle(uow, str(today.year), date(today.year, 1, 1), date(today.year, 12, 31))
    quarter = create_cycle(uow, q_name, q_start, q_end)
    previous = create_cycle(uow, p_name, p_start, p_end)

    board = create_team(uow, ORGANISATION)
    teams = {
        name: create_team(uow, name, parent_id=board.id)
        for name in ("Klantenservice", "Webshop & UX", "Marketing", "Logistiek")
    }
    people = {
        "admin": add_user(uow, DEMO_ADMIN_EMAIL, "admin", "Beheerder", "nl", [board.id or 0], password_hash),
        "directeur": add_user(uow, "sanne.dekker@onderdelen.example", "admin", "Sanne Dekker", "nl", [board.id or 0], password_hash),
        "klantenservice": add_user(uow, "youssef.elamrani@onderdelen.example", "member", "Youssef El Amrani", "nl", [teams["Klantenservice"].id or 0], password_hash),
        "webshop": add_user(uow, "lotte.jansen@onderdelen.example", "member", "Lotte Jansen", "nl", [teams["Webshop & UX"].id or 0], password_hash),
        "marketing": add_user(uow, "daan.visser@onderdelen.example", "member", "Daan Visser", "en", [teams["Marketing"].id or 0], password_hash),
        "logistiek": add_user(uow, "priya.ramdin@onderdelen.example", "member", "Priya Ramdin", "nl", [teams["Logistiek"].id or 0], password_hash),
    }  # fmt: skip
    for name, lead in (
        ("Klantenservice", "klantenservice"),
        ("Webshop & UX", "webshop"),
        ("Marketing", "marketing"),
        ("Logistiek", "logistiek"),
    ):
        uow.teams.set_fields(teams[name].id or 0, lead_id=people[lead].id)
    uow.teams.set_fields(board.id or 0, lead_id=people["directeur"].id)

    ks = teams["Klantenservice"].id
    churn = create_kpi(
        uow,
        model.Kpi(
            "Churn",
            "%",
            "lower_is_better",
            "Aandeel klanten dat binnen 12 maanden niet terugkomt",
            target=5,
            green_at=5,
            red_at=9,
            team_id=ks,
            owner_id=people["klantenservice"].id,
        ),
    )
    nps = create_kpi(
        uow,
        model.Kpi(
            "NPS",
            "",
            "higher_is_better",
            "Net Promoter Score uit de maandelijkse klantenenquête",
            target=80,
            green_at=80,
            red_at=70,
            team_id=ks,
            owner_id=people["klantenservice"].id,
        ),
    )
    buy_time = create_kpi(
        uow,
        model.Kpi(
            "Aankooptijd",
            "min",
            "lower_is_better",
            "Gemiddelde tijd van winkelwagen tot betaalde bestelling",
            target=4,
            green_at=4,
            red_at=8,
            team_id=teams["Webshop & UX"].id,
            owner_id=people["webshop"].id,
        ),
    )
    # Six months of monthly-then-weekly measurements, ending where the seed's story stands today.
    weeks = 26
    for kpi, start_value, end_value in ((churn, 10.4, 8.6), (nps, 69.0, 72.0), (buy_time, 9.8, 8.2)):
        for week in range(weeks + 1):
            at = history_end - timedelta(weeks=weeks - week, hours=2)
            value = (
                start_value
                + (end_value - start_value) * week / weeks
                + rng.uniform(-0.15, 0.15) * abs(end_value - start_value)
            )
            record_measurement(uow, kpi.id or 0, round(value, 1 if kpi is not nps else 0), at=at, source="import")

    strategic = create_objective(uow, model.Objective(
        "Uitgroeien tot de webshop waar liefhebbers blijven terugkomen", year.id or 0, "strategic", "aspirational",
        "Strategische doelstelling van de directie voor het hele jaar: groei uit terugkerende klanten, niet uit kortingen.",
        owner_id=people["directeur"].id,
    ))  # fmt: skip
    seed = create_objective(uow, model.Objective(
        "Klanten behouden: churn halveren", quarter.id or 0, "tactical", "committed",
        "Veel klanten komen niet terug, hoewel de webshop goede perspectieven biedt. Knelpunten in de online "
        "verkooptrechter en de kwaliteit van de klantenservice zijn de belangrijkste oorzaken.",
        team_id=ks, owner_id=people["klantenservice"].id, parent_id=strategic.id,
    ))  # fmt: skip
    seed_krs = [
        create_key_result(uow, model.KeyResult(seed.id or 0, "Churn reduceren van 10% naar 5%", "decrease", "%", 10, 5, owner_id=people["klantenservice"].id, kpi_id=churn.id)),
        create_key_result(uow, model.KeyResult(seed.id or 0, "NPS omhoog van 70 naar 80", "increase", "", 70, 80, owner_id=people["klantenservice"].id, kpi_id=nps.id)),
        create_key_result(uow, model.KeyResult(seed.id or 0, "Gemiddelde aankooptijd naar 3 à 4 minuten", "range", "min", 9.5, None, 3, 4, owner_id=people["webshop"].id, kpi_id=buy_time.id)),
    ]  # fmt: skip
    for title, status, kr in (
        ("Online sales funnel analyseren", "in_progress", None),
        ("Kwaliteit van de klantenservice verbeteren", "in_progress", seed_krs[1]),
        ("Gebruikersregistratie optioneel maken, klantdata blijft ophaalbaar", "planned", seed_krs[2]),
    ):
        create_initiative(uow, model.Initiative(
            title, status, objective_id=None if kr else seed.id, key_result_id=kr.id if kr else None,
            owner_id=people["klantenservice"].id, due_date=q_end,
        ))  # fmt: skip

    tactical: list[tuple[str, str, str, str, list[Any]]] = [
        ("Webshop & UX", "webshop", "Bestellen in de webshop gaat moeiteloos", "committed", [
            ("Conversieratio van 2,1% naar 3%", "increase", "%", 2.1, 3.0, None, None, (2.1, 2.5)),
            ("Afrekenfouten op mobiel onder 1% houden", "below", "%", None, 1.0, None, None, (1.4, 0.8)),
            ("Bestellingen als gast van 0% naar 25% van alle bestellingen", "increase", "%", 0, 25, None, None, (0, 9)),
        ]),
        ("Marketing", "marketing", "Terugkerende klanten bestellen vaker", "aspirational", [
            ("Herhaalaankopen van 18% naar 30% van de bestellingen", "increase", "%", 18, 30, None, None, (18, 21.5)),
            ("Openingspercentage van de nieuwsbrief van 22% naar 35%", "increase", "%", 22, 35, None, None, (22, 31)),
        ]),
        ("Logistiek", "logistiek", "Klanten hebben hun onderdelen sneller en heel in huis", "committed", [
            ("Gemiddelde levertijd van 3,2 naar 1,5 dagen", "decrease", "dagen", 3.2, 1.5, None, None, (3.2, 2.9)),
            ("Retourpercentage onder 4% houden", "below", "%", None, 4.0, None, None, (3.8, 3.6)),
            ("Pakketten met schade van 2,5% naar 1%", "decrease", "%", 2.5, 1.0, None, None, (2.5, 1.6)),
        ]),
    ]  # fmt: skip
    notes = [
        "Eerste meting na de kick-off.", "Langzamer dan gehoopt; we zoeken de oorzaak.", "Goede week, trend zet door.",
        "Vakantieperiode drukt de cijfers.", "Nieuwe aanpak werkt, voorzichtig positief.", "Besproken in het teamoverleg.",
    ]  # fmt: skip
    weeks_in_cycle = max(1, (history_end.date() - q_start).days // 7)
    for team_name, owner, title, kind_of_goal, krs in tactical:
        objective = create_objective(uow, model.Objective(
            title, quarter.id or 0, "tactical", kind_of_goal, team_id=teams[team_name].id,
            owner_id=people[owner].id, parent_id=strategic.id,
        ))  # fmt: skip
        for kr_title, kind, unit, baseline, target, low, high, (first, last) in krs:
            kr = create_key_result(
                uow,
                model.KeyResult(
                    objective.id or 0, kr_title, kind, unit, baseline, target, low, high, owner_id=people[owner].id
                ),
            )
            for week in range(weeks_in_cycle + 1):
                at = datetime.combine(q_start, time(9, 30), tzinfo=UTC) + timedelta(weeks=week, days=rng.randint(0, 2))
                if at > history_end:
                    break
                share = week / weeks_in_cycle
                if kind == "milestone":
                    value = 0.0
                else:
                    value = round(first + (last - first) * share + rng.uniform(-0.05, 0.05) * abs(last - first), 2)
                confidence = "on_track" if share < 0.3 or last != first else "at_risk"
                record_check_in(uow, kr.id or 0, value, confidence, rng.choice(notes), people[owner].id, at)

    _previous_quarter(uow, previous, teams, people, rng)
    return {
        "cycles": [year.name, quarter.name, previous.name],
        "objective_id": seed.id,
        "key_result_ids": [kr.id for kr in seed_krs],
    }


def _previous_quarter(
    uow: UnitOfWork, cycle: model.Cycle, teams: dict[str, model.Team], people: dict[str, model.User], rng: random.Random
) -> None:
    """A closed quarter with graded objectives, so that history and grades show from the first day."""
    goals: list[tuple[str, str, str, str, list[Any]]] = [
        ("Klantenservice", "klantenservice", "Klantvragen sneller en beter beantwoorden", "committed", [
            ("Eerste reactietijd van 20 naar 8 uur", "decrease", 20, 8, 10.5),
            ("Vragen die in één contact zijn opgelost van 55% naar 75%", "increase", 55, 75, 68),
        ]),
        ("Webshop & UX", "webshop", "Producten sneller vindbaar maken", "aspirational", [
            ("Zoekopdrachten zonder resultaat van 12% naar 4%", "decrease", 12, 4, 4.0),
            ("Bezoekers die de zoekfunctie gebruiken van 30% naar 45%", "increase", 30, 45, 45),
        ]),
        ("Marketing", "marketing", "Meer bezoekers uit zoekmachines", "aspirational", [
            ("Organische bezoekers van 40.000 naar 60.000 per maand", "increase", 40000, 60000, 47000),
            ("Pagina's in de top 10 van Google van 120 naar 200", "increase", 120, 200, 150),
        ]),
    ]  # fmt: skip
    for team_name, owner, title, kind_of_goal, krs in goals:
        objective = create_objective(
            uow,
            model.Objective(
                title, cycle.id or 0, "tactical", kind_of_goal, team_id=teams[team_name].id, owner_id=people[owner].id
            ),
        )
        for kr_title, kind, baseline, target, final in krs:
            kr = create_key_result(
                uow, model.KeyResult(objective.id or 0, kr_title, kind, "", baseline, target, owner_id=people[owner].id)
            )
            for week in range(1, 13):
                at = datetime.combine(cycle.start_date, time(10), tzinfo=UTC) + timedelta(weeks=week)
                value = round(baseline + (final - baseline) * week / 12, 1)
                record_check_in(uow, kr.id or 0, value, "on_track", "Wekelijkse update.", people[owner].id, at)
    close_cycle(uow, cycle.id or 0, now=datetime.combine(cycle.end_date + timedelta(days=1), time(12), tzinfo=UTC))
