"""The patient's right-hand side, vectorised over a batch of patients (one column per patient).

States are rows of an array of shape (len(STATES), n). Each patient has its own pathogen growth,
inflammatory gain, physiological reserve and body weight; everything else is shared through
:class:`~sepsislab.patient.parameters.Params`. The kernel does not check its input: the public
functions validate once, at the boundary.
"""

from __future__ import annotations

import numpy as np

from . import physiology as phys
from .parameters import Params
from .physiology import clip

__all__ = ["STATES", "Kernel", "healthy_state"]

STATES = [
    "pathogen",
    "inflammation",
    "no",
    "depressant",
    "glycocalyx",
    "blood_volume",
    "interstitial_fluid",
    "lung_water",
    "kidney_injury",
    "creatinine",
    "liver_injury",
    "bilirubin",
    "encephalopathy",
    "platelets",
    "red_cells",
    "lactate",
    "oxygen_debt",
    "reserve",
    "steroid_effect",
    "ne_control",
    "damage",
]
IX = {name: i for i, name in enumerate(STATES)}
#: States that are amounts, concentrations or fractions (never negative); ``ne_control`` is the
#: nurse's controller state, which is not.
NON_NEGATIVE = [s for s in STATES if s not in ("ne_control", "reserve")]
#: kg: the adult whose volumes :class:`Params` gives (blood volume 5000 mL ≈ 70 mL/kg); a patient of
#: another weight is this body scaled, so a volume given in mL acts in proportion to 70 kg / weight.
REFERENCE_WEIGHT_KG = 70.0
#: mL O₂/min → L O₂/h, and min per h (flows of the barrier model are per minute).
ML_MIN_TO_L_H = 60.0 / 1000.0
MIN_PER_H = 60.0
#: Numerical guard rails that keep each relation inside its domain (never reached in the physiological
#: range; they stop a wild trial plan from producing a division by zero): floors of blood and plasma
#: volume (mL), ceiling of plasma oncotic pressure (mmHg), bounds of capillary and interstitial pressure
#: (mmHg), of PaO₂ (mmHg) and of haemoglobin (g/dL).
GUARDS = dict(
    volume_min_ml=500.0,
    plasma_min_ml=300.0,
    oncotic_max=60.0,
    capillary=(0.0, 100.0),
    interstitial=(-20.0, 50.0),
    pao2=(10.0, 700.0),
    hb=(1.0, 25.0),
    fio2=(0.21, 1.0),
)
_BP = phys.BARRIER


def healthy_state(p: Params, n: int, reserve) -> np.ndarray:
    """The healthy steady state with the escaped inoculum, for ``n`` patients."""
    d = phys.derive(p)
    y = dict(
        pathogen=p.escape_load,
        inflammation=0.0,
        no=0.0,
        depressant=0.0,
        glycocalyx=1.0,
        blood_volume=p.blood_volume_0,
        interstitial_fluid=_BP.vi0,
        lung_water=p.lung_water_0,
        kidney_injury=0.0,
        creatinine=p.creatinine_0,
        liver_injury=0.0,
        bilirubin=p.bilirubin_0,
        encephalopathy=0.0,
        platelets=p.platelets_0,
        red_cells=d.red_cells_0,
        lactate=p.lactate_0,
        oxygen_debt=0.0,
        reserve=0.0,
        steroid_effect=0.0,
        ne_control=0.0,
        damage=0.0,
    )
    out = np.array([np.full(n, y[s], float) for s in STATES])
    out[IX["reserve"]] = reserve
    return out


