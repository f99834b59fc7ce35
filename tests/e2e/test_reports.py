"""The cycle report (API and `koers report`) in each format, and the weekly digest: what a reader gets, and what an
outsider never gets (team-visible objectives, in titles or in counts)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from koers.reports.digest_html import digest_html
from koers.services.read.digest import team_digest
from koers.services.read.report import cycle_report
from tests import builders
from tests.builders import MARKER

HIDDEN = "Reorganise the support desk"  # team A's team-visible objective in the builders' organisation


def _report(api, caller: str, **params) -> object:
    return api.client.get(f"/api/v1/reports/cycles/{api.ids['cycle']}", params=params, headers=api.headers(caller))


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _column(sheet, header: str) -> list[object]:
    """The cells under the one header `header` in the sheet's first row (columns found by header, not by place)."""
    headers = [cell.value for cell in sheet[1]]
    assert headers.count(header) == 1, headers
    index = headers.index(header)
    return [row[index] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_each_format_as_the_api_returns_it(api):
    html = _report(api, "owner", format="html")
    assert html.status_code == 200 and html.headers["content-type"] == "text/html; charset=utf-8"
    assert 'filename="koers-report-' in html.headers["content-disposition"]
    assert "script-src" not in html.headers["content-security-policy"]
    assert "Keep customers longer" in html.text and "Cancellations from 10% to 5%" in html.text
    assert "<svg" in html.text  # a chart per key result, inline
    assert "Cyclusrapport" in html.text  # the owner's language is Dutch

    english = _report(api, "owner", format="html", lang="en")
    assert "Cycle report" in english.text and "Cyclusrapport" not in english.text

    pdf = _report(api, "owner", format="pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and pdf.headers["content-disposition"].endswith('.pdf"')

    xlsx = _report(api, "owner", format="xlsx")
    assert xlsx.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = book.worksheets[0]
    assert "Cancellations from 10% to 5%" in _column(sheet, "Kernresultaat")  # the title, under a Dutch header
    assert api.ids["key_result"] in _column(sheet, "Kernresultaat-id")

    text = _report(api, "owner", format="csv")
    assert text.headers["content-type"] == "text/csv; charset=utf-8"
    rows = _csv_rows(text.text)
    assert {"objective", "key_result", "score", "status"} <= set(rows[0])
    assert [r["score"] for r in rows if r["key_result"] == "Cancellations from 10% to 5%"] != []


def test_unknown_cycle_team_and_format_are_refused(api):
    assert api.client.get("/api/v1/reports/cycles/99999", headers=api.headers("owner")).status_code == 404
    assert _report(api, "owner", team_id=99999).status_code == 404
    assert _report(api, "owner", format="docx").status_code == 422


def test_spreadsheet_cells_that_look_like_formulas_are_neutralised(api):
    title = '=HYPERLINK("http://example.org","x")'
    answer = api.client.patch(
        f"/api/v1/key-results/{api.ids['key_result']}", json={"title": title}, headers=api.headers("admin")
    )
    assert answer.status_code == 200, answer.text
    book = load_workbook(io.BytesIO(_report(api, "admin", format="xlsx", lang="en").content))
    cells = _column(book.worksheets[0], "Key result")
    assert "'" + title in cells and title not in cells
    rows = _csv_rows(_report(api, "admin", format="csv").text)
    assert "'" + title in [r["key_result"] for r in rows]


def test_an_outsiders_report_holds_no_team_visible_objective_nor_counts_it(api):
    with api.koers.uow() as uow:
        builders.private_records(
            uow, builders.Organisation(**{k: api.ids[k] for k in builders.Organisation.__annotations__})
        )
    for fmt in ("html", "csv"):
        outsider = _report(api, "other", format=fmt).text
        insider = _report(api, "owner", format=fmt).text
        assert HIDDEN not in outsider and MARKER not in outsider
        assert HIDDEN in insider and MARKER in insider
    book = load_workbook(io.BytesIO(_report(api, "other", format="xlsx").content))
    assert not any(MARKER in str(cell) for row in book.worksheets[0].iter_rows(values_only=True) for cell in row)

    with api.koers.uow(read_only=True) as uow:
        everything = cycle_report(uow, uow.cycles.get(api.ids["cycle"]), date.today())
    users = {}
    with api.koers.uow(read_only=True) as uow:
        users = {who: uow.users.get(api.ids[who]) for who in ("other", "owner")}
    with api.koers.uow(read_only=True, actor=users["other"]) as uow:
        outsider = cycle_report(uow, uow.cycles.get(api.ids["cycle"]), date.today())
    hidden = [o for o in everything["objectives"] if o["visibility"] == "team"]
    hidden_krs = sum(len(o["key_results"]) for o in hidden)
    assert len(hidden) >= 2 and hidden_krs >= 2
    assert outsider["totals"]["objectives"] == everything["totals"]["objectives"] - len(hidden)
    assert outsider["totals"]["key_results"] == everything["totals"]["key_results"] - hidden_krs
    assert sum(outsider["totals"]["by_status"].values()) == outsider["totals"]["key_results"]

    with api.koers.uow(read_only=True, actor=users["other"]) as uow:
        digest = team_digest(uow, api.ids["owner_team"], date.today())
    body = digest_html(digest, "nl")
    assert HIDDEN not in body and MARKER not in body and "Keep customers longer" in body


def test_the_weekly_digest_shows_the_teams_key_results_and_their_change(api):
    with api.koers.uow(read_only=True) as uow:
        digest = team_digest(uow, api.ids["owner_team"], date.today())
    titles = {kr["title"] for kr in digest["key_results"]}
    assert "Cancellations from 10% to 5%" in titles and "On-time deliveries above 90%" not in titles
    for kr in digest["key_results"]:
        assert kr["score_change"] == pytest.approx(kr["score"] - kr["score_before"], abs=0.051)
    body = digest_html(digest, "en")
    assert "Weekly digest Support" in body and "Cancellations from 10% to 5%" in body


@pytest.mark.parametrize("fmt", ["html", "csv"])
def test_koers_report_prints_text_formats(cli, fmt):
    cli("demo")
    result = cli("report", "--cycle", _demo_quarter(), "--format", fmt, "--lang", "nl")
    assert result.code == 0, result.err
    assert "Klanten behouden: churn halveren" in result.out
    if fmt == "html":
        assert "Cyclusrapport" in result.out and "<svg" in result.out
    else:
        assert any(r["objective"] == "Klanten behouden: churn halveren" for r in _csv_rows(result.out))


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_koers_report_writes_binary_formats_to_a_file(cli, fmt, tmp_path):
    cli("demo")
    out = tmp_path / f"r.{fmt}"
    result = cli("report", "--cycle", _demo_quarter(), "--format", fmt, "-o", str(out))
    assert result.code == 0, result.err
    content = out.read_bytes()
    if fmt == "pdf":
        assert content.startswith(b"%PDF")
    else:
        titles = {row[3] for row in load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True)}
        assert "Klanten behouden: churn halveren" in titles


def test_koers_report_refuses_an_unknown_cycle_and_binary_output_to_a_terminal(cli, monkeypatch):
    result = cli("report", "--cycle", "1999-Q1")
    assert result.code == 1 and "1999-Q1" in result.err
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    result = cli("report", "--cycle", "1999-Q1", "--format", "pdf")
    assert result.code == 1 and "-o FILE" in result.err


def _demo_quarter() -> str:
    today = date.today()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"
