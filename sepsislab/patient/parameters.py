"""Parameters of the virtual patient: every constant of the equations, with unit, range and source."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..models import coagulation
from ..params import ModelParams, param
from ..validation import check_number

__all__ = ["Params", "SEVERITIES", "severity_value", "default_params", "ILL", "KLA"]

ILL = "illustrative"
KLA = "klabunde2021"
_COAG = coagulation.Params()

#: Named severities accepted by :func:`sepsislab.patient.simulate` (a number 0–1 is also accepted).
SEVERITIES = {"mild": 0.2, "moderate": 0.4, "severe": 0.6}


@dataclass(frozen=True)
class Params(ModelParams):
    """Parameters of the virtual patient (70 kg adult).

    Normal values are textbook physiology; the couplings between mechanisms are
    lumped and chosen for teaching, and the table says so (``illustrative``).
    """

    weight_kg: float = param(
        70.0,
        unit="kg",
        low=30.0,
        high=200.0,
        source="reference adult",
        symbol="w",
        doc="body weight: doses are per kg; the volumes below are a 70-kg adult's, and a patient "
        "of another weight is that body scaled (a bolus in mL acts as 70/weight of it)",
    )
    # -- infection and inflammation ------------------------------------------------------
    growth_low: float = param(
        0.25, unit="1/h", low=0.05, high=2.0, source=ILL, symbol="r_0", doc="pathogen growth rate at severity 0"
    )
    growth_high: float = param(
        0.55, unit="1/h", low=0.05, high=2.0, source=ILL, symbol="r_1", doc="pathogen growth rate at severity 1"
    )
    innate_kill: float = param(
        0.02,
        unit="1/h",
        low=0.0,
        high=1.0,
        source=ILL,
        symbol="k_m",
        doc="maximal innate killing (saturable, the form of Reynolds et al. 2006)",
    )
    innate_half: float = param(
        0.05,
        unit="1",
        low=0.001,
        high=1.0,
        source=ILL,
        symbol="K_m",
        doc="load at which innate killing is half-saturated",
    )
    antibiotic_kill: float = param(
        0.7,
        unit="1/h",
        low=0.0,
        high=5.0,
        source=ILL,
        symbol="k_{ab}",
        doc="kill rate of an appropriate antibiotic in a drained focus",
    )
    penetration: float = param(
        0.55,
        unit="fraction",
        low=0.0,
        high=1.0,
        source=ILL,
        symbol="\\phi_0",
        doc="antibiotic effect in an undrained focus (abscess, necrosis)",
    )
    focus_after_control: float = param(
        0.25,
        unit="fraction",
        low=0.01,
        high=1.0,
        source=ILL,
        symbol="b_{sc}",
        doc="carrying capacity left after source control",
    )
    escape_load: float = param(
        0.05,
        unit="fraction",
        low=0.001,
        high=0.5,
        source=ILL,
        symbol="B_0",
        doc="load that has escaped local control at the start of the prodrome",
    )
    gain_low: float = param(
        0.26, unit="1/h", low=0.0, high=2.0, source=ILL, symbol="g_0", doc="inflammatory drive at severity 0"
    )
    gain_high: float = param(
        0.42,
        unit="1/h",
        low=0.0,
        high=2.0,
        source=ILL,
        symbol="g_1",
        doc="inflammatory drive at severity 1 (a more dysregulated host)",
    )
    load_half: float = param(
        0.1,
        unit="fraction",
        low=0.001,
        high=1.0,
        source=ILL,
        symbol="K_B",
        doc="pathogen load giving half the maximal drive",
    )
    damp_drive: float = param(
        2.0,
        unit="1",
        low=0.0,
        high=10.0,
        source=ILL,
        symbol="d_I",
        doc="drive by danger signals per unit oxygen deficit",
    )
    damage_rate: float = param(
        0.05,
        unit="1/h",
        low=0.0,
        high=1.0,
        source="reynolds2006",
        symbol="k_D",
        doc="tissue damage caused per hour at maximal inflammation (size illustrative)",
    )
    damage_half: float = param(
        1.0,
        unit="1",
        low=0.05,
        high=5.0,
        source=ILL,
        symbol="K_D",
        doc="inflammation causing half the maximal rate of tissue damage",
    )
    damage_hill: float = param(
        2.0, unit="1", low=1.0, high=6.0, source=ILL, symbol="n_D", doc="steepness of damage with inflammation"
    )
    damage_clearance_h: float = param(
        36.0,
        unit="h",
        low=2.0,
        high=500.0,
        source=ILL,
        symbol="\\tau_D",
        doc="time constant of clearing damaged tissue (danger signals)",
    )
    damage_drive: float = param(
        0.4,
        unit="1",
        low=0.0,
        high=10.0,
        source="reynolds2006",
        symbol="d_D",
        doc="inflammatory drive per unit tissue damage: the damage loop that can keep "
        "inflammation going after the pathogen is gone (size illustrative)",
    )
    inflammation_decay: float = param(
        0.2, unit="1/h", low=0.01, high=2.0, source=ILL, symbol="\\mu_I", doc="decay of inflammatory activity"
    )
    no_lag_h: float = param(
        6.0,
        unit="h",
        low=0.1,
        high=24.0,
        source=ILL,
        symbol="\\tau_N",
        doc="lag of the rise of iNOS/NO activity behind inflammation",
    )
    no_off_h: float = param(
        72.0,
        unit="h",
        low=1.0,
        high=200.0,
        source=ILL,
        symbol="\\tau_{N,off}",
        doc="time constant of the fall of iNOS/NO activity once inflammation subsides "
        "(induced protein outlasts its stimulus)",
    )
    depressant_lag_h: float = param(
        6.0,
        unit="h",
        low=0.1,
        high=48.0,
        source=ILL,
        symbol="\\tau_M",
        doc="lag of myocardial depression behind inflammation",
    )
    # -- vessels ------------------------------------------------------------------------------
    map_0: float = param(
        93.0, unit="mmHg", low=70.0, high=110.0, source=KLA, symbol="MAP_0", doc="healthy mean arterial pressure"
    )
    hr_0: float = param(
        72.0, unit="beats/min", low=50.0, high=100.0, source=KLA, symbol="HR_0", doc="healthy heart rate"
    )
    co_0: float = param(5.5, unit="L/min", low=3.0, high=8.0, source=KLA, symbol="CO_0", doc="healthy cardiac output")
    rap_0: float = param(
        4.0,
        unit="mmHg",
        low=0.0,
        high=8.0,
        source=KLA,
        symbol="P_{ra,0}",
        doc="healthy right-atrial (central venous) pressure",
    )
    blood_volume_0: float = param(
        5000.0, unit="mL", low=3000.0, high=8000.0, source=KLA, symbol="V_0", doc="healthy blood volume (≈ 70 mL/kg)"
    )
    stressed_0: float = param(
        1400.0,
        unit="mL",
        low=500.0,
        high=3000.0,
        source="illustrative, ≈ 20 mL/kg",
        symbol="V_0 - V_{u0}",
        doc="stressed volume (≈ 20 mL/kg; the rest only fills the veins)",
    )
    venous_compliance: float = param(
        110.0,
        unit="mL/mmHg",
        low=30.0,
        high=300.0,
        source=ILL,
        symbol="C_v",
        doc="compliance of the systemic circulation",
    )
    no_scale: float = param(
        0.3,
        unit="1",
        low=0.01,
        high=1.0,
        source=ILL,
        symbol="c_N",
        doc="cytokine level of the NO chain (chapter 1) per unit NO activity",
    )
    no_half: float = param(
        0.5,
        unit="1",
        low=0.01,
        high=5.0,
        source=ILL,
        symbol="K_N",
        doc="NO activity halving catecholamine responsiveness lost",
    )
    ne_emax: float = param(
        1.6,
        unit="1",
        low=0.0,
        high=10.0,
        source=ILL,
        symbol="E_{ne}",
        doc="maximal relative rise of SVR by norepinephrine",
    )
    ne_ec50: float = param(
        0.25,
        unit="µg/kg/min",
        low=0.01,
        high=2.0,
        source=ILL,
        symbol="EC_{ne}",
        doc="norepinephrine dose giving half the maximal effect",
    )
    ne_venous_ml: float = param(
        600.0,
        unit="mL",
        low=0.0,
        high=1000.0,
        source="persichini2012",
        symbol="\\Delta V_{ne}",
        doc="unstressed volume recruited by maximal venoconstriction (size illustrative)",
    )
    hyporesponse: float = param(
        0.5,
        unit="fraction",
        low=0.0,
        high=1.0,
        source=ILL,
        symbol="h",
        doc="maximal loss of catecholamine responsiveness caused by NO",
    )
    vp_emax: float = param(
        0.6, unit="1", low=0.0, high=5.0, source=ILL, symbol="E_{vp}", doc="maximal relative rise of SVR by vasopressin"
    )
    vp_ec50: float = param(
        0.03,
        unit="U/min",
        low=0.001,
        high=0.5,
        source=ILL,
        symbol="EC_{vp}",
        doc="vasopressin dose giving half the maximal effect",
    )
    # -- heart -------------------------------------------------------------------------------
    hr_min: float = param(
        40.0,
        unit="beats/min",
        low=20.0,
        high=70.0,
        source=ILL,
        symbol="HR_{min}",
        doc="heart rate at maximal vagal tone",
    )
    hr_max: float = param(
        160.0,
        unit="beats/min",
        low=120.0,
        high=220.0,
        source=ILL,
        symbol="HR_{max}",
        doc="heart rate at maximal sympathetic tone",
    )
    baro_slope: float = param(
        12.0,
        unit="mmHg",
        low=2.0,
        high=30.0,
        source=ILL,
        symbol="s_b",
        doc="MAP change that moves the baroreflex by e-fold",
    )
    baro_blunting: float = param(
        0.6,
        unit="fraction",
        low=0.0,
        high=1.0,
        source=ILL,
        symbol="b_I",
        doc="part of the baroreflex's heart-rate range lost at high inflammation "
        "(the autonomic dysfunction of sepsis; half of it at I = 1)",
    )
    fever_hr: float = param(
        10.0,
        unit="beats/min",
        low=0.0,
        high=60.0,
        source=ILL,
        symbol="h_I",
        doc="tachycardia from fever and cytokines per unit inflammation",
    )
    starling_half: float = param(
        3.0,
        unit="mmHg",
        low=0.5,
        high=20.0,
        source=ILL,
        symbol="K_{fs}",
        doc="filling pressure (+1 mmHg) giving half the maximal stroke volume",
    )
    depression_max: float = param(
        0.5,
        unit="fraction",
        low=0.0,
        high=0.9,
        source="parker1984",
        symbol="m",
        doc="maximal loss of contractility (septic cardiomyopathy; size illustrative)",
    )
    depression_half: float = param(
        0.5,
        unit="1",
        low=0.01,
        high=5.0,
        source=ILL,
        symbol="K_M",
        doc="depressant activity giving half the maximal loss",
    )
    ef_0: float = param(
        0.6,
        unit="fraction",
        low=0.4,
        high=0.75,
        source=KLA,
        symbol="EF_0",
        doc="healthy left-ventricular ejection fraction",
    )
    dobu_emax: float = param(
        0.6,
        unit="1",
        low=0.0,
        high=3.0,
        source=ILL,
        symbol="E_{dob}",
        doc="maximal relative rise of contractility by dobutamine",
    )
    dobu_ec50: float = param(
        5.0,
        unit="µg/kg/min",
        low=0.5,
        high=40.0,
        source=ILL,
        symbol="EC_{dob}",
        doc="dobutamine dose giving half the maximal inotropy",
    )
    dobu_hr: float = param(
        20.0,
        unit="beats/min",
        low=0.0,
        high=60.0,
        source=ILL,
        symbol="h_{dob}",
        doc="maximal tachycardia from dobutamine",
    )
    # -- barrier and fluids ------------------------------------------------------------------
    repair_h: float = param(
        120.0,
        unit="h",
        low=12.0,
        high=1000.0,
        source=ILL,
        symbol="1/k_{rep}",
        doc="time constant of glycocalyx regrowth (days)",
    )
    shedding: float = param(
        0.06,
        unit="1/h",
        low=0.0,
        high=1.0,
        source=ILL,
        symbol="k_{sh}",
        doc="glycocalyx shedding per unit inflammation",
    )
    anp_shedding: float = param(
        0.004,
        unit="1/(h·mmHg)",
        low=0.0,
        high=0.1,
        source="chappell2014",
        symbol="k_{anp}",
        doc="shedding by hypervolaemia (ANP) per mmHg of P_ra (size illustrative)",
    )
    anp_threshold: float = param(
        10.0,
        unit="mmHg",
        low=4.0,
        high=20.0,
        source=ILL,
        symbol="P_{anp}",
        doc="right-atrial pressure above which hypervolaemia sheds",
    )
    lung_kf: float = param(
        2.0,
        unit="mL/h/mmHg",
        low=0.5,
        high=100.0,
        source=ILL,
        symbol="K_{f,l0}",
        doc="filtration coefficient of the lungs",
    )
    lung_kf_rise: float = param(
        8.0,
        unit="1",
        low=0.0,
        high=30.0,
        source=ILL,
        symbol="\\kappa_l",
        doc="relative rise of the lung K_f when the barrier fails",
    )
    lung_clearance_h: float = param(
        12.0, unit="h", low=1.0, high=100.0, source=ILL, symbol="\\tau_W", doc="time constant of lung-water clearance"
    )
    lung_water_0: float = param(
        500.0,
        unit="mL",
        low=100.0,
        high=1500.0,
        source="normal ≈ 7 mL/kg",
        symbol="W_0",
        doc="healthy extravascular lung water",
    )
    lung_water_half: float = param(
        600.0,
        unit="mL",
        low=100.0,
        high=3000.0,
        source=ILL,
        symbol="W_{50}",
        doc="excess lung water that halves the P/F ratio",
    )
    pf_min: float = param(
        50.0,
        unit="mmHg",
        low=20.0,
        high=150.0,
        source=ILL,
        symbol="PF_{min}",
        doc="P/F ratio of a fully flooded lung (shunt-limited)",
    )
    pf_0: float = param(
        450.0, unit="mmHg", low=300.0, high=550.0, source="west2021", symbol="PF_0", doc="healthy PaO₂/FiO₂ ratio"
    )
    bolus_minutes: float = param(
        30.0, unit="min", low=5.0, high=120.0, source=ILL, symbol="t_b", doc="time over which one bolus runs in"
    )
    maintenance_ml_h: float = param(
        100.0, unit="mL/h", low=0.0, high=300.0, source=ILL, symbol="u_m", doc="maintenance fluid and enteral intake"
    )
    insensible_ml_h: float = param(
        40.0, unit="mL/h", low=0.0, high=200.0, source=ILL, symbol="u_{ins}", doc="insensible losses (skin, breath)"
    )
    # -- kidney, liver, brain ---------------------------------------------------------------
    gfr_0: float = param(
        6.0,
        unit="L/h",
        low=1.0,
        high=12.0,
        source=KLA,
        symbol="GFR_0",
        doc="healthy glomerular filtration rate (100 mL/min)",
    )
    urine_0: float = param(
        60.0, unit="mL/h", low=20.0, high=200.0, source=KLA, symbol="U_0", doc="healthy urine output (≈ 1 mL/kg/h)"
    )
    creatinine_0: float = param(
        0.9, unit="mg/dL", low=0.4, high=1.5, source=KLA, symbol="Cr_0", doc="healthy plasma creatinine"
    )
    creatinine_volume: float = param(
        42.0,
        unit="L",
        low=10.0,
        high=80.0,
        source="total body water",
        symbol="V_d",
        doc="distribution volume of creatinine",
    )
    kidney_injury: float = param(
        0.03, unit="1/h", low=0.0, high=1.0, source=ILL, symbol="k_K", doc="rate of tubular injury per unit insult"
    )
    kidney_recovery_h: float = param(
        96.0, unit="h", low=6.0, high=1000.0, source=ILL, symbol="\\tau_K", doc="time constant of renal recovery"
    )
    liver_injury: float = param(
        0.02, unit="1/h", low=0.0, high=1.0, source=ILL, symbol="k_H", doc="rate of hepatic dysfunction per unit insult"
    )
    liver_recovery_h: float = param(
        96.0, unit="h", low=6.0, high=1000.0, source=ILL, symbol="\\tau_H", doc="time constant of hepatic recovery"
    )
    bilirubin_0: float = param(
        0.6,
        unit="mg/dL",
        low=0.2,
        high=1.2,
        source="normal range 0.3–1.2",
        symbol="Bil_0",
        doc="healthy plasma bilirubin",
    )
    bilirubin_turnover_h: float = param(
        24.0, unit="h", low=2.0, high=200.0, source=ILL, symbol="1/k_b", doc="time constant of bilirubin clearance"
    )
    brain_lag_h: float = param(
        4.0, unit="h", low=0.5, high=48.0, source=ILL, symbol="\\tau_E", doc="lag of encephalopathy behind its causes"
    )
    brain_half: float = param(
        1.0,
        unit="1",
        low=0.05,
        high=5.0,
        source=ILL,
        symbol="K_E",
        doc="inflammation giving half-maximal encephalopathy",
    )
    brain_map_50: float = param(
        55.0,
        unit="mmHg",
        low=30.0,
        high=80.0,
        source=ILL,
        symbol="MAP_E",
        doc="MAP below which the brain is hypoperfused (autoregulation lost)",
    )
    # -- blood and oxygen --------------------------------------------------------------------
    platelets_0: float = param(
        _COAG.platelets_0,
        unit="10⁹/L",
        low=50.0,
        high=600.0,
        source="coagulation model",
        symbol="P_0",
        doc="normal platelet count",
    )
    platelet_life_h: float = param(
        _COAG.platelet_life_h,
        unit="h",
        low=24.0,
        high=400.0,
        source="coagulation model",
        symbol="\\tau_P",
        doc="mean platelet lifetime",
    )
    platelet_use: float = param(
        0.015,
        unit="1/h",
        low=0.0,
        high=0.5,
        source=ILL,
        symbol="k_c",
        doc="platelet consumption per unit inflammation (DIC)",
    )
    hematocrit_0: float = param(
        0.40, unit="fraction", low=0.2, high=0.55, source=KLA, symbol="Hct_0", doc="healthy haematocrit"
    )
    vo2_0: float = param(
        250.0,
        unit="mL/min",
        low=100.0,
        high=500.0,
        source="west2021",
        symbol="VO_{2,0}",
        doc="resting oxygen consumption",
    )
    hypermetabolism: float = param(
        0.2,
        unit="fraction",
        low=0.0,
        high=1.0,
        source=ILL,
        symbol="q",
        doc="maximal rise of oxygen need with fever and inflammation",
    )
    plug_max: float = param(
        0.4,
        unit="fraction",
        low=0.0,
        high=0.9,
        source=ILL,
        symbol="\\pi_{max}",
        doc="fraction of capillaries plugged when all platelets are consumed",
    )
    perfusion_map_50: float = param(
        45.0,
        unit="mmHg",
        low=20.0,
        high=70.0,
        source=ILL,
        symbol="MAP_{50}",
        doc="MAP at which half the capillary beds stop being perfused",
    )
    pao2_target: float = param(
        75.0,
        unit="mmHg",
        low=55.0,
        high=150.0,
        source=ILL,
        symbol="PaO_{2,t}",
        doc="PaO₂ aimed for when FiO₂ is titrated",
    )
    lactate_0: float = param(
        1.0, unit="mmol/L", low=0.3, high=2.0, source="normal < 2 mmol/L", symbol="L_0", doc="healthy blood lactate"
    )
    lactate_turnover: float = param(
        1.0,
        unit="1/h",
        low=0.1,
        high=10.0,
        source=ILL,
        symbol="k_L",
        doc="lactate clearance rate constant (healthy liver)",
    )
    lactate_deficit: float = param(
        30.0,
        unit="1",
        low=0.0,
        high=100.0,
        source=ILL,
        symbol="a_\\delta",
        doc="extra lactate production per unit oxygen deficit",
    )
    lactate_adrenergic: float = param(
        1.5,
        unit="1",
        low=0.0,
        high=5.0,
        source="james1999",
        symbol="a_I",
        doc="aerobic (adrenergic) lactate per unit inflammation (size illustrative)",
    )
    debt_repay_h: float = param(
        12.0,
        unit="h",
        low=1.0,
        high=200.0,
        source=ILL,
        symbol="\\tau_O",
        doc="time constant over which an oxygen debt is repaid",
    )

    # -- kidney autoregulation ----------------------------------------------------------------
    rpp_half: float = param(
        48.0,
        unit="mmHg",
        low=20.0,
        high=90.0,
        source=KLA,
        symbol="RPP_{50}",
        doc="renal perfusion pressure (MAP − P_ra) halving filtration: autoregulation holds "
        "GFR near normal down to a MAP of ≈ 65–70 mmHg (curve illustrative)",
    )
    rpp_slope: float = param(
        4.0,
        unit="mmHg",
        low=1.0,
        high=20.0,
        source=ILL,
        symbol="s_r",
        doc="steepness of the loss of autoregulation below its lower limit",
    )
    kidney_inflammation: float = param(
        0.5, unit="1", low=0.0, high=5.0, source=ILL, symbol="w_{KI}", doc="weight of inflammation in the renal insult"
    )
    kidney_hypoperfusion: float = param(
        2.0,
        unit="1",
        low=0.0,
        high=10.0,
        source=ILL,
        symbol="w_{KP}",
        doc="weight of lost filtration (hypoperfusion) in the renal insult",
    )
    liver_inflammation: float = param(
        0.5,
        unit="1",
        low=0.0,
        high=5.0,
        source=ILL,
        symbol="w_{HI}",
        doc="weight of inflammation in the hepatic insult",
    )
    liver_hypoxia: float = param(
        3.0,
        unit="1",
        low=0.0,
        high=10.0,
        source=ILL,
        symbol="w_{H\\delta}",
        doc="weight of the oxygen deficit in the hepatic insult",
    )
    brain_inflammation: float = param(
        0.5,
        unit="1",
        low=0.0,
        high=1.0,
        source=ILL,
        symbol="w_{EI}",
        doc="maximal encephalopathy from inflammation alone",
    )
    brain_hypoperfusion: float = param(
        0.6,
        unit="1",
        low=0.0,
        high=1.0,
        source=ILL,
        symbol="w_{EP}",
        doc="maximal encephalopathy from cerebral hypoperfusion",
    )
    brain_map_width: float = param(
        4.0,
        unit="mmHg",
        low=0.5,
        high=20.0,
        source=ILL,
        symbol="s_E",
        doc="width of the loss of cerebral autoregulation around MAP_E",
    )
    gcs_loss: float = param(
        12.0,
        unit="points",
        low=1.0,
        high=12.0,
        source="GCS range 3–15",
        symbol="g_E",
        doc="Glasgow points lost at full encephalopathy (GCS = 15 − g_E·E)",
    )
    perfusion_width: float = param(
        5.0,
        unit="mmHg",
        low=0.5,
        high=20.0,
        source=ILL,
        symbol="s_P",
        doc="width of capillary-bed closure around MAP_{50}",
    )
    urine_volume_exponent: float = param(
        4.0,
        unit="1",
        low=0.0,
        high=10.0,
        source=ILL,
        symbol="n_U",
        doc="steepness of volume diuresis: urine ∝ (V/V_0)^n_U",
    )
    urine_max_ratio: float = param(
        4.0,
        unit="1",
        low=1.0,
        high=10.0,
        source=ILL,
        symbol="U_{max}",
        doc="largest volume diuresis as a multiple of normal",
    )
    hypermetabolism_half: float = param(
        0.5,
        unit="1",
        low=0.05,
        high=5.0,
        source=ILL,
        symbol="K_q",
        doc="inflammation giving half the maximal rise of oxygen need",
    )
    packed_cell_hct: float = param(
        0.6,
        unit="fraction",
        low=0.4,
        high=0.8,
        source="blood bank standard",
        symbol="Hct_{RBC}",
        doc="haematocrit of a unit of packed red cells",
    )
    transfusion_unit_ml: float = param(
        300.0,
        unit="mL",
        low=150.0,
        high=450.0,
        source="blood bank standard",
        symbol="V_{RBC}",
        doc="volume of one unit of packed red cells (over 1 h)",
    )
    # -- left heart and lungs -----------------------------------------------------------------
    lap_0: float = param(
        8.0,
        unit="mmHg",
        low=4.0,
        high=14.0,
        source=KLA,
        symbol="P_{la,0}",
        doc="healthy left-atrial (pulmonary artery wedge) pressure",
    )
    starling_half_lv: float = param(
        9.0,
        unit="mmHg",
        low=1.0,
        high=30.0,
        source=ILL,
        symbol="K_{fs,L}",
        doc="left-atrial pressure (+1 mmHg) giving half the left ventricle's maximal stroke volume",
    )
    lung_cap_above_la: float = param(
        2.0,
        unit="mmHg",
        low=0.0,
        high=10.0,
        source="gaar1967",
        symbol="\\Delta P_{c,l}",
        doc="pulmonary capillary pressure above left-atrial pressure",
    )
    lung_interstitial_pressure: float = param(
        -2.0, unit="mmHg", low=-10.0, high=5.0, source=ILL, symbol="P_{i,l}", doc="lung interstitial pressure"
    )
    lung_interstitial_oncotic: float = param(
        14.0,
        unit="mmHg",
        low=0.0,
        high=25.0,
        source=ILL,
        symbol="\\pi_{i,l}",
        doc="oncotic pressure of the protein-rich lung interstitium",
    )
    lung_lymph_reserve: float = param(
        30.0,
        unit="mL/h",
        low=0.0,
        high=300.0,
        source="guyton1959",
        symbol="J_{L,res}",
        doc="extra filtration the lung lymphatics carry away before water "
        "accumulates (the oedema safety factor; size illustrative)",
    )
    lung_flood_width: float = param(
        5.0,
        unit="mL/h",
        low=0.5,
        high=50.0,
        source=ILL,
        symbol="s_J",
        doc="smoothness of the onset of flooding above the lymphatic reserve",
    )
    # -- heart and drugs ------------------------------------------------------------------------
    ne_inotropy: float = param(
        0.3,
        unit="1",
        low=0.0,
        high=1.0,
        source="persichini2012",
        symbol="E_{ne,\\beta}",
        doc="maximal relative rise of contractility by norepinephrine (β₁; size illustrative)",
    )
    dobu_vasodilation: float = param(
        0.1,
        unit="fraction",
        low=0.0,
        high=0.5,
        source=ILL,
        symbol="c_{dob}",
        doc="maximal fall of SVR by dobutamine (β₂)",
    )
    fill_hr_half: float = param(
        200.0,
        unit="beats/min",
        low=120.0,
        high=300.0,
        source=ILL,
        symbol="HR_{fill}",
        doc="heart rate at which diastolic filling is halved",
    )
    fill_exponent: float = param(
        4.0,
        unit="1",
        low=1.0,
        high=10.0,
        source=ILL,
        symbol="n_{fill}",
        doc="steepness of the loss of diastolic filling with heart rate",
    )
    hr_ceiling: float = param(
        190.0,
        unit="beats/min",
        low=120.0,
        high=230.0,
        source=ILL,
        symbol="HR_{ceil}",
        doc="highest heart rate the sinus node reaches",
    )
    ne_max: float = param(
        3.0,
        unit="µg/kg/min",
        low=0.5,
        high=5.0,
        source="evans2021",
        symbol="D_{max}",
        doc="highest norepinephrine dose the titrating nurse gives",
    )
    pump_min: float = param(
        0.005,
        unit="µg/kg/min",
        low=0.0,
        high=0.05,
        source=ILL,
        symbol="D_{min}",
        doc="lowest dose a syringe pump runs at: below it the drip counts as off",
    )
    titration_gain: float = param(
        0.05,
        unit="1/(mmHg·h)",
        low=0.001,
        high=1.0,
        source=ILL,
        symbol="k_{tit}",
        doc="how fast the nurse changes the norepinephrine effect per mmHg of MAP error",
    )
    # -- hydrocortisone -------------------------------------------------------------------------
    steroid_onset_h: float = param(
        12.0,
        unit="h",
        low=1.0,
        high=72.0,
        source=ILL,
        symbol="\\tau_S",
        doc="time constant of the genomic effects of hydrocortisone",
    )
    steroid_pressor: float = param(
        0.5,
        unit="fraction",
        low=0.0,
        high=1.0,
        source="venkatesh2018",
        symbol="c_r",
        doc="part of the vascular tone lost to NO that hydrocortisone restores (size "
        "calibrated: shock resolves about a day sooner, as in ADRENAL)",
    )
    # -- organ failure, reserve and death -----------------------------------------------------------
    reserve_0: float = param(
        1.2,
        unit="1",
        low=0.05,
        high=5.0,
        source="kumar2006",
        symbol="Z_0",
        doc="physiological reserve of this patient, the median of the cohort (varied by age "
        "and comorbidity; calibrated so that the bundle with an antibiotic in the "
        "first hour saves 79.9 % of a cohort, as in Kumar 2006)",
    )
    organ_drain: float = param(
        0.0046,
        unit="1/h",
        low=0.0,
        high=0.1,
        source="knaus1985",
        symbol="k_F",
        doc="reserve used per failing organ system and hour: three failures use a reserve "
        "of 1 in ≈ 3 days, as three or more failures beyond day 3 were fatal in "
        "≈ 98 % (Knaus 1985)",
    )
    hypoxia_drain: float = param(
        0.6,
        unit="1/h",
        low=0.0,
        high=5.0,
        source=ILL,
        symbol="k_\\delta",
        doc="reserve used per unit oxygen deficit and hour (refractory shock, cytopathic hypoxia)",
    )
    reserve_recovery_h: float = param(
        168.0,
        unit="h",
        low=12.0,
        high=2000.0,
        source=ILL,
        symbol="\\tau_Z",
        doc="time constant over which reserve is regained",
    )
    fail_sharpness: float = param(
        0.15,
        unit="fraction",
        low=0.01,
        high=1.0,
        source=ILL,
        symbol="s_F",
        doc="relative width of the smooth step at each organ-failure threshold",
    )
    fail_pf: float = param(
        200.0,
        unit="mmHg",
        low=50.0,
        high=300.0,
        source="vincent1996",
        symbol="PF_F",
        doc="respiratory failure: P/F below this (SOFA 3)",
    )
    fail_platelets: float = param(
        50.0,
        unit="10⁹/L",
        low=10.0,
        high=150.0,
        source="vincent1996",
        symbol="P_F",
        doc="coagulation failure: platelets below this (SOFA 3)",
    )
    fail_bilirubin: float = param(
        6.0,
        unit="mg/dL",
        low=1.0,
        high=12.0,
        source="vincent1996",
        symbol="Bil_F",
        doc="hepatic failure: bilirubin above this (SOFA 3)",
    )
    fail_gfr: float = param(
        0.25,
        unit="fraction",
        low=0.05,
        high=0.6,
        source="vincent1996",
        symbol="GFR_F",
        doc="renal failure: filtration below this fraction (steady creatinine ≈ 3.6 mg/dL, SOFA 3)",
    )
    fail_gcs: float = param(
        10.0,
        unit="points",
        low=4.0,
        high=14.0,
        source="vincent1996",
        symbol="GCS_F",
        doc="neurological failure: Glasgow coma scale below this (SOFA 3)",
    )
    fail_map: float = param(
        50.0,
        unit="mmHg",
        low=30.0,
        high=70.0,
        source="knaus1985",
        symbol="MAP_F",
        doc="cardiovascular failure: MAP below this (Knaus's criterion, MAP ≤ 49 mmHg; the "
        "vasopressor dose that holds a higher pressure does not count as failure)",
    )


def severity_value(severity) -> float:
    """Severity as a number 0–1 from a number or a name in :data:`SEVERITIES`.

    Parameters
    ----------
    severity : float or str
        0 (the mildest septic shock the model follows) to 1, or ``"mild"``, ``"moderate"``, ``"severe"``.

    Returns
    -------
    float
        The severity, 0–1.
    """
    if isinstance(severity, str):
        key = severity.strip().lower()
        if key not in SEVERITIES:
            raise ValueError(
                f"severity={severity!r} is not one of {', '.join(map(repr, SEVERITIES))} or a number from 0 to 1"
            )
        return SEVERITIES[key]
    return check_number("severity", severity, unit="fraction", low=0.0, high=1.0)


@lru_cache(maxsize=1)
def default_params() -> Params:
    """The reference patient's :class:`Params`, built (and validated) once."""
    return Params()
