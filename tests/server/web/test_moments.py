"""Moments into a session as the CLI, the API and ``?t=`` read them (SPEC "Sharing,
clips"), and the doctests of ``server/web/params.py`` (pytest collects doctests only
under tests/ and analysis/)."""
from __future__ import annotations

import doctest

import pytest

from server.errors import BadRequest
from server.web import params
from server.web.params import format_moment, moment_param, parse_moment


def test_the_module_examples_hold():
    assert doctest.testmod(params).failed == 0


@pytest.mark.parametrize("text, expected", [
    ("0", 0),
    ("17000", 17_000),
    ("17s", 17_000),
    ("17.5s", 17_500),
    ("0.125s", 125),
    ("0:17", 17_000),
    ("00:17", 17_000),
    ("12:34", 754_000),
    ("0:17.5", 17_500),
    ("1:00:00", 3_600_000),
    ("10:59:59", 39_599_000),
])
def test_moments_people_write(text, expected):
    assert parse_moment(text) == expected


@pytest.mark.parametrize("text", [
    "", " ", "-1", "17 s", "17m", "17ms", "1h", "0:7", "0:60", "1:60:00", "1::00", ":17", "1:2:3",
    "17.s", "1.2345s", "1e3", "0x10", "١٧", "17s0", "99999999999999",
])
def test_anything_else_is_refused_naming_the_forms(text):
    with pytest.raises(ValueError, match="MM:SS or H:MM:SS"):
        parse_moment(text)


@pytest.mark.parametrize("offset", [0, 999, 17_000, 59_999, 60_000, 3_599_000, 3_600_000, 86_399_000])
def test_a_formatted_moment_reads_back_to_its_whole_second(offset):
    assert parse_moment(format_moment(offset)) == offset // 1000 * 1000


def test_the_api_takes_json_integers_or_text_and_names_the_field():
    assert moment_param("from", 17_000) == 17_000
    assert moment_param("from", "0:17") == 17_000
    assert moment_param("from", None) is None
    for bad in (True, -1, 1.5, "soon", [], {}):
        with pytest.raises(BadRequest, match="^from must be a moment"):
            moment_param("from", bad)
