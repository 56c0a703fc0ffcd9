"""The measures usability reports are written in, over a study's participants: task
completion with an adjusted-Wald interval, time on task as a geometric mean with a
log-t interval, mean SEQ, SUS with a t interval. Methods as in Sauro & Lewis,
*Quantifying the User Experience* (2016):

- completion rates of the small samples studies have: the adjusted-Wald interval (add
  z²/2 successes and z² trials, then Wald), which keeps its 95 % coverage from n = 2
  where the plain Wald interval does not;
- task times are skewed right: the geometric mean (exp of the mean log time) is the
  better middle for samples under about 25, and its interval is the t interval of the
  logs, turned back;
- SEQ and SUS means: t intervals.

Every number is rounded here, once, to what the report shows (rates to 4 decimals,
times to whole ms, SEQ to 2 and SUS to 1 decimal): pages and exports format these.
SciPy gives the t quantiles; like :mod:`analysis.experiments`, nothing on the detector
path imports this module.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Optional

from scipy import stats

CONFIDENCE = 0.95
Z_95 = 1.96
"""The normal quantile of a two-sided 95 % interval, as Sauro & Lewis's tables use it."""


def adjusted_wald(successes: int, n: int, z: float = Z_95) -> dict[str, object]:
    """The completion rate and its adjusted-Wald interval, clipped to [0, 1].

    2 of 3: p̂ = (2 + 1.9208) / (3 + 3.8416) = 0.5731, half-width 1.96 × √(0.5731 × 0.4269 / 6.8416) = 0.3706.

    >>> adjusted_wald(2, 3)
    {'successes': 2, 'n': 3, 'rate': 0.6667, 'ci': [0.2024, 0.9437]}
    >>> adjusted_wald(5, 5)["ci"], adjusted_wald(0, 0)["rate"]
    ([0.5109, 1.0], None)
    """
    if n <= 0:
        return {"successes": 0, "n": 0, "rate": None, "ci": None}
    adjusted_n = n + z * z
    adjusted_p = (successes + z * z / 2) / adjusted_n
    half = z * math.sqrt(adjusted_p * (1 - adjusted_p) / adjusted_n)
    return {"successes": successes, "n": n, "rate": round(successes / n, 4),
            "ci": [round(max(0.0, adjusted_p - half), 4), round(min(1.0, adjusted_p + half), 4)]}


def t_quantile(degrees_of_freedom: int, confidence: float = CONFIDENCE) -> float:
    """The two-sided t quantile: 12.706 for 1 degree of freedom, 4.303 for 2.

    >>> round(t_quantile(1), 3), round(t_quantile(2), 3), round(t_quantile(30), 3)
    (12.706, 4.303, 2.042)
    """
    return float(stats.t.ppf(0.5 + confidence / 2, degrees_of_freedom))


def _mean_and_half_width(values: Sequence[float]) -> tuple[float, Optional[float]]:
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, None
    sd = math.sqrt(sum((value - mean) ** 2 for value in values) / (n - 1))
    return mean, t_quantile(n - 1) * sd / math.sqrt(n)


def geometric_mean_time(times_ms: Sequence[float]) -> dict[str, object]:
    """Time on task of successful attempts: the geometric mean and its log-t interval
    (no interval from a single time), in whole milliseconds.

    10, 20 and 40 s: logs 9.2103, 9.9035, 10.5966, mean 9.9035 → 20,000 ms; sd of the
    logs 0.6931, half-width 4.3027 × 0.6931 / √3 = 1.7219 → exp(8.1816) … exp(11.6254).

    >>> geometric_mean_time([10_000, 20_000, 40_000])
    {'n': 3, 'geometric_mean_ms': 20000, 'ci_ms': [3575, 111900]}
    >>> geometric_mean_time([12_000])["ci_ms"], geometric_mean_time([])["geometric_mean_ms"]
    (None, None)
    """
    positive = [float(t) for t in times_ms if t > 0]
    if not positive:
        return {"n": 0, "geometric_mean_ms": None, "ci_ms": None}
    mean, half = _mean_and_half_width([math.log(t) for t in positive])
    ci = None if half is None else [round(math.exp(mean - half)), round(math.exp(mean + half))]
    return {"n": len(positive), "geometric_mean_ms": round(math.exp(mean)), "ci_ms": ci}


def mean_rating(values: Sequence[float], decimals: int = 2, bounds: tuple[float, float] = (1, 7)) -> dict[str, object]:
    """The mean of ratings (SEQ, SUS scores) with its t interval, kept within the
    scale's ``bounds`` and rounded to ``decimals``.

    6, 5 and 7: sd 1, half-width 4.3027 × 1 / √3 = 2.48, so 3.52 … 8.48, kept below 7.

    >>> mean_rating([6, 5, 7])
    {'n': 3, 'mean': 6.0, 'ci': [3.52, 7.0]}
    >>> mean_rating([], 1)["mean"]
    """
    if not values:
        return {"n": 0, "mean": None, "ci": None}
    mean, half = _mean_and_half_width([float(v) for v in values])
    low, high = bounds
    ci = None if half is None else [round(float(max(low, mean - half)), decimals),
                                    round(float(min(high, mean + half)), decimals)]
    return {"n": len(values), "mean": round(mean, decimals), "ci": ci}
