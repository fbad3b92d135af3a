r"""The reduced acute inflammatory response of Reynolds et al. (2006), with its published parameters.

Four states: pathogen :math:`P`, activated phagocytes :math:`N^*`, tissue damage :math:`D` and a
slow anti-inflammatory mediator :math:`C_A`. The anti-inflammatory mediator damps every
pro-inflammatory effect through

.. math::

    f(V) = \frac{V}{1 + (C_A/c_\infty)^2} .

.. math::

    \frac{dP}{dt} &= k_{pg} P\left(1 - \frac{P}{p_\infty}\right)
        - \frac{k_{pm} s_m P}{\mu_m + k_{mp} P} - k_{pn} f(N^*) P \\
    \frac{dN^*}{dt} &= \frac{s_{nr} R}{\mu_{nr} + R} - \mu_n N^*, \qquad
        R = f(k_{nn} N^* + k_{np} P + k_{nd} D) \\
    \frac{dD}{dt} &= k_{dn} f_s\bigl(f(N^*)\bigr) - \mu_d D, \qquad
        f_s(V) = \frac{V^6}{x_{dn}^6 + V^6} \\
    \frac{dC_A}{dt} &= s_c + \frac{k_{cn} f(N^* + k_{cnd} D)}{1 + f(N^* + k_{cnd} D)} - \mu_c C_A

with :math:`P(0) = P_0`, :math:`N^*(0) = D(0) = 0` and :math:`C_A(0) = s_c/\mu_c = 0.125`.

The recruitment term comes from a pool of resting phagocytes :math:`N_R` that are supplied at
:math:`s_{nr}`, decay at :math:`\mu_{nr}` and are activated at the rate :math:`R`:
:math:`dN_R/dt = s_{nr} - \mu_{nr} N_R - R N_R`. Reynolds et al. take :math:`N_R` at its
quasi-steady state :math:`s_{nr}/(\mu_{nr} + R)`, so activation :math:`R N_R` becomes
:math:`s_{nr} R/(\mu_{nr} + R)`: :math:`\mu_{nr}` is the resting-phagocyte decay rate (1/h), and
for that reason also the activation rate :math:`R` at which recruitment is half its maximum.
The pathogen equation is the one of :mod:`sepsislab.models.sentry`, plus killing by activated
phagocytes. Activated phagocytes are recruited by pathogen, by damage and by each other, and
cause damage; damage recruits phagocytes — the loop that can outlive the infection.

Three outcomes (Reynolds et al. 2006): **health** (everything returns to baseline), **aseptic
death** (the pathogen is cleared but phagocytes and damage stay high) and **septic death** (the
pathogen persists with high phagocytes and damage).

References
----------
Reynolds A, Rubin J, Clermont G, Day J, Vodovotz Y, Ermentrout GB (2006). A reduced mathematical
model of the acute inflammatory response: I. Derivation of model and analysis of
anti-inflammation. J Theor Biol 242:220–236 (Table 1; BioModels BIOMD0000000714).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..params import param
from ..validation import check_number
from ._ode import TimeSeries, integrate
from .sentry import LocalResponseParams

__all__ = ["Params", "simulate", "classify_outcome", "classify_state", "critical_inoculum",
           "outcome_grid", "OUTCOMES"]

R06 = "reynolds2006"
#: Outcome names, indexed by the codes of :func:`classify_state` and :func:`outcome_grid`.
OUTCOMES = ("healthy", "aseptic death", "septic death")
#: Pathogen load (10⁶ cells/cc) above which the infection counts as persisting.
PATHOGEN_PERSISTS = 0.5
#: Damage (D-units) above which it counts as sustained; the ceiling is k_dn/μ_d = 17.5.
DAMAGE_SUSTAINED = 5.0
#: A run shorter than this cannot tell slow recovery from aseptic death.
MIN_CLASSIFY_HOURS = 200.0


@dataclass(frozen=True)
class Params(LocalResponseParams):
    """Reynolds et al. (2006), Table 1: the local response (shared with the sentry model) and the rest."""

    k_pn: float = param(1.8, unit="1/(N*-units·h)", low=0.0, high=20.0, source=R06,
                        symbol="k_{pn}", doc="killing by activated phagocytes")
    k_np: float = param(0.1, unit="1/(10⁶ cells/cc·h)", low=0.0, high=5.0, source=R06,
                        symbol="k_{np}", doc="phagocyte activation by pathogen")
    k_nn: float = param(0.01, unit="1/(N*-units·h)", low=0.0, high=5.0, source=R06,
                        symbol="k_{nn}", doc="phagocyte activation by activated phagocytes")
    s_nr: float = param(0.08, unit="N*-units/h", low=0.0, high=5.0, source=R06, symbol="s_{nr}",
                        doc="maximal recruitment of activated phagocytes")
    mu_nr: float = param(0.12, unit="1/h", low=1e-4, high=5.0, source=R06, symbol="\\mu_{nr}",
                         doc="decay of resting phagocytes (also the activation signal R giving half-maximal "
                             "recruitment)")
    mu_n: float = param(0.05, unit="1/h", low=1e-4, high=5.0, source=R06, symbol="\\mu_n",
                        doc="decay of activated phagocytes")
    k_nd: float = param(0.02, unit="1/(D-units·h)", low=0.0, high=5.0, source=R06,
                        symbol="k_{nd}", doc="phagocyte activation by damage")
    k_dn: float = param(0.35, unit="D-units/h", low=0.0, high=10.0, source=R06, symbol="k_{dn}",
                        doc="maximal damage rate by activated phagocytes")
    x_dn: float = param(0.06, unit="N*-units", low=1e-3, high=5.0, source=R06, symbol="x_{dn}",
                        doc="phagocyte level giving half-maximal damage")
    mu_d: float = param(0.02, unit="1/h", low=1e-4, high=5.0, source=R06, symbol="\\mu_d",
                        doc="repair of damage")
    c_inf: float = param(0.28, unit="C_A-units", low=1e-3, high=10.0, source=R06,
                         symbol="c_\\infty", doc="anti-inflammatory level halving its targets")
    s_c: float = param(0.0125, unit="C_A-units/h", low=0.0, high=1.0, source=R06, symbol="s_c",
                       doc="baseline anti-inflammatory production")
    k_cn: float = param(0.04, unit="C_A-units/h", low=0.0, high=5.0, source=R06, symbol="k_{cn}",
                        doc="maximal anti-inflammatory production induced by inflammation")
    k_cnd: float = param(48.0, unit="N*-units/D-units", low=0.0, high=500.0, source=R06,
                         symbol="k_{cnd}", doc="weight of damage in inducing anti-inflammation")
    mu_c: float = param(0.1, unit="1/h", low=1e-3, high=5.0, source=R06, symbol="\\mu_c",
                        doc="decay of the anti-inflammatory mediator")


def _rhs(p: Params):
    kill_m = p.k_pm * p.s_m
    c2 = 1.0 / p.c_inf ** 2
    x6 = p.x_dn ** 6

    def rhs(_t, y):
        P, N, D, C = y
        inhibit = 1.0 / (1.0 + C * C * c2)  # f(V) = V * inhibit
        fN = N * inhibit
        R = (p.k_nn * N + p.k_np * P + p.k_nd * D) * inhibit
        fN6 = fN ** 6
        g = (N + p.k_cnd * D) * inhibit
        return [p.k_pg * P * (1 - P / p.p_inf) - kill_m * P / (p.mu_m + p.k_mp * P) - p.k_pn * fN * P,
                p.s_nr * R / (p.mu_nr + R) - p.mu_n * N,
                p.k_dn * fN6 / (x6 + fN6) - p.mu_d * D,
                p.s_c + p.k_cn * g / (1 + g) - p.mu_c * C]

    return rhs


NAMES = ["pathogen", "phagocytes", "damage", "anti_inflammatory"]


def simulate(params: Params | None = None, *, initial_pathogen: float = 1.0, hours: float = 500.0,
             points: int | None = None) -> TimeSeries:
    """The response to an inoculum ``initial_pathogen`` of a host at rest.

    Parameters
    ----------
    params : Params, optional
        Model parameters (default: Reynolds et al. 2006, Table 1).
    initial_pathogen : float
        Inoculum P₀ in 10⁶ cells/cc, 0 to the carrying capacity p∞.
    hours : float
        Horizon in hours (up to 60 days). :func:`classify_outcome` needs at least 200 h.
    points : int, optional
        Number of output times (default: four per hour, at most 2001).

    Returns
    -------
    TimeSeries
        ``pathogen`` (10⁶ cells/cc), ``phagocytes`` (N*-units), ``damage`` (D-units) and
        ``anti_inflammatory`` (C_A-units) on ``.time`` in hours.
    """
    p = params or Params()
    p0 = check_number("initial_pathogen", initial_pathogen, unit="10⁶ cells/cc", low=0, high=p.p_inf)
    return integrate(_rhs(p), [p0, 0.0, 0.0, p.s_c / p.mu_c], NAMES, hours=hours, points=points)


def classify_state(pathogen, damage) -> np.ndarray:
    """Code 0 (quiet), 1 (pathogen gone, damage high) or 2 (pathogen present), elementwise.

    At the end of a long run these are the outcomes of :data:`OUTCOMES`.

    Parameters
    ----------
    pathogen : float or array_like
        Pathogen load P (10⁶ cells/cc).
    damage : float or array_like
        Tissue damage D (D-units).

    Returns
    -------
    ndarray of int
        The code, 0–2, elementwise.
    """
    pathogen, damage = np.asarray(pathogen), np.asarray(damage)
    return np.where(pathogen > PATHOGEN_PERSISTS, 2, np.where(damage > DAMAGE_SUSTAINED, 1, 0))


def classify_outcome(result: TimeSeries) -> str:
    """``"healthy"``, ``"aseptic death"`` or ``"septic death"`` from the end of a long run.

    The pathogen persisting (P > 0.5 × 10⁶ cells/cc) is septic death; a cleared pathogen with
    sustained damage (D > 5 D-units, about 30 % of the ceiling) is aseptic death; otherwise the
    host recovers.

    Parameters
    ----------
    result : TimeSeries
        A :func:`simulate` result spanning at least 200 h (shorter runs cannot tell a slow
        recovery from aseptic death: ValueError).

    Returns
    -------
    str
        One of :data:`OUTCOMES`.
    """
    if not all(k in result for k in ("pathogen", "damage")):
        raise ValueError("result must come from inflammation.simulate (needs 'pathogen' and 'damage')")
    span = float(result.time[-1])
    if span < MIN_CLASSIFY_HOURS:
        raise ValueError(f"result spans {span:g} h; classify_outcome needs a run of at least "
                         f"{MIN_CLASSIFY_HOURS:g} h (simulate with hours ≥ {MIN_CLASSIFY_HOURS:g})")
    return OUTCOMES[int(classify_state(result["pathogen"][-1], result["damage"][-1]))]


def critical_inoculum(params: Params | None = None, *, hours: float = 500.0, tol: float = 0.01) -> float:
    """Smallest inoculum P₀ that does not end in health, by bisection.

    Parameters
    ----------
    params : Params, optional
        Model parameters.
    hours : float
        Length of each run (h), long enough to classify the outcome (≥ 200 h).
    tol : float
        Width of the final bracket (10⁶ cells/cc).

    Returns
    -------
    float
        The critical inoculum (10⁶ cells/cc): ``0.0`` if even a vanishing inoculum is not cleared,
        ``inf`` if every inoculum up to p∞ is.
    """
    p = params or Params()
    tol = check_number("tol", tol, unit="10⁶ cells/cc", low=1e-6, high=p.p_inf)

    def sick(p0):
        return classify_outcome(simulate(p, initial_pathogen=p0, hours=hours, points=51)) != "healthy"

    lo, hi = 1e-3, p.p_inf
    if sick(lo):
        return 0.0
    if not sick(hi):
        return float("inf")
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if sick(mid) else (mid, hi)
    return hi


def outcome_grid(initial_pathogens, growth_rates, *, params: Params | None = None,
                 hours: float = 480.0, points: int = 481) -> tuple[np.ndarray, np.ndarray]:
    """State codes over a grid of inocula and growth rates, at every output time.

    One solve per grid point.

    Parameters
    ----------
    initial_pathogens : array_like
        Inocula P₀ (10⁶ cells/cc).
    growth_rates : array_like
        Pathogen growth rates k_pg (1/h).
    params : Params, optional
        The other parameters.
    hours : float
        Length of each run (h).
    points : int
        Output times per run.

    Returns
    -------
    times : ndarray
        Output times (h).
    codes : ndarray of int8
        ``codes[t, j, i]``, the :func:`classify_state` code at ``times[t]`` for growth rate
        ``growth_rates[j]`` and inoculum ``initial_pathogens[i]``; the last time slice is the
        outcome (see :data:`OUTCOMES`).
    """
    base = params or Params()
    p0s, kpgs = np.asarray(initial_pathogens, float), np.asarray(growth_rates, float)
    codes = np.zeros((points, kpgs.size, p0s.size), dtype=np.int8)
    times = None
    for j, k in enumerate(kpgs):
        p = base.replace(k_pg=float(k))
        for i, p0 in enumerate(p0s):
            res = simulate(p, initial_pathogen=float(p0), hours=hours, points=points)
            codes[:, j, i] = classify_state(res.pathogen, res.damage)
            times = res.time
    return times, codes
