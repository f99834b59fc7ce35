"""Concurrency over real HTTP (uvicorn on 127.0.0.1, real threads), on SQLite and on PostgreSQL.

- 20 threads × 50 check-ins on one key result, each with its own Idempotency-Key: all 201, each recorded once;
  retries of used keys and races on fresh keys record nothing twice and answer with the first result.
- 20 concurrent PATCHes of one objective with the same version: exactly one 200 and 19 problem+json 409s.
- After concurrent check-ins on every key result of an objective, the stored scores equal a rebuild from history.
"""

from __future__ import annotations

import random
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select

from koers.services.scores import recompute_all
from koers.storage import tables as t
from tests.e2e.api_support import Api, live_server

THREADS = 20
PER_THREAD = 50
PROBLEM = "application/problem+json"


@dataclass(frozen=True)
class Answer:
    key: str
    status: int
    body: Any
    content_type: str
    replayed: bool


def _in_threads(base_url: str, token: str, work: Callable[[int, httpx.Client], list[Answer]]) -> list[Answer]:
    """Run `work(thread_number, client)` in THREADS threads that start together, each with its own connection."""
    barrier = threading.Barrier(THREADS)

    def run(number: int) -> list[Answer]:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base_url, headers=headers, timeout=120) as client:
            barrier.wait(timeout=30)
            return work(number, client)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(run, range(THREADS)))
    return [answer for answers in results for answer in answers]


def _answer(key: str, response: httpx.Response) -> Answer:
    try:
        body = response.json()
    except ValueError:
        body = response.text
    return Answer(
        key,
        response.status_code,
        body,
        response.headers.get("content-type", ""),
        response.headers.get("idempotent-replayed") == "true",
    )


def _check_in(client: httpx.Client, key_result_id: int, key: str, value: float) -> Answer:
    response = client.post(
        f"/api/v1/key-results/{key_result_id}/check-ins",
        json={"value": value, "note": key},
        headers={"Idempotency-Key": key},
    )
    return _answer(key, response)


def _statuses(answers: list[Answer]) -> Counter[int]:
    return Counter(a.status for a in answers)


def _failures(answers: list[Answer], expected: int) -> str:
    """A short account of the unexpected answers, for assertion messages."""
    wrong = [a for a in answers if a.status != expected]
    samples = {a.status: a.body for a in wrong}
    return f"statuses {dict(_statuses(answers))}; one body per unexpected status: {samples}"


def _stored_check_ins(api: Api, key_result_id: int) -> list[tuple[int, str]]:
    with api.koers.uow(read_only=True) as uow:
        rows = uow.connection.execute(
            select(t.check_ins.c.id, t.check_ins.c.note).where(t.check_ins.c.key_result_id == key_result_id)
        )
        return [(row.id, row.note) for row in rows]


