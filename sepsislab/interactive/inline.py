"""Numbers for a page's prose, the same in the HTML book and in JupyterLab.

A page writes a computed number into a sentence as an inline expression,
``{eval}`f"{p_star:.2f}"```. Two readers evaluate it:

* the HTML book (the book's Sphinx extension, which keeps the execution cache) looks the name
  up among the values the page *glued* (myst-nb's ``glue``) and formats it;
* JupyterLab with ``jupyterlab-myst`` sends the expression to the kernel when the markdown
  cell is run, so the name must be a variable of the notebook by then.

:func:`share` does both for each number, so that the two cannot differ.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

__all__ = ["share"]


def share(**numbers: Any) -> None:
    """Give the page's prose its numbers: glue each one and bind it in the notebook.

    Call it in a code cell above the first markdown cell that uses the numbers (JupyterLab's
    *Run All* evaluates a markdown cell's inline expressions when it reaches the cell).

    Parameters
    ----------
    **numbers : int, float, str or numpy scalar
        Name and value of each number, e.g. ``share(p_star=0.97)``. The name is what the
        prose writes (``{eval}`f"{p_star:.2f}"```). A numpy scalar is stored as the plain
        Python number it holds (so that the HTML and the kernel format the same value).
        Units are those of the model the value comes from; the sentence states them.

    Returns
    -------
    None
        Each value is glued (``display=False``: no visible output) for the HTML book and bound
        under its name in the notebook's namespace: IPython's ``user_ns`` when a kernel runs
        the page, otherwise the caller's globals (a page run as a plain script, where nothing
        is glued).

    Raises
    ------
    ValueError
        If a value is not an int, float, str or numpy scalar, or is a number that is not
        finite (a NaN or infinity would be printed in a sentence).
    """
    shell = _shell()
    namespace = shell.user_ns if shell is not None else sys._getframe(1).f_globals
    values = {name: _plain(name, value) for name, value in numbers.items()}
    if shell is not None:
        from myst_nb import glue

        for name, value in values.items():
            glue(name, value, display=False)
    namespace.update(values)


def _shell():
    """The running IPython shell, or None (IPython is not imported just to find out)."""
    ipython = sys.modules.get("IPython")
    return ipython.get_ipython() if ipython is not None else None


def _plain(name: str, value: Any) -> int | float | str:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(
            f"share({name}=...): got {type(value).__name__} {value!r}; a page's prose takes an int, "
            "a float or a str (convert arrays and objects to the number the sentence states)"
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"share({name}={value!r}): the number is not finite; the prose would print {value!r}")
    return value
