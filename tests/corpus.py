"""The labelled dev corpus and its fair scoring rule.

Where it lives: ``tests/fixtures/corpus/`` (a copy of the recordings and labels kept in
the repository, so a fresh clone tests on its own), or ``$REPLAYDESK_CORPUS_DIR`` to
score another labelled folder of the same format. How detectors are scored against labelled recordings
(the corpus README's rule, shared by ``tests/analysis/test_corpus.py`` and
``bench/detectors_second_site.py``): a signal matches a label of its kind when its ``ts``
falls within ``[t_start_ms - 500, t_end_ms + 500]`` on the same URL (navigation kinds:
± 1000 ms); a signal matching a ``not_`` label or no label is a false positive.
"""
from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from analysis import Signal
from analysis.visits import same_page

REPO = Path(__file__).resolve().parent.parent

KINDS = ("rage_click", "dead_click", "error_click", "quick_back", "dead_end")
NAVIGATION_KINDS = frozenset({"quick_back", "dead_end"})
CLICK_SLACK_MS = 500
NAVIGATION_SLACK_MS = 1000


def find_corpus_dir() -> Path:
    configured = os.environ.get("REPLAYDESK_CORPUS_DIR")
    return Path(configured) if configured else REPO / "tests" / "fixtures" / "corpus"


CORPUS_DIR = find_corpus_dir()


def matches(signal: Signal, label: dict) -> bool:
    """True when ``signal`` falls inside ``label`` (same page, the label's span plus slack)."""
    slack = NAVIGATION_SLACK_MS if label["kind"].removeprefix("not_") in NAVIGATION_KINDS else CLICK_SLACK_MS
    on_page = signal.url is not None and same_page(signal.url, label["url"])
    return on_page and label["t_start_ms"] - slack <= signal.ts <= label["t_end_ms"] + slack


@dataclass
class Judgement:
    """One recording's signals judged against its labels, for the kinds scored."""

    true_positives: list[Signal] = field(default_factory=list)
    # each false positive with the look-alike (``not_``) label it fell on, or None
    false_positives: list[tuple[Signal, Optional[dict]]] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    labels: Counter = field(default_factory=Counter)  # labels per kind


def judge(signals: Iterable[Signal], labels: Sequence[dict], kinds: Iterable[str] = KINDS) -> Judgement:
    kinds = set(kinds)
    signals = [signal for signal in signals if signal.kind in kinds]
    judgement = Judgement()
    for signal in signals:
        look_alike = next((label for label in labels
                           if label["kind"] == f"not_{signal.kind}" and matches(signal, label)), None)
        real = any(label["kind"] == signal.kind and matches(signal, label) for label in labels)
        if real and look_alike is None:
            judgement.true_positives.append(signal)
        else:
            judgement.false_positives.append((signal, look_alike))
    for label in (label for label in labels if label["kind"] in kinds):
        judgement.labels[label["kind"]] += 1
        if not any(signal.kind == label["kind"] and matches(signal, label) for signal in signals):
            judgement.missed.append(label)
    return judgement
