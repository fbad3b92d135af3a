r"""The virtual septic patient: one integrated simulation, hour by hour, with a treatment plan.

The chapter-1 mechanisms are chained into one system of ordinary differential
equations (time in hours). Lumped, dimensionless activities (1 ≈ the level of
untreated septic shock) stand for groups of mediators; volumes are in mL,
pressures in mmHg, flows in mL/h unless stated.

**Infection and inflammation.** The pathogen load :math:`B` (fraction of the
focus's carrying capacity) grows logistically, is killed by saturable innate
defences and, once started, by antibiotics, which penetrate an undrained focus
only partly (:math:`\phi_0 < 1`) until source control, which also shrinks the
focus (:math:`B_{max} \to b_{sc}`). The inflammatory activity :math:`I` is driven
by the pathogen and by danger signals from oxygen-starved tissue (the deficit
:math:`\delta`); iNOS/NO activity :math:`N` and myocardial-depressant activity
:math:`M` follow it with lags; corticosteroids damp both:

.. math::

    \frac{dB}{dt} = rB\left(1-\frac{B}{B_{max}}\right) - \frac{k_m B}{K_m + B} - k_{ab}\,\phi\,a(t)\,B

.. math::

    \frac{dI}{dt} = g\left(\frac{B}{K_B + B} + d_I\,\delta\right)(1 - c_s s(t)) - \mu_I I, \quad
    \frac{dN}{dt} = \frac{I(1 - c_s s(t)) - N}{\tau_N}, \quad \frac{dM}{dt} = \frac{I - M}{\tau_M}

**Vessels and heart** (quasi-steady within each instant: the baroreflex acts in
seconds). NO relaxes resistance vessels and enlarges venous capacitance;
norepinephrine (dose :math:`D`) and vasopressin (:math:`V_p`) constrict, the
former less when NO blunts catecholamine responsiveness:

.. math::

    SVR = SVR_0\,[f_{dil} + (1 - f_{dil})\gamma(N)]\,(1 + R_c\,E_{ne}\tfrac{D}{EC_{ne}+D})\,
          (1 + E_{vp}\tfrac{V_p}{EC_{vp}+V_p}), \quad R_c = 1 - h\,(1 - \gamma)(1 - c_r s)

where :math:`\gamma(N)` is the vascular tone of the chapter-1 NO chain
(:func:`sepsislab.models.circulation.no_chain` at a cytokine level :math:`c_N N`) and
:math:`f_{dil}` the fully dilated resistance as a fraction of the resting one.

The circulation is Guyton's: venous return falls linearly with right-atrial
pressure from the mean systemic filling pressure, and a Frank–Starling heart
(contractility :math:`E`, reduced by :math:`M`, raised by dobutamine) pumps
whatever returns; the baroreflex sets the heart rate from the MAP:

.. math::

    MSFP = \frac{V - V_u}{C_v}, \quad CO = \frac{MSFP - P_{ra}}{R_{vr}}
         = HR\cdot SV_{max}\,E\,\frac{P_{ra} + 1}{P_{ra} + 1 + K_{fs}}\,f(HR), \quad
    MAP = CO\cdot SVR + P_{ra}

.. math::

    HR = HR_{min} + \frac{HR_{max} - HR_{min}}{1 + e^{(MAP - MAP_{set})/s_b}} + h_I I, \quad
    E = 1 - \frac{m\,M}{K_M + M}

**Leak.** Fluid leaves the vessels by the revised Starling relation; losing the
glycocalyx (:math:`G`, shed by inflammation and by hypervolaemia) raises the
filtration coefficient and lowers the reflection coefficient; lymph returns
part of it; the lungs leak by the same rule into lung water :math:`W`:

.. math::

    J = K_f(G)\left[(P_c - P_i) - \sigma(G)(\pi_p - \pi_g)\right], \quad
    K_f = K_{f0}(1 + \kappa(1-G)), \quad \sigma = \sigma_{min} + (\sigma_0 - \sigma_{min})G

.. math::

    \frac{dG}{dt} = k_{rep}(1-G) - k_{sh} I G - k_{anp}\max(0, P_{ra} - P_{anp})\,G, \quad
    \frac{dV}{dt} = u(t) - J + J_L - U - J_{lung} + \dots

**Blood, oxygen, lactate.** Platelets are made at a constant rate and consumed
in proportion to :math:`I`. Oxygen delivery is :math:`DO_2 = CO\cdot CaO_2\cdot 10`;
the tissues use :math:`VO_2 = \mathrm{softmin}(VO_{2,cap}, ER_{max}DO_2)`, where
NO lowers the mitochondrial capacity (cytopathic hypoxia) and shunting through
a denuded, clotted microcirculation lowers the extractable fraction; the
deficit :math:`\delta = 1 - VO_2/VO_{2,need}` makes lactate, which the liver clears:

.. math::

    \frac{dL}{dt} = k_L L_0(1 + a_\delta\delta + a_I I) - k_L (1 - H)\min(1, CO/CO_0)\,L

**Organs.** The P/F ratio falls with lung water; glomerular filtration follows
renal perfusion pressure (autoregulated above ≈ 70 mmHg) and an injury state;
creatinine and bilirubin follow first-order kinetics; encephalopathy follows
inflammation and cerebral hypoperfusion. These proxies feed the SOFA score
(:func:`sepsislab.clinical.sofa_score`). The patient dies when the accumulated
oxygen debt passes a lethal threshold.

Hour 0 is the onset of hypotension (MAP < 65 mmHg), the time zero of Kumar et
al. 2006: the model first runs the untreated prodrome from a small escaped
inoculum and starts the plan at that moment.

References
----------
Singer M et al. (2016) JAMA 315:801 (Sepsis-3). Evans L et al. (2021) Intensive Care
Med 47:1181 (Surviving Sepsis Campaign). Vincent JL et al. (1996) Intensive Care Med
22:707 (SOFA). ARDS Definition Task Force (2012) JAMA 307:2526 (Berlin). Kumar A et al.
(2006) Crit Care Med 34:1589. Guyton AC et al. (1955) Am J Physiol 180:463. Levick JR,
Michel CC (2010) Cardiovasc Res 87:198. Parker MM et al. (1984) Ann Intern Med 100:483.
Severinghaus JW (1979) J Appl Physiol 46:599. Ronco JJ et al. (1993) JAMA 270:1724.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Sequence

import numpy as np
from scipy.optimize import brentq

from .clinical import (arterial_oxygen_content, oxygen_content_unchecked, oxygen_delivery, sofa_score,
                       starling_filtration, starling_flux_unchecked)
from .models import barrier, circulation, coagulation, microcirculation, oxygen
from .models._ode import TimeSeries, integrate
from .params import ModelParams, param
from .validation import check_bool, check_number

__all__ = ["Params", "simulate", "SEVERITIES", "fluid_challenge", "sofa_parts", "ards_categories",
           "severity_value", "STATES"]

ILL = "illustrative"
KLA = "klabunde2021"
_COAG = coagulation.Params()
_BP = barrier.Params()
_LYMPH0 = _BP.lymph0          # mL/min: resting filtration = resting lymph flow

#: Named severities accepted by :func:`simulate` (a number 0–1 is also accepted).
SEVERITIES = {"mild": 0.2, "moderate": 0.5, "severe": 0.8}


@dataclass(frozen=True)
class Params(ModelParams):
    """Parameters of the virtual patient (70 kg adult).

    Normal values are textbook physiology; the couplings between mechanisms are
    lumped and chosen for teaching, and the table says so (``illustrative``).
    """

    weight_kg: float = param(70.0, unit="kg", low=30.0, high=200.0, source="reference adult",
                             symbol="w", doc="body weight (doses per kg, 30 mL/kg)")
    # -- infection and inflammation ------------------------------------------------------
    growth_low: float = param(0.25, unit="1/h", low=0.05, high=2.0, source=ILL, symbol="r_0",
                              doc="pathogen growth rate at severity 0")
    growth_high: float = param(0.55, unit="1/h", low=0.05, high=2.0, source=ILL, symbol="r_1",
                               doc="pathogen growth rate at severity 1")
    innate_kill: float = param(0.02, unit="1/h", low=0.0, high=1.0, source=ILL,
                               symbol="k_m", doc="maximal innate killing (saturable, the form of Reynolds et al. 2006)")
    innate_half: float = param(0.05, unit="1", low=0.001, high=1.0, source=ILL, symbol="K_m",
                               doc="load at which innate killing is half-saturated")
    antibiotic_kill: float = param(0.7, unit="1/h", low=0.0, high=5.0, source=ILL, symbol="k_{ab}",
                                   doc="kill rate of an appropriate antibiotic in a drained focus")
    penetration: float = param(0.55, unit="fraction", low=0.0, high=1.0, source=ILL, symbol="\\phi_0",
                               doc="antibiotic effect in an undrained focus (abscess, necrosis)")
    focus_after_control: float = param(0.25, unit="fraction", low=0.01, high=1.0, source=ILL,
                                       symbol="b_{sc}", doc="carrying capacity left after source control")
    escape_load: float = param(0.05, unit="fraction", low=0.001, high=0.5, source=ILL, symbol="B_0",
                               doc="load that has escaped local control at the start of the prodrome")
    gain_low: float = param(0.22, unit="1/h", low=0.0, high=2.0, source=ILL, symbol="g_0",
                            doc="inflammatory drive at severity 0")
    gain_high: float = param(0.42, unit="1/h", low=0.0, high=2.0, source=ILL, symbol="g_1",
                             doc="inflammatory drive at severity 1 (a more dysregulated host)")
    load_half: float = param(0.1, unit="fraction", low=0.001, high=1.0, source=ILL, symbol="K_B",
                             doc="pathogen load giving half the maximal drive")
    damp_drive: float = param(2.0, unit="1", low=0.0, high=10.0, source=ILL, symbol="d_I",
                              doc="drive by danger signals per unit oxygen deficit")
    inflammation_decay: float = param(0.2, unit="1/h", low=0.01, high=2.0, source=ILL,
                                      symbol="\\mu_I", doc="decay of inflammatory activity")
    no_lag_h: float = param(6.0, unit="h", low=0.1, high=24.0, source=ILL, symbol="\\tau_N",
                            doc="lag of iNOS/NO activity behind inflammation")
    depressant_lag_h: float = param(6.0, unit="h", low=0.1, high=48.0, source=ILL, symbol="\\tau_M",
                                    doc="lag of myocardial depression behind inflammation")
    steroid_effect: float = param(0.1, unit="fraction", low=0.0, high=1.0, source=ILL, symbol="c_s",
                                  doc="damping of inflammatory and iNOS drive by hydrocortisone")
    steroid_pressor: float = param(0.25, unit="fraction", low=0.0, high=1.0, source=ILL, symbol="c_r",
                                   doc="part of the lost catecholamine responsiveness hydrocortisone restores")
    # -- vessels ------------------------------------------------------------------------------
    map_0: float = param(93.0, unit="mmHg", low=70.0, high=110.0, source=KLA, symbol="MAP_0",
                         doc="healthy mean arterial pressure")
    hr_0: float = param(72.0, unit="beats/min", low=50.0, high=100.0, source=KLA, symbol="HR_0",
                        doc="healthy heart rate")
    co_0: float = param(5.5, unit="L/min", low=3.0, high=8.0, source=KLA, symbol="CO_0",
                        doc="healthy cardiac output")
    rap_0: float = param(4.0, unit="mmHg", low=0.0, high=8.0, source=KLA, symbol="P_{ra,0}",
                         doc="healthy right-atrial (central venous) pressure")
    blood_volume_0: float = param(5000.0, unit="mL", low=3000.0, high=8000.0, source=KLA,
                                  symbol="V_0", doc="healthy blood volume (≈ 70 mL/kg)")
    stressed_0: float = param(1400.0, unit="mL", low=500.0, high=3000.0,
                              source="illustrative, ≈ 20 mL/kg", symbol="V_0 - V_{u0}",
                              doc="stressed volume (≈ 20 mL/kg; the rest only fills the veins)")
    venous_compliance: float = param(110.0, unit="mL/mmHg", low=30.0, high=300.0, source=ILL,
                                     symbol="C_v", doc="compliance of the systemic circulation")
    no_scale: float = param(0.3, unit="1", low=0.01, high=1.0, source=ILL, symbol="c_N",
                            doc="cytokine level of the NO chain (chapter 1) per unit NO activity")
    no_half: float = param(0.5, unit="1", low=0.01, high=5.0, source=ILL, symbol="K_N",
                           doc="NO activity halving catecholamine responsiveness lost")
    ne_emax: float = param(1.6, unit="1", low=0.0, high=10.0, source=ILL, symbol="E_{ne}",
                           doc="maximal relative rise of SVR by norepinephrine")
    ne_ec50: float = param(0.25, unit="µg/kg/min", low=0.01, high=2.0, source=ILL, symbol="EC_{ne}",
                           doc="norepinephrine dose giving half the maximal effect")
    ne_venous_ml: float = param(300.0, unit="mL", low=0.0, high=1000.0, source="persichini2012",
                                symbol="\\Delta V_{ne}",
                                doc="unstressed volume recruited by maximal venoconstriction (size illustrative)")
    hyporesponse: float = param(0.5, unit="fraction", low=0.0, high=1.0, source=ILL, symbol="h",
                                doc="maximal loss of catecholamine responsiveness caused by NO")
    vp_emax: float = param(0.6, unit="1", low=0.0, high=5.0, source=ILL, symbol="E_{vp}",
                           doc="maximal relative rise of SVR by vasopressin")
    vp_ec50: float = param(0.03, unit="U/min", low=0.001, high=0.5, source=ILL, symbol="EC_{vp}",
                           doc="vasopressin dose giving half the maximal effect")
    # -- heart -------------------------------------------------------------------------------
    hr_min: float = param(40.0, unit="beats/min", low=20.0, high=70.0, source=ILL, symbol="HR_{min}",
                          doc="heart rate at maximal vagal tone")
    hr_max: float = param(160.0, unit="beats/min", low=120.0, high=220.0, source=ILL, symbol="HR_{max}",
                          doc="heart rate at maximal sympathetic tone")
    baro_slope: float = param(12.0, unit="mmHg", low=2.0, high=30.0, source=ILL, symbol="s_b",
                              doc="MAP change that moves the baroreflex by e-fold")
    fever_hr: float = param(10.0, unit="beats/min", low=0.0, high=60.0, source=ILL, symbol="h_I",
                            doc="tachycardia from fever and cytokines per unit inflammation")
    starling_half: float = param(3.0, unit="mmHg", low=0.5, high=20.0, source=ILL, symbol="K_{fs}",
                                 doc="filling pressure (+1 mmHg) giving half the maximal stroke volume")
    depression_max: float = param(0.5, unit="fraction", low=0.0, high=0.9, source="parker1984",
                                  symbol="m", doc="maximal loss of contractility (septic cardiomyopathy; size illustrative)")
    depression_half: float = param(0.5, unit="1", low=0.01, high=5.0, source=ILL, symbol="K_M",
                                   doc="depressant activity giving half the maximal loss")
    ef_0: float = param(0.6, unit="fraction", low=0.4, high=0.75, source=KLA, symbol="EF_0",
                        doc="healthy left-ventricular ejection fraction")
    dobu_emax: float = param(0.6, unit="1", low=0.0, high=3.0, source=ILL, symbol="E_{dob}",
                             doc="maximal relative rise of contractility by dobutamine")
    dobu_ec50: float = param(5.0, unit="µg/kg/min", low=0.5, high=40.0, source=ILL, symbol="EC_{dob}",
                             doc="dobutamine dose giving half the maximal inotropy")
    dobu_hr: float = param(20.0, unit="beats/min", low=0.0, high=60.0, source=ILL, symbol="h_{dob}",
                           doc="maximal tachycardia from dobutamine")
    # -- barrier and fluids ------------------------------------------------------------------
    repair_h: float = param(120.0, unit="h", low=12.0, high=1000.0, source=ILL, symbol="1/k_{rep}",
                            doc="time constant of glycocalyx regrowth (days)")
    shedding: float = param(0.06, unit="1/h", low=0.0, high=1.0, source=ILL, symbol="k_{sh}",
                            doc="glycocalyx shedding per unit inflammation")
    anp_shedding: float = param(0.004, unit="1/(h·mmHg)", low=0.0, high=0.1, source="chappell2014",
                                symbol="k_{anp}", doc="shedding by hypervolaemia (ANP) per mmHg of P_ra (size illustrative)")
    anp_threshold: float = param(10.0, unit="mmHg", low=4.0, high=20.0, source=ILL, symbol="P_{anp}",
                                 doc="right-atrial pressure above which hypervolaemia sheds")
    lung_kf: float = param(2.0, unit="mL/h/mmHg", low=0.5, high=100.0, source=ILL, symbol="K_{f,l0}",
                           doc="filtration coefficient of the lungs")
    lung_kf_rise: float = param(8.0, unit="1", low=0.0, high=30.0, source=ILL, symbol="\\kappa_l",
                                doc="relative rise of the lung K_f when the barrier fails")
    lung_clearance_h: float = param(12.0, unit="h", low=1.0, high=100.0, source=ILL, symbol="\\tau_W",
                                    doc="time constant of lung-water clearance")
    lung_water_0: float = param(500.0, unit="mL", low=100.0, high=1500.0, source="normal ≈ 7 mL/kg",
                                symbol="W_0", doc="healthy extravascular lung water")
    lung_water_half: float = param(600.0, unit="mL", low=100.0, high=3000.0, source=ILL, symbol="W_{50}",
                                   doc="excess lung water that halves the P/F ratio")
    pf_min: float = param(50.0, unit="mmHg", low=20.0, high=150.0, source=ILL, symbol="PF_{min}",
                          doc="P/F ratio of a fully flooded lung (shunt-limited)")
    pf_0: float = param(450.0, unit="mmHg", low=300.0, high=550.0, source="west2021", symbol="PF_0",
                        doc="healthy PaO₂/FiO₂ ratio")
    bolus_minutes: float = param(30.0, unit="min", low=5.0, high=120.0, source=ILL,
                                 symbol="t_b", doc="time over which one bolus runs in")
    maintenance_ml_h: float = param(100.0, unit="mL/h", low=0.0, high=300.0, source=ILL,
                                    symbol="u_m", doc="maintenance fluid and enteral intake")
    insensible_ml_h: float = param(40.0, unit="mL/h", low=0.0, high=200.0, source=ILL,
                                   symbol="u_{ins}", doc="insensible losses (skin, breath)")
    # -- kidney, liver, brain ---------------------------------------------------------------
    gfr_0: float = param(6.0, unit="L/h", low=1.0, high=12.0, source=KLA, symbol="GFR_0",
                         doc="healthy glomerular filtration rate (100 mL/min)")
    urine_0: float = param(60.0, unit="mL/h", low=20.0, high=200.0, source=KLA, symbol="U_0",
                           doc="healthy urine output (≈ 1 mL/kg/h)")
    creatinine_0: float = param(0.9, unit="mg/dL", low=0.4, high=1.5, source=KLA, symbol="Cr_0",
                                doc="healthy plasma creatinine")
    creatinine_volume: float = param(42.0, unit="L", low=10.0, high=80.0, source="total body water",
                                     symbol="V_d", doc="distribution volume of creatinine")
    rpp_half: float = param(60.0, unit="mmHg", low=30.0, high=90.0, source=ILL, symbol="RPP_{50}",
                            doc="renal perfusion pressure (MAP − P_ra) halving filtration")
    rpp_slope: float = param(6.0, unit="mmHg", low=1.0, high=20.0, source=ILL, symbol="s_r",
                             doc="steepness of the loss of autoregulation")
    kidney_injury: float = param(0.03, unit="1/h", low=0.0, high=1.0, source=ILL, symbol="k_K",
                                 doc="rate of tubular injury per unit insult")
    kidney_recovery_h: float = param(96.0, unit="h", low=6.0, high=1000.0, source=ILL,
                                     symbol="\\tau_K", doc="time constant of renal recovery")
    liver_injury: float = param(0.02, unit="1/h", low=0.0, high=1.0, source=ILL, symbol="k_H",
                                doc="rate of hepatic dysfunction per unit insult")
    liver_recovery_h: float = param(96.0, unit="h", low=6.0, high=1000.0, source=ILL,
                                    symbol="\\tau_H", doc="time constant of hepatic recovery")
    bilirubin_0: float = param(0.6, unit="mg/dL", low=0.2, high=1.2, source="normal range 0.3–1.2",
                               symbol="Bil_0", doc="healthy plasma bilirubin")
    bilirubin_turnover_h: float = param(24.0, unit="h", low=2.0, high=200.0, source=ILL,
                                        symbol="1/k_b", doc="time constant of bilirubin clearance")
    brain_lag_h: float = param(4.0, unit="h", low=0.5, high=48.0, source=ILL, symbol="\\tau_E",
                               doc="lag of encephalopathy behind its causes")
    brain_half: float = param(1.0, unit="1", low=0.05, high=5.0, source=ILL, symbol="K_E",
                              doc="inflammation giving half-maximal encephalopathy")
    brain_map_50: float = param(55.0, unit="mmHg", low=30.0, high=80.0, source=ILL, symbol="MAP_E",
                                doc="MAP below which the brain is hypoperfused (autoregulation lost)")
    # -- blood and oxygen --------------------------------------------------------------------
    platelets_0: float = param(_COAG.platelets_0, unit="10⁹/L", low=50.0, high=600.0,
                               source="coagulation model", symbol="P_0", doc="normal platelet count")
    platelet_life_h: float = param(_COAG.platelet_life_h, unit="h", low=24.0, high=400.0,
                                   source="coagulation model", symbol="\\tau_P",
                                   doc="mean platelet lifetime")
    platelet_use: float = param(0.015, unit="1/h", low=0.0, high=0.5, source=ILL, symbol="k_c",
                                doc="platelet consumption per unit inflammation (DIC)")
    hematocrit_0: float = param(0.40, unit="fraction", low=0.2, high=0.55, source=KLA,
                                symbol="Hct_0", doc="healthy haematocrit")
    vo2_0: float = param(250.0, unit="mL/min", low=100.0, high=500.0, source="west2021",
                         symbol="VO_{2,0}", doc="resting oxygen consumption")
    hypermetabolism: float = param(0.2, unit="fraction", low=0.0, high=1.0, source=ILL, symbol="q",
                                   doc="maximal rise of oxygen need with fever and inflammation")
    plug_max: float = param(0.4, unit="fraction", low=0.0, high=0.9, source=ILL, symbol="\\pi_{max}",
                            doc="fraction of capillaries plugged when all platelets are consumed")
    perfusion_map_50: float = param(45.0, unit="mmHg", low=20.0, high=70.0, source=ILL,
                                    symbol="MAP_{50}", doc="MAP at which half the capillary beds stop being perfused")
    pao2_target: float = param(75.0, unit="mmHg", low=55.0, high=150.0, source=ILL,
                               symbol="PaO_{2,t}", doc="PaO₂ aimed for when FiO₂ is titrated")
    lactate_0: float = param(1.0, unit="mmol/L", low=0.3, high=2.0, source="normal < 2 mmol/L",
                             symbol="L_0", doc="healthy blood lactate")
    lactate_turnover: float = param(1.0, unit="1/h", low=0.1, high=10.0, source=ILL, symbol="k_L",
                                    doc="lactate clearance rate constant (healthy liver)")
    lactate_deficit: float = param(30.0, unit="1", low=0.0, high=100.0, source=ILL, symbol="a_\\delta",
                                   doc="extra lactate production per unit oxygen deficit")
    lactate_adrenergic: float = param(1.5, unit="1", low=0.0, high=5.0, source="james1999",
                                      symbol="a_I", doc="aerobic (adrenergic) lactate per unit inflammation (size illustrative)")
    debt_repay_h: float = param(12.0, unit="h", low=1.0, high=200.0, source=ILL, symbol="\\tau_O",
                                doc="time constant over which an oxygen debt is repaid")
    titration_gain: float = param(0.03, unit="(µg/kg/min)/(mmHg·h)", low=0.001, high=1.0, source=ILL,
                                  symbol="k_{tit}", doc="how fast the dose is adjusted per mmHg of MAP error")
    lethal_debt_l: float = param(40.0, unit="L O₂", low=5.0, high=500.0, source=ILL,
                                 symbol="O_{lethal}", doc="accumulated oxygen debt at which the patient dies")


STATES = ["pathogen", "inflammation", "no", "depressant", "glycocalyx", "blood_volume",
          "interstitial_fluid", "lung_water", "kidney_injury", "creatinine", "liver_injury",
          "bilirubin", "encephalopathy", "platelets", "red_cells", "lactate", "oxygen_debt",
          "ne_titrated"]
_IX = {name: i for i, name in enumerate(STATES)}


# -- the plan ------------------------------------------------------------------------------

class _Schedule:
    """A step function of time: value[i] from hour[i] on (0 before the first hour)."""

    def __init__(self, hours: Sequence[float], values: Sequence[float]):
        self.hours, self.values = list(hours), list(values)

    def __call__(self, t: float) -> float:
        i = bisect_right(self.hours, t)
        return self.values[i - 1] if i else 0.0


def _schedule(name: str, value, unit: str, high: float, horizon: float) -> _Schedule:
    """A dose given as one number (from hour 0) or as (hour, dose) pairs."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return _Schedule([0.0], [check_number(name, value, unit=unit, low=0, high=high)])
    try:
        pairs = [tuple(pair) for pair in value]
    except TypeError:
        raise ValueError(f"{name} must be a dose in {unit} or a sequence of (hour, dose) pairs, "
                         f"got {value!r}") from None
    hours, doses = [], []
    for pair in pairs:
        if len(pair) != 2:
            raise ValueError(f"{name}: each step must be an (hour, dose) pair, got {pair!r}")
        hours.append(check_number(f"{name} hour", pair[0], unit="h", low=0, high=horizon))
        doses.append(check_number(f"{name} dose", pair[1], unit=unit, low=0, high=high))
    if hours != sorted(hours):
        raise ValueError(f"{name}: the (hour, dose) steps must be in time order, got hours {hours}")
    return _Schedule(hours, doses)


