"""Figures of "One infection, three endings" page: the Reynolds et al. (2006) model."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..interactive import PALETTE, Slider, base_layout, explorer
from ..models import inflammation
from .common import stacked_layout
from .storm import thin

# --- 3. The Reynolds et al. (2006) model -----------------------------------------------------
INFL_HOURS = 300.0
_OUTCOME_COLOURS = [PALETTE[2], PALETTE[4], PALETTE[1]]  # healthy, aseptic, septic


@explorer(
    "outcomes.time_course",
    sliders=[
        Slider("initial_pathogen", "Inoculum P₀", "10⁶ cells/cc", 0.125, 8.0, 1.0, steps=7, log=True),
        Slider("k_pg", "Pathogen growth rate k_pg", "1/h", 0.1, 1.0, 0.3, steps=10),
    ],
    layout=stacked_layout(height=710, gap=0.08,
                          x=dict(title="time after infection (h)", range=[0, INFL_HOURS]),
                          panels=[dict(title="pathogen P (log)", type="log", range=[-2, 1.4]),
                                  dict(title="N* and C_A", range=[0, 1.3]),
                                  dict(title="damage D", range=[0, 18.5])]),
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
    keep = thin(res.time, 24.0, 12)
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
    "outcomes.map",
    sliders=[Slider("hours", "Time after infection", "h", 0.0, 480.0, 480.0, steps=17)],
    layout=base_layout(height=460, hovermode="closest",
                       xaxis=dict(title=dict(text="inoculum P₀ (10⁶ cells/cc, log scale)"), type="log"),
                       yaxis=dict(title=dict(text="pathogen growth rate k_pg (1/h)"))),
    caption=(f"State of the Reynolds model at the chosen time, for each pair of inoculum and pathogen "
             f"growth rate (a precomputed grid of {_INOCULA.size} × {_GROWTH.size} runs). A cell is "
             "coloured by what an observer would see then: quiet (pathogen cleared, damage low), pathogen "
             "gone with damage high, or pathogen still present. At 480 h these are the three outcomes — "
             "health, aseptic death, septic death. Move back in time to see how early each fate shows."),
    alt=("Categorical map with inoculum on a log horizontal axis and growth rate vertically. At the "
         "final time, health occupies small inocula and slow growth, aseptic death larger inocula at "
         "slow growth, and septic death the faster-growing pathogens. Early on, more cells still show "
         "pathogen; cells that end in aseptic death mostly show either pathogen or high damage, "
         "rarely the quiet colour."),
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


def map_summary(hours: float) -> dict[str, int]:
    """What the outcome map shows at ``hours`` (h): cells in each state, and where later deaths sit.

    ``quiet``, ``damage`` and ``pathogen`` count the cells of each colour at that time;
    ``aseptic_quiet``, ``aseptic_damage`` and ``aseptic_pathogen`` split the cells that end in
    aseptic death (at 480 h) by the colour they show at ``hours``; ``healthy_pathogen`` counts
    future survivors still carrying the pathogen. The page glues these numbers into its text.
    """
    times, codes = _outcome_grid()
    now, final = codes[int(np.argmin(np.abs(times - hours)))], codes[-1]
    aseptic = final == 1
    return dict(quiet=int((now == 0).sum()), damage=int((now == 1).sum()), pathogen=int((now == 2).sum()),
                aseptic_quiet=int((aseptic & (now == 0)).sum()), aseptic_damage=int((aseptic & (now == 1)).sum()),
                aseptic_pathogen=int((aseptic & (now == 2)).sum()),
                healthy_pathogen=int(((final == 0) & (now == 2)).sum()), cells=int(now.size))
