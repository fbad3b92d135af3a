"""Practice 1 — the sentry threshold (model: :mod:`sepsislab.models.sentry`)."""

from __future__ import annotations

from ...models import sentry
from ..core import Choice, Entry, Number, Practice, Slip
from ._common import pick, uniform


def _params(case):
    return sentry.Params(k_pg=case.k_pg)


def _threshold(case):
    return sentry.clearance_threshold(_params(case))


def draw(rng):
    k_pg = uniform(rng, 0.20, 0.40, 0.01)
    p_star = sentry.clearance_threshold(sentry.Params(k_pg=k_pg))
    # an inoculum clearly on one side of the threshold, never on it
    p0 = round(p_star * pick(rng, [0.4, 0.6, 0.75, 1.4, 1.8, 2.5]), 2)
    return dict(k_pg=k_pg, p0=p0, lps_pm=uniform(rng, 5, 150, 1), target=pick(rng, [0.6, 0.75, 0.8, 0.9, 0.95]),
                # q5: a mutant that grows faster or slower, so that either answer can be right
                growth_factor=pick(rng, [0.5, 0.6, 0.75, 1.5, 2.0, 2.5]))


def _threshold_moves(case) -> str:
    """Whether P* rises or falls for the mutant growing at growth_factor × k_pg."""
    mutant = sentry.clearance_threshold(sentry.Params(k_pg=case.growth_factor * case.k_pg))
    return "lower" if mutant < _threshold(case) else "higher"


PRACTICE = Practice(
    name="sentry",
    title="The sentry threshold",
    draw=draw,
    card=[Entry("k_pg", "pathogen growth rate k_pg", "1/h"),
          Entry("p0", "inoculum reaching the tissue P₀", "10⁶ cells/cc"),
          Entry("lps_pm", "blood LPS concentration", "pM"),
          Entry("target", "TLR4 occupancy asked for in q4", "fraction"),
          Entry("growth_factor", "q5: the mutant grows this many times as fast", "× k_pg")],
    questions=[
        Number("q1", "p_star", 2, "the clearance threshold P*", unit="10⁶ cells/cc", rel=0.02,
               answer=_threshold,
               slips=[Slip(lambda c: sentry.clearance_threshold(),
                           "that is the threshold for the default growth rate (0.3/h); build "
                           "`sentry.Params(k_pg=case.k_pg)` for your pathogen")],
               hint="P* is the smaller positive root of the quadratic on the page; "
                    "`sentry.clearance_threshold(params)` solves it."),
        Choice("q2", "fate", 1, "contained or systemic alarm",
               answer=lambda c: sentry.outcome(sentry.simulate(_params(c), initial_pathogen=c.p0), _params(c)),
               options={"contained": "your inoculum is above P*, where growth outpaces the saturated killing",
                        "systemic alarm": "your inoculum is below P*, where the resident phagocytes win"},
               hint="compare the inoculum P₀ with your threshold P* (q1), or simulate and read the end of the run."),
        Number("q3", "occupancy", 1, "TLR4 occupancy at your blood LPS", fraction=True, tol=0.01,
               answer=lambda c: float(sentry.tlr4_occupancy(c.lps_pm)),
               slips=[Slip(lambda c: c.lps_pm / sentry.Params().ec50_pm,
                           "that is L/EC₅₀; occupancy is L/(EC₅₀ + L) for a Hill coefficient of 1")],
               hint="θ = Lⁿ/(EC₅₀ⁿ + Lⁿ) with EC₅₀ = 30 pM and n = 1 (Gioannini et al. 2004)."),
        Number("q4", "lps_for_target", 2, "LPS for the target occupancy", unit="pM", rel=0.02,
               answer=lambda c: sentry.Params().ec50_pm * (c.target / (1 - c.target)) ** (1 / sentry.Params().hill),
               slips=[Slip(lambda c: sentry.Params().ec50_pm * c.target,
                           "occupancy is not proportional to LPS; invert the Hill curve"),
                      Slip(lambda c: sentry.Params().ec50_pm * (1 - c.target) / c.target,
                           "you inverted the ratio: L = EC₅₀·θ/(1 − θ)")],
               hint="solve θ = L/(EC₅₀ + L) for L."),
        Choice("q5", "mutant_threshold", 1, "the threshold for a mutant growing at a different rate",
               answer=_threshold_moves,
               options={"higher": "a faster-growing pathogen overwhelms the saturable killing sooner, "
                                  "so its threshold is lower, not higher",
                        "lower": "a slower-growing pathogen is easier to contain, so its threshold is "
                                 "higher, not lower",
                        "unchanged": "P* depends on k_pg: compute it at growth_factor·k_pg"},
               hint="recompute P* with k_pg multiplied by the growth factor on your card."),
    ])
