"""Group event times into episodes: dense bursts, for the bonus detectors."""

from __future__ import annotations


def find_episodes(times: list[int], window_ms: int, min_count: int) -> list[list[int]]:
    """Maximal runs of sorted times where ``min_count`` fall within ``window_ms``.

    An episode starts when a window holds enough times and grows while the next time
    keeps a full window behind it; episodes never overlap.

    >>> find_episodes([0, 100, 200, 300, 5000, 5100], 1000, 3)
    [[0, 100, 200, 300]]
    >>> find_episodes([0, 2000, 4000], 1000, 2)
    []
    """
    episodes: list[list[int]] = []
    start = 0
    while start + min_count <= len(times):
        end = start + min_count - 1
        if times[end] - times[start] > window_ms:
            start += 1
            continue
        while end + 1 < len(times) and times[end + 1] - times[end + 2 - min_count] <= window_ms:
            end += 1
        episodes.append(times[start : end + 1])
        start = end + 1
    return episodes
