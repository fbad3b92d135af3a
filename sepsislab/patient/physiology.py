"""The patient's instantaneous physiology: every relation that follows from the state at one moment.

All functions take numpy arrays (one entry per patient) and return arrays, so that a whole cohort
is evaluated at once; they do not check their input (the public functions of
:mod:`sepsislab.patient` do that once, at the boundary).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..clinical import oxygen_content_unchecked, starling_flux_unchecked
from ..models import barrier, circulation, microcirculation, oxygen
from .parameters import Params

BARRIER = barrier.Params()
#: mL: width of the smooth floor of the stressed volume (numerical smoothing, not physiology).
STRESSED_SMOOTH_ML = 20.0
#: mmHg: right-atrial pressure is counted from −1 mmHg in the Starling curve (filling at P_ra = −1 is 0).
RA_ZERO_MMHG = 1.0
#: mmHg·min/L → dyn·s·cm⁻⁵.
WOOD_TO_DYN = 80.0
#: MCHC, g/dL: haemoglobin per volume of red cells.
MCHC_G_DL = 33.0
#: Glasgow Coma Scale of an alert patient.
GCS_MAX = 15.0
#: mmHg: highest left-atrial pressure the left ventricle's Starling curve is read at (a guard rail).
LAP_MAX_MMHG = 60.0

_N_GRID = np.linspace(0.0, 4.0, 161)
_G_GRID = np.linspace(0.0, 1.0, 11)
_PLUG_GRID = np.linspace(0.0, 0.9, 10)


@lru_cache(maxsize=16)
def chapter1(no_scale: float) -> dict:
    """What the patient borrows from the chapter-1 models, tabulated once.

    * circulation: the NO chain (cytokine → iNOS → NO → cGMP → vascular tone), the fully
      dilated resistance as a fraction of the resting one, and the venous unstressed volume
      that relaxation adds;
    * oxygen: NO competing with O₂ at cytochrome c oxidase (cytopathic hypoxia);
    * microcirculation: the maximal O₂ extraction of a capillary network whose shear sensing
      is lost with the glycocalyx and whose capillaries are plugged by microthrombi;
    * barrier: reflection coefficient, filtration coefficient and sub-glycocalyx oncotic
      pressure of an intact (G = 1) and a shed (G = 0) glycocalyx.
    """
    cp, op = circulation.Params(), oxygen.Params()
    chain = circulation.no_chain(np.minimum(no_scale * _N_GRID, 1.0), cp)
    rest = circulation.steady_state(cp)
    r_rest = rest["svr"] / circulation.MMHG_S_PER_ML_TO_DYN
    v_v0_rest = cp.v_v0_max - (cp.v_v0_max - cp.v_v0_min) * rest["sympathetic"]
    use = oxygen.mitochondrial_o2_use(op.tissue_o2_um, chain["no"], op)
    use0 = float(oxygen.mitochondrial_o2_use(op.tissue_o2_um, cp.no_basal, op))
    er = np.array(
        [
            [microcirculation.max_extraction(microcirculation.heterogeneity(g), plug) for plug in _PLUG_GRID]
            for g in _G_GRID
        ]
    )
    shed, intact = barrier.barrier_properties(0.0), barrier.barrier_properties(1.0)
    return dict(
        tone=np.asarray(chain["tone"], float),
        mito=np.asarray(use, float) / use0,
        dilated=cp.r_dil / r_rest,
        venous_ml=cp.v_v0_dil - v_v0_rest,
        er=er,
        shed=shed,
        intact=intact,
    )


@dataclass(frozen=True)
class Derived:
    """Constants derived from the healthy targets, so that health is a steady state."""

    v_unstressed: float
    r_vr: float
    svr_0: float
    sv_max: float
    sv_max_lv: float
    map_set: float
    cap_fraction: float
    lung_net_0: float
    red_cells_0: float
    plasma_0: float
    a_rpp_0: float
    tables: dict


def clip(x, low, high):
    """np.clip without its call overhead (the right-hand side calls it thousands of times)."""
    return np.minimum(np.maximum(x, low), high)


def sig(x):
    """Logistic function 1/(1 + e^−x), overflow-safe for arrays and floats."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def softplus(x, width):
    """Smooth max(x, 0) with the given width (same unit as x)."""
    z = np.asarray(x, float) / width
    return width * (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z))))


