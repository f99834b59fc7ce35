"""Data sources of KPIs and key results: the rules a configuration follows and how a raw result becomes a number.

Pure functions (standard library only): `parse_every` ("15m", "1h", "1d"), `select` (a `$.path.to[0].number`
selector over parsed JSON), `aggregate` (last, sum, mean, count over a CSV column) and `number_of` (a raw value as a
finite number, text read by `koers.domain.numbers.parse_number`). The readers that fetch the raw result live in
`koers.integrations.sources`; the use cases in `koers.services.sources`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from koers.domain.errors import ValidationError
from koers.domain.fields import NUMBER_LIMIT
from koers.domain.numbers import parse_number

KINDS: Final = ("sql", "http_json", "csv", "push")
AGGREGATES: Final = ("last", "sum", "mean", "count")
LOCALES: Final = ("en", "nl")
# Kinds that reach into the server itself (a database URL, a file path): admins only (docs/security.md).
ADMIN_ONLY_KINDS: Final = ("sql",)
ENV_PREFIX: Final = "env:"
HIDDEN: Final = "***"  # what a secret looks like when shown back
MIN_EVERY = timedelta(minutes=1)
MAX_EVERY = timedelta(days=366)
DEFAULT_EVERY = timedelta(hours=1)
MAX_QUERY = 10_000
MAX_URL = 2_000
MAX_HEADERS = 20
MAX_SELECTOR = 500
MAX_RAW = 2_000  # characters of a raw result kept as provenance

# The settings each kind takes (besides `kind` and `every`).
KIND_SETTINGS: Final[dict[str, tuple[str, ...]]] = {
    "sql": ("url", "query"),
    "http_json": ("url", "selector", "headers", "locale"),
    "csv": ("url", "column", "aggregate", "headers", "locale"),
    "push": (),
}
_EVERY = re.compile(r"\s*(\d{1,6})\s*([smhd])\s*", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_STEP = re.compile(r"""\.(?P<name>[A-Za-z_][A-Za-z0-9_\-]*)|\[(?P<index>-?\d+)\]|\[(?P<q>["'])(?P<key>.*?)(?P=q)\]""")
_HEADER_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}")


@dataclass
class Source:
    """Where a KPI's measurements or a key result's check-ins come from, and how its last run went."""

    kind: str
    kpi_id: int | None = None
    key_result_id: int | None = None
    every: timedelta | None = None  # None for push: values arrive when they are sent
    config: dict[str, Any] = field(default_factory=dict)  # url (password hidden), query, selector, column, ...
    secret: str | None = None  # encrypted JSON of the secret parts (url with password, header values)
    push_token_hash: str | None = None
    created_by: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    last_run_at: datetime | None = None
    next_run_at: datetime | None = None
    last_value: float | None = None
    last_error: str | None = None
    version: int = 1
    id: int | None = None


@dataclass(frozen=True)
class Reading:
    """One fetched value with its provenance: what was asked (query or URL), the raw result and the number."""

    value: float
    raw: str
    target: str


def parse_every(text: str | None, *, required: bool = True) -> timedelta | None:
    """ "15m", "1h", "1d" (s, m, h, d) as a duration between 1 minute and 366 days; ValidationError otherwise."""
    if text is None or not str(text).strip():
        if required:
            return DEFAULT_EVERY
        return None
    match = _EVERY.fullmatch(str(text))
    if match is None:
        raise ValidationError("source.every_invalid", field="every", value=str(text))
    every = timedelta(seconds=int(match[1]) * _UNITS[match[2].lower()])
    if not MIN_EVERY <= every <= MAX_EVERY:
        raise ValidationError("source.every_out_of_range", field="every", value=str(text))
    return every


def format_every(every: timedelta | None) -> str | None:
    """A duration as the largest whole unit: 900 s is "15m", 86400 s is "1d"."""
    if every is None:
        return None
    seconds = int(every.total_seconds())
    for unit in ("d", "h", "m"):
        if seconds % _UNITS[unit] == 0:
            return f"{seconds // _UNITS[unit]}{unit}"
    return f"{seconds}s"


def selector_steps(selector: str) -> list[str | int]:
    """The steps of a selector: `$.data.items[0]["net score"]` is ["data", "items", 0, "net score"]."""
    text = selector.strip()
    if not text.startswith("$") or len(text) > MAX_SELECTOR:
        raise ValidationError("source.selector_invalid", field="selector", selector=selector)
    steps: list[str | int] = []
    position = 1
    while position < len(text):
        match = _STEP.match(text, position)
        if match is None:
            raise ValidationError("source.selector_invalid", field="selector", selector=selector)
        if match["name"] is not None:
            steps.append(match["name"])
        elif match["index"] is not None:
            steps.append(int(match["index"]))
        else:
            steps.append(match["key"])
        position = match.end()
    return steps


def select(document: Any, selector: str) -> Any:
    """The value a selector points at in parsed JSON; ValidationError (source.selector_missing) when it is absent."""
    value = document
    for step in selector_steps(selector):
        in_list = isinstance(step, int) and isinstance(value, list) and -len(value) <= step < len(value)
        in_object = isinstance(step, str) and isinstance(value, dict) and step in value
        if not (in_list or in_object):
            raise ValidationError("source.selector_missing", selector=selector, step=str(step))
        value = value[step]
    return value


def number_of(value: Any, locale: str = "en") -> float:
    """A raw value as a finite number within the limits: a JSON number, or text read in `locale` (never a boolean)."""
    if isinstance(value, bool) or value is None:
        raise ValidationError("source.not_a_number", value=_short(value))
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        number = parse_number(value.strip(), locale, field="value")
    else:
        raise ValidationError("source.not_a_number", value=_short(value))
    if not math.isfinite(number) or abs(number) > NUMBER_LIMIT:
        raise ValidationError("source.not_a_number", value=_short(value))
    return number


def aggregate(values: Sequence[str], how: str, locale: str = "en") -> float:
    """last, sum, mean or count of a column's cells (empty cells are left out; count counts the others)."""
    cells = [v for v in values if v.strip()]
    if how == "count":
        return float(len(cells))
    if not cells:
        raise ValidationError("source.column_empty")
    if how == "last":
        return number_of(cells[-1], locale)
    numbers = [number_of(c, locale) for c in cells]
    total = math.fsum(numbers)
    return number_of(total if how == "sum" else total / len(numbers))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def is_env_reference(value: str) -> bool:
    """`env:NAME`: the secret is read from the environment variable NAME when the source runs."""
    return value.startswith(ENV_PREFIX) and bool(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value[len(ENV_PREFIX) :]))


