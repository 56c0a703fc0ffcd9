"""Findings as a Markdown report or a CSV sheet. Pure: finding dicts in, text out.

Reviewer text is untrusted. Titles and tags have every Markdown character
backslash-escaped (CommonMark renders it literally, so ``<script>`` stays text).
Descriptions and notes are Markdown themselves (the review UI renders emphasis, code,
lists and http(s) links): they keep that subset and lose the rest, so raw HTML, other
link schemes, images and headings come out as literal text (:func:`md_keep`).
In CSV a cell that starts like a formula is prefixed with ``'`` so spreadsheets do
not evaluate it.
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


# Code spans and fenced blocks are kept byte for byte: CommonMark shows them literally.
_MD_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)
# [text](http(s)://…): the one link form kept; any other bracket, a "!" before one
# (an image would load a remote file), "<", ">" and "&" (raw HTML, autolinks, entities)
# and a "#" opening a line (a heading inside the report's own structure) are escaped.
_MD_HTTP_LINK = re.compile(r"(?<!!)\[([^\[\]\n]*)\]\((https?://[^\s()<>]+)\)", re.IGNORECASE)
_MD_UNSAFE = re.compile(r"([<>&\[\]]|!(?=\[)|^[ \t]*#)", re.MULTILINE)
# A single line break inside text: the UI shows it, so the export keeps it (a hard break).
_HARD_BREAK = re.compile(r"(?<=\S)\n(?=[^\n])")


def _escape_unsafe(text: str) -> str:
    return _MD_UNSAFE.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], text)


def _keep_outside_code(text: str) -> str:
    kept, last = [], 0
    for link in _MD_HTTP_LINK.finditer(text):
        kept.append(_escape_unsafe(text[last:link.start()]))
        kept.append(f"[{_escape_unsafe(link.group(1))}]({link.group(2)})")
        last = link.end()
    kept.append(_escape_unsafe(text[last:]))
    return _HARD_BREAK.sub("  \n", "".join(kept))


def md_keep(text: str) -> str:
    """Markdown written by a reviewer, kept as the review UI shows it: emphasis, code,
    lists and http(s) links intact, single line breaks as hard breaks, everything else
    (HTML, other link schemes, images, headings) escaped into literal text.

    >>> md_keep("Press **Apply**: `<b>` [docs](https://x.test/a) [bad](javascript:alert(1)) <script>")
    'Press **Apply**: `<b>` [docs](https://x.test/a) \\\\[bad\\\\](javascript:alert(1)) \\\\<script\\\\>'
    >>> md_keep("# Not a heading\\n- one\\n- two")
    '\\\\# Not a heading  \\n- one  \\n- two'
    """
    parts = _MD_CODE.split(text)
    return "".join(part if index % 2 else _keep_outside_code(part) for index, part in enumerate(parts))


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
            lines += [md_keep(finding["description"]), ""]
        if finding["clips"]:
            lines += ["Evidence:", ""]
            for clip in finding["clips"]:
                moment = f"session {clip['session_id'][:8]} at {format_offset(clip['offset_ms'])}"
                note = md_keep(clip["text"]).replace("\n", "\n  ")  # continuation lines stay in the item
                lines.append(f"- [{moment}]({clip['link']}) — {note}")
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