def fill(p: Params, hr):
    """Fraction of diastolic filling left at heart rate ``hr`` (shorter diastole fills less)."""
    return 1.0 / (1.0 + (hr / p.fill_hr_half) ** p.fill_exponent)


@lru_cache(maxsize=64)
def derive(p: Params) -> Derived:
    """The constants that make the healthy targets of ``p`` a steady state (cached per Params)."""
    msfp = p.stressed_0 / p.venous_compliance
    if msfp <= p.rap_0 + 0.5:
        raise ValueError(
            f"stressed_0={p.stressed_0:g} mL gives a filling pressure of {msfp:.1f} mmHg, "
            f"not above rap_0={p.rap_0:g} mmHg: no venous return"
        )
    x, xl = p.rap_0 + RA_ZERO_MMHG, p.lap_0 + RA_ZERO_MMHG
    f0 = float(fill(p, p.hr_0))
    sv_max = p.co_0 * 1000 / p.hr_0 / (x / (x + p.starling_half) * f0)
    sv_max_lv = p.co_0 * 1000 / p.hr_0 / (xl / (xl + p.starling_half_lv) * f0)
    if sv_max_lv <= sv_max:
        raise ValueError(
            f"starling_half_lv={p.starling_half_lv:g} mmHg with lap_0={p.lap_0:g} mmHg gives the left "
            "ventricle less reserve than the right one: raise starling_half_lv"
        )
    frac = (p.hr_0 - p.hr_min) / (p.hr_max - p.hr_min)
    tables = chapter1(p.no_scale)
    red = p.hematocrit_0 * p.blood_volume_0
    lung0 = float(lung_filtration(p, tables, 1.0, p.lap_0, BARRIER.pi_p0))
    return Derived(
        v_unstressed=p.blood_volume_0 - p.stressed_0,
        r_vr=(msfp - p.rap_0) / p.co_0,
        svr_0=(p.map_0 - p.rap_0) / p.co_0,
        sv_max=sv_max,
        sv_max_lv=sv_max_lv,
        map_set=p.map_0 - p.baro_slope * math.log(1 / frac - 1),
        # the barrier model's resting capillary pressure sits this far from P_ra towards the MAP
        cap_fraction=(BARRIER.pc0 - p.rap_0) / (p.map_0 - p.rap_0),
        lung_net_0=lung0,
        red_cells_0=red,
        plasma_0=p.blood_volume_0 - red,
        a_rpp_0=float(sig((p.map_0 - p.rap_0 - p.rpp_half) / p.rpp_slope)),
        tables=tables,
    )


def barrier_at(tables: dict, g):
    """(σ, K_f in mL/min/mmHg, π_g in mmHg) at glycocalyx integrity g: linear between shed and intact,
    as in the barrier model."""
    sh, it = tables["shed"], tables["intact"]
    return tuple(sh[k] + g * (it[k] - sh[k]) for k in ("sigma", "kf", "pi_g"))


def lung_filtration(p: Params, tables: dict, g, lap, oncotic):
    """Filtration out of the lung capillaries (mL/h), Starling with a leakier barrier as G falls.

    The pulmonary capillary pressure is the left-atrial (wedge) pressure plus
    ``lung_cap_above_la`` (Gaar et al. 1967).
    """
    sigma = barrier_at(tables, g)[0]
    kf = p.lung_kf * (1 + p.lung_kf_rise * (1 - g))
    p_cap = clip(lap + p.lung_cap_above_la, 0.0, 100.0)
    return starling_flux_unchecked(kf, p_cap, p.lung_interstitial_pressure, sigma, oncotic, p.lung_interstitial_oncotic)


