r"""The relay: LPS on TLR4 switches on IKK, IKK frees NF-κB, NF-κB makes its own inhibitor.

**Receptor and relay.** Blood LPS :math:`L` engages TLR4 with the Hill occupancy of
:mod:`sepsislab.models.sentry`, :math:`\theta = L^n/(EC_{50}^n + L^n)`. The signal then passes
three relay stages — MyD88 with the IRAKs, TAK1, and IKK — each a first-order step with time
constant :math:`\tau` that follows the stage before it:

.. math::

    \tau \frac{ds_1}{dt} = \theta - s_1, \qquad
    \tau \frac{ds_2}{dt} = s_1 - s_2, \qquad
    \tau \frac{ds_3}{dt} = s_2 - s_3, \qquad s_k(0) = 0,

so that, for LPS present from time zero, the IKK stage is
:math:`s_3(t) = \theta\,[1 - e^{-t/\tau}(1 + t/\tau + t^2/2\tau^2)]` and the active IKK
concentration is :math:`[\mathrm{IKK}] = \mathrm{IKK}_b + (\mathrm{IKK}_{max} - \mathrm{IKK}_b)\,s_3`.
This lumped chain is a teaching device (its gain and time constant are illustrative).

**The NF-κB–IκB loop** is the three-variable model of Krishna, Jensen & Sneppen (2006): nuclear
NF-κB :math:`N_n`, IκB mRNA :math:`I_m` and cytoplasmic IκB protein :math:`I`, with total
NF-κB :math:`N_{tot}` conserved,

.. math::

    \frac{dN_n}{dt} &= k_{Nin}\,(N_{tot} - N_n)\,\frac{K_I}{K_I + I}
                      - k_{Iin}\,I\,\frac{N_n}{K_N + N_n} \\
    \frac{dI_m}{dt} &= k_t\,N_n^2 - \gamma_m I_m \\
    \frac{dI}{dt} &= k_{tl}\,I_m - \alpha\,[\mathrm{IKK}]\,(N_{tot} - N_n)\,\frac{I}{K_I + I}

Nuclear NF-κB transcribes the gene of its own inhibitor (:math:`k_t`, the strength of the
negative feedback); IκB carries NF-κB back out of the nucleus; IKK marks IκB for degradation,
which lets NF-κB in again. Under constant IKK the loop gives sustained, spiky oscillations of
nuclear NF-κB (Krishna et al. 2006, Fig. 2); weaker feedback gives damped oscillations that settle
on a high plateau.

**The period is set by the IKK level**, which here comes from the illustrative
:math:`\mathrm{IKK}_{max}`, not from a measurement. The first intervals after LPS are longer than
the settled period: starting from the resting cell, the loop takes several cycles to settle onto
its limit cycle. :func:`settled_period` integrates at the final IKK level until the cycle no
longer changes. With the defaults and 100 pM LPS the settled period is close to the ~100 min that
Nelson et al. (2004) measured between nuclear NF-κB peaks in single TNF-stimulated cells
(a different stimulus and cell type): the agreement is a check of the illustrative IKK level, not
a prediction, and a higher IKK gives much shorter pulses.

Units: concentrations in µM, rates as published per minute; the solver works in hours.

References
----------
Krishna S, Jensen MH, Sneppen K (2006). Minimal model of spiky oscillations in NF-κB signaling.
PNAS 103:10840–10845. Nelson DE, Ihekwaba AEC, Elliott M, et al. (2004). Oscillations in
NF-κB signaling control the dynamics of gene expression. Science 306:704–708. Hoffmann A, Levchenko A, Scott ML, Baltimore D (2002). Science
298:1241–1245. Takeuchi O, Akira S (2010). Cell 140:805–820.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq
from scipy.signal import find_peaks

from ..params import ModelParams, param
from ..validation import check_number
from ._ode import TimeSeries, integrate
from .sentry import tlr4_occupancy

__all__ = ["Params", "simulate", "resting_state", "ikk_activity", "nuclear_peaks", "settled_period",
           "NELSON_PERIOD_MIN"]

K06 = "krishna2006"
PER_MIN = 60.0  # the published rates are per minute; the solver's clock runs in hours
#: Interval between nuclear NF-κB peaks in single TNF-stimulated cells, min (Nelson et al. 2004).
NELSON_PERIOD_MIN = 100.0


@dataclass(frozen=True)
class Params(ModelParams):
    """Krishna et al. (2006) NF-κB–IκB loop and an illustrative TLR4 → IKK relay."""

    k_nin: float = param(5.4, unit="1/min", low=0.01, high=100.0, source=K06, symbol="k_{Nin}",
                         doc="nuclear import of free NF-κB")
    k_iin: float = param(0.018, unit="1/min", low=1e-4, high=1.0, source=K06, symbol="k_{Iin}",
                         doc="IκB entry into the nucleus, taking NF-κB out")
    k_t: float = param(1.03, unit="1/(µM·min)", low=0.01, high=10.0, source=K06, symbol="k_t",
                       doc="IκB transcription by nuclear NF-κB (feedback strength)")
    k_tl: float = param(0.24, unit="1/min", low=0.01, high=10.0, source=K06, symbol="k_{tl}",
                        doc="translation of IκB mRNA")
    K_I: float = param(0.035, unit="µM", low=1e-4, high=10.0, source=K06, symbol="K_I",
                       doc="IκB level that half-blocks NF-κB import")
    K_N: float = param(0.029, unit="µM", low=1e-4, high=10.0, source=K06, symbol="K_N",
                       doc="saturation constant of NF-κB export")
    gamma_m: float = param(0.017, unit="1/min", low=1e-4, high=1.0, source=K06, symbol="\\gamma_m",
                           doc="IκB mRNA decay")
    alpha: float = param(1.05, unit="1/(µM·min)", low=1e-3, high=100.0, source=K06, symbol="\\alpha",
                         doc="IKK-driven degradation of IκB")
    n_tot: float = param(1.0, unit="µM", low=0.01, high=10.0, source=K06, symbol="N_{tot}",
                         doc="total NF-κB (conserved)")
    ikk_max: float = param(0.3, unit="µM", low=0.0, high=5.0, source="illustrative",
                           symbol="\\mathrm{IKK}_{max}",
                           doc="active IKK when TLR4 is fully engaged (chosen for teaching; sets the pulse period)")
    ikk_basal: float = param(0.01, unit="µM", low=1e-4, high=1.0, source="illustrative",
                             symbol="\\mathrm{IKK}_b", doc="active IKK in a resting cell")
    tau_relay: float = param(5.0, unit="min", low=0.1, high=120.0, source="illustrative",
                             symbol="\\tau", doc="time constant of each relay stage")


def _receptor(lps_pm) -> float:
    lps = check_number("lps_pm", lps_pm, unit="pM", low=0, high=1e6)
    return float(tlr4_occupancy(lps))


def ikk_activity(t_h, lps_pm: float, params: Params | None = None):
    """Active IKK at times ``t_h`` after LPS at ``lps_pm`` reaches the cell.

    Parameters
    ----------
    t_h : float or array_like
        Time since LPS reached the cell (h).
    lps_pm : float
        LPS concentration at the cell (pM).
    params : Params, optional
        Model parameters.

    Returns
    -------
    float or ndarray
        Active IKK (µM), elementwise.
    """
    p = params or Params()
    x = np.asarray(t_h, dtype=float) * PER_MIN / p.tau_relay
    s3 = _receptor(lps_pm) * (1.0 - np.exp(-x) * (1.0 + x + 0.5 * x * x))
    return p.ikk_basal + (p.ikk_max - p.ikk_basal) * s3


def _derivatives(p: Params, ikk: float, nn: float, im: float, i: float) -> tuple[float, float, float]:
    """Right-hand side of the Krishna et al. (2006) equations, per minute."""
    free = p.K_I / (p.K_I + i)  # fraction of import not blocked by IκB
    cyto = p.n_tot - nn
    return (p.k_nin * cyto * free - p.k_iin * i * nn / (p.K_N + nn),
            p.k_t * nn * nn - p.gamma_m * im,
            p.k_tl * im - p.alpha * ikk * cyto * i / (p.K_I + i))


def resting_state(params: Params | None = None) -> tuple[float, float, float]:
    """Steady state (N_n, I_m, I) of a cell with basal IKK only.

    Setting the mRNA and IκB equations to zero expresses I_m and I through N_n; the
    remaining NF-κB balance has one root between 0 and the level where IKK can no longer
    keep up with IκB synthesis, found by bracketing.

    Parameters
    ----------
    params : Params, optional
        Model parameters.

    Returns
    -------
    tuple of float
        Nuclear NF-κB N_n, IκBα mRNA I_m and cytoplasmic IκBα I (µM).
    """
    p = params or Params()

    def ikb(nn):  # IκB at which synthesis k_tl I_m balances IKK-driven degradation
        made = p.k_tl * p.k_t * nn * nn / p.gamma_m
        capacity = p.alpha * p.ikk_basal * (p.n_tot - nn)
        return made * p.K_I / (capacity - made)

    def balance(nn):
        return _derivatives(p, p.ikk_basal, nn, 0.0, ikb(nn))[0]

    # The largest N_n for which degradation capacity exceeds synthesis (root of a quadratic).
    a, b, c = p.k_tl * p.k_t / p.gamma_m, p.alpha * p.ikk_basal, -p.alpha * p.ikk_basal * p.n_tot
    n_cap = (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)
    nn = brentq(balance, 1e-12, n_cap * (1 - 1e-9), xtol=1e-14)
    return nn, p.k_t * nn * nn / p.gamma_m, ikb(nn)


def simulate(params: Params | None = None, *, lps_pm: float = 100.0, hours: float = 10.0,
             points: int | None = None) -> TimeSeries:
    """Nuclear NF-κB after a resting cell meets LPS at ``lps_pm`` (held constant).

    Parameters
    ----------
    params : Params, optional
        Model parameters (default: Krishna et al. 2006 and the illustrative relay).
    lps_pm : float
        LPS concentration at the cell, pM (0 to 10⁶).
    hours : float
        Horizon in hours (up to 72).
    points : int, optional
        Number of output times (default: one every 5 minutes).

    Returns
    -------
    TimeSeries
        ``nfkb_nuclear``, ``ikb_mrna``, ``ikb`` and ``ikk`` in µM on ``.time`` in hours.
    """
    p = params or Params()
    hours = check_number("hours", hours, unit="h", low=0, high=72, low_open=True)
    theta = _receptor(lps_pm)
    gain = (p.ikk_max - p.ikk_basal) * theta
    tau_h = p.tau_relay / PER_MIN
    exp = math.exp
    # The widget calls this thousands of times per solve: constants in locals, rates per hour.
    k_nin, k_iin, k_t, k_tl, gamma_m, alpha = (PER_MIN * v for v in (p.k_nin, p.k_iin, p.k_t, p.k_tl,
                                                                    p.gamma_m, p.alpha))
    K_I, K_N, n_tot, ikk_b = p.K_I, p.K_N, p.n_tot, p.ikk_basal

    def rhs(t, y):  # the equations of _derivatives, inlined
        x = t / tau_h
        ikk = ikk_b + gain * (1.0 - exp(-x) * (1.0 + x + 0.5 * x * x))
        nn, im, i = y
        cyto, block = n_tot - nn, 1.0 / (K_I + i)
        return [k_nin * cyto * K_I * block - k_iin * i * nn / (K_N + nn),
                k_t * nn * nn - gamma_m * im,
                k_tl * im - alpha * ikk * cyto * i * block]

    # Tolerances chosen for the widget budget: nuclear NF-κB agrees with an rtol = 1e-10 solve to
    # within 0.001 µM over the slider ranges, at a quarter of the cost.
    res = integrate(rhs, resting_state(p), ["nfkb_nuclear", "ikb_mrna", "ikb"], hours=hours,
                    max_hours=72, points=points or int(round(hours * 12)) + 1, rtol=1e-5, atol=1e-6)
    res["ikk"] = ikk_activity(res.time, lps_pm, p)
    return res


def nuclear_peaks(result: TimeSeries, prominence: float = 0.02) -> dict[str, np.ndarray]:
    """Times and heights of the peaks of nuclear NF-κB, and the troughs between them.

    Parameters
    ----------
    result : TimeSeries
        A :func:`simulate` result (``nfkb_nuclear`` is used).
    prominence : float
        Smallest prominence of a peak (µM).

    Returns
    -------
    dict of ndarray
        ``time`` (h) and ``height`` (µM) of each peak, ``trough`` (µM) between consecutive peaks.
    """
    nn = result["nfkb_nuclear"]
    peaks, _ = find_peaks(nn, prominence=prominence)
    troughs = np.array([nn[a:b].min() for a, b in zip(peaks, peaks[1:])])
    return {"time": result.time[peaks], "height": nn[peaks], "trough": troughs}


def settled_period(params: Params | None = None, *, lps_pm: float = 100.0, hours: float = 60.0) -> float:
    r"""Period (min) of the settled NF-κB cycle under the IKK level that LPS at ``lps_pm`` reaches.

    The relay has settled within minutes, so IKK is held at its final level
    :math:`\mathrm{IKK}_b + (\mathrm{IKK}_{max} - \mathrm{IKK}_b)\,\theta` and the loop is
    integrated from the resting state for ``hours``; the period is the mean interval between the
    peaks of the last quarter of the run, once the slow IκB mRNA has settled.

    Parameters
    ----------
    params : Params, optional
        Model parameters (default: Krishna et al. 2006 and the illustrative relay).
    lps_pm : float
        LPS concentration at the cell, pM (0 to 10⁶).
    hours : float
        How long to integrate, h (24 to 200).

    Returns
    -------
    float
        The period in minutes. Raises ``ValueError`` when the loop does not oscillate
        (fewer than three peaks in the last quarter, e.g. with weak feedback or little LPS).
    """
    p = params or Params()
    hours = check_number("hours", hours, unit="h", low=24, high=200)
    ikk = p.ikk_basal + (p.ikk_max - p.ikk_basal) * _receptor(lps_pm)
    minutes = hours * PER_MIN
    t = np.linspace(0.0, minutes, int(minutes * 2) + 1)
    sol = solve_ivp(lambda _t, y: _derivatives(p, ikk, *y), (0.0, minutes), resting_state(p),
                    t_eval=t, method="LSODA", rtol=1e-9, atol=1e-12)
    nn = sol.y[0]
    tail = t >= 0.75 * minutes
    peaks, _ = find_peaks(nn[tail], prominence=0.02)
    if peaks.size < 3:
        raise ValueError(f"nuclear NF-κB does not oscillate at lps_pm={lps_pm:g} pM with these "
                         "parameters (fewer than three peaks once settled)")
    return float(np.diff(t[tail][peaks]).mean())
