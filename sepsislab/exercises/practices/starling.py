"""Practice 4 — Starling forces and how much of a fluid bolus stays (:func:`sepsislab.clinical.starling_filtration`,
:func:`sepsislab.models.barrier.bolus_retention`)."""

from __future__ import annotations

from ... import clinical
from ...models import barrier
from ..core import Choice, Entry, Number, Practice, Slip
from ._common import pick, uniform


def _jv(c, sigma, pg):
    return clinical.starling_filtration(c.kf, c.pc, c.pi, sigma, c.pp, pg)


def _nfp(c):
    return (c.pc - c.pi) - c.sigma * (c.pp - c.pg)


def draw(rng):
    values = dict(kf=uniform(rng, 0.05, 0.20, 0.01), pc=uniform(rng, 20, 30, 1), pi=uniform(rng, -2, 2, 1),
                  pp=uniform(rng, 22, 28, 1), pg=uniform(rng, 1, 4, 1), sigma=uniform(rng, 0.85, 0.95, 0.01),
                  sigma_sepsis=uniform(rng, 0.40, 0.65, 0.01), pg_sepsis=uniform(rng, 8, 14, 1),
                  glycocalyx=pick(rng, [0.2, 0.4, 0.5, 0.6, 0.8, 1.0]), bolus_ml=pick(rng, [500, 1000]),
                  minutes=pick(rng, [30, 60, 120]))
    # q5: a rise of P_c and a fall of π_p (mmHg) whose effects on J_v differ clearly at this σ
    # (ΔP_c against σ·Δπ_p, at least 0.5 mmHg apart), so that either lever can be the stronger one
    while True:
        dpc, dpp = pick(rng, [2, 3, 4, 5, 6]), pick(rng, [4, 6, 8, 10, 12])
        if abs(dpc - values["sigma_sepsis"] * dpp) >= 0.5:
            return dict(values, dpc=dpc, dpp=dpp)


def _stronger_lever(case) -> str:
    """Which change raises J_v more in the shed state: +dpc of P_c (K_f·ΔP_c) or −dpp of π_p (K_f·σ·Δπ_p)."""
    return "capillary pressure" if case.dpc > case.sigma_sepsis * case.dpp else "oncotic pressure"


PRACTICE = Practice(
    name="starling",
    title="Starling forces and the fluid bolus",
    draw=draw,
    card=[Entry("kf", "filtration coefficient K_f", "mL/min/mmHg"),
          Entry("pc", "capillary pressure P_c", "mmHg"),
          Entry("pi", "interstitial pressure P_i", "mmHg"),
          Entry("pp", "plasma oncotic pressure π_p", "mmHg"),
          Entry("pg", "oncotic pressure under the glycocalyx π_g (healthy)", "mmHg"),
          Entry("sigma", "reflection coefficient σ (healthy)", "fraction"),
          Entry("sigma_sepsis", "reflection coefficient σ (shed glycocalyx)", "fraction"),
          Entry("pg_sepsis", "oncotic pressure under the glycocalyx π_g (shed)", "mmHg"),
          Entry("glycocalyx", "glycocalyx integrity in q4 (1 = intact)", "fraction"),
          Entry("bolus_ml", "crystalloid bolus (q4)", "mL"),
          Entry("minutes", "time after the bolus (q4)", "min"),
          Entry("dpc", "q5: rise in capillary pressure", "mmHg"),
          Entry("dpp", "q5: fall in plasma oncotic pressure", "mmHg")],
    questions=[
        Number("q1", "nfp_mmhg", 1, "net filtration pressure, healthy", unit="mmHg", tol=0.2, answer=_nfp,
               slips=[Slip(lambda c: (c.pc - c.pi) - (c.pp - c.pg),
                           "the oncotic difference is scaled by the reflection coefficient σ"),
                      Slip(lambda c: (c.pc - c.pi) + c.sigma * (c.pp - c.pg),
                           "the oncotic pressure of plasma holds fluid in: subtract σ(π_p − π_g)")],
               hint="(P_c − P_i) − σ(π_p − π_g)."),
        Number("q2", "jv_healthy", 1, "filtration rate, healthy", unit="mL/min", rel=0.02,
               answer=lambda c: _jv(c, c.sigma, c.pg),
               hint="J_v = K_f·[(P_c − P_i) − σ(π_p − π_g)] — `clinical.starling_filtration`."),
        Number("q3", "fold_rise", 2, "how many times more fluid leaks once the glycocalyx is shed", rel=0.03,
               answer=lambda c: _jv(c, c.sigma_sepsis, c.pg_sepsis) / _jv(c, c.sigma, c.pg),
               slips=[Slip(lambda c: _jv(c, c.sigma_sepsis, c.pg) / _jv(c, c.sigma, c.pg),
                           "σ fell, but so did the oncotic gradient: use π_g (shed) as well"),
                      Slip(lambda c: _jv(c, c.sigma, c.pg) / _jv(c, c.sigma_sepsis, c.pg_sepsis),
                           "the ratio is upside down: shed over healthy")],
               hint="compute J_v with σ (shed) and π_g (shed), and divide by q2."),
        Number("q4", "retained_fraction", 2, "fraction of the bolus still in the plasma", fraction=True, tol=0.02,
               answer=lambda c: barrier.bolus_retention(c.glycocalyx, c.bolus_ml, c.minutes),
               slips=[Slip(lambda c: 1 - barrier.bolus_retention(c.glycocalyx, c.bolus_ml, c.minutes),
                           "that is the fraction that has left the vessels; the question asks what stays")],
               hint="`barrier.bolus_retention(glycocalyx_integrity, volume_ml, minutes)`."),
        Choice("q5", "bigger_effect", 1, "what raises filtration more in the shed state",
               answer=_stronger_lever,
               options={"capillary pressure": "the oncotic change is multiplied by σ, but here σ·Δπ_p is "
                                              "still larger than ΔP_c",
                        "oncotic pressure": "with σ < 1, a change of oncotic pressure acts only σ times as "
                                            "strongly: compare ΔP_c with σ·Δπ_p",
                        "the same": "the oncotic term is multiplied by σ, the hydrostatic term is not"},
               hint="ΔJ_v = K_f·ΔP_c for the capillary pressure and K_f·σ·Δπ_p for the oncotic pressure "
                    "(shed σ); compare the two."),
    ])
