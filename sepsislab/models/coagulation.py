r"""The clotting cascade gone rogue: a reduced thrombin-generation model of septic DIC.

Inflamed endothelium and monocytes express tissue factor, which starts thrombin
generation at a rate proportional to the inflammatory drive :math:`I`. Thrombin
amplifies its own generation (feedback activation of factors V, VIII and XI),
and both routes need the clotting factors that are left (:math:`F`, fraction of
normal). Two brakes act
on it: antithrombin (:math:`A`) neutralises thrombin, and activated protein C —
made by thrombin itself from protein C (:math:`C`) — cuts the amplification
loop by destroying factors Va and VIIIa:

.. math::

    \frac{dT}{dt} = F\left(k_{tf}\,I + \frac{k_{amp}\,T}{1 + k_{apc}\,C\,T}\right)
        - (k_{at}\,A + k_{cl})\,T

Antithrombin and protein C are made by the liver at a fraction :math:`p_A`,
:math:`p_C` of the normal rate (both fall in sepsis), turn over with their
plasma lifetimes, and are consumed by thrombin and by inflammation (neutrophil
elastase, capillary leak):

.. math::

    \frac{dA}{dt} = \frac{p_A - A}{\tau_A} - (\varepsilon_A T + \lambda_A I)\,A, \qquad
    \frac{dC}{dt} = \frac{p_C - C}{\tau_C} - (\varepsilon_C T + \lambda_C I)\,C

Clotting factors, platelets and fibrinogen are used up by thrombin (fibrinogen
is also an acute-phase protein, made faster during inflammation):

.. math::

    \frac{dF}{dt} = \frac{1 - F}{\tau_F} - \varepsilon_F\,T\,F, \qquad
    \frac{dP}{dt} = \frac{P_0 - P}{\tau_P} - k_P\,T\,P, \qquad
    \frac{dG}{dt} = \frac{G_0(1 + a_G I) - G}{\tau_G} - k_G\,T\,G

Fibrin formed from fibrinogen lodges in the microvessels as microthrombi, a
fraction :math:`M` of the microvessels occluded, and is cleared by fibrinolysis,
which inflammation shuts down (PAI-1):

.. math::

    \frac{dM}{dt} = \frac{k_M\,k_G\,T\,G}{G_0}\,(1 - M) - \frac{k_{lys}\,M}{1 + s_{lys} I}

Lifetimes :math:`\tau` are mean lifetimes, :math:`t_{1/2}/\ln 2`. The ISTH
overt-DIC score (Taylor et al. 2001) is computed from the outputs: platelets
and fibrinogen directly, the fibrin-related marker from the rate of fibrin
formation and the prothrombin-time prolongation from the clotting factors left
(see :func:`fibrin_marker` and :func:`pt_prolongation_s`).

References
----------
Beltrami E, Jesty J (1995) PNAS 92:8744–8748 (thresholds of the coagulation
positive feedback). Levi M, ten Cate H (1999) N Engl J Med 341:586–592. Gando
S, Levi M, Toh CH (2016) Nat Rev Dis Primers 2:16037. Taylor FB Jr et al. (2001)
Thromb Haemost 86:1327–1330 (ISTH overt-DIC score).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..clinical import isth_dic_score_unchecked
from ..params import ModelParams, param
from ._ode import TimeSeries, integrate

__all__ = ["Params", "simulate", "critical_antithrombin", "fibrin_marker", "pt_prolongation_s",
           "dic_scores", "FIBRIN_MARKER_CUTS"]

LN2 = np.log(2.0)
ILL = "illustrative"

#: Fibrin formation (multiples of the normal fibrinogen synthesis rate) at which the
#: fibrin-related marker counts as "moderate" and as "strong" (illustrative cut-offs).
FIBRIN_MARKER_CUTS = (0.2, 0.75)


@dataclass(frozen=True)
class Params(ModelParams):
    """Parameters of the reduced thrombin-generation model.

    Rate constants are lumped and chosen for teaching (illustrative); the
    plasma half-lives and normal levels are textbook values.
    """

    tf_drive: float = param(1.0, unit="1", low=0.0, high=3.0, source=ILL, symbol="I",
                            doc="inflammatory tissue-factor drive (0 = healthy, 1 = septic shock)")
    at_production: float = param(0.7, unit="fraction of normal", low=0.0, high=1.5, source=ILL,
                                 symbol="p_A", doc="hepatic antithrombin synthesis (1 = normal)")
    pc_production: float = param(0.6, unit="fraction of normal", low=0.0, high=1.5, source=ILL,
                                 symbol="p_C", doc="hepatic protein C synthesis (1 = normal)")
    k_tf: float = param(4.0, unit="nM/h", low=0.0, high=20.0, source=ILL, symbol="k_{tf}",
                        doc="thrombin generation started by tissue factor at I = 1")
    k_amp: float = param(20.0, unit="1/h", low=0.0, high=200.0, source=ILL, symbol="k_{amp}",
                         doc="thrombin self-amplification with the clotting factors intact")
    k_apc: float = param(4.0, unit="1/nM", low=0.0, high=100.0, source=ILL, symbol="k_{apc}",
                         doc="strength of the activated-protein-C brake on amplification")
    k_at: float = param(30.0, unit="1/h", low=0.1, high=500.0, source=ILL, symbol="k_{at}",
                        doc="thrombin neutralisation by normal antithrombin")
    k_cl: float = param(3.0, unit="1/h", low=0.0, high=100.0, source=ILL, symbol="k_{cl}",
                        doc="other thrombin clearance (α₂-macroglobulin, binding)")
    at_half_life_h: float = param(60.0, unit="h", low=1.0, high=200.0, low_open=True,
                                  source="textbook value, ≈ 2.5 days", symbol="t_{1/2,A}",
                                  doc="plasma half-life of antithrombin")
    pc_half_life_h: float = param(8.0, unit="h", low=1.0, high=48.0,
                                  source="textbook value, ≈ 6–8 h", symbol="t_{1/2,C}",
                                  doc="plasma half-life of protein C")
    eps_at: float = param(0.02, unit="1/(nM·h)", low=0.0, high=5.0, source=ILL,
                          symbol="\\varepsilon_A", doc="antithrombin consumed per unit thrombin")
    eps_pc: float = param(0.1, unit="1/(nM·h)", low=0.0, high=5.0, source=ILL,
                          symbol="\\varepsilon_C", doc="protein C consumed per unit thrombin")
    loss_at: float = param(0.003, unit="1/h", low=0.0, high=0.5, source=ILL, symbol="\\lambda_A",
                           doc="antithrombin lost to elastase and leak at I = 1")
    loss_pc: float = param(0.03, unit="1/h", low=0.0, high=0.5, source=ILL, symbol="\\lambda_C",
                           doc="protein C lost to elastase and leak at I = 1")
    factor_half_life_h: float = param(24.0, unit="h", low=1.0, high=200.0,
                                      source="illustrative (factor VII ≈ 5 h … prothrombin ≈ 60 h)",
                                      symbol="t_{1/2,F}", doc="half-life of the lumped clotting factors")
    eps_factor: float = param(0.25, unit="1/(nM·h)", low=0.0, high=5.0, source=ILL,
                              symbol="\\varepsilon_F", doc="clotting factors consumed per unit thrombin")
    platelets_0: float = param(250.0, unit="10⁹/L", low=50.0, high=600.0, source="normal range 150–400",
                               symbol="P_0", doc="normal platelet count")
    platelet_life_h: float = param(200.0, unit="h", low=24.0, high=400.0,
                                   source="textbook value, 8–10 days", symbol="\\tau_P",
                                   doc="mean platelet lifetime")
    k_plt: float = param(0.12, unit="1/(nM·h)", low=0.0, high=5.0, source=ILL, symbol="k_P",
                         doc="platelet activation and consumption by thrombin")
    fibrinogen_0: float = param(3.0, unit="g/L", low=1.0, high=6.0, source="normal range 2–4",
                                symbol="G_0", doc="normal fibrinogen")
    fibrinogen_half_life_h: float = param(96.0, unit="h", low=24.0, high=200.0,
                                          source="textbook value, 3–5 days", symbol="t_{1/2,G}",
                                          doc="plasma half-life of fibrinogen")
    acute_phase: float = param(0.5, unit="1", low=0.0, high=3.0, source=ILL, symbol="a_G",
                               doc="extra fibrinogen synthesis per unit drive (acute phase)")
    k_fib: float = param(0.06, unit="1/(nM·h)", low=0.0, high=5.0, source=ILL, symbol="k_G",
                         doc="conversion of fibrinogen to fibrin by thrombin")
    k_micro: float = param(1.5, unit="1", low=0.0, high=50.0, source=ILL, symbol="k_M",
                           doc="microvessel occlusion per fibrinogen equivalent of fibrin")
    k_lys: float = param(0.1, unit="1/h", low=0.0, high=5.0, source=ILL, symbol="k_{lys}",
                         doc="fibrinolysis of microthrombi")
    lysis_shutdown: float = param(3.0, unit="1", low=0.0, high=20.0, source=ILL, symbol="s_{lys}",
                                  doc="inhibition of fibrinolysis by inflammation (PAI-1)")
    pt_scale_s: float = param(3.0, unit="s", low=0.1, high=10.0, source=ILL, symbol="s_{PT}",
                              doc="PT prolongation per unit of (1/F − 1): 6 s at a third of normal factors")


NAMES = ["thrombin", "antithrombin", "protein_c", "factors", "platelets", "fibrinogen", "microthrombi"]


def _tau(half_life_h: float) -> float:
    return half_life_h / LN2


def simulate(params: Params | None = None, *, hours: float = 72.0) -> TimeSeries:
    """Thrombin, its inhibitors and what it consumes over a septic course.

    Parameters
    ----------
    params : Params, optional
        Model parameters (default: a septic-shock course).
    hours : float
        Horizon in hours (0–1440).

    Returns
    -------
    TimeSeries
        ``thrombin`` (nM), ``antithrombin`` and ``protein_c`` (fraction of normal),
        ``factors`` (lumped clotting factors, fraction of normal), ``platelets`` (10⁹/L),
        ``fibrinogen`` (g/L), ``microthrombi`` (fraction of microvessels occluded) and
        ``fibrin_formation`` (g/L/h), on ``.time`` in hours.
    """
    p = params or Params()
    tau_a, tau_c = _tau(p.at_half_life_h), _tau(p.pc_half_life_h)
    tau_f, tau_g = _tau(p.factor_half_life_h), _tau(p.fibrinogen_half_life_h)
    drive = p.tf_drive
    g_target = p.fibrinogen_0 * (1 + p.acute_phase * drive)
    lysis = p.k_lys / (1 + p.lysis_shutdown * drive)

    def rhs(_t, y):
        T, A, C, F, P, G, M = y
        fibrin = p.k_fib * T * G
        return [
            F * (p.k_tf * drive + p.k_amp * T / (1 + p.k_apc * C * T)) - (p.k_at * A + p.k_cl) * T,
            (p.at_production - A) / tau_a - (p.eps_at * T + p.loss_at * drive) * A,
            (p.pc_production - C) / tau_c - (p.eps_pc * T + p.loss_pc * drive) * C,
            (1 - F) / tau_f - p.eps_factor * T * F,
            (p.platelets_0 - P) / p.platelet_life_h - p.k_plt * T * P,
            (g_target - G) / tau_g - fibrin,
            p.k_micro * fibrin / p.fibrinogen_0 * (1 - M) - lysis * M,
        ]

    # Start from the healthy steady state (inhibitor levels set by production).
    y0 = [0.0, p.at_production, p.pc_production, 1.0, p.platelets_0, p.fibrinogen_0, 0.0]
    res = integrate(rhs, y0, NAMES, hours=hours, points=int(min(hours, 720)) + 1)
    res["fibrin_formation"] = p.k_fib * res["thrombin"] * res["fibrinogen"]
    return res


def critical_antithrombin(params: Params | None = None) -> float:
    """Antithrombin level below which thrombin amplification outruns inhibition.

    At low thrombin, with the clotting factors intact, the net growth rate per
    unit thrombin is :math:`k_{amp} - k_{at}A - k_{cl}`; it turns positive below

    .. math:: A^* = (k_{amp} - k_{cl}) / k_{at}

    — the threshold of an enzyme-catalysed positive feedback opposed by a linear
    inhibitor (Beltrami & Jesty 1995).

    Parameters
    ----------
    params : Params, optional
        Coagulation parameters.

    Returns
    -------
    float
        :math:`A^*` (fraction of normal antithrombin); 0 when amplification never wins.
    """
    p = params or Params()
    return max(0.0, (p.k_amp - p.k_cl) / p.k_at)


def fibrin_marker(fibrin_formation_g_l_h, params: Params | None = None):
    r"""Fibrin-related marker category ("none", "moderate", "strong") from the rate of fibrin formation.

    A D-dimer or fibrin-degradation-product level reflects how fast fibrin is
    being made and broken down. The model's fibrin formation rate is compared
    with the normal fibrinogen synthesis rate :math:`G_0/\tau_G`: below a fifth
    of it counts as "none", up to three quarters as "moderate", above as "strong"
    (:data:`FIBRIN_MARKER_CUTS`, illustrative: the ISTH score leaves the cut-offs
    to each laboratory).

    Parameters
    ----------
    fibrin_formation_g_l_h : float or array_like
        Rate of fibrin formation, ≥ 0 g/L/h.
    params : Params, optional
        Coagulation parameters.

    Returns
    -------
    str or ndarray of str
        ``"none"``, ``"moderate"`` or ``"strong"``, elementwise.
    """
    p = params or Params()
    rate = np.asarray(fibrin_formation_g_l_h, dtype=float)
    if np.any(~np.isfinite(rate)) or np.any(rate < 0):
        raise ValueError(f"fibrin_formation_g_l_h must be finite and ≥ 0 g/L/h, got {fibrin_formation_g_l_h!r}")
    normal = p.fibrinogen_0 / _tau(p.fibrinogen_half_life_h)
    level = np.digitize(rate / normal, FIBRIN_MARKER_CUTS)
    labels = np.array(["none", "moderate", "strong"])
    return labels[level] if level.ndim else str(labels[level])


def pt_prolongation_s(factors, params: Params | None = None):
    r"""Prothrombin-time prolongation from the lumped clotting-factor level F.

    .. math:: \Delta PT = s_{PT}\,(1/F - 1)

    With the default :math:`s_{PT}` = 3 s this gives 3 s at half the normal factor
    activity and 6 s (an INR near 1.5) at a third of it (illustrative).

    Parameters
    ----------
    factors : float or array_like
        Clotting-factor level F, a fraction of normal in (0, 1.5].
    params : Params, optional
        Coagulation parameters.

    Returns
    -------
    float or ndarray
        PT prolongation (s), 0–120.
    """
    p = params or Params()
    f = np.asarray(factors, dtype=float)
    if np.any(~np.isfinite(f)) or np.any(f <= 0) or np.any(f > 1.5):
        raise ValueError(f"factors must be a fraction of normal in (0, 1.5], got {factors!r}")
    out = np.minimum(p.pt_scale_s * (1.0 / f - 1.0), 120.0)
    return np.maximum(out, 0.0)


def dic_scores(result: TimeSeries, params: Params | None = None) -> np.ndarray:
    """ISTH overt-DIC score (0–8) at every time point of a :func:`simulate` result.

    Platelets (10⁹/L) and fibrinogen (g/L) come straight from the model; the
    fibrin marker from :func:`fibrin_marker` and the PT prolongation from
    :func:`pt_prolongation_s`. A score ≥ 5 is compatible with overt DIC.

    Parameters
    ----------
    result : TimeSeries
        A :func:`simulate` result (or the same keys at fewer times).
    params : Params, optional
        The parameters of that run.

    Returns
    -------
    ndarray of int
        The score (points, 0–8) at each time of ``result``.
    """
    p = params or Params()
    markers = np.atleast_1d(fibrin_marker(result["fibrin_formation"], p))
    pts = np.atleast_1d(pt_prolongation_s(np.maximum(result["factors"], 1e-6), p))
    return np.array([isth_dic_score_unchecked(float(plt), str(mk), float(pt), float(fib))
                     for plt, mk, pt, fib in zip(result["platelets"], markers, pts, result["fibrinogen"])])
