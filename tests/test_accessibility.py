"""Accessibility of the figures that need no browser to check: one colour-blind-safe palette,
captions and text alternatives. (The axe-core audit, keyboard sliders and dark mode are
checked on the built pages in ``tests/test_browser.py``.)

Every explorer registered by ``sepsislab.views`` is checked, so new figures are covered
as soon as they exist.
"""

from __future__ import annotations

import re

import pytest

from sepsislab.interactive import PALETTE
from sepsislab.interactive.themes import COLOUR_KEYS
from sepsislab.registry import load_all_views

EXPLORERS = load_all_views()
KEYS = sorted(EXPLORERS)

NAMED = {
    "white": (255, 255, 255),
    "black": (0, 0, 0),
    "grey": (128, 128, 128),
    "gray": (128, 128, 128),
    "lightgrey": (211, 211, 211),
    "lightgray": (211, 211, 211),
    "darkgrey": (169, 169, 169),
    "darkgray": (169, 169, 169),
}
#: Perceptually uniform, colour-blind-safe scales a continuous map may use by name.
SAFE_SCALES = {"viridis", "cividis"}


def rgb(colour: str) -> tuple[float, float, float] | None:
    """(r, g, b) of a CSS colour as plotly takes it; None for 'transparent'."""
    c = colour.strip().lower()
    if c == "transparent":
        return None
    if c in NAMED:
        return NAMED[c]
    if re.fullmatch(r"#[0-9a-f]{3}", c):
        return tuple(int(ch * 2, 16) for ch in c[1:])
    if re.fullmatch(r"#[0-9a-f]{6}", c):
        return tuple(int(c[i : i + 2], 16) for i in (1, 3, 5))
    m = re.fullmatch(r"rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*[\d.]+\s*)?\)", c)
    if m:
        return tuple(float(v) for v in m.groups())
    raise ValueError(f"cannot read the colour {colour!r}")


PALETTE_RGB = [rgb(c) for c in PALETTE]


def allowed(colour: str) -> bool:
    """A palette colour (any opacity), a palette colour mixed with white, or a neutral grey.

    Tints keep the hue a colour-blind reader can tell apart; greys carry no hue at all.
    """
    value = rgb(colour)
    if value is None or max(value) - min(value) <= 6:
        return True
    for p in PALETTE_RGB:
        span = [255 - ch for ch in p]
        norm = sum(s * s for s in span)
        t = sum((255 - v) * s for v, s in zip(value, span)) / norm if norm else 0
        if 0 < t <= 1.0001 and max(abs(255 - t * s - v) for s, v in zip(span, value)) <= 8:
            return True
    return False


def colours(node, path=""):
    """Every (where, colour) in a trace or layout dict."""
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else key
            if key == "colorscale":
                if isinstance(value, str):
                    yield where, value
                else:
                    yield from ((f"{where}[{i}]", stop[1]) for i, stop in enumerate(value))
            elif key in COLOUR_KEYS:
                for c in value if isinstance(value, (list, tuple)) else [value]:
                    if isinstance(c, str):  # numbers map through a colour scale
                        yield where, c
            else:
                yield from colours(value, where)
    elif isinstance(node, (list, tuple)):
        for i, item in enumerate(node):
            yield from colours(item, f"{path}[{i}]")


def test_palette_is_okabe_ito():
    assert [c.upper() for c in PALETTE] == [
        "#0072B2",
        "#D55E00",
        "#009E73",
        "#CC79A7",
        "#E69F00",
        "#56B4E9",
        "#000000",
        "#F0E442",
    ]


def test_the_colour_rule_accepts_tints_and_greys_and_refuses_other_hues():
    assert allowed("#D55E00") and allowed("rgba(213, 94, 0, 0.3)") and allowed("#999999")
    assert allowed("white") and allowed("transparent") and allowed("#eef3f8")  # a pale #0072B2
    assert not allowed("#ff0000")
    assert not allowed("#00ff00") and not allowed("#8b4513")


@pytest.mark.parametrize("key", KEYS)
def test_every_explorer_draws_with_the_book_palette(key):
    explorer = EXPLORERS[key]
    settings = [{}, {s.name: s.low for s in explorer.sliders}, {s.name: s.high for s in explorer.sliders}]
    found = list(colours(explorer.layout, "layout"))
    for values in settings:
        found += list(colours(explorer.traces(**values), "data"))
    scales = [c for where, c in found if where.endswith("colorscale")]
    assert all(s.lower() in SAFE_SCALES for s in scales), scales
    off = sorted({f"{where} = {c}" for where, c in found if not where.endswith("colorscale") and not allowed(c)})
    assert off == [], "colours outside sepsislab.interactive.PALETTE (tints and greys are fine)"


@pytest.mark.parametrize("key", KEYS)
def test_every_explorer_has_a_caption_and_a_text_alternative(key):
    explorer = EXPLORERS[key]
    assert explorer.caption.strip()
    # The text alternative says what the figure shows, in sentences, and is not the caption.
    assert len(explorer.alt.split()) >= 12 and explorer.alt.rstrip().endswith("."), explorer.alt
    assert explorer.alt.strip() != explorer.caption.strip()
