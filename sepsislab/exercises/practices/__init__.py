"""The practices of chapter 3, one per exercise notebook, in the book's order."""

from __future__ import annotations

from importlib import import_module

from ..core import Practice

#: Practice names in order; each is a module here and a notebook ``exercises/<name>.ipynb``.
NAMES = ("sentry", "storm", "haemodynamics", "starling", "dic", "oxygen", "lactate",
         "immunoparalysis", "sofa", "norepinephrine", "bedside")


def get(name: str) -> Practice:
    """The practice called ``name`` (ValueError listing the names otherwise)."""
    if name not in NAMES:
        raise ValueError(f"no practice called {name!r}; the practices are: {', '.join(NAMES)}")
    return import_module(f"{__name__}.{name}").PRACTICE


def all_practices() -> list[Practice]:
    return [get(n) for n in NAMES]