def checked_config(kind: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """A source's settings as given, checked for its kind: the fields it needs, and only those (values as text)."""
    if kind not in KINDS:
        raise ValidationError("field.not_one_of", field="kind", name="kind", allowed=", ".join(KINDS), value=kind)
    allowed = KIND_SETTINGS[kind]
    unknown = sorted(set(body) - set(allowed) - {"kind", "every"})
    if unknown:
        raise ValidationError("source.field_unknown", field=unknown[0], name=unknown[0], kind=kind)
    config: dict[str, Any] = {}
    for name in allowed:
        value = body.get(name)
        if name == "headers":
            config[name] = _checked_headers(value)
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            if name in ("locale", "aggregate"):
                config[name] = "en" if name == "locale" else "last"
                continue
            raise ValidationError("source.field_required", field=name, name=name, kind=kind)
        if not isinstance(value, str):
            raise ValidationError("text.invalid", field=name, name=name, value=_short(value))
        limit = MAX_QUERY if name == "query" else MAX_URL
        if len(value) > limit:
            raise ValidationError("text.too_long", field=name, name=name, max=limit)
        config[name] = value.strip()
    if kind == "http_json":
        selector_steps(config["selector"])
    if "aggregate" in config and config["aggregate"] not in AGGREGATES:
        raise ValidationError(
            "field.not_one_of",
            field="aggregate",
            name="aggregate",
            allowed=", ".join(AGGREGATES),
            value=config["aggregate"],
        )
    if "locale" in config and config["locale"] not in LOCALES:
        raise ValidationError(
            "field.not_one_of", field="locale", name="locale", allowed=", ".join(LOCALES), value=config["locale"]
        )
    return config


def _checked_headers(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or len(value) > MAX_HEADERS:
        raise ValidationError("source.headers_invalid", field="headers", max=MAX_HEADERS)
    headers: dict[str, str] = {}
    for name, text in value.items():
        if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name) or not isinstance(text, str):
            raise ValidationError("source.headers_invalid", field="headers", max=MAX_HEADERS)
        if len(text) > MAX_URL or any(c in text for c in "\r\n\x00"):
            raise ValidationError("source.headers_invalid", field="headers", max=MAX_HEADERS)
        headers[name] = text
    return headers


def is_due(source: Source, now: datetime) -> bool:
    """A scheduled source is due when it never ran or its next run time has come; push sources never are."""
    if source.kind == "push" or source.every is None:
        return False
    return source.next_run_at is None or source.next_run_at <= now


def is_file_url(url: str) -> bool:
    """A CSV location on this server's disk (a path or file: URL), not an http(s) URL."""
    return not re.match(r"(?i)https?://", url.strip())


def requires_admin(kind: str, config: Mapping[str, Any]) -> bool:
    """SQL sources and CSV files on the server's disk are configured by admins only."""
    return kind in ADMIN_ONLY_KINDS or (kind == "csv" and is_file_url(str(config.get("url", ""))))
