"""Practice 3 — MAP, SVR, shock index and the kind of shock (:mod:`sepsislab.clinical`,
:mod:`sepsislab.models.circulation`)."""

from __future__ import annotations

from ... import clinical
from ...models import circulation
from ..core import Choice, Entry, Number, Practice, Slip
from ._common import pick, uniform


def _map(c):
    return clinical.mean_arterial_pressure(c.sbp, c.dbp)


def _svr(c):
    return clinical.systemic_vascular_resistance(_map(c), c.cvp, c.co)


def _svr_class(c):
    svr = _svr(c)
    return "low" if svr < 800 else "high" if svr > 1200 else "normal"


def draw(rng):
    kind = pick(rng, ["cardiogenic", "hypovolemic", "obstructive", "distributive"])
    b = circulation.shock_state(kind, uniform(rng, 0.6, 0.9, 0.05))
    return dict(sbp=uniform(rng, 78, 104, 1), dbp=uniform(rng, 36, 56, 1), hr=uniform(rng, 92, 136, 1),
                cvp=uniform(rng, 4, 12, 1), co=uniform(rng, 4.0, 9.0, 0.1),
                b_map=round(b["map"]), b_co=round(b["cardiac_output"], 1), b_svr=round(b["svr"], -1),
                b_cvp=round(b["cvp"], 1), b_hr=round(b["heart_rate"]), b_edv=round(b["edv"]))


def read_profile(svr: float, cvp: float, edv: float) -> str:
    """The reading taught in the notebook: low SVR → distributive; otherwise an empty circulation
    (low CVP) → hypovolemic; a full, large ventricle → cardiogenic; a full circulation with a small
    ventricle → obstructive. It recovers the kind from every profile that
    :func:`~sepsislab.models.circulation.shock_state` makes at severity 0.6–0.9 (tested)."""
    if svr < 800:
        return "distributive"
    if cvp < 4:
        return "hypovolemic"
    return "cardiogenic" if edv >= 90 else "obstructive"


_KIND_WHY = {
    "cardiogenic": "a failing pump gives low output with a full, large ventricle (high EDV)",
    "hypovolemic": "too little volume gives low output, low CVP and an empty, small ventricle",
    "obstructive": "an obstruction to filling gives low output, a high CVP and a small, underfilled ventricle",
    "distributive": "dilated vessels give a low SVR with a normal or high cardiac output",
}

PRACTICE = Practice(
    name="haemodynamics",
    title="Reading a haemodynamic profile",
    draw=draw,
    card=[Entry("sbp", "patient A: systolic pressure", "mmHg"),
          Entry("dbp", "patient A: diastolic pressure", "mmHg"),
          Entry("hr", "patient A: heart rate", "beats/min"),
          Entry("cvp", "patient A: central venous pressure", "mmHg"),
          Entry("co", "patient A: cardiac output", "L/min"),
          Entry("b_map", "patient B: MAP", "mmHg"),
          Entry("b_co", "patient B: cardiac output", "L/min"),
          Entry("b_svr", "patient B: SVR", "dyn·s·cm⁻⁵"),
          Entry("b_cvp", "patient B: CVP", "mmHg"),
          Entry("b_hr", "patient B: heart rate", "beats/min"),
          Entry("b_edv", "patient B: end-diastolic volume (echo; normal ≈ 115)", "mL")],
    questions=[
        Number("q1", "map_mmhg", 1, "mean arterial pressure of patient A", unit="mmHg", tol=1.0, answer=_map,
               slips=[Slip(lambda c: (c.sbp + c.dbp) / 2,
                           "that is the plain average of SBP and DBP; diastole lasts about twice as "
                           "long as systole at rest"),
                      Slip(lambda c: (2 * c.sbp + c.dbp) / 3, "the weights are swapped: diastole counts twice")],
               hint="MAP = DBP + (SBP − DBP)/3."),
        Number("q2", "svr", 2, "systemic vascular resistance of patient A", unit="dyn·s·cm⁻⁵", rel=0.03,
               answer=_svr,
               slips=[Slip(lambda c: (_map(c) - c.cvp) / c.co,
                           "that is in Wood units (mmHg·min/L); multiply by 80 for dyn·s·cm⁻⁵"),
                      Slip(lambda c: 80 * _map(c) / c.co, "you left out the CVP: the driving pressure is MAP − CVP"),
                      Slip(lambda c: 80 * (c.sbp - c.cvp) / c.co, "use the mean pressure, not the systolic")],
               hint="SVR = 80·(MAP − CVP)/CO, with MAP from q1."),
        Number("q3", "shock_index", 1, "shock index of patient A", tol=0.02,
               answer=lambda c: clinical.shock_index(c.hr, c.sbp),
               slips=[Slip(lambda c: c.sbp / c.hr, "the ratio is upside down: heart rate over systolic pressure"),
                      Slip(lambda c: c.hr / _map(c), "that is the modified shock index (HR/MAP); use the systolic pressure")],
               hint="shock index = HR/SBP; ≥ 1 suggests shock."),
        Choice("q4", "svr_class", 1, "is patient A's SVR low, normal or high?", answer=_svr_class,
               options={"low": "", "normal": "", "high": ""},
               hint="compare your SVR with the normal range 800–1200 dyn·s·cm⁻⁵."),
        Choice("q5", "shock_kind", 2, "what kind of shock does patient B have?",
               answer=lambda c: read_profile(c.b_svr, c.b_cvp, c.b_edv),
               options={k: f"not this one: {why}" for k, why in _KIND_WHY.items()},
               aliases={"hypovolaemic": "hypovolemic", "septic": "distributive", "vasodilatory": "distributive"},
               hint="look first at SVR and CO (which one is low?), then at CVP and the ventricle's size (EDV)."),
    ])
