"""Every write path refuses the same out-of-range numbers, and accepts the same numbers just inside the limits.

Issue 9: the API refused a weight of 1e308 while the web form and `koers import` took it. Here one generated
(field, value) is driven through the real doors of one organisation: the API (POST and PATCH JSON), the web editor
forms and the check-in form (the number typed as text in the user's language), and `koers import` (a JSON or YAML
document). Out of range, every door refuses and nothing is stored (the whole export is unchanged); in range, every
door stores exactly that value. Measurements have no web form: their doors are the API and the import.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.numbers import get_decimal_symbol, get_group_symbol
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from koers.domain import fields as declared
from koers.services.transfer import export_document
from tests import builders
from tests.e2e.api_support import Api, make_api

LIMIT = declared.NUMBER_LIMIT
API = "/api/v1"


@dataclass(frozen=True)
class Target:
    """A numeric field people write, and the record it belongs to."""

    record: str  # key_result, kpi, check_in, measurement
    field: str

    def __str__(self) -> str:
        return f"{self.record}.{self.field}"


TARGETS = [
    *(Target("key_result", name) for name in ("baseline", "target", "target_low", "target_high", "weight")),
    Target("check_in", "value"),
    *(Target("kpi", name) for name in ("target", "target_low", "target_high", "green_at", "red_at")),
    Target("measurement", "value"),
]
WEIGHT = Target("key_result", "weight")

# The named values of the issue; generated ones are added to them.
OUT_OF_RANGE = [math.nan, math.inf, -math.inf, 1e308, -1e308, 1e16, -1e16, LIMIT + 1, -LIMIT - 1]
OUT_OF_RANGE_WEIGHTS = [0.0, -0.0, -1.0, 1000.5, 1000.0001, 1e308, math.nan, math.inf]
IN_RANGE = [LIMIT, -LIMIT, 0.0, 7.5, -1234.5]
IN_RANGE_WEIGHTS = [1000.0, 0.5, 1.0, 999.75]


def test_every_numeric_field_people_write_is_covered():
    assert declared.KEY_RESULT["weight"].above == 0 and declared.KEY_RESULT["weight"].maximum == 1000
    numeric = {
        Target(entity.name, field.name)
        for entity in declared.ENTITIES.values()
        for field in entity.fields.values()
        if field.type == "float"
    }
    assert numeric == set(TARGETS), "a numeric field that the doors test does not cover"


def out_of_range(target: Target) -> st.SearchStrategy[float]:
    if target == WEIGHT:
        generated = st.floats(max_value=0.0) | st.floats(min_value=1000.0, exclude_min=True)
        return st.sampled_from(OUT_OF_RANGE_WEIGHTS) | generated
    generated = st.floats(min_value=LIMIT, exclude_min=True) | st.floats(max_value=-LIMIT, exclude_max=True)
    return st.sampled_from(OUT_OF_RANGE) | generated


def in_range(target: Target) -> st.SearchStrategy[float]:
    if target == WEIGHT:
        return st.sampled_from(IN_RANGE_WEIGHTS) | st.floats(min_value=0.001, max_value=1000.0)
    return st.sampled_from(IN_RANGE) | st.floats(min_value=-LIMIT, max_value=LIMIT)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Target, float, bool]:
    """A field, a value, and whether every door must take it (about one in four is an in-range control)."""
    target = draw(st.sampled_from(TARGETS))
    inside = draw(st.integers(0, 3)) == 0
    value = draw(in_range(target) if inside else out_of_range(target))
    return target, value, inside


def typed(value: float, locale: str, grouped: bool) -> str:
    """The number as a person types it in `locale`: its digits (grouped or not) or `e` notation; `inf` and `NaN`
    as text. Exact: the web reads back the very float that the API and the import are sent."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    decimal, group = get_decimal_symbol(locale), get_group_symbol(locale)
    sign, text = ("-", repr(value)[1:]) if repr(value).startswith("-") else ("", repr(value))
    mantissa, _, exponent = text.partition("e")
    if exponent and int(exponent) > 0 and len(str(int(Decimal(text)))) <= 30:
        mantissa, exponent = str(int(Decimal(text))), ""  # a big whole number: all its digits
    whole, _, fraction = mantissa.partition(".")
    if grouped:
        whole = re.sub(r"\B(?=(\d{3})+$)", group, whole)
    shown = sign + whole + (decimal + fraction if fraction.strip("0") else "")
    return shown + (f"e{exponent}" if exponent else "")


