r"""The leaky barrier: the revised Starling principle, oedema and the fate of a fluid bolus.

Fluid leaves the capillaries by the revised Starling equation (Levick & Michel
2010): the oncotic pressure that holds water in is the difference between plasma
(:math:`\pi_p`) and the protein-poor space just beneath the endothelial glycocalyx
(:math:`\pi_g`), not the bulk interstitium:

.. math::

    J_v = K_f\left[(P_c - P_i) - \sigma(\pi_p - \pi_g)\right]

Sustained absorption does not happen in most tissues (when filtration stops,
:math:`\pi_g` rises until the gradient vanishes), so the steady-state flux is
:math:`\max(J_v, 0)`: the "no-absorption rule".

The glycocalyx integrity :math:`\theta` (1 = intact, 0 = shed) moves the barrier
properties linearly between their intact and shed values (:math:`x = \sigma, K_f, \pi_g`):

.. math::

    x(\theta) = x_{shed} + \theta\,(x_{intact} - x_{shed})

Whole body, two compartments, plasma :math:`V_p` and interstitial fluid
:math:`V_i`; filtrate returns to the plasma as lymph :math:`L`:

.. math::

    \frac{dV_p}{dt} = -\max(J_v, 0) + L, \qquad \frac{dV_i}{dt} = \max(J_v, 0) - L

    P_c = P_{c0} + \frac{V_p - V_{p0}}{C_c}, \qquad \pi_p = \pi_{p0}\frac{V_{p0}}{V_p}, \qquad
    L = \min\!\left(\max\left(L_0 + k_L (P_i - P_{i0}), 0\right),\; L_{max}\right)

Interstitial pressure rises steeply while it is negative and hardly at all once it
is positive, which is why oedema, once started, accumulates:

.. math::

    P_i = \begin{cases} P_{i0} + \dfrac{V_i - V_{i0}}{C_{i,low}} & \text{while } P_i < 0 \\[1ex]
    \dfrac{V_i - V_{i0} + P_{i0} C_{i,low}}{C_{i,high}} & \text{once } P_i \geq 0 \end{cases}

 :math:`L_0` is the filtration of the healthy steady state, so
a healthy body is in balance.

A crystalloid bolus :math:`V_b` given at :math:`t = 0` adds to :math:`V_p`. The fraction
still intravascular is measured against the same body without the bolus:

.. math::

    f(t) = \frac{V_p^{bolus}(t) - V_p^{no\,bolus}(t)}{V_b}

References
----------
Levick JR, Michel CC (2010). Microvascular fluid exchange and the revised Starling principle.
Cardiovasc Res 87:198–210.
Woodcock TE, Woodcock TM (2012). Revised Starling equation and the glycocalyx model of
transvascular fluid exchange. Br J Anaesth 108:384–394.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..clinical import starling_filtration, starling_flux_unchecked
from ..params import ModelParams, param
from ..validation import check_bool, check_fraction, check_number
from ._ode import TimeSeries, integrate

__all__ = ["Params", "barrier_properties", "filtration", "simulate", "retention_curve",
           "bolus_retention"]

ILL = "illustrative"


@dataclass(frozen=True)
class Params(ModelParams):
    """Whole-body fluid exchange: revised Starling barrier, plasma and interstitium."""

    sigma_intact: float = param(0.9, unit="1", low=0.0, high=1.0, source=ILL, symbol="\\sigma_{intact}",
                                doc="reflection coefficient to plasma proteins, glycocalyx intact")
    sigma_shed: float = param(0.6, unit="1", low=0.0, high=1.0, source=ILL, symbol="\\sigma_{shed}",
                              doc="reflection coefficient, glycocalyx shed")
    kf_intact: float = param(2.0, unit="mL/min/mmHg", low=0.1, high=50.0, source=ILL,
                             symbol="K_{f,intact}", doc="whole-body filtration coefficient, intact")
    kf_shed: float = param(4.0, unit="mL/min/mmHg", low=0.1, high=50.0, source=ILL,
                           symbol="K_{f,shed}", doc="whole-body filtration coefficient, shed")
    pi_g_intact: float = param(4.0, unit="mmHg", low=0.0, high=30.0, source=ILL, symbol="\\pi_{g,intact}",
                               doc="oncotic pressure under an intact glycocalyx (protein-poor filtrate)")
    pi_g_shed: float = param(10.0, unit="mmHg", low=0.0, high=30.0, source=ILL, symbol="\\pi_{g,shed}",
                             doc="oncotic pressure facing plasma once the glycocalyx is gone "
                                 "(bulk interstitium)")
    pi_p0: float = param(25.0, unit="mmHg", low=5.0, high=40.0, source="klabunde2021", symbol="\\pi_{p0}",
                         doc="plasma oncotic pressure")
    pc0: float = param(20.0, unit="mmHg", low=5.0, high=50.0, source=ILL, symbol="P_{c0}",
                       doc="mean capillary pressure before any fluid")
    pi0: float = param(-1.0, unit="mmHg", low=-10.0, high=5.0, source=ILL, symbol="P_{i0}",
                       doc="interstitial pressure at rest (slightly subatmospheric)")
    vp0: float = param(3000.0, unit="mL", low=1000.0, high=6000.0, source=ILL, symbol="V_{p0}",
                       doc="plasma volume at rest")
    vi0: float = param(12000.0, unit="mL", low=3000.0, high=30000.0, source=ILL, symbol="V_{i0}",
                       doc="interstitial fluid volume at rest")
    c_cap: float = param(140.0, unit="mL/mmHg", low=20.0, high=500.0, source=ILL, symbol="C_c",
                         doc="plasma volume that raises capillary pressure by 1 mmHg")
    ci_low: float = param(600.0, unit="mL/mmHg", low=50.0, high=5000.0, source=ILL, symbol="C_{i,low}",
                          doc="interstitial compliance while interstitial pressure is negative")
    ci_high: float = param(3000.0, unit="mL/mmHg", low=100.0, high=50000.0, source=ILL,
                           symbol="C_{i,high}", doc="interstitial compliance once it is positive (oedema)")
    k_lymph: float = param(5.0, unit="mL/min/mmHg", low=0.0, high=100.0, source=ILL, symbol="k_L",
                           doc="rise of lymph flow with interstitial pressure")
    lymph_max: float = param(40.0, unit="mL/min", low=1.0, high=200.0, source=ILL, symbol="L_{max}",
                             doc="largest lymph flow (about ten times resting)")

    @property
    def lymph0(self) -> float:
        """Resting lymph flow L₀ (mL/min): the filtration of the healthy steady state."""
        return max(starling_flux_unchecked(self.kf_intact, self.pc0, self.pi0, self.sigma_intact,
                                           self.pi_p0, self.pi_g_intact), 0.0)


def barrier_properties(glycocalyx_integrity: float, params: Params | None = None) -> dict:
    """Barrier properties at a glycocalyx integrity, interpolated between shed and intact.

    Parameters
    ----------
    glycocalyx_integrity : float
        1 = intact glycocalyx, 0 = fully shed.
    params : Params, optional
        Barrier parameters (the defaults when omitted).

    Returns
    -------
    dict
        ``sigma`` (reflection coefficient, 0–1), ``kf`` (filtration coefficient, mL/min/mmHg) and
        ``pi_g`` (sub-glycocalyx oncotic pressure, mmHg).
    """
    return _properties(_integrity(glycocalyx_integrity), params or Params())


def _integrity(glycocalyx_integrity: float) -> float:
    return check_fraction("glycocalyx_integrity", glycocalyx_integrity,
                          what="glycocalyx integrity (1 = intact, 0 = shed)")


def _properties(g: float, p: Params) -> dict:
    """:func:`barrier_properties` for an integrity already checked."""
    return {k: getattr(p, f"{k}_shed") + g * (getattr(p, f"{k}_intact") - getattr(p, f"{k}_shed"))
            for k in ("sigma", "kf", "pi_g")}


def filtration(glycocalyx_integrity: float, capillary_pressure: float | None = None, *,
               plasma_oncotic: float | None = None, interstitial_pressure: float | None = None,
               steady: bool = True, params: Params | None = None) -> float:
    """Whole-body filtration J_v (mL/min) across the barrier.

    With ``steady=True`` the no-absorption rule applies (J_v ≥ 0); ``steady=False`` gives the raw
    Starling value, whose negative part is absorption that lasts only minutes.

    Parameters
    ----------
    glycocalyx_integrity : float
        1 = intact glycocalyx, 0 = fully shed.
    capillary_pressure : float, optional
        Capillary pressure, 0–100 mmHg (the resting ``pc0`` when omitted).
    plasma_oncotic : float, optional
        Plasma oncotic pressure, 0–60 mmHg (the resting ``pi_p0`` when omitted).
    interstitial_pressure : float, optional
        Interstitial pressure, −20 to 50 mmHg (the resting ``pi0`` when omitted).
    steady : bool
        Apply the no-absorption rule of the steady state.
    params : Params, optional
        Barrier parameters.

    Returns
    -------
    float
        Filtration (mL/min; positive = out of the vessels).
    """
    p = params or Params()
    b = barrier_properties(glycocalyx_integrity, p)
    jv = starling_filtration(b["kf"], p.pc0 if capillary_pressure is None else capillary_pressure,
                             p.pi0 if interstitial_pressure is None else interstitial_pressure,
                             b["sigma"], p.pi_p0 if plasma_oncotic is None else plasma_oncotic, b["pi_g"])
    return max(jv, 0.0) if check_bool("steady", steady) else jv


def interstitial_pressure(extra: float, p: Params) -> float:
    """P_i from the interstitial volume gained: stiff below 0 mmHg, floppy above.

    Parameters
    ----------
    extra : float
        Interstitial volume gained over the resting volume (mL; negative when lost).
    p : Params
        Barrier parameters (compliances ``ci_low``, ``ci_high`` and resting pressure ``pi0``).

    Returns
    -------
    float
        Interstitial pressure (mmHg).
    """
    to_zero = -p.pi0 * p.ci_low                      # volume that brings P_i up to 0 mmHg
    if isinstance(extra, np.ndarray):                # a whole cohort at once
        return np.where(extra < to_zero, p.pi0 + extra / p.ci_low, (extra - to_zero) / p.ci_high)
    return p.pi0 + extra / p.ci_low if extra < to_zero else (extra - to_zero) / p.ci_high


def _model(p: Params, b: dict):
    """State (V_p, V_i) → pressures, flows and the right-hand side; plain floats, as the ODE
    solver calls it a few hundred times per run."""
    l0 = p.lymph0

    def flows(vp: float, vi: float):
        pc = min(max(p.pc0 + (vp - p.vp0) / p.c_cap, 0.0), 100.0)
        pi = min(max(interstitial_pressure(vi - p.vi0, p), -20.0), 50.0)
        pi_p = min(p.pi_p0 * p.vp0 / max(vp, 1.0), 60.0)          # proteins stay, water dilutes
        jv = max(starling_flux_unchecked(b["kf"], pc, pi, b["sigma"], pi_p, b["pi_g"]), 0.0)
        lymph = min(max(l0 + p.k_lymph * (pi - p.pi0), 0.0), p.lymph_max)
        return pc, pi, jv, lymph

    def rhs(_t, y):
        _, _, jv, lymph = flows(float(y[0]), float(y[1]))
        return [lymph - jv, jv - lymph]

    return flows, rhs


def _volumes(p: Params, b: dict, bolus: float, minutes: float) -> TimeSeries:
    # The kinks (no-absorption rule, lymph ceiling) are handled by LSODA; 0.1 mL tolerance.
    res = integrate(_model(p, b)[1], [p.vp0 + bolus, p.vi0], ["plasma_volume", "interstitial_volume"],
                    hours=minutes, max_hours=1440, time_unit="min",
                    points=max(int(min(minutes, 360) / 2), 50) + 1, rtol=1e-5, atol=0.1)
    res["oedema"] = res.interstitial_volume - p.vi0
    return res


def simulate(params: Params | None = None, *, glycocalyx_integrity: float = 1.0, bolus_ml: float = 0.0,
             minutes: float = 180.0) -> TimeSeries:
    """Plasma and interstitial fluid after a bolus given at time 0 (minutes).

    Parameters
    ----------
    glycocalyx_integrity : float
        1 = intact, 0 = shed.
    bolus_ml : float
        Crystalloid given at time 0, 0–5000 mL.
    minutes : float
        Horizon, up to 1440 min.
    params : Params, optional
        Model parameters (the published defaults when omitted).

    Returns
    -------
    TimeSeries
        ``plasma_volume``, ``interstitial_volume`` and ``oedema`` (interstitial volume gained) in
        mL, ``filtration`` and ``lymph`` in mL/min, ``capillary_pressure`` and
        ``interstitial_pressure`` in mmHg, on ``.time`` in minutes.
    """
    p = params or Params()
    b = barrier_properties(glycocalyx_integrity, p)
    bolus = check_number("bolus_ml", bolus_ml, unit="mL", low=0, high=5000)
    res = _volumes(p, b, bolus, minutes)
    flows = _model(p, b)[0]
    table = np.array([flows(vp, vi) for vp, vi in zip(res.plasma_volume.tolist(),
                                                      res.interstitial_volume.tolist())])
    for i, key in enumerate(("capillary_pressure", "interstitial_pressure", "filtration", "lymph")):
        res[key] = table[:, i]
    return res


def retention_curve(glycocalyx_integrity: float, volume_ml: float, minutes: float = 180.0,
                    params: Params | None = None) -> TimeSeries:
    """Fraction of a bolus still intravascular over time, with both runs it compares.

    Parameters
    ----------
    glycocalyx_integrity : float
        1 = intact glycocalyx, 0 = fully shed.
    volume_ml : float
        Bolus volume, more than 0 and up to 5000 mL.
    minutes : float
        Horizon, up to 1440 min.
    params : Params, optional
        Barrier parameters.

    Returns
    -------
    TimeSeries
        ``retained`` (fraction 0–1), ``oedema`` and ``oedema_without_bolus`` (mL), on
        ``.time`` in minutes.
    """
    p = params or Params()
    return _retention(p, _properties(_integrity(glycocalyx_integrity), p), _bolus_volume(volume_ml), minutes)


def _bolus_volume(volume_ml: float) -> float:
    return check_number("volume_ml", volume_ml, unit="mL", low=0, high=5000, low_open=True)


def _retention(p: Params, b: dict, volume: float, minutes: float) -> TimeSeries:
    """:func:`retention_curve` for arguments already checked."""
    with_bolus = _volumes(p, b, volume, minutes)
    without = _volumes(p, b, 0.0, minutes)
    retained = np.clip((with_bolus.plasma_volume - without.plasma_volume) / volume, 0.0, 1.0)
    return TimeSeries(with_bolus.time, dict(retained=retained, oedema=with_bolus.oedema,
                                            oedema_without_bolus=without.oedema), "min")


def bolus_retention(glycocalyx_integrity: float, volume_ml: float, minutes: float,
                    params: Params | None = None) -> float:
    """Fraction (0–1) of a crystalloid bolus still in the plasma ``minutes`` after it was given.

    Parameters
    ----------
    glycocalyx_integrity : float
        1 = intact glycocalyx, 0 = fully shed.
    volume_ml : float
        Bolus volume, more than 0 and up to 5000 mL.
    minutes : float
        Time since the bolus, 0–1440 min.
    params : Params, optional
        Barrier parameters.

    Returns
    -------
    float
        Fraction of the bolus still in the plasma, 0–1 (1 at time 0).

    Examples
    --------
    >>> bolus_retention(0.0, 1000, 60) < bolus_retention(1.0, 1000, 60)
    True
    """
    p = params or Params()
    b = _properties(_integrity(glycocalyx_integrity), p)
    volume = _bolus_volume(volume_ml)
    t = check_number("minutes", minutes, unit="min", low=0, high=1440)
    if t == 0:
        return 1.0
    return float(_retention(p, b, volume, t).retained[-1])
