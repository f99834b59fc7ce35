"""The cycle report from the cycles page: each format as a download, built as the logged-in viewer, in their language;
an outsider's report holds no team-visible objective; anonymous visitors go to the login page."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests import builders
from tests.builders import MARKER
from tests.e2e.test_web_pages import get, text_of

HIDDEN = "Reorganise the support desk"  # team A's team-visible objective in the builders' organisation


def _report(api, caller: str, query: str = ""):
    return get(api, caller, f"/cycles/{api.ids['cycle']}/report{query}")


def test_the_cycles_page_links_each_cycles_report_and_offers_a_team(sqlite_api):
    api = sqlite_api
    html = get(api, "owner", "/cycles").text
    base = f"/cycles/{api.ids['cycle']}/report"
    for fmt in ("html", "pdf", "xlsx", "csv"):
        assert f'href="{base}?format={fmt}"' in html
    assert f'action="{base}"' in html and 'name="team_id"' in html
    assert f'<option value="{api.ids["owner_team"]}">' in html
    page = text_of(html)
    assert "Rapport van" in page and "Hele organisatie" in page and "Teamrapport ophalen" in page


def test_each_format_downloads_with_its_type_in_the_viewers_language(sqlite_api):
    api = sqlite_api
    html = _report(api, "owner", "?format=html")
    assert html.status_code == 200 and html.headers["content-type"] == "text/html; charset=utf-8"
    assert html.headers["content-disposition"].startswith("inline; filename=")  # opens in the browser
    policy = html.headers["content-security-policy"]
    assert "script-src" not in policy and "style-src 'unsafe-inline'" in policy and "default-src 'none'" in policy
    assert "Cyclusrapport" in html.text and "Keep customers longer" in html.text  # the owner reads Dutch
    assert "<script" not in html.text
    assert html.headers["cache-control"] == "no-store" and html.headers["x-content-type-options"] == "nosniff"

    pdf = _report(api, "owner", "?format=pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-disposition"].startswith('attachment; filename="koers-report-')
    assert pdf.headers["content-disposition"].endswith('.pdf"')

    xlsx = _report(api, "owner", "?format=xlsx")
    assert xlsx.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert xlsx.headers["content-disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers.count("Kernresultaat") == 1, headers  # the title's column, found by its Dutch header
    titles = [row[headers.index("Kernresultaat")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "Cancellations from 10% to 5%" in titles

    text = _report(api, "owner", "?format=csv")
    assert text.headers["content-type"] == "text/csv; charset=utf-8"
    assert text.headers["content-disposition"].endswith('.csv"')
    assert {"objective", "key_result", "score"} <= set(next(csv.DictReader(io.StringIO(text.text))))


def test_a_team_report_holds_only_that_teams_objectives(sqlite_api):
    api = sqlite_api
    answer = _report(api, "owner", f"?format=csv&team_id={api.ids['other_team']}")
    assert answer.status_code == 200
    assert f'-team-{api.ids["other_team"]}.csv"' in answer.headers["content-disposition"]
    titles = {row["key_result"] for row in csv.DictReader(io.StringIO(answer.text))}
    assert "Cancellations from 10% to 5%" not in titles


def test_an_outsiders_download_holds_no_team_visible_objective(api):
    with api.koers.uow() as uow:
        builders.private_records(
            uow, builders.Organisation(**{k: api.ids[k] for k in builders.Organisation.__annotations__})
        )
    for query in ("?format=html", "?format=csv", f"?format=html&team_id={api.ids['owner_team']}"):
        outsider, insider = _report(api, "other", query).text, _report(api, "owner", query).text
        assert HIDDEN not in outsider and MARKER not in outsider
        assert HIDDEN in insider and MARKER in insider
    book = load_workbook(io.BytesIO(_report(api, "other", "?format=xlsx").content))
    assert not any(MARKER in str(cell) for row in book.worksheets[0].iter_rows(values_only=True) for cell in row)


def test_unknown_format_cycle_and_team_answer_a_page_not_an_error(sqlite_api):
    api = sqlite_api
    for query in ("?format=docx", "?format=" + "x" * 40):
        answer = _report(api, "owner", query)
        assert answer.status_code in (404, 422) and "text/html" in answer.headers["content-type"]
    assert "Dit rapportformaat bestaat niet." in text_of(_report(api, "owner", "?format=docx").text)
    for team in ("99999", "0", "abc", "9" * 12):  # no silent fall back to the whole organisation's report
        assert _report(api, "owner", f"?format=csv&team_id={team}").status_code == 404
    for path in (
        "/cycles/99999/report",
        "/cycles/0/report",
        f"/cycles/{2**31}/report",
        "/cycles/" + "9" * 30 + "/report",
    ):
        assert get(api, "owner", path).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(sqlite_api):
    api = sqlite_api
    api.client.cookies.clear()
    answer = api.client.get(f"/cycles/{api.ids['cycle']}/report?format=pdf")
    assert answer.status_code == 303 and "/login" in answer.headers["location"]
