"""Where the labelled dev corpus lives: ``$REPLAYDESK_CORPUS_DIR``, else
``shared/corpus/dev`` beside the repository or any of its parents."""
from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def find_corpus_dir() -> Path:
    configured = os.environ.get("REPLAYDESK_CORPUS_DIR")
    if configured:
        return Path(configured)
    for ancestor in REPO.parents:
        candidate = ancestor / "shared" / "corpus" / "dev"
        if candidate.is_dir():
            return candidate
    return REPO.parent / "shared" / "corpus" / "dev"  # named in the error when it is missing


CORPUS_DIR = find_corpus_dir()
