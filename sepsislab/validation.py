"""Input checks shared by every public function of the package.

Every check raises :class:`ValueError` with a message that names the argument,
the value, the unit and the allowed range, so that a student (or a grader)
sees what went wrong in their own terms instead of a traceback from numpy or
scipy, or a silent NaN.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = ["check_number", "check_fraction", "check_choice", "check_bool", "format_range"]


#: Magnitude below which a value is taken as 0: no quantity of this course comes within a hundred
#: orders of magnitude of zero in its own unit, and the ODE solvers overflow on values near 1e-300.
PHYSICAL_ZERO = 1e-100


def format_range(low: float, high: float, unit: str = "") -> str:
    """Human-readable allowed range, e.g. ``0 to 300 mmHg``."""
    unit = f" {unit}" if unit and unit not in ("1", "fraction") else ""
    if math.isinf(high):
        return f"≥ {low:g}{unit}"
    return f"{low:g} to {high:g}{unit}"


def _as_real(name: str, value, unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number in {unit or 'its unit'}, got {value!r} "
                         f"(type {type(value).__name__})")
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"{name}={value} is not a finite number ({unit or 'no unit'})")
    return value


def check_number(name: str, value, *, unit: str, low: float = -math.inf, high: float = math.inf,
                 low_open: bool = False) -> float:
    """Return ``value`` as a float, or raise a ValueError saying what is allowed.

    Parameters
    ----------
    name : str
        Argument name as the caller wrote it (``"map_mmhg"``).
    value : real number
        The value to check; NaN and infinities are refused, a value closer to 0 than
        :data:`PHYSICAL_ZERO` is taken as 0.
    unit : str
        Unit shown in the message (``"mmHg"``).
    low, high : float
        Allowed closed interval (``low_open`` makes the lower bound exclusive,
        for quantities that must be strictly positive).
    """
    given = _as_real(name, value, unit)
    v = 0.0 if abs(given) < PHYSICAL_ZERO else given
    too_low = v <= low if low_open else v < low
    if too_low or v > high:
        shown_unit = "" if unit in ("1", "fraction") else f" {unit}"
        if low_open:
            upper = "" if math.isinf(high) else f" and at most {high:g}{shown_unit}"
            bound = f"greater than {low:g}{shown_unit}{upper}"
        else:
            bound = format_range(low, high, unit)
        what = "negative, which is impossible" if v < 0 <= low else "outside the allowed range"
        raise ValueError(f"{name}={given:g}{shown_unit} is {what}; allowed: {bound}")
    return v


def check_fraction(name: str, value, *, low: float = 0.0, high: float = 1.0, what: str = "fraction") -> float:
    """A quantity given as a fraction 0–1 (SaO₂, FiO₂, extraction, integrity).

    A value between 1 and 100 is almost always a percent typed by mistake: the
    message says so and shows the fraction that was probably meant.
    """
    v = _as_real(name, value, what)
    if high < v <= 100 and v > 1:
        raise ValueError(f"{name}={v:g} looks like a percent; give it as a {what} between "
                         f"{low:g} and {high:g} (e.g. {v / 100:g} for {v:g} %)")
    if not low <= v <= high:
        raise ValueError(f"{name}={v:g} is outside the allowed range; allowed: a {what} "
                         f"from {low:g} to {high:g}")
    return v


def check_choice(name: str, value, choices: Sequence[str]) -> str:
    """A string that must be one of ``choices`` (case-insensitive)."""
    if isinstance(value, str) and value.strip().lower() in choices:
        return value.strip().lower()
    allowed = ", ".join(repr(c) for c in choices)
    raise ValueError(f"{name}={value!r} is not one of the allowed values: {allowed}")


def check_bool(name: str, value) -> bool:
    """A yes/no flag; refuses strings like ``"no"`` that Python would call true."""
    if isinstance(value, (bool, np.bool_)) or value in (0, 1):
        return bool(value)
    raise ValueError(f"{name}={value!r} must be True or False")


def check_finite_series(name: str, values: Iterable[float]) -> np.ndarray:
    """Guard a model's output: refuse to return NaN or infinity silently."""
    arr = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"the model produced a non-finite value in {name!r}; the parameters "
                         "are outside what the model can integrate")
    return arr
