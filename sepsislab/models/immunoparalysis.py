r"""The aftermath: hyperinflammation followed by immunoparalysis (CARS).

The infection engages pattern-recognition receptors with an activation that
wanes as the infection is controlled, :math:`a(t) = S\,e^{-t/\tau_{inf}}`.
Activation switches on, with a lag of hours (:math:`P`, new protein synthesis),
a tolerance programme in monocytes (:math:`M`: IRAK-M, A20, SHIP-1 and
chromatin silencing, lumped) that saturates and fades slowly. It scales down
the monocytes' capacity to make TNF, which is what an *ex vivo* LPS challenge
measures:

.. math::

    \frac{dP}{dt} = \frac{a - P}{\tau_P}, \qquad
    \frac{dM}{dt} = k_{tol}\,P\left(1 - \frac{M}{M_{max}}\right) - \frac{M}{\tau_M}, \qquad
    c = \frac{1}{1 + M}

Hyperinflammation is the activation passed through that capacity,
:math:`H = a\,c`, so it burns out on its own; deactivated monocytes lose HLA-DR
(:math:`D`, percent of monocytes HLA-DR-positive); lymphocytes (:math:`L`) die by
apoptosis while the infection drives stress hormones and cytokines and are
replaced slowly; T cells become exhausted, expressing PD-1 (:math:`E`,
fraction of T cells):

.. math::

    \frac{dD}{dt} = \frac{D_{min} + (D_0 - D_{min})\,c - D}{\tau_D}, \qquad
    \frac{dL}{dt} = \frac{L_0 - L}{\tau_L} - k_{apo}\,a\,L, \qquad
    \frac{dE}{dt} = k_{ex}\,a\,(1 - E) - \frac{E - E_0}{\tau_E}

The hazard of a secondary, hospital-acquired infection rises as immune
competence :math:`q` (the geometric mean of what is left of the three arms) falls;
the cumulative risk is :math:`1 - e^{-\Lambda}`:

.. math::

    q = \left(\frac{D}{D_0}\,\frac{L}{L_0}\,\frac{1 - E}{1 - E_0}\right)^{1/3}, \qquad
    \frac{d\Lambda}{dt} = h_0\,\bigl(1 + \beta\,(1 - q)\bigr)

An LPS challenge (:func:`lps_rechallenge`) is a short, strong activation
:math:`a(t) = A_{LPS}\,e^{-t/\tau_a}` (hours) acting on the same tolerance programme;
TNF follows :math:`dX/dt = (a\,c - X)/\tau_{TNF}` and its peak is compared
between a first and a second challenge.

References
----------
Hotchkiss RS, Monneret G, Payen D (2013) Nat Rev Immunol 13:862–874. Döcke WD et
al. (1997) Nat Med 3:678–681. Monneret G et al. (2006) Intensive Care Med
32:1175–1183. Boomer JS et al. (2011) JAMA 306:2594–2605. van Vught LA et al.
(2016) JAMA 315:1469–1479.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..params import ModelParams, param
from ..validation import check_number
from ._ode import TimeSeries, integrate

__all__ = ["Params", "simulate", "lps_rechallenge", "tnf_capacity", "HLA_DR_IMMUNOPARALYSIS"]

#: Percent HLA-DR-positive monocytes below which a patient is called immunoparalysed
#: (Döcke et al. 1997; a value < 30 % at day 3–4 predicted death in Monneret et al. 2006).
HLA_DR_IMMUNOPARALYSIS = 30.0

ILL = "illustrative"
LN2 = np.log(2.0)
#: Hours over which one LPS challenge is followed; its signal is then < 0.3 % of the peak (τ_a ≤ 2 h).
CHALLENGE_WINDOW_H = 12.0


@dataclass(frozen=True)
class Params(ModelParams):
    """Parameters of the two-phase immune course (time in days unless a unit says hours)."""

    severity: float = param(0.3, unit="1", low=0.0, high=1.0, source=ILL, symbol="S",
                            doc="initial receptor activation by the infection (1 = saturating)")
    infection_days: float = param(2.0, unit="d", low=0.1, high=20.0, source=ILL, symbol="\\tau_{inf}",
                                  doc="time constant with which the infection is brought under control")
    k_tol: float = param(10.0, unit="1/d", low=0.0, high=500.0, source=ILL, symbol="k_{tol}",
                         doc="induction of monocyte tolerance per unit activation")
    m_max: float = param(20.0, unit="1", low=0.1, high=100.0, source=ILL, symbol="M_{max}",
                         doc="largest tolerance state (saturation of the programme)")
    tol_half_life_d: float = param(3.8, unit="d", low=0.2, high=30.0, source=ILL, symbol="t_{1/2,M}",
                                   doc="half-life with which tolerance fades")
    tau_p_h: float = param(6.0, unit="h", low=0.1, high=48.0, source=ILL, symbol="\\tau_P",
                           doc="lag with which the tolerance programme is switched on")
    hla_dr_0: float = param(90.0, unit="% of monocytes", low=30.0, high=100.0, source=ILL, symbol="D_0",
                            doc="HLA-DR-positive monocytes in health (most monocytes express it)")
    hla_dr_min: float = param(5.0, unit="% of monocytes", low=0.0, high=30.0, source=ILL,
                              symbol="D_{min}", doc="floor of HLA-DR-positive monocytes")
    tau_d_d: float = param(0.5, unit="d", low=0.1, high=10.0, source=ILL, symbol="\\tau_D",
                           doc="time constant of monocyte HLA-DR expression")
    lymph_0: float = param(2.0, unit="10⁹/L", low=0.5, high=5.0, source="normal range 1–4",
                           symbol="L_0", doc="absolute lymphocyte count in health")
    tau_l_d: float = param(7.0, unit="d", low=0.5, high=60.0, source=ILL, symbol="\\tau_L",
                           doc="time constant of lymphocyte replacement")
    k_apo: float = param(4.0, unit="1/d", low=0.0, high=50.0, source=ILL, symbol="k_{apo}",
                         doc="lymphocyte apoptosis per unit activation")
    pd1_0: float = param(0.05, unit="fraction", low=0.0, high=0.5, source=ILL, symbol="E_0",
                         doc="PD-1-high (exhausted) T cells in health")
    k_ex: float = param(1.0, unit="1/d", low=0.0, high=20.0, source=ILL, symbol="k_{ex}",
                        doc="exhaustion of T cells per unit activation")
    tau_e_d: float = param(10.0, unit="d", low=0.5, high=60.0, source=ILL, symbol="\\tau_E",
                           doc="time constant of recovery from exhaustion")
    hazard_0: float = param(0.0005, unit="1/d", low=0.0, high=0.2, source=ILL, symbol="h_0",
                            doc="hazard of a secondary infection with intact immunity")
    hazard_gain: float = param(35.0, unit="1", low=0.0, high=100.0, source=ILL, symbol="\\beta",
                               doc="rise of that hazard when immune competence is lost")
    lps_activation: float = param(8.0, unit="1", low=0.1, high=100.0, source=ILL, symbol="A_{LPS}",
                                  doc="peak activation by an LPS bolus (brief, but stronger than an infection)")
    lps_tau_h: float = param(1.5, unit="h", low=0.1, high=2.0, source=ILL, symbol="\\tau_a",
                             doc="duration of the receptor signal after an LPS bolus")
    tnf_tau_h: float = param(0.5, unit="h", low=0.05, high=2.0, source=ILL, symbol="\\tau_{TNF}",
                             doc="lifetime of circulating TNF")


def tnf_capacity(tolerance):
    """Monocyte capacity to make TNF at tolerance state ``tolerance``: c = 1/(1 + M).

    Parameters
    ----------
    tolerance : float or array_like
        Tolerance state M (dimensionless, ≥ 0).

    Returns
    -------
    float or ndarray
        Capacity c (1 = normal, fraction 0–1), elementwise.
    """
    m = np.asarray(tolerance, dtype=float)
    if np.any(~np.isfinite(m)) or np.any(m < 0):
        raise ValueError(f"tolerance must be finite and ≥ 0 (dimensionless), got {tolerance!r}")
    return 1.0 / (1.0 + m)


def simulate(params: Params | None = None, *, days: float = 28.0) -> TimeSeries:
    """The immune course of a septic episode, day by day.

    Parameters
    ----------
    params : Params, optional
        Model parameters (default: a moderate septic episode controlled in a few days).
    days : float
        Horizon in days (0–60).

    Returns
    -------
    TimeSeries
        ``activation`` (receptor activation, 0–1), ``hyperinflammation`` (relative),
        ``tolerance`` (M), ``tnf_capacity`` (fraction of normal), ``hla_dr`` (% of monocytes),
        ``lymphocytes`` (10⁹/L), ``pd1`` (fraction of T cells exhausted) and
        ``infection_risk`` (cumulative probability of a secondary infection), on ``.time`` in days.
    """
    p = params or Params()
    days = check_number("days", days, unit="d", low=0, high=60, low_open=True)
    tau_m, tau_p = p.tol_half_life_d / LN2, p.tau_p_h / 24.0

    def rhs(t, y):
        P, M, D, L, E, _cum = y
        a = p.severity * np.exp(-t / p.infection_days)
        c = 1.0 / (1.0 + M)
        competence = np.cbrt((D / p.hla_dr_0) * (L / p.lymph_0) * (1 - E) / (1 - p.pd1_0))
        return [
            (a - P) / tau_p,
            p.k_tol * P * (1 - M / p.m_max) - M / tau_m,
            (p.hla_dr_min + (p.hla_dr_0 - p.hla_dr_min) * c - D) / p.tau_d_d,
            (p.lymph_0 - L) / p.tau_l_d - p.k_apo * a * L,
            p.k_ex * a * (1 - E) - (E - p.pd1_0) / p.tau_e_d,
            p.hazard_0 * (1 + p.hazard_gain * (1 - competence)),
        ]

    y0 = [0.0, 0.0, p.hla_dr_0, p.lymph_0, p.pd1_0, 0.0]
    names = ["programme", "tolerance", "hla_dr", "lymphocytes", "pd1", "cumulative_hazard"]
    res = integrate(rhs, y0, names, hours=days, max_hours=60, time_unit="d",
                    points=int(days * 4) + 1, max_step=0.25)
    del res["programme"]
    res["activation"] = p.severity * np.exp(-res.time / p.infection_days)
    res["tnf_capacity"] = tnf_capacity(res["tolerance"])
    res["hyperinflammation"] = res["activation"] * res["tnf_capacity"]
    res["infection_risk"] = 1.0 - np.exp(-res.pop("cumulative_hazard"))
    return res


def _challenge_peaks(m0: np.ndarray, prog0: np.ndarray, p: Params, hours: float):
    """One LPS challenge for every starting state (tolerance ``m0``, programme ``prog0``).

    Returns the TNF peak, and the tolerance and programme left after ``hours``. All
    starting states share the same signal, so they are integrated together in one solve.
    """
    n = m0.size
    k_tol_h, tau_m_h = p.k_tol / 24.0, p.tol_half_life_d / LN2 * 24.0

    def rhs(t, y):
        x, prog, m = y[:n], y[n:2 * n], y[2 * n:]
        a = p.lps_activation * np.exp(-t / p.lps_tau_h)
        return np.concatenate([(a / (1 + m) - x) / p.tnf_tau_h,
                               (a - prog) / p.tau_p_h,
                               k_tol_h * prog * (1 - m / p.m_max) - m / tau_m_h])

    names = [f"{s}{i}" for s in ("tnf", "prog", "m") for i in range(n)]
    res = integrate(rhs, np.concatenate([np.zeros(n), prog0, m0]), names, hours=hours,
                    points=int(hours * 20) + 1)
    last = res.final()
    return (np.array([res[f"tnf{i}"].max() for i in range(n)]),
            np.array([last[f"m{i}"] for i in range(n)]), np.array([last[f"prog{i}"] for i in range(n)]))


@lru_cache(maxsize=64)
def _first_challenge(p: Params):
    """The naive first challenge, then the programme and tolerance fading without signal.

    Returns the first TNF peak and a function of the gap (days) giving the state
    (programme, tolerance) at which the second challenge finds the monocytes.
    Cached: it is the same for every gap.
    """
    peak, m_w, prog_w = _challenge_peaks(np.zeros(1), np.zeros(1), p, CHALLENGE_WINDOW_H)
    tau_m, tau_p = p.tol_half_life_d / LN2, p.tau_p_h / 24.0
    w = CHALLENGE_WINDOW_H / 24.0

    def rhs(_t, y):  # days; the LPS signal is spent (< 0.3 % of its peak) after the window
        prog, m = y
        return [-prog / tau_p, p.k_tol * prog * (1 - m / p.m_max) - m / tau_m]

    fade = integrate(rhs, [prog_w[0], m_w[0]], ["prog", "m"], hours=60.0 - w, max_hours=60,
                     time_unit="d", points=1201)

    def state_at(gaps_d: np.ndarray):
        since = gaps_d - w
        return np.interp(since, fade.time, fade["prog"]), np.interp(since, fade.time, fade["m"])

    return peak[0], state_at


def lps_rechallenge(days_after_first, params: Params | None = None):
    """Endotoxin tolerance: TNF peak after a second LPS challenge relative to the first.

    The first challenge starts from a naive state (no tolerance). Between the two
    challenges the tolerance it induced fades with half-life ``tol_half_life_d``.

    Parameters
    ----------
    days_after_first : float or array
        Days between the two challenges, 0.5 to 60.
    params : Params, optional
        Model parameters.

    Returns
    -------
    float or ndarray
        Ratio of the TNF peaks (second/first): < 1 while tolerant, → 1 as tolerance fades.

    References
    ----------
    Tolerance as the monocyte deactivation of sepsis: Döcke et al. 1997; Hotchkiss et al. 2013.
    """
    p = params or Params()
    scalar = np.ndim(days_after_first) == 0
    gaps = np.atleast_1d(np.asarray(days_after_first, dtype=object))
    gaps = np.array([check_number("days_after_first", g, unit="d", low=CHALLENGE_WINDOW_H / 24, high=60)
                     for g in gaps.ravel()])
    first_peak, state_at = _first_challenge(p)
    prog0, m0 = state_at(gaps)
    # The TNF peak comes before 2·max(τ_a, τ_TNF), so the second challenge is followed for 4·max(τ).
    second_peak, _, _ = _challenge_peaks(m0, prog0, p, hours=4 * max(p.lps_tau_h, p.tnf_tau_h))
    ratio = second_peak / first_peak
    return float(ratio[0]) if scalar else ratio
