"""Replaydesk analysis: frustration signals from rrweb event streams, in pure Python.

No Flask, no SQLAlchemy, no network, no clock (see ``analysis/README.md``). The server
calls::

    from analysis import analyze, DetectorConfig, ANALYSIS_VERSION, Signal
    result = analyze(raw_events, config)     # signals, pages, score, counts, to_dict()
    stats = summarize_pages(sessions)        # per-URL visits, signal rates, dead-end rate
"""

from analysis.config import DetectorConfig
from analysis.detectors import DETECTORS, run_detectors
from analysis.events import parse_events
from analysis.pipeline import ANALYSIS_VERSION, AnalysisResult, analyze
from analysis.scoring import PageStats, score_session, summarize_pages
from analysis.signals import Signal, Target
from analysis.timeline import Timeline, build_timeline
from analysis.visits import PageVisit

__all__ = [
    "ANALYSIS_VERSION",
    "DETECTORS",
    "AnalysisResult",
    "DetectorConfig",
    "PageStats",
    "PageVisit",
    "Signal",
    "Target",
    "Timeline",
    "analyze",
    "build_timeline",
    "parse_events",
    "run_detectors",
    "score_session",
    "summarize_pages",
]
