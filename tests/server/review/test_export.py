"""The findings report keeps reviewers' Markdown (the subset the UI renders) and turns
everything else into literal text."""
from __future__ import annotations

import doctest

import pytest

from server.review import export
from server.review.export import findings_markdown, md_keep


def test_the_module_examples_hold():
    assert doctest.testmod(export).failed == 0


@pytest.mark.parametrize("text, expected", [
    # the subset stays as written
    ("*soft* **hard** _soft_ `code`", "*soft* **hard** _soft_ `code`"),
    ("- one\n- two\n\n1. first", "- one  \n- two\n\n1. first"),
    ("[docs](https://example.test/a?b=1)", "[docs](https://example.test/a?b=1)"),
    ("```\n<b>\n```", "```\n<b>\n```"),  # code is shown literally by any renderer
    # everything else becomes text
    ("<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)\\>"),
    ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
    ("[x](data:text/html,hi)", "\\[x\\](data:text/html,hi)"),
    ("![pixel](https://tracker.test/p.gif)", "\\!\\[pixel\\](https://tracker.test/p.gif)"),
    ("<https://auto.test>", "\\<https://auto.test\\>"),
    ("[ref]: javascript:alert(1)", "\\[ref\\]: javascript:alert(1)"),
    ("&lt;script&gt;", "\\&lt;script\\&gt;"),
    ("## Heading\n  # another", "\\## Heading  \n  \\# another"),
    ("[a <b>](https://ok.test)", "[a \\<b\\>](https://ok.test)"),
])
def test_markdown_is_kept_and_the_rest_made_text(text, expected):
    assert md_keep(text) == expected


def test_a_report_keeps_descriptions_and_notes_and_escapes_titles():
    finding = {"id": 3, "title": "**Coupon** <b>", "status": "open", "severity": 3, "variant": None, "tags": [],
               "description": "People press **Apply** again:\n- no spinner\n- no message",
               "clips": [{"session_id": "abcdef123456", "offset_ms": 17_000, "link": "http://r.test/sessions/abcdef123456?t=0:17",
                          "text": "She clicks `Apply` four times\nthen leaves"}]}
    report = findings_markdown([finding], generated_at=1_795_000_000_000)
    assert "## 3. \\*\\*Coupon\\*\\* \\<b\\>" in report
    assert "People press **Apply** again:  \n- no spinner  \n- no message" in report
    assert "- [session abcdef12 at 0:17](http://r.test/sessions/abcdef123456?t=0:17) — She clicks `Apply` four times  \n  then leaves" in report