def _events(name: str, value, unit: str, high: float, horizon: float) -> list[tuple[float, float]]:
    """Boluses as (hour, amount) pairs; a plain amount means hour 0."""
    out = []
    for item in value:
        if isinstance(item, (int, float, np.integer, np.floating)) and not isinstance(item, bool):
            hour, amount = 0.0, item
        else:
            try:
                hour, amount = item
            except (TypeError, ValueError):
                raise ValueError(f"{name}: each entry must be an amount in {unit} (given at hour 0) "
                                 f"or an (hour, amount) pair, got {item!r}") from None
        out.append((check_number(f"{name} hour", hour, unit="h", low=0, high=horizon),
                    check_number(f"{name} amount", amount, unit=unit, low=0, high=high)))
    return out


@dataclass(frozen=True)
class _Plan:
    antibiotic_hour: float
    source_control_hour: float
    boluses: tuple
    transfusions: tuple
    norepinephrine: _Schedule
    dobutamine: _Schedule
    vasopressin: _Schedule
    steroid_hour: float
    fio2: float | None
    map_target: float | None = None     # titrate norepinephrine to this MAP (None: follow the schedule)

    @staticmethod
    def none() -> "_Plan":
        zero = _Schedule([0.0], [0.0])
        return _Plan(math.inf, math.inf, (), (), zero, zero, zero, math.inf, None)


