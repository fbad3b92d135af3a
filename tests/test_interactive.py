"""Every registered explorer works both ways: live widget in a kernel, static figure in the book."""

import json
import re

import numpy as np
import pytest

from sepsislab import interactive
from sepsislab.interactive import Slider
from sepsislab.registry import load_all_views

EXPLORERS = load_all_views()
KEYS = sorted(EXPLORERS)


def _data(figure):
    return [{k: np.asarray(getattr(t, k)) for k in ("x", "y", "z") if getattr(t, k, None) is not None}
            for t in figure.data]


def _changed(before, after):
    return any(not np.array_equal(b[k], a[k], equal_nan=b[k].dtype.kind in "fc")  # text axes too
               for b, a in zip(before, after) for k in b if k in a)


def test_every_view_module_registers_an_explorer():
    assert {"sentry.threshold", "sentry.receptor"} <= set(KEYS)


@pytest.mark.parametrize("key", KEYS)
def test_moving_each_slider_updates_the_live_figure(key):
    box = EXPLORERS[key].widget()
    for slider in EXPLORERS[key].sliders:
        control = box.controls[slider.name]
        assert slider.unit in control.description  # the reader sees the unit
        before = _data(box.figure)
        # move to whichever end is farther away (a log slider's value is rounded in log space)
        far_end = slider.low if abs(control.value - slider.high) < abs(control.value - slider.low) else slider.high
        control.value = far_end
        assert _changed(before, _data(box.figure)), f"{key}: moving {slider.name} changed nothing"


@pytest.mark.parametrize("key", KEYS)
def test_static_figure_has_one_frame_per_slider_combination(key):
    explorer = EXPLORERS[key]
    html = explorer.static_html()
    spec = json.loads(re.search(r'<script type="application/json">(.*)</script>', html, re.S)
                      .group(1).replace("<\\/", "</"))
    assert len(spec["frames"]) == int(np.prod([s.steps for s in explorer.sliders]))
    assert all(len(frame) == len(spec["varying"]) for frame in spec["frames"])
    assert spec["varying"], "no trace changes with the sliders"
    assert html.count('type="range"') == len(explorer.sliders)
    assert 'role="img" aria-label="' in html and "<figcaption>" in html
    assert len(html) < 600_000, f"{key}: static figure is {len(html) // 1000} kB"
    assert "NaN" not in html and "Infinity" not in html


@pytest.mark.parametrize("key", KEYS)
def test_update_is_timed_for_the_benchmark(key):
    timing = EXPLORERS[key].time_update(repeats=3)
    assert timing["median_ms"] > 0 and timing["p95_ms"] >= timing["median_ms"]


def test_show_emits_static_html_while_the_book_builds(monkeypatch, capsys):
    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.setenv("SEPSISLAB_STATIC", "1")
    shell = InteractiveShell.instance()
    shown = []
    monkeypatch.setattr(shell.display_pub, "publish", lambda data, **kw: shown.append(data))
    EXPLORERS["sentry.receptor"].show()
    assert "sepsislab-explorer" in shown[0]["text/html"]


def test_slider_defaults_must_lie_in_range():
    with pytest.raises(ValueError, match="default"):
        Slider("x", "x", "mL", 0, 1, 2)
    with pytest.raises(ValueError, match="log"):
        Slider("x", "x", "mL", 0, 1, 0.5, log=True)


def test_unknown_slider_name_is_refused():
    with pytest.raises(ValueError, match="unknown slider"):
        EXPLORERS["sentry.threshold"].traces(dose=3)


def test_static_grid_is_capped(monkeypatch):
    monkeypatch.setattr(interactive, "MAX_COMBINATIONS", 10)
    with pytest.raises(ValueError, match="combinations"):
        EXPLORERS["sentry.threshold"].static_spec()


@pytest.mark.parametrize("key", KEYS)
def test_live_sliders_start_at_the_documented_defaults(key):
    box = EXPLORERS[key].widget()
    for slider in EXPLORERS[key].sliders:
        assert box.controls[slider.name].value == pytest.approx(slider.default, rel=1e-9)


