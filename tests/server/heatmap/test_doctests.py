"""The examples in the heatmap modules' docstrings hold (pytest collects doctests only
under analysis/)."""
from __future__ import annotations

import doctest

import pytest

from server.heatmap import draw, frame, points, selection


@pytest.mark.parametrize("module", [draw, frame, points, selection])
def test_module_examples(module):
    assert doctest.testmod(module).failed == 0
