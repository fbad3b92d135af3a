"""Light and dark looks of every figure, derived from one palette.

The views draw with :data:`PALETTE` (Okabe & Ito's colour-blind-safe colours), its tints
(a palette colour mixed with white, for fills) and neutral greys. A *theme* maps each of
those colours to the colour drawn on that theme's background:

* a palette colour becomes its **shade** for the theme: the same hue, moved towards black
  (light theme) or white (dark theme) just far enough to reach :data:`MIN_CONTRAST` against
  the plot background (WCAG 2.1 success criterion 1.4.11, non-text contrast: 3:1);
* a tint keeps its share of the palette colour, now mixed with the theme's background;
* a grey keeps its place between background (white) and text (black): white paper becomes
  the dark background, a black line becomes the dark theme's text colour.

:func:`themed` applies a theme to a view's traces and layout. The static figures of the book
carry both looks and switch when the reader toggles the theme (``sepsislab-explorer.js``);
live widgets in JupyterLab follow its dark theme through :func:`jupyterlab_css`.
"""

from __future__ import annotations

import re
from functools import cache

#: Okabe & Ito's colour-blind-safe palette, used by every figure of the book.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

#: Least contrast of a line or marker against the plot background (WCAG 1.4.11).
MIN_CONTRAST = 3.0

#: Colours of the figure's frame in each theme: background, text, grid, axis lines.
THEMES = {
    "light": {"background": "#ffffff", "text": "#1f2328", "grid": "#e4e7eb", "axis": "#8c959f", "towards": "#000000"},
    "dark": {"background": "#161a20", "text": "#e6edf3", "grid": "#2f353d", "axis": "#7d8590", "towards": "#ffffff"},
}

#: Layout and trace keys whose value is a colour, a list of colours or a colour scale.
COLOUR_KEYS = frozenset(
    {
        "color",
        "fillcolor",
        "bgcolor",
        "bordercolor",
        "gridcolor",
        "linecolor",
        "zerolinecolor",
        "tickcolor",
        "outlinecolor",
        "colorway",
        "colors",
        "colorscale",
        "paper_bgcolor",
        "plot_bgcolor",
    }
)

_RGBA = re.compile(r"rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)")
_NAMED = {"white": "#ffffff", "black": "#000000"}


def parse(colour: str) -> tuple[tuple[float, float, float], float | None] | None:
    """``((r, g, b), alpha)`` of a CSS colour (``#rgb``, ``#rrggbb``, ``rgb()``, ``rgba()``,
    white, black); ``None`` for anything else (``transparent``, a colour-scale name)."""
    c = _NAMED.get(colour.strip().lower(), colour.strip().lower())
    if re.fullmatch(r"#[0-9a-f]{3}", c):
        return tuple(float(int(ch * 2, 16)) for ch in c[1:]), None
    if re.fullmatch(r"#[0-9a-f]{6}", c):
        return tuple(float(int(c[i : i + 2], 16)) for i in (1, 3, 5)), None
    m = _RGBA.fullmatch(c)
    if m:
        return tuple(float(v) for v in m.groups()[:3]), (float(m.group(4)) if m.group(4) else None)
    return None


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(min(max(v, 0.0), 255.0)):02x}" for v in rgb)


def _css(rgb, alpha: float | None) -> str:
    if alpha is None:
        return _hex(rgb)
    return "rgba({}, {}, {}, {:g})".format(*(round(min(max(v, 0.0), 255.0)) for v in rgb), alpha)


def _mix(a, b, t: float):
    """``a`` moved a fraction ``t`` (0–1) of the way to ``b``."""
    return tuple(x + (y - x) * t for x, y in zip(a, b))


