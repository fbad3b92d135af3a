"""Every registered explorer works both ways: live widget in a kernel, static figure in the book."""

import ast
import json
import re
from pathlib import Path

import numpy as np
import pytest

from sepsislab import interactive, views
from sepsislab.bench import time_update
from sepsislab.interactive import Slider, static, themes
from sepsislab.registry import load_all_views

EXPLORERS = load_all_views()
KEYS = sorted(EXPLORERS)


def _data(figure):
    return [
        {k: np.asarray(getattr(t, k)) for k in ("x", "y", "z") if getattr(t, k, None) is not None} for t in figure.data
    ]


def _changed(before, after):
    return any(
        not np.array_equal(b[k], a[k], equal_nan=b[k].dtype.kind in "fc")  # text axes too
        for b, a in zip(before, after)
        for k in b
        if k in a
    )


def _declared_explorers() -> dict[str, set[str]]:
    """Explorer keys written in each public view module's ``@explorer("key", …)`` decorators."""
    declared = {}
    for path in sorted(Path(views.__file__).parent.glob("[!_]*.py")):
        keys = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "explorer" and node.args:
                keys.add(ast.literal_eval(node.args[0]))
        declared[f"sepsislab.views.{path.stem}"] = keys
    return declared


def test_every_view_module_registers_its_explorers():
    """Every explorer written in a view module is in the registry, under that module, and the
    registry holds nothing else (modules without a decorator, such as views.common, are helpers)."""
    declared = {module: keys for module, keys in _declared_explorers().items() if keys}
    assert len(declared) >= 8, declared
    registered: dict[str, set[str]] = {}
    for key, made in EXPLORERS.items():
        registered.setdefault(made.view.__module__, set()).add(key)
    assert registered == declared


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
    spec = json.loads(
        re.search(r'<script type="application/json">(.*)</script>', html, re.S).group(1).replace("<\\/", "</")
    )
    assert len(spec["frames"]) == int(np.prod([s.steps for s in explorer.sliders]))
    assert all(len(frame) == len(spec["varying"]) for frame in spec["frames"])
    assert spec["varying"], "no trace changes with the sliders"
    assert html.count('type="range"') == len(explorer.sliders)
    assert 'role="img" aria-label="' in html and "<figcaption>" in html
    assert len(html) < 600_000, f"{key}: static figure is {len(html) // 1000} kB"
    assert "NaN" not in html and "Infinity" not in html


def test_benchmark_times_the_live_update_of_the_figure(monkeypatch):
    """The benchmark's clock brackets exactly one live update per repeat, the update redraws
    the figure for slider values within range, and the median and 95th percentile are those
    of the bracketed times (a fake clock makes them known: 1, 2, ..., 20 ms)."""
    from sepsislab.interactive.live import LiveFigure

    explorer, applied = EXPLORERS["sentry.threshold"], []
    real_apply = LiveFigure.apply

    def apply(self, values):
        before = _data(self.figure)
        real_apply(self, values)
        applied.append((values, _changed(before, _data(self.figure))))

    monkeypatch.setattr(LiveFigure, "apply", apply)
    durations = iter([0.001 * n for n in range(1, 21)])
    clock_state = {"t": 0.0, "open": False}

    def clock():
        if clock_state["open"]:  # end of an update: advance by its duration
            clock_state["t"] += next(durations)
        clock_state["open"] = not clock_state["open"]
        return clock_state["t"]

    timing = time_update(explorer, repeats=20, clock=clock)
    assert len(applied) == 20
    for values, _ in applied:
        assert all(s.low <= values[s.name] <= s.high for s in explorer.sliders)
    assert sum(changed for _, changed in applied) >= 19  # random values: at most one may repeat a picture
    assert timing["median_ms"] == pytest.approx(10.5, abs=1e-6)
    assert timing["p95_ms"] == pytest.approx(float(np.percentile(np.arange(1, 21), 95)), abs=1e-6)


def test_show_emits_static_html_while_the_book_builds(monkeypatch, capsys):
    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.setenv(interactive.STATIC_ENV, "1")
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
    monkeypatch.setattr(static, "MAX_COMBINATIONS", 10)
    with pytest.raises(ValueError, match="combinations"):
        static.spec(EXPLORERS["sentry.threshold"])


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
        f"{where}: largest difference {np.nanmax(np.abs(af - bf)):.4g} (scale {scale:.4g})"
    )


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
    table = static.load_table(explorer)
    fresh = json.loads(
        json.dumps(
            {"data": [{k: v for k, v in t.items() if k in static.DATA_KEYS} for t in explorer.traces()]},
            default=static.rounded,
        )
    )
    _assert_close(
        [s["values"] for s in table["sliders"]],
        [static.rounded(s.grid()) for s in explorer.sliders],
        f"{key} slider grids",
    )
    _assert_close(
        [{k: v for k, v in t.items() if k in static.DATA_KEYS} for t in table["data"]],
        fresh["data"],
        f"{key} default traces",
    )
    grids = [s.grid() for s in explorer.sliders]
    rng = np.random.default_rng(0)
    for _ in range(2):
        idx = [int(rng.integers(len(g))) for g in grids]
        flat = int(np.ravel_multi_index(idx, [len(g) for g in grids]))
        traces = explorer.traces(**{s.name: float(g[i]) for s, g, i in zip(explorer.sliders, grids, idx)})
        expected = [static.rounded(traces[t][k]) for t, k in table["varying"]]
        for n, (got, want) in enumerate(zip(table["frames"][flat], json.loads(json.dumps(expected)))):
            _assert_close(got, want, f"{key}: frame {idx}, varying #{n}")


