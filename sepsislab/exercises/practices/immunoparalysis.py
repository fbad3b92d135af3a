"""Practice 8 — recognising immunoparalysis (:mod:`sepsislab.models.immunoparalysis`)."""

from __future__ import annotations

import numpy as np

from ...models import immunoparalysis as im
from ..core import Choice, Entry, Number, Practice, Slip
from ._common import uniform


def _run(c):
    return im.simulate(im.Params(severity=c.severity, infection_days=c.infection_days))


def draw(rng):
    return dict(wbc=uniform(rng, 4.0, 16.0, 0.1), lymph_pct=uniform(rng, 3, 15, 1),
                hla_d1=uniform(rng, 40, 80, 1), hla_d4=uniform(rng, 10, 60, 1),
                gap_days=uniform(rng, 1, 14, 1), severity=uniform(rng, 0.3, 1.0, 0.05),
                infection_days=uniform(rng, 1.0, 5.0, 0.5))


PRACTICE = Practice(
    name="immunoparalysis",
    title="Recognising immunoparalysis",
    draw=draw,
    card=[Entry("wbc", "white cell count", "10⁹/L"),
          Entry("lymph_pct", "lymphocytes in the differential", "%"),
          Entry("hla_d1", "monocyte HLA-DR, day 1", "% of monocytes"),
          Entry("hla_d4", "monocyte HLA-DR, day 4", "% of monocytes"),
          Entry("gap_days", "days between two LPS challenges (q4)", "d"),
          Entry("severity", "model: initial activation S (q5, q6)", ""),
          Entry("infection_days", "model: time to control the infection τ_inf (q5, q6)", "d")],
    questions=[
        Number("q1", "lymphocytes", 1, "absolute lymphocyte count", unit="10⁹/L", tol=0.02,
               answer=lambda c: c.wbc * c.lymph_pct / 100,
               hint="white cell count × the lymphocyte fraction (percent/100)."),
        Choice("q2", "hla_low", 1, "is the day-4 HLA-DR below the immunoparalysis threshold?",
               answer=lambda c: "yes" if c.hla_d4 < im.HLA_DR_IMMUNOPARALYSIS else "no",
               options={"yes": "30 % is the threshold of Monneret et al. (2006); day 4 is above it",
                        "no": "day 4 is below 30 % of monocytes HLA-DR-positive (Monneret et al. 2006)"},
               hint="the threshold is 30 % of monocytes HLA-DR-positive at day 3–4."),
        Number("q3", "hla_fall_pct", 1, "relative fall of HLA-DR from day 1 to day 4", unit="%", tol=1.0,
               percent=True, answer=lambda c: 100 * (c.hla_d1 - c.hla_d4) / c.hla_d1,
               slips=[Slip(lambda c: c.hla_d1 - c.hla_d4,
                           "that is the fall in percentage points; divide by the day-1 value for the relative fall")],
               hint="100·(day 1 − day 4)/day 1; negative if HLA-DR rose."),
        Number("q4", "tnf_ratio", 2, "TNF after a second LPS challenge, relative to the first", fraction=True,
               tol=0.02, answer=lambda c: float(im.lps_rechallenge(c.gap_days)),
               slips=[Slip(lambda c: 1 - float(im.lps_rechallenge(c.gap_days)),
                           "that is how much the response fell; the question asks for what is left")],
               hint="`immunoparalysis.lps_rechallenge(days_after_first)`."),
        Number("q5", "model_hla_day4", 1, "the model's HLA-DR at day 4", unit="% of monocytes", rel=0.03,
               answer=lambda c: float(np.interp(4.0, _run(c).time, _run(c)["hla_dr"])),
               hint="simulate with `im.Params(severity=…, infection_days=…)` and interpolate `res['hla_dr']` "
                    "at day 4 (`numpy.interp`)."),
        Number("q6", "infection_risk", 1, "the model's risk of a secondary infection by day 28", fraction=True,
               tol=0.01, answer=lambda c: float(_run(c)["infection_risk"][-1]),
               hint="the last value of `res['infection_risk']` of a 28-day run."),
    ])
