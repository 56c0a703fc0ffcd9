"""A frustration signal, in the exact shape SPEC.md fixes for the API and storage.

``{kind, ts, end_ts, url, x, y, target: {selector, tag, text}, count, details}``:
``ts``/``end_ts`` are epoch ms, ``x``/``y`` page coordinates of the first click (None
for navigation signals and keyboard clicks), ``target`` describes the clicked element
(all None for navigation signals), ``count`` how many clicks or events make it up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from analysis.moments import Click


@dataclass(frozen=True, slots=True)
class Target:
    """What was clicked, as people read it: ``{selector, tag, text}``."""

    selector: str | None = None
    tag: str | None = None
    text: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"selector": self.selector, "tag": self.tag, "text": self.text}


NO_TARGET = Target()


@dataclass(frozen=True, slots=True)
class Signal:
    """One detected frustration; see the module docstring for the fields."""

    kind: str
    ts: int
    end_ts: int
    url: str | None
    x: float | None = None
    y: float | None = None
    target: Target = NO_TARGET
    count: int = 1
    details: Mapping[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """The SPEC shape, JSON-ready.

        >>> Signal("quick_back", 1000, 4000, "http://x/b", details={"dwell_ms": 3000}).to_dict()
        {'kind': 'quick_back', 'ts': 1000, 'end_ts': 4000, 'url': 'http://x/b', 'x': None, 'y': None, \
'target': {'selector': None, 'tag': None, 'text': None}, 'count': 1, 'details': {'dwell_ms': 3000}}
        """
        return {
            "kind": self.kind,
            "ts": self.ts,
            "end_ts": self.end_ts,
            "url": self.url,
            "x": self.x,
            "y": self.y,
            "target": self.target.to_dict(),
            "count": self.count,
            "details": dict(self.details),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Signal:
        """Rebuild a signal stored with :meth:`to_dict` (the server reads them back).

        >>> signal = Signal("dead_click", 5, 5, "http://x/", 10, 20, Target("#go", "button", "Go"))
        >>> Signal.from_dict(signal.to_dict()) == signal
        True
        """
        target = data.get("target")
        target = target if isinstance(target, Mapping) else {}
        details = data.get("details")
        return cls(
            kind=str(data["kind"]),
            ts=int(data["ts"]),  # type: ignore[call-overload]
            end_ts=int(data.get("end_ts", data["ts"])),  # type: ignore[call-overload]
            url=data.get("url"),  # type: ignore[arg-type]
            x=data.get("x"),  # type: ignore[arg-type]
            y=data.get("y"),  # type: ignore[arg-type]
            target=Target(target.get("selector"), target.get("tag"), target.get("text")),  # type: ignore[arg-type]
            count=int(data.get("count", 1)),  # type: ignore[call-overload]
            details=dict(details) if isinstance(details, Mapping) else {},
        )


def click_signal(kind: str, clicks: list[Click] | tuple[Click, ...], **details: object) -> Signal:
    """A signal about one click or a run of clicks: position and target of the first.

    >>> from analysis.targets import UNKNOWN_TARGET
    >>> clicks = [Click(3, 1000, 10, 20, 0, "http://x/", UNKNOWN_TARGET), Click(5, 1300, 0, 0, 0, "http://x/", UNKNOWN_TARGET)]
    >>> signal = click_signal("rage_click", clicks, duration_ms=300)
    >>> signal.ts, signal.end_ts, signal.x, signal.count, signal.details
    (1000, 1300, 10, 2, {'duration_ms': 300})
    """
    first, last = clicks[0], clicks[-1]
    target = first.target
    return Signal(
        kind=kind,
        ts=first.ts,
        end_ts=last.ts,
        url=first.url,
        x=first.x if first.has_position else None,
        y=first.y if first.has_position else None,
        target=Target(target.selector, target.tag, target.text),
        count=len(clicks),
        details={"keyboard": True, **details} if first.is_keyboard else details,
    )
