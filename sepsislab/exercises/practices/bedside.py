"""Practice 11 — one whole bedside case on the virtual patient (:mod:`sepsislab.patient`)."""

from __future__ import annotations

from functools import lru_cache


from ... import clinical, patient
from ..core import Choice, Entry, Integer, Number, Practice
from ._common import pick, uniform

CONCENTRATION_UG_ML = 80.0   # 4 mg in 50 mL


@lru_cache(maxsize=32)
def _run(weight, severity, antibiotic_hour, hours=24):
    """The standard plan: 30 mL/kg in two boluses, antibiotics, norepinephrine titrated to MAP 65."""
    half = 15 * weight
    return patient.simulate(hours=hours, severity=severity, antibiotic_hour=antibiotic_hour,
                            fluid_boluses_ml=[(0, half), (1, half)], norepinephrine_ug_kg_min="titrate",
                            params=patient.Params(weight_kg=weight))


def _untreated(c):
    return patient.simulate(hours=1, severity=c.severity, params=patient.Params(weight_kg=c.weight))


def _plan(c, delayed=False):
    return _run(c.weight, c.severity, c.late_antibiotic_h if delayed else c.antibiotic_h)


def draw(rng):
    return dict(weight=uniform(rng, 55, 95, 1), severity=pick(rng, ["mild", "moderate", "severe"]),
                antibiotic_h=pick(rng, [1, 2]), late_antibiotic_h=pick(rng, [8, 10, 12]))


def _delay_effect(c):
    on_time, late = _plan(c)["lactate"][-1], _plan(c, True)["lactate"][-1]
    if abs(late - on_time) <= 0.05 * on_time:
        return "unchanged"
    return "higher" if late > on_time else "lower"


PRACTICE = Practice(
    name="bedside",
    title="A whole bedside case on the virtual patient",
    draw=draw,
    card=[Entry("weight", "body weight", "kg"), Entry("severity", "severity of the septic insult", ""),
          Entry("antibiotic_h", "antibiotics given at hour", "h"),
          Entry("late_antibiotic_h", "…or, in q5, only at hour", "h")],
    questions=[
        Number("q1", "bolus_ml", 1, "the initial crystalloid volume (30 mL/kg)", unit="mL", rel=0.01,
               answer=lambda c: 30 * c.weight, hint="30 mL per kg of body weight (Surviving Sepsis Campaign)."),
        Number("q2", "map_0h", 1, "MAP on arrival", unit="mmHg", tol=1.0,
               answer=lambda c: float(_untreated(c)["map"][0]),
               hint="simulate with your severity and weight and read `res['map'][0]`."),
        Integer("q3", "sofa_0h", 1, "SOFA on arrival", answer=lambda c: int(_untreated(c)["sofa"][0]),
                hint="`res['sofa'][0]` (the model's organ proxies, scored as in the SOFA table)."),
        Number("q4", "lactate_24h", 2, "lactate at 24 h under the standard plan", unit="mmol/L", rel=0.03,
               answer=lambda c: float(_plan(c)["lactate"][24]),
               hint="`patient.simulate(hours=24, severity=…, antibiotic_hour=…, fluid_boluses_ml=[(0, v), (1, v)], "
                    "norepinephrine_ug_kg_min='titrate', params=patient.Params(weight_kg=…))`."),
        Choice("q5", "antibiotic_delay", 1, "lactate at 24 h if antibiotics come late",
               answer=_delay_effect,
               options={"higher": "", "lower": "", "unchanged": ""},
               hint="run the same plan with the late antibiotic hour and compare the lactate at 24 h "
                    "(within ±5 % counts as unchanged)."),
        Number("q6", "pump_ml_h_6h", 2, "pump rate of the titrated norepinephrine at hour 6", unit="mL/h", tol=0.2,
               answer=lambda c: clinical.infusion_rate_ml_h(float(_plan(c)["norepinephrine"][6]), c.weight,
                                                            CONCENTRATION_UG_ML),
               hint="read the dose at hour 6 (`res['norepinephrine'][6]`, µg/kg/min) and convert it for "
                    "4 mg in 50 mL (80 µg/mL)."),
        Choice("q7", "shock_6h", 1, "septic shock at hour 6 (Sepsis-3)?",
               answer=lambda c: "yes" if clinical.is_septic_shock(bool(_plan(c)["norepinephrine"][6] > 0),
                                                                   float(_plan(c)["lactate"][6])) else "no",
               options={"yes": "septic shock needs a vasopressor and lactate > 2 mmol/L at the same time",
                        "no": "at hour 6 the patient needs norepinephrine and lactate is above 2 mmol/L"},
               hint="read norepinephrine and lactate at hour 6."),
    ])
