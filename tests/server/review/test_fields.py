"""Note and finding input: clean values, or InvalidInput naming the field (the API
answers 400 with that message; live rooms send it back to the observer)."""
from __future__ import annotations

import pytest

from server.review import fields
from server.storage.errors import InvalidInput

START, END = 1_700_000_000_000, 1_700_000_060_000


@pytest.mark.parametrize(("body", "message"), [
    ({"text": "x"}, "ts must be a number"),
    ({"ts": -1, "text": "x"}, "ts must not be negative"),
    ({"ts": END + 61_000, "text": "x"}, "ts lies outside the session"),
    ({"ts": 0, "text": "  "}, "text must not be empty"),
    ({"ts": 0, "text": "x", "severity": 5}, "severity must be 1, 2, 3 or 4"),
    ({"ts": 0, "text": "x", "tags": "ux"}, "tags must be a list"),
    ({"ts": 0, "text": "x", "finding_id": "1"}, "finding_id must be a positive integer id"),
])
def test_bad_notes_name_the_field(body, message):
    with pytest.raises(InvalidInput, match=message):
        fields.note_values(body, started_at=START, latest_ms=END)


def test_ts_is_an_offset_or_epoch_ms():
    assert fields.note_values({"ts": 1500, "text": "x"}, started_at=START, latest_ms=END)["ts"] == START + 1500
    assert fields.note_values({"ts": START + 2000, "text": "x"}, started_at=START, latest_ms=END)["ts"] == START + 2000


def test_an_edit_validates_only_what_it_sends():
    assert fields.note_changes({"tags": ["a", "A", " b "]}, started_at=START, latest_ms=END) == {"tags": ["a", "b"]}
    with pytest.raises(InvalidInput, match="text must not be empty"):
        fields.note_changes({"text": ""}, started_at=START, latest_ms=END)


@pytest.mark.parametrize(("body", "message"), [
    ({}, "title must be a string"),
    ({"title": "x", "status": "done"}, "status must be one of open, accepted, fixed, wontfix"),
    ({"title": "x", "variant": "nocolon"}, "variant must look like experiment:variant"),
])
def test_bad_findings_name_the_field(body, message):
    with pytest.raises(InvalidInput, match=message):
        fields.finding_values(body)


def test_severity_and_status_may_be_left_out_of_an_edit_but_not_nulled():
    assert fields.finding_changes({"title": " T "}) == {"title": "T"}
    with pytest.raises(InvalidInput, match="status may not be null"):
        fields.finding_changes({"status": None})


def test_the_body_must_be_an_object():
    with pytest.raises(InvalidInput, match="Send a JSON object"):
        fields.require_object([1])
