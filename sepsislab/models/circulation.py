r"""The failing pipes: a lumped circulation with a baroreflex, and the NO chain that dilates it.

**Circulation** (after Zenker, Rubin & Clermont 2007). Blood sits in an arterial
and a venous compartment, each a compliance with an unstressed volume; the total
:math:`V_{tot} = V_a + V_v` is conserved:

.. math::

    P_a = \frac{V_a - V_{a0}}{C_a}, \qquad P_v = \frac{V_v - V_{v0}(S)}{C_v}, \qquad
    Q_{TPR} = \frac{P_a - P_v}{R(S)}

One ventricle fills from the veins through a valve resistance during diastole
and ejects by preload-recruitable stroke work. Its end-diastolic pressure–volume
curve and the stroke volume are

.. math::

    P_{ED}(V) = P_0\left(e^{k_E (V - V_{ED0})} - 1\right), \qquad
    SV = (V_{ED} - V_{ED0})\,\min\!\left(1, \frac{C_{PRSW}(S)}{P_a - P_{ED}(V_{ED})}\right)

and :math:`V_{ED}` follows from integrating :math:`R_{valve}\,dV/dt = P_v - P_{ext} - P_{ED}(V)`
over the diastolic time :math:`1/f_{HR} - T_{sys}`, starting from the end-systolic
volume (closed form). Cardiac output is :math:`Q_{CO} = f_{HR}\,SV`.

The baroreflex sets the sympathetic tone :math:`S \in [0, 1]` from the arterial
pressure with time constant :math:`\tau`, and :math:`S` moves four effectors
linearly between their limits:

.. math::

    \tau \frac{dS}{dt} = \frac{1}{1 + e^{k_w (P_a - P_{set})}} - S, \qquad
    \frac{dV_a}{dt} = Q_{CO} - Q_{TPR} = -\frac{dV_v}{dt}

    f_{HR} = f_{min} + (f_{max} - f_{min})S,\quad C_{PRSW} = c\,[C_{min} + (C_{max} - C_{min})S],
    \quad V_{v0}^{0} = V_{v0,max} - (V_{v0,max} - V_{v0,min})S

**Vascular tone.** Nitric oxide relaxes vascular smooth muscle. A tone
:math:`\gamma` (1 = normal, 0 = fully relaxed) scales what smooth muscle adds to
the fully dilated resistance and capacitance:

.. math::

    R = R_{dil} + \gamma\,[R_{min} + (R_{max} - R_{min})S - R_{dil}], \qquad
    V_{v0} = V_{v0,dil} - \gamma\,(V_{v0,dil} - V_{v0}^{0})

**The NO chain** turns a cytokine level :math:`c` (0 = none, 1 = a severe storm)
into tone, one Hill curve per step (:math:`b` = fraction of NO synthase blocked):

.. math::

    a = \frac{c^{n_c}}{K_c^{n_c} + c^{n_c}}, \quad
    [NO] = (1 - b)\,(NO_0 + NO_{max}\,a), \quad
    g = \frac{[NO]}{EC_{50} + [NO]}, \quad [cGMP] = cGMP_{max}\,g

    r = \frac{[cGMP]^{n_r}}{K_r^{n_r} + [cGMP]^{n_r}}, \qquad \gamma = \frac{1 - r}{1 - r_0}

where :math:`r_0` is the relaxation at :math:`c = 0, b = 0`, so that the healthy
circulation has :math:`\gamma = 1`.

**Four shocks**, each made by moving only the parameter its mechanism touches
(severity :math:`s` from 0 to 1): cardiogenic — contractility factor
:math:`c = 1 - \Delta c_{max} s`; hypovolaemic — blood volume reduced by
:math:`\Delta V_{max} s`; obstructive — an external pressure :math:`P_{ext} = P_{ext,max} s`
on the heart (tamponade) opposing filling; distributive — cytokine level
:math:`c = s` through the NO chain.

The steady state is found algebraically: for a trial :math:`P_a`, the reflex fixes
:math:`S`, volume conservation fixes :math:`P_v`, the heart gives :math:`Q_{CO}`;
bisection finds the :math:`P_a` at which :math:`Q_{CO} = Q_{TPR}`.

References
----------
Zenker S, Rubin J, Clermont G (2007). From inverse problems in mathematical physiology to
quantitative differential diagnoses. PLoS Comput Biol 3:e204.
Landry DW, Oliver JA (2001). The pathogenesis of vasodilatory shock. N Engl J Med 345:588–595.
Vincent JL, De Backer D (2013). Circulatory shock. N Engl J Med 369:1726–1734.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..params import ModelParams, param
from ..validation import check_choice, check_fraction, check_number
from ._ode import TimeSeries, integrate

__all__ = ["Params", "KINDS", "no_chain", "steady_state", "shock_state", "signature_table", "simulate",
           "MMHG_S_PER_ML_TO_DYN"]

Z07 = "zenker2007"
ILL = "illustrative"

#: Shock kinds accepted by :func:`shock_state`.
KINDS = ("none", "cardiogenic", "hypovolemic", "obstructive", "distributive")

#: 1 mmHg·s/mL in dyn·s·cm⁻⁵ (1 mmHg = 1333.22 dyn/cm², 1 mL = 1 cm³).
MMHG_S_PER_ML_TO_DYN = 1333.22

_BISECT_STEPS = 48          # halves a 0.5–250 mmHg bracket to < 1e-12 mmHg
_FILL_ITERATIONS = 3        # V_ED ↔ V_ES fixed point: filling ends long before diastole does,
                            # so V_ED hardly depends on V_ES (3 passes agree to 1e-10)


@dataclass(frozen=True)
class Params(ModelParams):
    """Circulation (Zenker et al. 2007 structure), NO chain and shock severities."""

    # -- vessels -------------------------------------------------------------
    c_a: float = param(4.0, unit="mL/mmHg", low=1.0, high=10.0, source=Z07, symbol="C_a",
                       doc="arterial compliance")
    c_v: float = param(111.11, unit="mL/mmHg", low=30.0, high=300.0, source=Z07, symbol="C_v",
                       doc="venous compliance")
    v_a0: float = param(700.0, unit="mL", low=300.0, high=1000.0, source=Z07, symbol="V_{a0}",
                        doc="arterial unstressed volume")
    v_v0_min: float = param(2700.0, unit="mL", low=1500.0, high=3500.0, source=Z07,
                            symbol="V_{v0,min}", doc="venous unstressed volume at full sympathetic tone")
    v_v0_max: float = param(3100.0, unit="mL", low=1500.0, high=3500.0, source=Z07,
                            symbol="V_{v0,max}", doc="venous unstressed volume with no sympathetic tone")
    v_v0_dil: float = param(3400.0, unit="mL", low=1500.0, high=4000.0, source=ILL,
                            symbol="V_{v0,dil}",
                            doc="venous unstressed volume with smooth muscle fully relaxed")
    r_min: float = param(0.5335, unit="mmHg·s/mL", low=0.1, high=3.0, source=Z07, symbol="R_{min}",
                         doc="total peripheral resistance with no sympathetic tone")
    r_max: float = param(2.134, unit="mmHg·s/mL", low=0.1, high=5.0, source=Z07, symbol="R_{max}",
                         doc="total peripheral resistance at full sympathetic tone")
    r_dil: float = param(0.2, unit="mmHg·s/mL", low=0.05, high=1.0, source=ILL, symbol="R_{dil}",
                         doc="resistance of the fully dilated bed (≈ 270 dyn·s·cm⁻⁵)")
    blood_volume: float = param(4800.0, unit="mL", low=2500.0, high=8000.0, source=ILL,
                                symbol="V_{tot}",
                                doc="blood in the two compartments (gives normal resting values)")
    # -- heart ---------------------------------------------------------------
    hr_min: float = param(40.0, unit="beats/min", low=20.0, high=100.0, source=Z07, symbol="f_{min}",
                          doc="heart rate with no sympathetic tone (2/3 Hz)")
    hr_max: float = param(180.0, unit="beats/min", low=100.0, high=220.0, source=Z07, symbol="f_{max}",
                          doc="heart rate at full sympathetic tone (3 Hz)")
    t_sys: float = param(0.2667, unit="s", low=0.1, high=0.4, source=Z07, symbol="T_{sys}",
                         doc="duration of systole")
    prsw_min: float = param(25.9, unit="mmHg", low=5.0, high=200.0, source=Z07, symbol="C_{min}",
                            doc="preload-recruitable stroke work slope (contractility), no sympathetic tone")
    prsw_max: float = param(103.8, unit="mmHg", low=5.0, high=300.0, source=Z07, symbol="C_{max}",
                            doc="contractility at full sympathetic tone")
    p0_lv: float = param(2.03, unit="mmHg", low=0.5, high=10.0, source=Z07, symbol="P_0",
                         doc="scale of the end-diastolic pressure–volume curve")
    k_e: float = param(0.014, unit="1/mL", low=0.005, high=0.1, source=ILL, symbol="k_E",
                       doc="stiffness of the diastolic ventricle (set for an adult-sized ventricle)")
    v_ed0: float = param(7.14, unit="mL", low=0.0, high=50.0, source=Z07, symbol="V_{ED0}",
                         doc="volume at zero diastolic pressure")
    r_valve: float = param(0.0025, unit="mmHg·s/mL", low=0.0005, high=0.05, source=Z07,
                           symbol="R_{valve}", doc="resistance to ventricular filling")
    # -- baroreflex ----------------------------------------------------------
    p_set: float = param(70.0, unit="mmHg", low=40.0, high=120.0, source=Z07, symbol="P_{set}",
                         doc="baroreflex set point (half-maximal sympathetic tone)")
    k_width: float = param(0.1838, unit="1/mmHg", low=0.02, high=1.0, source=Z07, symbol="k_w",
                           doc="steepness of the baroreflex curve")
    tau_baro: float = param(20.0, unit="s", low=1.0, high=120.0, source=Z07, symbol="\\tau",
                            doc="time constant of the baroreflex")
    # -- NO chain ------------------------------------------------------------
    k_cyt: float = param(1.0, unit="1", low=0.05, high=1.0, source=ILL, symbol="K_c",
                         doc="cytokine level giving half-maximal iNOS induction")
    n_cyt: float = param(3.0, unit="1", low=0.5, high=4.0, source=ILL, symbol="n_c",
                         doc="Hill coefficient of iNOS induction")
    no_basal: float = param(1.0, unit="nM", low=0.1, high=10.0, source=ILL, symbol="NO_0",
                            doc="basal NO from eNOS")
    no_inos: float = param(40.0, unit="nM", low=1.0, high=1000.0, source=ILL, symbol="NO_{max}",
                           doc="extra NO at full iNOS induction")
    ec50_sgc: float = param(10.0, unit="nM", low=0.5, high=100.0, source=ILL, symbol="EC_{50}",
                            doc="NO giving half-maximal soluble guanylate cyclase activity")
    cgmp_max: float = param(10.0, unit="µM", low=1.0, high=100.0, source=ILL, symbol="cGMP_{max}",
                            doc="cGMP at full sGC activity (synthesis balanced by PDE breakdown)")
    k_relax: float = param(1.6, unit="µM", low=0.3, high=30.0, source=ILL, symbol="K_r",
                           doc="cGMP giving half-maximal smooth-muscle relaxation")
    n_relax: float = param(3.0, unit="1", low=1.0, high=6.0, source=ILL, symbol="n_r",
                           doc="Hill coefficient of relaxation")
    # -- shock severities (severity 1 = the value below) ---------------------
    max_contractility_loss: float = param(0.95, unit="1", low=0.1, high=0.95, source=ILL,
                                          symbol="\\Delta c_{max}",
                                          doc="cardiogenic: fraction of contractility lost")
    max_blood_loss: float = param(1100.0, unit="mL", low=100.0, high=1500.0, source=ILL,
                                  symbol="\\Delta V_{max}", doc="hypovolaemic: blood lost")
    max_external_pressure: float = param(10.0, unit="mmHg", low=1.0, high=15.0, source=ILL,
                                         symbol="P_{ext,max}",
                                         doc="obstructive: pressure around the heart (tamponade)")

    def __post_init__(self):
        super().__post_init__()
        for low, high in (("v_v0_min", "v_v0_max"), ("v_v0_max", "v_v0_dil"), ("r_min", "r_max"),
                          ("r_dil", "r_min"), ("hr_min", "hr_max"), ("prsw_min", "prsw_max")):
            if getattr(self, low) > getattr(self, high):
                raise ValueError(f"{low}={getattr(self, low):g} must not exceed "
                                 f"{high}={getattr(self, high):g}")
        if 60.0 / self.hr_max <= self.t_sys:
            raise ValueError(f"t_sys={self.t_sys:g} s leaves no time to fill at hr_max="
                             f"{self.hr_max:g} beats/min; allowed: t_sys < {60 / self.hr_max:.3g} s")


def no_chain(cytokine, params: Params | None = None, *, nos_block: float = 0.0) -> dict:
    """Cytokine → iNOS → NO → sGC → cGMP → relaxation → vascular tone.

    Parameters
    ----------
    cytokine : float or array
        Cytokine level, 0 (none) to 1 (a severe storm); dimensionless.
    nos_block : float
        Fraction of NO synthase (eNOS and iNOS) inhibited, 0–1, as by L-NMMA.
    params : Params, optional
        Model parameters (the published defaults when omitted).

    Returns
    -------
    dict
        ``inos`` (fraction induced), ``no`` (nM), ``sgc`` (fraction active), ``cgmp`` (µM),
        ``relaxation`` (fraction of smooth muscle relaxed) and ``tone`` (1 = healthy).
    """
    p = params or Params()
    c = np.asarray(cytokine, dtype=float)
    if np.any(~np.isfinite(c)) or np.any(c < 0) or np.any(c > 1):
        raise ValueError(f"cytokine={cytokine!r} is outside the allowed range; allowed: 0 to 1 "
                         "(0 = no cytokines, 1 = a severe storm)")
    block = check_fraction("nos_block", nos_block, what="fraction of NO synthase blocked")

    def relax(cyt, blk):
        inos = cyt ** p.n_cyt / (p.k_cyt ** p.n_cyt + cyt ** p.n_cyt)
        no = (1 - blk) * (p.no_basal + p.no_inos * inos)
        sgc = no / (p.ec50_sgc + no)
        cgmp = p.cgmp_max * sgc
        r = cgmp ** p.n_relax / (p.k_relax ** p.n_relax + cgmp ** p.n_relax)
        return inos, no, sgc, cgmp, r

    inos, no, sgc, cgmp, r = relax(c, block)
    r0 = relax(0.0, 0.0)[-1]
    out = dict(inos=inos, no=no, sgc=sgc, cgmp=cgmp, relaxation=r, tone=(1 - r) / (1 - r0))
    return {k: (float(v) if np.ndim(v) == 0 else v) for k, v in out.items()}


def _checked(name: str, value, *, unit: str, low: float, high: float) -> np.ndarray:
    """An argument that may be a number or an array: every element checked like check_number."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers, got {value!r}") from None
    bad = arr[~np.isfinite(arr) | (arr < low) | (arr > high)]
    if bad.size:
        check_number(name, float(bad.flat[0]), unit=unit, low=low, high=high)
    return arr


