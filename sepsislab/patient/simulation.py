"""Integrating the patient: the untreated prodrome up to hour 0, then the treatment plan.

One fixed-step second-order (Heun) integrator (step :data:`STEP_H`, 15 min) serves one patient and a
whole cohort alike: the states of all patients form one array and advance together. Inputs (boluses,
doses, the hour an antibiotic starts) are averaged exactly over each step, so no bolus is stepped over.
A patient dies when the physiological reserve is used up; the states then stop changing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..clinical import sofa_score
from ..models._ode import TimeSeries
from ..validation import check_number
from . import physiology as phys
from .model import IX, STATES, Kernel, healthy_state
from .parameters import Params, default_params, severity_value
from .plan import Plan, make_plan

__all__ = ["STEP_H", "HYPOTENSION_MMHG", "PRODROME_MAX_H", "Batch", "presentation", "run_batch", "simulate"]

#: h: integration step (15 min, also how often the nurse re-reads the MAP).
STEP_H = 0.25
#: mmHg: hour 0 is the first moment the MAP is below this (the time zero of Kumar et al. 2006).
HYPOTENSION_MMHG = 65.0
#: h: the longest untreated prodrome searched for the onset of hypotension.
PRODROME_MAX_H = 72.0


@dataclass(frozen=True)
class Batch:
    """Patients that differ in severity, host response, reserve and weight (arrays of equal length)."""

    severity: np.ndarray
    host_response: np.ndarray
    reserve: np.ndarray
    weight_kg: np.ndarray

    def kernel(self, p: Params) -> Kernel:
        """The vectorised right-hand side for these patients.

        Parameters
        ----------
        p : Params
            Shared parameters.

        Returns
        -------
        Kernel
        """
        return Kernel(p, self.severity, self.host_response, self.reserve, self.weight_kg)


def _step(kernel: Kernel, y: np.ndarray, u: dict, dt: float) -> np.ndarray:
    """Heun's second-order step (the inputs are constant over a step)."""
    k1 = kernel.rhs(y, u)
    k2 = kernel.rhs(y + dt * k1, u)
    return 0.5 * dt * (k1 + k2)


def _no_treatment(n_steps: int) -> dict:
    zero = np.zeros(n_steps)
    return dict(
        antibiotic=zero,
        source=zero,
        steroid=zero,
        infusion_ml_h=zero,
        infusion_ml_kg_h=zero,
        blood_units_h=zero,
        ne=zero,
        dob=zero,
        vp=zero,
    )


def _step_inputs(inputs: dict, k: int, plan: Plan | None) -> dict:
    u = {key: float(arr[k]) for key, arr in inputs.items()}
    u["map_target"] = None if plan is None else plan.map_target
    u["fio2"] = None if plan is None else plan.fio2
    return u


