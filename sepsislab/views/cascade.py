"""Figures of "The cascade of alarm" page: the NF-κB relay, the cytokine storm, the Reynolds model."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..interactive import PALETTE, Slider, base_layout, explorer
from ..models import cytokines, inflammation, nfkb


def _stacked(heights: list[tuple[float, float]], titles: list[str], x_title: str, x_range, **axes) -> dict:
    """Layout of panels stacked on one shared time axis (the x labels only under the last)."""
    layout = base_layout(height=200 + 170 * len(heights), grid=None)
    for n, (domain, title) in enumerate(zip(heights, titles), start=1):
        suffix = "" if n == 1 else str(n)
        last = n == len(heights)
        layout[f"xaxis{suffix}"] = dict(anchor=f"y{suffix}", range=x_range, showticklabels=last,
                                        title=dict(text=x_title) if last else None,
                                        **({} if n == 1 else {"matches": "x"}))
        layout[f"yaxis{suffix}"] = dict(domain=list(domain), title=dict(text=title),
                                        **axes.get(f"y{suffix}", {}))
    return layout


def _thin(time: np.ndarray, dense_until: float, every: int) -> np.ndarray:
    """Indices keeping every output time up to ``dense_until`` and every ``every``-th after it."""
    idx = np.arange(time.size)
    return idx[(time <= dense_until) | (idx % every == 0) | (idx == time.size - 1)]


# --- 1. The relay and the NF-κB oscillator ----------------------------------------------------
NFKB_HOURS = 10.0


@explorer(
    "cascade.nfkb",
    sliders=[
        Slider("lps_pm", "LPS at the cell", "pM", 1.0, 1000.0, 100.0, steps=7, log=True),
        Slider("k_t", "IκB feedback strength k_t", "1/(µM·min)", 0.1, 3.0, 1.03, steps=7, log=True),
    ],
    layout=_stacked([(0.42, 1.0), (0.0, 0.32)], ["nuclear NF-κB (µM)", "µM (log scale)"],
                    "time after LPS (h)", [0, NFKB_HOURS],
                    y=dict(range=[0, 0.85]), y2=dict(type="log", range=[-3, 1.5])),
    caption=("The relay from TLR4 to the nucleus. Bottom: active IKK, switched on through "
             "MyD88, the IRAKs and TAK1 within minutes, and the free IκB it destroys. Top: nuclear "
             "NF-κB. With the published feedback it pulses in sharp spikes every two to three hours; "
             "weaken the feedback and the pulses damp out into a sustained plateau; lower the dose "
             "and a single small pulse is all that happens."),
    alt=("Two stacked line charts over 10 hours. Top: nuclear NF-κB rises in a sharp spike about "
         "half an hour after LPS, falls almost to zero, and spikes again roughly every two and a half "
         "hours. Bottom, on a log scale: active IKK steps up within minutes and stays up, while free "
         "IκB falls and recovers in step with each spike."),
)
def nfkb_oscillations(lps_pm: float, k_t: float) -> list[dict]:
    res = nfkb.simulate(nfkb.Params(k_t=k_t), lps_pm=lps_pm, hours=NFKB_HOURS)
    return [
        dict(type="scatter", name="nuclear NF-κB", x=res.time, y=res.nfkb_nuclear,
             line=dict(color=PALETTE[0], width=3)),
        dict(type="scatter", name="free IκB", x=res.time, y=res.ikb, xaxis="x2", yaxis="y2",
             line=dict(color=PALETTE[2], width=2)),
        dict(type="scatter", name="active IKK", x=res.time, y=res.ikk, xaxis="x2", yaxis="y2",
             line=dict(color=PALETTE[1], width=2, dash="dash")),
    ]


# --- 2. The storm and the brake --------------------------------------------------------------
STORM_HOURS = 48.0
_CYTOKINES = [("tnf", "TNF", PALETTE[1], "solid"), ("il1", "IL-1", PALETTE[4], "dot"),
              ("il6", "IL-6", PALETTE[3], "dashdot"), ("il10", "IL-10 (brake)", PALETTE[0], "dash")]


@explorer(
    "cascade.storm",
    sliders=[
        Slider("gain", "Positive-feedback gain g", "", 0.6, 3.0, 1.2, steps=9),
        Slider("brake", "IL-10 brake strength b", "", 0.0, 4.0, 1.0, steps=9),
    ],
    layout=base_layout(xaxis=dict(title=dict(text="time after the endotoxin pulse (h)"), range=[0, STORM_HOURS]),
                       yaxis=dict(title=dict(text="level (× half-maximal feedback)"), range=[0, 3.6])),
    caption=("Cytokines after one endotoxin pulse. TNF comes first, then IL-1 and IL-6, and the IL-10 "
             "brake last. With a weak feedback loop or a strong brake everything returns to zero "
             "(resolution); raise the gain or release the brake and the cytokines keep each other "
             "going long after the stimulus has gone (a self-sustaining storm)."),
    alt=("Line chart of TNF, IL-1, IL-6 and IL-10 over 48 hours after an endotoxin pulse. At the "
         "default settings all four peak within a few hours, TNF first and IL-10 last, and return "
         "to zero; a label states whether the response resolved or became a self-sustaining storm."),
)
def storm(gain: float, brake: float) -> list[dict]:
    params = cytokines.Params(gain=gain, brake=brake)
    res = cytokines.simulate(params, hours=STORM_HOURS)
    keep = _thin(res.time, 8.0, 4)
    verdict = cytokines.outcome(res, params)
    traces = [dict(type="scatter", name=label, x=res.time[keep], y=res[key][keep],
                   line=dict(color=color, width=3, dash=dash)) for key, label, color, dash in _CYTOKINES]
    traces.append(dict(type="scatter", mode="text", name="outcome", showlegend=False, x=[36.0], y=[3.3],
                       text=[f"outcome: {verdict}"], textfont=dict(size=16, color=PALETTE[6]),
                       hoverinfo="skip"))
    return traces


_GAINS = np.linspace(0.0, 3.0, 61)
_BRAKES = np.linspace(0.0, 4.0, 49)


@explorer(
    "cascade.storm_map",
    sliders=[Slider("anti_tnf", "Fraction of TNF neutralised", "", 0.0, 0.8, 0.0, steps=5)],
    layout=base_layout(height=460, hovermode="closest",
                       xaxis=dict(title=dict(text="positive-feedback gain g"), range=[0, 3]),
                       yaxis=dict(title=dict(text="IL-10 brake strength b"), range=[0, 4])),
    caption=("Where a storm can sustain itself. Colour: the TNF level of the self-sustaining storm, "
             "pale where none exists and every response resolves. The black line is the boundary "
             "c·g = 2√(1 + b·m). The diamond marks the default of the time-course figure. Neutralise "
             "part of TNF and the boundary moves right — but IL-1 still carries the loop."),
    alt=("Heat map over feedback gain (horizontal) and IL-10 brake (vertical). A pale region at low "
         "gain and strong brake means resolution; a coloured region at high gain and weak brake means "
         "a self-sustaining storm, separated by a rising curved boundary. Neutralising TNF shifts "
         "the boundary to higher gain."),
)
def storm_map(anti_tnf: float) -> list[dict]:
    params = cytokines.Params(anti_tnf=anti_tnf)
    default = cytokines.Params()
    return [
        dict(type="heatmap", name="storm TNF level", x=_GAINS, y=_BRAKES,
             z=cytokines.outcome_map(_GAINS, _BRAKES, params), zmin=0, zmax=3,
             colorscale=[[0, "#eef3f8"], [0.001, "#f0c7a6"], [1, PALETTE[1]]],
             colorbar=dict(title=dict(text="storm TNF"), thickness=14),
             hovertemplate="g %{x:.2f}, b %{y:.2f}: storm TNF %{z:.2f}<extra></extra>"),
        dict(type="scatter", name="boundary", mode="lines", x=cytokines.storm_boundary(_BRAKES, params),
             y=_BRAKES, line=dict(color=PALETTE[6], width=3)),
        dict(type="scatter", name="time-course default", mode="markers", x=[default.gain],
             y=[default.brake], marker=dict(symbol="diamond", size=14, color=PALETTE[0],
                                            line=dict(color="white", width=1))),
    ]


# --- 3. The Reynolds et al. (2006) model -----------------------------------------------------
INFL_HOURS = 300.0
_OUTCOME_COLOURS = [PALETTE[2], PALETTE[4], PALETTE[1]]  # healthy, aseptic, septic


@explorer(
    "cascade.inflammation",
    sliders=[
        Slider("initial_pathogen", "Inoculum P₀", "10⁶ cells/cc", 0.125, 8.0, 1.0, steps=7, log=True),
        Slider("k_pg", "Pathogen growth rate k_pg", "1/h", 0.1, 1.0, 0.3, steps=10),
    ],
    layout=_stacked([(0.72, 1.0), (0.38, 0.64), (0.0, 0.3)],
                    ["pathogen P (log)", "N* and C_A", "damage D"], "time after infection (h)",
                    [0, INFL_HOURS], y=dict(type="log", range=[-2, 1.4]), y2=dict(range=[0, 1.3]),
                    y3=dict(range=[0, 18.5])),
    caption=("The reduced acute inflammatory response (Reynolds et al. 2006) with its published "
             "parameters. Top: pathogen (log scale); middle: activated phagocytes N* and the anti-inflammatory "
             "mediator C_A; bottom: tissue damage. At k_pg = 0.3 an inoculum of 1 is cleared and the "
             "host recovers; 2 is also cleared, yet damage and phagocytes keep each other going "
             "(aseptic death); a faster-growing pathogen persists (septic death)."),
    alt=("Three stacked line charts over 300 hours: pathogen load on a log scale, activated phagocytes with the "
         "anti-inflammatory mediator, and tissue damage, with a label naming the outcome. At the "
         "defaults the pathogen is cleared within a day and damage peaks near 3 and returns to zero."),
)
def inflammation_course(initial_pathogen: float, k_pg: float) -> list[dict]:
    res = inflammation.simulate(inflammation.Params(k_pg=k_pg), initial_pathogen=initial_pathogen,
                                hours=INFL_HOURS, points=601)
    keep = _thin(res.time, 24.0, 12)
    t = res.time[keep]
    verdict = inflammation.classify_outcome(res)
    return [
        dict(type="scatter", name="pathogen P", x=t, y=res.pathogen[keep],
             line=dict(color=PALETTE[1], width=3)),
        dict(type="scatter", name="activated phagocytes N*", x=t, y=res.phagocytes[keep],
             xaxis="x2", yaxis="y2", line=dict(color=PALETTE[0], width=3)),
        dict(type="scatter", name="anti-inflammatory C_A", x=t, y=res.anti_inflammatory[keep],
             xaxis="x2", yaxis="y2", line=dict(color=PALETTE[2], width=2, dash="dash")),
        dict(type="scatter", name="damage D", x=t, y=res.damage[keep], xaxis="x3", yaxis="y3",
             line=dict(color=PALETTE[6], width=3)),
        dict(type="scatter", mode="text", name="outcome", showlegend=False, x=[INFL_HOURS / 2],
             y=[9.0], xaxis="x3", yaxis="y3", text=[f"outcome: {verdict}"], textfont=dict(size=16, color=PALETTE[6]),
             hoverinfo="skip"),
    ]


_INOCULA = np.geomspace(0.1, 10.0, 21)
_GROWTH = np.round(np.arange(0.1, 1.2001, 0.05), 2)


@lru_cache(maxsize=1)
def _outcome_grid() -> tuple[np.ndarray, np.ndarray]:
    # ~480 solves (≈ 2 s), done once per session; every slider position then only picks a time slice.
    return inflammation.outcome_grid(_INOCULA, _GROWTH)


@explorer(
    "cascade.outcome_map",
    sliders=[Slider("hours", "Time after infection", "h", 0.0, 480.0, 480.0, steps=17)],
    layout=base_layout(height=460, hovermode="closest",
                       xaxis=dict(title=dict(text="inoculum P₀ (10⁶ cells/cc, log scale)"), type="log"),
                       yaxis=dict(title=dict(text="pathogen growth rate k_pg (1/h)"))),
    caption=("State of the Reynolds model over inoculum and pathogen growth rate (precomputed grid "
             "of about 480 runs). At 480 h the colours are the three outcomes: health, aseptic death "
             "and septic death. Move back in time: at 30 h many hosts who will die of aseptic "
             "inflammation still look as quiet as those who will recover."),
    alt=("Categorical map with inoculum on a log horizontal axis and growth rate vertically. At the "
         "final time, health occupies small inocula and slow growth, aseptic death larger inocula at "
         "slow growth, and septic death everything with growth rates above about 0.5 to 0.9 per hour."),
)
def outcome_map(hours: float) -> list[dict]:
    times, codes = _outcome_grid()
    k = int(np.argmin(np.abs(times - hours)))
    scale = [[0, _OUTCOME_COLOURS[0]], [1 / 3, _OUTCOME_COLOURS[0]], [1 / 3, _OUTCOME_COLOURS[1]],
             [2 / 3, _OUTCOME_COLOURS[1]], [2 / 3, _OUTCOME_COLOURS[2]], [1, _OUTCOME_COLOURS[2]]]
    return [dict(type="heatmap", name="state", x=_INOCULA, y=_GROWTH, z=codes[k], zmin=0, zmax=2,
                 colorscale=scale, hovertemplate="P₀ %{x:.2f}, k_pg %{y:.2f}<extra></extra>",
                 colorbar=dict(tickvals=[1 / 3, 1, 5 / 3], thickness=14,
                               ticktext=["quiet<br>(end: healthy)",
                                         "pathogen gone,<br>damage high<br>(end: aseptic death)",
                                         "pathogen present<br>(end: septic death)"]))]