def _sympathetic(pa, p: Params):
    """Baroreflex target: 1 when pressure is far below the set point, 0 far above."""
    return 1.0 / (1.0 + np.exp(np.clip(p.k_width * (pa - p.p_set), -50, 50)))


def _effectors(s, p: Params, tone, contractility):
    """Heart rate (Hz), resistance, contractility and venous unstressed volume at tone S."""
    f = (p.hr_min + (p.hr_max - p.hr_min) * s) / 60.0
    r = p.r_dil + tone * (p.r_min + (p.r_max - p.r_min) * s - p.r_dil)
    c_prsw = contractility * (p.prsw_min + (p.prsw_max - p.prsw_min) * s)
    v_v0 = p.v_v0_dil - tone * (p.v_v0_dil - (p.v_v0_max - (p.v_v0_max - p.v_v0_min) * s))
    return f, r, c_prsw, v_v0


def _heart(pa, pv, f, c_prsw, p: Params, p_ext):
    """Cardiac output (mL/s) and end-diastolic volume of the ventricle (vectorised)."""
    k = p.k_e
    # Filling: u = exp(-kV) relaxes linearly towards b/a during diastole (closed form of
    # R_valve dV/dt = P_v - P_ext - P_ED(V)). With no forward drive (a <= 0) the valve stays shut.
    a = np.maximum((pv - p_ext + p.p0_lv) / p.r_valve, 1e-9)
    decay = np.exp(-k * a * (1.0 / f - p.t_sys))
    u_end = p.p0_lv / p.r_valve * np.exp(-k * p.v_ed0) / a * -np.expm1(-k * a * (1.0 / f - p.t_sys))
    v_es = p.v_ed0 + 0.0 * a
    for _ in range(_FILL_ITERATIONS):
        v_ed = np.maximum(v_es, -np.log(np.exp(-k * v_es) * decay + u_end) / k)
        headroom = np.maximum(pa - p.p0_lv * np.expm1(k * (v_ed - p.v_ed0)), 1e-9)
        v_es = v_ed - np.maximum(v_ed - p.v_ed0, 0.0) * np.minimum(1.0, c_prsw / headroom)
    return f * (v_ed - v_es), v_ed