@dataclass
class Doors:
    """The organisation of `make_api`, and each door into it."""

    api: Api
    folder: Path
    cycle: dict[str, Any]  # the active quarter, as an import document names it

    def snapshot(self) -> Any:
        """Everything `koers export` writes: unchanged means nothing was stored."""
        with self.api.koers.uow(read_only=True) as uow:
            return export_document(uow, date.today())

    def newest(self, what: str) -> Any:
        """The newest key result or KPI."""
        with self.api.koers.uow(read_only=True) as uow:
            return max(getattr(uow, what).list(), key=lambda record: record.id or 0)

    def stored(self, what: str, record_id: int) -> Any:
        with self.api.koers.uow(read_only=True) as uow:
            return getattr(uow, what).get(record_id)

    def newest_history(self, record: str, parent_id: int) -> Any:
        """The newest check-in of a key result, or measurement of a KPI."""
        with self.api.koers.uow(read_only=True) as uow:
            history = uow.check_ins if record == "check_in" else uow.measurements
            return history.history_page(parent_id, None, 1)[0]

    def fresh_key_result(self) -> int:
        """A key result of a kind on which each of its numbers may hold any value within the limits."""
        with self.api.koers.uow() as uow:
            kr = builders.key_result(uow, self.api.ids["objective"], "above", title="Doors", target=50)
        return kr.id or 0

    def fresh_kpi(self) -> int:
        """A KPI without thresholds: each one alone may hold any value within the limits."""
        with self.api.koers.uow() as uow:
            kpi = builders.kpi(uow, "Doors", direction="higher_is_better", green_at=None, red_at=None)
        return kpi.id or 0

    def api_send(self, method: str, path: str, body: dict[str, Any], field: str, value: float | int) -> Any:
        """JSON as a client writes it: Python's json writes NaN and Infinity, and a client can send them."""
        content = json.dumps(body | {field: value})
        headers = self.api.headers("admin") | {"Content-Type": "application/json"}
        self.api.client.cookies.clear()
        return self.api.client.request(method, f"{API}{path}", content=content, headers=headers)

    def as_admin(self, locale: str) -> None:
        """The admin's web session, in `locale`."""
        with self.api.koers.uow() as uow:
            uow.users.set_fields(self.api.ids["admin"], locale=locale)
        self.api.client.cookies.clear()
        for name, value in self.api.cookies("admin").items():
            self.api.client.cookies.set(name, value)

    def web_post(self, path: str, form: dict[str, str], htmx: bool = False) -> Any:
        headers = {"HX-Request": "true"} if htmx else None
        return self.api.client.post(path, data={**form, "csrf_token": self.api.csrf("admin")}, headers=headers)

    def web_version(self, path: str) -> str:
        """The version an edit form carries, read from the form as a browser would."""
        page = self.api.client.get(path)
        assert page.status_code == 200, (path, page.status_code)
        found = re.search(r'name="version"[^>]*value="([^"]*)"', page.text) or re.search(
            r'value="([^"]*)"[^>]*name="version"', page.text
        )
        assert found, f"no version on {path}"
        return found.group(1)

    def import_document(self, target: Target, value: float | int, as_yaml: bool) -> tuple[int, str, str]:
        """`koers import --append` of a document that holds the value where the field lives."""
        moment = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
        kr: dict[str, Any] = {"id": 1, "title": "Imported", "kind": "above", "target": 50}
        kpi: dict[str, Any] = {"id": 1, "name": "Imported KPI", "direction": "higher_is_better"}
        if target.record == "key_result":
            kr[target.field] = value
        elif target.record == "check_in":
            kr["check_ins"] = [{"value": value, "created_at": moment}]
        elif target.record == "kpi":
            kpi[target.field] = value
        else:
            kpi["measurements"] = [{"value": value, "at": moment}]
        objective = {"id": 1, "title": "Imported objective", "cycle_id": 1, "key_results": [kr]}
        document = {"cycles": [self.cycle], "kpis": [kpi], "objectives": [objective]}
        path = self.folder / ("doc.yaml" if as_yaml else "doc.json")
        path.write_text(yaml.safe_dump(document) if as_yaml else json.dumps(document))
        return self.cli("import", str(path), "--append", "--json")

    def cli(self, *argv: str) -> tuple[int, str, str]:
        """`koers ...` in-process: exit code, stdout, stderr."""
        from koers.cli.main import main

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
        return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def doors(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Doors]:
    """One organisation (on each kind of database) for all examples: a refusal changes nothing, an acceptance only
    adds or changes its own fresh record."""
    from koers.cli import context

    folder = tmp_path_factory.mktemp("doors")
    url = module_database_url
    api = make_api(url)
    with api.koers.uow(read_only=True) as uow:
        quarter = uow.cycles.get(api.ids["cycle"])
    cycle = {"id": 1, "name": quarter.name, "start_date": str(quarter.start_date), "end_date": str(quarter.end_date)}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KOERS_DATABASE_URL", url)
        context.koers.cache_clear()
        yield Doors(api, folder, cycle)
        if context.koers.cache_info().currsize:
            context.koers().engine.dispose()
        context.koers.cache_clear()
    api.client.close()
    api.koers.engine.dispose()