def _listed_check_in_ids(client: httpx.Client, key_result_id: int) -> list[int]:
    """Every check-in id the API lists, following next_cursor."""
    ids: list[int] = []
    params: dict[str, Any] = {"limit": 500}
    while True:
        response = client.get(f"/api/v1/key-results/{key_result_id}/check-ins", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        ids.extend(item["id"] for item in page["items"])
        if page["next_cursor"] is None:
            return ids
        params["cursor"] = page["next_cursor"]


def test_concurrent_check_ins_are_each_recorded_once(api: Api) -> None:
    kr = api.ids["key_result"]
    before = _stored_check_ins(api, kr)
    run = uuid.uuid4().hex[:8]

    def first_wave(number: int, client: httpx.Client) -> list[Answer]:
        return [
            _check_in(client, kr, f"{run}-t{number}-c{i}", 5 + (number * PER_THREAD + i) % 50 / 10)
            for i in range(PER_THREAD)
        ]

    with live_server(api) as base_url:
        first = _in_threads(base_url, api.tokens["admin"], first_wave)

        # Every request answered 201 with a check-in of its own; nothing failed on the server.
        assert len(first) == THREADS * PER_THREAD
        assert all(a.status == 201 for a in first), _failures(first, 201)
        assert not any(a.replayed for a in first)
        by_key = {a.key: a.body for a in first}
        assert len(by_key) == THREADS * PER_THREAD
        new_ids = [body["id"] for body in by_key.values()]
        assert len(set(new_ids)) == THREADS * PER_THREAD
        assert all(body["key_result_id"] == kr and body["note"] == key for key, body in by_key.items())

        # Stored exactly once each: 1000 more rows, one per key, the ids the answers gave.
        after = _stored_check_ins(api, kr)
        assert len(after) == len(before) + THREADS * PER_THREAD
        notes = Counter(note for _, note in after)
        assert all(notes[key] == 1 for key in by_key)
        assert {row_id for row_id, note in after if note.startswith(run)} == set(new_ids)

        # The API lists them all, once each, through its cursor pages.
        with httpx.Client(base_url=base_url, headers=api.headers("admin"), timeout=60) as client:
            listed = _listed_check_in_ids(client, kr)
        assert len(listed) == len(set(listed)) == len(after)
        assert set(listed) == {row_id for row_id, _ in after}

        # Retries, concurrently: every thread re-sends the same 10 used requests and 10 fresh ones, in its own order,
        # so each key is in flight up to 20 times at once. Nothing is recorded twice; every answer is the first.
        retried = random.Random(7).sample(sorted(by_key), 10)
        fresh = [f"{run}-fresh-{i}" for i in range(10)]

        def second_wave(number: int, client: httpx.Client) -> list[Answer]:
            keys = retried + fresh
            random.Random(number).shuffle(keys)
            # a retry re-sends its request unchanged (the same key with another body is refused: test_api_inputs)
            return [_check_in(client, kr, key, by_key[key]["value"] if key in by_key else 6.5) for key in keys]

        second = _in_threads(base_url, api.tokens["admin"], second_wave)

    assert all(a.status == 201 for a in second), _failures(second, 201)
    for key in retried:
        answers = [a for a in second if a.key == key]
        assert len(answers) == THREADS
        assert all(a.replayed and a.body == by_key[key] for a in answers), (key, answers[:2])
    for key in fresh:
        answers = [a for a in second if a.key == key]
        assert len({a.body["id"] for a in answers}) == 1, (key, {a.body["id"] for a in answers})
        assert sum(not a.replayed for a in answers) == 1, (key, Counter(a.replayed for a in answers))
    final = _stored_check_ins(api, kr)
    assert len(final) == len(after) + len(fresh)
    notes = Counter(note for _, note in final)
    assert all(notes[key] == 1 for key in [*by_key, *fresh])

    # What 1 400 concurrent requests left stored is what a rebuild from the history gives.
    objective = api.ids["objective"]
    stored = _scores(api, objective)
    _rebuild(api)
    assert _scores(api, objective) == stored


def test_concurrent_patches_of_one_version_give_one_success_and_nineteen_conflicts(api: Api) -> None:
    objective = api.ids["objective"]
    path = f"/api/v1/objectives/{objective}"
    read = api.client.get(path, headers=api.headers("admin"))
    assert read.status_code == 200
    version = read.json()["version"]

    def patch(number: int, client: httpx.Client) -> list[Answer]:
        title = f"Klanten behouden: churn halveren ({number})"
        return [_answer(title, client.patch(path, json={"title": title, "version": version}))]

    with live_server(api) as base_url:
        answers = _in_threads(base_url, api.tokens["admin"], patch)

    statuses = _statuses(answers)
    assert statuses == Counter({200: 1, 409: THREADS - 1}), _failures(answers, 409)
    (winner,) = [a for a in answers if a.status == 200]
    assert winner.body["version"] == version + 1 and winner.body["title"] == winner.key
    for conflict in (a for a in answers if a.status == 409):
        assert conflict.content_type.startswith(PROBLEM), conflict.content_type
        assert conflict.body["status"] == 409 and conflict.body["title"]
    stored = api.client.get(path, headers=api.headers("admin")).json()
    assert stored["version"] == version + 1 and stored["title"] == winner.key


def _scores(api: Api, objective_id: int) -> tuple[float | None, dict[int, tuple[float, float | None]]]:
    """The objective's stored score and its key results' stored (score, current)."""
    with api.koers.uow(read_only=True) as uow:
        objective = uow.objectives.get(objective_id)
        krs = {
            kr.id: (kr.score, kr.current) for kr in uow.key_results.list(objective_id=objective_id) if kr.id is not None
        }
        return objective.score, krs


def _rebuild(api: Api) -> None:
    with api.koers.uow() as uow:
        recompute_all(uow)


def test_stored_scores_equal_a_rebuild_after_concurrent_check_ins(api: Api) -> None:
    """Rounds of 20 simultaneous check-ins spread over one objective's key results; after each round the stored
    scores (key results' score and current, the objective's roll-up) must equal a rebuild from history.

    Only the last writers of a round can leave a wrong value behind, so the comparison runs after every round."""
    objective = api.ids["objective"]
    with api.koers.uow(read_only=True) as uow:
        krs = [kr for kr in uow.key_results.list(objective_id=objective) if not kr.archived]
    assert len(krs) >= 2  # check-ins on sibling key results race on their objective's roll-up too
    run = uuid.uuid4().hex[:8]
    rounds = 10
    mismatches: list[tuple[int, Any, Any]] = []

    def compare() -> None:  # the barrier's action: runs once per round, while every thread waits
        stored = _scores(api, objective)
        _rebuild(api)
        rebuilt = _scores(api, objective)
        if stored != rebuilt:
            mismatches.append((len(mismatches), stored, rebuilt))

    round_over = threading.Barrier(THREADS, action=compare)

    def check_ins(number: int, client: httpx.Client) -> list[Answer]:
        rng = random.Random(number)
        answers = []
        for i in range(rounds):
            kr = krs[(number + i) % len(krs)]
            value = rng.choice([0.0, 1.0]) if kr.kind == "milestone" else round(rng.uniform(0, 100), 2)
            answers.append(_check_in(client, kr.id or 0, f"{run}-t{number}-r{i}", value))
            round_over.wait(timeout=120)
        return answers

    with live_server(api) as base_url:
        answers = _in_threads(base_url, api.tokens["admin"], check_ins)
    assert all(a.status == 201 for a in answers), _failures(answers, 201)
    assert not mismatches, (
        f"{len(mismatches)} of {rounds} rounds left stored scores a rebuild disagrees with: {mismatches[:3]}"
    )

    before = _scores(api, objective)
    _rebuild(api)
    assert _scores(api, objective) == before
