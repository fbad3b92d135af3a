r"""Microcirculatory chaos: flow heterogeneity, plugged capillaries and the oxygen extraction left.

A tissue is served by :math:`N` parallel capillaries. Relative flows :math:`q_j`
(mean 1 over all capillaries) follow a log-normal distribution whose coefficient
of variation :math:`h` is the flow heterogeneity. Healthy endothelium senses shear
through the glycocalyx and makes NO via eNOS, dilating the feed of under-perfused
capillaries, which keeps :math:`h` low; as shear-sensing :math:`e` (1 = intact, 0 = lost)
fails, :math:`h` grows:

.. math::

    h = h_{healthy} + (1 - e)\,(h_{lost} - h_{healthy})

Adherent leukocytes plug a fraction :math:`p` of capillaries, chosen regardless of
their flow; the same total flow is then shared by the open ones
(:math:`q_j \to q_j/(1-p)`).

Oxygen leaves each capillary as in the Renkin–Crone model: the fraction a capillary
can extract falls with its flow, :math:`E_j = 1 - e^{-D/q_j}`, where :math:`D` is the
ratio of diffusing capacity to flow at the mean flow. The network's maximal
extraction is the flow-weighted mean, so fast capillaries, which extract least but
carry most of the blood, dominate it (functional shunting):

.. math::

    E_{max} = \frac{\sum_j q_j \left(1 - e^{-D/q_j}\right)}{\sum_j q_j}

A capillary with :math:`q_j < q_{stop}` counts as stopped and one with
:math:`q_j > q_{flood}` as flooded; the functional capillary density is the fraction
of capillaries with flow at least :math:`q_{stop}` (and not plugged).

References
----------
Crone C (1963) Acta Physiol Scand 58:292–305 (extraction vs flow).
Walley KR (1996) J Appl Physiol 81:885–894 (heterogeneity impairs extraction).
De Backer D et al. (2002) Am J Respir Crit Care Med 166:98–104; Ince C (2005) Crit Care 9(Suppl 4):S13
(microcirculatory alterations in sepsis).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from ..params import ModelParams, param
from ..validation import check_fraction, check_number

__all__ = ["Params", "heterogeneity", "capillary_flows", "max_extraction", "network", "N_CAPILLARIES"]

ILL = "illustrative"

#: Capillaries in the model network (quantiles of the flow distribution, so results are smooth).
N_CAPILLARIES = 400


@dataclass(frozen=True)
class Params(ModelParams):
    """Capillary network: heterogeneity limits, diffusion and what counts as stopped or flooded."""

    diffusion: float = param(1.4, unit="1", low=0.1, high=10.0, source=ILL, symbol="D",
                             doc="diffusing capacity / flow at mean flow "
                                 "(homogeneous E_max = 1 − e^{−D} ≈ 0.75)")
    h_healthy: float = param(0.4, unit="1", low=0.0, high=3.0, source=ILL, symbol="h_{healthy}",
                             doc="flow heterogeneity (coefficient of variation) with shear-sensing intact")
    h_lost: float = param(2.5, unit="1", low=0.0, high=3.0, source=ILL, symbol="h_{lost}",
                          doc="flow heterogeneity with shear-sensing lost")
    q_stop: float = param(0.2, unit="× mean flow", low=0.0, high=1.0, source=ILL, symbol="q_{stop}",
                          doc="flow below which a capillary counts as stopped (no or intermittent flow)")
    q_flood: float = param(2.0, unit="× mean flow", low=1.0, high=10.0, source=ILL, symbol="q_{flood}",
                           doc="flow above which a capillary counts as flooded")


def _check_h(value) -> float:
    return check_number("heterogeneity", value, unit="coefficient of variation", low=0, high=3)


def _check_plugged(value) -> float:
    return check_fraction("plugged_fraction", value, high=0.9, what="fraction of capillaries plugged")


def heterogeneity(shear_sensing: float, params: Params | None = None) -> float:
    """Flow heterogeneity h at a level of eNOS shear-sensing, interpolated between healthy and lost.

    Parameters
    ----------
    shear_sensing : float
        eNOS shear-sensing left, a fraction: 0 (lost) to 1 (intact).
    params : Params, optional
        Network parameters (``h_healthy``, ``h_lost``).

    Returns
    -------
    float
        Coefficient of variation of capillary flow (dimensionless).
    """
    p = params or Params()
    e = check_fraction("shear_sensing", shear_sensing, what="fraction of eNOS shear-sensing left")
    return p.h_healthy + (1.0 - e) * (p.h_lost - p.h_healthy)


def _lognormal_quantiles(n: int, h: float) -> np.ndarray:
    """n flows sampled evenly (by quantile) from a log-normal with coefficient of variation h."""
    s = np.sqrt(np.log1p(h * h))
    return np.exp(s * ndtri((np.arange(n) + 0.5) / n))


def capillary_flows(heterogeneity: float = 0.4, plugged_fraction: float = 0.0) -> np.ndarray:
    """Relative flow of each of the N capillaries, open ones first in rising order, then the plugged ones.

    Plugging ignores flow: the open capillaries keep the same log-normal spread (sampled evenly by
    quantile), and carry the whole flow between them, so each gets 1/(1 − p) more on average.

    Parameters
    ----------
    heterogeneity : float
        Coefficient of variation of capillary flow, 0 to 3 (healthy ≈ 0.4).
    plugged_fraction : float
        Fraction of capillaries plugged by adherent leukocytes, 0 to 0.9.

    Returns
    -------
    ndarray
        :data:`N_CAPILLARIES` flows relative to the mean over all capillaries (mean 1; 0 for the
        plugged ones).
    """
    h = _check_h(heterogeneity)
    p = _check_plugged(plugged_fraction)
    n_open = N_CAPILLARIES - int(round(p * N_CAPILLARIES))
    q = _lognormal_quantiles(n_open, h)
    q *= N_CAPILLARIES / q.sum()
    return np.concatenate([q, np.zeros(N_CAPILLARIES - n_open)])


def max_extraction(heterogeneity: float = 0.4, plugged_fraction: float = 0.0,
                   params: Params | None = None) -> float:
    """The largest fraction (0–1) of delivered oxygen the capillary network can extract.

    Parameters
    ----------
    heterogeneity : float
        Coefficient of variation of capillary flow, 0 (all equal) to 3; healthy ≈ 0.4
        (see :func:`heterogeneity` to get it from eNOS shear-sensing).
    plugged_fraction : float
        Fraction of capillaries plugged by adherent leukocytes, 0 to 0.9.
    params : Params, optional
        Model parameters (the published defaults when omitted).

    Returns
    -------
    float
        E_max. Divide oxygen consumption by it for the critical oxygen delivery:
        DO₂,crit = VO₂ / E_max.

    Examples
    --------
    >>> round(max_extraction(0.0), 3)          # homogeneous network: 1 − e^{−D}
    0.753
    >>> max_extraction(2.0, 0.3) < max_extraction(0.4)
    True
    """
    p = params or Params()
    q = capillary_flows(heterogeneity, plugged_fraction)
    open_ = q > 0
    extracted = q[open_] * -np.expm1(-p.diffusion / q[open_])
    return float(extracted.sum() / q.sum())


def network(shear_sensing: float = 1.0, plugged_fraction: float = 0.0, params: Params | None = None) -> dict:
    """Summary of the network at a level of eNOS shear-sensing and leukocyte plugging.

    Parameters
    ----------
    shear_sensing : float
        eNOS shear-sensing left, a fraction: 0 (lost) to 1 (intact).
    plugged_fraction : float
        Fraction of capillaries plugged by adherent leukocytes, 0 to 0.9.
    params : Params, optional
        Network parameters.

    Returns
    -------
    dict
        ``heterogeneity`` (CV), ``flows`` (relative, per capillary), ``stopped``, ``sluggish``
        (q_stop to 0.5), ``normal`` (0.5 to q_flood), ``flooded`` and ``plugged`` (fractions of
        capillaries), ``functional_density`` (fraction perfused) and ``max_extraction`` (0–1).
    """
    p = params or Params()
    h = heterogeneity(shear_sensing, p)
    plug = _check_plugged(plugged_fraction)
    q = capillary_flows(h, plug)
    plugged = float(np.mean(q == 0))
    stopped = float(np.mean((q > 0) & (q < p.q_stop)))
    sluggish = float(np.mean((q >= p.q_stop) & (q < 0.5)))
    normal = float(np.mean((q >= 0.5) & (q <= p.q_flood)))  # counted, not 1 − the rest (round-off < 0)
    flooded = float(np.mean(q > p.q_flood))
    return dict(heterogeneity=h, flows=q, plugged=plugged, stopped=stopped, sluggish=sluggish,
                normal=normal, flooded=flooded,
                functional_density=1.0 - plugged - stopped,
                max_extraction=max_extraction(h, plug, p))
