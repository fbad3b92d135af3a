"""Small helpers shared by the practice modules."""

from __future__ import annotations

import numpy as np


def uniform(rng: np.random.Generator, low: float, high: float, step: float) -> float:
    """A value drawn uniformly on the grid low, low+step, …, high (rounded like a bedside reading)."""
    n = int(round((high - low) / step))
    value = low + step * int(rng.integers(0, n + 1))
    decimals = max(0, -int(np.floor(np.log10(step)))) if step < 1 else 0
    return round(float(value), decimals) if decimals else int(round(value))


def pick(rng: np.random.Generator, options):
    """One of ``options`` (a sequence), as a plain Python value."""
    value = options[int(rng.integers(0, len(options)))]
    return value.item() if hasattr(value, "item") else value