def lung_flooding(p: Params, extra_filtration):
    """Filtration (mL/h) beyond what the lung lymphatics carry away: the part that accumulates."""
    return softplus(extra_filtration - p.lung_lymph_reserve, p.lung_flood_width)


def pf_ratio(p: Params, excess_water):
    """P/F ratio (mmHg) with ``excess_water`` mL of lung water above normal."""
    w = np.maximum(excess_water, 0.0)
    return p.pf_min + (p.pf_0 - p.pf_min) / (1 + (w / p.lung_water_half) ** 2)


def ne_fraction(p: Params, ne):
    """Fraction of norepinephrine's maximal effect at dose ``ne`` (µg/kg/min)."""
    return ne / (p.ne_ec50 + ne)


def circulation_state(
    p: Params, d: Derived, volume, no, dep, infl, ne, vp, dob, steroid, guess, iterations: int = 6
) -> dict:
    """The quasi-steady circulation (the baroreflex acts in seconds): MAP and all that follows.

    Guyton's venous return meets a Frank–Starling heart; the heart rate is set by the
    baroreflex from the MAP, so the MAP is found by a few secant steps from ``guess``
    (warm-started from the previous call inside the ODE). ``steroid`` is the hydrocortisone
    effect 0–1.
    """
    t = d.tables
    tone = np.interp(no, _N_GRID, t["tone"])  # 1 = healthy smooth-muscle tone, 0 = fully relaxed
    tone = tone + p.steroid_pressor * steroid * (1 - tone)  # hydrocortisone restores part of the lost tone
    relaxed = 1 - tone
    responsive = 1 - p.hyporesponse * relaxed
    ne_frac = ne_fraction(p, ne)
    dob_frac = dob / (p.dobu_ec50 + dob)
    svr = (
        d.svr_0
        * (t["dilated"] + (1 - t["dilated"]) * tone)
        * (1 + responsive * p.ne_emax * ne_frac)
        * (1 + p.vp_emax * vp / (p.vp_ec50 + vp))
        * (1 - p.dobu_vasodilation * dob_frac)
    )
    v_u = d.v_unstressed + t["venous_ml"] * relaxed - p.ne_venous_ml * ne_frac
    msfp = softplus(volume - v_u, STRESSED_SMOOTH_ML) / p.venous_compliance + RA_ZERO_MMHG
    contract = (
        (1 - p.depression_max * dep / (p.depression_half + dep))
        * (1 + p.dobu_emax * dob_frac)
        * (1 + p.ne_inotropy * ne_frac)
    )
    hr_extra = p.fever_hr * infl + p.dobu_hr * dob_frac
    span = (p.hr_max - p.hr_min) * (1 - p.baro_blunting * infl / (1.0 + infl))
    pump = d.sv_max * contract / 1000 * d.r_vr

    def solve(mapv):
        hr = np.minimum(p.hr_min + span * sig((d.map_set - mapv) / p.baro_slope) + hr_extra, p.hr_ceiling)
        # Venous return (msfp − x)/R_vr meets the Starling curve a·x/(x + K): a quadratic in x = P_ra + 1.
        a = hr * fill(p, hr) * pump
        b = a + p.starling_half - msfp
        x = 0.5 * (-b + np.sqrt(b * b + 4 * msfp * p.starling_half))
        return hr, (msfp - x) / d.r_vr, x - RA_ZERO_MMHG

    def gap(mapv):
        _, co, rap = solve(mapv)
        return co * svr + rap - mapv

    m0 = np.asarray(guess, float) + 0.0 * volume
    g0 = gap(m0)
    m1 = m0 + 0.5 * g0  # dgap/dMAP ≈ −2 in this circulation
    for _ in range(iterations):
        g1 = gap(m1)
        if iterations > 4 and np.all(np.abs(g1) < 1e-10):  # a converged one-off solve stops early
            break
        slope = g1 - g0
        safe = np.abs(slope) > 1e-12
        step = np.where(safe, g1 * (m1 - m0) / np.where(safe, slope, 1.0), 0.0)
        m0, g0 = m1, g1
        m1 = clip(m1 - step, 1.0, 300.0)
    mapv = m1
    hr, co, rap = solve(mapv)
    # the left ventricle pumps the same output from its own Starling curve: that sets the wedge pressure
    a_lv = hr * fill(p, hr) * d.sv_max_lv * contract / 1000
    lap = np.minimum(p.starling_half_lv * co / np.maximum(a_lv - co, 1e-6), LAP_MAX_MMHG) - RA_ZERO_MMHG
    return dict(
        map=mapv,
        heart_rate=hr,
        cardiac_output=co,
        cvp=rap,
        wedge=lap,
        svr=svr * WOOD_TO_DYN,
        stroke_volume=co * 1000 / hr,
        contractility=contract,
        ejection_fraction=np.minimum(0.85, p.ef_0 * contract),
        residual=gap(mapv),
    )


