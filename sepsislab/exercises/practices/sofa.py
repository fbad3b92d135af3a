"""Practice 9 — SOFA, qSOFA and Sepsis-3 (:mod:`sepsislab.clinical`)."""

from __future__ import annotations

from types import SimpleNamespace

from ... import clinical
from ..core import Choice, Entry, Function, Integer, Number, Practice, Slip
from ._common import pick, uniform

BILIRUBIN_UMOL_PER_MG_DL = 17.1


def _sofa(c):
    return clinical.sofa_score(pao2_fio2=clinical.pf_ratio(c.pao2, c.fio2_pct / 100),
                               on_respiratory_support=c.ventilated, platelets_10e9_l=c.platelets,
                               bilirubin_mg_dl=c.bilirubin_umol_l / BILIRUBIN_UMOL_PER_MG_DL, map_mmhg=c.map,
                               norepinephrine=c.norepinephrine, gcs=c.gcs, creatinine_mg_dl=c.creatinine)


def cardiovascular_reference(map_mmhg, norepinephrine_ug_kg_min):
    """The cardiovascular SOFA points from the full score, other organs normal."""
    return clinical.sofa_score(pao2_fio2=450, platelets_10e9_l=250, bilirubin_mg_dl=0.5, map_mmhg=map_mmhg,
                               norepinephrine=norepinephrine_ug_kg_min, gcs=15, creatinine_mg_dl=0.8).cardiovascular


def draw(rng):
    values = dict(rr=uniform(rng, 14, 34, 1), sbp=uniform(rng, 78, 128, 1), gcs=uniform(rng, 10, 15, 1),
                pao2=uniform(rng, 55, 110, 1), fio2_pct=pick(rng, [30, 35, 40, 50, 60]),
                ventilated=bool(rng.integers(0, 2)), platelets=uniform(rng, 40, 220, 1),
                bilirubin_umol_l=uniform(rng, 8, 130, 1), map=uniform(rng, 58, 80, 1),
                norepinephrine=pick(rng, [0.0, 0.0, 0.05, 0.08, 0.12, 0.2, 0.3]),
                creatinine=uniform(rng, 0.7, 4.0, 0.1), lactate=uniform(rng, 1.0, 6.0, 0.1))
    # the score before the infection (chronic organ dysfunction, from the records), close enough to
    # today's that both answers to q5 occur
    values["baseline_sofa"] = max(0, _sofa(SimpleNamespace(**values)).total - pick(rng, [0, 1, 1, 2, 3, 4]))
    return values


def _public_cv_cases(c):
    return [dict(map_mmhg=75, norepinephrine_ug_kg_min=0.0), dict(map_mmhg=64, norepinephrine_ug_kg_min=0.0),
            dict(map_mmhg=c.map, norepinephrine_ug_kg_min=c.norepinephrine)]


PRACTICE = Practice(
    name="sofa",
    title="SOFA, qSOFA and Sepsis-3",
    draw=draw,
    card=[Entry("rr", "respiratory rate", "/min"), Entry("sbp", "systolic pressure", "mmHg"),
          Entry("gcs", "Glasgow coma scale", "points"), Entry("pao2", "arterial PO₂", "mmHg"),
          Entry("fio2_pct", "inspired oxygen FiO₂", "%"), Entry("ventilated", "on respiratory support", ""),
          Entry("platelets", "platelets", "10⁹/L"), Entry("bilirubin_umol_l", "bilirubin", "µmol/L"),
          Entry("map", "mean arterial pressure", "mmHg"),
          Entry("norepinephrine", "norepinephrine (for > 1 h)", "µg/kg/min"),
          Entry("creatinine", "creatinine", "mg/dL"), Entry("baseline_sofa", "SOFA before the infection (from the records)", "points"),
          Entry("lactate", "lactate (after fluids)", "mmol/L")],
    questions=[
        Integer("q1", "qsofa", 1, "qSOFA",
                answer=lambda c: clinical.qsofa(c.rr, c.sbp, c.gcs < 15),
                hint="one point each: RR ≥ 22/min, SBP ≤ 100 mmHg, altered mentation (GCS < 15)."),
        Number("q2", "pf", 1, "PaO₂/FiO₂ ratio", unit="mmHg", rel=0.01,
               answer=lambda c: clinical.pf_ratio(c.pao2, c.fio2_pct / 100),
               hint="FiO₂ as a fraction: 40 % is 0.40."),
        Number("q3", "bilirubin_mg_dl", 1, "bilirubin in mg/dL", unit="mg/dL", rel=0.02,
               answer=lambda c: c.bilirubin_umol_l / BILIRUBIN_UMOL_PER_MG_DL,
               slips=[Slip(lambda c: c.bilirubin_umol_l * BILIRUBIN_UMOL_PER_MG_DL, "divide by 17.1, do not multiply")],
               hint="1 mg/dL of bilirubin = 17.1 µmol/L."),
        Integer("q4", "sofa_total", 2, "SOFA score", answer=lambda c: _sofa(c).total,
                slips=[Slip(lambda c: _sofa(c).total - _sofa(c).respiration + clinical.sofa_score(
                    pao2_fio2=clinical.pf_ratio(c.pao2, c.fio2_pct / 100), platelets_10e9_l=250, bilirubin_mg_dl=0.5,
                    map_mmhg=80, gcs=15, creatinine_mg_dl=0.8, on_respiratory_support=not c.ventilated).respiration,
                            "check the respiratory points: 3 and 4 need respiratory support")],
                hint="six organs, 0–4 points each; `clinical.sofa_score(...)` with every value in its unit."),
        Choice("q5", "sepsis", 1, "does this patient meet Sepsis-3 (with an infection)?",
               answer=lambda c: "yes" if _sofa(c).total - c.baseline_sofa >= 2 else "no",
               options={"yes": "the SOFA rose by less than 2 points above the pre-infection baseline",
                        "no": "the SOFA rose by 2 points or more above the pre-infection baseline: new "
                              "organ dysfunction"},
               hint="sepsis = infection + an acute rise of SOFA ≥ 2 points (from the score before the "
                    "infection took hold, 0 if unknown — Singer et al. 2016; not the score on admission)."),
        Choice("q6", "septic_shock", 1, "is this septic shock?",
               answer=lambda c: "yes" if clinical.is_septic_shock(c.norepinephrine > 0, c.lactate) else "no",
               options={"yes": "septic shock needs a vasopressor for MAP ≥ 65 mmHg and lactate > 2 mmol/L",
                        "no": "both criteria are met: a vasopressor and lactate > 2 mmol/L"},
               hint="Sepsis-3: vasopressor to keep MAP ≥ 65 mmHg and lactate > 2 mmol/L despite fluids."),
        Function("q7", "cardiovascular_sofa", 3, "a function for the cardiovascular SOFA points",
                 reference=cardiovascular_reference, args=("map_mmhg", "norepinephrine_ug_kg_min"),
                 public_cases=_public_cv_cases, rel=0,
                 hint="0: MAP ≥ 70; 1: MAP < 70; 3: norepinephrine ≤ 0.1; 4: norepinephrine > 0.1 µg/kg/min; "
                      "raise ValueError for a negative dose."),
    ])