def _state_at(pa, p: Params, volume, tone, contractility, p_ext):
    s = _sympathetic(pa, p)
    f, r, c_prsw, v_v0 = _effectors(s, p, tone, contractility)
    v_a = p.v_a0 + p.c_a * pa
    pv = (volume - v_a - v_v0) / p.c_v
    co, v_ed = _heart(pa, pv, f, c_prsw, p, p_ext)
    return dict(s=s, f=f, r=r, pv=pv, co=co, q=(pa - pv) / r, v_a=v_a, v_ed=v_ed)


def steady_state(params: Params | None = None, *, tone=1.0, contractility=1.0, volume_loss=0.0,
                 external_pressure=0.0) -> dict:
    """Steady state of the circulation with the baroreflex closed (vectorised over arguments).

    Parameters
    ----------
    tone : float or array
        Vascular smooth-muscle tone, 0 (fully relaxed) to 2; 1 = healthy (see :func:`no_chain`).
    contractility : float or array
        Factor on contractility, 0.01 to 2; 1 = healthy.
    volume_loss : float or array
        Blood lost, 0 mL to half the blood volume.
    external_pressure : float or array
        Pressure around the heart opposing filling, 0–30 mmHg.
    params : Params, optional
        Model parameters (the published defaults when omitted).

    Returns
    -------
    dict
        ``map``, ``cvp`` (mmHg), ``cardiac_output`` (L/min), ``svr`` (dyn·s·cm⁻⁵),
        ``heart_rate`` (beats/min), ``stroke_volume`` and ``edv`` (mL), ``sympathetic``
        (S, 0–1), ``arterial_volume``, ``venous_volume`` and ``blood_volume`` (mL).
    """
    p = params or Params()
    tone, contractility, loss, p_ext = np.broadcast_arrays(
        _checked("tone", tone, unit="1", low=0, high=2),
        _checked("contractility", contractility, unit="1", low=0.01, high=2),
        _checked("volume_loss", volume_loss, unit="mL", low=0, high=p.blood_volume / 2),
        _checked("external_pressure", external_pressure, unit="mmHg", low=0, high=30))
    volume = p.blood_volume - loss
    lo = np.full(tone.shape, 0.5)
    hi = np.full(tone.shape, 250.0)
    start = _state_at(lo, p, volume, tone, contractility, p_ext)
    if np.any(start["co"] - start["q"] <= 0):
        raise ValueError("the circulation has no steady state with a positive pressure: the blood "
                         "volume is too small to fill the vessels (reduce volume_loss)")
    for _ in range(_BISECT_STEPS):
        mid = 0.5 * (lo + hi)
        st = _state_at(mid, p, volume, tone, contractility, p_ext)
        up = st["co"] > st["q"]            # the heart pumps more than the vessels drain: pressure rises
        lo = np.where(up, mid, lo)
        hi = np.where(up, hi, mid)
    pa = 0.5 * (lo + hi)
    st = _state_at(pa, p, volume, tone, contractility, p_ext)
    out = dict(map=pa, cvp=st["pv"], cardiac_output=st["co"] * 0.06,
               svr=st["r"] * MMHG_S_PER_ML_TO_DYN, heart_rate=st["f"] * 60.0,
               stroke_volume=st["co"] / st["f"], edv=st["v_ed"], sympathetic=st["s"],
               arterial_volume=st["v_a"], venous_volume=volume - st["v_a"], blood_volume=volume)
    return {k: (float(v) if np.ndim(v) == 0 else v) for k, v in out.items()}


