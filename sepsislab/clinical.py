"""Bedside formulas and clinical scores, validated and cited.

Every function takes plain numbers with the unit in the argument name, checks
them (:mod:`sepsislab.validation`), and cites its definition. Exercises and
the book call these same functions, so an answer key cannot drift from the text.
"""

from __future__ import annotations

from typing import NamedTuple

from .validation import check_bool, check_choice, check_fraction, check_number

__all__ = [
    "mean_arterial_pressure", "systemic_vascular_resistance", "shock_index",
    "arterial_oxygen_content", "oxygen_delivery", "oxygen_consumption", "oxygen_extraction_ratio",
    "pf_ratio", "ards_severity", "qsofa", "SofaScore", "sofa_score", "is_septic_shock",
    "lactate_clearance", "starling_filtration", "infusion_rate_ml_h", "isth_dic_score",
]


def _unit_slip(name: str, value, *, above: float, meant: str, factor: float) -> None:
    """Catch the classic unit slip (µmol/L for mg/dL, mg/dL for mmol/L…) before the range check."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return
    if v > above:
        raise ValueError(f"{name}={v:g} is far above the allowed range; it looks like {meant} "
                         f"(divide by {factor:g} to convert)")


# -- haemodynamics -------------------------------------------------------------

def mean_arterial_pressure(systolic_mmhg: float, diastolic_mmhg: float) -> float:
    """Mean arterial pressure, MAP = DBP + (SBP − DBP)/3.

    Parameters
    ----------
    systolic_mmhg : float
        Systolic pressure, 20–300 mmHg.
    diastolic_mmhg : float
        Diastolic pressure, 5–250 mmHg, not above the systolic.

    Returns
    -------
    float
        Mean arterial pressure (mmHg).

    References
    ----------
    The one-third rule for a resting heart rate; e.g. Klabunde, *Cardiovascular
    Physiology Concepts*, 3rd ed. (2021), ch. 5.
    """
    sbp = check_number("systolic_mmhg", systolic_mmhg, unit="mmHg", low=20, high=300)
    dbp = check_number("diastolic_mmhg", diastolic_mmhg, unit="mmHg", low=5, high=250)
    if dbp > sbp:
        raise ValueError(f"diastolic_mmhg={dbp:g} mmHg is above systolic_mmhg={sbp:g} mmHg; "
                         "diastolic pressure must not exceed systolic")
    return dbp + (sbp - dbp) / 3


def systemic_vascular_resistance(map_mmhg: float, cvp_mmhg: float, cardiac_output_l_min: float) -> float:
    """SVR = 80·(MAP − CVP)/CO, in dyn·s·cm⁻⁵ (normal ≈ 800–1200).

    The factor 80 converts mmHg·min/L to dyn·s·cm⁻⁵.

    Parameters
    ----------
    map_mmhg : float
        Mean arterial pressure, 0–250 mmHg.
    cvp_mmhg : float
        Central venous pressure, −10 to 40 mmHg, not above the MAP.
    cardiac_output_l_min : float
        Cardiac output, more than 0 and up to 30 L/min.

    Returns
    -------
    float
        Systemic vascular resistance (dyn·s·cm⁻⁵).

    References
    ----------
    Klabunde (2021), ch. 5; Vincent & De Backer 2013, N Engl J Med 369:1726.
    """
    mapv = check_number("map_mmhg", map_mmhg, unit="mmHg", low=0, high=250)
    cvp = check_number("cvp_mmhg", cvp_mmhg, unit="mmHg", low=-10, high=40)
    co = check_number("cardiac_output_l_min", cardiac_output_l_min, unit="L/min", low=0, high=30,
                      low_open=True)
    if cvp > mapv:
        raise ValueError(f"cvp_mmhg={cvp:g} mmHg exceeds map_mmhg={mapv:g} mmHg; no forward flow")
    return 80.0 * (mapv - cvp) / co


def shock_index(heart_rate_bpm: float, systolic_mmhg: float) -> float:
    """Shock index = HR/SBP (normal 0.5–0.7; ≥ 1 suggests shock).

    Parameters
    ----------
    heart_rate_bpm : float
        Heart rate, 0–300 beats/min.
    systolic_mmhg : float
        Systolic pressure, 20–300 mmHg.

    Returns
    -------
    float
        Shock index (beats/min per mmHg, conventionally written without a unit).

    References
    ----------
    Allgöwer M, Burri C (1967) Dtsch Med Wochenschr 92:1947–1950.
    """
    hr = check_number("heart_rate_bpm", heart_rate_bpm, unit="beats/min", low=0, high=300)
    sbp = check_number("systolic_mmhg", systolic_mmhg, unit="mmHg", low=20, high=300)
    return hr / sbp


# -- oxygen --------------------------------------------------------------------

def arterial_oxygen_content(hb_g_dl: float, sao2: float, pao2_mmhg: float) -> float:
    """CaO₂ = 1.34·Hb·SaO₂ + 0.003·PaO₂, in mL O₂/dL.

    1.34 mL O₂ binds per g of haemoglobin; 0.003 mL/dL/mmHg is dissolved O₂.

    Parameters
    ----------
    hb_g_dl : float
        Haemoglobin, 1–25 g/dL (a value in g/L is caught with a message).
    sao2 : float
        Arterial haemoglobin saturation, a fraction 0–1 (not a percent).
    pao2_mmhg : float
        Arterial partial pressure of oxygen, 10–760 mmHg.

    Returns
    -------
    float
        Arterial oxygen content (mL O₂/dL of blood).

    References
    ----------
    West JB, Luks AM (2021) West's Respiratory Physiology: The Essentials, 11th ed., ch. 6.
    """
    _unit_slip("hb_g_dl", hb_g_dl, above=30, meant="g/L", factor=10)
    hb = check_number("hb_g_dl", hb_g_dl, unit="g/dL", low=1, high=25)
    sat = check_fraction("sao2", sao2, what="fraction of haemoglobin saturated")
    pao2 = check_number("pao2_mmhg", pao2_mmhg, unit="mmHg", low=10, high=760)
    return oxygen_content_unchecked(hb, sat, pao2)


def oxygen_content_unchecked(hb_g_dl: float, sao2: float, pao2_mmhg: float) -> float:
    """The formula of :func:`arterial_oxygen_content` without input checks.

    For model inner loops that call it thousands of times with values they produced themselves.

    Parameters
    ----------
    hb_g_dl : float or ndarray
        Haemoglobin (g/dL).
    sao2 : float or ndarray
        Haemoglobin saturation, a fraction 0–1.
    pao2_mmhg : float or ndarray
        Partial pressure of oxygen (mmHg).

    Returns
    -------
    float or ndarray
        Oxygen content (mL O₂/dL of blood).
    """
    return 1.34 * hb_g_dl * sao2 + 0.003 * pao2_mmhg


def oxygen_delivery(cardiac_output_l_min: float, cao2_ml_dl: float) -> float:
    """DO₂ = CO·CaO₂·10, in mL O₂/min (normal ≈ 1000). The 10 converts dL to L.

    Parameters
    ----------
    cardiac_output_l_min : float
        Cardiac output, 0–30 L/min.
    cao2_ml_dl : float
        Arterial oxygen content, 0–35 mL O₂/dL.

    Returns
    -------
    float
        Oxygen delivery (mL O₂/min).

    References
    ----------
    West & Luks (2021), ch. 6.
    """
    co = check_number("cardiac_output_l_min", cardiac_output_l_min, unit="L/min", low=0, high=30)
    cao2 = check_number("cao2_ml_dl", cao2_ml_dl, unit="mL O₂/dL", low=0, high=35)
    return co * cao2 * 10.0


def _contents(cao2_ml_dl, cvo2_ml_dl):
    cao2 = check_number("cao2_ml_dl", cao2_ml_dl, unit="mL O₂/dL", low=0, high=35, low_open=True)
    cvo2 = check_number("cvo2_ml_dl", cvo2_ml_dl, unit="mL O₂/dL", low=0, high=35)
    if cvo2 > cao2:
        raise ValueError(f"cvo2_ml_dl={cvo2:g} mL O₂/dL exceeds cao2_ml_dl={cao2:g} mL O₂/dL; "
                         "venous blood cannot carry more oxygen than arterial blood")
    return cao2, cvo2


def oxygen_consumption(cardiac_output_l_min: float, cao2_ml_dl: float, cvo2_ml_dl: float) -> float:
    """VO₂ by the Fick principle, CO·(CaO₂ − CvO₂)·10, in mL O₂/min (normal ≈ 250).

    Parameters
    ----------
    cardiac_output_l_min : float
        Cardiac output, 0–30 L/min.
    cao2_ml_dl : float
        Arterial oxygen content, more than 0 and up to 35 mL O₂/dL.
    cvo2_ml_dl : float
        Mixed (or central) venous oxygen content, 0–35 mL O₂/dL, not above the arterial.

    Returns
    -------
    float
        Oxygen consumption (mL O₂/min).

    References
    ----------
    Fick A (1870); West & Luks (2021), ch. 6.
    """
    co = check_number("cardiac_output_l_min", cardiac_output_l_min, unit="L/min", low=0, high=30)
    cao2, cvo2 = _contents(cao2_ml_dl, cvo2_ml_dl)
    return co * (cao2 - cvo2) * 10.0


def oxygen_extraction_ratio(cao2_ml_dl: float, cvo2_ml_dl: float) -> float:
    """O₂ER = (CaO₂ − CvO₂)/CaO₂, a fraction 0–1 (normal ≈ 0.25).

    Parameters
    ----------
    cao2_ml_dl : float
        Arterial oxygen content, more than 0 and up to 35 mL O₂/dL.
    cvo2_ml_dl : float
        Venous oxygen content, 0–35 mL O₂/dL, not above the arterial.

    Returns
    -------
    float
        Oxygen extraction ratio (fraction 0–1).

    References
    ----------
    West & Luks (2021), ch. 6.
    """
    cao2, cvo2 = _contents(cao2_ml_dl, cvo2_ml_dl)
    return (cao2 - cvo2) / cao2


# -- lungs ---------------------------------------------------------------------

def pf_ratio(pao2_mmhg: float, fio2: float) -> float:
    """PaO₂/FiO₂ in mmHg, FiO₂ a fraction 0.21–1 (not a percent).

    Parameters
    ----------
    pao2_mmhg : float
        Arterial partial pressure of oxygen, 10–760 mmHg.
    fio2 : float
        Fraction of inspired oxygen, 0.21–1.

    Returns
    -------
    float
        The P/F ratio (mmHg).

    References
    ----------
    ARDS Definition Task Force (2012) JAMA 307:2526–2533.
    """
    pao2 = check_number("pao2_mmhg", pao2_mmhg, unit="mmHg", low=10, high=760)
    fio2 = check_fraction("fio2", fio2, low=0.21, high=1.0, what="fraction of inspired oxygen")
    return pao2 / fio2


def ards_severity(pf_ratio: float, peep_cmh2o: float) -> str:
    """Berlin category from the P/F ratio: "none", "mild", "moderate" or "severe".

    Mild 200 < P/F ≤ 300, moderate 100 < P/F ≤ 200, severe P/F ≤ 100 mmHg, all
    with PEEP or CPAP ≥ 5 cmH₂O (acute onset, bilateral opacities and a
    non-cardiac cause are the other criteria, judged at the bedside).

    Parameters
    ----------
    pf_ratio : float
        PaO₂/FiO₂, 10 to 760/0.21 mmHg.
    peep_cmh2o : float
        Positive end-expiratory pressure (or CPAP), 5–30 cmH₂O.

    Returns
    -------
    str
        ``"none"``, ``"mild"``, ``"moderate"`` or ``"severe"``.

    References
    ----------
    ARDS Definition Task Force (2012) JAMA 307:2526–2533.
    """
    pf = check_number("pf_ratio", pf_ratio, unit="mmHg", low=10, high=760 / 0.21)
    peep = check_number("peep_cmh2o", peep_cmh2o, unit="cmH₂O", low=0, high=30)
    if peep < 5:
        raise ValueError(f"peep_cmh2o={peep:g} cmH₂O is below 5; the Berlin definition grades "
                         "oxygenation only on PEEP or CPAP ≥ 5 cmH₂O (allowed: 5 to 30 cmH₂O)")
    if pf > 300:
        return "none"
    if pf > 200:
        return "mild"
    if pf > 100:
        return "moderate"
    return "severe"


# -- Sepsis-3, SOFA ------------------------------------------------------------

def qsofa(respiratory_rate: float, systolic_mmhg: float, altered_mentation: bool) -> int:
    """quick SOFA, 0–3: one point each for RR ≥ 22/min, SBP ≤ 100 mmHg, altered mentation.

    A score ≥ 2 flags a patient with suspected infection at risk of a poor outcome.

    Parameters
    ----------
    respiratory_rate : float
        Respiratory rate, 0–80 breaths/min.
    systolic_mmhg : float
        Systolic pressure, 20–300 mmHg.
    altered_mentation : bool
        Glasgow Coma Scale below 15 or any new confusion.

    Returns
    -------
    int
        qSOFA points, 0–3.

    References
    ----------
    Singer M et al. (2016) JAMA 315:801–810; Seymour CW et al. (2016) JAMA 315:762–774.
    """
    rr = check_number("respiratory_rate", respiratory_rate, unit="breaths/min", low=0, high=80)
    sbp = check_number("systolic_mmhg", systolic_mmhg, unit="mmHg", low=20, high=300)
    return int(rr >= 22) + int(sbp <= 100) + int(check_bool("altered_mentation", altered_mentation))


class SofaScore(NamedTuple):
    """SOFA total (0–24) and its six organ sub-scores (0–4 each)."""

    total: int
    respiration: int
    coagulation: int
    liver: int
    cardiovascular: int
    cns: int
    renal: int


def _band(value: float, cuts: tuple[float, ...]) -> int:
    """Points = number of thresholds the value reaches (cuts ascending in severity)."""
    return sum(value >= c for c in cuts)


def sofa_score(*, pao2_fio2: float, on_respiratory_support: bool = False, platelets_10e9_l: float,
               bilirubin_mg_dl: float, map_mmhg: float, dopamine: float = 0.0, dobutamine: float = 0.0,
               epinephrine: float = 0.0, norepinephrine: float = 0.0, gcs: int,
               creatinine_mg_dl: float, urine_ml_day: float | None = None) -> SofaScore:
    """Sequential (sepsis-related) Organ Failure Assessment score.

    Respiratory points 3 and 4 need respiratory support, as in the original table.

    Parameters
    ----------
    pao2_fio2 : float
        PaO₂/FiO₂, 10 to 760/0.21 mmHg.
    on_respiratory_support : bool
        Mechanical ventilation or CPAP.
    platelets_10e9_l : float
        Platelets, 0–5000 10⁹/L (= 10³/µL).
    bilirubin_mg_dl : float
        Serum bilirubin, 0–60 mg/dL (a value in µmol/L is caught with a message).
    map_mmhg : float
        Mean arterial pressure, 0–250 mmHg.
    dopamine, dobutamine, epinephrine, norepinephrine : float
        Catecholamine doses given for at least one hour, µg/kg/min (0 when not given).
    gcs : int
        Glasgow Coma Scale, 3–15 points.
    creatinine_mg_dl : float
        Serum creatinine, 0–25 mg/dL (a value in µmol/L is caught with a message).
    urine_ml_day : float, optional
        Urine output, 0–20000 mL/day.

    Returns
    -------
    SofaScore
        The total (0–24 points) and the six organ sub-scores (0–4 points each).

    References
    ----------
    Vincent JL et al. (1996) Intensive Care Med 22:707–710; Singer M et al. (2016) JAMA 315:801.
    """
    pf = check_number("pao2_fio2", pao2_fio2, unit="mmHg", low=10, high=760 / 0.21)
    support = check_bool("on_respiratory_support", on_respiratory_support)
    _unit_slip("platelets_10e9_l", platelets_10e9_l, above=5000, meant="platelets per µL or per L",
               factor=1000)
    plt = check_number("platelets_10e9_l", platelets_10e9_l, unit="10⁹/L", low=0, high=5000)
    _unit_slip("bilirubin_mg_dl", bilirubin_mg_dl, above=60, meant="µmol/L", factor=17.1)
    bili = check_number("bilirubin_mg_dl", bilirubin_mg_dl, unit="mg/dL", low=0, high=60)
    mapv = check_number("map_mmhg", map_mmhg, unit="mmHg", low=0, high=250)
    dopa = check_number("dopamine", dopamine, unit="µg/kg/min", low=0, high=50)
    dobu = check_number("dobutamine", dobutamine, unit="µg/kg/min", low=0, high=40)
    epi = check_number("epinephrine", epinephrine, unit="µg/kg/min", low=0, high=5)
    norepi = check_number("norepinephrine", norepinephrine, unit="µg/kg/min", low=0, high=5)
    g = check_number("gcs", gcs, unit="points", low=3, high=15)
    if g != int(g):
        raise ValueError(f"gcs={g:g} must be a whole number from 3 to 15")
    _unit_slip("creatinine_mg_dl", creatinine_mg_dl, above=25, meant="µmol/L", factor=88.4)
    creat = check_number("creatinine_mg_dl", creatinine_mg_dl, unit="mg/dL", low=0, high=25)

    if pf < 100 and support:
        resp = 4
    elif pf < 200 and support:
        resp = 3
    else:
        resp = 2 if pf < 300 else 1 if pf < 400 else 0
    coag = 4 if plt < 20 else 3 if plt < 50 else 2 if plt < 100 else 1 if plt < 150 else 0
    liver = _band(bili, (1.2, 2.0, 6.0, 12.0))
    if dopa > 15 or epi > 0.1 or norepi > 0.1:
        cardio = 4
    elif dopa > 5 or epi > 0 or norepi > 0:
        cardio = 3
    elif dopa > 0 or dobu > 0:
        cardio = 2
    else:
        cardio = int(mapv < 70)
    cns = 0 if g == 15 else 1 if g >= 13 else 2 if g >= 10 else 3 if g >= 6 else 4
    renal = _band(creat, (1.2, 2.0, 3.5, 5.0))
    if urine_ml_day is not None:
        urine = check_number("urine_ml_day", urine_ml_day, unit="mL/day", low=0, high=20000)
        renal = max(renal, 4 if urine < 200 else 3 if urine < 500 else 0)
    parts = (resp, coag, liver, cardio, cns, renal)
    return SofaScore(sum(parts), *parts)


def is_septic_shock(needs_vasopressor_for_map_65: bool, lactate_mmol_l: float) -> bool:
    """Sepsis-3 septic shock: vasopressors needed to keep MAP ≥ 65 mmHg *and* lactate > 2 mmol/L.

    Both despite adequate fluid resuscitation.

    Parameters
    ----------
    needs_vasopressor_for_map_65 : bool
        Whether vasopressors are needed to keep MAP ≥ 65 mmHg.
    lactate_mmol_l : float
        Serum lactate, 0–40 mmol/L (a value in mg/dL is caught with a message).

    Returns
    -------
    bool
        True when both criteria are met.

    References
    ----------
    Singer M et al. (2016) JAMA 315:801–810.
    """
    pressor = check_bool("needs_vasopressor_for_map_65", needs_vasopressor_for_map_65)
    _unit_slip("lactate_mmol_l", lactate_mmol_l, above=40, meant="mg/dL", factor=9.01)
    lac = check_number("lactate_mmol_l", lactate_mmol_l, unit="mmol/L", low=0, high=40)
    return pressor and lac > 2.0


def lactate_clearance(initial_mmol_l: float, later_mmol_l: float) -> float:
    """Lactate clearance in percent: 100·(initial − later)/initial (negative if lactate rose).

    Parameters
    ----------
    initial_mmol_l : float
        First lactate, more than 0 and up to 40 mmol/L.
    later_mmol_l : float
        Later lactate, 0–40 mmol/L.

    Returns
    -------
    float
        Clearance (% of the first value; negative when lactate rose).

    References
    ----------
    Nguyen HB et al. (2004) Crit Care Med 32:1637–1642.
    """
    first = check_number("initial_mmol_l", initial_mmol_l, unit="mmol/L", low=0, high=40, low_open=True)
    later = check_number("later_mmol_l", later_mmol_l, unit="mmol/L", low=0, high=40)
    return 100.0 * (first - later) / first


# -- barrier, drugs, coagulation -------------------------------------------------

def starling_filtration(kf: float, capillary_pressure: float, interstitial_pressure: float,
                        reflection_coefficient: float, plasma_oncotic: float,
                        subglycocalyx_oncotic: float) -> float:
    """Revised Starling filtration Jv = Kf·[(Pc − Pi) − σ(πp − πg)].

    The oncotic gradient that opposes filtration is between plasma and the
    protein-poor space under the glycocalyx (πg), not the bulk interstitium.

    Parameters
    ----------
    kf : float
        Filtration coefficient Kf, 0–100 mL/min/mmHg.
    capillary_pressure : float
        Capillary hydrostatic pressure Pc, 0–100 mmHg.
    interstitial_pressure : float
        Interstitial hydrostatic pressure Pi, −20 to 50 mmHg.
    reflection_coefficient : float
        Reflection coefficient σ for plasma proteins, a fraction 0–1.
    plasma_oncotic : float
        Plasma oncotic pressure πp, 0–60 mmHg.
    subglycocalyx_oncotic : float
        Oncotic pressure under the glycocalyx πg, 0–60 mmHg.

    Returns
    -------
    float
        Filtration Jv (mL/min; positive = out of the vessel).

    References
    ----------
    Levick JR, Michel CC (2010) Cardiovasc Res 87:198–210; Woodcock TE, Woodcock TM (2012)
    Br J Anaesth 108:384–394.
    """
    k = check_number("kf", kf, unit="mL/min/mmHg", low=0, high=100)
    pc = check_number("capillary_pressure", capillary_pressure, unit="mmHg", low=0, high=100)
    pi = check_number("interstitial_pressure", interstitial_pressure, unit="mmHg", low=-20, high=50)
    sigma = check_fraction("reflection_coefficient", reflection_coefficient, what="reflection coefficient")
    pp = check_number("plasma_oncotic", plasma_oncotic, unit="mmHg", low=0, high=60)
    pg = check_number("subglycocalyx_oncotic", subglycocalyx_oncotic, unit="mmHg", low=0, high=60)
    return starling_flux_unchecked(k, pc, pi, sigma, pp, pg)


def starling_flux_unchecked(kf, capillary_pressure, interstitial_pressure, reflection_coefficient,
                            plasma_oncotic, subglycocalyx_oncotic) -> float:
    """The formula of :func:`starling_filtration` without input checks, for model inner loops.

    Parameters
    ----------
    kf : float
        Filtration coefficient (mL/min/mmHg).
    capillary_pressure, interstitial_pressure : float
        Hydrostatic pressures (mmHg).
    reflection_coefficient : float
        Reflection coefficient, a fraction 0–1.
    plasma_oncotic, subglycocalyx_oncotic : float
        Oncotic pressures (mmHg).

    Returns
    -------
    float
        Filtration (mL/min; positive = out of the vessel).
    """
    return kf * ((capillary_pressure - interstitial_pressure)
                 - reflection_coefficient * (plasma_oncotic - subglycocalyx_oncotic))


def infusion_rate_ml_h(dose_ug_kg_min: float, weight_kg: float, concentration_ug_ml: float) -> float:
    """Pump rate for a weight-based infusion: dose·weight·60/concentration, in mL/h.

    Example: norepinephrine 0.1 µg/kg/min for 70 kg at 4 mg in 50 mL (80 µg/mL) → 5.25 mL/h.

    Parameters
    ----------
    dose_ug_kg_min : float
        Dose, 0–50 µg/kg/min.
    weight_kg : float
        Body weight, 0.5–400 kg.
    concentration_ug_ml : float
        Concentration of the syringe or bag, more than 0 and up to 10000 µg/mL.

    Returns
    -------
    float
        Pump rate (mL/h).

    References
    ----------
    Standard dosing arithmetic; Evans L et al. (2021) Intensive Care Med 47:1181 for the drugs.
    """
    dose = check_number("dose_ug_kg_min", dose_ug_kg_min, unit="µg/kg/min", low=0, high=50)
    weight = check_number("weight_kg", weight_kg, unit="kg", low=0.5, high=400)
    conc = check_number("concentration_ug_ml", concentration_ug_ml, unit="µg/mL", low=0, high=10000,
                        low_open=True)
    return dose * weight * 60.0 / conc


def isth_dic_score(platelets_10e9_l: float, fibrin_marker: str, pt_prolongation_s: float,
                   fibrinogen_g_l: float) -> int:
    """ISTH overt-DIC score (≥ 5 is compatible with overt DIC).

    Platelets > 100 → 0, 50–100 → 1, < 50 → 2 (10⁹/L); fibrin-related marker
    (D-dimer, FDP) "none" → 0, "moderate" → 2, "strong" → 3; PT prolonged
    < 3 s → 0, 3–6 s → 1, > 6 s → 2; fibrinogen > 1 g/L → 0, ≤ 1 g/L → 1.

    Parameters
    ----------
    platelets_10e9_l : float
        Platelets, 0–5000 10⁹/L.
    fibrin_marker : str
        Rise of a fibrin-related marker: ``"none"``, ``"moderate"`` or ``"strong"``.
    pt_prolongation_s : float
        Prothrombin time above normal, 0–120 s.
    fibrinogen_g_l : float
        Fibrinogen, 0–20 g/L (a value in mg/dL is caught with a message).

    Returns
    -------
    int
        The score, 0–8 points.

    References
    ----------
    Taylor FB Jr et al. (2001) Thromb Haemost 86:1327–1330.
    """
    _unit_slip("platelets_10e9_l", platelets_10e9_l, above=5000, meant="platelets per µL or per L",
               factor=1000)
    plt = check_number("platelets_10e9_l", platelets_10e9_l, unit="10⁹/L", low=0, high=5000)
    marker = check_choice("fibrin_marker", fibrin_marker, ("none", "moderate", "strong"))
    pt = check_number("pt_prolongation_s", pt_prolongation_s, unit="s", low=0, high=120)
    _unit_slip("fibrinogen_g_l", fibrinogen_g_l, above=20, meant="mg/dL", factor=100)
    fib = check_number("fibrinogen_g_l", fibrinogen_g_l, unit="g/L", low=0, high=20)
    return isth_dic_score_unchecked(plt, marker, pt, fib)


def isth_dic_score_unchecked(platelets_10e9_l: float, fibrin_marker: str, pt_prolongation_s: float,
                             fibrinogen_g_l: float) -> int:
    """The points of :func:`isth_dic_score` without input checks, for a model scoring its own output.

    Parameters
    ----------
    platelets_10e9_l : float
        Platelets (10⁹/L).
    fibrin_marker : str
        ``"none"``, ``"moderate"`` or ``"strong"``.
    pt_prolongation_s : float
        Prothrombin time above normal (s).
    fibrinogen_g_l : float
        Fibrinogen (g/L).

    Returns
    -------
    int
        The score, 0–8 points.
    """
    score = 2 if platelets_10e9_l < 50 else 1 if platelets_10e9_l <= 100 else 0
    score += {"none": 0, "moderate": 2, "strong": 3}[fibrin_marker]
    score += 2 if pt_prolongation_s > 6 else 1 if pt_prolongation_s >= 3 else 0
    score += int(fibrinogen_g_l <= 1.0)
    return score
