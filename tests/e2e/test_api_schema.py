"""Schemathesis against the OpenAPI document: every operation, ≥100 examples each, as the admin.

Checks on every response: no server error, a documented status code, a documented content type, a body that
matches the documented schema, documented headers; every error is problem+json carrying its status.

The database is the one `make_api` builds on SQLite (`tests.builders.organisation`, tokens for admin, owner and
other), built once per module and copied for each operation, so that every operation starts from the same data
whatever the operations before it deleted, archived or closed. The admin's bearer token goes on every request (schemathesis's coverage phase
still leaves it off some, which must answer 401). A deterministic test sends `null` for every field of every PATCH,
a case the fuzzer only sometimes draws. The last test prints how many requests were made and how long
it took: about 2–3 minutes on a 2-core machine.
"""

from __future__ import annotations

import base64
import sqlite3
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from sqlalchemy import create_engine, update

from koers.bootstrap import Koers, bootstrap
from koers.config import Settings
from koers.http.app import create_app
from koers.services import accounts
from koers.storage import tables as t
from tests.e2e.api_support import ADMIN, PASSWORD, Api, make_api
from tests.loopback import keep_to_loopback

EXAMPLES_PER_OPERATION = 100
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]
# Path ids are drawn from 1..2^31-1; three in four are folded onto the built organisation's small ids (it has
# 3 to 11 records of each kind) so that most requests reach real records (the rest still probe the 404 path).
EXISTING_IDS = 6
# Operations that can lock the caller out (disable, demote, revoke, log out): the admin is repaired after them.
RISKY = {"logout", "revoke_token", "update_users", "archive_users"}

# The OpenAPI document does not depend on the data, so it is read at import from an app on a database that is
# never opened (parametrize needs the operations at collection time); every request goes to `fuzz_api`'s app.
# (schemathesis.pytest.from_fixture would defer this, but it breaks on pytest 9: Function has no `_nodeid`.)
schema = schemathesis.openapi.from_asgi(
    "/api/v1/openapi.json", create_app(Koers(Settings("sqlite://"), create_engine("sqlite://")))
)
OPERATIONS = {result.ok().label: result.ok().definition.raw for result in schema.get_all_operations()}

requests_made: Counter[str] = Counter()
statuses: defaultdict[str, Counter[int]] = defaultdict(Counter)
failed: set[str] = set()
clock = {"started": time.monotonic()}


@pytest.fixture(scope="module")
def built_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Api]:
    """`make_api` once: a SQLite file with the built organisation, and the callers' tokens."""
    clock["started"] = time.monotonic()
    path = tmp_path_factory.mktemp("schema") / "built.db"
    built = make_api(f"sqlite:///{path}")
    built.client.close()
    built.koers.engine.dispose()
    return path, built


@pytest.fixture
def fuzz_api(built_database: tuple[Path, Api], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    """The API on a fresh copy of the built database, for one operation's examples (tokens and ids as made)."""
    keep_to_loopback(monkeypatch)  # generated data-source URLs (dry runs) never leave this machine (issue 11)
    template, made = built_database
    copy = tmp_path / "koers.db"
    source, target = sqlite3.connect(template), sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    koers = bootstrap(Settings(f"sqlite:///{copy}"))
    built = replace(made, koers=koers, client=TestClient(create_app(koers), raise_server_exceptions=False))
    yield built
    built.client.close()
    koers.engine.dispose()


def _admin_id(api: Api) -> int:
    with api.koers.uow(read_only=True) as uow:
        admin = uow.users.by_email(ADMIN)
        assert admin is not None and admin.id is not None
        return admin.id


def _keep_admin_usable(api: Api) -> None:
    """Undo what a fuzzed request may have done to the caller: re-enable, re-promote, un-revoke its token."""
    admin_id = _admin_id(api)
    with api.koers.uow() as uow:
        uow.connection.execute(update(t.users).where(t.users.c.id == admin_id).values(active=True, role="admin"))
        uow.connection.execute(
            update(t.api_tokens)
            .where(t.api_tokens.c.user_id == admin_id, t.api_tokens.c.name == "test")
            .values(revoked_at=None, expires_at=None)
        )


def _fresh_admin_token(api: Api) -> str:
    """Another token of the admin's, so that logging out does not end the module's token."""
    with api.koers.uow() as uow:
        token, _ = accounts.create_token(uow, _admin_id(api), "schemathesis logout")
    return token


def _fold_ids(case: Any) -> None:
    params = case.path_parameters or {}
    value = params.get("record_id")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1 and value % 4 != 0:
        params["record_id"] = (value - 1) % EXISTING_IDS + 1


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_every_operation_keeps_its_contract(label: str, fuzz_api: Api) -> None:
    """One test per operation (its own node id, so pytest-xdist schedules each; schemathesis's own
    `parametrize` gives every operation the same id, and xdist then ran only one of them)."""
    method, _, path = label.partition(" ")
    operation = schema[path][method]

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        print_blob=True,
    )
    @given(case=operation.as_strategy())
    def fuzz(case: Any) -> None:
        _check_one_case(case, fuzz_api)

    fuzz()


