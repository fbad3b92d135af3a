"""Practice 7 — reading lactate and ScvO₂ together (:mod:`sepsislab.clinical`, :mod:`sepsislab.models.oxygen`)."""

from __future__ import annotations

from ... import clinical
from ...models import oxygen
from ..core import Choice, Entry, Number, Practice, Slip
from ._common import pick, uniform

#: mg/dL of lactate per mmol/L (molar mass 90.08 g/mol).
MG_DL_PER_MMOL_L = 9.008


def pattern(lactate_mmol_l: float, scvo2_pct: float) -> str:
    """The teaching 2 × 2 table: lactate above 2 mmol/L (Sepsis-3) × ScvO₂ below 70 %.

    A high lactate with ScvO₂ ≥ 70 % is *not delivery-limited*: not necessarily a failure of oxygen
    use — shunting and cytopathic hypoxia are possible, but so are adrenergic aerobic glycolysis and
    reduced clearance (James et al. 1999; Levy et al. 2005).
    """
    high_lactate, low_scvo2 = lactate_mmol_l > 2.0, scvo2_pct < 70
    if high_lactate:
        return "delivery" if low_scvo2 else "not delivery-limited"
    return "compensated" if low_scvo2 else "adequate"


def _patient(rng):
    high, low = bool(rng.integers(0, 2)), bool(rng.integers(0, 2))
    lac = uniform(rng, 3.0, 8.0, 0.1) if high else uniform(rng, 0.8, 1.8, 0.1)
    scv = uniform(rng, 50, 64, 1) if low else uniform(rng, 74, 88, 1)
    return lac, scv


def draw(rng):
    a_lac, a_scv = _patient(rng)
    b_lac, b_scv = _patient(rng)
    first = uniform(rng, 3.0, 9.0, 0.1)
    return dict(lac_0h=first, lac_6h=round(first * uniform(rng, 0.4, 1.3, 0.05), 1),
                a_lactate=a_lac, a_scvo2=a_scv, b_lactate=b_lac, b_scvo2=b_scv,
                c_lactate_mg_dl=uniform(rng, 9, 60, 1), c_on_norepinephrine=bool(rng.integers(0, 2)),
                o2_um=uniform(rng, 5, 40, 1), no_nm=pick(rng, [50, 100, 200, 300, 500]))


_WHY = {"delivery": "a low ScvO₂ with a high lactate says the tissues extract all they can and still "
                    "get too little: a delivery problem",
        "not delivery-limited": "a high lactate with a normal or high ScvO₂ says global delivery is not the limit: oxygen "
                       "is not reached (shunting) or not used (cytopathic hypoxia), or the lactate does not "
                       "come from a lack of oxygen (adrenergic aerobic glycolysis, poor clearance)",
        "compensated": "a low ScvO₂ with a normal lactate: extraction has risen and is still enough",
        "adequate": "normal lactate and ScvO₂: no sign of a global oxygen debt"}

PRACTICE = Practice(
    name="lactate",
    title="Lactate and ScvO₂ together",
    draw=draw,
    card=[Entry("lac_0h", "patient A: lactate on arrival", "mmol/L"),
          Entry("lac_6h", "patient A: lactate 6 h later", "mmol/L"),
          Entry("a_lactate", "patient A: lactate now", "mmol/L"),
          Entry("a_scvo2", "patient A: ScvO₂ now", "%"),
          Entry("b_lactate", "patient B: lactate", "mmol/L"),
          Entry("b_scvo2", "patient B: ScvO₂", "%"),
          Entry("c_lactate_mg_dl", "patient C: lactate (US lab)", "mg/dL"),
          Entry("c_on_norepinephrine", "patient C: needs norepinephrine for MAP ≥ 65 after fluids", ""),
          Entry("o2_um", "mitochondrial O₂ (q6)", "µM"),
          Entry("no_nm", "nitric oxide in the cell (q6)", "nM")],
    questions=[
        Number("q1", "clearance_pct", 1, "lactate clearance over 6 h", unit="%", tol=1.0, percent=True,
               answer=lambda c: clinical.lactate_clearance(c.lac_0h, c.lac_6h),
               slips=[Slip(lambda c: 100 * (c.lac_0h - c.lac_6h) / c.lac_6h,
                           "divide by the first value, not the later one")],
               hint="clearance = 100·(initial − later)/initial; negative if lactate rose."),
        Choice("q2", "pattern_a", 1, "what does patient A's pair of values say?",
               answer=lambda c: pattern(c.a_lactate, c.a_scvo2), options=_WHY,
               aliases={"not delivery limited": "not delivery-limited", "not delivery": "not delivery-limited"},
               hint="lactate above 2 mmol/L? ScvO₂ below 70 %? Then read the 2 × 2 table."),
        Choice("q3", "pattern_b", 1, "what does patient B's pair of values say?",
               answer=lambda c: pattern(c.b_lactate, c.b_scvo2), options=_WHY,
               aliases={"not delivery limited": "not delivery-limited", "not delivery": "not delivery-limited"},
               hint="lactate above 2 mmol/L? ScvO₂ below 70 %? Then read the 2 × 2 table."),
        Number("q4", "c_lactate_mmol_l", 1, "patient C's lactate in mmol/L", unit="mmol/L", rel=0.02,
               answer=lambda c: c.c_lactate_mg_dl / MG_DL_PER_MMOL_L,
               slips=[Slip(lambda c: c.c_lactate_mg_dl * MG_DL_PER_MMOL_L, "divide by 9.01, do not multiply")],
               hint="lactate's molar mass is 90.08 g/mol, so 1 mmol/L = 9.01 mg/dL."),
        Choice("q5", "c_septic_shock", 1, "is patient C in septic shock (Sepsis-3)?",
               answer=lambda c: "yes" if clinical.is_septic_shock(c.c_on_norepinephrine,
                                                                   c.c_lactate_mg_dl / MG_DL_PER_MMOL_L) else "no",
               options={"yes": "septic shock needs both a vasopressor for MAP ≥ 65 mmHg and lactate > 2 mmol/L",
                        "no": "both criteria are met: vasopressor for MAP ≥ 65 mmHg and lactate > 2 mmol/L"},
               hint="convert the lactate first (q4), then check both Sepsis-3 criteria."),
        Number("q6", "cox_fraction", 2, "cytochrome oxidase rate left at your O₂ and NO", fraction=True, tol=0.01,
               answer=lambda c: float(oxygen.mitochondrial_o2_use(c.o2_um, c.no_nm)),
               slips=[Slip(lambda c: float(oxygen.mitochondrial_o2_use(c.o2_um, 0)),
                           "that is the rate without NO; NO competes with O₂ for the enzyme")],
               hint="`oxygen.mitochondrial_o2_use(o2_um, no_nm)`: NO raises the apparent K_m for O₂."),
    ])
