"""Figures of *The model against the evidence* (chapter 2): virtual trials beside published ones.

Every figure and number here is read from one set of virtual trials, the shipped calibration of
:func:`sepsislab.scenarios.calibration` (1,000 patients × 14 days, made by
``python -m sepsislab.scenarios`` and checked against the code that made it); the published numbers
come from :data:`sepsislab.scenarios.TARGETS`. The sliders only choose which arm is read off.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .. import cohort, scenarios
from ..interactive import Slider, base_layout, explorer
from ..scenarios import DELAYS_H, MAP_TARGETS, STEROID_HOURS
from .common import bars, curve, grid_layout, points, reference_line

#: Patients per arm and seed of every virtual trial on the page (those of the shipped calibration).
N_PATIENTS, SEED = 1000, 0
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


@lru_cache(maxsize=1)
def calibration() -> dict:
    """The page's virtual trials, read from :func:`sepsislab.scenarios.shipped_calibration` as arrays.

    Returns
    -------
    dict
        ``delay``: ``delay_h``, ``survival``, ``ci_low``, ``ci_high`` (arrays, fractions) and
        ``death_hours`` (one array per arm, hours after the onset of hypotension);
        ``no_antibiotic``: ``survival``, ``ci`` and ``death_hours``; ``steroid``: by start hour
        (:data:`STEROID_HOURS`), ``difference`` (survival, steroid − placebo), ``vasopressor_h``
        (median hours on a vasopressor among survivors, per arm) and ``vasopressor_saved_h``
        (placebo − steroid); ``placebo`` and ``placebo_vasopressor_h``: survival and median
        vasopressor hours of the placebo arm (MAP target 65 mmHg); ``map_target``: by higher target
        (:data:`MAP_TARGETS`), ``difference`` (survival, higher − 65 mmHg) and ``vasopressor_h``.

    Raises
    ------
    ValueError
        When the shipped file is missing or stale, or was made with another cohort than
        :data:`N_PATIENTS` patients and seed :data:`SEED`.
    """
    data = scenarios.shipped_calibration()
    if (data["n"], data["seed"]) != (N_PATIENTS, SEED):
        raise ValueError(
            f"the shipped calibration has n={data['n']}, seed={data['seed']}; the page describes "
            f"n={N_PATIENTS}, seed={SEED}: run python -m sepsislab.scenarios"
        )
    d, none, maps = data["antibiotic_delay"], data["no_antibiotic"], data["map_target"]
    return dict(
        delay=dict(
            delay_h=np.array(d["delay_h"]),
            survival=np.array(d["survival"]),
            ci_low=np.array(d["ci_low"]),
            ci_high=np.array(d["ci_high"]),
            slope_per_hour=d["slope_per_hour"],
            death_hours=[np.array(h, dtype=float) for h in d["death_h"]],
        ),
        no_antibiotic=dict(
            survival=none["survival"], ci=tuple(none["ci"]), death_hours=np.array(none["death_h"], dtype=float)
        ),
        steroid={float(h): r for h, r in data["hydrocortisone"].items()},
        placebo=data["placebo"]["survival"],
        placebo_vasopressor_h=data["placebo"]["vasopressor_h"],
        map_target={
            float(m): dict(difference=diff, vasopressor_h=maps["vasopressor_h"][m])
            for m, diff in maps["difference"].items()
        },
    )


def delay_slope() -> float:
    """Least-squares slope of the cohort's survival against antibiotic delay.

    Returns
    -------
    float
        Change of survival per hour of delay over :data:`DELAYS_H`, fraction per hour (negative when
        delay costs lives).
    """
    return float(calibration()["delay"]["slope_per_hour"])


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
    edge = dict(mode="lines", line=dict(width=0), hoverinfo="skip", showlegend=False)
    return [
        curve(f"{name} upper", x, high, color=color, **edge),
        curve(name, x, low, color=color, **{**edge, "showlegend": True}, fill="tonexty", fillcolor=color),
    ]


def _arm_index(hours, chosen: float) -> int:
    """Index of the arm nearest the slider's value."""
    return int(np.argmin(np.abs(np.asarray(hours, dtype=float) - chosen)))


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
)
def delay(delay_h: float) -> list[dict]:
    runs = calibration()
    d = runs["delay"]
    x = d["delay_h"]
    i = _arm_index(x, delay_h)
    model, kumar = 100 * d["survival"], 100 * kumar_survival(x)
    return [
        *_band(x, 100 * d["ci_low"], 100 * d["ci_high"], "virtual cohort, 95 % band", "rgba(0,114,178,0.2)"),
        curve("virtual cohort", x, model, color=0, mode="lines+markers"),
        points("Kumar et al. 2006", x, kumar, color=1, marker=dict(symbol="diamond")),
        reference_line("no antibiotic (virtual cohort)", y=100 * runs["no_antibiotic"]["survival"], span=(0, 6.5)),
        points(
            "chosen arm",
            [x[i], x[i]],
            [model[i], kumar[i]],
            size=14,
            marker=dict(symbol="circle-open"),
            showlegend=False,
            mode="markers+text",
            text=[f"model {model[i]:.0f} %", f"Kumar {kumar[i]:.0f} %"],
            textposition=["bottom right", "top right"],
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
)
def course(antibiotic_h: float) -> list[dict]:
    runs = calibration()
    d = runs["delay"]
    t, alive_treated = survival_curve(d["death_hours"][_arm_index(d["delay_h"], antibiotic_h)], N_PATIENTS)
    _, alive_untreated = survival_curve(runs["no_antibiotic"]["death_hours"], N_PATIENTS)
    step = dict(shape="hv")
    return [
        curve("no antibiotic", t, 100 * alive_untreated, color=6, mode="lines", line=step),
        curve("antibiotic at the chosen hour", t, 100 * alive_treated, color=0, mode="lines", line=step),
    ]


# -- hydrocortisone against ADRENAL and APROCCHSS ------------------------------------------------------


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
    layout=grid_layout(
        cols=2,
        panels=[
            dict(title="survival difference, steroid − placebo (points)", range=[-4, 12]),
            dict(title="vasopressor time saved (days)", range=[0, 3]),
        ],
        x=[dict(title=""), dict(title="")],
        height=520,
        hovermode="closest",
    ),
    caption=(
        "Hydrocortisone in the virtual cohort beside two trials. Survival difference: survival with "
        "hydrocortisone minus survival with placebo, in percentage points (cohort at 14 days; ADRENAL "
        "and APROCCHSS at 90 days). Vasopressor time saved: how much sooner the patients came off "
        "vasopressors (cohort: median hours on a vasopressor "
        "among survivors; ADRENAL: median time to resolution of shock, 3 against 4 days). The slider "
        "chooses when the virtual patients start hydrocortisone; the trials started it within 24 hours."
    ),
    alt=(
        "Two bar charts. One: the survival gain from hydrocortisone for the virtual cohort, ADRENAL (about "
        "1 point) and APROCCHSS (about 6 points). The other: days of vasopressor saved, for the virtual cohort and "
        "for ADRENAL (about one day)."
    ),
)
def hydrocortisone(start_h: float) -> list[dict]:
    steroid = calibration()["steroid"]
    res = steroid[STEROID_HOURS[_arm_index(STEROID_HOURS, start_h)]]
    adrenal, aprocchss = scenarios.TARGETS["venkatesh2018"], scenarios.TARGETS["annane2018"]
    gains = [
        100 * res["difference"],
        *(100 * (m[1] - m[0]) for m in (adrenal["mortality_90d"], aprocchss["mortality_90d"])),
    ]
    saved = [
        res["vasopressor_saved_h"] / 24.0,
        adrenal["shock_resolution_days"][1] - adrenal["shock_resolution_days"][0],
    ]
    return [
        bars(
            "survival gain",
            ["virtual cohort", "ADRENAL", "APROCCHSS"],
            gains,
            colors=[0, 1, 4],
            text=[f"{g:+.1f}" for g in gains],
        ),
        bars(
            "vasopressor time saved",
            ["virtual cohort", "ADRENAL"],
            saved,
            colors=[0, 1],
            text=[f"{saved[0]:.1f} d", f"{saved[1]:.0f} d"],
            panel=2,
        ),
    ]


