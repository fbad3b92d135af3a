"""The static figure of an explorer for the built book, and the shipped tables behind it.

In the HTML book there is no kernel: every combination of slider steps is computed
at build time (or read from a shipped table, for views slower than one display frame)
and written into the page as JSON. ``book/_static/sepsislab-explorer.js`` draws it with
the ``plotly-cartesian.min.js`` the book ships once, when the figure comes near the
screen, and moves through the frames as the reader moves a slider.
"""

from __future__ import annotations

import gzip
import html
import itertools
import json
from pathlib import Path

import numpy as np

from .themes import THEMES, themed

#: Trace keys that carry data (and so change with the sliders); the rest is style.
DATA_KEYS = ("x", "y", "z", "text")

#: Cap on precomputed slider combinations per static figure (page-size budget).
MAX_COMBINATIONS = 400

#: Shipped tables of explorers too slow to recompute on every slider move.
PRECOMPUTED_DIR = Path(__file__).resolve().parents[1] / "precomputed"


def rounded(value):
    """JSON-ready data with 4 significant digits, so pages stay small."""
    arr = np.asarray(value)
    if arr.dtype.kind in "fc":
        with np.errstate(all="ignore"):
            out = np.vectorize(lambda v: float(f"{v:.4g}"), otypes=[object])(arr) if arr.size else arr
        return out.tolist() if arr.ndim else float(out)
    if arr.dtype.kind in "iub":
        return arr.tolist()
    return [str(v) for v in arr.tolist()] if arr.ndim else str(value)


def format_value(value: float) -> str:
    """3 significant digits in plain notation, as the browser shows them (1000, not 1e+03)."""
    return np.format_float_positional(float(f"{value:.3g}"), trim="-")


def table_path(explorer) -> Path:
    """Where the shipped table of a precomputed explorer lives."""
    return PRECOMPUTED_DIR / f"{explorer.key}.json.gz"


def load_table(explorer) -> dict:
    """The shipped table of a precomputed explorer (see :func:`compute_frames`)."""
    path = table_path(explorer)
    if not path.exists():
        raise ValueError(
            f"{explorer.key}: no precomputed table at {path}; run `python -m sepsislab.precompute {explorer.key}`"
        )
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def write_table(explorer) -> Path:
    """Compute every frame of the slider grid and ship it with the package."""
    path = table_path(explorer)
    path.parent.mkdir(exist_ok=True)
    frames = json.loads(json.dumps(compute_frames(explorer), default=rounded))
    with gzip.GzipFile(path, "wb", mtime=0) as fh:  # mtime=0: same bytes, same file
        fh.write(json.dumps(frames, separators=(",", ":")).encode())
    return path


def compute_frames(explorer) -> dict:
    """Run the view for every combination of slider steps.

    Returns ``data`` (the default traces), ``sliders`` (label, grid values, index of the
    default), ``varying`` (the ``[trace, key]`` pairs that change with the sliders) and
    ``frames`` (for each combination, in row-major order of the sliders, the values of
    the varying pairs).
    """
    grids = [s.grid() for s in explorer.sliders]
    combos = int(np.prod([len(g) for g in grids])) if grids else 1
    if combos > MAX_COMBINATIONS:
        raise ValueError(
            f"{explorer.key}: {combos} precomputed combinations exceed {MAX_COMBINATIONS}; use fewer slider steps"
        )
    start = [int(np.argmin(np.abs(g - s.default))) for g, s in zip(grids, explorer.sliders)]
    base = explorer.traces()
    frames = [
        explorer.traces(**{s.name: float(g[i]) for s, g, i in zip(explorer.sliders, grids, idx)})
        for idx in itertools.product(*[range(len(g)) for g in grids])
    ]
    # Store only the (trace, key) pairs that actually change with the sliders.
    varying = [
        (t, k)
        for t, trace in enumerate(base)
        for k in DATA_KEYS
        if k in trace and any(not np.array_equal(np.asarray(f[t][k]), np.asarray(trace[k])) for f in frames)
    ]
    return {
        "data": [{k: (rounded(v) if k in DATA_KEYS else v) for k, v in t.items()} for t in base],
        "sliders": [
            {"label": s.caption, "values": rounded(g), "index": i} for s, g, i in zip(explorer.sliders, grids, start)
        ],
        "varying": varying,
        "frames": [[rounded(f[t][k]) for t, k in varying] for f in frames],
    }


def spec(explorer) -> dict:
    """Everything the browser needs: the frames, and the figure's look in every theme.

    ``themes[name]`` holds the ``layout`` and, for each trace, its ``style`` (every key
    but the data) as drawn in that theme; ``data`` is drawn in the light theme.
    """
    frames = load_table(explorer) if explorer.precomputed else compute_frames(explorer)
    looks = {}
    for name in THEMES:
        traces, layout = themed(frames["data"], explorer.layout, name)
        looks[name] = {"layout": layout, "style": [{k: v for k, v in t.items() if k not in DATA_KEYS} for t in traces]}
    data = [{**t, **style} for t, style in zip(frames["data"], looks["light"]["style"])]
    return {**frames, "data": data, "layout": looks["light"]["layout"], "themes": looks}


def figure_id(explorer) -> str:
    return "fig-" + explorer.key.replace(".", "-").replace("_", "-")


def figure_html(explorer) -> str:
    """The figure for the built book: no kernel, no network.

    Each slider is a label, a range input and a read-out (three grid columns on a wide
    screen; on a phone the label sits above the input, see ``sepsislab.css``); the label is
    the input's accessible name, and the read-out its ``aria-valuetext``. The plot is drawn
    by ``sepsislab-explorer.js`` from the JSON spec when the figure nears the screen;
    until then its box keeps the figure's height, so the page does not jump.
    """
    figure = spec(explorer)
    fid = figure_id(explorer)
    controls = []
    for n, s in enumerate(figure["sliders"]):
        value = format_value(s["values"][s["index"]])
        controls.append(
            f'<label for="{fid}-s{n}">{html.escape(s["label"])}</label>'
            f'<input type="range" id="{fid}-s{n}" min="0" max="{len(s["values"]) - 1}" step="1" '
            f'value="{s["index"]}" aria-valuetext="{value}">'
            f'<output for="{fid}-s{n}">{value}</output>'
        )
    payload = json.dumps(figure, separators=(",", ":"), default=rounded).replace("</", "<\\/")
    height = int(explorer.layout.get("height", 420))
    return (
        f'<figure class="sepsislab-explorer" id="{fid}">'
        f'<div class="sepsislab-controls">{"".join(controls)}</div>'
        f'<div class="sepsislab-plot" role="img" aria-label="{html.escape(explorer.alt)}" '
        f'style="min-height:{height}px"></div>'
        f"<figcaption>{html.escape(explorer.caption)}</figcaption>"
        f'<script type="application/json">{payload}</script></figure>'
    )
