"""The analysis package imports no web framework, database layer or stats library."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

BLOCKED = ["flask", "sqlalchemy", "scipy", "requests", "urllib.request", "http.client", "socket", "server"]

PROBE = textwrap.dedent(
    """
    import importlib.abc, sys
    BLOCKED = {blocked!r}

    class Refuse(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if any(name == b or name.startswith(b + ".") for b in BLOCKED):
                raise ImportError("analysis must not import " + name)
            return None

    sys.meta_path.insert(0, Refuse())
    import analysis, analysis.detectors, analysis.event_builders
    from analysis import analyze
    from analysis.event_builders import page_load, element, click_event
    raw = page_load(0, "http://x/", element(10, "a", {{"id": "promo"}})) + [click_event(100, 10, 5, 5)]
    assert analyze(raw).pages
    loaded = sorted(name for name in sys.modules if any(name == b or name.startswith(b + ".") for b in BLOCKED))
    assert not loaded, loaded
    print("ok")
    """
)


def test_analysis_imports_without_io_libraries():
    code = PROBE.format(blocked=BLOCKED)
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


FORBIDDEN_CALLS = [r"\btime\.(time|monotonic|perf_counter)\(", r"\bdatetime\.", r"(?<![\w.])open\(",
                   r"\bos\.environ", r"\brandom\.", r"(?<![\w.])print\(", r"\bimport (os|socket|time)\b"]


# The experiment report bootstraps intervals from a fixed seed: random draws, same result every run.
SEEDED_RANDOMNESS = {"experiments.py": r"np\.random\.default_rng\(BOOTSTRAP_SEED\)"}


def test_no_clock_or_io_calls_in_the_package():
    for path in (REPO / "analysis").rglob("*.py"):
        source = path.read_text()
        if path.name in SEEDED_RANDOMNESS:
            source = re.sub(SEEDED_RANDOMNESS[path.name], "", source)
        for pattern in FORBIDDEN_CALLS:
            assert not re.search(pattern, source), f"{path.relative_to(REPO)} matches {pattern}"