# -- algebraic physiology ----------------------------------------------------------------------

class _Table:
    """Piecewise-linear interpolation on a fixed grid, in plain floats (fast inside the ODE)."""

    def __init__(self, xs, ys):
        self.xs, self.ys = [float(x) for x in xs], [float(y) for y in ys]
        self.x0, self.dx, self.n = self.xs[0], self.xs[1] - self.xs[0], len(self.xs)

    def __call__(self, x: float) -> float:
        k = (x - self.x0) / self.dx
        if k <= 0:
            return self.ys[0]
        if k >= self.n - 1:
            return self.ys[-1]
        i = int(k)
        return self.ys[i] + (k - i) * (self.ys[i + 1] - self.ys[i])


_N_GRID = np.linspace(0.0, 4.0, 161)
_G_GRID = np.linspace(0.0, 1.0, 11)
_PLUG_GRID = np.linspace(0.0, 0.9, 10)


@lru_cache(maxsize=16)
def _chapter1(no_scale: float) -> dict:
    """What the patient borrows from the chapter-1 models, tabulated once.

    * circulation: the NO chain (cytokine → iNOS → NO → cGMP → vascular tone), the fully
      dilated resistance as a fraction of the resting one, and the venous unstressed volume
      that relaxation adds;
    * oxygen: NO competing with O₂ at cytochrome c oxidase (cytopathic hypoxia);
    * microcirculation: the maximal O₂ extraction of a capillary network whose shear sensing
      is lost with the glycocalyx and whose capillaries are plugged by microthrombi;
    * barrier: the reflection coefficient, filtration coefficient and sub-glycocalyx oncotic
      pressure of an intact (G = 1) and a shed (G = 0) glycocalyx.
    """
    cp, op = circulation.Params(), oxygen.Params()
    chain = circulation.no_chain(np.minimum(no_scale * _N_GRID, 1.0), cp)
    rest = circulation.steady_state(cp)
    r_rest = rest["svr"] / circulation.MMHG_S_PER_ML_TO_DYN
    v_v0_rest = cp.v_v0_max - (cp.v_v0_max - cp.v_v0_min) * rest["sympathetic"]
    use = oxygen.mitochondrial_o2_use(op.tissue_o2_um, chain["no"], op)
    use0 = float(oxygen.mitochondrial_o2_use(op.tissue_o2_um, cp.no_basal, op))
    er = [[microcirculation.max_extraction(microcirculation.heterogeneity(g), plug) for plug in _PLUG_GRID]
          for g in _G_GRID]
    return dict(tone=_Table(_N_GRID, chain["tone"]), mito=_Table(_N_GRID, np.asarray(use) / use0),
                dilated=cp.r_dil / r_rest, venous_ml=cp.v_v0_dil - v_v0_rest,
                er=[_Table(_PLUG_GRID, row) for row in er],
                shed=barrier.barrier_properties(0.0), intact=barrier.barrier_properties(1.0))


