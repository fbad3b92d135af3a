"""The one layout helper for multi-panel figures and the shared trace builders."""

import pytest

from sepsislab.views import common


def test_stacked_panels_share_x_and_tile_the_height_top_down():
    layout = common.stacked_layout(
        x=dict(title="time (h)", range=[0, 48]),
        panels=[dict(title="a"), dict(title="b"), dict(title="c")],
        weights=[2, 1, 1],
        gap=0.1,
    )
    domains = [layout[f"yaxis{n}"]["domain"] for n in ("", "2", "3")]
    assert domains[0][1] == pytest.approx(1.0, abs=1e-9) and domains[-1][0] == pytest.approx(0.0, abs=1e-9)
    assert all(upper[0] - lower[1] == pytest.approx(0.1) for upper, lower in zip(domains, domains[1:]))
    assert domains[0][1] - domains[0][0] == pytest.approx(2 * (domains[1][1] - domains[1][0]))
    assert [layout[f"xaxis{n}"]["showticklabels"] for n in ("", "2", "3")] == [False, False, True]
    assert "title" in layout["xaxis3"] and "title" not in layout["xaxis"]
    assert layout["xaxis2"]["matches"] == layout["xaxis3"]["matches"] == "x"
    assert layout["template"] == "plotly_white"  # the shared look of base_layout


def test_grid_fills_rows_left_to_right_and_labels_only_the_lowest_panel_of_each_column():
    layout = common.grid_layout(
        cols=2,
        panels=[dict(title=t) for t in "abcde"],
        x=dict(title="days", range=[0, 28]),
        hgap=0.1,
        vgap=0.05,
    )
    x = [layout[f"xaxis{common.axis_suffix(n)}"] for n in range(1, 6)]
    y = [layout[f"yaxis{common.axis_suffix(n)}"] for n in range(1, 6)]
    # columns: 1, 3, 5 on the left, 2, 4 on the right, 0.1 apart
    assert x[0]["domain"] == x[2]["domain"] == x[4]["domain"]
    assert x[1]["domain"][0] - x[0]["domain"][1] == pytest.approx(0.1)
    # rows: top to bottom, three of equal height, 0.05 apart
    assert y[0]["domain"] == y[1]["domain"] and y[0]["domain"][1] == pytest.approx(1.0)
    assert y[4]["domain"][0] == pytest.approx(0.0, abs=1e-9)
    assert y[0]["domain"][0] - y[2]["domain"][1] == pytest.approx(0.05)
    # the lowest panel of each column (4 on the right, 5 on the left) carries the x title and labels
    assert [a["showticklabels"] for a in x] == [False, False, False, True, True]
    assert ["title" in a for a in x] == [False, False, False, True, True]
    assert all(a["range"] == [0, 28] for a in x)
    assert [(a["anchor"], b["anchor"]) for a, b in zip(x, y)][1] == ("y2", "x2")


def test_grid_with_an_x_axis_per_panel_draws_each_in_full():
    layout = common.grid_layout(
        cols=1, panels=[dict(title="GFR"), dict(title="creatinine")], x=[dict(title="MAP (mmHg)"), dict(title="hours")]
    )
    assert layout["xaxis"]["title"] == "MAP (mmHg)" and layout["xaxis2"]["title"] == "hours"
    assert layout["yaxis"]["domain"][0] > layout["yaxis2"]["domain"][1]
    with pytest.raises(ValueError, match="one x-axis dict per panel"):
        common.grid_layout(cols=1, panels=[{}, {}], x=[{}])


def test_panels_need_room():
    with pytest.raises(ValueError, match="gap"):
        common.stacked_layout(x={}, panels=[{}, {}, {}], gap=0.5)
    with pytest.raises(ValueError, match="one weight per panel"):
        common.stacked_layout(x={}, panels=[{}, {}], weights=[1])
    with pytest.raises(ValueError, match="panel"):
        common.on_panel(0)


def test_trace_builders_put_traces_on_their_panel():
    assert common.on_panel(1) == {}
    assert common.on_panel(3) == {"xaxis": "x3", "yaxis": "y3"}
    trace = common.curve("lactate", [0, 1], [2, 3], color=1, dash="dash", panel=2, showlegend=False)
    assert trace["xaxis"] == "x2" and trace["yaxis"] == "y2" and trace["showlegend"] is False
    assert trace["line"] == {"color": common.PALETTE[1], "width": 3, "dash": "dash"}
    assert "mode" not in trace  # plotly's own default (markers on short series) is kept
    line = common.reference_line("MAP 65 mmHg", y=65, span=(0, 72), color="#999999")
    assert line["x"] == [0, 72] and line["y"] == [65, 65] and line["mode"] == "lines"
    assert line["line"]["color"] == "#999999" and "xaxis" not in line
    marker = common.reference_line("chosen", x=0.3, span=(0, 1.25), dash="dot", panel=2)
    assert marker["x"] == [0.3, 0.3] and marker["y"] == [0, 1.25] and marker["yaxis"] == "y2"
    with pytest.raises(ValueError, match="give x .* or y"):
        common.reference_line("both", x=1, y=1, span=(0, 1))


def test_text_label_writes_on_its_panel_outside_legend_and_hover():
    label = common.text_label("outcome", "outcome: septic death", x=150.0, y=9.0, panel=3)
    assert label["mode"] == "text" and label["text"] == ["outcome: septic death"]
    assert label["x"] == [150.0] and label["y"] == [9.0]
    assert label["xaxis"] == "x3" and label["yaxis"] == "y3"
    assert label["showlegend"] is False and label["hoverinfo"] == "skip"
    assert label["textfont"]["color"] == common.PALETTE[6]


def test_points_are_markers_on_their_panel_with_marker_options_merged():
    chosen = common.points("chosen MAP", [65.0], [0.9], size=12, panel=2, showlegend=False)
    assert chosen["mode"] == "markers" and chosen["yaxis"] == "y2" and chosen["showlegend"] is False
    assert chosen["marker"] == {"size": 12, "color": common.PALETTE[6]}
    measured = common.points("IC₅₀", [0.1, 0.2], [0.5, 0.5], color=0, marker=dict(symbol="diamond"))
    assert measured["marker"] == {"size": 11, "color": common.PALETTE[0], "symbol": "diamond"}
    assert "xaxis" not in measured


def test_bars_label_each_bar_in_its_colour_and_refuse_ragged_input():
    gain = common.bars(
        "survival gain", ["model", "ADRENAL"], [0.9, 0.9], colors=[0, "#123456"], text=["+0.9", "+0.9"], panel=2
    )
    assert gain["type"] == "bar" and gain["yaxis"] == "y2" and gain["showlegend"] is False
    assert gain["marker"]["color"] == [common.PALETTE[0], "#123456"]
    assert gain["text"] == ["+0.9", "+0.9"] and gain["textposition"] == "outside"
    with pytest.raises(ValueError, match="one entry per bar"):
        common.bars("ragged", ["a", "b"], [1.0], colors=[0, 1], text=["1", "2"])
