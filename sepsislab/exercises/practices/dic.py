"""Practice 5 — scoring disseminated intravascular coagulation (:func:`sepsislab.clinical.isth_dic_score`,
:mod:`sepsislab.models.coagulation`)."""

from __future__ import annotations

from ... import clinical
from ..core import Choice, Entry, Integer, Number, Practice, Slip
from ._common import pick, uniform


def _score(c):
    return clinical.isth_dic_score(c.platelets_per_ul / 1000, c.d_dimer, c.pt_s - c.pt_control_s,
                                   c.fibrinogen_mg_dl / 100)


def draw(rng):
    control = uniform(rng, 11.0, 13.0, 0.5)
    return dict(platelets_per_ul=uniform(rng, 30_000, 170_000, 1000), d_dimer=pick(rng, ["none", "moderate", "strong"]),
                pt_s=round(control + uniform(rng, 0.5, 9.0, 0.5), 1), pt_control_s=control,
                fibrinogen_mg_dl=uniform(rng, 70, 350, 5))


PRACTICE = Practice(
    name="dic",
    title="Scoring DIC",
    draw=draw,
    card=[Entry("platelets_per_ul", "platelet count", "/µL"),
          Entry("d_dimer", "D-dimer rise (lab's categories)", ""),
          Entry("pt_s", "prothrombin time", "s"),
          Entry("pt_control_s", "prothrombin time of the lab's control", "s"),
          Entry("fibrinogen_mg_dl", "fibrinogen", "mg/dL")],
    questions=[
        Number("q1", "platelets_10e9_l", 1, "platelets in 10⁹/L", unit="10⁹/L", tol=0.5,
               answer=lambda c: c.platelets_per_ul / 1000,
               hint="1 µL = 10⁻⁶ L, so n/µL × 10⁶ = n × 10⁶/L; divide by 10⁹."),
        Number("q2", "pt_prolongation_s", 1, "prolongation of the prothrombin time", unit="s", tol=0.05,
               answer=lambda c: c.pt_s - c.pt_control_s,
               slips=[Slip(lambda c: c.pt_s / c.pt_control_s,
                           "that is a ratio; the ISTH score asks by how many seconds the PT exceeds the control")],
               hint="patient's PT minus the control PT."),
        Number("q3", "fibrinogen_g_l", 1, "fibrinogen in g/L", unit="g/L", tol=0.01,
               answer=lambda c: c.fibrinogen_mg_dl / 100,
               hint="1 g/L = 100 mg/dL."),
        Integer("q4", "isth_score", 2, "ISTH overt-DIC score", answer=_score,
                slips=[Slip(lambda c: _score(c) - (2 if c.pt_s - c.pt_control_s > 6 else 1
                                                   if c.pt_s - c.pt_control_s >= 3 else 0),
                            "the PT points are missing: 3–6 s longer scores 1, more than 6 s scores 2")],
                hint="platelets > 100 → 0, 50–100 → 1, < 50 → 2; D-dimer none/moderate/strong → 0/2/3; "
                     "PT prolonged < 3 s → 0, 3–6 s → 1, > 6 s → 2; fibrinogen ≤ 1 g/L → 1."),
        Choice("q5", "overt_dic", 1, "compatible with overt DIC?",
               answer=lambda c: "yes" if _score(c) >= 5 else "no",
               options={"yes": "a score below 5 is not compatible with overt DIC (repeat in 1–2 days)",
                        "no": "a score of 5 or more is compatible with overt DIC"},
               hint="the ISTH cut-off is 5 points."),
    ])
