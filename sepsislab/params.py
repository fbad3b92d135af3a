"""Model parameters as frozen dataclasses whose fields carry unit, range and source.

Every model module declares::

    @dataclass(frozen=True)
    class Params(ModelParams):
        k_pg: float = param(0.3, unit="1/h", low=0, high=5, source="reynolds2006",
                            doc="pathogen growth rate")

Constructing ``Params(k_pg=-1)`` raises a ValueError naming the field, value,
unit and allowed range. ``Params.documented()`` lists the fields with their metadata, from which
:func:`sepsislab.views.tables.parameter_table` renders the table shown on each book page, with
citations, so the table and the code can never disagree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from .validation import check_number

__all__ = ["param", "ModelParams"]


def param(default: float, *, unit: str, low: float, high: float, source: str, doc: str,
          symbol: str = "", low_open: bool = False):
    """A dataclass field with the metadata every model parameter must carry.

    ``source`` is a BibTeX key of ``book/references.bib`` (or a short phrase such
    as ``"illustrative"`` when a value is chosen for teaching, which the table says).
    ``symbol`` is the LaTeX symbol used in the page's equations.
    """
    if not (low <= default <= high):
        raise AssertionError(f"default {default} outside its own range {low}..{high}")
    return field(default=default, metadata=dict(unit=unit, low=low, high=high, source=source,
                                                doc=doc, symbol=symbol, low_open=low_open))


@dataclass(frozen=True)
class ModelParams:
    """Base class: validates every field on construction."""

    def __post_init__(self):
        for f in fields(self):
            m = f.metadata
            if "unit" not in m:
                continue
            value = check_number(f.name, getattr(self, f.name), unit=m["unit"], low=m["low"],
                                 high=m["high"], low_open=m.get("low_open", False))
            object.__setattr__(self, f.name, value)

    def replace(self, **changes) -> ModelParams:
        """A copy with some fields changed (validated like the original)."""
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            allowed = ", ".join(f.name for f in fields(self))
            raise ValueError(f"unknown parameter(s) {sorted(unknown)}; allowed: {allowed}")
        return dataclasses.replace(self, **changes)

    @classmethod
    def spec(cls, name: str) -> dict:
        """Metadata of one field: unit, low, high, source, doc, symbol."""
        for f in fields(cls):
            if f.name == name:
                return dict(f.metadata, default=f.default)
        raise ValueError(f"{cls.__module__}.{cls.__name__} has no parameter {name!r}")

    @classmethod
    def documented(cls, names: Iterable[str] | None = None) -> list[tuple[str, dict]]:
        """The fields that carry a unit, range and source, with their metadata (see :meth:`spec`).

        Parameters
        ----------
        names : iterable of str, optional
            Fields to keep, in the class's order; all documented fields when omitted.

        Returns
        -------
        list of (str, dict)
            Field name and its metadata: ``unit``, ``low``, ``high``, ``source``, ``doc``,
            ``symbol`` and ``default``.
        """
        wanted = None if names is None else set(names)
        known = {f.name for f in fields(cls)}
        if wanted is not None and not wanted <= known:
            raise ValueError(f"{cls.__module__}.{cls.__name__} has no parameter(s) {sorted(wanted - known)}; "
                             f"allowed: {', '.join(sorted(known))}")
        return [(f.name, dict(f.metadata, default=f.default)) for f in fields(cls)
                if "unit" in f.metadata and (wanted is None or f.name in wanted)]
