"""Schemas of data sources: setting one (PUT), what GET shows, a dry run's answer and a pushed value."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from koers.api.schemas.common import Public, Strict, Text
from koers.domain import fields
from koers.domain.sources import MAX_HEADERS, MAX_QUERY, MAX_SELECTOR, MAX_URL
from koers.services.field_types import field_type

SourceKind = Literal["sql", "http_json", "csv", "push"]
Aggregate = Literal["last", "sum", "mean", "count"]
HeaderName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$")]
HeaderValue = Annotated[Text, StringConstraints(max_length=MAX_URL, pattern=r"^[^\r\n]*$")]


class SourceSet(Strict):
    """A data source: the kind and the settings it needs (sql: url, query; http_json: url, selector, headers;
    csv: url (or a file path, admins), column, aggregate; push: nothing). `every` like 15m, 1h, 1d (default 1h).
    Secrets (a URL's password, header values) are stored encrypted and shown as "***"; `env:NAME` reads one from
    the server's environment when the source runs."""

    kind: SourceKind
    url: Annotated[Text, Field(max_length=MAX_URL, examples=["https://bi.example.org/api/nps"])] | None = None
    query: Annotated[Text, Field(max_length=MAX_QUERY, examples=["SELECT avg(score) FROM nps_answers"])] | None = None
    selector: Annotated[Text, Field(max_length=MAX_SELECTOR, examples=["$.data.nps"])] | None = None
    headers: Annotated[dict[HeaderName, HeaderValue], Field(max_length=MAX_HEADERS)] | None = None
    column: Annotated[Text, Field(max_length=200)] | None = None
    aggregate: Aggregate | None = None
    locale: Literal["en", "nl"] | None = Field(
        default=None, description="How numbers in text are written: en 1,234.5 (default), nl 1.234,5"
    )
    every: Annotated[Text, Field(max_length=20, examples=["15m", "1h", "1d"])] | None = None

    def settings(self) -> dict[str, Any]:
        """The fields that were given."""
        return self.model_dump(exclude_none=True)


class SourceDryRun(Strict):
    """Optional settings to try instead of the stored source (nothing is stored either way)."""

    kind: SourceKind | None = None
    url: Annotated[Text, Field(max_length=MAX_URL)] | None = None
    query: Annotated[Text, Field(max_length=MAX_QUERY)] | None = None
    selector: Annotated[Text, Field(max_length=MAX_SELECTOR)] | None = None
    headers: Annotated[dict[HeaderName, HeaderValue], Field(max_length=MAX_HEADERS)] | None = None
    column: Annotated[Text, Field(max_length=200)] | None = None
    aggregate: Aggregate | None = None
    locale: Literal["en", "nl"] | None = None
    every: Annotated[Text, Field(max_length=20)] | None = None


class SourcePublic(Public):
    id: int
    kind: SourceKind
    kpi_id: int | None
    key_result_id: int | None
    every: str | None
    url: str | None
    query: str | None
    selector: str | None
    headers: dict[str, str] | None
    column: str | None
    aggregate: str | None
    locale: str | None
    push_url: str | None = Field(description="Where a push source receives values (POST with X-Koers-Push-Token)")
    last_run_at: datetime | None
    last_value: float | None
    last_error: str | None
    next_run_at: datetime | None
    created_at: datetime | None
    updated_at: datetime | None
    version: int


class SourceSetResult(SourcePublic):
    push_token: str | None = Field(
        default=None, description="A push source's token: shown on this answer only, stored hashed"
    )


class DryRunResult(Public):
    value: float
    raw: str = Field(description="The raw result, cut at 2,000 characters")
    target: str = Field(description="What was asked: the query, or the URL with its secrets hidden")


class SourceRunPublic(Public):
    id: int
    at: datetime
    kind: SourceKind
    target: str
    raw: str | None
    value: float | None
    error: str | None
    measurement_id: int | None
    check_in_id: int | None


class SourceRuns(Public):
    items: list[SourceRunPublic]


class PushValue(Strict):
    value: field_type(fields.MEASUREMENT.fields["value"])  # type: ignore[valid-type]


class PushRecorded(Public):
    value: float
    at: datetime
    measurement_id: int | None
    check_in_id: int | None