def luminance(rgb) -> float:
    """Relative luminance (WCAG 2.1) of an sRGB colour given as 0–255 channels."""
    linear = [(v / 255) / 12.92 if v / 255 <= 0.03928 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio (1–21) of two CSS colours."""
    la, lb = sorted((luminance(parse(a)[0]), luminance(parse(b)[0])), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _theme(name: str) -> dict:
    if name not in THEMES:
        raise ValueError(f"theme {name!r}: allowed themes are {sorted(THEMES)}")
    return THEMES[name]


@cache
def shade(colour: str, theme: str) -> str:
    """A palette colour as drawn in ``theme``: the least move towards black (light theme) or
    white (dark theme) that gives :data:`MIN_CONTRAST` against the theme's background."""
    spec = _theme(theme)
    rgb, background = parse(colour)[0], spec["background"]
    towards = parse(spec["towards"])[0]
    for step in range(101):
        candidate = _hex(_mix(rgb, towards, step / 100))
        if contrast(candidate, background) >= MIN_CONTRAST:
            return candidate
    raise ValueError(f"colour {colour!r}: no shade reaches {MIN_CONTRAST}:1 on {background}")


def _palette_tint(rgb) -> tuple[str, float] | None:
    """``(palette colour, share)`` when ``rgb`` is a palette colour mixed with white, else None."""
    for p in PALETTE:
        prgb = parse(p)[0]
        span = [255 - ch for ch in prgb]
        norm = sum(s * s for s in span)
        if not norm:
            continue
        share = sum((255 - v) * s for v, s in zip(rgb, span)) / norm
        if 0 < share <= 1.0001 and max(abs(255 - share * s - v) for s, v in zip(span, rgb)) <= 8:
            return p, min(share, 1.0)
    return None


def theme_colour(colour: str, theme: str) -> str:
    """The colour that ``theme`` draws for a colour of a view (see the module docstring).

    Colours that are neither palette colours, tints nor greys (a colour-scale name,
    ``transparent``) are returned unchanged.
    """
    spec = _theme(theme)
    parsed = parse(colour)
    if parsed is None:
        return colour
    rgb, alpha = parsed
    background, text = parse(spec["background"])[0], parse(spec["text"])[0]
    if max(rgb) - min(rgb) <= 6:  # a grey: keep its place between background and text
        if theme == "light":
            return colour
        return _css(_mix(background, text, 1 - sum(rgb) / (3 * 255)), alpha)
    tint = _palette_tint(rgb)
    if tint is None:
        return colour
    palette_colour, share = tint
    return _css(_mix(background, parse(shade(palette_colour, theme))[0], share), alpha)


def _recolour(node, theme: str):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "colorscale" and isinstance(value, (list, tuple)):
                out[key] = [[stop, theme_colour(c, theme) if isinstance(c, str) else c] for stop, c in value]
            elif key in COLOUR_KEYS and isinstance(value, str):
                out[key] = theme_colour(value, theme)
            elif key in COLOUR_KEYS and isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
                out[key] = [theme_colour(v, theme) for v in value]
            else:
                out[key] = _recolour(value, theme)
        return out
    if isinstance(node, (list, tuple)) and any(isinstance(v, (dict, list, tuple)) for v in node):
        return [_recolour(v, theme) for v in node]
    return node


def themed_layout(layout: dict, theme: str) -> dict:
    """``layout`` with its colours mapped to ``theme`` and the theme's frame (background,
    text, grid and axis lines of every axis, legend and hover label)."""
    spec = _theme(theme)
    out = _recolour(layout, theme)
    out.pop("template", None)  # plotly.js reads no template names: every colour is explicit
    out["paper_bgcolor"] = out["plot_bgcolor"] = (
        theme_colour(layout["paper_bgcolor"], theme) if "paper_bgcolor" in layout else spec["background"]
    )
    out["font"] = {**out.get("font", {}), "color": spec["text"]}
    out["colorway"] = [theme_colour(c, theme) for c in PALETTE]
    out["legend"] = {
        "bgcolor": "rgba(0, 0, 0, 0)",
        **out.get("legend", {}),
        "font": {**out.get("legend", {}).get("font", {}), "color": spec["text"]},
    }
    out["hoverlabel"] = {
        **out.get("hoverlabel", {}),
        "bgcolor": spec["background"],
        "bordercolor": spec["axis"],
        "font": {"color": spec["text"]},
    }
    axes = [k for k in out if re.fullmatch(r"[xy]axis\d*", k)] or ["xaxis", "yaxis"]
    for key in axes:
        out[key] = {
            "gridcolor": spec["grid"],
            "zerolinecolor": spec["grid"],
            "linecolor": spec["axis"],
            "tickcolor": spec["axis"],
            **out.get(key, {}),
        }
    return out


def themed(traces: list[dict], layout: dict, theme: str) -> tuple[list[dict], dict]:
    """A view's traces and layout as drawn in ``theme`` (``"light"`` or ``"dark"``)."""
    return [_recolour(t, theme) for t in traces], themed_layout(layout, theme)


def jupyterlab_css() -> str:
    """CSS that redraws live figures for JupyterLab's dark themes.

    A kernel cannot see the front end's theme, but JupyterLab marks a dark one on
    ``<body data-jp-theme-light="false">``. plotly draws each colour as an inline style
    (``stroke: rgb(0, 114, 178)``), so every palette colour and the frame are mapped with
    attribute selectors; ``!important`` wins over the inline style.
    """
    dark = THEMES["dark"]
    scope = 'body[data-jp-theme-light="false"] .sepsislab-live'
    rules = [
        f"{scope} .main-svg:first-child {{ background: {dark['background']} !important; }}",
        f"{scope} rect.bg {{ fill: {dark['background']} !important; }}",
        f"{scope} .gridlayer path, {scope} .zerolinelayer path {{ stroke: {dark['grid']} !important; }}",
        f"{scope} text {{ fill: {dark['text']} !important; }}",
        f"{scope} .legend rect.bg {{ fill: transparent !important; }}",
    ]
    for colour in [*PALETTE, "#999999"]:
        plotly_rgb = "rgb({}, {}, {})".format(*(round(v) for v in parse(colour)[0]))
        new = theme_colour(colour, "dark")
        for prop in ("stroke", "fill"):
            rules.append(f'{scope} .trace [style*="{prop}: {plotly_rgb}"] {{ {prop}: {new} !important; }}')
    return "\n".join(rules)