def _check_one_case(case: Any, fuzz_api: Api) -> None:
    label = case.operation.label
    operation_id = case.operation.definition.raw.get("operationId")
    _fold_ids(case)
    token = _fresh_admin_token(fuzz_api) if operation_id == "logout" else fuzz_api.tokens["admin"]
    headers = {"Authorization": f"Bearer {token}"}
    try:
        response = case.call(app=fuzz_api.client.app, headers=headers)
        requests_made[label] += 1
        statuses[label][response.status_code] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)
        if response.status_code >= 400:
            _assert_problem(response)
    except BaseException:  # schemathesis's FailureGroup is a BaseExceptionGroup
        failed.add(label)
        raise
    finally:
        if operation_id in RISKY:
            _keep_admin_usable(fuzz_api)


def _assert_problem(response: Any) -> None:
    """Every error is RFC 9457 problem+json whose status is the response's."""
    content_type = next(iter(response.headers.get("content-type", [""])), "")
    assert content_type.startswith("application/problem+json"), f"{response.status_code} as {content_type!r}"
    problem = response.json()
    assert problem["status"] == response.status_code and problem["title"], problem


def test_explicit_nulls_in_patches_never_break_the_server(fuzz_api: Api) -> None:
    """Deterministic companion of the fuzzing above: `{"field": null}` for every field of every PATCH, on two
    existing records, gets a documented answer (a 200 that leaves it as it was, or a problem), never a 500."""
    document = fuzz_api.client.get("/api/v1/openapi.json").json()
    wrong = []
    for path, operations in document["paths"].items():
        if "patch" not in operations:
            continue
        documented = operations["patch"]["responses"]
        reference = operations["patch"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        fields = document["components"]["schemas"][reference.rsplit("/", 1)[-1]]["properties"]
        for name in fields:
            for record_id in (1, 2):
                url = path.replace("{record_id}", str(record_id))
                response = fuzz_api.client.patch(url, json={name: None}, headers=fuzz_api.headers("admin"))
                if response.status_code >= 500 or str(response.status_code) not in documented:
                    wrong.append(f"PATCH {url} {{{name!r}: null}} -> {response.status_code} {response.text[:120]}")
                _keep_admin_usable(fuzz_api)
    assert not wrong, "\n".join(wrong)


# Values at and past every edge, by the documented type of a field: the fuzzer draws valid-looking values from the
# schema (RFC 3339 datetimes with an offset, cursors it cannot forge), so these classes are sent on purpose.
EDGES: dict[str, list[Any]] = {
    "number": [True, False, 1e308, -1e308, 1e16, "1e308", 10**20, -(10**20)],
    "integer": [True, 0, -1, 2**31, 2**63, 10**20, 1.5],
    "date": ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01", "2026-02-30"],
    "date-time": [
        "2030-01-01T00:00:00",  # no time zone
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "2200-12-31T23:59:59-14:00",
        "1900-01-01T00:00:00+14:00",
    ],
    "string": ["", "\x00", "\u202e", "\x1b[31m", "x" * 5000, 7],
}
CURSORS = [f"after:{n}" for n in (0, 2**31, 2**63, 10**20, 10**400)] + ["after:-1", "after:١", "before:1", "after:"]


def _valid_bodies(ids: dict[str, int]) -> dict[str, dict[str, Any]]:
    """A body each creating operation accepts; each field is then replaced by its edge values in turn."""
    key_result = {"title": "Randgeval bereikt", "baseline": 0, "target": 10}
    return {
        "create_teams": {"name": "Randteam"},
        "create_users": {"email": "rand@example.org", "name": "Rand"},
        "create_cycles": {"name": "Randcyclus", "start_date": "2026-01-01", "end_date": "2026-03-31"},
        "create_objectives": {"title": "Randdoel bereiken", "cycle_id": ids["cycle"], "team_id": ids["owner_team"]},
        "create_objective_key_result": key_result,
        "create_key-results": key_result | {"objective_id": ids["objective"]},
        "create_kpis": {"name": "Rand-KPI", "direction": "higher_is_better", "green_at": 5, "red_at": 1},
        "create_initiatives": {"title": "Randwerk", "key_result_id": ids["key_result"]},
        "create_check_in": {"value": 5},
        "create_measurement": {"value": 5},
        "create_token": {"name": "rand"},
        "lint": {"text": "Meer leads genereren"},
        "login": {"email": ADMIN, "password": PASSWORD},
    }


def _kind(field: dict[str, Any]) -> str | None:
    for option in [field, *field.get("anyOf", [])]:
        kind = option.get("format") if option.get("format") in ("date", "date-time") else option.get("type")
        if kind in EDGES:
            return str(kind)
    return None


def _url(path: str, ids: dict[str, int]) -> str:
    record = {"/objectives/": ids["objective"], "/key-results/": ids["key_result"], "/kpis/": ids["kpi"]}
    prefix = next((p for p in record if path.startswith(f"/api/v1{p}")), None)
    return path.replace("{record_id}", str(record[prefix] if prefix else 1))


def test_edge_values_in_every_body_field_and_cursor_get_a_client_error(fuzz_api: Api) -> None:
    """Deterministic companion of the fuzzing: each body field of each POST and PATCH, in a body that is otherwise
    accepted, gets the edge values of its type (true as a number, ids past 2³¹−1, datetimes without a time zone or
    at the edge of time); every list gets cursors past the id range. Never a 5xx."""
    document = fuzz_api.client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    valid = _valid_bodies(fuzz_api.ids)
    admin = fuzz_api.headers("admin")
    wrong, sent = [], 0
    for path, operations in document["paths"].items():
        url = _url(path, fuzz_api.ids)
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            for cursor in CURSORS if "cursor" in names else []:
                encoded = base64.urlsafe_b64encode(cursor.encode()).decode().rstrip("=")
                response = fuzz_api.client.get(url, params={"cursor": encoded}, headers=admin)
                sent += 1
                if response.status_code != 422:
                    wrong.append(f"GET {url} cursor {cursor!r} -> {response.status_code}")
            content = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if method not in ("post", "patch") or content is None:
                continue
            base = {} if method == "patch" else valid.get(operation["operationId"], {})  # {}: no accepted body known
            body_schema = content["schema"]  # an optional body (a dry run's) is anyOf [its model, null]
            refs = [body_schema.get("$ref")] + [x.get("$ref") for x in body_schema.get("anyOf", [])]
            ref = next((r for r in refs if r), None)
            if ref is None:  # a body without a model of its own (a raw object): nothing per field to vary
                continue
            fields = schemas[ref.rsplit("/", 1)[-1]]["properties"]
            for name, field in fields.items():
                for value in EDGES.get(_kind(field) or "", []):
                    response = fuzz_api.client.request(method, url, json=base | {name: value}, headers=admin)
                    sent += 1
                    if response.status_code >= 500:
                        wrong.append(f"{method.upper()} {url} {{{name!r}: {value!r:.40}}} -> {response.status_code}")
                    _keep_admin_usable(fuzz_api)
    assert sent > 500 and not wrong, "\n".join(wrong)


def test_the_bodies_the_edge_test_starts_from_are_accepted(fuzz_api: Api) -> None:
    """Each edge value replaces one field of a body that passes as it is, so the value itself is what is judged."""
    document = fuzz_api.client.get("/api/v1/openapi.json").json()
    valid = _valid_bodies(fuzz_api.ids)
    for path, operations in document["paths"].items():
        post = operations.get("post", {})
        if post.get("operationId") in valid:
            url = _url(path, fuzz_api.ids)
            response = fuzz_api.client.post(url, json=valid[post["operationId"]], headers=fuzz_api.headers("admin"))
            assert response.status_code in (200, 201), f"{url}: {response.status_code} {response.text[:200]}"


def _has_inputs(definition: dict[str, Any]) -> bool:
    return bool(definition.get("parameters") or definition.get("requestBody") or definition.get("security"))


def test_request_count(capsys: pytest.CaptureFixture[str]) -> None:
    """Runs last: prints the requests per operation; each operation that passed got ≥100 of them.

    An operation without any input (GET /health: no parameters, body or token) has fewer distinct requests than
    that; Hypothesis stops when it has sent them all.
    """
    total = sum(requests_made.values())
    ran = [label for label in OPERATIONS if requests_made[label]]
    with capsys.disabled():
        print(f"\nschemathesis: {total} requests over {len(ran)} of {len(OPERATIONS)} operations")
        for label in OPERATIONS:
            codes = ", ".join(f"{code}×{n}" for code, n in sorted(statuses[label].items()))
            print(f"  {requests_made[label]:5d}  {label}  [{codes}]{'  FAILED' if label in failed else ''}")
        print(f"schemathesis module: {time.monotonic() - clock['started']:.0f} s")
    assert ran, "run the whole module: the schemathesis test above makes the requests"
    too_few = {
        label: requests_made[label]
        for label in ran
        if label not in failed and _has_inputs(OPERATIONS[label]) and requests_made[label] < EXAMPLES_PER_OPERATION
    }
    assert not too_few, f"fewer than {EXAMPLES_PER_OPERATION} requests: {too_few}"