def _er_max(tables: dict, g: float, plugged: float) -> float:
    """Bilinear look-up of the microcirculation's maximal extraction."""
    k = min(max(g, 0.0), 1.0) * (len(_G_GRID) - 1)
    i = min(int(k), len(_G_GRID) - 2)
    lo, hi = tables["er"][i](plugged), tables["er"][i + 1](plugged)
    return lo + (k - i) * (hi - lo)


def _barrier_at(tables: dict, g: float) -> tuple[float, float, float]:
    """(σ, K_f in mL/min/mmHg, π_g) at glycocalyx integrity g: linear between shed and intact,
    as in the barrier model."""
    sh, it = tables["shed"], tables["intact"]
    return tuple(sh[k] + g * (it[k] - sh[k]) for k in ("sigma", "kf", "pi_g"))


@dataclass(frozen=True)
class _Derived:
    """Constants derived from the healthy targets, so that health is a steady state."""

    v_unstressed: float
    r_vr: float
    svr_0: float
    sv_max: float
    map_set: float
    cap_fraction: float
    lung_net_0: float
    red_cells_0: float
    plasma_0: float
    a_rpp_0: float
    tables: dict


@lru_cache(maxsize=64)
def _derive(p: Params) -> _Derived:
    msfp = p.stressed_0 / p.venous_compliance
    if msfp <= p.rap_0 + 0.5:
        raise ValueError(f"stressed_0={p.stressed_0:g} mL gives a filling pressure of {msfp:.1f} mmHg, "
                         f"not above rap_0={p.rap_0:g} mmHg: no venous return")
    x = p.rap_0 + 1.0
    fill = _fill(p.hr_0)
    sv_max = p.co_0 * 1000 / p.hr_0 / (x / (x + p.starling_half) * fill)
    frac = (p.hr_0 - p.hr_min) / (p.hr_max - p.hr_min)
    map_set = p.map_0 - p.baro_slope * math.log(1 / frac - 1)
    red = p.hematocrit_0 * p.blood_volume_0
    rpp0 = p.map_0 - p.rap_0
    tables = _chapter1(p.no_scale)
    return _Derived(
        v_unstressed=p.blood_volume_0 - p.stressed_0,
        r_vr=(msfp - p.rap_0) / p.co_0, svr_0=(p.map_0 - p.rap_0) / p.co_0, sv_max=sv_max,
        map_set=map_set,
        # the barrier model's resting capillary pressure sits this far from P_ra towards the MAP
        cap_fraction=(_BP.pc0 - p.rap_0) / (p.map_0 - p.rap_0),
        lung_net_0=_lung_net(p, tables, 1.0, p.rap_0, _BP.pi_p0), red_cells_0=red,
        plasma_0=p.blood_volume_0 - red, a_rpp_0=_sig((rpp0 - p.rpp_half) / p.rpp_slope), tables=tables)