class Kernel:
    """Right-hand side and instantaneous read-outs for a batch of patients.

    Parameters
    ----------
    p : Params
        Shared parameters.
    severity : ndarray
        0–1 per patient: sets pathogen growth and the host's inflammatory gain.
    host_response : ndarray
        Multiplier of the inflammatory gain per patient (1 = typical host).
    reserve : ndarray
        Initial physiological reserve per patient (1 = the reference adult).
    weight_kg : ndarray
        Body weight per patient (kg); volumes given in mL act in proportion to 1/weight.
    """

    def __init__(self, p: Params, severity, host_response, reserve, weight_kg):
        self.p, self.d = p, phys.derive(p)
        sev = np.asarray(severity, float)
        self.n = sev.size
        self.growth = p.growth_low + (p.growth_high - p.growth_low) * sev
        self.gain = (p.gain_low + (p.gain_high - p.gain_low) * sev) * np.asarray(host_response, float)
        self.reserve_0 = np.asarray(reserve, float) + 0.0 * sev
        self.volume_scale = REFERENCE_WEIGHT_KG / (np.asarray(weight_kg, float) + 0.0 * sev)
        self.guess = np.full(self.n, p.map_0)
        self.u_max = float(phys.ne_fraction(p, p.ne_max))

    # -- inputs ------------------------------------------------------------------------------
    def dose(self, y, u) -> np.ndarray:
        """Norepinephrine (µg/kg/min) acting now: the schedule, or the titrating nurse's dose."""
        if u["map_target"] is None:
            return np.full(self.n, u["ne"])
        frac = clip(y[IX["ne_control"]], 0.0, self.u_max)
        return self.p.ne_ec50 * frac / (1.0 - frac)

    # -- algebra -----------------------------------------------------------------------------
    def algebra(self, y, u) -> dict:
        """Every quantity that follows instantly from the state ``y`` and the step inputs ``u``."""
        p, d = self.p, self.d
        I, N, M = (np.maximum(y[IX[k]], 0.0) for k in ("inflammation", "no", "depressant"))  # noqa: E741
        G = clip(y[IX["glycocalyx"]], 0.0, 1.0)
        V = np.maximum(y[IX["blood_volume"]], GUARDS["volume_min_ml"])
        Vi, W, K = y[IX["interstitial_fluid"]], y[IX["lung_water"]], y[IX["kidney_injury"]]
        Plt, R = y[IX["platelets"]], y[IX["red_cells"]]
        ne = self.dose(y, u)
        c = phys.circulation_state(
            p,
            d,
            V,
            N,
            M,
            I,
            ne,
            u["vp"],
            u["dob"],
            y[IX["steroid_effect"]],
            self.guess,
            iterations=u.get("iterations", 2),
        )
        self.guess = c["map"]
        mapv, rap = c["map"], c["cvp"]
        plasma = np.maximum(V - R, GUARDS["plasma_min_ml"])
        oncotic = np.minimum(_BP.pi_p0 * d.plasma_0 / plasma, GUARDS["oncotic_max"])
        # systemic leak: the barrier model's revised Starling flux (no-absorption rule) and lymph, mL/h
        pc = clip(rap + d.cap_fraction * (mapv - rap), *GUARDS["capillary"])
        pi = clip(_interstitial_pressure(Vi - _BP.vi0), *GUARDS["interstitial"])
        sigma, kf, pi_g = phys.barrier_at(d.tables, G)
        leak = MIN_PER_H * np.maximum(phys.starling_flux_unchecked(kf, pc, pi, sigma, oncotic, pi_g), 0.0)
        lymph = MIN_PER_H * clip(_BP.lymph0 + _BP.k_lymph * (pi - _BP.pi0), 0.0, _BP.lymph_max)
        lung_extra = phys.lung_filtration(p, d.tables, G, c["wedge"], oncotic) - d.lung_net_0
        flood = phys.lung_flooding(p, lung_extra)
        # kidney
        autoreg = phys.renal_fraction(p, d, mapv - rap)
        gfr = p.gfr_0 * autoreg * (1 - K)
        urine = (
            p.urine_0
            * (gfr / p.gfr_0)
            * np.minimum(p.urine_max_ratio, (V / p.blood_volume_0) ** p.urine_volume_exponent)
        )
        # lungs and oxygen
        pf = phys.pf_ratio(p, W - p.lung_water_0)
        fio2 = np.full(self.n, u["fio2"]) if u["fio2"] is not None else clip(p.pao2_target / pf, *GUARDS["fio2"])
        pao2 = clip(pf * fio2, *GUARDS["pao2"])
        sao2 = phys.severinghaus(pao2)
        hb = clip(phys.MCHC_G_DL * R / V, *GUARDS["hb"])
        do2 = phys.do2(c["cardiac_output"], hb, sao2, pao2)
        need = p.vo2_0 * (1 + p.hypermetabolism * I / (p.hypermetabolism_half + I))
        cap = need * np.interp(N, phys._N_GRID, d.tables["mito"])  # NO competes with O₂ at cytochrome oxidase
        plugged = p.plug_max * clip(1 - Plt / p.platelets_0, 0.0, 1.0)
        # Below the autoregulatory range capillary beds close: less of the delivered O₂ can be reached.
        er_max = (
            phys.max_extraction(d.tables, G, plugged)
            * phys.sig((mapv - p.perfusion_map_50) / p.perfusion_width)
            / phys.sig((p.map_0 - p.perfusion_map_50) / p.perfusion_width)
        )
        vo2 = np.minimum(cap, er_max * do2)  # the biphasic DO₂–VO₂ relation of the oxygen model
        deficit = np.maximum(0.0, 1 - vo2 / need)
        # the part of the deficit that delivery, not the mitochondria, limits: shock the circulation cannot correct
        delivery_deficit = np.maximum(0.0, 1 - er_max * do2 / need)
        failures = phys.organ_failures(p, pf, Plt, y[IX["bilirubin"]], gfr / p.gfr_0, y[IX["encephalopathy"]], mapv)
        c.update(
            leak=leak,
            lymph=lymph,
            flood=flood,
            gfr=gfr,
            urine=urine,
            pf=pf,
            fio2=fio2,
            pao2=pao2,
            sao2=sao2,
            hb=hb,
            do2=do2,
            vo2=vo2,
            vo2_need=need,
            deficit=deficit,
            vo2_cap=cap,
            er_max=er_max,
            svo2=np.where(do2 > 0, sao2 * (1 - vo2 / np.maximum(do2, 1e-9)), 0.0),
            autoreg=autoreg,
            ne=ne,
            organ_failures=failures,
            delivery_deficit=delivery_deficit,
        )
        return c

    # -- right-hand side ---------------------------------------------------------------------
    def rhs(self, y, u) -> np.ndarray:
        """d(state)/dt (per hour) for every patient, given the step inputs ``u``."""
        p = self.p
        a = self.algebra(y, u)
        B = np.maximum(y[IX["pathogen"]], 0.0)
        I = np.maximum(y[IX["inflammation"]], 0.0)  # noqa: E741 (the symbol of the equations)
        N, M = y[IX["no"]], y[IX["depressant"]]
        G = clip(y[IX["glycocalyx"]], 0.0, 1.0)
        W, K, Cr, H = y[IX["lung_water"]], y[IX["kidney_injury"]], y[IX["creatinine"]], y[IX["liver_injury"]]
        Bil, E, Plt, L = y[IX["bilirubin"]], y[IX["encephalopathy"]], y[IX["platelets"]], y[IX["lactate"]]
        Ox, Z, S, U = y[IX["oxygen_debt"]], y[IX["reserve"]], y[IX["steroid_effect"]], y[IX["ne_control"]]
        delta = a["deficit"]
        src = u["source"]
        bmax = 1.0 - src * (1.0 - p.focus_after_control)
        phi = p.penetration + src * (1.0 - p.penetration)
        kill_ab = p.antibiotic_kill * phi * u["antibiotic"]
        infusion = (u["infusion_ml_h"] + p.transfusion_unit_ml * u["blood_units_h"]) * self.volume_scale + u[
            "infusion_ml_kg_h"
        ] * REFERENCE_WEIGHT_KG
        blood = p.transfusion_unit_ml * u["blood_units_h"] * self.volume_scale
        lung_clear = (W - p.lung_water_0) / p.lung_clearance_h
        hypo_k = 1 - np.minimum(a["autoreg"], 1.0)
        target_e = (
            p.brain_inflammation * I / (p.brain_half + I)
            + p.brain_hypoperfusion * phys.sig((p.brain_map_50 - a["map"]) / p.brain_map_width)
            + delta
        )
        dy = np.empty_like(y)
        dy[IX["pathogen"]] = self.growth * B * (1 - B / bmax) - p.innate_kill * B / (p.innate_half + B) - kill_ab * B
        Dm = np.maximum(y[IX["damage"]], 0.0)
        dy[IX["inflammation"]] = (
            self.gain * (B / (p.load_half + B) + p.damp_drive * delta + p.damage_drive * Dm) - p.inflammation_decay * I
        )
        i_h = I**p.damage_hill
        dy[IX["damage"]] = p.damage_rate * i_h / (p.damage_half**p.damage_hill + i_h) - Dm / p.damage_clearance_h
        dy[IX["no"]] = (I - N) / np.where(I > N, p.no_lag_h, p.no_off_h)
        dy[IX["depressant"]] = (I - M) / p.depressant_lag_h
        dy[IX["glycocalyx"]] = (
            (1 - G) / p.repair_h - p.shedding * I * G - p.anp_shedding * np.maximum(0.0, a["cvp"] - p.anp_threshold) * G
        )
        dy[IX["blood_volume"]] = (
            infusion
            + p.maintenance_ml_h
            - p.insensible_ml_h
            - a["urine"]
            - a["leak"]
            + a["lymph"]
            - a["flood"]
            + lung_clear
        )
        dy[IX["interstitial_fluid"]] = a["leak"] - a["lymph"]
        dy[IX["lung_water"]] = a["flood"] - lung_clear
        dy[IX["kidney_injury"]] = (
            p.kidney_injury * (p.kidney_inflammation * I + p.kidney_hypoperfusion * hypo_k) * (1 - K)
            - K / p.kidney_recovery_h
        )
        dy[IX["creatinine"]] = (p.gfr_0 * p.creatinine_0 - a["gfr"] * Cr) / p.creatinine_volume
        dy[IX["liver_injury"]] = (
            p.liver_injury * (p.liver_inflammation * I + p.liver_hypoxia * delta) * (1 - H) - H / p.liver_recovery_h
        )
        dy[IX["bilirubin"]] = (p.bilirubin_0 - (1 - H) * Bil) / p.bilirubin_turnover_h
        dy[IX["encephalopathy"]] = (np.minimum(target_e, 1.0) - E) / p.brain_lag_h
        dy[IX["platelets"]] = (p.platelets_0 - Plt) / p.platelet_life_h - p.platelet_use * I * Plt
        dy[IX["red_cells"]] = blood * p.packed_cell_hct
        flow = np.minimum(1.0, a["cardiac_output"] / p.co_0)
        dy[IX["lactate"]] = p.lactate_turnover * (
            p.lactate_0 * (1 + p.lactate_deficit * delta + p.lactate_adrenergic * I) - (1 - H) * flow * L
        )
        dy[IX["oxygen_debt"]] = ML_MIN_TO_L_H * (a["vo2_need"] - a["vo2"]) - Ox / p.debt_repay_h
        dy[IX["reserve"]] = (
            -p.organ_drain * a["organ_failures"] - p.hypoxia_drain * delta + (self.reserve_0 - Z) / p.reserve_recovery_h
        )
        dy[IX["steroid_effect"]] = (u["steroid"] - S) / p.steroid_onset_h
        if u["map_target"] is None:
            dy[IX["ne_control"]] = 0.0
        else:
            # The bedside nurse: integral control of the MAP on the drug's effect. At the pump's limits
            # the controller stops integrating (no wind-up); its state itself is never clipped.
            err = u["map_target"] - a["map"]
            held = ((self.u_max <= U) & (err > 0)) | ((U <= 0.0) & (err < 0))
            dy[IX["ne_control"]] = np.where(held, 0.0, p.titration_gain * err)
        return dy


def _interstitial_pressure(extra):
    """The barrier model's interstitial compliance curve (:func:`sepsislab.models.barrier.interstitial_pressure`)
    for arrays."""
    return phys.barrier.interstitial_pressure(extra, _BP)