# --- one value through every door ---------------------------------------------------------------------------------


def drive(
    doors: Doors, target: Target, value: float, locale: str, grouped: bool, as_yaml: bool, whole: bool
) -> dict[str, Any]:
    """Each door's answer to the value, {door: (accepted, what was stored or why not)}; a refusal stored nothing.

    `whole`: a whole number goes into JSON and YAML as an integer (1e308 as its 309 digits), as a client may write it.
    """
    answers: dict[str, tuple[bool, Any]] = {}
    text = typed(value, locale, grouped)
    sent: float | int = int(value) if whole and math.isfinite(value) and value == int(value) else value

    def answered(door: str, before: Any, accepted: bool, detail: Any) -> None:
        if not accepted:
            assert doors.snapshot() == before, f"{door} refused {value!r} for {target} but stored something"
        answers[door] = (accepted, detail)

    def api_door(door: str, method: str, path: str, body: dict[str, Any], stored: str) -> None:
        before = doors.snapshot()
        answer = doors.api_send(method, path, body, target.field, sent)
        if answer.status_code in (200, 201):
            answered(door, before, True, answer.json()[stored])
            return
        assert answer.status_code == 422, (door, answer.status_code, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json"), answer.headers
        answered(door, before, False, answer.json().get("detail"))

    def web_door(door: str, path: str, form: dict[str, str], read: Callable[[], Any], htmx: bool = False) -> None:
        doors.as_admin(locale)
        before = doors.snapshot()
        answer = doors.web_post(path, form, htmx)
        if htmx:  # the row of Mijn week swaps itself: the row again, with the error in it when refused
            assert answer.status_code == 200, (door, text, answer.status_code, answer.text[:500])
            refused = 'class="field-error" role="alert"' in answer.text
            answered(door, before, not refused, "error in the row" if refused else read())
            return
        if answer.status_code == 303:
            answered(door, before, True, read())
            return
        assert 400 <= answer.status_code < 500, (door, text, answer.status_code, answer.text[:500])
        if door.startswith("web check-in"):  # the page that says why the check-in was not saved
            assert "<h1>" in answer.text, (door, text, answer.text[:500])
        else:  # the form again, the error next to the field that was typed
            assert f'id="err-{target.field}"' in answer.text, (door, text, answer.text[:2000])
        answered(door, before, False, answer.status_code)

    def stored_field(what: str, record_id: int) -> Callable[[], Any]:
        return lambda: getattr(doors.stored(what, record_id), target.field)

    def newest_check_in(kr: int) -> Callable[[], Any]:
        return lambda: doors.newest_history("check_in", kr).value

    if target.record == "key_result":
        objective = doors.api.ids["objective"]
        body = {"title": "Doors", "kind": "above", "target": 50}
        api_door("api POST", "POST", f"/objectives/{objective}/key-results", body, target.field)
        api_door("api PATCH", "PATCH", f"/key-results/{doors.fresh_key_result()}", {}, target.field)
        form = {"title": "Doors", "kind": "above", "unit": "", "baseline": "", "target": "50", "target_low": ""}
        form |= {"target_high": "", "weight": "1", "owner_id": "", "kpi_id": "", target.field: text}
        new = f"/objectives/{objective}/key-results/new"
        web_door("web new", new, form, lambda: getattr(doors.newest("key_results"), target.field))
        kr = doors.fresh_key_result()
        doors.as_admin(locale)
        edited = {target.field: text, "version": doors.web_version(f"/key-results/{kr}/edit")}
        web_door("web edit", f"/key-results/{kr}/edit", edited, stored_field("key_results", kr))
    elif target.record == "kpi":
        api_door("api POST", "POST", "/kpis", {"name": "Doors", "direction": "higher_is_better"}, target.field)
        api_door("api PATCH", "PATCH", f"/kpis/{doors.fresh_kpi()}", {}, target.field)
        form = {"name": "Doors", "description": "", "unit": "", "direction": "higher_is_better"}
        form |= dict.fromkeys(("target", "target_low", "target_high", "green_at", "red_at"), "")
        form |= {"team_id": "", "owner_id": "", target.field: text}
        web_door("web new", "/kpis/new", form, lambda: getattr(doors.newest("kpis"), target.field))
        kpi = doors.fresh_kpi()
        doors.as_admin(locale)
        edited = {target.field: text, "version": doors.web_version(f"/kpis/{kpi}/edit")}
        web_door("web edit", f"/kpis/{kpi}/edit", edited, stored_field("kpis", kpi))
    elif target.record == "check_in":
        api_door("api POST", "POST", f"/key-results/{doors.fresh_key_result()}/check-ins", {}, "value")
        for htmx in (False, True):
            kr = doors.fresh_key_result()
            web_door(
                "web check-in" + (" (htmx)" if htmx else ""),
                f"/week/key-results/{kr}/check-in",
                {"value": text, "confidence": "", "note": ""},
                newest_check_in(kr),
                htmx,
            )
    else:
        api_door("api POST", "POST", f"/kpis/{doors.fresh_kpi()}/measurements", {}, "value")

    before = doors.snapshot()
    code, out, err = doors.import_document(target, sent, as_yaml)
    if code != 0:
        assert code == 1 and out == "", (code, out, err)
        assert err.startswith("koers: error: ") and err.count("\n") == 1 and "Traceback" not in err, err
        answered("import", before, False, err.strip())
    elif target.record == "key_result":
        answered("import", before, True, getattr(doors.newest("key_results"), target.field))
    elif target.record == "check_in":
        answered("import", before, True, doors.newest_history("check_in", doors.newest("key_results").id).value)
    elif target.record == "kpi":
        answered("import", before, True, getattr(doors.newest("kpis"), target.field))
    else:
        answered("import", before, True, doors.newest_history("measurement", doors.newest("kpis").id).value)
    return answers


def same(stored: Any, value: float) -> bool:
    """The very value (a zero's sign aside), not a rounded or clamped one."""
    return isinstance(stored, float | int) and not isinstance(stored, bool) and stored == value


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    case=cases(),
    locale=st.sampled_from(["nl", "en"]),
    grouped=st.booleans(),
    as_yaml=st.booleans(),
    whole=st.booleans(),
)
@example(case=(WEIGHT, 1e308, False), locale="nl", grouped=True, as_yaml=False, whole=True)  # the weight
@example(case=(Target("check_in", "value"), 1e308, False), locale="nl", grouped=False, as_yaml=True, whole=False)
@example(case=(Target("kpi", "target"), 1e308, False), locale="en", grouped=True, as_yaml=False, whole=False)
@example(case=(Target("key_result", "baseline"), -1e308, False), locale="en", grouped=False, as_yaml=False, whole=False)
@example(case=(Target("measurement", "value"), math.nan, False), locale="nl", grouped=False, as_yaml=True, whole=False)
@example(case=(Target("kpi", "red_at"), -math.inf, False), locale="nl", grouped=False, as_yaml=False, whole=False)
@example(case=(Target("key_result", "target"), LIMIT + 1, False), locale="nl", grouped=True, as_yaml=True, whole=True)
@example(case=(Target("key_result", "target"), LIMIT, True), locale="nl", grouped=True, as_yaml=False, whole=False)
@example(case=(Target("check_in", "value"), -LIMIT, True), locale="en", grouped=True, as_yaml=True, whole=False)
@example(case=(Target("measurement", "value"), LIMIT, True), locale="en", grouped=False, as_yaml=False, whole=False)
@example(case=(WEIGHT, 1000.0, True), locale="nl", grouped=True, as_yaml=True, whole=False)
@example(case=(WEIGHT, 0.0, False), locale="en", grouped=False, as_yaml=False, whole=False)
@example(case=(WEIGHT, -1.0, False), locale="nl", grouped=False, as_yaml=True, whole=False)
@example(case=(WEIGHT, 1000.5, False), locale="nl", grouped=True, as_yaml=False, whole=False)
def test_every_door_refuses_the_same_out_of_range_values_and_takes_the_same_in_range_ones(
    doors, case, locale, grouped, as_yaml, whole
):
    target, value, inside = case
    answers = drive(doors, target, value, locale, grouped, as_yaml, whole)
    accepted = {door: answer[0] for door, answer in answers.items()}
    assert set(accepted.values()) == {inside}, f"{target} = {value!r} ({locale}): the doors disagree: {answers}"
    if inside:
        wrong = {door: stored for door, (_, stored) in answers.items() if not same(stored, value)}
        assert not wrong, f"{target} = {value!r}: stored another value: {wrong}"