def _sig(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -50 else 0.0


def _fill(hr: float) -> float:
    """Shorter diastole at high heart rates fills the ventricle less."""
    return 1.0 / (1.0 + (hr / 200.0) ** 4)


def _softplus(x: float, k: float = 1.0) -> float:
    return k * math.log1p(math.exp(x / k)) if x < 30 * k else x


def _lung_net(p: Params, tables: dict, g: float, rap: float, oncotic: float) -> float:
    """Filtration out of the lung capillaries (mL/h): Starling with a leakier barrier as G falls."""
    sigma = _barrier_at(tables, g)[0]
    kf = p.lung_kf * (1 + p.lung_kf_rise * (1 - g))
    p_cap = min(max(rap + 5.0, 0.0), 100.0)   # pulmonary capillary ≈ left-atrial pressure + 2 ≈ P_ra + 5
    # lung interstitium: −2 mmHg and a protein-rich 14 mmHg oncotic pressure
    return starling_flux_unchecked(kf, p_cap, -2.0, sigma, oncotic, 14.0)


def _haemodynamics(p: Params, d: _Derived, volume: float, no: float, dep: float, infl: float,
                   ne: float, vp: float, dob: float, steroid: bool, guess: float = 70.0) -> tuple:
    """MAP, HR, CO (L/min), P_ra, SVR (mmHg·min/L), SV (mL), contractility: the quasi-steady circulation."""
    t = d.tables
    tone = t["tone"](no)                      # 1 = healthy smooth-muscle tone, 0 = fully relaxed
    relaxed = 1 - tone
    responsive = 1 - p.hyporesponse * relaxed * (1 - p.steroid_pressor if steroid else 1.0)
    ne_frac = ne / (p.ne_ec50 + ne)
    svr = (d.svr_0 * (t["dilated"] + (1 - t["dilated"]) * tone) * (1 + responsive * p.ne_emax * ne_frac)
           * (1 + p.vp_emax * vp / (p.vp_ec50 + vp)) * (1 - 0.1 * dob / (p.dobu_ec50 + dob)))
    v_u = d.v_unstressed + t["venous_ml"] * relaxed - p.ne_venous_ml * ne_frac
    msfp = _softplus(volume - v_u, 20.0) / p.venous_compliance + 1.0   # +1: P_ra is measured from −1
    contract = (1 - p.depression_max * dep / (p.depression_half + dep)) \
        * (1 + p.dobu_emax * dob / (p.dobu_ec50 + dob))
    hr_extra = p.fever_hr * infl + p.dobu_hr * dob / (p.dobu_ec50 + dob)
    span = p.hr_max - p.hr_min

    def solve(mapv):
        hr = min(p.hr_min + span * _sig((d.map_set - mapv) / p.baro_slope) + hr_extra, 190.0)
        # Venous return (msfp − x)/R_vr meets the Starling curve a·x/(x + K): a quadratic in x = P_ra + 1.
        a = hr * d.sv_max * contract * _fill(hr) / 1000 * d.r_vr
        b = a + p.starling_half - msfp
        x = 0.5 * (-b + math.sqrt(b * b + 4 * msfp * p.starling_half))
        co = (msfp - x) / d.r_vr
        return hr, co, x - 1.0

    def gap(mapv):
        _, co, rap = solve(mapv)
        return co * svr + rap - mapv

    mapv = _secant(gap, guess)
    hr, co, rap = solve(mapv)
    return mapv, hr, co, rap, svr, co * 1000 / hr, contract


def _secant(gap, guess: float) -> float:
    """Root of the decreasing function ``gap`` (the MAP the circulation settles at).

    Warm-started from the previous solve, a few secant steps suffice; bracketing
    (``brentq``) is the fallback.
    """
    m0, g0 = guess, gap(guess)
    m1 = m0 + 0.5 * g0           # dgap/dMAP ≈ −2 in this circulation
    for _ in range(12):
        if abs(m1 - m0) < 1e-7 or not 0.0 < m1 < 300.0:
            break
        g1 = gap(m1)
        if g1 == g0:
            break
        m0, m1, g0 = m1, m1 - g1 * (m1 - m0) / (g1 - g0), g1
    if 0.0 < m1 < 300.0 and abs(gap(m1)) < 1e-6:
        return m1
    return brentq(gap, 0.0, 300.0, xtol=1e-9)


def _do2(co, hb, sao2, pao2):
    """DO₂ (mL/min) from the unchecked CaO₂ formula of :mod:`sepsislab.clinical`: the ODE calls it
    tens of thousands of times per run with values it produced itself."""
    return co * oxygen_content_unchecked(hb, sao2, pao2) * 10.0


def _severinghaus(po2: float) -> float:
    """Haemoglobin saturation from PO₂ (Severinghaus 1979)."""
    return 1.0 / (23400.0 / (po2 ** 3 + 150.0 * po2) + 1.0)


class _Model:
    """Right-hand side and read-outs for one (params, severity, plan)."""

    def __init__(self, p: Params, severity: float, plan: _Plan):
        self.p, self.d, self.plan = p, _derive(p), plan
        self.growth = p.growth_low + (p.growth_high - p.growth_low) * severity
        self.gain = p.gain_low + (p.gain_high - p.gain_low) * severity
        self.bolus_h = p.bolus_minutes / 60.0
        self.guess = p.map_0

    def inputs(self, t: float, y=None) -> dict:
        plan = self.plan
        infusion = sum(ml for h, ml in plan.boluses if h <= t < h + self.bolus_h) / self.bolus_h
        blood = sum(300.0 * n for h, n in plan.transfusions if h <= t < h + 1.0)   # 300 mL/unit over 1 h
        return dict(antibiotic=t >= plan.antibiotic_hour, source=t >= plan.source_control_hour,
                    infusion=infusion, blood=blood, ne=(plan.norepinephrine(t) if plan.map_target is None or y is None
                                                      else min(_softplus(y[-1], 0.002), 3.0)), dob=plan.dobutamine(t),
                    vp=plan.vasopressin(t), steroid=t >= plan.steroid_hour)

    def algebra(self, y, u) -> dict:
        """Every quantity that follows instantly from the state and the inputs."""
        p, d = self.p, self.d
        B, I, N, M, G, V, Vi, W, K, Cr, H, Bil, E, Plt, R, L, Ox, D = y
        V = max(V, 500.0)
        mapv, hr, co, rap, svr, sv, contract = _haemodynamics(
            p, d, V, N, M, I, u["ne"], u["vp"], u["dob"], u["steroid"], self.guess)
        self.guess = mapv
        plasma = max(V - R, 300.0)
        bp = _BP
        oncotic = min(bp.pi_p0 * d.plasma_0 / plasma, 60.0)
        # systemic leak: the barrier model's revised Starling flux (no-absorption rule) and lymph, mL/h
        pc = min(max(rap + d.cap_fraction * (mapv - rap), 0.0), 100.0)
        pi = min(max(barrier.interstitial_pressure(Vi - bp.vi0, bp), -20.0), 50.0)
        sigma, kf, pi_g = _barrier_at(d.tables, G)
        leak = 60.0 * max(starling_flux_unchecked(kf, pc, pi, sigma, oncotic, pi_g), 0.0)
        lymph = 60.0 * min(max(_LYMPH0 + bp.k_lymph * (pi - bp.pi0), 0.0), bp.lymph_max)
        lung = _lung_net(p, d.tables, G, rap, oncotic) - d.lung_net_0
        # kidney
        rpp = mapv - rap
        autoreg = _sig((rpp - p.rpp_half) / p.rpp_slope) / d.a_rpp_0
        gfr = p.gfr_0 * autoreg * (1 - K)
        urine = p.urine_0 * (gfr / p.gfr_0) * min(4.0, (V / p.blood_volume_0) ** 4)
        # lungs and oxygen
        pf = p.pf_min + (p.pf_0 - p.pf_min) / (1 + (max(W - p.lung_water_0, 0.0) / p.lung_water_half) ** 2)
        fio2 = self.plan.fio2 if self.plan.fio2 is not None else min(1.0, max(0.21, p.pao2_target / pf))
        pao2 = min(max(pf * fio2, 10.0), 700.0)
        sao2 = _severinghaus(pao2)
        hb = min(max(33.0 * R / V, 1.0), 25.0)            # MCHC ≈ 33 g/dL
        do2 = _do2(co, hb, sao2, pao2)
        need = p.vo2_0 * (1 + p.hypermetabolism * I / (0.5 + I))
        cap = need * d.tables["mito"](N)        # NO competes with O₂ at cytochrome c oxidase
        plugged = p.plug_max * min(max(1 - Plt / p.platelets_0, 0.0), 1.0)
        er_max = _er_max(d.tables, G, plugged)
        # Below the autoregulatory range capillary beds close: less of the delivered O₂ can be reached.
        er_max *= _sig((mapv - p.perfusion_map_50) / 5.0) / _sig((p.map_0 - p.perfusion_map_50) / 5.0)
        vo2 = min(cap, er_max * do2)     # the biphasic DO₂–VO₂ relation of the oxygen model
        deficit = max(0.0, 1 - vo2 / need)
        return dict(map=mapv, heart_rate=hr, cardiac_output=co, cvp=rap, svr=svr * 80.0,
                    stroke_volume=sv, ejection_fraction=min(0.85, p.ef_0 * contract),
                    leak=leak, lymph=lymph, lung_leak=lung, gfr=gfr, urine=urine, pf=pf, fio2=fio2,
                    pao2=pao2, sao2=sao2, hb=hb, do2=do2, vo2=vo2, vo2_need=need, deficit=deficit,
                    vo2_cap=cap, er_max=er_max,
                    svo2=sao2 * (1 - vo2 / do2) if do2 > 0 else 0.0, autoreg=autoreg)

    def rhs(self, t, y):
        y = y.tolist()                 # plain floats: scalar math on numpy floats is several times slower
        p, d, u = self.p, self.d, self.inputs(t, y)
        B, I, N, M, G, V, Vi, W, K, Cr, H, Bil, E, Plt, R, L, Ox, D = y
        B, I, N, M = max(B, 0.0), max(I, 0.0), max(N, 0.0), max(M, 0.0)
        G = min(max(G, 0.0), 1.0)
        a = self.algebra((B, I, N, M, G, V, Vi, W, K, Cr, H, Bil, E, Plt, R, L, Ox, D), u)
        delta = a["deficit"]
        bmax = p.focus_after_control if u["source"] else 1.0
        phi = 1.0 if u["source"] else p.penetration
        kill_ab = p.antibiotic_kill * phi if u["antibiotic"] else 0.0
        steroid = p.steroid_effect if u["steroid"] else 0.0
        dB = self.growth * B * (1 - B / bmax) - p.innate_kill * B / (p.innate_half + B) - kill_ab * B
        dI = self.gain * (B / (p.load_half + B) + p.damp_drive * delta) * (1 - steroid) \
            - p.inflammation_decay * I
        dN = (I * (1 - steroid) - N) / p.no_lag_h
        dM = (I - M) / p.depressant_lag_h
        dG = (1 - G) / p.repair_h - p.shedding * I * G \
            - p.anp_shedding * max(0.0, a["cvp"] - p.anp_threshold) * G
        lung_clear = (W - p.lung_water_0) / p.lung_clearance_h
        dV = (u["infusion"] + u["blood"] + p.maintenance_ml_h - p.insensible_ml_h - a["urine"]
              - a["leak"] + a["lymph"] - a["lung_leak"] + lung_clear)
        dVi = a["leak"] - a["lymph"]
        dW = a["lung_leak"] - lung_clear
        hypo_k = 1 - min(a["autoreg"], 1.0)
        dK = p.kidney_injury * (0.5 * I + 2.0 * hypo_k) * (1 - K) - K / p.kidney_recovery_h
        dCr = (p.gfr_0 * p.creatinine_0 - a["gfr"] * Cr) / p.creatinine_volume
        dH = p.liver_injury * (0.5 * I + 3.0 * delta) * (1 - H) - H / p.liver_recovery_h
        dBil = (p.bilirubin_0 - (1 - H) * Bil) / p.bilirubin_turnover_h
        target_e = 0.5 * I / (p.brain_half + I) + 0.6 * _sig((p.brain_map_50 - a["map"]) / 4.0) + delta
        dE = (min(target_e, 1.0) - E) / p.brain_lag_h
        dPlt = (p.platelets_0 - Plt) / p.platelet_life_h - p.platelet_use * I * Plt
        dR = u["blood"] * 0.6                                 # packed cells: haematocrit ≈ 0.6
        flow = min(1.0, a["cardiac_output"] / p.co_0)
        dL = p.lactate_turnover * (p.lactate_0 * (1 + p.lactate_deficit * delta + p.lactate_adrenergic * I)
                                   - (1 - H) * flow * L)
        dOx = 0.06 * (a["vo2_need"] - a["vo2"]) - Ox / p.debt_repay_h     # mL/min → L/h
        dD = 0.0
        if self.plan.map_target is not None:      # the bedside nurse: integral control of the MAP
            # D is the controller's memory; the dose is its smooth positive part, and a negative D
            # is pulled back towards 0 so that a weaned drip restarts promptly (anti-windup).
            dD = p.titration_gain * (self.plan.map_target - a["map"]) + 4.0 * max(-D, 0.0)
        return [dB, dI, dN, dM, dG, dV, dVi, dW, dK, dCr, dH, dBil, dE, dPlt, dR, dL, dOx, dD]


def _healthy(p: Params) -> list[float]:
    d = _derive(p)
    y = dict(pathogen=p.escape_load, inflammation=0.0, no=0.0, depressant=0.0, glycocalyx=1.0,
             blood_volume=p.blood_volume_0, interstitial_fluid=_BP.vi0, lung_water=p.lung_water_0, kidney_injury=0.0,
             creatinine=p.creatinine_0, liver_injury=0.0, bilirubin=p.bilirubin_0, encephalopathy=0.0,
             platelets=p.platelets_0, red_cells=d.red_cells_0, lactate=p.lactate_0, oxygen_debt=0.0,
             ne_titrated=0.0)
    return [y[n] for n in STATES]


PRODROME_MAX_H = 48.0


@lru_cache(maxsize=128)
def _presentation(p: Params, severity: float) -> tuple[tuple[float, ...], float]:
    """State at hour 0 (onset of hypotension, or 24 h after escape if MAP never falls below 65)."""
    model = _Model(p, severity, _Plan.none())
    res = integrate(model.rhs, _healthy(p), STATES, hours=PRODROME_MAX_H, points=int(PRODROME_MAX_H * 4) + 1,
                    max_step=0.5)
    u = model.inputs(0.0)
    for i, t in enumerate(res.time):
        y = [res[n][i] for n in STATES]
        if model.algebra(y, u)["map"] < 65.0:
            return tuple(y), float(t)
        if t >= 24.0:
            return tuple(y), float(t)
    return tuple(y), float(res.time[-1])


def severity_value(severity) -> float:
    """Severity as a number 0–1 from a number or a name in :data:`SEVERITIES`."""
    if isinstance(severity, str):
        key = severity.strip().lower()
        if key not in SEVERITIES:
            raise ValueError(f"severity={severity!r} is not one of {', '.join(map(repr, SEVERITIES))} "
                             "or a number from 0 to 1")
        return SEVERITIES[key]
    return check_number("severity", severity, unit="fraction", low=0.0, high=1.0)


def simulate(*, hours: int = 72, antibiotic_hour: float | None = None,
             source_control_hour: float | None = None, fluid_boluses_ml: Sequence = (),
             norepinephrine_ug_kg_min=0.0, dobutamine_ug_kg_min=0.0, vasopressin_u_min=0.0,
             hydrocortisone_hour: float | None = None, transfusion_units: Sequence = (),
             fio2: float | None = None, map_target_mmhg: float = 65.0, severity="moderate",
             params: Params | None = None) -> TimeSeries:
    """Follow the virtual septic patient hour by hour under a treatment plan.

    Parameters
    ----------
    hours : int
        Horizon in whole hours after the onset of hypotension (1–336).
    antibiotic_hour : float or None
        Hour at which an appropriate antibiotic is started (None: never). 0 to ``hours``.
    source_control_hour : float or None
        Hour at which the focus is drained or removed (None: never).
    fluid_boluses_ml : sequence
        Crystalloid boluses as ``(hour, mL)`` pairs, each run in over ``params.bolus_minutes``;
        a plain number means a bolus at hour 0. E.g. ``[(0, 1000), (1, 1100)]`` is 30 mL/kg
        for 70 kg in two boluses. Each bolus 0–5000 mL.
    norepinephrine_ug_kg_min : float, sequence or "titrate"
        Infusion dose in µg/kg/min (0–3): one number (constant from hour 0), ``(hour, dose)``
        steps, e.g. ``[(1, 0.1), (6, 0.2)]`` (0 before the first step), or ``"titrate"``: from
        hour 0 the dose is adjusted continuously to hold ``map_target_mmhg``.
    dobutamine_ug_kg_min : float or sequence
        Dobutamine in µg/kg/min (0–40), constant or in steps as above.
    vasopressin_u_min : float or sequence
        Vasopressin in U/min (0–0.1), constant or in steps as above.
    hydrocortisone_hour : float or None
        Hour at which hydrocortisone (200 mg/day) is started.
    transfusion_units : sequence
        Packed red-cell units as ``(hour, units)`` pairs (300 mL each, over 1 h).
    fio2 : float or None
        Fraction of inspired oxygen 0.21–1; None titrates it to keep PaO₂ near ``params.pao2_target``.
    map_target_mmhg : float
        MAP aimed for when norepinephrine is titrated (50–100 mmHg; 65 in the guidelines).
    severity : float or str
        0–1, or "mild", "moderate", "severe": sets the pathogen's growth and the host's
        inflammatory gain.
    params : Params, optional

    Returns
    -------
    TimeSeries
        Hourly series on ``.time`` (h): ``map``, ``heart_rate``, ``cardiac_output`` (L/min),
        ``stroke_volume`` (mL), ``ejection_fraction``, ``svr`` (dyn·s·cm⁻⁵), ``cvp`` (mmHg),
        ``lactate`` (mmol/L), ``sofa`` (0–24) and its parts ``sofa_respiration`` …
        ``sofa_renal``, ``alive`` (bool), ``pf_ratio`` (mmHg), ``fio2``, ``sao2``, ``svo2``, ``hb``
        (g/dL), ``do2``, ``vo2`` (mL/min), ``creatinine``, ``bilirubin`` (mg/dL), ``urine_ml_h``,
        ``gcs``, ``platelets`` (10⁹/L), ``glycocalyx`` (fraction), ``pathogen`` (fraction of
        the focus's capacity), ``inflammation``, ``no``, ``blood_volume``, ``interstitial_fluid``,
        ``lung_water`` (mL), ``fluid_in_ml`` and ``fluid_balance_ml`` (cumulative, mL), the
        doses given, and ``oxygen_debt`` (L). ``res.onset_hour`` is how long after the
        infection escaped the hypotension began.

    Raises
    ------
    ValueError
        For a bad plan: negative doses, an hour outside 0…``hours``, an unknown severity.
    """
    p = params or Params()
    if not isinstance(p, Params):
        raise ValueError(f"params must be a sepsislab.patient.Params, got {type(p).__name__}")
    horizon = check_number("hours", hours, unit="h", low=1, high=336)
    if horizon != int(horizon):
        raise ValueError(f"hours={horizon:g} h must be a whole number of hours (1 to 336 h)")
    horizon = int(horizon)
    sev = severity_value(severity)

    def hour(name, value):
        if value is None:
            return math.inf
        return check_number(name, value, unit="h", low=0, high=horizon)

    titrate = isinstance(norepinephrine_ug_kg_min, str)
    if titrate and norepinephrine_ug_kg_min.strip().lower() != "titrate":
        raise ValueError(f"norepinephrine_ug_kg_min={norepinephrine_ug_kg_min!r}: give a dose in µg/kg/min "
                         "(0 to 3), (hour, dose) steps, or 'titrate'")
    target = check_number("map_target_mmhg", map_target_mmhg, unit="mmHg", low=50, high=100)
    plan = _Plan(
        antibiotic_hour=hour("antibiotic_hour", antibiotic_hour),
        source_control_hour=hour("source_control_hour", source_control_hour),
        boluses=tuple(_events("fluid_boluses_ml", fluid_boluses_ml, "mL", 5000, horizon)),
        transfusions=tuple(_events("transfusion_units", transfusion_units, "units", 6, horizon)),
        norepinephrine=(_Schedule([0.0], [0.0]) if titrate else
                        _schedule("norepinephrine_ug_kg_min", norepinephrine_ug_kg_min, "µg/kg/min", 3.0,
                                  horizon)),
        dobutamine=_schedule("dobutamine_ug_kg_min", dobutamine_ug_kg_min, "µg/kg/min", 40.0, horizon),
        vasopressin=_schedule("vasopressin_u_min", vasopressin_u_min, "U/min", 0.1, horizon),
        steroid_hour=hour("hydrocortisone_hour", hydrocortisone_hour),
        fio2=None if fio2 is None else check_number("fio2", fio2, unit="fraction", low=0.21, high=1.0),
        map_target=target if titrate else None,
    )
    y0, onset = _presentation(p, sev)
    model = _Model(p, sev, plan)
    # max_step keeps the solver from stepping over a 30-min bolus or a dose step.
    res = integrate(model.rhs, list(y0), STATES, hours=horizon, points=horizon + 1,
                    max_step=min(0.5, p.bolus_minutes / 120.0), rtol=1e-4, atol=1e-6)
    _read_out(res, model, plan)
    res.onset_hour = onset
    return res


def _read_out(res: TimeSeries, model: _Model, plan: _Plan) -> None:
    p = model.p
    rows = []
    for i, t in enumerate(res.time):
        y = [float(res[n][i]) for n in STATES]
        u = model.inputs(float(t), y)
        rows.append((model.algebra(y, u), u))
    for key in ("map", "heart_rate", "cardiac_output", "stroke_volume", "ejection_fraction", "svr", "cvp",
                "pf", "fio2", "sao2", "svo2", "hb", "do2", "vo2", "gfr", "urine"):
        res[{"pf": "pf_ratio", "urine": "urine_ml_h"}.get(key, key)] = np.array([r[0][key] for r in rows])
    # a pump cannot run below ≈ 0.005 µg/kg/min: the titrated drip is off below that
    rows = [(a, {**u, "ne": u["ne"] if u["ne"] >= 0.005 else 0.0}) for a, u in rows]
    # the hourly values go through the validated bedside formulas and the oxygen model
    res["do2"] = np.array([oxygen_delivery(a["cardiac_output"], arterial_oxygen_content(a["hb"], a["sao2"], a["pao2"]))
                           for a, _ in rows])
    res["vo2"] = np.array([float(oxygen.oxygen_consumption_curve(min(a["do2"], 1e4), a["vo2_cap"], a["er_max"]))
                           for a, _ in rows])
    res["max_extraction"] = np.array([a["er_max"] for a, _ in rows])
    for key in ("ne", "dob", "vp"):
        res[{"ne": "norepinephrine", "dob": "dobutamine", "vp": "vasopressin"}[key]] = \
            np.array([r[1][key] for r in rows])
    res["gcs"] = np.clip(np.rint(15 - 12 * res["encephalopathy"]), 3, 15)
    parts = [sofa_parts(res, i, p) for i in range(len(res.time))]
    res["sofa"] = np.array([s.total for s in parts])
    for name in ("respiration", "coagulation", "liver", "cardiovascular", "cns", "renal"):
        res[f"sofa_{name}"] = np.array([getattr(s, name) for s in parts])
    given = np.zeros_like(res.time)
    for h, ml in plan.boluses:
        given += ml * np.clip((res.time - h) / (p.bolus_minutes / 60.0), 0, 1)
    res["fluid_in_ml"] = given
    extravascular = res["interstitial_fluid"] + res["lung_water"]
    res["fluid_balance_ml"] = res["blood_volume"] + extravascular - res["blood_volume"][0] - extravascular[0]
    alive = np.logical_and.accumulate(res["oxygen_debt"] < p.lethal_debt_l)
    if not alive.all():     # after death the series hold their last values
        last = max(int(np.argmin(alive)) - 1, 0)
        for key in list(res):
            res[key][last + 1:] = res[key][last]
    res["alive"] = alive
def sofa_parts(res: TimeSeries, i: int, params: Params | None = None):
    """SOFA at hour index ``i`` of a result, from the model's organ proxies.

    The patient is taken to be ventilated with PEEP ≥ 5 cmH₂O once P/F < 300 mmHg;
    urine output is the hourly rate ×24.
    """
    pf = float(res["pf_ratio"][i])
    return sofa_score(pao2_fio2=pf, on_respiratory_support=pf < 300, platelets_10e9_l=float(res["platelets"][i]),
                      bilirubin_mg_dl=float(min(res["bilirubin"][i], 60.0)), map_mmhg=float(res["map"][i]),
                      norepinephrine=float(res["norepinephrine"][i]),
                      dobutamine=float(res["dobutamine"][i]), gcs=int(res["gcs"][i]),
                      creatinine_mg_dl=float(min(res["creatinine"][i], 25.0)),
                      urine_ml_day=float(min(res["urine_ml_h"][i] * 24, 20000.0)))


def ards_categories(res: TimeSeries) -> list[str]:
    """Berlin category at every hour (``sepsislab.clinical.ards_severity``, PEEP 5 cmH₂O)."""
    from .clinical import ards_severity
    return [ards_severity(float(pf), 5.0) for pf in res["pf_ratio"]]


def fluid_challenge(*, glycocalyx: float, volume_ml: float = 1000.0, hours: int = 1,
                    severity="moderate", params: Params | None = None) -> dict:
    """Give one bolus at hour 0 to the patient with the glycocalyx held at ``glycocalyx``.

    Shedding and repair are switched off so that only the barrier differs; returns
    ``map_rise`` (mmHg, with − without the bolus, ``hours`` later) and ``retained``
    (fraction of the bolus still in the vessels then).
    """
    g = check_number("glycocalyx", glycocalyx, unit="fraction", low=0.0, high=1.0)
    vol = check_number("volume_ml", volume_ml, unit="mL", low=0, high=5000)
    p = (params or Params()).replace(shedding=0.0, repair_h=1000.0, anp_shedding=0.0)
    sev = severity_value(severity)
    y0, _ = _presentation(p, sev)
    y0 = list(y0)
    y0[_IX["glycocalyx"]] = g
    out = {}
    for name, plan_b in (("with", ((0.0, vol),)), ("without", ())):
        plan = _Plan.none()
        plan = _Plan(**{**{f.name: getattr(plan, f.name) for f in fields(plan)}, "boluses": plan_b})
        model = _Model(p, sev, plan)
        res = integrate(model.rhs, y0, STATES, hours=hours, points=hours + 1, max_step=0.25,
                        rtol=1e-4, atol=1e-6)
        y = [res[n][-1] for n in STATES]
        out[name] = (model.algebra(y, model.inputs(float(hours), y)), res["blood_volume"][-1])
    return dict(map_rise=out["with"][0]["map"] - out["without"][0]["map"],
                retained=(out["with"][1] - out["without"][1]) / vol if vol else 0.0)


# -- the organ relations on their own, for the organ pages ----------------------------------------

def haemodynamics(*, blood_volume_ml: float = 5000.0, no_activity: float = 0.0, depressant: float = 0.0,
                  inflammation: float = 0.0, norepinephrine_ug_kg_min: float = 0.0,
                  vasopressin_u_min: float = 0.0, dobutamine_ug_kg_min: float = 0.0,
                  hydrocortisone: bool = False, params: Params | None = None) -> dict:
    """The patient's quasi-steady circulation at one instant (the algebra inside :func:`simulate`).

    Parameters are the states and doses the circulation reads: blood volume (mL, 2000–9000),
    NO, depressant and inflammatory activities (0–4; 1 ≈ untreated septic shock) and the doses.

    Returns
    -------
    dict
        ``map``, ``cvp`` (mmHg), ``heart_rate`` (beats/min), ``cardiac_output`` (L/min),
        ``stroke_volume`` (mL), ``svr`` (dyn·s·cm⁻⁵), ``contractility`` (1 = healthy) and
        ``ejection_fraction``.
    """
    p = params or Params()
    vol = check_number("blood_volume_ml", blood_volume_ml, unit="mL", low=2000, high=9000)
    no = check_number("no_activity", no_activity, unit="1", low=0, high=4)
    dep = check_number("depressant", depressant, unit="1", low=0, high=4)
    infl = check_number("inflammation", inflammation, unit="1", low=0, high=4)
    ne = check_number("norepinephrine_ug_kg_min", norepinephrine_ug_kg_min, unit="µg/kg/min", low=0, high=3)
    vp = check_number("vasopressin_u_min", vasopressin_u_min, unit="U/min", low=0, high=0.1)
    dob = check_number("dobutamine_ug_kg_min", dobutamine_ug_kg_min, unit="µg/kg/min", low=0, high=40)
    mapv, hr, co, rap, svr, sv, contract = _haemodynamics(
        p, _derive(p), vol, no, dep, infl, ne, vp, dob, check_bool("hydrocortisone", hydrocortisone), p.map_0)
    return dict(map=mapv, cvp=rap, heart_rate=hr, cardiac_output=co, stroke_volume=sv, svr=svr * 80.0,
                contractility=contract, ejection_fraction=min(0.85, p.ef_0 * contract))


def pf_from_lung_water(excess_ml, params: Params | None = None):
    """P/F ratio (mmHg) with ``excess_ml`` of extravascular lung water above normal (≥ 0 mL).

    .. math:: PF = PF_{min} + \\frac{PF_0 - PF_{min}}{1 + (W_{ex}/W_{50})^2}
    """
    p = params or Params()
    w = np.asarray(excess_ml, dtype=float)
    if np.any(~np.isfinite(w)) or np.any(w < 0) or np.any(w > 10000):
        raise ValueError(f"excess_ml must be 0 to 10000 mL of extra lung water, got {excess_ml!r}")
    out = p.pf_min + (p.pf_0 - p.pf_min) / (1 + (w / p.lung_water_half) ** 2)
    return float(out) if out.ndim == 0 else out


def lung_steady_state(*, glycocalyx: float, cvp_mmhg: float, params: Params | None = None) -> dict:
    """Lung water and P/F ratio once filtration and clearance balance.

    Returns ``filtration_ml_h`` (extra filtration above normal), ``excess_water_ml``,
    ``pf_ratio`` (mmHg) and ``berlin`` (``sepsislab.clinical.ards_severity`` at PEEP 5 cmH₂O).
    """
    from .clinical import ards_severity

    p = params or Params()
    g = check_number("glycocalyx", glycocalyx, unit="fraction", low=0.0, high=1.0)
    cvp = check_number("cvp_mmhg", cvp_mmhg, unit="mmHg", low=0, high=30)
    d = _derive(p)
    extra = _lung_net(p, d.tables, g, cvp, _BP.pi_p0) - d.lung_net_0
    water = max(extra, 0.0) * p.lung_clearance_h
    pf = pf_from_lung_water(water, p)
    return dict(filtration_ml_h=extra, excess_water_ml=water, pf_ratio=pf, berlin=ards_severity(pf, 5.0))


def renal_function(*, map_mmhg: float, cvp_mmhg: float = 4.0, injury: float = 0.0,
                   params: Params | None = None) -> dict:
    """Glomerular filtration at a renal perfusion pressure MAP − CVP and a tubular injury 0–1.

    Returns ``gfr_fraction`` (1 = normal), ``gfr_ml_min``, ``urine_ml_h`` (normal blood volume)
    and ``creatinine_steady`` (mg/dL, the level creatinine settles at).
    """
    p = params or Params()
    mapv = check_number("map_mmhg", map_mmhg, unit="mmHg", low=20, high=150)
    cvp = check_number("cvp_mmhg", cvp_mmhg, unit="mmHg", low=0, high=30)
    k = check_number("injury", injury, unit="fraction", low=0, high=0.99)
    d = _derive(p)
    frac = _sig((mapv - cvp - p.rpp_half) / p.rpp_slope) / d.a_rpp_0 * (1 - k)
    return dict(gfr_fraction=frac, gfr_ml_min=frac * p.gfr_0 * 1000 / 60, urine_ml_h=p.urine_0 * frac,
                creatinine_steady=p.creatinine_0 / max(frac, 1e-3))


def creatinine_course(gfr_fraction: float, hours, params: Params | None = None):
    """Plasma creatinine (mg/dL) ``hours`` after GFR falls to ``gfr_fraction`` of normal.

    Production is constant and clearance is GFR·Cr in a volume V_d, so creatinine rises
    exponentially towards Cr₀/fraction with time constant V_d/GFR: days, not hours.
    """
    p = params or Params()
    f = check_number("gfr_fraction", gfr_fraction, unit="fraction", low=0.001, high=1.5)
    t = np.asarray(hours, dtype=float)
    if np.any(~np.isfinite(t)) or np.any(t < 0):
        raise ValueError(f"hours must be ≥ 0 h, got {hours!r}")
    steady = p.creatinine_0 / f
    return steady + (p.creatinine_0 - steady) * np.exp(-f * p.gfr_0 * t / p.creatinine_volume)
