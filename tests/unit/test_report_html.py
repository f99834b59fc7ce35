"""The cycle report's rows built in Python (`reports.html_report`) escape exactly as the template's autoescape would."""

from __future__ import annotations

import pytest
from markupsafe import escape

from koers.reports.html_report import _attention_item, _html, _key_result_row

HOSTILE = ["", "plain", 'R&D <b>"quoted"</b> it\'s', "&amp; already", "<script>alert('x')</script>", "€ 5 > 3 & 2 < 4"]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_value_is_escaped_as_markupsafe_escapes_it(text: str) -> None:
    assert _html(text) == str(escape(text))


def test_a_row_escapes_every_value_of_a_key_result() -> None:
    kr = {"title": "<b>R&D</b>", "owner": "O'Neil", "status": "on_track"}
    text = {"current": "5 <€>", "goal": "≥ 10 <€>", "score": "50,0", "status": "op koers", "expected": 'verwacht "40"'}
    row = str(_key_result_row(kr, text))
    assert "&lt;b&gt;R&amp;D&lt;/b&gt;" in row and "O&#39;Neil" in row and "5 &lt;€&gt;" in row
    assert "verwacht &#34;40&#34;" in row and "<b>" not in row


def test_an_attention_item_escapes_its_titles_and_reasons() -> None:
    item = {"title": "<i>KR</i>", "objective_title": "A & B", "reasons": ["off_track", "guardrail"]}
    html = str(_attention_item(item, lambda code: f"<{code}>"))
    assert "&lt;i&gt;KR&lt;/i&gt;" in html and "(A &amp; B)" in html
    assert "&lt;off_track&gt;, &lt;guardrail&gt;</li>" in html
