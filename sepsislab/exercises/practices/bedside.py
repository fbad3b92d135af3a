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
    return patient.simulate(hours=c.untreated_h, severity=c.severity, params=patient.Params(weight_kg=c.weight))


def _plan(c):
    return _run(c.weight, c.severity, c.antibiotic_h)


def draw(rng):
    return dict(weight=uniform(rng, 55, 95, 1), severity=pick(rng, ["mild", "moderate", "severe"]),
                antibiotic_h=pick(rng, [1, 2]), late_antibiotic_h=pick(rng, [8, 10, 12]),
                # q2: how long the patient waits untreated (the MAP then depends on the severity)
                untreated_h=pick(rng, [2, 3, 4]),
                # q5: which of the two plans is called "A" (the timely or the late antibiotics)
                timely_is_a=bool(rng.integers(0, 2)),
                # q7: the hour at which shock is assessed (early, mid-resuscitation or next day)
                assess_h=pick(rng, [2, 6, 12, 18, 24]))


def _plan_hours(c) -> dict:
    """Antibiotic hour of plan a and plan b (q5): the timely and the late one, in the card's order."""
    timely, late = c.antibiotic_h, c.late_antibiotic_h
    return dict(a=timely, b=late) if c.timely_is_a else dict(a=late, b=timely)


def _lower_lactate_plan(c) -> str:
    """``"a"`` or ``"b"``: the plan whose lactate at 24 h is lower (``"the same"`` within ±5 %)."""
    lac = {k: float(_run(c.weight, c.severity, h)["lactate"][-1]) for k, h in _plan_hours(c).items()}
    if abs(lac["a"] - lac["b"]) <= 0.05 * min(lac.values()):
        return "the same"
    return min(lac, key=lac.get)


PRACTICE = Practice(
    name="bedside",
    title="A whole bedside case on the virtual patient",
    draw=draw,
    card=[Entry("weight", "body weight", "kg"), Entry("severity", "severity of the septic insult", ""),
          Entry("antibiotic_h", "antibiotics given at hour", "h"),
          Entry("late_antibiotic_h", "…or, in q5, only at hour", "h"),
          Entry("untreated_h", "q2: hours the patient waits untreated", "h"),
          Entry("timely_is_a", "q5: plan a is the one with the timely antibiotics", ""),
          Entry("assess_h", "q7: hour at which to assess septic shock", "h")],
    questions=[
        Number("q1", "bolus_ml", 1, "the initial crystalloid volume (30 mL/kg)", unit="mL", rel=0.01,
               answer=lambda c: 30 * c.weight, hint="30 mL per kg of body weight (Surviving Sepsis Campaign)."),
        Number("q2", "map_untreated", 1, "MAP after the untreated wait", unit="mmHg", tol=1.0,
               answer=lambda c: float(_untreated(c)["map"][c.untreated_h]),
               hint="simulate `hours=case.untreated_h` with your severity and weight and read "
                    "`res['map'][case.untreated_h]`."),
        Integer("q3", "sofa_0h", 1, "SOFA on arrival", answer=lambda c: int(_untreated(c)["sofa"][0]),
                hint="`res['sofa'][0]` (the model's organ proxies, scored as in the SOFA table)."),
        Number("q4", "lactate_24h", 2, "lactate at 24 h under the standard plan", unit="mmol/L", rel=0.03,
               answer=lambda c: float(_plan(c)["lactate"][24]),
               hint="`patient.simulate(hours=24, severity=…, antibiotic_hour=…, fluid_boluses_ml=[(0, v), (1, v)], "
                    "norepinephrine_ug_kg_min='titrate', params=patient.Params(weight_kg=…))`."),
        Choice("q5", "better_plan", 1, "which antibiotic timing leaves the lower lactate at 24 h",
               answer=_lower_lactate_plan,
               options={"a": "compare the lactate at hour 24 of both runs: plan b's is lower",
                        "b": "compare the lactate at hour 24 of both runs: plan a's is lower",
                        "the same": "the two lactates differ by more than 5 %"},
               aliases={"plan a": "a", "plan b": "b"},
               hint="run the standard plan twice, with antibiotics at plan a's and at plan b's hour, "
                    "and compare `res['lactate'][24]` (within ±5 % counts as the same)."),
        Number("q6", "pump_ml_h_6h", 2, "pump rate of the titrated norepinephrine at hour 6", unit="mL/h", tol=0.2,
               answer=lambda c: clinical.infusion_rate_ml_h(float(_plan(c)["norepinephrine"][6]), c.weight,
                                                            CONCENTRATION_UG_ML),
               hint="read the dose at hour 6 (`res['norepinephrine'][6]`, µg/kg/min) and convert it for "
                    "4 mg in 50 mL (80 µg/mL)."),
        Choice("q7", "shock_then", 1, "septic shock at the assessed hour (Sepsis-3)?",
               answer=lambda c: "yes" if clinical.is_septic_shock(
                   bool(_plan(c)["norepinephrine"][c.assess_h] > 0), float(_plan(c)["lactate"][c.assess_h])) else "no",
               options={"yes": "septic shock needs a vasopressor and lactate > 2 mmol/L at the same time",
                        "no": "at that hour the patient needs norepinephrine and lactate is above 2 mmol/L"},
               hint="read norepinephrine and lactate at hour `case.assess_h` of the standard plan."),
    ])