def _mechanism(kind: str, severity, p: Params) -> dict:
    """The one parameter each kind of shock moves, as steady_state keyword arguments."""
    if kind == "cardiogenic":
        return dict(contractility=1.0 - p.max_contractility_loss * severity)
    if kind == "hypovolemic":
        return dict(volume_loss=p.max_blood_loss * severity)
    if kind == "obstructive":
        return dict(external_pressure=p.max_external_pressure * severity)
    if kind == "distributive":
        return dict(tone=no_chain(severity, p)["tone"])
    return {}


def shock_state(kind: str, severity: float, params: Params | None = None) -> dict:
    """Steady-state haemodynamics of one kind of shock.

    Parameters
    ----------
    kind : {"none", "cardiogenic", "hypovolemic", "obstructive", "distributive"}
        Which mechanism fails: the pump (contractility), the volume (blood lost), the filling
        (pressure around the heart) or the vessels (cytokine → NO → tone).
    severity : float
        0 (no shock) to 1 (the maxima in :class:`Params`); ignored for ``"none"``.
    params : Params, optional
        Model parameters (the published defaults when omitted).

    Returns
    -------
    dict
        ``map`` (mmHg), ``cardiac_output`` (L/min), ``svr`` (dyn·s·cm⁻⁵), ``cvp`` (mmHg),
        ``heart_rate`` (beats/min), plus the extra keys of :func:`steady_state`.

    Examples
    --------
    >>> s = shock_state("distributive", 0.9)
    >>> s["svr"] < shock_state("none", 0)["svr"]
    True
    """
    kind = check_choice("kind", kind, KINDS)
    sev = check_fraction("severity", severity, what="severity")
    p = params or Params()
    return steady_state(p, **_mechanism(kind, sev, p))


