"""Named scenarios that pages, views and tests share: the standard bundle, and the calibration trials.

Two kinds:

* **one patient** (:func:`run`, :func:`standard`): cached 72-hour runs of
  :func:`sepsislab.patient.simulate` under a plan, for the chapter-2 figures and their text;
* **virtual trials** (:func:`antibiotic_delay_trial`, :func:`no_antibiotic_trial`,
  :func:`hydrocortisone_trial`, :func:`map_target_trial`): the cohort of :mod:`sepsislab.cohort`
  beside the published numbers in :data:`TARGETS`, for the page that puts the model against the evidence and for
  ``tests/test_calibration.py``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import cohort, patient

__all__ = [
    "HOURS",
    "STANDARD",
    "boluses",
    "run",
    "standard",
    "TARGETS",
    "antibiotic_delay_trial",
    "no_antibiotic_trial",
    "hydrocortisone_trial",
    "map_target_trial",
    "delay_slope",
    "DELAYS_H",
    "STEROID_HOURS",
    "MAP_TARGETS",
    "calibration",
    "shipped_calibration",
    "model_stamp",
    "CALIBRATION_FILE",
]

#: Horizon of the one-patient scenarios (h).
HOURS = 72

#: Surviving Sepsis Campaign-style bundle used by the organ pages: 30 mL/kg of crystalloid for the
#: 70-kg reference patient (2100 mL, as 1000-mL boluses from hour 0), norepinephrine titrated to a
#: MAP of 65 mmHg, source control at hour 6.
STANDARD = dict(fluids_ml=2100.0, norepinephrine="titrate", source_control_hour=6.0)

#: Published numbers the model is compared with (each with its BibTeX key in ``book/references.bib``).
TARGETS = {
    "kumar2006": dict(
        cite="kumar2006",
        n=2731,
        what="septic shock: survival to hospital discharge by the hour effective antimicrobials began "
        "after the onset of hypotension",
        survival_first_hour=0.799,
        slope_per_hour=-0.076,
        slope_range=(-0.099, -0.036),
        slope_over_h=(0.0, 6.0),
    ),
    "venkatesh2018": dict(
        cite="venkatesh2018",
        n=3658,
        what="ADRENAL: hydrocortisone 200 mg/day vs placebo in ventilated patients with septic shock",
        mortality_90d=(0.279, 0.288),
        shock_resolution_days=(3.0, 4.0),
    ),
    "annane2018": dict(
        cite="annane2018",
        n=1241,
        what="APROCCHSS: hydrocortisone + fludrocortisone vs placebo in septic shock",
        mortality_90d=(0.430, 0.491),
    ),
    "asfar2014": dict(
        cite="asfar2014",
        n=776,
        what="SEPSISPAM: MAP target 80–85 vs 65–70 mmHg in septic shock",
        mortality_28d=(0.366, 0.340),
    ),
}


def boluses(total_ml: float) -> list[tuple[float, float]]:
    """A total volume given as 1000-mL boluses, one per hour from hour 0.

    Parameters
    ----------
    total_ml : float
        Total crystalloid, mL (≥ 0).

    Returns
    -------
    list of (float, float)
        ``(hour, mL)`` pairs for ``fluid_boluses_ml``.
    """
    out, hour, left = [], 0.0, float(total_ml)
    while left > 1e-9:
        out.append((hour, min(1000.0, left)))
        left -= 1000.0
        hour += 1.0
    return out


@lru_cache(maxsize=512)
def _run(severity: float, antibiotic_hour, fluids_ml: float, norepinephrine, source_control_hour):
    return patient.simulate(
        hours=HOURS,
        severity=severity,
        antibiotic_hour=antibiotic_hour,
        fluid_boluses_ml=boluses(fluids_ml),
        norepinephrine_ug_kg_min=norepinephrine,
        source_control_hour=source_control_hour,
    )


def run(severity: float, antibiotic_hour=None, fluids_ml: float = 0.0, norepinephrine=0.0, source_control_hour=None):
    """A cached 72-hour patient run (arguments rounded so that nearby slider values share a run).

    Parameters
    ----------
    severity : float
        0–1 (rounded to steps of 0.05).
    antibiotic_hour, source_control_hour : float or None
        Hours after the onset of hypotension (rounded to whole hours); None: never.
    fluids_ml : float
        Crystalloid in 1000-mL boluses from hour 0 (rounded to 100 mL).
    norepinephrine : float or "titrate"
        Constant dose (µg/kg/min, rounded to 0.01) or titrated to a MAP of 65 mmHg.

    Returns
    -------
    TimeSeries
        The result of :func:`sepsislab.patient.simulate` (shared: do not modify it).
    """

    def r(v, d=2):
        return None if v is None else round(float(v), d)

    ne = norepinephrine if isinstance(norepinephrine, str) else r(norepinephrine, 2)
    return _run(
        round(float(severity) * 20) / 20, r(antibiotic_hour, 0), r(fluids_ml, -2), ne, r(source_control_hour, 0)
    )


def standard(severity: float, antibiotic_hour: float):
    """The patient under :data:`STANDARD` with the antibiotic started at ``antibiotic_hour`` (72 h, cached).

    Parameters
    ----------
    severity : float
        0–1 (rounded to steps of 0.05).
    antibiotic_hour : float
        Hours after the onset of hypotension (rounded to whole hours).

    Returns
    -------
    TimeSeries
        The result of :func:`sepsislab.patient.simulate` (shared: do not modify it).
    """
    return run(
        severity, antibiotic_hour, STANDARD["fluids_ml"], STANDARD["norepinephrine"], STANDARD["source_control_hour"]
    )


# -- virtual trials against the evidence ---------------------------------------------------------


def antibiotic_delay_trial(
    delays=(0.5, 1, 2, 3, 4, 5, 6), *, n: int = 1000, seed: int = 0, hours: int = 336, client=None
) -> dict:
    """Survival under :data:`sepsislab.cohort.STANDARD_CARE` by the hour the antibiotic starts (Kumar 2006).

    Parameters
    ----------
    delays : sequence of float
        Hours after the onset of hypotension at which each arm starts the antibiotic.
    n, seed, hours, client
        As in :func:`sepsislab.cohort.run`.

    Returns
    -------
    dict
        ``delay_h`` (array), ``survival``, ``ci_low``, ``ci_high`` (fractions, Wilson 95 %), ``trial``
        (the :class:`sepsislab.cohort.Trial`) and ``target`` (:data:`TARGETS` ``["kumar2006"]``).
    """
    arms = {f"antibiotic at {h:g} h": {**cohort.STANDARD_CARE, "antibiotic_hour": float(h)} for h in delays}
    trial = cohort.run(arms, n=n, seed=seed, hours=hours, client=client)
    rows = trial.summary()
    return dict(
        delay_h=np.array([float(h) for h in delays]),
        survival=np.array([r["survival"] for r in rows]),
        ci_low=np.array([r["ci_low"] for r in rows]),
        ci_high=np.array([r["ci_high"] for r in rows]),
        trial=trial,
        target=TARGETS["kumar2006"],
    )


def delay_slope(result: dict, over_h=(0.0, 6.0)) -> float:
    """Least-squares slope of survival against antibiotic delay within ``over_h`` hours.

    Parameters
    ----------
    result : dict
        The result of :func:`antibiotic_delay_trial`.
    over_h : (float, float)
        First and last delay (h) included.

    Returns
    -------
    float
        Change of survival per hour of delay (fraction per hour; negative when delay costs lives).
    """
    h = result["delay_h"]
    keep = (h >= over_h[0]) & (h <= over_h[1])
    return float(np.polyfit(h[keep], result["survival"][keep], 1)[0])


def no_antibiotic_trial(*, n: int = 1000, seed: int = 0, hours: int = 336, client=None) -> dict:
    """Full support (:data:`sepsislab.cohort.STANDARD_CARE`: fluids, titrated norepinephrine, source control
    at hour 6) but no antibiotic, beside the same patients with an antibiotic at hour 1.

    Parameters
    ----------
    n, seed, hours, client
        As in :func:`sepsislab.cohort.run`.

    Returns
    -------
    dict
        ``survival`` and ``ci`` of the arm without antibiotic, ``survival_with`` of the arm with,
        ``death_hours`` (array, hours after onset, of the patients who died without antibiotic) and ``trial``.
    """
    trial = cohort.run(
        {
            "no antibiotic": dict(cohort.STANDARD_CARE),
            "antibiotic at 1 h": {**cohort.STANDARD_CARE, "antibiotic_hour": 1.0},
        },
        n=n,
        seed=seed,
        hours=hours,
        client=client,
    )
    deaths = trial.outcomes["no antibiotic"]["death_hour"]
    return dict(
        survival=trial.survival("no antibiotic"),
        ci=trial.survival_ci("no antibiotic"),
        survival_with=trial.survival("antibiotic at 1 h"),
        death_hours=deaths[~np.isnan(deaths)],
        trial=trial,
    )


def hydrocortisone_trial(
    *,
    start_hour: float = 12.0,
    antibiotic_hour: float = 1.0,
    n: int = 1000,
    seed: int = 0,
    hours: int = 336,
    client=None,
) -> dict:
    """Hydrocortisone against placebo on top of :data:`sepsislab.cohort.STANDARD_CARE` (ADRENAL, APROCCHSS).

    Parameters
    ----------
    start_hour : float
        Hour after the onset of hypotension hydrocortisone starts (both trials randomised within 24 h).
    antibiotic_hour : float
        Hour every patient gets the antibiotic.
    n, seed, hours, client
        As in :func:`sepsislab.cohort.run`.

    Returns
    -------
    dict
        ``survival`` and ``ci`` per arm (``"hydrocortisone"``, ``"placebo"``), ``difference`` (survival
        with − without, fraction), ``vasopressor_h`` (median hours on a vasopressor among survivors, per
        arm), ``vasopressor_saved_h`` (placebo − hydrocortisone), ``trial`` and ``targets``.
    """
    base = {**cohort.STANDARD_CARE, "antibiotic_hour": float(antibiotic_hour)}
    trial = cohort.run(
        {"hydrocortisone": {**base, "hydrocortisone_hour": float(start_hour)}, "placebo": base},
        n=n,
        seed=seed,
        hours=hours,
        client=client,
    )
    arms = ("hydrocortisone", "placebo")
    vaso = {a: trial.median_vasopressor_hours(a) for a in arms}
    return dict(
        survival={a: trial.survival(a) for a in arms},
        ci={a: trial.survival_ci(a) for a in arms},
        difference=trial.survival("hydrocortisone") - trial.survival("placebo"),
        vasopressor_h=vaso,
        vasopressor_saved_h=vaso["placebo"] - vaso["hydrocortisone"],
        trial=trial,
        targets={k: TARGETS[k] for k in ("venkatesh2018", "annane2018")},
    )


def map_target_trial(
    *, targets=(65.0, 85.0), antibiotic_hour: float = 1.0, n: int = 1000, seed: int = 0, hours: int = 336, client=None
) -> dict:
    """A low against a high MAP target under :data:`sepsislab.cohort.STANDARD_CARE` (SEPSISPAM).

    Parameters
    ----------
    targets : (float, float)
        The low and the high MAP target, mmHg (50–100).
    antibiotic_hour : float
        Hour every patient gets the antibiotic.
    n, seed, hours, client
        As in :func:`sepsislab.cohort.run`.

    Returns
    -------
    dict
        ``survival`` and ``vasopressor_h`` (median, survivors) per target (mmHg), ``difference`` (survival
        at the high − the low target, fraction), ``trial`` and ``target`` (:data:`TARGETS` ``["asfar2014"]``).
    """
    base = {**cohort.STANDARD_CARE, "antibiotic_hour": float(antibiotic_hour)}
    arms = {f"MAP {m:g}": {**base, "map_target_mmhg": float(m)} for m in targets}
    trial = cohort.run(arms, n=n, seed=seed, hours=hours, client=client)
    names = list(arms)
    return dict(
        survival={m: trial.survival(a) for m, a in zip(targets, names)},
        vasopressor_h={m: trial.median_vasopressor_hours(a) for m, a in zip(targets, names)},
        difference=trial.survival(names[-1]) - trial.survival(names[0]),
        trial=trial,
        target=TARGETS["asfar2014"],
    )


# -- the full calibration, shipped so that a page does not re-run 14,000 patient courses -------------

#: Where ``python -m sepsislab.scenarios`` writes :func:`calibration` (read by :func:`shipped_calibration`).
CALIBRATION_FILE = Path(__file__).resolve().parent / "precomputed" / "calibration.json"
_STAMPED = (
    "patient/__init__.py",
    "patient/parameters.py",
    "patient/plan.py",
    "patient/physiology.py",
    "patient/model.py",
    "patient/simulation.py",
    "cohort.py",
    "scenarios.py",
)


def model_stamp() -> str:
    """SHA-256 of the source of the patient, the cohort and these scenarios.

    Returns
    -------
    str
        Hex digest; it changes whenever their code does.
    """
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for rel in _STAMPED:
        digest.update(rel.encode())
        digest.update((root / rel).read_bytes())
    return digest.hexdigest()


#: Arms of the shipped calibration, the trials the evidence page draws: the hours of antibiotic delay
#: (midpoints of Kumar et al.'s hourly intervals 0–6 h), the hours at which hydrocortisone starts, and
#: the higher MAP targets (mmHg) tried against 65 mmHg (SEPSISPAM compared 80–85).
DELAYS_H = (0.5, 1.5, 2.5, 3.5, 4.5, 5.5)
STEROID_HOURS = (6.0, 12.0, 24.0)
MAP_TARGETS = (75.0, 85.0)


def _deaths(trial: cohort.Trial, arm: str) -> list[float]:
    """Hours of the deaths in one arm (survivors left out), rounded to 0.01 h for the JSON file."""
    hours = trial.outcomes[arm]["death_hour"]
    return [round(float(h), 2) for h in hours[np.isfinite(hours)]]


def calibration(*, n: int = 1000, seed: int = 0, hours: int = 336, client=None) -> dict:
    """The calibration trials as plain numbers (JSON-ready), beside :data:`TARGETS`.

    Every trial treats the same ``n`` patients (paired design): antibiotic at each hour of
    :data:`DELAYS_H` or never; hydrocortisone from each hour of :data:`STEROID_HOURS` against placebo;
    a MAP target of 65 mmHg against each of :data:`MAP_TARGETS` (both with the antibiotic at hour 1).

    Parameters
    ----------
    n, seed, hours, client
        As in :func:`sepsislab.cohort.run`.

    Returns
    -------
    dict
        ``antibiotic_delay``: ``delay_h``, ``survival``, ``ci_low``, ``ci_high`` (lists, fractions),
        ``slope_per_hour`` and ``death_h`` (per arm, the hours of the deaths);
        ``no_antibiotic``: ``survival``, ``ci``, ``survival_with`` and ``death_h``;
        ``hydrocortisone``: by start hour (as text, e.g. ``"12"``), ``survival``, ``difference``
        (steroid − placebo), ``vasopressor_h`` (median hours among survivors, per arm) and
        ``vasopressor_saved_h``; ``placebo``: ``survival`` and ``vasopressor_h``;
        ``map_target``: ``survival`` and ``vasopressor_h`` by target (as text, 65 included) and
        ``difference`` (each higher target − 65 mmHg); the cohort's ``n``, ``seed`` and ``hours``,
        ``targets`` and the ``stamp`` of the code that made them.
    """
    cohort_args = dict(n=n, seed=seed, hours=hours, client=client)
    delay = antibiotic_delay_trial(DELAYS_H, **cohort_args)
    none = no_antibiotic_trial(**cohort_args)
    steroid = {h: hydrocortisone_trial(start_hour=h, **cohort_args) for h in STEROID_HOURS}
    pressure = map_target_trial(targets=(65.0, *MAP_TARGETS), **cohort_args)
    placebo = steroid[STEROID_HOURS[0]]
    return dict(
        n=n,
        seed=seed,
        hours=hours,
        stamp=model_stamp(),
        targets=TARGETS,
        antibiotic_delay=dict(
            delay_h=delay["delay_h"].tolist(),
            survival=delay["survival"].tolist(),
            ci_low=delay["ci_low"].tolist(),
            ci_high=delay["ci_high"].tolist(),
            slope_per_hour=delay_slope(delay),
            death_h=[_deaths(delay["trial"], arm) for arm in delay["trial"].outcomes],
        ),
        no_antibiotic=dict(
            survival=none["survival"],
            ci=list(none["ci"]),
            survival_with=none["survival_with"],
            death_h=_deaths(none["trial"], "no antibiotic"),
        ),
        hydrocortisone={
            f"{h:g}": dict(
                survival=r["survival"]["hydrocortisone"],
                difference=r["difference"],
                vasopressor_h=r["vasopressor_h"],
                vasopressor_saved_h=r["vasopressor_saved_h"],
            )
            for h, r in steroid.items()
        },
        placebo=dict(survival=placebo["survival"]["placebo"], vasopressor_h=placebo["vasopressor_h"]["placebo"]),
        map_target=dict(
            survival={f"{k:g}": v for k, v in pressure["survival"].items()},
            vasopressor_h={f"{k:g}": v for k, v in pressure["vasopressor_h"].items()},
            difference={f"{m:g}": pressure["survival"][m] - pressure["survival"][65.0] for m in MAP_TARGETS},
        ),
    )


@lru_cache(maxsize=1)
def shipped_calibration() -> dict:
    """:func:`calibration` as shipped in :data:`CALIBRATION_FILE` (1,000 patients × 14 days, seed 0).

    Returns
    -------
    dict
        As :func:`calibration` (shared between callers: do not modify it).

    Raises
    ------
    ValueError
        When the file is missing or was made by other code than the installed one
        (regenerate it with ``python -m sepsislab.scenarios``).
    """
    if not CALIBRATION_FILE.exists():
        raise ValueError(f"{CALIBRATION_FILE} is missing: run python -m sepsislab.scenarios")
    data = json.loads(CALIBRATION_FILE.read_text())
    if data.get("stamp") != model_stamp():
        raise ValueError(
            f"{CALIBRATION_FILE.name} was made by an older patient or cohort: run python -m sepsislab.scenarios"
        )
    return data


def main() -> int:
    """``python -m sepsislab.scenarios``: recompute the shipped calibration (about two minutes).

    Returns
    -------
    int
        Exit status 0.
    """
    data = calibration()
    CALIBRATION_FILE.write_text(json.dumps(data, indent=1) + "\n")
    print(
        f"{CALIBRATION_FILE}: survival {data['antibiotic_delay']['survival']}, "
        f"slope {data['antibiotic_delay']['slope_per_hour']:.4f}/h"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
