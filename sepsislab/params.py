"""Model parameters as frozen dataclasses whose fields carry unit, range and source.

Every model module declares::

    @dataclass(frozen=True)
    class Params(ModelParams):
        k_pg: float = param(0.3, unit="1/h", low=0, high=5, source="reynolds2006",
                            doc="pathogen growth rate")

Constructing ``Params(k_pg=-1)`` raises a ValueError naming the field, value,
unit and allowed range. ``Params.table()`` renders the parameter table shown on
each book page, with citations, so the table and the code can never disagree.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields

from .validation import check_number, format_range

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

    def replace(self, **changes) -> "ModelParams":
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
    def table(cls, names=None):
        """The parameter table of a page, as MyST markdown with citations."""
        from IPython.display import Markdown

        rows = ["| Symbol | Meaning | Value | Unit | Allowed range | Source |",
                "|---|---|---|---|---|---|"]
        for f in fields(cls):
            m = f.metadata
            if "unit" not in m or (names is not None and f.name not in names):
                continue
            symbol = f"${m['symbol']}$" if m["symbol"] else f"`{f.name}`"
            src = m["source"]
            cite = src if " " in src or src == "illustrative" else f"{{cite:t}}`{src}`"
            rows.append(f"| {symbol} | {m['doc']} | {f.default:g} | {m['unit']} | "
                        f"{format_range(m['low'], m['high'])} | {cite} |")
        return Markdown("\n".join(rows))