def severinghaus(po2):
    """Haemoglobin saturation from PO₂ in mmHg (Severinghaus 1979)."""
    return 1.0 / (23400.0 / (po2**3 + 150.0 * po2) + 1.0)


def max_extraction(tables: dict, g, plugged):
    """Bilinear look-up of the microcirculation's maximal O₂ extraction at glycocalyx g and plugging."""
    er = tables["er"]
    gi = clip(g, 0.0, 1.0) * (len(_G_GRID) - 1)
    i = np.minimum(gi.astype(int), len(_G_GRID) - 2)
    pj = clip(plugged, 0.0, _PLUG_GRID[-1]) / (_PLUG_GRID[1] - _PLUG_GRID[0])
    j = np.minimum(pj.astype(int), len(_PLUG_GRID) - 2)
    fg, fp = gi - i, pj - j
    return (1 - fg) * ((1 - fp) * er[i, j] + fp * er[i, j + 1]) + fg * ((1 - fp) * er[i + 1, j] + fp * er[i + 1, j + 1])


def do2(co, hb, sao2, pao2):
    """DO₂ (mL/min) from the unchecked CaO₂ formula of :mod:`sepsislab.clinical`."""
    return co * oxygen_content_unchecked(hb, sao2, pao2) * 10.0


def renal_fraction(p: Params, d: Derived, rpp):
    """Filtration as a fraction of normal at renal perfusion pressure ``rpp`` (mmHg), uninjured."""
    return sig((rpp - p.rpp_half) / p.rpp_slope) / d.a_rpp_0


def failing(value, threshold, sharpness, *, below: bool):
    """Smooth 0→1 step: how far an organ proxy is past its SOFA-3 failure threshold."""
    x = (1 - value / threshold) if below else (value / threshold - 1)
    return sig(x / sharpness)


def organ_failures(p: Params, pf, platelets, bilirubin, gfr_fraction, encephalopathy, map_mmhg):
    """Number of failing organ systems (0–6, smooth): the SOFA-3 thresholds of Vincent et al. 1996 for
    lungs, blood, liver, kidney and brain, and Knaus et al. 1985's MAP ≤ 49 mmHg for the circulation."""
    s = p.fail_sharpness
    e_fail = (GCS_MAX - p.fail_gcs) / p.gcs_loss
    return (
        failing(pf, p.fail_pf, s, below=True)
        + failing(platelets, p.fail_platelets, s, below=True)
        + failing(bilirubin, p.fail_bilirubin, s, below=False)
        + failing(gfr_fraction, p.fail_gfr, s, below=True)
        + failing(np.maximum(encephalopathy, 1e-9), e_fail, s, below=False)
        + failing(map_mmhg, p.fail_map, s, below=True)
    )
