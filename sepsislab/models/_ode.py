"""The one ODE driver every model uses: validated horizon, named results, no silent NaN."""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from scipy.integrate import solve_ivp

from ..validation import check_finite_series, check_number

__all__ = ["TimeSeries", "integrate"]


class TimeSeries(dict):
    """Named series sharing one time axis: ``res["pathogen"]`` or ``res.pathogen``.

    ``res.time`` is in the model's time unit (``res.time_unit``).
    """

    def __init__(self, time: np.ndarray, series: dict[str, np.ndarray], time_unit: str = "h"):
        super().__init__(series)
        self.time = time
        self.time_unit = time_unit

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def final(self) -> dict[str, float]:
        """The last value of every series."""
        return {k: float(v[-1]) for k, v in self.items()}


def integrate(rhs: Callable[[float, np.ndarray], Sequence[float]], y0: Sequence[float],
              names: Sequence[str], *, hours: float, max_hours: float = 24 * 60,
              points: int | None = None, method: str = "LSODA", time_unit: str = "h",
              rtol: float = 1e-6, atol: float = 1e-9, max_step: float = np.inf) -> TimeSeries:
    """Integrate ``dy/dt = rhs(t, y)`` from 0 to ``hours`` and name the states.

    States are concentrations, counts or volumes, so round-off below zero (within the solver's
    tolerance) is set to zero; a state clearly below zero is a model error and raises ValueError,
    as does a failed or non-finite solve, instead of being hidden. A model with a state that may be
    negative (a controller, a deviation) must not use this driver.
    """
    hours = check_number("hours", hours, unit=time_unit, low=0, high=max_hours, low_open=True)
    n = points or int(min(max(hours * 4, 50), 2000)) + 1
    t_eval = np.linspace(0.0, hours, n)
    sol = solve_ivp(rhs, (0.0, hours), np.asarray(y0, dtype=float), method=method, t_eval=t_eval,
                    rtol=rtol, atol=atol, max_step=max_step)
    if not sol.success:
        raise ValueError(f"the model could not be integrated over {hours:g} {time_unit}: {sol.message}")
    states = {name: _non_negative(name, check_finite_series(name, y), rtol, atol) for name, y in zip(names, sol.y)}
    return TimeSeries(sol.t, states, time_unit)


def _non_negative(name: str, y: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    """Zero the solver's round-off below zero; refuse a state that is clearly negative."""
    slack = 100 * atol + 10 * rtol * float(np.max(np.abs(y), initial=0.0))
    if np.any(y < -slack):
        raise ValueError(f"state {name!r} fell to {float(y.min()):.3g}, below zero beyond the solver's "
                         "tolerance: the model let an amount become negative")
    return np.maximum(y, 0.0)
