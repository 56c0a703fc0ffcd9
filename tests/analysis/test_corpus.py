"""Precision and recall on the labelled dev corpus, scored by the corpus README's fair rule.

A signal matches a label of its kind when its ``ts`` falls within ``[t_start_ms - 500,
t_end_ms + 500]`` on the same URL (navigation kinds: anywhere in the visit, +-1000 ms).
Signals matching a ``not_`` label, or no label, are false positives. Every kind must
reach precision >= 0.95 and recall >= 0.95, with no signal on a ``not_`` look-alike.

The corpus is kept in the repository (``tests/fixtures/corpus/``); set
``REPLAYDESK_CORPUS_DIR`` to score another labelled folder.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from analysis import analyze
from tests.corpus import CORPUS_DIR, KINDS, judge

MIN_PRECISION = MIN_RECALL = 0.95


RECORDINGS = sorted(CORPUS_DIR.glob("*.json.gz"))  # none found: every test below fails, naming the dir


@dataclass
class Score:
    true_positives: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    on_look_alikes: list[str] = field(default_factory=list)
    labels: int = 0

    @property
    def precision(self) -> float:
        found = len(self.true_positives) + len(self.false_positives)
        return len(self.true_positives) / found if found else 1.0

    @property
    def recall(self) -> float:
        return (self.labels - len(self.missed)) / self.labels if self.labels else 1.0


def score_recording(path: Path, scores: dict[str, Score]) -> None:
    recording = json.loads(gzip.decompress(path.read_bytes()))
    judgement = judge(analyze(recording["events"]).signals, recording["labels"], scores)

    def where(signal) -> str:
        return f"{path.name} {signal.kind} +{signal.ts - recording['events'][0]['timestamp']}ms {signal.url}"

    for signal in judgement.true_positives:
        scores[signal.kind].true_positives.append(where(signal))
    for signal, look_alike in judgement.false_positives:
        scores[signal.kind].false_positives.append(where(signal))
        if look_alike is not None:
            scores[signal.kind].on_look_alikes.append(where(signal))
    for kind, count in judgement.labels.items():
        scores[kind].labels += count
    for label in judgement.missed:
        scores[label["kind"]].missed.append(f"{path.name} {label['kind']} {label['url']} {label.get('notes')}")


@pytest.fixture(scope="module")
def corpus_scores() -> dict[str, Score]:
    scores = {kind: Score() for kind in KINDS}
    for path in RECORDINGS:
        score_recording(path, scores)
    return scores


@pytest.mark.parametrize("kind", KINDS)
def test_precision_and_recall_on_dev_corpus(corpus_scores, kind):
    score = corpus_scores[kind]
    assert score.labels > 0, f"no {kind} labels in {CORPUS_DIR}"
    report = f"{kind}: precision {score.precision:.2f}, recall {score.recall:.2f}\n" + "\n".join(
        [f"FP {where}" for where in score.false_positives] + [f"missed {what}" for what in score.missed])
    assert score.precision >= MIN_PRECISION, report
    assert score.recall >= MIN_RECALL, report


@pytest.mark.parametrize("kind", KINDS)
def test_no_signal_on_look_alikes(corpus_scores, kind):
    assert corpus_scores[kind].on_look_alikes == []


def test_every_recording_is_scored():
    assert len(RECORDINGS) >= 31