_ARROWS = {1: "↑", -1: "↓", 0: "↔"}


def signature_table(severity: float = 0.9, params: Params | None = None, *, threshold: float = 0.05):
    """The classic table of shock signatures, computed by the model.

    Each cell is the direction of change from the healthy steady state (↑, ↓ or ↔ when
    the change is below ``threshold``, a fraction) with the model's value.

    Parameters
    ----------
    severity : float
        Severity of each kind of shock, 0–1 (dimensionless).
    params : Params, optional
        Circulation parameters.
    threshold : float
        Smallest relative change drawn as an arrow, a fraction 0–1.

    Returns
    -------
    dict
        kind → variable → (arrow, value, relative change), for ``map`` and ``cvp`` (mmHg),
        ``cardiac_output`` (L/min), ``svr`` (dyn·s·cm⁻⁵) and ``heart_rate`` (/min); a page shows
        it with :func:`sepsislab.views.tables.shock_signature_table`.
    """
    sev = check_fraction("severity", severity, what="severity")
    thr = check_fraction("threshold", threshold, what="fraction")
    base = shock_state("none", 0.0, params)
    rows = {}
    for kind in KINDS[1:]:
        st = shock_state(kind, sev, params)
        rows[kind] = {}
        for key in ("map", "cardiac_output", "svr", "cvp", "heart_rate"):
            change = (st[key] - base[key]) / abs(base[key])
            direction = 0 if abs(change) < thr else int(np.sign(change))
            rows[kind][key] = (_ARROWS[direction], st[key], change)
    return rows


