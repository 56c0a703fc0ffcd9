"""Detector thresholds: SPEC defaults, one named field each, with a unit and a reason.

Projects override fields with :meth:`DetectorConfig.from_dict`; results record
:meth:`DetectorConfig.fingerprint` so the server can tell which sessions were analysed
with other settings and re-run them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from typing import Any

from analysis.ignore import IgnoreRule


def _setting(default: Any, unit: str, why: str, minimum: float = 0) -> Any:
    """A config field carrying its unit, its reason and its smallest valid value."""
    return field(default=default, metadata={"unit": unit, "why": why, "minimum": minimum})


DEFAULT_GOAL_URL_PATTERNS = ("*thank*", "*success*", "*confirmation*", "*order-complete*", "*/checkout/complete*")
"""Conventional "you are done" pages (thanks.html, /thank-you, ?status=success, ...);
projects set their own with ``--goal-url``. Matched case-insensitively."""


@dataclass(frozen=True, slots=True)
class DetectorConfig:
    """Every threshold the detectors use.

    >>> config = DetectorConfig.from_dict({"rage_min_clicks": 4, "goal_url_patterns": ["*/done*"]})
    >>> config.rage_min_clicks, config.rage_radius_px, config.goal_url_patterns
    (4, 30.0, ('*/done*',))
    >>> DetectorConfig.from_dict({"rage_clicks": 4})
    Traceback (most recent call last):
    ...
    ValueError: unknown detector setting 'rage_clicks'; known settings: ...
    """

    rage_min_clicks: int = _setting(3, "clicks", "three fast clicks on one spot stop looking accidental (SPEC)", 2)
    rage_max_gap_ms: int = _setting(1000, "ms", "each click within a second of the previous one (SPEC)")
    rage_radius_px: float = _setting(30.0, "px", "all clicks within 30 px of the first: one target (SPEC)")
    deliberate_change_ms: int = _setting(500, "ms", "a visible change this soon after every click means it works (SPEC)")
    dead_click_wait_ms: int = _setting(2500, "ms", "nothing happening for 2.5 s reads as broken (SPEC)")
    error_click_window_ms: int = _setting(1000, "ms", "an error within 1 s of a click is taken as caused by it (SPEC)")
    quick_back_max_dwell_ms: int = _setting(7000, "ms", "back on the previous URL within 7 s: wrong page (SPEC)")
    goal_url_patterns: tuple[str, ...] = _setting(
        DEFAULT_GOAL_URL_PATTERNS, "glob", "visits to goal pages are never dead ends (SPEC; per project)"
    )
    goal_event_tags: tuple[str, ...] = _setting(
        (), "custom event tag", "a visit with one of these events reached a goal (a $task complete always does)"
    )
    thrash_window_ms: int = _setting(1500, "ms", "erratic cursor movement is judged over this window", 1)
    thrash_min_reversals: int = _setting(6, "direction changes", "shaking the mouse, not moving it somewhere", 1)
    thrash_min_leg_px: float = _setting(40.0, "px", "jitter smaller than this is hand tremor, not thrashing")
    excessive_scroll_window_ms: int = _setting(20000, "ms", "scrolling is judged over this window", 1)
    excessive_scroll_min_reversals: int = _setting(4, "direction changes", "up and down again and again: searching")
    excessive_scroll_min_viewports: float = _setting(8.0, "viewport heights", "distance that is more than reading")
    form_abandon_min_fields: int = _setting(2, "fields", "one field can be a search box; two is a form", 1)
    disabled_kinds: tuple[str, ...] = _setting((), "signal kind", "kinds a project does not want reported")
    ignore_selectors: tuple[str, ...] = _setting(
        (), "CSS selector", "clicks on or inside these elements are no signal: known false positives "
        "(data-rd-ignore in the markup does the same)")

    def __post_init__(self) -> None:
        for spec in fields(self):  # validate direct construction too, not only from_dict
            object.__setattr__(self, spec.name, _validated(spec, getattr(self, spec.name)))
        IgnoreRule.from_selectors(self.ignore_selectors)  # refuse what analysis could not match

    @classmethod
    def from_dict(cls, overrides: Mapping[str, object], base: DetectorConfig | None = None) -> DetectorConfig:
        """Validate per-project overrides onto ``base`` (the defaults by default).

        :raise ValueError: an unknown key, a wrong type, or a value below its minimum.
        """
        if not isinstance(overrides, Mapping):
            raise ValueError("detector settings must be an object of name: value")
        known = [spec.name for spec in fields(cls)]
        for name in overrides:
            if name not in known:
                raise ValueError(f"unknown detector setting {name!r}; known settings: {', '.join(known)}")
        return replace(base or cls(), **overrides)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready values (tuples become lists).

        >>> DetectorConfig().to_dict()["dead_click_wait_ms"]
        2500
        """
        return {spec.name: _plain(getattr(self, spec.name)) for spec in fields(self)}

    def fingerprint(self) -> str:
        """A short stable hash of the settings, to version stored results.

        >>> DetectorConfig().fingerprint() == DetectorConfig.from_dict({}).fingerprint()
        True
        >>> DetectorConfig().fingerprint() == DetectorConfig(rage_min_clicks=4).fingerprint()
        False
        """
        canonical = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    @classmethod
    def describe(cls) -> list[dict[str, object]]:
        """Each setting with its default, unit and reason, for docs and settings pages.

        >>> DetectorConfig.describe()[0]["name"]
        'rage_min_clicks'
        """
        return [
            {"name": spec.name, "default": _plain(spec.default if spec.default is not MISSING else None),
             "unit": spec.metadata["unit"], "why": spec.metadata["why"]}
            for spec in fields(cls)
        ]


def _validated(spec: Any, value: object) -> object:
    kind = spec.type if isinstance(spec.type, str) else getattr(spec.type, "__name__", "")
    minimum = spec.metadata["minimum"]
    if kind.startswith("tuple"):
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise ValueError(f"{spec.name} must be a list of strings, got {value!r}")
        if not all(isinstance(item, str) and item.strip() for item in value):
            raise ValueError(f"{spec.name} must contain only non-empty strings, got {value!r}")
        return tuple(item.strip() for item in value)
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "int" and not (numeric and float(value).is_integer()):  # type: ignore[arg-type]
        raise ValueError(f"{spec.name} must be a whole number of {spec.metadata['unit']}, got {value!r}")
    if not numeric or value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{spec.name} must be a number of {spec.metadata['unit']}, got {value!r}")
    if value < minimum:  # type: ignore[operator]
        raise ValueError(f"{spec.name} must be at least {minimum}, got {value!r}")
    return int(value) if kind == "int" else float(value)  # type: ignore[arg-type]


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value
