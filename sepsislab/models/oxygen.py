r"""The oxygen paradox: delivery that is not enough, and oxygen the cell cannot use.

**Delivery.** Tissues take the oxygen they need, :math:`\dot V_{O_2}^{dem}`, as
long as they can extract it; extraction cannot exceed a maximum
:math:`E_{max}` set by the microcirculation (shunting and heterogeneous flow
lower it). Oxygen consumption against delivery is therefore biphasic — flat
above a critical delivery, proportional to delivery below it:

.. math::

    \dot V_{O_2} = \min\!\left(\dot V_{O_2}^{dem},\; E_{max}\,D_{O_2}\right), \qquad
    D_{O_2}^{crit} = \frac{\dot V_{O_2}^{dem}}{E_{max}}

**Utilisation.** Cytochrome c oxidase (COX) binds O₂ with Michaelis constant
:math:`K_m`; nitric oxide competes for the same site with inhibition constant
:math:`K_i`, so the fraction of the maximal COX rate is

.. math::

    u([O_2], [NO]) = \frac{[O_2]}{[O_2] + K_m\left(1 + [NO]/K_i\right)}

and the NO giving half inhibition rises in proportion to O₂,
:math:`IC_{50} = K_i(1 + [O_2]/K_m)`. :math:`K_m` and :math:`K_i` are the values
for which this reproduces the two IC₅₀ of Brown & Cooper (1994): 270 nM NO at
145 µM O₂ and 60 nM at 30 µM O₂.

NO and superoxide make peroxynitrite, which destroys respiratory capacity
:math:`R` (a fraction of normal) irreversibly over hours:

.. math::

    \frac{dR}{dt} = -k_{pn}\,\frac{[NO]}{100\ \mathrm{nM}}\,\rho\,R

The tissues' oxygen use is the smaller of what the damaged, inhibited
mitochondria can take and what delivery allows; the ATP shortfall
:math:`\delta = 1 - \dot V_{O_2}/\dot V_{O_2}^{dem}` is covered in part by
glycolysis, which makes lactate :math:`L`, cleared by the liver and kidneys with
half-life :math:`t_{1/2,L}`; central venous saturation follows from the Fick
principle (dissolved O₂ neglected):

.. math::

    \dot V_{O_2} = \min\!\left(\dot V_{O_2}^{dem}\,R\,\frac{u([O_2],[NO])}{u([O_2],0)},\;
                               E_{max}\,D_{O_2}\right), \qquad
    \frac{dL}{dt} = \frac{\ln 2}{t_{1/2,L}}\,(L_0 - L) + g_L\,\delta, \qquad
    S_{cvO_2} = S_{aO_2}\left(1 - \frac{\dot V_{O_2}}{D_{O_2}}\right)

References
----------
Cain SM (1977) J Appl Physiol 42:228–234. Shibutani K et al. (1983) Crit Care Med
11:640–643. Ronco JJ et al. (1993) JAMA 270:1724–1730. Brown GC, Cooper CE (1994)
FEBS Lett 356:295–298. Cleeter MW et al. (1994) FEBS Lett 345:50–54. Fink MP
(2001) Crit Care Clin 17:219–237 (cytopathic hypoxia).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..params import ModelParams, param
from ..validation import check_fraction, check_number
from ._ode import TimeSeries, integrate

__all__ = ["Params", "critical_do2", "oxygen_consumption_curve", "mitochondrial_o2_use",
           "simulate", "BROWN_COOPER_IC50", "fit_competitive_constants"]

#: NO half-inhibiting synaptosomal respiration at two O₂ levels (µM O₂, nM NO), Brown & Cooper 1994.
BROWN_COOPER_IC50 = ((145.0, 270.0), (30.0, 60.0))


def fit_competitive_constants(ic50_points=BROWN_COOPER_IC50) -> tuple[float, float]:
    """Km and Ki for which IC₅₀ = Ki·(1 + [O₂]/Km) passes through two measured points.

    Parameters
    ----------
    ic50_points : sequence of two (float, float)
        ``(O₂ in µM, IC₅₀ of NO in nM)`` pairs; by default Brown & Cooper's (1994).

    Returns
    -------
    km : float
        Michaelis constant of cytochrome c oxidase for O₂ (µM).
    ki : float
        Inhibition constant of NO (nM).
    """
    (o1, i1), (o2, i2) = ic50_points
    km = (i2 * o1 - i1 * o2) / (i1 - i2)
    return km, i2 / (1 + o2 / km)


_KM, _KI = fit_competitive_constants()
ILL = "illustrative"


@dataclass(frozen=True)
class Params(ModelParams):
    """Parameters of oxygen delivery, mitochondrial use and lactate."""

    do2_ml_min: float = param(1000.0, unit="mL O₂/min", low=50.0, high=3000.0, source="west2021",
                              symbol="D_{O_2}", doc="oxygen delivery (normal ≈ 1000)")
    vo2_demand_ml_min: float = param(250.0, unit="mL O₂/min", low=50.0, high=1000.0, source="west2021",
                                     symbol="\\dot V_{O_2}^{dem}", doc="oxygen demand of the tissues")
    max_extraction: float = param(0.7, unit="fraction", low=0.05, high=1.0, source=ILL,
                                  symbol="E_{max}", doc="largest fraction of delivered O₂ tissues can extract")
    sao2: float = param(0.97, unit="fraction", low=0.5, high=1.0, source="west2021", symbol="S_{aO_2}",
                        doc="arterial haemoglobin saturation")
    tissue_o2_um: float = param(30.0, unit="µM", low=1.0, high=200.0, source="brown1994",
                                symbol="[O_2]", doc="O₂ at the mitochondria (the lower level Brown & Cooper used)")
    km_o2_um: float = param(round(_KM, 3), unit="µM", low=0.01, high=50.0, source="brown1994",
                            symbol="K_m", doc="COX Michaelis constant for O₂ (fitted to the two IC₅₀)")
    ki_no_nm: float = param(round(_KI, 3), unit="nM", low=0.01, high=1000.0, source="brown1994",
                            symbol="K_i", doc="inhibition constant of NO at COX (fitted to the two IC₅₀)")
    no_nm: float = param(20.0, unit="nM", low=0.0, high=2000.0, source=ILL, symbol="[NO]",
                         doc="NO in septic tissue")
    ros: float = param(1.0, unit="1", low=0.0, high=5.0, source=ILL, symbol="\\rho",
                       doc="mitochondrial superoxide production (1 = septic)")
    k_pn: float = param(0.05, unit="1/h", low=0.0, high=2.0, source=ILL, symbol="k_{pn}",
                        doc="loss of respiratory capacity at 100 nM NO and ρ = 1 (peroxynitrite)")
    lactate_0: float = param(1.0, unit="mmol/L", low=0.3, high=2.0, source="normal < 2 mmol/L",
                             symbol="L_0", doc="resting blood lactate")
    lactate_half_life_min: float = param(60.0, unit="min", low=5.0, high=600.0, source=ILL,
                                         symbol="t_{1/2,L}", doc="half-life of a lactate excess in blood")
    lactate_gain: float = param(6.0, unit="mmol/L/h", low=0.0, high=50.0, source=ILL, symbol="g_L",
                                doc="glycolytic lactate production per unit of ATP shortfall δ")


def _checked(name: str, value, *, unit: str, low: float, high: float, low_open: bool = False,
             fraction: bool = False) -> np.ndarray | float:
    """check_number / check_fraction for a scalar or every element of an array."""
    def one(v):
        if fraction:
            check_fraction(name, v, low=low, high=high)
            if low_open and float(v) <= low:
                raise ValueError(f"{name}={float(v):g} must be greater than {low:g} (a fraction)")
            return float(v)
        return check_number(name, v, unit=unit, low=low, high=high, low_open=low_open)

    if np.ndim(value) == 0:
        return one(value.item() if isinstance(value, np.ndarray) else value)
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers in {unit}, got {value!r}") from None
    for v in arr.ravel():  # the first offending element raises with the usual message
        one(v)
    return arr


def critical_do2(vo2_demand_ml_min, max_extraction):
    """Delivery below which oxygen consumption falls with delivery, in mL O₂/min.

    Parameters
    ----------
    vo2_demand_ml_min : float or array
        Oxygen demand of the tissues, 10–5000 mL O₂/min (normal ≈ 250 at rest).
    max_extraction : float or array
        Maximal O₂ extraction fraction, greater than 0 and at most 1 (not a percent).

    Returns
    -------
    float or ndarray
        :math:`D_{O_2}^{crit} = \\dot V_{O_2}^{dem} / E_{max}` (mL O₂/min).

    References
    ----------
    Cain 1977; Shibutani et al. 1983; Ronco et al. 1993.
    """
    demand = _checked("vo2_demand_ml_min", vo2_demand_ml_min, unit="mL O₂/min", low=10, high=5000)
    emax = _checked("max_extraction", max_extraction, unit="fraction", low=0.0, high=1.0,
                    low_open=True, fraction=True)
    return demand / emax


def oxygen_consumption_curve(do2_ml_min, vo2_demand_ml_min, max_extraction):
    """Oxygen consumption at delivery ``do2_ml_min``: the biphasic DO₂–VO₂ relation.

    Equal to the demand above the critical delivery; :math:`E_{max} D_{O_2}` below it.

    Parameters
    ----------
    do2_ml_min : float or array
        Oxygen delivery, 0–10000 mL O₂/min.
    vo2_demand_ml_min : float
        Oxygen demand, 10–5000 mL O₂/min.
    max_extraction : float
        Maximal extraction fraction, in (0, 1].

    Returns
    -------
    float or ndarray
        Oxygen consumption (mL O₂/min), elementwise.

    References
    ----------
    Cain 1977 (dogs); Shibutani et al. 1983 and Ronco et al. 1993 (patients).
    """
    do2 = _checked("do2_ml_min", do2_ml_min, unit="mL O₂/min", low=0, high=10000)
    demand = _checked("vo2_demand_ml_min", vo2_demand_ml_min, unit="mL O₂/min", low=10, high=5000)
    emax = _checked("max_extraction", max_extraction, unit="fraction", low=0.0, high=1.0,
                    low_open=True, fraction=True)
    return np.minimum(demand, emax * do2)


def mitochondrial_o2_use(o2_um, no_nm, params: Params | None = None):
    """Fraction of the maximal cytochrome c oxidase rate at O₂ ``o2_um`` and NO ``no_nm``.

    Michaelis–Menten in O₂ with NO as a competitive inhibitor; scalars or arrays
    (broadcast together).

    Parameters
    ----------
    o2_um : float or array_like
        Oxygen at the mitochondria, 0–2000 µM.
    no_nm : float or array_like
        Nitric oxide, 0–100000 nM.
    params : Params, optional
        Model parameters (``km_o2_um``, ``ki_no_nm``).

    Returns
    -------
    float or ndarray
        Rate as a fraction of the maximal rate, 0–1.

    References
    ----------
    Brown & Cooper 1994 (competition with O₂ and the IC₅₀ this reproduces); Cleeter et al. 1994.
    """
    p = params or Params()
    o2 = _checked("o2_um", o2_um, unit="µM", low=0, high=2000)
    no = _checked("no_nm", no_nm, unit="nM", low=0, high=100000)
    return o2 / (o2 + p.km_o2_um * (1.0 + no / p.ki_no_nm))


def simulate(params: Params | None = None, *, hours: float = 24.0) -> TimeSeries:
    """Respiratory capacity, oxygen use, ScvO₂ and lactate while NO and peroxynitrite act.

    Parameters
    ----------
    params : Params, optional
        Model parameters (default: normal delivery, septic NO and superoxide).
    hours : float
        Horizon in hours (0–1440).

    Returns
    -------
    TimeSeries
        ``capacity`` (respiratory capacity, fraction of normal), ``vo2`` (mL O₂/min),
        ``extraction`` (VO₂/DO₂), ``scvo2`` (fraction), ``lactate`` (mmol/L), on ``.time`` in hours.
    """
    p = params or Params()
    inhibition = mitochondrial_o2_use(p.tissue_o2_um, p.no_nm, p) / mitochondrial_o2_use(p.tissue_o2_um, 0.0, p)
    supply_cap = p.max_extraction * p.do2_ml_min
    k_loss = p.k_pn * p.no_nm / 100.0 * p.ros
    k_lac = np.log(2.0) / (p.lactate_half_life_min / 60.0)

    def vo2(capacity):
        return np.minimum(p.vo2_demand_ml_min * capacity * inhibition, supply_cap)

    def rhs(_t, y):
        capacity, lactate = y
        shortfall = 1.0 - vo2(capacity) / p.vo2_demand_ml_min
        return [-k_loss * capacity, k_lac * (p.lactate_0 - lactate) + p.lactate_gain * shortfall]

    res = integrate(rhs, [1.0, p.lactate_0], ["capacity", "lactate"], hours=hours,
                    points=int(min(hours * 2, 1440)) + 1)
    res["vo2"] = vo2(res["capacity"])
    res["extraction"] = res["vo2"] / p.do2_ml_min
    res["scvo2"] = p.sao2 * (1.0 - res["extraction"])
    return res
