"""Draw heat points as a transparent PNG the size of the page. Pure: points in, bytes out.

Points are binned, drawn as dots whose strength grows with the log of their count (one
busy button must not hide every other spot), blurred into soft blobs and coloured
blue → green → yellow → red.
"""
from __future__ import annotations

import io
import math
from typing import Iterable

from PIL import Image, ImageDraw, ImageFilter

GRID_PX = 2  # page pixels per drawn pixel: blobs are ~40 px wide, so half resolution looks the same at 1/4 the cost
DOT_RADIUS_PX = 9  # each click is a dot this big...
BLUR_PX = 10  # ...softened into a blob
MAX_WIDTH, MAX_HEIGHT = 4000, 30000  # bigger pages are drawn cropped
# (intensity 0-255, r, g, b, alpha) stops of the colour ramp
RAMP = ((0, 0, 0, 255, 0), (40, 0, 90, 255, 110), (110, 0, 220, 120, 160), (170, 250, 230, 0, 190), (255, 235, 30, 20, 215))


def _ramp_channel(channel: int) -> list[int]:
    """A 256-entry lookup table for one RGBA channel, interpolated between RAMP stops."""
    table = []
    for value in range(256):
        for (v0, *c0), (v1, *c1) in zip(RAMP, RAMP[1:]):
            if v0 <= value <= v1:
                t = (value - v0) / (v1 - v0)
                table.append(round(c0[channel] + (c1[channel] - c0[channel]) * t))
                break
    return table


_LUTS = [_ramp_channel(channel) for channel in range(4)]


def clamp_size(width: int, height: int) -> tuple[int, int]:
    return max(1, min(MAX_WIDTH, width)), max(1, min(MAX_HEIGHT, height))


def render_heatmap(points: Iterable[tuple[float, float]], width: int, height: int) -> bytes:
    """A ``width`` × ``height`` RGBA PNG; transparent where nobody clicked.

    >>> png = render_heatmap([(100, 100), (102, 98), (400, 300)], 640, 480)
    >>> Image.open(io.BytesIO(png)).size, Image.open(io.BytesIO(png)).mode
    ((640, 480), 'RGBA')
    """
    width, height = clamp_size(width, height)
    counts: dict[tuple[int, int], int] = {}
    for x, y in points:
        if 0 <= x < width and 0 <= y < height:
            cell = (int(x // GRID_PX), int(y // GRID_PX))
            counts[cell] = counts.get(cell, 0) + 1
    if not counts:
        return _png(Image.new("RGBA", (width, height), (0, 0, 0, 0)))
    peak = math.log1p(max(counts.values()))
    intensity = Image.new("L", (math.ceil(width / GRID_PX), math.ceil(height / GRID_PX)), 0)
    draw = ImageDraw.Draw(intensity)
    dot = DOT_RADIUS_PX / GRID_PX
    # Weakest first, so where dots overlap the busier spot wins.
    for (cx, cy), n in sorted(counts.items(), key=lambda item: item[1]):
        level = round(80 + 175 * math.log1p(n) / peak)  # one click stays visible beside a thousand
        draw.ellipse((cx - dot, cy - dot, cx + dot, cy + dot), fill=level)
    blurred = intensity.filter(ImageFilter.GaussianBlur(BLUR_PX / GRID_PX))
    top = blurred.getextrema()[1] or 1
    stretched = blurred.point(lambda v: min(255, round(255 * v / top)))
    coloured = Image.merge("RGBA", [stretched.point(lut) for lut in _LUTS])
    return _png(coloured.resize((width, height), Image.Resampling.BILINEAR))


# Scroll depth: warm where (nearly) every visitor looked, cool where few did.
DEPTH_RAMP = ((0, 40, 80, 220, 120), (90, 0, 170, 200, 105), (170, 250, 210, 0, 95), (255, 230, 40, 20, 90))
DEPTH_MARKS = (0.75, 0.5, 0.25)  # a darker line where this share of visitors stopped seeing


def depth_share(depths: list[float], y: float) -> float:
    """The share of visits that showed page pixel ``y`` (saw at least that far down).

    >>> depth_share([800, 1600, 2400, 3200], 1000), depth_share([], 10)
    (0.75, 0.0)
    """
    return sum(1 for depth in depths if depth >= y) / len(depths) if depths else 0.0


def render_scroll_depth(depths: list[float], width: int, height: int) -> bytes:
    """A ``width`` × ``height`` RGBA PNG: each row coloured by the share of visits that
    scrolled at least that far (``depths``: the lowest page pixel each visit showed).

    >>> png = render_scroll_depth([800, 1600], 390, 2000)
    >>> image = Image.open(io.BytesIO(png))
    >>> image.size, image.getpixel((10, 100))[3] > 0, image.getpixel((10, 1900))[3]
    ((390, 2000), True, 0)
    """
    width, height = clamp_size(width, height)
    rows = math.ceil(height / GRID_PX)
    ordered = sorted(depths)
    column = Image.new("RGBA", (1, rows), (0, 0, 0, 0))
    marks = {min(rows - 1, int(_depth_at_share(ordered, share) // GRID_PX)) for share in DEPTH_MARKS if ordered}
    for row in range(rows):
        share = depth_share(ordered, row * GRID_PX)
        if share <= 0:
            continue
        r, g, b, a = _ramp_at(DEPTH_RAMP, round(255 * share))
        column.putpixel((0, row), (r // 2, g // 2, b // 2, 200) if row in marks else (r, g, b, a))
    return _png(column.resize((width, height), Image.Resampling.NEAREST))


def _depth_at_share(ordered: list[float], share: float) -> float:
    """The depth that ``share`` of the visits reached (ordered ascending)."""
    index = min(len(ordered) - 1, max(0, math.ceil(len(ordered) * (1 - share)) - 1))
    return ordered[index]


def _ramp_at(ramp: tuple, value: int) -> tuple[int, int, int, int]:
    for (v0, *c0), (v1, *c1) in zip(ramp, ramp[1:]):
        if v0 <= value <= v1:
            t = (value - v0) / (v1 - v0)
            return tuple(round(a + (b - a) * t) for a, b in zip(c0, c1))  # type: ignore[return-value]
    return tuple(ramp[-1][1:])  # type: ignore[return-value]


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