# -- themes ------------------------------------------------------------------------------------

LINE_KEYS = ("line", "marker")


def _line_colours(traces):
    """Colours of lines and markers (what must stand out from the plot background)."""
    for trace in traces:
        for key in LINE_KEYS:
            colour = (trace.get(key) or {}).get("color")
            if isinstance(colour, str) and themes.parse(colour) and themes.parse(colour)[1] in (None, 1.0):
                yield colour


def _hue(colour):
    import colorsys

    r, g, b = (v / 255 for v in themes.parse(colour)[0])
    return colorsys.rgb_to_hsv(r, g, b)[0] * 360


@pytest.mark.parametrize("theme", sorted(themes.THEMES))
def test_every_palette_colour_stands_out_in_both_themes_and_keeps_its_hue(theme):
    spec = themes.THEMES[theme]
    drawn = [themes.theme_colour(c, theme) for c in themes.PALETTE]
    for original, colour in zip(themes.PALETTE, drawn):
        assert themes.contrast(colour, spec["background"]) >= 3.0, f"{theme}: {original} -> {colour}"
        if original != "#000000":
            assert abs(_hue(colour) - _hue(original)) < 3.0, f"{theme}: {original} changed hue to {colour}"
    assert len(set(drawn)) == len(drawn), "two palette colours became one"
    assert themes.contrast(spec["text"], spec["background"]) >= 7.0  # text: WCAG AAA
    assert themes.contrast(spec["grid"], spec["background"]) < 1.6  # a grid recedes behind the data


def test_theme_colours_refuse_an_unknown_theme():
    with pytest.raises(ValueError, match="sepia"):
        themes.theme_colour("#0072B2", "sepia")


@pytest.mark.parametrize("key", KEYS)
def test_static_figure_carries_a_readable_dark_look(key):
    figure = static.spec(EXPLORERS[key])
    assert set(figure["themes"]) == {"light", "dark"}
    dark = figure["themes"]["dark"]
    background = themes.THEMES["dark"]["background"]
    assert themes.contrast(dark["layout"]["paper_bgcolor"], background) < 1.2
    assert themes.contrast(dark["layout"]["font"]["color"], dark["layout"]["paper_bgcolor"]) >= 7.0
    low = [c for c in _line_colours(dark["style"]) if themes.contrast(c, dark["layout"]["plot_bgcolor"]) < 3.0]
    assert low == [], f"{key}: lines too faint on the dark background"
    assert len(dark["style"]) == len(figure["data"]), "one style per trace"
    for name in figure["themes"]:
        axes = [k for k in figure["themes"][name]["layout"] if re.fullmatch(r"[xy]axis\d*", k)]
        assert axes and all("gridcolor" in figure["themes"][name]["layout"][a] for a in axes)


def test_live_figures_follow_jupyterlabs_dark_theme():
    css = themes.jupyterlab_css()
    assert css.count('body[data-jp-theme-light="false"] .sepsislab-live') >= len(themes.PALETTE)
    for colour in themes.PALETTE:
        rgb = "rgb({}, {}, {})".format(*(round(v) for v in themes.parse(colour)[0]))
        assert f'stroke: {rgb}"' in css, f"{colour} is not redrawn in the dark theme"
    live = EXPLORERS["sentry.threshold"].widget()
    assert {"sepsislab-explorer", "sepsislab-live"} <= set(live.box._dom_classes)
    assert any(isinstance(getattr(child, "value", None), str) and css in child.value for child in live.box.children)


def test_live_figure_keeps_its_state_on_itself_not_on_the_widget_box():
    live = EXPLORERS["sentry.receptor"].widget()
    assert not hasattr(live.box, "controls") and not hasattr(live.box, "figure")
    assert live.figure in live.box.children
    assert all(c in live.box.children for c in live.controls.values())


def test_static_switch_and_cache_stamp_have_one_name_each():
    root = Path(interactive.__file__).resolve().parents[2]
    sources = [
        p
        for p in [*root.glob("sepsislab/**/*.py"), *root.glob("book/_ext/*.py"), *root.glob("tests/*.py")]
        if p.resolve() != Path(interactive.__file__).resolve()
    ]
    literal = '"SEPSISLAB' + '_STATIC"'
    assert [str(p.relative_to(root)) for p in sources if literal in p.read_text()] == []
    # The book's execution cache and the benchmark's warm-up ask the one stamp (no file times, no own hash).
    for user in (root / "book/_ext/sepsislab_book.py", root / "sepsislab/bench.py"):
        text = user.read_text()
        assert "package_stamp()" in text and "st_mtime" not in text and "hashlib" not in text, user.name


def test_package_stamp_follows_content_not_file_times(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    first = interactive.package_stamp(tmp_path)
    (tmp_path / "a.py").touch()
    assert interactive.package_stamp(tmp_path) == first
    (tmp_path / "a.py").write_text("x = 2\n")
    assert interactive.package_stamp(tmp_path) != first
