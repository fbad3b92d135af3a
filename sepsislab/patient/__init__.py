r"""The virtual septic patient: one integrated simulation, hour by hour, with a treatment plan.

The chapter-1 mechanisms are chained into one system of ordinary differential
equations (time in hours). Lumped, dimensionless activities (1 ≈ the level of
untreated septic shock) stand for groups of mediators; volumes are in mL,
pressures in mmHg, flows in mL/h unless stated.

**Infection and inflammation.** The pathogen load :math:`B` (fraction of the
focus's carrying capacity) grows logistically, is killed by saturable innate
defences and, once started, by antibiotics, which penetrate an undrained focus
only partly (:math:`\phi_0 < 1`) until source control, which also shrinks the
focus (:math:`B_{max} \to b_{sc}`). The inflammatory activity :math:`I` is driven
by the pathogen, by danger signals from oxygen-starved tissue (the deficit
:math:`\delta`) and from damaged tissue :math:`D`, which inflammation itself causes
(the damage loop of Reynolds et al. 2006, which can keep inflammation going after the
pathogen is gone); iNOS/NO activity :math:`N` follows it, rising within hours and
falling over days (induced enzyme outlasts its stimulus); myocardial-depressant
activity :math:`M` follows with a lag:

.. math::

    \frac{dB}{dt} = rB\left(1-\frac{B}{B_{max}}\right) - \frac{k_m B}{K_m + B} - k_{ab}\,\phi\,a(t)\,B

.. math::

    \frac{dI}{dt} = g\left(\frac{B}{K_B + B} + d_I\,\delta + d_D D\right) - \mu_I I, \quad
    \frac{dD}{dt} = k_D \frac{I^{n_D}}{K_D^{n_D} + I^{n_D}} - \frac{D}{\tau_D}

.. math::

    \frac{dN}{dt} = \frac{I - N}{\tau_N \text{ (rising) or } \tau_{N,off} \text{ (falling)}}, \quad
    \frac{dM}{dt} = \frac{I - M}{\tau_M}, \quad \frac{dS}{dt} = \frac{s(t) - S}{\tau_S}

**Hydrocortisone** does not damp the inflammatory drive: its effect :math:`S` builds up over
:math:`\tau_S` (genomic action) and restores a part :math:`c_r` of the vascular tone lost to
NO, so that shock resolves sooner; the size is calibrated to ADRENAL (Venkatesh et al. 2018,
shock resolved about a day sooner, 90-day mortality 27.9 vs 28.8 %).

**Vessels and heart** (quasi-steady within each instant: the baroreflex acts in
seconds). NO relaxes resistance vessels and enlarges venous capacitance;
norepinephrine (dose :math:`D`) and vasopressin (:math:`V_p`) constrict, the
former less when NO blunts catecholamine responsiveness:

.. math::

    SVR = SVR_0\,[f_{dil} + (1 - f_{dil})\gamma_S]\,(1 + R_c\,E_{ne}\tfrac{D}{EC_{ne}+D})\,
          (1 + E_{vp}\tfrac{V_p}{EC_{vp}+V_p}), \quad R_c = 1 - h\,(1 - \gamma_S), \quad
          \gamma_S = \gamma(N) + c_r S\,(1 - \gamma(N))

where :math:`\gamma(N)` is the vascular tone of the chapter-1 NO chain
(:func:`sepsislab.models.circulation.no_chain` at a cytokine level :math:`c_N N`) and
:math:`f_{dil}` the fully dilated resistance as a fraction of the resting one.

The circulation is Guyton's: venous return falls linearly with right-atrial
pressure from the mean systemic filling pressure, and a Frank–Starling heart
(contractility :math:`E`, reduced by :math:`M`, raised by dobutamine) pumps
whatever returns; the baroreflex sets the heart rate from the MAP:

.. math::

    MSFP = \frac{V - V_u}{C_v}, \quad CO = \frac{MSFP - P_{ra}}{R_{vr}}
         = HR\cdot SV_{max}\,E\,\frac{P_{ra} + 1}{P_{ra} + 1 + K_{fs}}\,f(HR), \quad
    MAP = CO\cdot SVR + P_{ra}

.. math::

    HR = HR_{min} + \frac{HR_{max} - HR_{min}}{1 + e^{(MAP - MAP_{set})/s_b}} + h_I I, \quad
    E = 1 - \frac{m\,M}{K_M + M}

**Leak.** Fluid leaves the vessels by the revised Starling relation; losing the
glycocalyx (:math:`G`, shed by inflammation and by hypervolaemia) raises the
filtration coefficient and lowers the reflection coefficient; lymph returns
part of it; the lungs leak by the same rule into lung water :math:`W`:

.. math::

    J = K_f(G)\left[(P_c - P_i) - \sigma(G)(\pi_p - \pi_g)\right], \quad
    K_f = K_{f0}(1 + \kappa(1-G)), \quad \sigma = \sigma_{min} + (\sigma_0 - \sigma_{min})G

.. math::

    \frac{dG}{dt} = k_{rep}(1-G) - k_{sh} I G - k_{anp}\max(0, P_{ra} - P_{anp})\,G, \quad
    \frac{dV}{dt} = u(t) - J + J_L - U - J_{lung} + \dots

**Blood, oxygen, lactate.** Platelets are made at a constant rate and consumed
in proportion to :math:`I`. Oxygen delivery is :math:`DO_2 = CO\cdot CaO_2\cdot 10`;
the tissues use :math:`VO_2 = \mathrm{softmin}(VO_{2,cap}, ER_{max}DO_2)`, where
NO lowers the mitochondrial capacity (cytopathic hypoxia) and shunting through
a denuded, clotted microcirculation lowers the extractable fraction; the
deficit :math:`\delta = 1 - VO_2/VO_{2,need}` makes lactate, which the liver clears:

.. math::

    \frac{dL}{dt} = k_L L_0(1 + a_\delta\delta + a_I I) - k_L (1 - H)\min(1, CO/CO_0)\,L

**Organs.** Lung capillary pressure follows the left-atrial (wedge) pressure, which
the left ventricle's own Starling curve sets from the cardiac output; lymph carries away extra
filtration up to a reserve (the oedema safety factor) and the rest floods the lung. The P/F ratio
falls with lung water; glomerular filtration follows
renal perfusion pressure (autoregulated down to a MAP of ≈ 65–70 mmHg) and an injury state;
creatinine and bilirubin follow first-order kinetics; encephalopathy follows
inflammation and cerebral hypoperfusion. These proxies feed the SOFA score
(:func:`sepsislab.clinical.sofa_score`).

**Reserve and death.** Each organ system past its SOFA-3 threshold counts as failing (the
circulation: MAP ≤ 49 mmHg, Knaus's criterion, so that vasopressor held pressure is not failure; a
smooth step, :math:`F` = 0–6 failing systems); failing organs and an oxygen deficit use up the
physiological reserve :math:`Z`, which is regained slowly once they recover; the patient dies when
it is gone. Multi-organ failure that persists for days is fatal (Knaus et al. 1985), and so is
refractory shock, through the oxygen deficit:

.. math::

    \frac{dZ}{dt} = -k_F F - k_\delta \delta + \frac{Z_0 - Z}{\tau_Z}

Fluids and vasopressors hold the pressure, but while the infection is uncontrolled the
inflammation, and with it organ failure, persists: the reserve runs out within days.

Hour 0 is the onset of hypotension (MAP < 65 mmHg), the time zero of Kumar et
al. 2006: the model first runs the untreated prodrome from a small escaped
inoculum and starts the plan at that moment. With the default parameters every
severity 0–1 becomes hypotensive (severity 0 is the mildest septic shock the
model follows); parameters under which a patient never does raise ValueError.

The package: :mod:`.parameters` (:class:`Params`), :mod:`.plan` (the validated treatment plan),
:mod:`.physiology` (instantaneous relations), :mod:`.model` (the right-hand side, vectorised over
patients), :mod:`.simulation` (prodrome, integration, :func:`simulate`), :mod:`.organs` (the organ
relations on their own).

References
----------
Singer M et al. (2016) JAMA 315:801 (Sepsis-3). Evans L et al. (2021) Intensive Care
Med 47:1181 (Surviving Sepsis Campaign). Vincent JL et al. (1996) Intensive Care Med
22:707 (SOFA). ARDS Definition Task Force (2012) JAMA 307:2526 (Berlin). Kumar A et al.
(2006) Crit Care Med 34:1589. Guyton AC et al. (1955) Am J Physiol 180:463. Guyton AC, Lindsey AW (1959) Circ Res 7:649.
Knaus WA et al. (1985) Ann Surg 202:685. Radomski MW et al. (1990) PNAS 87:10043. Persichini R et al. (2012)
Crit Care Med 40:3146. Levick JR,
Michel CC (2010) Cardiovasc Res 87:198. Parker MM et al. (1984) Ann Intern Med 100:483.
Severinghaus JW (1979) J Appl Physiol 46:599. Ronco JJ et al. (1993) JAMA 270:1724.
"""

from .model import STATES
from .organs import (
    ards_categories,
    creatinine_course,
    fluid_challenge,
    haemodynamics,
    lung_steady_state,
    oxygen_saturation,
    pf_from_lung_water,
    renal_function,
)
from .parameters import SEVERITIES, Params, severity_value
from .plan import TREATMENTS, make_plan
from .simulation import HYPOTENSION_MMHG, simulate, sofa_parts

__all__ = [
    "Params",
    "simulate",
    "SEVERITIES",
    "TREATMENTS",
    "STATES",
    "HYPOTENSION_MMHG",
    "make_plan",
    "fluid_challenge",
    "haemodynamics",
    "lung_steady_state",
    "renal_function",
    "creatinine_course",
    "pf_from_lung_water",
    "oxygen_saturation",
    "sofa_parts",
    "ards_categories",
    "severity_value",
]
