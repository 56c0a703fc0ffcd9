"""Compare A/B variants: rates and distributions per variant, with confidence
intervals and a significance test from SciPy.

The one module of ``analysis`` that imports SciPy; nothing else imports it (the
detectors stay free of stats libraries). Input is one :class:`SessionOutcome` per
session; the server builds them from its tables.

Tests and why:

- *rates* (goal completion, sessions with a dead end): Wilson score intervals, which
  stay inside [0, 1] and behave on small samples; Fisher's exact test for two
  variants (exact, no large-sample assumption), Pearson's chi-square for more.
- *per-session amounts* (time on task, signals per session): skewed and often zero,
  so no normality is assumed: a bootstrap percentile interval on the mean (fixed
  seed, so a report reads the same twice), and the Mann-Whitney U test (two
  variants) or Kruskal-Wallis H (more) for significance.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
BOOTSTRAP_RESAMPLES = 2000  # enough for two stable decimals on a 95% interval
BOOTSTRAP_SEED = 20261124
RATE_TESTS = {2: "Fisher's exact test", "k": "Pearson's chi-square test"}
AMOUNT_TESTS = {2: "Mann-Whitney U test", "k": "Kruskal-Wallis H test"}


@dataclass(frozen=True)
class SessionOutcome:
    """What one session did, for the comparison."""

    variant: str
    completed: bool | None = None  # reached the goal; None when the goal does not apply
    task_times_ms: Sequence[int] = ()  # durations of completed tasks
    signals: Mapping[str, int] = field(default_factory=dict)  # count by kind
    dead_end: bool = False


def rate_summary(successes: int, n: int) -> dict[str, object]:
    """A rate with its Wilson interval.

    >>> rate_summary(7, 20)
    {'n': 20, 'successes': 7, 'rate': 0.35, 'ci': [0.1812, 0.5671]}
    >>> rate_summary(0, 0)["ci"] is None
    True
    """
    if n == 0:
        return {"n": 0, "successes": 0, "rate": None, "ci": None}
    interval = stats.binomtest(successes, n).proportion_ci(confidence_level=CONFIDENCE, method="wilson")
    return {"n": n, "successes": successes, "rate": round(successes / n, 4),
            "ci": [round(float(interval.low), 4), round(float(interval.high), 4)]}


def amount_summary(values: Sequence[float]) -> dict[str, object]:
    """Mean, median and a bootstrap interval on the mean (never below the smallest value).

    >>> summary = amount_summary([0, 0, 0, 1, 0, 2])
    >>> summary["mean"], summary["ci"][0] >= 0
    (0.5, True)
    >>> amount_summary([5])["ci"] is None, amount_summary([3, 3])["ci"]
    (True, [3.0, 3.0])
    """
    n = len(values)
    if n == 0:
        return {"n": 0, "mean": None, "median": None, "ci": None}
    mean = sum(values) / n
    median = float(stats.scoreatpercentile(values, 50))
    ci = None
    if n > 1 and len(set(values)) == 1:
        ci = [float(values[0])] * 2
    elif n > 1:
        result = stats.bootstrap((list(values),), np.mean, confidence_level=CONFIDENCE, n_resamples=BOOTSTRAP_RESAMPLES,
                                 method="percentile", rng=np.random.default_rng(BOOTSTRAP_SEED))
        ci = [round(float(result.confidence_interval.low), 4), round(float(result.confidence_interval.high), 4)]
    return {"n": n, "mean": round(mean, 4), "median": round(median, 4), "ci": ci}


def _finite(p: float) -> float | None:
    return None if p is None or math.isnan(p) else round(float(p), 6)


def compare_rates(groups: Mapping[str, tuple[int, int]]) -> dict[str, object] | None:
    """Significance of differences between rates ``{variant: (successes, n)}``.

    >>> compare_rates({"A": (2, 20), "B": (12, 20)})["test"]
    "Fisher's exact test"
    >>> round(compare_rates({"A": (2, 20), "B": (12, 20)})["p_value"], 4)
    0.0022
    """
    usable = {k: v for k, v in groups.items() if v[1] > 0}
    if len(usable) < 2:
        return None
    table = [[s, n - s] for s, n in usable.values()]
    if len(usable) == 2:
        p = stats.fisher_exact(table).pvalue
        return {"test": RATE_TESTS[2], "p_value": _finite(p)}
    if any(sum(col) == 0 for col in zip(*table)):
        return {"test": RATE_TESTS["k"], "p_value": 1.0}  # everyone the same: no difference to test
    return {"test": RATE_TESTS["k"], "p_value": _finite(stats.chi2_contingency(table).pvalue)}


def compare_amounts(groups: Mapping[str, Sequence[float]]) -> dict[str, object] | None:
    """Significance of differences between distributions ``{variant: values}``.

    >>> compare_amounts({"A": [0, 0, 1, 0, 0, 0], "B": [2, 3, 1, 2, 4, 3]})["test"]
    'Mann-Whitney U test'
    """
    usable = {k: list(v) for k, v in groups.items() if len(v) > 0}
    if len(usable) < 2:
        return None
    values = list(usable.values())
    if len({x for group in values for x in group}) == 1:
        return {"test": AMOUNT_TESTS[2 if len(values) == 2 else "k"], "p_value": 1.0}
    if len(values) == 2:
        p = stats.mannwhitneyu(values[0], values[1], alternative="two-sided").pvalue
        return {"test": AMOUNT_TESTS[2], "p_value": _finite(p)}
    return {"test": AMOUNT_TESTS["k"], "p_value": _finite(stats.kruskal(*values).pvalue)}


def compare_variants(outcomes: Iterable[SessionOutcome], signal_kinds: Sequence[str]) -> dict[str, object]:
    """The side-by-side report: sessions, goal completion, time on task, signals per
    session by kind, dead-end rate; each metric with per-variant values and a test.

    >>> rows = [SessionOutcome("A", True, signals={"dead_click": 2}), SessionOutcome("B", False)]
    >>> report = compare_variants(rows, ["dead_click"])
    >>> report["sessions"], report["metrics"][0]["name"]
    ({'A': 1, 'B': 1}, 'goal_completion')
    """
    by_variant: dict[str, list[SessionOutcome]] = {}
    for outcome in outcomes:
        by_variant.setdefault(outcome.variant, []).append(outcome)
    variants = sorted(by_variant)
    metrics = [
        _rate_metric("goal_completion", {v: [o.completed for o in by_variant[v] if o.completed is not None] for v in variants}),
        _amount_metric("time_on_task_ms", {v: [t for o in by_variant[v] for t in o.task_times_ms] for v in variants}),
        *(_amount_metric(f"signals_per_session.{kind}", {v: [o.signals.get(kind, 0) for o in by_variant[v]] for v in variants})
          for kind in signal_kinds),
        _rate_metric("dead_end_rate", {v: [o.dead_end for o in by_variant[v]] for v in variants}),
    ]
    return {"variants": variants, "sessions": {v: len(by_variant[v]) for v in variants}, "metrics": metrics,
            "confidence": CONFIDENCE, "tests_explained": __doc__.split("Tests and why:")[1].strip()}


def _rate_metric(name: str, flags: Mapping[str, list[bool]]) -> dict[str, object]:
    counts = {v: (sum(1 for f in values if f), len(values)) for v, values in flags.items()}
    return {"name": name, "kind": "rate", "per_variant": {v: rate_summary(*c) for v, c in counts.items()},
            "comparison": compare_rates(counts)}


def _amount_metric(name: str, values: Mapping[str, list[float]]) -> dict[str, object]:
    return {"name": name, "kind": "amount", "per_variant": {v: amount_summary(vs) for v, vs in values.items()},
            "comparison": compare_amounts(values)}
