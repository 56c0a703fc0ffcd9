"""A fresh clone tests on its own: the labelled corpus and every fixture live inside
the repository, and no test or bench reaches for files beside it."""
from __future__ import annotations

import json
import os
import re

from tests.corpus import REPO, find_corpus_dir

# A path that climbs above the repository: "../…", REPO.parent, or a ".." path part.
OUTSIDE_PATHS = re.compile(r"""["']\.\./|REPO\.parent|["']\.\.["']\s*/""")


def test_the_corpus_is_found_inside_the_repository(monkeypatch):
    monkeypatch.delenv("REPLAYDESK_CORPUS_DIR", raising=False)
    corpus = find_corpus_dir()
    assert corpus.resolve().is_relative_to(REPO)
    manifest = json.loads((corpus / "manifest.json").read_text())
    recordings = sorted(corpus.glob("*.json.gz"))
    assert len(recordings) >= 30 and len(manifest["sessions"]) == len(recordings)


def test_no_test_or_bench_reads_beside_the_repository():
    sources = [*REPO.joinpath("tests").rglob("*.py"), *REPO.joinpath("bench").rglob("*.py"), REPO / "Makefile",
               REPO / ".ci" / "run"]
    offenders = [str(path.relative_to(REPO)) for path in sources
                 if path.name != os.path.basename(__file__) and OUTSIDE_PATHS.search(path.read_text())]
    assert offenders == []
