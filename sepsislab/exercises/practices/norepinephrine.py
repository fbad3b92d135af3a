"""Practice 10 — norepinephrine infusion arithmetic (:func:`sepsislab.clinical.infusion_rate_ml_h`)."""

from __future__ import annotations

from ... import clinical
from ..core import Entry, Function, Integer, Number, Practice, Slip
from ._common import pick, uniform


def conc(c):
    return c.drug_mg * 1000 / c.syringe_ml


def rate(c):
    return clinical.infusion_rate_ml_h(c.dose, c.weight, conc(c))


def draw(rng):
    return dict(weight=uniform(rng, 48, 115, 1), drug_mg=pick(rng, [4, 8, 16]), syringe_ml=pick(rng, [50, 50, 100]),
                dose=uniform(rng, 0.04, 0.40, 0.01), running_ml_h=uniform(rng, 2.0, 30.0, 0.5))


def _public(c):
    return [dict(dose_ug_kg_min=0.1, weight_kg=70, concentration_ug_ml=80),
            dict(dose_ug_kg_min=c.dose, weight_kg=c.weight, concentration_ug_ml=conc(c))]


PRACTICE = Practice(
    name="norepinephrine",
    title="Norepinephrine infusion arithmetic",
    draw=draw,
    card=[Entry("weight", "body weight", "kg"), Entry("drug_mg", "norepinephrine in the syringe", "mg"),
          Entry("syringe_ml", "diluted to", "mL"), Entry("dose", "prescribed dose", "µg/kg/min"),
          Entry("running_ml_h", "rate found running on the pump (q3)", "mL/h")],
    questions=[
        Number("q1", "conc_ug_ml", 1, "concentration in the syringe", unit="µg/mL", rel=0.01, answer=conc,
               hint="mg → µg (× 1000), divided by the volume."),
        Number("q2", "rate_ml_h", 2, "pump rate for the prescribed dose", unit="mL/h", rel=0.02, answer=rate,
               slips=[Slip(lambda c: rate(c) / 60, "that is mL per minute; pumps run in mL/h (× 60)"),
                      Slip(lambda c: rate(c) / c.weight, "the dose is per kg: multiply by the weight")],
               hint="rate = dose × weight × 60 / concentration."),
        Number("q3", "running_dose", 1, "dose delivered by the rate found running", unit="µg/kg/min", rel=0.02,
               answer=lambda c: c.running_ml_h * conc(c) / (60 * c.weight),
               slips=[Slip(lambda c: c.running_ml_h * conc(c) / c.weight, "divide by 60: the pump rate is per hour")],
               hint="invert the pump formula: dose = rate × concentration / (60 × weight)."),
        Number("q4", "syringe_hours", 1, "how long one syringe lasts at the q2 rate", unit="h", rel=0.02,
               answer=lambda c: c.syringe_ml / rate(c),
               hint="volume / rate."),
        Function("q5", "pump_rate", 3, "a pump-rate function",
                 reference=clinical.infusion_rate_ml_h, args=("dose_ug_kg_min", "weight_kg", "concentration_ug_ml"),
                 public_cases=_public, rel=1e-3,
                 hint="return dose × weight × 60 / concentration; raise ValueError for a negative dose, "
                      "a weight ≤ 0 or a concentration ≤ 0."),
        Integer("q6", "sofa_cv", 1, "cardiovascular SOFA points at the prescribed dose",
                answer=lambda c: clinical.sofa_score(pao2_fio2=450, platelets_10e9_l=250, bilirubin_mg_dl=0.5,
                                                     map_mmhg=65, norepinephrine=c.dose, gcs=15,
                                                     creatinine_mg_dl=0.8).cardiovascular,
                hint="norepinephrine ≤ 0.1 µg/kg/min scores 3, above 0.1 scores 4."),
    ])
