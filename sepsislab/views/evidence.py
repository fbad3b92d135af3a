"""Figures of *The model against the evidence* (chapter 2): virtual trials beside published ones.

Every figure here is drawn from one set of virtual trials, :func:`calibration`, run on the cohort of
:mod:`sepsislab.cohort`; the published numbers come from :data:`sepsislab.scenarios.TARGETS`.
The trials take tens of seconds, so the figures are precomputed
(``python -m sepsislab.precompute evidence.delay evidence.course evidence.hydrocortisone``); the
sliders only choose which arm is read off.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .. import cohort, scenarios
from ..interactive import PALETTE, Slider, base_layout, explorer

#: Patients per arm and seed of every virtual trial on the page.
N_PATIENTS, SEED = 1000, 0
#: Hours of antibiotic delay, one arm each: the midpoints of Kumar et al.'s hourly intervals 0–6 h.
DELAYS_H = (0.5, 1.5, 2.5, 3.5, 4.5, 5.5)
#: Hours after the onset of hypotension at which hydrocortisone starts, one arm each.
STEROID_HOURS = (6.0, 12.0, 24.0)
#: Higher MAP targets (mmHg) tried against the standard 65 mmHg, one arm each (SEPSISPAM compared 80–85).
MAP_TARGETS = (75.0, 85.0)
#: Days on the survival curves (the cohort's 14-day horizon).
HORIZON_DAYS = 14


def kumar_survival(delay_h):
    """Survival (fraction) that Kumar et al. 2006 report for an antibiotic ``delay_h`` hours after the
    onset of hypotension: 79.9 % in the first hour, 7.6 points less for each further hour up to 6 h.

    Parameters
    ----------
    delay_h : float or array
        Hours after the onset of hypotension, 0–6 h (the range the published slope covers).

    Returns
    -------
    float or ndarray
        Survival to hospital discharge, fraction.
    """
    target = scenarios.TARGETS["kumar2006"]
    h = np.asarray(delay_h, dtype=float)
    lo, hi = target["slope_over_h"]
    if np.any(~np.isfinite(h)) or np.any(h < lo) or np.any(h > hi):
        raise ValueError(f"delay_h={delay_h!r} h is outside the {lo:g}–{hi:g} h that Kumar et al. 2006 summarise")
    hour = np.floor(np.minimum(h, hi - 1e-9))  # 0 for the first hour, 1 for the second …
    out = target["survival_first_hour"] + target["slope_per_hour"] * hour
    return float(out) if out.ndim == 0 else out


def _arm(hour: float) -> str:
    return f"antibiotic at {hour:g} h"


@lru_cache(maxsize=1)
def calibration() -> dict:
    """Run the page's two virtual trials once (cached), each on the same :data:`N_PATIENTS` patients.

    The first gives every patient :data:`sepsislab.cohort.STANDARD_CARE` with the antibiotic at each
    hour of :data:`DELAYS_H`, or never; the second gives standard care with the antibiotic at hour 1
    and adds hydrocortisone at each hour of :data:`STEROID_HOURS`, or a higher MAP target
    (:data:`MAP_TARGETS`), or nothing (the placebo arm).

    Returns
    -------
    dict
        ``delay``: ``delay_h``, ``survival``, ``ci_low``, ``ci_high`` (arrays, fractions) and ``trial``;
        ``no_antibiotic``: ``survival``, ``ci`` and ``death_hours`` (hours after the onset of
        hypotension); ``steroid``: by start hour, ``difference`` (survival, steroid − placebo),
        ``vasopressor_h`` (median hours on a vasopressor among survivors, per arm) and
        ``vasopressor_saved_h`` (placebo − steroid); ``placebo`` and ``placebo_vasopressor_h``: survival and
        median vasopressor hours of the placebo arm (MAP target 65 mmHg); ``map_target``: by higher target
        (:data:`MAP_TARGETS`), ``difference`` (survival, higher − 65 mmHg) and ``vasopressor_h``.
    """
    care = cohort.STANDARD_CARE
    arms = {_arm(h): {**care, "antibiotic_hour": float(h)} for h in DELAYS_H}
    arms["no antibiotic"] = dict(care)
    delays = cohort.run(arms, n=N_PATIENTS, seed=SEED)
    rows = {r["arm"]: r for r in delays.summary()}
    deaths = delays.outcomes["no antibiotic"]["death_hour"]
    base = {**care, "antibiotic_hour": 1.0}
    steroid_arms = {
        "placebo": base,
        **{f"hydrocortisone at {h:g} h": {**base, "hydrocortisone_hour": float(h)} for h in STEROID_HOURS},
        **{f"MAP {m:g}": {**base, "map_target_mmhg": float(m)} for m in MAP_TARGETS},
    }
    steroids = cohort.run(steroid_arms, n=N_PATIENTS, seed=SEED)
    placebo_vaso = steroids.median_vasopressor_hours("placebo")
    steroid = {}
    for h in STEROID_HOURS:
        arm = f"hydrocortisone at {h:g} h"
        vaso = steroids.median_vasopressor_hours(arm)
        steroid[h] = dict(
            difference=steroids.survival(arm) - steroids.survival("placebo"),
            vasopressor_h={"hydrocortisone": vaso, "placebo": placebo_vaso},
            vasopressor_saved_h=placebo_vaso - vaso,
            survival=steroids.survival(arm),
        )
    map_target = {
        m: dict(
            difference=steroids.survival(f"MAP {m:g}") - steroids.survival("placebo"),
            vasopressor_h=steroids.median_vasopressor_hours(f"MAP {m:g}"),
        )
        for m in MAP_TARGETS
    }
    return dict(
        delay=dict(
            delay_h=np.array(DELAYS_H, dtype=float),
            survival=np.array([rows[_arm(h)]["survival"] for h in DELAYS_H]),
            ci_low=np.array([rows[_arm(h)]["ci_low"] for h in DELAYS_H]),
            ci_high=np.array([rows[_arm(h)]["ci_high"] for h in DELAYS_H]),
            trial=delays,
        ),
        no_antibiotic=dict(
            survival=delays.survival("no antibiotic"),
            ci=delays.survival_ci("no antibiotic"),
            death_hours=deaths[np.isfinite(deaths)],
        ),
        steroid=steroid,
        placebo=steroids.survival("placebo"),
        placebo_vasopressor_h=placebo_vaso,
        map_target=map_target,
        steroid_trial=steroids,
    )


def delay_slope() -> float:
    """Least-squares slope of the cohort's survival against antibiotic delay.

    Returns
    -------
    float
        Change of survival per hour of delay over :data:`DELAYS_H`, fraction per hour (negative when
        delay costs lives).
    """
    d = calibration()["delay"]
    return float(np.polyfit(d["delay_h"], d["survival"], 1)[0])


def survival_curve(death_hours, n: int, days: int = HORIZON_DAYS) -> tuple[np.ndarray, np.ndarray]:
    """Fraction of ``n`` patients alive at each whole day 0–``days``, from the hours of the deaths.

    Parameters
    ----------
    death_hours : array
        Hours after the onset of hypotension at which patients died (nan for survivors is ignored).
    n : int
        Patients in the arm, ≥ 1.
    days : int
        Last day of the curve.

    Returns
    -------
    (ndarray, ndarray)
        Days 0–``days`` and the fraction alive on each (0–1).
    """
    if n < 1:
        raise ValueError(f"n={n} patients: need at least 1")
    t = np.arange(days + 1, dtype=float)
    deaths = np.asarray(death_hours, dtype=float)
    deaths = deaths[np.isfinite(deaths)] / 24.0
    return t, 1.0 - np.array([(deaths <= d).sum() for d in t]) / n


def _band(x, low, high, name: str, color: str) -> list[dict]:
    """A shaded confidence band between two curves (two traces: upper edge, then lower edge filled up)."""
    edge = dict(type="scatter", mode="lines", x=x, line=dict(width=0), hoverinfo="skip", showlegend=False)
    return [
        dict(edge, name=f"{name} upper", y=high),
        dict(edge, name=name, y=low, fill="tonexty", fillcolor=color, showlegend=True),
    ]


# -- survival against antibiotic delay --------------------------------------------------------------

_DELAY = Slider(
    "delay_h", "Read off the arm with the antibiotic at", "h", DELAYS_H[0], DELAYS_H[-1], 0.5, steps=len(DELAYS_H)
)


@explorer(
    "evidence.delay",
    sliders=[_DELAY],
    layout=base_layout(
        xaxis=dict(title="hours from the onset of hypotension to the antibiotic", range=[0, 6.5]),
        yaxis=dict(title="survival (%)", range=[0, 100]),
        hovermode="closest",
    ),
    caption=(
        "Survival against antibiotic delay. Blue: the virtual cohort (1,000 patients per arm, the same "
        "patients in every arm, standard care otherwise), with its 95 % Wilson band, alive at 14 days. "
        "Orange: Kumar et al. 2006, survival to hospital discharge of 2,731 patients — 79.9 % with an "
        "effective antibiotic in the first hour after the onset of hypotension, 7.6 points less for each "
        "further hour — drawn at the middle of each hour. Black: the same cohort with full support but no "
        "antibiotic. The slider reads off one arm."
    ),
    alt=(
        "A chart of survival in percent against the hour the antibiotic starts, 0 to 6 hours. The virtual "
        "cohort's survival falls with each hour of delay inside a shaded confidence band, beside a falling "
        "line of points from Kumar and colleagues; a flat line near the bottom marks the cohort without "
        "any antibiotic."
    ),
    precomputed=True,  # the trials behind it take tens of seconds
)
def delay(delay_h: float) -> list[dict]:
    runs = calibration()
    d = runs["delay"]
    x = d["delay_h"]
    i = int(np.argmin(np.abs(x - delay_h)))
    none = runs["no_antibiotic"]["survival"]
    return [
        *_band(x, 100 * d["ci_low"], 100 * d["ci_high"], "virtual cohort, 95 % band", "rgba(0,114,178,0.2)"),
        dict(
            type="scatter",
            mode="lines+markers",
            name="virtual cohort",
            x=x,
            y=100 * d["survival"],
            line=dict(color=PALETTE[0], width=3),
        ),
        dict(
            type="scatter",
            mode="markers",
            name="Kumar et al. 2006",
            x=x,
            y=100 * kumar_survival(x),
            marker=dict(color=PALETTE[1], size=11, symbol="diamond"),
        ),
        dict(
            type="scatter",
            mode="lines",
            name="no antibiotic (virtual cohort)",
            x=[0, 6.5],
            y=[100 * none] * 2,
            line=dict(color=PALETTE[6], dash="dash", width=2),
        ),
        dict(
            type="scatter",
            mode="markers+text",
            name="chosen arm",
            showlegend=False,
            x=[x[i], x[i]],
            y=[100 * d["survival"][i], 100 * kumar_survival(x[i])],
            text=[f"model {100 * d['survival'][i]:.0f} %", f"Kumar {100 * kumar_survival(x[i]):.0f} %"],
            textposition=["bottom right", "top right"],
            marker=dict(color=PALETTE[6], size=14, symbol="circle-open"),
        ),
    ]


# -- survival over two weeks: no antibiotic against an antibiotic ---------------------------------


@explorer(
    "evidence.course",
    sliders=[
        Slider(
            "antibiotic_h", "Compare with the antibiotic at", "h", DELAYS_H[0], DELAYS_H[-1], 0.5, steps=len(DELAYS_H)
        )
    ],
    layout=base_layout(
        xaxis=dict(title="days after the onset of hypotension", range=[0, HORIZON_DAYS], dtick=2),
        yaxis=dict(title="alive (%)", range=[0, 102]),
        hovermode="x unified",
    ),
    caption=(
        "When the virtual patients die. The fraction of the cohort alive each day over two weeks, with full "
        "support (30 mL/kg of crystalloid, norepinephrine to a MAP of 65 mmHg, source control at hour 6) "
        "but no antibiotic, and with the antibiotic at the chosen hour."
    ),
    alt=(
        "Two falling survival curves over 14 days. Without an antibiotic the curve falls steadily over the "
        "first days towards zero; with an antibiotic it falls a little in the first days and then levels off, "
        "lower the later the antibiotic."
    ),
    precomputed=True,
)
def course(antibiotic_h: float) -> list[dict]:
    runs = calibration()
    d = runs["delay"]
    i = int(np.argmin(np.abs(d["delay_h"] - antibiotic_h)))
    treated = d["trial"].outcomes[_arm(d["delay_h"][i])]["death_hour"]
    untreated = runs["no_antibiotic"]["death_hours"]
    t, alive_treated = survival_curve(treated, N_PATIENTS)
    _, alive_untreated = survival_curve(untreated, N_PATIENTS)
    return [
        dict(
            type="scatter",
            mode="lines",
            name="no antibiotic",
            x=t,
            y=100 * alive_untreated,
            line=dict(color=PALETTE[6], width=3, shape="hv"),
        ),
        dict(
            type="scatter",
            mode="lines",
            name="antibiotic at the chosen hour",
            x=t,
            y=100 * alive_treated,
            line=dict(color=PALETTE[0], width=3, shape="hv"),
        ),
    ]


# -- hydrocortisone against ADRENAL and APROCCHSS ------------------------------------------------------

_steroid_layout = base_layout(
    height=520,
    hovermode="closest",
    barmode="group",
    xaxis=dict(title="", anchor="y", domain=[0.0, 0.44]),
    yaxis=dict(title="survival difference, steroid − placebo (points)", range=[-4, 12]),
    xaxis2=dict(title="", anchor="y2", domain=[0.56, 1.0]),
    yaxis2=dict(title="vasopressor time saved (days)", anchor="x2", range=[0, 3]),
)


@explorer(
    "evidence.hydrocortisone",
    sliders=[
        Slider(
            "start_h",
            "Hydrocortisone started at",
            "h",
            STEROID_HOURS[0],
            STEROID_HOURS[-1],
            12.0,
            steps=len(STEROID_HOURS),
        )
    ],
    layout=_steroid_layout,
    caption=(
        "Hydrocortisone in the virtual cohort beside two trials. Left: survival with hydrocortisone minus "
        "survival with placebo, in percentage points (cohort at 14 days; ADRENAL and APROCCHSS at 90 days). "
        "Right: how much sooner the patients came off vasopressors (cohort: median hours on a vasopressor "
        "among survivors; ADRENAL: median time to resolution of shock, 3 against 4 days). The slider "
        "chooses when the virtual patients start hydrocortisone; the trials started it within 24 hours."
    ),
    alt=(
        "Two bar charts. Left: the survival gain from hydrocortisone for the virtual cohort, ADRENAL (about "
        "1 point) and APROCCHSS (about 6 points). Right: days of vasopressor saved, for the virtual cohort and "
        "for ADRENAL (about one day)."
    ),
    precomputed=True,
)
def hydrocortisone(start_h: float) -> list[dict]:
    steroid = calibration()["steroid"]
    hour = min(steroid, key=lambda h: abs(h - start_h))
    res = steroid[hour]
    adrenal, aprocchss = scenarios.TARGETS["venkatesh2018"], scenarios.TARGETS["annane2018"]
    trial_gain = [100 * (m[1] - m[0]) for m in (adrenal["mortality_90d"], aprocchss["mortality_90d"])]
    adrenal_saved = adrenal["shock_resolution_days"][1] - adrenal["shock_resolution_days"][0]
    names = ["virtual cohort", "ADRENAL", "APROCCHSS"]
    return [
        dict(
            type="bar",
            name="survival gain",
            x=names,
            y=[100 * res["difference"], *trial_gain],
            marker=dict(color=[PALETTE[0], PALETTE[1], PALETTE[4]]),
            showlegend=False,
            text=[f"{100 * res['difference']:+.1f}", *[f"{g:+.1f}" for g in trial_gain]],
            textposition="outside",
        ),
        dict(
            type="bar",
            name="vasopressor time saved",
            x=names[:2],
            y=[res["vasopressor_saved_h"] / 24.0, adrenal_saved],
            xaxis="x2",
            yaxis="y2",
            marker=dict(color=[PALETTE[0], PALETTE[1]]),
            showlegend=False,
            text=[f"{res['vasopressor_saved_h'] / 24.0:.1f} d", f"{adrenal_saved:.0f} d"],
            textposition="outside",
        ),
    ]


# -- a higher MAP target against SEPSISPAM ----------------------------------------------------------

_map_layout = base_layout(
    height=480,
    hovermode="closest",
    xaxis=dict(title="", anchor="y", domain=[0.0, 0.44]),
    yaxis=dict(title="survival difference, high − 65 mmHg (points)", range=[-10, 10]),
    xaxis2=dict(title="", anchor="y2", domain=[0.56, 1.0]),
    yaxis2=dict(title="median hours on a vasopressor (survivors)", anchor="x2", range=[0, 120]),
)


@explorer(
    "evidence.map_target",
    sliders=[
        Slider(
            "high_map",
            "Higher MAP target",
            "mmHg",
            MAP_TARGETS[0],
            MAP_TARGETS[-1],
            MAP_TARGETS[-1],
            steps=len(MAP_TARGETS),
        )
    ],
    layout=_map_layout,
    caption=(
        "A higher blood-pressure target. Left: survival at the higher target minus survival at 65 mmHg, in "
        "percentage points (virtual cohort at 14 days; SEPSISPAM at 28 days, 80–85 against 65–70 mmHg). "
        "Right: the virtual patients' median hours on a vasopressor at each target."
    ),
    alt=(
        "Two bar charts. Left: the survival difference of a higher MAP target for the virtual cohort and for "
        "SEPSISPAM (about 3 points fewer survivors). Right: hours on a vasopressor at 65 mmHg and at the higher "
        "target for the virtual cohort, longer at the higher target."
    ),
    precomputed=True,
)
def map_target(high_map: float) -> list[dict]:
    runs = calibration()
    m = min(runs["map_target"], key=lambda t: abs(t - high_map))
    res = runs["map_target"][m]
    sepsispam = scenarios.TARGETS["asfar2014"]["mortality_28d"]  # (high, low)
    trial_diff = 100 * (sepsispam[1] - sepsispam[0])  # survival: high − low
    return [
        dict(
            type="bar",
            name="survival difference",
            x=["virtual cohort", "SEPSISPAM"],
            y=[100 * res["difference"], trial_diff],
            marker=dict(color=[PALETTE[0], PALETTE[1]]),
            showlegend=False,
            text=[f"{100 * res['difference']:+.1f}", f"{trial_diff:+.1f}"],
            textposition="outside",
        ),
        dict(
            type="bar",
            name="hours on a vasopressor",
            x=["65 mmHg", f"{m:g} mmHg"],
            y=[runs["placebo_vasopressor_h"], res["vasopressor_h"]],
            xaxis="x2",
            yaxis="y2",
            marker=dict(color=[PALETTE[2], PALETTE[0]]),
            showlegend=False,
            text=[f"{runs['placebo_vasopressor_h']:.0f} h", f"{res['vasopressor_h']:.0f} h"],
            textposition="outside",
        ),
    ]


def population_table():
    """The cohort's distributions (:data:`sepsislab.cohort.POPULATION`) as a MyST table.

    Returns
    -------
    IPython.display.Markdown
        One row per characteristic: its distribution and role, and the median and 5th–95th
        percentiles among the :data:`N_PATIENTS` patients of the page (seed :data:`SEED`).
    """
    from IPython.display import Markdown

    pop = cohort.population(N_PATIENTS, SEED)
    rows = ["| Characteristic | Distribution and role | Median | 5th–95th percentile |", "|---|---|---|---|"]
    for name, text in cohort.POPULATION.items():
        v = pop[name]
        p5, p50, p95 = np.percentile(v, [5, 50, 95])
        rows.append(f"| `{name}` | {text} | {p50:.2f} | {p5:.2f}–{p95:.2f} |")
    return Markdown("\n".join(rows))


__all__ = [
    "calibration",
    "delay_slope",
    "kumar_survival",
    "survival_curve",
    "population_table",
    "delay",
    "course",
    "hydrocortisone",
    "map_target",
    "N_PATIENTS",
    "SEED",
    "DELAYS_H",
    "STEROID_HOURS",
    "MAP_TARGETS",
]
