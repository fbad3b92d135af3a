"""The treatment plan: validated once, then turned into per-step inputs for the integrator."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..validation import check_number

__all__ = ["Plan", "make_plan", "TREATMENTS"]

#: The keywords of :func:`sepsislab.patient.simulate` that describe treatment (a cohort arm may use
#: only these; ``hours``, ``severity`` and ``params`` describe the patient and the run).
TREATMENTS = (
    "antibiotic_hour",
    "source_control_hour",
    "fluid_boluses_ml",
    "fluid_boluses_ml_kg",
    "norepinephrine_ug_kg_min",
    "dobutamine_ug_kg_min",
    "vasopressin_u_min",
    "hydrocortisone_hour",
    "transfusion_units",
    "fio2",
    "map_target_mmhg",
)

_NUMBER = (int, float, np.integer, np.floating)


def _is_number(value) -> bool:
    return isinstance(value, _NUMBER) and not isinstance(value, bool)


@dataclass(frozen=True)
class Steps:
    """A step function of time: ``values[i]`` from ``hours[i]`` on (0 before the first hour)."""

    hours: tuple
    values: tuple

    def mean_over(self, edges: np.ndarray) -> np.ndarray:
        """Average of the step function over each interval between consecutive ``edges`` (h)."""
        ends = list(self.hours[1:]) + [math.inf]
        area = np.zeros_like(edges)
        for start, end, value in zip(self.hours, ends, self.values):
            area += value * np.clip(edges - start, 0.0, end - start)
        return np.diff(area) / np.diff(edges)


@dataclass(frozen=True)
class Plan:
    """A validated treatment plan (build it with :func:`make_plan`)."""

    antibiotic_hour: float = math.inf
    source_control_hour: float = math.inf
    boluses_ml: tuple = ()  # (hour, mL)
    boluses_ml_kg: tuple = ()  # (hour, mL/kg)
    transfusions: tuple = ()  # (hour, units)
    norepinephrine: Steps = Steps((0.0,), (0.0,))
    dobutamine: Steps = Steps((0.0,), (0.0,))
    vasopressin: Steps = Steps((0.0,), (0.0,))
    hydrocortisone_hour: float = math.inf
    fio2: float | None = None
    map_target: float | None = None  # titrate norepinephrine to this MAP (None: follow the schedule)

    def inputs(self, edges: np.ndarray, bolus_h: float) -> dict:
        """Per-step inputs averaged over each interval of ``edges`` (h): exact volumes and doses.

        Returns arrays (one value per step): ``antibiotic``, ``source``, ``steroid`` (fraction of the
        step after the start), ``infusion_ml_h`` and ``infusion_ml_kg_h`` (crystalloid), ``blood_units_h``,
        ``ne``, ``dob`` and ``vp`` (mean doses).
        """

        def started(hour):
            return Steps((0.0, hour), (0.0, 1.0)).mean_over(edges) if math.isfinite(hour) else np.zeros(len(edges) - 1)

        def running(events, duration):
            rate = np.zeros(len(edges) - 1)
            for hour, amount in events:
                rate += Steps((0.0, hour, hour + duration), (0.0, amount / duration, 0.0)).mean_over(edges)
            return rate

        return dict(
            antibiotic=started(self.antibiotic_hour),
            source=started(self.source_control_hour),
            steroid=started(self.hydrocortisone_hour),
            infusion_ml_h=running(self.boluses_ml, bolus_h),
            infusion_ml_kg_h=running(self.boluses_ml_kg, bolus_h),
            blood_units_h=running(self.transfusions, 1.0),
            ne=self.norepinephrine.mean_over(edges),
            dob=self.dobutamine.mean_over(edges),
            vp=self.vasopressin.mean_over(edges),
        )


def _steps(name: str, value, unit: str, high: float, horizon: float) -> Steps:
    """A dose given as one number (from hour 0) or as (hour, dose) pairs."""
    if _is_number(value):
        return Steps((0.0,), (check_number(name, value, unit=unit, low=0, high=high),))
    try:
        pairs = [tuple(pair) for pair in value]
    except TypeError:
        raise ValueError(
            f"{name} must be a dose in {unit} or a sequence of (hour, dose) pairs, got {value!r}"
        ) from None
    hours, doses = [], []
    for pair in pairs:
        if len(pair) != 2:
            raise ValueError(f"{name}: each step must be an (hour, dose) pair, got {pair!r}")
        hours.append(check_number(f"{name} hour", pair[0], unit="h", low=0, high=horizon))
        doses.append(check_number(f"{name} dose", pair[1], unit=unit, low=0, high=high))
    if hours != sorted(hours):
        raise ValueError(f"{name}: the (hour, dose) steps must be in time order, got hours {hours}")
    return Steps(tuple(hours), tuple(doses)) if hours else Steps((0.0,), (0.0,))


def _events(name: str, value, unit: str, high: float, horizon: float) -> tuple:
    """Boluses as (hour, amount) pairs; a plain amount means hour 0."""
    if _is_number(value) or isinstance(value, str):
        raise ValueError(f"{name} must be a sequence of amounts in {unit} or of (hour, amount) pairs, got {value!r}")
    out = []
    for item in value:
        if _is_number(item):
            hour, amount = 0.0, item
        else:
            try:
                hour, amount = item
            except (TypeError, ValueError):
                raise ValueError(
                    f"{name}: each entry must be an amount in {unit} (given at hour 0) "
                    f"or an (hour, amount) pair, got {item!r}"
                ) from None
        out.append(
            (
                check_number(f"{name} hour", hour, unit="h", low=0, high=horizon),
                check_number(f"{name} amount", amount, unit=unit, low=0, high=high),
            )
        )
    return tuple(out)


def make_plan(
    horizon: float,
    *,
    antibiotic_hour=None,
    source_control_hour=None,
    fluid_boluses_ml=(),
    fluid_boluses_ml_kg=(),
    norepinephrine_ug_kg_min=0.0,
    dobutamine_ug_kg_min=0.0,
    vasopressin_u_min=0.0,
    hydrocortisone_hour=None,
    transfusion_units=(),
    fio2=None,
    map_target_mmhg=65.0,
) -> Plan:
    """Check every treatment keyword of :func:`sepsislab.patient.simulate` and build the :class:`Plan`.

    Parameters are those of :func:`sepsislab.patient.simulate`; ``horizon`` (h) bounds every hour.

    Returns
    -------
    Plan

    Raises
    ------
    ValueError
        Naming the keyword, its value, unit and allowed range.
    """

    def hour(name, value):
        return math.inf if value is None else check_number(name, value, unit="h", low=0, high=horizon)

    titrate = isinstance(norepinephrine_ug_kg_min, str)
    if titrate and norepinephrine_ug_kg_min.strip().lower() != "titrate":
        raise ValueError(
            f"norepinephrine_ug_kg_min={norepinephrine_ug_kg_min!r}: give a dose in µg/kg/min "
            "(0 to 3), (hour, dose) steps, or 'titrate'"
        )
    target = check_number("map_target_mmhg", map_target_mmhg, unit="mmHg", low=50, high=100)
    return Plan(
        antibiotic_hour=hour("antibiotic_hour", antibiotic_hour),
        source_control_hour=hour("source_control_hour", source_control_hour),
        boluses_ml=_events("fluid_boluses_ml", fluid_boluses_ml, "mL", 5000, horizon),
        boluses_ml_kg=_events("fluid_boluses_ml_kg", fluid_boluses_ml_kg, "mL/kg", 70, horizon),
        transfusions=_events("transfusion_units", transfusion_units, "units", 6, horizon),
        norepinephrine=(
            Steps((0.0,), (0.0,))
            if titrate
            else _steps("norepinephrine_ug_kg_min", norepinephrine_ug_kg_min, "µg/kg/min", 3.0, horizon)
        ),
        dobutamine=_steps("dobutamine_ug_kg_min", dobutamine_ug_kg_min, "µg/kg/min", 40.0, horizon),
        vasopressin=_steps("vasopressin_u_min", vasopressin_u_min, "U/min", 0.1, horizon),
        hydrocortisone_hour=hour("hydrocortisone_hour", hydrocortisone_hour),
        fio2=None if fio2 is None else check_number("fio2", fio2, unit="fraction", low=0.21, high=1.0),
        map_target=target if titrate else None,
    )
