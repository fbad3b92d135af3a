r"""The sentry and the signal: local containment of a pathogen, or a system-wide alarm.

Pathogen load in a tissue grows logistically and is killed by the tissue's
resident phagocytes, whose capacity is saturable: each kill uses up some of it
(the local, non-specific response of Reynolds et al. 2006, with the
neutrophil and anti-inflammatory terms switched off):

.. math::

    \frac{dP}{dt} = k_{pg} P \left(1 - \frac{P}{p_\infty}\right)
                    - \frac{k_{pm} s_m P}{\mu_m + k_{mp} P}

Because clearance saturates while growth does not, there is a threshold load
:math:`P^*` (an unstable equilibrium): smaller inocula are cleared quietly,
larger ones escape and settle near the carrying capacity. :math:`P^*` is the
smaller positive root of

.. math::

    k_{pg}\left(1 - \frac{P}{p_\infty}\right)(\mu_m + k_{mp} P) = k_{pm} s_m .

PAMPs shed by the escaping pathogen reach the blood; sentinel cells read them
through TLR4, whose fractional occupancy follows a Hill curve of the blood
PAMP (LPS) concentration :math:`L = \lambda P`:

.. math::

    \theta = \frac{L^{n}}{EC_{50}^{n} + L^{n}}

References
----------
Reynolds A, Rubin J, Clermont G, Day J, Vodovotz Y, Ermentrout GB (2006).
J Theor Biol 242:220–236. Gioannini TL et al. (2004) PNAS 101:4186–4191.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..params import ModelParams, param
from ..validation import check_number
from ._ode import TimeSeries, integrate

__all__ = ["LocalResponseParams", "Params", "simulate", "clearance_threshold", "tlr4_occupancy", "outcome"]

R06 = "reynolds2006"


@dataclass(frozen=True)
class LocalResponseParams(ModelParams):
    """Pathogen growth and the local, non-specific response (Reynolds et al. 2006, Table 1).

    Shared by this model and the full Reynolds model in :mod:`sepsislab.models.inflammation`.
    """

    k_pg: float = param(0.3, unit="1/h", low=0.01, high=2.0, source=R06, symbol="k_{pg}",
                        doc="pathogen growth rate")
    p_inf: float = param(20.0, unit="10⁶ cells/cc", low=1.0, high=100.0, source=R06,
                         symbol="p_\\infty", doc="carrying capacity of the tissue")
    k_pm: float = param(0.6, unit="1/(M-units·h)", low=0.0, high=5.0, source=R06, symbol="k_{pm}",
                        doc="killing rate by resident phagocytes")
    s_m: float = param(0.005, unit="M-units/h", low=0.0, high=0.1, source=R06, symbol="s_m",
                       doc="supply of resident phagocytes")
    mu_m: float = param(0.002, unit="1/h", low=1e-4, high=1.0, source=R06, symbol="\\mu_m",
                        doc="turnover of resident phagocytes")
    k_mp: float = param(0.01, unit="1/(10⁶ cells/cc·h)", low=0.0, high=1.0, source=R06,
                        symbol="k_{mp}", doc="exhaustion of phagocytes by the pathogen")


@dataclass(frozen=True)
class Params(LocalResponseParams):
    """The local-response model and its TLR4 read-out."""

    pamp_per_load: float = param(5.0, unit="pM per 10⁶ cells/cc", low=0.01, high=1000.0,
                                 source="illustrative", symbol="\\lambda",
                                 doc="blood LPS per unit of escaped pathogen (chosen for teaching)")
    ec50_pm: float = param(30.0, unit="pM", low=0.1, high=10000.0, source="gioannini2004",
                           symbol="EC_{50}", doc="LPS giving half-maximal TLR4 activation (picomolar)")
    hill: float = param(1.0, unit="1", low=0.5, high=4.0, source="illustrative", symbol="n",
                        doc="Hill coefficient (1 = simple binding)")


def clearance_threshold(params: Params | None = None) -> float:
    """Pathogen load P* above which local defences are overwhelmed.

    Parameters
    ----------
    params : Params, optional
        Model parameters.

    Returns
    -------
    float
        P* (10⁶ cells/cc): ``0.0`` when the pathogen grows from any inoculum (growth beats the
        maximal local killing rate) and ``inf`` when every inoculum is cleared.

    References
    ----------
    Reynolds et al. 2006, Section 2 (the pathogen equation with the local response).
    """
    p = params or Params()
    a = -p.k_pg * p.k_mp / p.p_inf
    b = p.k_pg * (p.k_mp - p.mu_m / p.p_inf)
    c = p.k_pg * p.mu_m - p.k_pm * p.s_m
    if c >= 0:  # net growth at P → 0: no threshold, any inoculum takes hold
        return 0.0
    if a == 0:
        return float(-c / b) if b > 0 else float("inf")
    disc = b * b - 4 * a * c
    if disc < 0:
        return float("inf")
    roots = sorted(r for r in ((-b + np.sqrt(disc)) / (2 * a), (-b - np.sqrt(disc)) / (2 * a)) if r > 0)
    return float(roots[0]) if roots else float("inf")


def tlr4_occupancy(lps_pm, params: Params | None = None):
    """Fraction of TLR4 engaged at blood LPS ``lps_pm``: a Hill curve.

    Parameters
    ----------
    lps_pm : float or array_like
        Blood LPS, ≥ 0 pM.
    params : Params, optional
        Model parameters (``ec50_pm``, ``hill``).

    Returns
    -------
    float or ndarray
        Occupancy, a fraction 0–1, elementwise.
    """
    p = params or Params()
    lps = np.asarray(lps_pm, dtype=float)
    if np.any(~np.isfinite(lps)) or np.any(lps < 0):
        raise ValueError(f"lps_pm must be finite and ≥ 0 pM, got {lps_pm!r}")
    ratio = (lps / p.ec50_pm) ** p.hill
    return ratio / (1.0 + ratio)


def simulate(params: Params | None = None, *, initial_pathogen: float = 0.5, hours: float = 48.0) -> TimeSeries:
    """Pathogen load and the TLR4 alarm it raises over time.

    Parameters
    ----------
    params : Params, optional
        Model parameters (default: the published values).
    initial_pathogen : float
        Inoculum P₀ in 10⁶ cells/cc, 0 to the carrying capacity.
    hours : float
        Horizon in hours (0–1440).

    Returns
    -------
    TimeSeries
        ``pathogen`` (10⁶ cells/cc), ``lps`` (pM) and ``alarm`` (TLR4 occupancy, 0–1),
        on ``.time`` in hours.
    """
    p = params or Params()
    p0 = check_number("initial_pathogen", initial_pathogen, unit="10⁶ cells/cc", low=0, high=p.p_inf)
    kill = p.k_pm * p.s_m

    def rhs(_t, y):
        P = y[0]
        return [p.k_pg * P * (1 - P / p.p_inf) - kill * P / (p.mu_m + p.k_mp * P)]

    res = integrate(rhs, [p0], ["pathogen"], hours=hours)
    res["lps"] = p.pamp_per_load * res["pathogen"]
    res["alarm"] = tlr4_occupancy(res["lps"], p)
    return res


def outcome(result: TimeSeries, params: Params | None = None) -> str:
    """``"contained"`` if the load ends below the threshold, else ``"systemic alarm"``.

    Parameters
    ----------
    result : TimeSeries
        A :func:`simulate` result (``pathogen`` is used).
    params : Params, optional
        The parameters of that run.

    Returns
    -------
    str
        ``"contained"`` or ``"systemic alarm"``.
    """
    return "contained" if result["pathogen"][-1] < clearance_threshold(params) else "systemic alarm"
