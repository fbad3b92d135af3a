"""The organ relations on their own, for the organ pages: heart and vessels, lungs, kidney, fluids."""

from __future__ import annotations

import numpy as np

from ..clinical import ards_severity
from ..validation import check_bool, check_number
from . import physiology as phys
from .model import IX
from .parameters import Params, default_params, severity_value
from .plan import Plan
from .simulation import Batch, presentation_one, run_batch

__all__ = [
    "oxygen_saturation",
    "haemodynamics",
    "pf_from_lung_water",
    "lung_steady_state",
    "renal_function",
    "creatinine_course",
    "fluid_challenge",
    "ards_categories",
]


def _one(x) -> float:
    return float(np.asarray(x).reshape(-1)[0])


def oxygen_saturation(pao2_mmhg):
    """Haemoglobin oxygen saturation at an arterial PO₂, the Severinghaus 1979 curve the patient uses.

    Parameters
    ----------
    pao2_mmhg : float or array
        Arterial PO₂, above 0 and at most 800 mmHg.

    Returns
    -------
    float or ndarray
        SaO₂, 0–1.
    """
    po2 = np.asarray(pao2_mmhg, dtype=float)
    if np.any(~np.isfinite(po2)) or np.any(po2 <= 0) or np.any(po2 > 800):
        raise ValueError(f"pao2_mmhg must be above 0 and at most 800 mmHg, got {pao2_mmhg!r}")
    out = phys.severinghaus(po2)
    return float(out) if np.ndim(out) == 0 else out


