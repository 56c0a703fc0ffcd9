"""Findings as a Markdown report or a CSV sheet. Pure: finding dicts in, text out.

Reviewer text is untrusted. In Markdown every ASCII punctuation character is
backslash-escaped (CommonMark renders it literally, so ``<script>`` stays text);
in CSV a cell that starts like a formula is prefixed with ``'`` so spreadsheets
do not evaluate it.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timezone
from typing import Iterable

SEVERITY_NAMES = {1: "cosmetic", 2: "minor", 3: "major", 4: "critical"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#!|~&])")
_MD_LIST_START = re.compile(r"^(\s*)([-+]|\d+\.)(?=\s)", re.MULTILINE)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = ["id", "title", "status", "severity", "tags", "variant", "description", "author", "created",
               "evidence_count", "evidence"]


def _escape_list_marker(match: re.Match) -> str:
    indent, marker = match.groups()
    return indent + (marker[:-1] + "\\." if marker.endswith(".") else "\\" + marker)


def md_escape(text: str) -> str:
    """Backslash-escape Markdown/HTML punctuation; keep line breaks as hard breaks.

    >>> md_escape("<script>*x*</script>")
    '\\\\<script\\\\>\\\\*x\\\\*\\\\</script\\\\>'
    """
    escaped = _MD_LIST_START.sub(_escape_list_marker, _MD_SPECIAL.sub(r"\\\1", text))
    return "  \n".join(escaped.splitlines()) if "\n" in escaped else escaped


def format_offset(ms: int) -> str:
    """``m:ss`` (or ``h:mm:ss``) of a moment into a session.

    >>> format_offset(83_400), format_offset(3_723_000)
    ('1:23', '1:02:03')
    """
    seconds = max(0, ms) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _date(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _severity(value: int) -> str:
    return f"S{value} {SEVERITY_NAMES.get(value, '')}".strip()


def findings_markdown(findings: Iterable[dict], *, title: str = "Usability findings", generated_at: int) -> str:
    findings = list(findings)
    lines = [f"# {title}", "", f"{len(findings)} finding(s), exported {_date(generated_at)}.", ""]
    for finding in findings:
        lines += [f"## {finding['id']}. {md_escape(finding['title'])}", ""]
        facts = [f"**Status:** {finding['status']}", f"**Severity:** {_severity(finding['severity'])}"]
        if finding["variant"]:
            facts.append(f"**Variant:** {md_escape(finding['variant'])}")
        if finding["tags"]:
            facts.append("**Tags:** " + ", ".join(md_escape(tag) for tag in finding["tags"]))
        lines += [" · ".join(facts), ""]
        if finding["description"]:
            lines += [md_escape(finding["description"]), ""]
        if finding["clips"]:
            lines += ["Evidence:", ""]
            for clip in finding["clips"]:
                moment = f"session {clip['session_id'][:8]} at {format_offset(clip['offset_ms'])}"
                lines.append(f"- [{moment}]({clip['link']}) — {md_escape(clip['text'])}")
            lines.append("")
    return "\n".join(lines)


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def findings_csv(findings: Iterable[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for finding in findings:
        evidence = "\n".join(f"{clip['link']} {clip['text']}" for clip in finding["clips"])
        row = [str(finding["id"]), finding["title"], finding["status"], str(finding["severity"]),
               ", ".join(finding["tags"]), finding["variant"] or "", finding["description"], finding["author"],
               _date(finding["created_at"]), str(len(finding["clips"])), evidence]
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()
