"""Practice 6 — DO₂, VO₂, extraction and critical DO₂ (:mod:`sepsislab.clinical`, :mod:`sepsislab.models.oxygen`)."""

from __future__ import annotations

from ... import clinical
from ...models import oxygen
from ..core import Entry, Number, Practice, Slip
from ._common import uniform


def cao2(c):
    return clinical.arterial_oxygen_content(c.hb, c.sao2_pct / 100, c.pao2)


def cvo2(c):
    return clinical.arterial_oxygen_content(c.hb, c.svo2_pct / 100, c.pvo2)


def do2(c):
    return clinical.oxygen_delivery(c.co, cao2(c))


def vo2(c):
    return clinical.oxygen_consumption(c.co, cao2(c), cvo2(c))


def draw(rng):
    values = dict(hb=uniform(rng, 7.0, 13.0, 0.1), sao2_pct=uniform(rng, 88, 98, 1),
                  pao2=uniform(rng, 58, 110, 1), co=uniform(rng, 2.5, 7.0, 0.1),
                  svo2_pct=uniform(rng, 55, 80, 1), pvo2=uniform(rng, 28, 45, 1))
    # the tissues can always extract more than they do now (E_max above today's extraction)
    er = 1 - (values["svo2_pct"] * 1.34 * values["hb"] / 100 + 0.003 * values["pvo2"]) / (
        values["sao2_pct"] * 1.34 * values["hb"] / 100 + 0.003 * values["pao2"])
    values["e_max"] = round(min(0.8, er + uniform(rng, 0.08, 0.35, 0.01)), 2)
    return values


PRACTICE = Practice(
    name="oxygen",
    title="Oxygen delivery, consumption and the critical DO₂",
    draw=draw,
    card=[Entry("hb", "haemoglobin", "g/dL"), Entry("sao2_pct", "arterial saturation SaO₂", "%"),
          Entry("pao2", "arterial PO₂", "mmHg"), Entry("co", "cardiac output", "L/min"),
          Entry("svo2_pct", "mixed venous saturation SvO₂ (pulmonary artery catheter)", "%"),
          Entry("pvo2", "mixed venous PO₂", "mmHg"),
          Entry("e_max", "largest extraction the tissues can reach E_max", "fraction")],
    questions=[
        Number("q1", "cao2", 1, "arterial oxygen content", unit="mL O₂/dL", rel=0.01, answer=cao2,
               slips=[Slip(lambda c: 1.34 * c.hb * c.sao2_pct + 0.003 * c.pao2,
                           "SaO₂ went in as a percent; use the fraction (e.g. 0.95)"),
                      Slip(lambda c: 1.34 * c.hb * c.sao2_pct / 100,
                           "you left out the dissolved oxygen, 0.003 × PaO₂")],
               hint="CaO₂ = 1.34·Hb·SaO₂ + 0.003·PaO₂ with SaO₂ as a fraction."),
        Number("q2", "do2", 1, "oxygen delivery", unit="mL O₂/min", rel=0.02, answer=do2,
               slips=[Slip(lambda c: c.co * cao2(c), "you forgot the factor 10 that turns dL into L")],
               hint="DO₂ = CO·CaO₂·10."),
        Number("q3", "cvo2", 1, "mixed venous oxygen content", unit="mL O₂/dL", rel=0.01, answer=cvo2,
               hint="the same formula as CaO₂, with SvO₂ and the mixed venous PO₂."),
        Number("q4", "vo2", 1, "oxygen consumption (Fick)", unit="mL O₂/min", rel=0.03, answer=vo2,
               slips=[Slip(lambda c: c.co * (cao2(c) - cvo2(c)), "you forgot the factor 10 (dL → L)")],
               hint="VO₂ = CO·(CaO₂ − CvO₂)·10, with CvO₂ from mixed venous (pulmonary artery) blood."),
        Number("q5", "o2er", 1, "oxygen extraction ratio", fraction=True, tol=0.01,
               answer=lambda c: clinical.oxygen_extraction_ratio(cao2(c), cvo2(c)),
               slips=[Slip(lambda c: cvo2(c) / cao2(c), "that is the fraction left in venous blood, not extracted")],
               hint="O₂ER = (CaO₂ − CvO₂)/CaO₂ ≈ VO₂/DO₂."),
        Number("q6", "critical_do2", 2, "critical DO₂ at today's consumption", unit="mL O₂/min", rel=0.03,
               answer=lambda c: float(oxygen.critical_do2(vo2(c), c.e_max)),
               slips=[Slip(lambda c: vo2(c) * c.e_max, "divide the demand by E_max, do not multiply")],
               hint="below DO₂crit = VO₂/E_max consumption can no longer be met by extracting more "
                    "(`oxygen.critical_do2`)."),
        Number("q7", "reserve", 1, "how far delivery can fall before it becomes critical", fraction=True,
               tol=0.02, answer=lambda c: 1 - float(oxygen.critical_do2(vo2(c), c.e_max)) / do2(c),
               slips=[Slip(lambda c: float(oxygen.critical_do2(vo2(c), c.e_max)) / do2(c),
                           "that is DO₂crit/DO₂, the fraction of today's delivery that must remain; "
                           "the reserve is 1 minus it")],
               hint="the reserve is (DO₂ − DO₂crit)/DO₂ = 1 − O₂ER/E_max."),
    ])
