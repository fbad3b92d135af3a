"""What the ODE solver returned before ``models._ode.integrate`` clipped it at zero.

``integrate`` clips round-off negatives of every state, so ``state >= 0`` after it proves nothing.
Tests of non-negativity read the raw solution instead::

    with unclipped() as raw:
        sentry.simulate(...)
    assert raw[-1].min() >= -ROUND_OFF
"""

from contextlib import contextmanager

from sepsislab.models import _ode

#: Largest negative excursion accepted as solver round-off (states are of order 1 or larger;
#: the solvers run with an absolute tolerance of 1e-9 or finer).
ROUND_OFF = 1e-6


@contextmanager
def unclipped():
    """Collect the raw state arrays (one ``(states, times)`` array per solve) while active."""
    seen = []
    solve = _ode.solve_ivp

    def recording(*args, **kwargs):
        solution = solve(*args, **kwargs)
        seen.append(solution.y.copy())
        return solution

    _ode.solve_ivp = recording
    try:
        yield seen
    finally:
        _ode.solve_ivp = solve