def presentation(p: Params, batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    """Every patient's state at hour 0, the onset of hypotension (MAP < 65 mmHg), and the onset hour.

    The untreated prodrome runs from a small escaped inoculum in a healthy adult. Hour 0 is
    defined for every severity 0–1 with the default parameters (the mildest patient the model
    follows still becomes hypotensive); parameters that never make a patient hypotensive within
    :data:`PRODROME_MAX_H` hours raise ValueError.

    Parameters
    ----------
    p : Params
        Shared parameters (not checked again here).
    batch : Batch
        The patients.

    Returns
    -------
    (ndarray, ndarray)
        States (len(STATES), n) at hour 0, and the hours from escape to hypotension (n,).
    """
    kernel = batch.kernel(p)
    y = healthy_state(p, kernel.n, kernel.reserve_0)
    n_steps = int(round(PRODROME_MAX_H / STEP_H))
    inputs = _no_treatment(n_steps)
    onset = np.full(kernel.n, np.nan)
    at_onset = y.copy()
    for k in range(n_steps):
        y = y + _step(kernel, y, _step_inputs(inputs, k, None), STEP_H)
        mapv = kernel.algebra(y, _step_inputs(inputs, k, None))["map"]
        crossed = (mapv < HYPOTENSION_MMHG) & np.isnan(onset)
        at_onset[:, crossed] = y[:, crossed]
        onset[crossed] = (k + 1) * STEP_H
        if not np.isnan(onset).any():
            break
    if np.isnan(onset).any():
        i = int(np.flatnonzero(np.isnan(onset))[0])
        raise ValueError(
            f"with these parameters a patient of severity {batch.severity[i]:g} never becomes "
            f"hypotensive (MAP < {HYPOTENSION_MMHG:g} mmHg) within {PRODROME_MAX_H:g} h, "
            "so hour 0 (the onset of hypotension) is undefined"
        )
    return at_onset, onset


@lru_cache(maxsize=256)
def presentation_one(p: Params, severity: float) -> tuple[tuple, float]:
    """:func:`presentation` of one typical patient, cached (the views revisit the same severities).

    Parameters
    ----------
    p : Params
        Parameters; the patient's reserve is ``p.reserve_0`` and weight ``p.weight_kg``.
    severity : float
        0–1.

    Returns
    -------
    (tuple, float)
        The states at hour 0 and the onset hour.
    """
    batch = Batch(np.array([severity]), np.ones(1), np.array([p.reserve_0]), np.array([p.weight_kg]))
    y, onset = presentation(p, batch)
    return tuple(y[:, 0]), float(onset[0])


def run_batch(p: Params, batch: Batch, y0: np.ndarray, plan: Plan, hours: int, on_hour=None) -> dict:
    """Integrate every patient of ``batch`` from hour 0 for ``hours`` hours under ``plan`` (unchecked kernel).

    Parameters
    ----------
    p : Params
        Shared parameters.
    batch : Batch
        The patients.
    y0 : ndarray
        States at hour 0, shape (len(STATES), n).
    plan : Plan
        A validated plan (:func:`sepsislab.patient.make_plan`).
    hours : int
        Horizon, whole hours.
    on_hour : callable, optional
        ``on_hour(hour, y, alive, kernel, u)``, called at every whole hour 0 … ``hours``.

    Returns
    -------
    dict
        ``death_hour`` (nan while alive), ``vasopressor_h`` (time on any vasopressor while alive, h),
        ``alive`` (bool) per patient and ``final`` (the last states).
    """
    kernel = batch.kernel(p)
    per_hour = int(round(1.0 / STEP_H))
    n_steps = hours * per_hour
    edges = np.arange(n_steps + 1) * STEP_H
    inputs = plan.inputs(edges, p.bolus_minutes / 60.0)
    y = np.array(y0, float)
    alive = np.ones(kernel.n, bool)
    death = np.full(kernel.n, np.nan)
    pressor_h = np.zeros(kernel.n)
    for k in range(n_steps):
        u = _step_inputs(inputs, k, plan)
        if k % per_hour == 0 and on_hour is not None:
            on_hour(k // per_hour, y, alive, kernel, u)
        on_pressor = (kernel.dose(y, u) >= p.pump_min) | (u["vp"] > 0)
        pressor_h += STEP_H * (on_pressor & alive)
        dy = _step(kernel, y, u, STEP_H)
        y = y + np.where(alive, dy, 0.0)
        if not np.all(np.isfinite(y)):
            bad = STATES[int(np.argwhere(~np.isfinite(y))[0][0])]
            raise ValueError(f"the virtual patient's state {bad!r} became non-finite at hour {(k + 1) * STEP_H:g}")
        died = alive & (y[IX["reserve"]] <= 0.0)
        death[died] = (k + 1) * STEP_H
        alive &= ~died
    if on_hour is not None:
        on_hour(hours, y, alive, kernel, _step_inputs(inputs, n_steps - 1, plan))
    return dict(death_hour=death, vasopressor_h=pressor_h, final=y, alive=alive)


#: Read-outs recorded every hour by :func:`simulate` (key in the result ← key of the kernel's algebra).
_READ_OUTS = {
    "map": "map",
    "heart_rate": "heart_rate",
    "cardiac_output": "cardiac_output",
    "stroke_volume": "stroke_volume",
    "ejection_fraction": "ejection_fraction",
    "svr": "svr",
    "cvp": "cvp",
    "wedge": "wedge",
    "pf_ratio": "pf",
    "fio2": "fio2",
    "sao2": "sao2",
    "svo2": "svo2",
    "hb": "hb",
    "do2": "do2",
    "vo2": "vo2",
    "gfr": "gfr",
    "urine_ml_h": "urine",
    "max_extraction": "er_max",
    "organ_failures": "organ_failures",
    "norepinephrine": "ne",
}


def simulate(
    params: Params | None = None,
    *,
    hours: int = 72,
    severity="moderate",
    antibiotic_hour=None,
    source_control_hour=None,
    fluid_boluses_ml=(),
    fluid_boluses_ml_kg=(),
    norepinephrine_ug_kg_min=0.0,
    dobutamine_ug_kg_min=0.0,
    vasopressin_u_min=0.0,
    hydrocortisone_hour=None,
    transfusion_units=(),
    fio2=None,
    map_target_mmhg: float = 65.0,
) -> TimeSeries:
    """Follow the virtual septic patient hour by hour under a treatment plan.

    Hour 0 is the onset of hypotension (MAP < 65 mmHg), the time zero of Kumar et al. 2006: the
    model first runs the untreated prodrome from a small escaped inoculum and starts the plan then.

    Parameters
    ----------
    params : Params, optional
        The patient's parameters (default: the reference 70-kg adult).
    hours : int
        Horizon in whole hours after the onset of hypotension (1–336).
    severity : float or str
        0–1, or "mild", "moderate", "severe": the pathogen's growth and the host's inflammatory gain.
    antibiotic_hour : float or None
        Hour an appropriate antibiotic is started (None: never). 0 to ``hours``.
    source_control_hour : float or None
        Hour the focus is drained or removed (None: never).
    fluid_boluses_ml : sequence
        Crystalloid boluses as ``(hour, mL)`` pairs, each run in over ``params.bolus_minutes``;
        a plain number means a bolus at hour 0. Each bolus 0–5000 mL.
    fluid_boluses_ml_kg : sequence
        The same in mL per kg of body weight (0–70 mL/kg each): ``[(0, 15), (1, 15)]`` is 30 mL/kg.
    norepinephrine_ug_kg_min : float, sequence or "titrate"
        Dose in µg/kg/min (0–3): one number (from hour 0), ``(hour, dose)`` steps (0 before the
        first), or ``"titrate"``: a nurse adjusts the dose every 15 min to hold ``map_target_mmhg``,
        up to ``params.ne_max``.
    dobutamine_ug_kg_min, vasopressin_u_min : float or sequence
        Dobutamine (µg/kg/min, 0–40) and vasopressin (U/min, 0–0.1), constant or in steps.
    hydrocortisone_hour : float or None
        Hour hydrocortisone (200 mg/day) is started; its effects build up over ``params.steroid_onset_h``.
    transfusion_units : sequence
        Packed red-cell units as ``(hour, units)`` pairs (each ``params.transfusion_unit_ml`` over 1 h).
    fio2 : float or None
        Inspired oxygen fraction 0.21–1; None titrates it to keep PaO₂ near ``params.pao2_target``.
    map_target_mmhg : float
        MAP aimed for when norepinephrine is titrated (50–100 mmHg; 65 in the guidelines).

    Returns
    -------
    TimeSeries
        Hourly series on ``.time`` (h): every state (``pathogen`` … ``reserve``), ``map``, ``heart_rate``,
        ``cardiac_output`` (L/min), ``stroke_volume`` (mL), ``ejection_fraction``, ``svr``
        (dyn·s·cm⁻⁵), ``cvp`` and ``wedge`` (mmHg), ``lactate`` (mmol/L), ``sofa`` (0–24) and its
        parts ``sofa_respiration`` … ``sofa_renal``, ``organ_failures`` (0–6), ``alive`` (bool),
        ``pf_ratio`` (mmHg), ``fio2``, ``sao2``, ``svo2``, ``hb`` (g/dL), ``do2``, ``vo2`` (mL/min),
        ``creatinine``, ``bilirubin`` (mg/dL), ``urine_ml_h``, ``gcs``, ``platelets`` (10⁹/L),
        ``fluid_in_ml`` and ``fluid_balance_ml`` (cumulative, mL), the doses given and
        ``oxygen_debt`` (L). ``res.onset_hour``: hours from the escape of the infection to
        hypotension; ``res.death_hour``: hour of death (None if alive). After death every series
        holds its last value.

    Raises
    ------
    ValueError
        For a bad plan (negative doses, an hour outside 0…``hours``, an unknown severity).
    """
    p = params if params is not None else default_params()
    if not isinstance(p, Params):
        raise ValueError(f"params must be a sepsislab.patient.Params, got {type(p).__name__}")
    horizon = check_number("hours", hours, unit="h", low=1, high=336)
    if horizon != int(horizon):
        raise ValueError(f"hours={horizon:g} h must be a whole number of hours (1 to 336 h)")
    horizon = int(horizon)
    sev = severity_value(severity)
    plan = make_plan(
        horizon,
        antibiotic_hour=antibiotic_hour,
        source_control_hour=source_control_hour,
        fluid_boluses_ml=fluid_boluses_ml,
        fluid_boluses_ml_kg=fluid_boluses_ml_kg,
        norepinephrine_ug_kg_min=norepinephrine_ug_kg_min,
        dobutamine_ug_kg_min=dobutamine_ug_kg_min,
        vasopressin_u_min=vasopressin_u_min,
        hydrocortisone_hour=hydrocortisone_hour,
        transfusion_units=transfusion_units,
        fio2=fio2,
        map_target_mmhg=map_target_mmhg,
    )
    return run_one(p, sev, plan, horizon)


def run_one(p: Params, severity: float, plan: Plan, hours: int) -> TimeSeries:
    """:func:`simulate` after validation: one typical patient, every read-out every hour.

    Parameters
    ----------
    p : Params
        Parameters.
    severity : float
        0–1.
    plan : Plan
        A validated plan.
    hours : int
        Horizon, whole hours.

    Returns
    -------
    TimeSeries
        As :func:`simulate`.
    """
    y0, onset = presentation_one(p, severity)
    batch = Batch(np.array([severity]), np.ones(1), np.array([p.reserve_0]), np.array([p.weight_kg]))
    rows = []

    def record(hour, y, alive, kernel, u):
        a = kernel.algebra(y, {**u, "iterations": 8})
        rows.append((y[:, 0].copy(), {k: float(np.asarray(a[v])[0]) for k, v in _READ_OUTS.items()}, u["dob"], u["vp"]))

    out = run_batch(p, batch, np.array(y0)[:, None], plan, hours, on_hour=record)
    res = TimeSeries(np.arange(hours + 1, dtype=float), {}, "h")
    for j, name in enumerate(STATES):
        res[name] = np.array([r[0][j] for r in rows])
    for key in _READ_OUTS:
        res[key] = np.array([r[1][key] for r in rows])
    res["norepinephrine"] = np.where(res["norepinephrine"] >= p.pump_min, res["norepinephrine"], 0.0)
    res["dobutamine"] = np.array([r[2] for r in rows])
    res["vasopressin"] = np.array([r[3] for r in rows])
    res["gcs"] = np.clip(np.rint(phys.GCS_MAX - p.gcs_loss * res["encephalopathy"]), 3, phys.GCS_MAX)
    given = np.zeros_like(res.time)
    bolus_h = p.bolus_minutes / 60.0
    for events, per in ((plan.boluses_ml, 1.0), (plan.boluses_ml_kg, p.weight_kg)):
        for h, amount in events:
            given += amount * per * np.clip((res.time - h) / bolus_h, 0, 1)
    res["fluid_in_ml"] = given
    extravascular = res["interstitial_fluid"] + res["lung_water"]
    res["fluid_balance_ml"] = res["blood_volume"] + extravascular - res["blood_volume"][0] - extravascular[0]
    death = float(out["death_hour"][0])
    alive = res.time < death if np.isfinite(death) else np.ones(len(res.time), bool)
    if not alive.all():  # after death every series holds its last value
        last = max(int(np.argmin(alive)) - 1, 0)
        for key in list(res):
            res[key][last + 1 :] = res[key][last]
    parts = [sofa_parts(res, i, p) for i in range(len(res.time))]
    res["sofa"] = np.array([s.total for s in parts])
    for name in ("respiration", "coagulation", "liver", "cardiovascular", "cns", "renal"):
        res[f"sofa_{name}"] = np.array([getattr(s, name) for s in parts])
    res["alive"] = alive
    res.onset_hour = onset
    res.death_hour = death if np.isfinite(death) else None
    return res


def sofa_parts(res, i: int, params: Params | None = None):
    """SOFA at hour index ``i`` of a result, from the model's organ proxies (see :func:`sofa_of`).

    Parameters
    ----------
    res : TimeSeries
        A result of :func:`simulate`.
    i : int
        Hour index.
    params : Params, optional
        Unused; kept for the callers that pass it.

    Returns
    -------
    SOFA
        :func:`sepsislab.clinical.sofa_score`'s result (``.total`` and the six organ parts).
    """
    return sofa_of(
        res["pf_ratio"][i],
        res["platelets"][i],
        res["bilirubin"][i],
        res["map"][i],
        res["norepinephrine"][i],
        res["dobutamine"][i],
        res["gcs"][i],
        res["creatinine"][i],
        res["urine_ml_h"][i],
    )


def sofa_of(pf, platelets, bilirubin, map_mmhg, norepinephrine, dobutamine, gcs, creatinine, urine_ml_h):
    """The SOFA score of one patient at one moment from the model's organ proxies.

    The patient is taken to be ventilated with PEEP ≥ 5 cmH₂O once P/F < 300 mmHg; urine output is
    the hourly rate ×24; bilirubin and creatinine are capped at the top of the score's table.

    Parameters
    ----------
    pf : float
        PaO₂/FiO₂, mmHg.
    platelets : float
        10⁹/L.
    bilirubin, creatinine : float
        mg/dL.
    map_mmhg : float
        Mean arterial pressure, mmHg.
    norepinephrine, dobutamine : float
        Doses, µg/kg/min.
    gcs : int
        Glasgow Coma Scale, 3–15.
    urine_ml_h : float
        Urine output, mL/h.

    Returns
    -------
    SOFA
        :func:`sepsislab.clinical.sofa_score`'s result.
    """
    pf = float(pf)
    return sofa_score(
        pao2_fio2=pf,
        on_respiratory_support=pf < 300,
        platelets_10e9_l=float(platelets),
        bilirubin_mg_dl=float(min(bilirubin, 60.0)),
        map_mmhg=float(map_mmhg),
        norepinephrine=float(norepinephrine),
        dobutamine=float(dobutamine),
        gcs=int(gcs),
        creatinine_mg_dl=float(min(creatinine, 25.0)),
        urine_ml_day=float(min(urine_ml_h * 24, 20000.0)),
    )
