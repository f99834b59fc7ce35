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
from hypothesis import HealthCheck, settings
from schemathesis import checks
from sqlalchemy import create_engine, update

from koers.bootstrap import Koers, bootstrap
from koers.config import Settings
from koers.http.app import create_app
from koers.services import accounts
from koers.storage import tables as t
from tests.e2e.api_support import ADMIN, Api, make_api

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
def fuzz_api(built_database: tuple[Path, Api], tmp_path: Path) -> Iterator[Api]:
    """The API on a fresh copy of the built database, for one operation's examples (tokens and ids as made)."""
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


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    print_blob=True,
)
def test_every_operation_keeps_its_contract(case: Any, fuzz_api: Api) -> None:
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
