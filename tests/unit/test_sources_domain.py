"""The rules of data sources (koers.domain.sources): durations, selectors, numbers, aggregates, settings."""

from __future__ import annotations

from datetime import timedelta

import pytest

from koers.domain.errors import ValidationError
from koers.domain.sources import aggregate, checked_config, format_every, number_of, parse_every, requires_admin, select


@pytest.mark.parametrize(
    ("text", "every"),
    [
        ("15m", timedelta(minutes=15)),
        ("1h", timedelta(hours=1)),
        ("1d", timedelta(days=1)),
        (" 90 S ", timedelta(seconds=90)),
    ],
)
def test_every_reads_a_number_and_a_unit(text: str, every: timedelta) -> None:
    assert parse_every(text) == every
    assert parse_every(format_every(every)) == every


@pytest.mark.parametrize("text", ["15", "1w", "h", "1.5h", "-1h", "15 minutes", "1h30m"])
def test_every_refuses_what_it_cannot_read_with_a_clear_message(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_every(text)
    assert refused.value.code == "source.every_invalid" and "15m, 1h or 1d" in refused.value.message


@pytest.mark.parametrize("text", ["30s", "0m", "367d"])
def test_every_stays_between_a_minute_and_a_year(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_every(text)
    assert refused.value.code == "source.every_out_of_range"


def test_the_selector_walks_objects_lists_and_quoted_keys() -> None:
    document = {"data": {"items": [{"v": 1}, {"v": 2.5}], "net score": "71,5", "n": None, "ok": True}}
    assert select(document, "$.data.items[1].v") == 2.5
    assert select(document, "$.data.items[-1].v") == 2.5
    assert select(document, '$.data["net score"]') == "71,5"
    assert number_of(select(document, "$['data']['net score']"), "nl") == 71.5
    for missing in ("$.data.items[2].v", "$.data.nope", "$.data.items.v"):
        with pytest.raises(ValidationError) as refused:
            select(document, missing)
        assert refused.value.code == "source.selector_missing"
    for bad in ("data.items", "$..v", "$.data[*]", "$.data.items[?(@.v>1)]", "$ .data"):
        with pytest.raises(ValidationError) as refused:
            select(document, bad)
        assert refused.value.code == "source.selector_invalid"
    for not_a_number in (None, True, {"v": 1}, "n/a", float("nan"), 1e16):
        with pytest.raises(ValidationError):
            number_of(not_a_number)


def test_aggregates_of_a_column() -> None:
    cells = ["1.5", "", "2", "3"]
    assert aggregate(cells, "last") == 3
    assert aggregate(cells, "sum") == 6.5
    assert aggregate(cells, "mean") == pytest.approx(6.5 / 3)
    assert aggregate(cells, "count") == 3
    assert aggregate(["1.234,5", "0,5"], "sum", "nl") == 1235.0
    assert aggregate([], "count") == 0
    with pytest.raises(ValidationError):
        aggregate(["", " "], "last")


def test_each_kind_takes_its_own_settings_and_only_those() -> None:
    assert checked_config("sql", {"kind": "sql", "url": "sqlite:///x.db", "query": "select 1", "every": "1h"}) == {
        "url": "sqlite:///x.db",
        "query": "select 1",
    }
    assert checked_config("csv", {"url": "/data/x.csv", "column": "n"})["aggregate"] == "last"
    with pytest.raises(ValidationError) as unknown:
        checked_config("sql", {"url": "sqlite:///x.db", "query": "select 1", "selector": "$.x"})
    assert unknown.value.code == "source.field_unknown"
    with pytest.raises(ValidationError) as missing:
        checked_config("http_json", {"url": "https://example.org/x"})
    assert missing.value.code == "source.field_required" and missing.value.field == "selector"
    with pytest.raises(ValidationError):
        checked_config("http_json", {"url": "https://x", "selector": "$.a", "headers": {"X-A": "1\r\nX-B: 2"}})
    assert requires_admin("sql", {}) and requires_admin("csv", {"url": "/etc/x.csv"})
    assert requires_admin("csv", {"url": "file:///etc/x.csv"}) and not requires_admin("csv", {"url": "https://x/y.csv"})
    assert not requires_admin("http_json", {"url": "http://x"}) and not requires_admin("push", {})
