"""Practice 2 — reading the cytokine storm (model: :mod:`sepsislab.models.cytokines`)."""

from __future__ import annotations

import numpy as np

from ...models import cytokines
from ..core import Choice, Entry, Number, Practice, Slip
from ._common import pick, uniform

NAMES = ("tnf", "il1", "il6", "il10")


def _tnf_peak_time(case):
    res = cytokines.simulate(stimulus=case.stimulus)
    return float(res.time[int(np.argmax(res["tnf"]))])


def _first_of_pair(case):
    res = cytokines.simulate(stimulus=case.stimulus)
    return min((case.pair_a, case.pair_b), key=lambda n: res.time[int(np.argmax(res[n]))])


def _outcome(case):
    p = cytokines.Params(gain=case.gain, brake=case.brake)
    return cytokines.outcome(cytokines.simulate(p, stimulus=case.stimulus), p)


def draw(rng):
    brake = uniform(rng, 0.2, 2.0, 0.1)
    # a gain on either side of the storm boundary √(1 + b), so that both outcomes occur
    gain = round(float(cytokines.storm_boundary(brake)) * pick(rng, [0.7, 0.85, 1.15, 1.3, 1.5]), 2)
    # q2: two different cytokines in random order, so that any of the first three can be the answer
    first, second = rng.choice(len(NAMES), size=2, replace=False)
    return dict(stimulus=uniform(rng, 1.0, 4.0, 0.1), gain=gain, brake=brake, anti_tnf=pick(rng, [0.3, 0.5, 0.7, 0.9]),
                pair_a=NAMES[int(first)], pair_b=NAMES[int(second)])


PRACTICE = Practice(
    name="storm",
    title="Reading the cytokine storm",
    draw=draw,
    card=[Entry("stimulus", "endotoxin pulse S₀", "× half-maximal drive"),
          Entry("gain", "feedback gain g of your patient", ""),
          Entry("brake", "IL-10 brake b of your patient", ""),
          Entry("anti_tnf", "fraction of TNF neutralised by the antibody (q5)", "fraction"),
          Entry("pair_a", "q2: first cytokine to compare", ""),
          Entry("pair_b", "q2: second cytokine to compare", "")],
    questions=[
        Number("q1", "tnf_peak_h", 2, "when TNF peaks", unit="h", tol=0.25, answer=_tnf_peak_time,
               hint="simulate with your stimulus and find the time of the largest `res['tnf']` "
                    "(`numpy.argmax`)."),
        Choice("q2", "first_of_pair", 1, "which of your two cytokines peaks first", answer=_first_of_pair,
               options={"tnf": "TNF turns over fastest: it would peak first — is it one of your two?",
                        "il1": "IL-1 rises almost with TNF, but TNF is faster",
                        "il6": "IL-6 peaks after TNF and IL-1",
                        "il10": "IL-10, the brake, comes last of all"},
               aliases={"il-10": "il10", "il-6": "il6", "il-1": "il1"},
               hint="compare the peak times of your two series (`numpy.argmax` of each) — the brake comes late."),
        Number("q3", "storm_gain", 2, "the smallest gain for a self-sustaining storm", rel=0.01,
               answer=lambda c: float(cytokines.storm_boundary(c.brake)),
               slips=[Slip(lambda c: 1 + c.brake,
                           "a storm needs c·g ≥ 2√(1 + b·m): you forgot the square root"),
                      Slip(lambda c: 2 * np.sqrt(1 + c.brake),
                           "with no antibody c = 2 − φ = 2, which divides the 2√(1 + b·m)")],
               hint="the quadratic (1 + bm)u² − cgu + 1 = 0 has real roots when c·g ≥ 2√(1 + bm); "
                    "here m = 1 and φ = 0."),
        Choice("q4", "outcome", 1, "storm or resolution for your patient", answer=_outcome,
               options={"storm": "the signal falls back below the threshold once the pulse has gone",
                        "resolution": "the feedback carries the signal to the storm state"},
               hint="simulate with `cytokines.Params(gain=case.gain, brake=case.brake)` and "
                    "`cytokines.outcome(res, params)`."),
        Choice("q5", "storm_possible_on_antibody", 1, "can a storm still sustain itself on anti-TNF?",
               answer=lambda c: "no" if cytokines.storm_states(cytokines.Params(
                   gain=c.gain, brake=c.brake, anti_tnf=c.anti_tnf)) is None else "yes",
               options={"yes": "with that much TNF neutralised the feedback is too weak: "
                               "(2 − φ)·g < 2√(1 + b)",
                        "no": "IL-1 and the remaining TNF still close the loop: (2 − φ)·g ≥ 2√(1 + b)"},
               hint="a storm exists when (2 − φ)·g ≥ 2√(1 + b·m); `cytokines.storm_states` returns "
                    "None when it does not."),
    ])