def simulate(params: Params | None = None, *, kind: str = "distributive", severity: float = 0.8,
             seconds: float = 120.0, reflex_strength: float = 1.0) -> TimeSeries:
    """The baroreflex at work: the healthy circulation meets a shock at time 0.

    The ventricle's beat-to-beat volumes settle within a few beats, much faster than the
    reflex (:math:`\\tau` = 20 s), so the heart is taken as in balance at each instant and the
    states are :math:`V_a`, :math:`V_v` and :math:`S`.

    Parameters
    ----------
    kind, severity
        As in :func:`shock_state`; the blood of a hypovolaemic shock is lost at time 0.
    seconds : float
        Horizon, 1–3600 s (results every second, at most 601 points).
    reflex_strength : float
        0 (reflex cut: S stays at its healthy value) to 1 (intact).
    params : Params, optional
        Model parameters (the published defaults when omitted).

    Returns
    -------
    TimeSeries
        ``map``, ``cvp`` (mmHg), ``cardiac_output`` (L/min), ``heart_rate`` (beats/min),
        ``svr`` (dyn·s·cm⁻⁵), ``sympathetic`` (0–1), ``arterial_volume``, ``venous_volume``
        (mL), on ``.time`` in seconds.
    """
    p = params or Params()
    kind = check_choice("kind", kind, KINDS)
    sev = check_fraction("severity", severity, what="severity")
    gain = check_fraction("reflex_strength", reflex_strength, what="fraction of the normal reflex")
    seconds = check_number("seconds", seconds, unit="s", low=1, high=3600)
    base = steady_state(p)
    mech = dict(tone=1.0, contractility=1.0, volume_loss=0.0, external_pressure=0.0)
    mech.update(_mechanism(kind, sev, p))
    tone, contr, p_ext = mech["tone"], mech["contractility"], mech["external_pressure"]
    s0 = base["sympathetic"]

    def rhs(_t, y):
        v_a, v_v, s = y
        pa = (v_a - p.v_a0) / p.c_a
        f, r, c_prsw, v_v0 = _effectors(s, p, tone, contr)
        pv = (v_v - v_v0) / p.c_v
        co, _ = _heart(pa, pv, f, c_prsw, p, p_ext)
        net = float(co) - (pa - pv) / r
        target = s0 + gain * (_sympathetic(pa, p) - s0)
        return [net, -net, (target - s) / p.tau_baro]

    y0 = [base["arterial_volume"], base["venous_volume"] - mech["volume_loss"], s0]
    # Tolerances: 0.01 mL on volumes of litres; results agree with tighter ones to 4 digits.
    res = integrate(rhs, y0, ["arterial_volume", "venous_volume", "sympathetic"], hours=seconds,
                    max_hours=3600, time_unit="s", points=min(int(seconds) + 1, 601),
                    rtol=1e-4, atol=1e-2)
    pa = (res.arterial_volume - p.v_a0) / p.c_a
    f, r, c_prsw, v_v0 = _effectors(res.sympathetic, p, tone, contr)
    pv = (res.venous_volume - v_v0) / p.c_v
    res["map"] = pa
    res["cvp"] = pv
    res["cardiac_output"] = _heart(pa, pv, f, c_prsw, p, p_ext)[0] * 0.06
    res["heart_rate"] = f * 60.0
    res["svr"] = r * MMHG_S_PER_ML_TO_DYN
    return res