@pytest.mark.parametrize("key", KEYS)
def test_axis_titles_are_objects_that_plotly_js_4_draws(key):
    layout = EXPLORERS[key].layout
    for name, value in layout.items():
        if isinstance(value, dict) and "title" in value and value["title"] is not None:
            assert isinstance(value["title"], dict), f"{key}: {name}.title is a bare string"


PRECOMPUTED = [k for k in KEYS if EXPLORERS[k].precomputed]

# A shipped table holds solver output rounded to 4 significant digits; another machine's BLAS,
# libm or scipy build can move the last digit. A table is current when every value agrees with
# today's view within 0.2 % of itself or 0.1 % of its trace's largest value (what a reader could see).
TABLE_RTOL, TABLE_ATOL_OF_SCALE = 2e-3, 1e-3


def _assert_close(shipped, fresh, where):
    if isinstance(fresh, dict):
        assert isinstance(shipped, dict) and shipped.keys() == fresh.keys(), f"{where}: keys differ"
        for k in fresh:
            _assert_close(shipped[k], fresh[k], f"{where}.{k}")
        return
    if isinstance(fresh, list) and any(isinstance(v, (dict, list)) for v in fresh):
        assert isinstance(shipped, list) and len(shipped) == len(fresh), f"{where}: lengths differ"
        for n, (s, f) in enumerate(zip(shipped, fresh)):
            _assert_close(s, f, f"{where}[{n}]")
        return
    a = np.asarray(shipped, dtype=object)
    b = np.asarray(fresh, dtype=object)
    assert a.shape == b.shape, f"{where}: shape {a.shape} != {b.shape}"
    try:
        af, bf = a.astype(float), b.astype(float)
    except (TypeError, ValueError):  # text: exact
        assert a.tolist() == b.tolist(), f"{where}: text differs"
        return
    finite = bf[np.isfinite(bf)]
    scale = float(np.max(np.abs(finite))) if finite.size else 0.0
    assert np.allclose(af, bf, rtol=TABLE_RTOL, atol=TABLE_ATOL_OF_SCALE * scale, equal_nan=True), (
        f"{where}: largest difference {np.nanmax(np.abs(af - bf)):.4g} (scale {scale:.4g})")


def test_table_comparison_tolerates_the_last_digit_but_not_a_change():
    _assert_close([[1.001, 2.0, 50.0]], [[1.0, 2.0, 50.0]], "ok")
    with pytest.raises(AssertionError):
        _assert_close([[1.1, 2.0, 50.0]], [[1.0, 2.0, 50.0]], "changed")
    with pytest.raises(AssertionError):
        _assert_close(["a"], ["b"], "text")


@pytest.mark.parametrize("key", PRECOMPUTED)
def test_shipped_tables_match_their_views(key):
    """A precomputed explorer's shipped table must be what its view computes today, within the
    tolerance above (otherwise: python -m sepsislab.precompute KEY)."""
    explorer = EXPLORERS[key]
    table = explorer.load_table()
    fresh = json.loads(json.dumps({"data": [{k: v for k, v in t.items() if k in interactive.DATA_KEYS}
                                            for t in explorer.traces()]}, default=interactive._rounded))
    _assert_close([s["values"] for s in table["sliders"]],
                  [interactive._rounded(s.grid()) for s in explorer.sliders], f"{key} slider grids")
    _assert_close([{k: v for k, v in t.items() if k in interactive.DATA_KEYS} for t in table["data"]],
                  fresh["data"], f"{key} default traces")
    grids = [s.grid() for s in explorer.sliders]
    rng = np.random.default_rng(0)
    for _ in range(2):
        idx = [int(rng.integers(len(g))) for g in grids]
        flat = int(np.ravel_multi_index(idx, [len(g) for g in grids]))
        traces = explorer.traces(**{s.name: float(g[i]) for s, g, i in zip(explorer.sliders, grids, idx)})
        expected = [interactive._rounded(traces[t][k]) for t, k in table["varying"]]
        for n, (got, want) in enumerate(zip(table["frames"][flat], json.loads(json.dumps(expected)))):
            _assert_close(got, want, f"{key}: frame {idx}, varying #{n}")