def _checked(name: str, value, unit: str, high: float) -> np.ndarray:
    """A number or 1-D array, every element finite and within 0…``high`` (ValueError naming it otherwise)."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim > 1:
        raise ValueError(f"{name} must be a number or a 1-D sequence, got shape {arr.shape}")
    for v in arr.reshape(-1):
        check_number(name, float(v), unit=unit, low=0, high=high)
    return arr


def haemodynamics(
    *,
    blood_volume_ml=5000.0,
    no_activity=0.0,
    depressant=0.0,
    inflammation=0.0,
    norepinephrine_ug_kg_min=0.0,
    vasopressin_u_min=0.0,
    dobutamine_ug_kg_min=0.0,
    hydrocortisone: bool = False,
    params: Params | None = None,
) -> dict:
    """The patient's quasi-steady circulation at one instant (the algebra inside :func:`simulate`).

    Every numeric argument is a number or a 1-D array (arrays of equal length, or one array and
    numbers), so that a whole dose–response curve is one call.

    Parameters
    ----------
    blood_volume_ml : float or array
        Blood volume, 2000–9000 mL.
    no_activity, depressant, inflammation : float or array
        NO, myocardial-depressant and inflammatory activities, 0–4 (1 ≈ untreated septic shock).
    norepinephrine_ug_kg_min, vasopressin_u_min, dobutamine_ug_kg_min : float or array
        Doses: 0–3 µg/kg/min, 0–0.1 U/min, 0–40 µg/kg/min.
    hydrocortisone : bool
        Hydrocortisone at its full effect (after a day or more).
    params : Params, optional

    Returns
    -------
    dict
        ``map``, ``cvp``, ``wedge`` (mmHg), ``heart_rate`` (beats/min), ``cardiac_output`` (L/min),
        ``stroke_volume`` (mL), ``svr`` (dyn·s·cm⁻⁵), ``contractility`` (1 = healthy) and
        ``ejection_fraction``: floats, or arrays when any argument is an array.
    """
    p = params if params is not None else default_params()
    vol = _checked("blood_volume_ml", blood_volume_ml, "mL", 9000)
    if np.any(vol < 2000):
        raise ValueError(
            f"blood_volume_ml={blood_volume_ml!r} mL is outside the allowed range; allowed: 2000 to 9000 mL"
        )
    args = [
        vol,
        _checked("no_activity", no_activity, "1", 4),
        _checked("depressant", depressant, "1", 4),
        _checked("inflammation", inflammation, "1", 4),
        _checked("norepinephrine_ug_kg_min", norepinephrine_ug_kg_min, "µg/kg/min", 3),
        _checked("vasopressin_u_min", vasopressin_u_min, "U/min", 0.1),
        _checked("dobutamine_ug_kg_min", dobutamine_ug_kg_min, "µg/kg/min", 40),
    ]
    scalar = all(a.ndim == 0 for a in args)
    try:
        args = np.broadcast_arrays(*[np.atleast_1d(a) for a in args])
    except ValueError:
        raise ValueError("the array arguments of haemodynamics must have the same length") from None
    steroid = 1.0 if check_bool("hydrocortisone", hydrocortisone) else 0.0
    vol, no, dep, infl, ne, vp, dob = args
    c = phys.circulation_state(p, phys.derive(p), vol, no, dep, infl, ne, vp, dob, steroid, p.map_0, iterations=40)
    if np.any(np.abs(c["residual"]) > 1e-6):
        raise ValueError(
            "the circulation found no pressure at which venous return meets the heart's output; "
            "try values nearer the physiological range"
        )
    keys = (
        "map",
        "cvp",
        "wedge",
        "heart_rate",
        "cardiac_output",
        "stroke_volume",
        "svr",
        "contractility",
        "ejection_fraction",
    )
    return {k: _one(c[k]) for k in keys} if scalar else {k: np.asarray(c[k], float) for k in keys}


def pf_from_lung_water(excess_ml, params: Params | None = None):
    """P/F ratio with ``excess_ml`` of extravascular lung water above normal.

    .. math:: PF = PF_{min} + \\frac{PF_0 - PF_{min}}{1 + (W_{ex}/W_{50})^2}

    Parameters
    ----------
    excess_ml : float or array
        Lung water above normal, 0–10000 mL.
    params : Params, optional

    Returns
    -------
    float or ndarray
        PaO₂/FiO₂ in mmHg.
    """
    p = params if params is not None else default_params()
    w = np.asarray(excess_ml, dtype=float)
    if np.any(~np.isfinite(w)) or np.any(w < 0) or np.any(w > 10000):
        raise ValueError(f"excess_ml must be 0 to 10000 mL of extra lung water, got {excess_ml!r}")
    out = phys.pf_ratio(p, w)
    return float(out) if np.ndim(out) == 0 else out


def lung_steady_state(*, glycocalyx: float, wedge_mmhg: float, params: Params | None = None) -> dict:
    """Lung water and P/F ratio once filtration, lymph flow and clearance balance.

    Filtration out of the lung capillaries follows the left-atrial (wedge) pressure; the lymphatics
    carry away up to ``params.lung_lymph_reserve`` of extra filtration (the oedema safety factor of
    Guyton & Lindsey 1959), and only the rest accumulates as lung water.

    Parameters
    ----------
    glycocalyx : float
        Integrity of the pulmonary glycocalyx, 0 (shed) to 1 (intact).
    wedge_mmhg : float
        Left-atrial (pulmonary artery wedge) pressure, 0–40 mmHg.
    params : Params, optional

    Returns
    -------
    dict
        ``filtration_ml_h`` (extra filtration above normal, mL/h), ``excess_water_ml`` (mL),
        ``pf_ratio`` (mmHg) and ``berlin`` (:func:`sepsislab.clinical.ards_severity` at PEEP 5 cmH₂O).
    """
    p = params if params is not None else default_params()
    g = check_number("glycocalyx", glycocalyx, unit="fraction", low=0.0, high=1.0)
    lap = check_number("wedge_mmhg", wedge_mmhg, unit="mmHg", low=0, high=40)
    d = phys.derive(p)
    extra = float(phys.lung_filtration(p, d.tables, g, lap, phys.BARRIER.pi_p0)) - d.lung_net_0
    water = float(phys.lung_flooding(p, extra)) * p.lung_clearance_h
    pf = float(phys.pf_ratio(p, water))
    return dict(filtration_ml_h=extra, excess_water_ml=water, pf_ratio=pf, berlin=ards_severity(pf, 5.0))


def renal_function(
    *, map_mmhg: float, cvp_mmhg: float = 4.0, injury: float = 0.0, params: Params | None = None
) -> dict:
    """Glomerular filtration at a renal perfusion pressure MAP − CVP and a tubular injury 0–1.

    Parameters
    ----------
    map_mmhg : float
        Mean arterial pressure, 20–150 mmHg.
    cvp_mmhg : float
        Central venous pressure, 0–30 mmHg (the renal outflow pressure).
    injury : float
        Tubular injury, 0–0.99.
    params : Params, optional

    Returns
    -------
    dict
        ``gfr_fraction`` (1 = normal), ``gfr_ml_min``, ``urine_ml_h`` (normal blood volume) and
        ``creatinine_steady`` (mg/dL, the level creatinine settles at).
    """
    p = params if params is not None else default_params()
    mapv = check_number("map_mmhg", map_mmhg, unit="mmHg", low=20, high=150)
    cvp = check_number("cvp_mmhg", cvp_mmhg, unit="mmHg", low=0, high=30)
    k = check_number("injury", injury, unit="fraction", low=0, high=0.99)
    frac = float(phys.renal_fraction(p, phys.derive(p), mapv - cvp)) * (1 - k)
    return dict(
        gfr_fraction=frac,
        gfr_ml_min=frac * p.gfr_0 * 1000 / 60,
        urine_ml_h=p.urine_0 * frac,
        creatinine_steady=p.creatinine_0 / max(frac, 1e-3),
    )


def creatinine_course(gfr_fraction: float, hours, params: Params | None = None):
    """Plasma creatinine (mg/dL) ``hours`` after GFR falls to ``gfr_fraction`` of normal.

    Production is constant and clearance is GFR·Cr in a volume V_d, so creatinine rises
    exponentially towards Cr₀/fraction with time constant V_d/GFR: days, not hours.

    Parameters
    ----------
    gfr_fraction : float
        Filtration as a fraction of normal, 0.001–1.5.
    hours : float or array
        Time since the fall, ≥ 0 h.
    params : Params, optional

    Returns
    -------
    ndarray
        Creatinine in mg/dL at each time.
    """
    p = params if params is not None else default_params()
    f = check_number("gfr_fraction", gfr_fraction, unit="fraction", low=0.001, high=1.5)
    t = np.asarray(hours, dtype=float)
    if np.any(~np.isfinite(t)) or np.any(t < 0):
        raise ValueError(f"hours must be ≥ 0 h, got {hours!r}")
    steady = p.creatinine_0 / f
    return steady + (p.creatinine_0 - steady) * np.exp(-f * p.gfr_0 * t / p.creatinine_volume)


def fluid_challenge(
    *, glycocalyx: float, volume_ml: float = 1000.0, hours: int = 1, severity="moderate", params: Params | None = None
) -> dict:
    """Give one bolus at hour 0 to the patient with the glycocalyx held at ``glycocalyx``.

    Shedding and repair are switched off so that only the barrier differs.

    Parameters
    ----------
    glycocalyx : float
        Glycocalyx integrity 0–1.
    volume_ml : float
        Bolus, 0–5000 mL (over ``params.bolus_minutes``).
    hours : int
        When the effect is read, 1–24 h after the start.
    severity : float or str
    params : Params, optional

    Returns
    -------
    dict
        ``map_rise`` (mmHg, with − without the bolus) and ``retained`` (fraction of the bolus still
        in the vessels).
    """
    g = check_number("glycocalyx", glycocalyx, unit="fraction", low=0.0, high=1.0)
    vol = check_number("volume_ml", volume_ml, unit="mL", low=0, high=5000)
    hrs = int(check_number("hours", hours, unit="h", low=1, high=24))
    p = (params if params is not None else default_params()).replace(shedding=0.0, repair_h=1000.0, anp_shedding=0.0)
    sev = severity_value(severity)
    y0, _ = presentation_one(p, sev)
    y0 = np.array(y0)[:, None]
    y0[IX["glycocalyx"]] = g
    batch = Batch(np.array([sev]), np.ones(1), np.array([p.reserve_0]), np.array([p.weight_kg]))
    out = {}
    for name, boluses in (("with", ((0.0, vol),)), ("without", ())):
        plan = Plan(boluses_ml=boluses)
        final = run_batch(p, batch, y0, plan, hrs)["final"]
        kernel = batch.kernel(p)
        u = dict(
            antibiotic=0.0,
            source=0.0,
            steroid=0.0,
            infusion_ml_h=0.0,
            infusion_ml_kg_h=0.0,
            blood_units_h=0.0,
            ne=0.0,
            dob=0.0,
            vp=0.0,
            map_target=None,
            fio2=None,
            iterations=20,
        )
        out[name] = (_one(kernel.algebra(final, u)["map"]), _one(final[IX["blood_volume"]]))
    return dict(
        map_rise=out["with"][0] - out["without"][0], retained=(out["with"][1] - out["without"][1]) / vol if vol else 0.0
    )


def ards_categories(res) -> list[str]:
    """Berlin category at every hour of a :func:`simulate` result (PEEP 5 cmH₂O).

    Parameters
    ----------
    res : TimeSeries
        A result of :func:`sepsislab.patient.simulate`.

    Returns
    -------
    list of str
        ``"none"``, ``"mild"``, ``"moderate"`` or ``"severe"`` per hour.
    """
    return [ards_severity(float(pf), 5.0) for pf in res["pf_ratio"]]
