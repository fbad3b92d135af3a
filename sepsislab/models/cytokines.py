r"""The storm and the brake: self-amplifying TNF and IL-1 against the IL-10 brake.

A minimal cytokine network, written for teaching (its structure follows the biology; its rate
constants are illustrative). An endotoxin pulse :math:`S(t) = S_0 e^{-t/\tau_L}` and the
pro-inflammatory signal :math:`u` drive inflammatory gene expression; TNF (:math:`T`) and IL-1
(:math:`R`) feed back on that expression cooperatively (Hill function :math:`H`, coefficient 2),
and also induce IL-6 (:math:`X_6`). IL-10 (:math:`A`), induced by the same signals, divides
inflammatory expression by :math:`1 + bA` — the brake. Concentrations are in units of the level
that gives half-maximal feedback; time is in hours.

.. math::

    u &= (1-\varphi)\,T + R, \qquad H(u) = \frac{u^2}{1+u^2}, \qquad
    E = \frac{S + g\,H(u)}{1 + b\,A} \\
    \frac{dT}{dt} &= d_T\,(E - T), \qquad \frac{dR}{dt} = d_R\,(E - R), \qquad
    \frac{dX_6}{dt} = d_6\,(E - X_6) \\
    \frac{dA}{dt} &= d_{10}\,\bigl(m\,(S + H(u)) - A\bigr)

:math:`g` is the gain of the positive feedback, :math:`b` the strength of the IL-10 brake,
:math:`m` how strongly inflammation induces IL-10, and :math:`\varphi` the fraction of TNF
neutralised by an antibody (0 without treatment).

**The switch.** Once the stimulus has gone (:math:`S = 0`), the steady states satisfy
:math:`T = R = E` and :math:`A = mH(u)`, so :math:`u = c\,g\,H(u)/(1 + b\,m\,H(u))` with
:math:`c = 2 - \varphi`. Besides :math:`u = 0` (resolution, always stable) this gives

.. math::

    (1 + b\,m)\,u^2 - c\,g\,u + 1 = 0 ,

whose two roots exist when :math:`c\,g \ge 2\sqrt{1 + b\,m}`: the larger is a self-sustaining
storm, the smaller the threshold the initial alarm has to cross to reach it.

References
----------
van der Poll T, van de Veerdonk FL, Scicluna BP, Netea MG (2017). Nat Rev Immunol 17:407–420.
de Waal Malefyt R et al. (1991). J Exp Med 174:1209–1220. Howard M et al. (1993). J Exp Med
177:1205–1208. Michie HR et al. (1988). N Engl J Med 318:1481–1486.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..params import ModelParams, param
from ..validation import check_number
from ._ode import TimeSeries, integrate

__all__ = ["Params", "simulate", "storm_states", "storm_boundary", "outcome", "outcome_map"]

ILL = "illustrative"


@dataclass(frozen=True)
class Params(ModelParams):
    """Gains and clearance rates of the illustrative cytokine network."""

    gain: float = param(1.2, unit="1", low=0.0, high=10.0, source=ILL, symbol="g",
                        doc="gain of TNF/IL-1 positive feedback on inflammatory expression")
    brake: float = param(1.0, unit="1", low=0.0, high=20.0, source=ILL, symbol="b",
                         doc="strength of the IL-10 brake")
    il10_induction: float = param(1.0, unit="1", low=0.0, high=20.0, source=ILL, symbol="m",
                                  doc="IL-10 made per unit of inflammatory signal")
    anti_tnf: float = param(0.0, unit="fraction", low=0.0, high=0.99, source=ILL,
                            symbol="\\varphi", doc="fraction of TNF neutralised by an antibody")
    d_tnf: float = param(1.5, unit="1/h", low=0.01, high=20.0, source=ILL, symbol="d_T",
                         doc="TNF turnover (fastest: TNF peaks first)")
    d_il1: float = param(1.0, unit="1/h", low=0.01, high=20.0, source=ILL, symbol="d_R",
                         doc="IL-1 turnover")
    d_il6: float = param(0.5, unit="1/h", low=0.01, high=20.0, source=ILL, symbol="d_6",
                         doc="IL-6 turnover")
    d_il10: float = param(0.3, unit="1/h", low=0.01, high=20.0, source=ILL, symbol="d_{10}",
                          doc="IL-10 turnover (slowest: the brake comes late)")
    tau_lps: float = param(1.0, unit="h", low=0.05, high=24.0, source=ILL, symbol="\\tau_L",
                           doc="decay time of the endotoxin stimulus")


def storm_states(params: Params | None = None) -> tuple[float, float] | None:
    """Threshold and storm level of the pro-inflammatory signal u once the stimulus is gone.

    Parameters
    ----------
    params : Params, optional
        Network parameters.

    Returns
    -------
    tuple of float or None
        ``(u_threshold, u_storm)`` — the roots of (1 + bm)u² − cgu + 1 = 0, in multiples of the
        half-maximal level — or ``None`` when no self-sustaining storm exists and every response
        resolves.
    """
    p = params or Params()
    a, half_b = 1.0 + p.brake * p.il10_induction, (2.0 - p.anti_tnf) * p.gain / 2
    disc = half_b * half_b - a
    if disc < 0:
        return None
    root = math.sqrt(disc)
    return (half_b - root) / a, (half_b + root) / a


def storm_boundary(brake, params: Params | None = None):
    """Smallest feedback gain g at which a storm can sustain itself, for IL-10 brake ``brake``.

    Parameters
    ----------
    brake : float or array_like
        Strength b of the IL-10 brake (dimensionless, ≥ 0).
    params : Params, optional
        Network parameters (``il10_induction`` and ``anti_tnf`` are used).

    Returns
    -------
    float or ndarray
        The gain 2√(1 + bm)/(2 − φ) (dimensionless), elementwise.
    """
    p = params or Params()
    b = np.asarray(brake, dtype=float)
    return 2.0 * np.sqrt(1.0 + b * p.il10_induction) / (2.0 - p.anti_tnf)


def simulate(params: Params | None = None, *, stimulus: float = 2.0, hours: float = 48.0,
             points: int | None = None) -> TimeSeries:
    """Cytokines after an endotoxin pulse of size ``stimulus`` in a resting host.

    Parameters
    ----------
    params : Params, optional
        Model parameters (default: the illustrative set).
    stimulus : float
        Pulse amplitude S₀, in units of the half-maximal feedback drive (0–50).
    hours : float
        Horizon in hours (up to 30 days).
    points : int, optional
        Number of output times (default: four per hour).

    Returns
    -------
    TimeSeries
        ``tnf``, ``il1``, ``il6``, ``il10`` (multiples of the half-maximal level) and the
        decaying ``stimulus``, on ``.time`` in hours.
    """
    p = params or Params()
    s0 = check_number("stimulus", stimulus, unit="× half-maximal drive", low=0, high=50)
    exp = math.exp

    def rhs(t, y):
        tnf, il1, il6, il10 = y
        s = s0 * exp(-t / p.tau_lps)
        u = (1.0 - p.anti_tnf) * tnf + il1
        h = u * u / (1.0 + u * u)
        e = (s + p.gain * h) / (1.0 + p.brake * il10)
        return [p.d_tnf * (e - tnf), p.d_il1 * (e - il1), p.d_il6 * (e - il6),
                p.d_il10 * (p.il10_induction * (s + h) - il10)]

    res = integrate(rhs, [0.0, 0.0, 0.0, 0.0], ["tnf", "il1", "il6", "il10"], hours=hours,
                    points=points, rtol=1e-6, atol=1e-9)
    res["stimulus"] = s0 * np.exp(-res.time / p.tau_lps)
    return res


def outcome(result: TimeSeries, params: Params | None = None) -> str:
    """``"storm"`` if the signal ends above the threshold of a sustainable storm, else ``"resolution"``.

    Parameters
    ----------
    result : TimeSeries
        A :func:`simulate` result (``tnf`` and ``il1`` are used).
    params : Params, optional
        The parameters of that run.

    Returns
    -------
    str
        ``"storm"`` or ``"resolution"``.
    """
    p = params or Params()
    states = storm_states(p)
    u_end = (1.0 - p.anti_tnf) * result["tnf"][-1] + result["il1"][-1]
    return "storm" if states is not None and u_end > states[0] else "resolution"


def outcome_map(gains, brakes, params: Params | None = None) -> np.ndarray:
    """Steady TNF of the storm state on a grid of gains and brakes; 0 where none exists.

    Cheap and exact: the closed-form larger root of the steady-state quadratic, no simulation.

    Parameters
    ----------
    gains : array_like
        Feedback gains g (dimensionless), the columns.
    brakes : array_like
        IL-10 brake strengths b (dimensionless), the rows.
    params : Params, optional
        Network parameters (``il10_induction`` and ``anti_tnf`` are used).

    Returns
    -------
    ndarray
        TNF at the storm state (multiples of the half-maximal level), shape
        ``(len(brakes), len(gains))``.
    """
    p = params or Params()
    g, b = np.meshgrid(np.asarray(gains, dtype=float), np.asarray(brakes, dtype=float))
    a, half_b = 1.0 + b * p.il10_induction, (2.0 - p.anti_tnf) * g / 2
    disc = half_b * half_b - a
    u_storm = (half_b + np.sqrt(np.clip(disc, 0, None))) / a
    return np.where(disc >= 0, u_storm / (2.0 - p.anti_tnf), 0.0)  # T = u / c at the storm state