# -- a higher MAP target against SEPSISPAM ----------------------------------------------------------


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
    layout=grid_layout(
        cols=2,
        panels=[
            dict(title="survival difference, high − 65 mmHg (points)", range=[-10, 10]),
            dict(title="median hours on a vasopressor (survivors)", range=[0, 120]),
        ],
        x=[dict(title=""), dict(title="")],
        height=480,
        hovermode="closest",
    ),
    caption=(
        "A higher blood-pressure target. Survival difference: survival at the higher target minus survival "
        "at 65 mmHg, in "
        "percentage points (virtual cohort at 14 days; SEPSISPAM at 28 days, 80–85 against 65–70 mmHg). "
        "Hours on a vasopressor: the virtual patients' median at each target."
    ),
    alt=(
        "Two bar charts. One: the survival difference of a higher MAP target for the virtual cohort and for "
        "SEPSISPAM (about 3 points fewer survivors). The other: hours on a vasopressor at 65 mmHg and at the higher "
        "target for the virtual cohort, longer at the higher target."
    ),
)
def map_target(high_map: float) -> list[dict]:
    runs = calibration()
    m = MAP_TARGETS[_arm_index(MAP_TARGETS, high_map)]
    res = runs["map_target"][m]
    high, low = scenarios.TARGETS["asfar2014"]["mortality_28d"]
    differences = [100 * res["difference"], 100 * (high - low)]  # survival: high − low target
    hours = [runs["placebo_vasopressor_h"], res["vasopressor_h"]]
    return [
        bars(
            "survival difference",
            ["virtual cohort", "SEPSISPAM"],
            differences,
            colors=[0, 1],
            text=[f"{v:+.1f}" for v in differences],
        ),
        bars(
            "hours on a vasopressor",
            ["65 mmHg", f"{m:g} mmHg"],
            hours,
            colors=[2, 0],
            text=[f"{h:.0f} h" for h in hours],
            panel=2,
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
