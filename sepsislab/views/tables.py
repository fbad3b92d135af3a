"""Tables that pages display as Markdown: model parameters with their sources, and shock signatures.

The models hold the numbers and their metadata (:mod:`sepsislab.params`); rendering them for a
page happens here, in the views layer, so that no model imports IPython. A page calls, in a
``remove-input`` cell::

    from sepsislab.views.tables import parameter_table
    parameter_table(sentry.Params)
"""

from __future__ import annotations

from collections.abc import Iterable

from ..models import circulation
from ..params import ModelParams
from ..validation import format_range

__all__ = ["parameter_table", "parameter_table_markdown", "shock_signature_table"]


def _markdown(text: str):
    """``text`` as an IPython Markdown object, which myst-nb renders as MyST (citations included)."""
    from IPython.display import Markdown

    return Markdown(text)


def _cite(source: str) -> str:
    """A BibTeX key becomes a ``{cite:t}`` role; a phrase (``"illustrative"``…) stays as written."""
    return source if " " in source or source == "illustrative" else f"{{cite:t}}`{source}`"


def parameter_table_markdown(params: type[ModelParams], names: Iterable[str] | None = None) -> str:
    """The parameter table of a model as MyST Markdown text.

    Parameters
    ----------
    params : ModelParams subclass
        The model's ``Params`` class (its fields carry unit, range, source, meaning and symbol).
    names : iterable of str, optional
        The fields to list, in the class's order; every documented field when omitted.

    Returns
    -------
    str
        A Markdown table: symbol, meaning, default value, unit, allowed range and source (cited).
    """
    rows = ["| Symbol | Meaning | Value | Unit | Allowed range | Source |", "|---|---|---|---|---|---|"]
    for name, spec in params.documented(names):
        symbol = f"${spec['symbol']}$" if spec["symbol"] else f"`{name}`"
        rows.append(
            f"| {symbol} | {spec['doc']} | {spec['default']:g} | {spec['unit']} | "
            f"{format_range(spec['low'], spec['high'])} | {_cite(spec['source'])} |"
        )
    return "\n".join(rows)


def parameter_table(params: type[ModelParams], names: Iterable[str] | None = None):
    """The parameter table of a page, displayed as Markdown with citations.

    Parameters
    ----------
    params : ModelParams subclass
        The model's ``Params`` class.
    names : iterable of str, optional
        The fields to list; every documented field when omitted.

    Returns
    -------
    IPython.display.Markdown
        :func:`parameter_table_markdown`, ready to display as a cell's output.
    """
    return _markdown(parameter_table_markdown(params, names))


_LABELS = dict(
    map="MAP (mmHg)", cardiac_output="CO (L/min)", svr="SVR (dyn·s·cm⁻⁵)", cvp="CVP (mmHg)", heart_rate="HR (/min)"
)
_FORMATS = dict(map="{:.0f}", cardiac_output="{:.1f}", svr="{:.0f}", cvp="{:.1f}", heart_rate="{:.0f}")


def shock_signature_table(severity: float = 0.9, params: circulation.Params | None = None):
    """:func:`sepsislab.models.circulation.signature_table` as a Markdown table, healthy values first.

    Parameters
    ----------
    severity : float
        Severity of each kind of shock, 0–1 (dimensionless).
    params : circulation.Params, optional
        Circulation parameters (the published defaults when omitted).

    Returns
    -------
    IPython.display.Markdown
        One row per kind of shock: the direction (↑ ↓ →) and value of MAP (mmHg), cardiac output
        (L/min), SVR (dyn·s·cm⁻⁵), CVP (mmHg) and heart rate (/min).
    """
    rows = circulation.signature_table(severity, params)
    base = circulation.shock_state("none", 0.0, params)
    keys = list(_LABELS)
    lines = [
        "| Shock | " + " | ".join(_LABELS[k] for k in keys) + " |",
        "|---|" + "---|" * len(keys),
        "| none (healthy) | " + " | ".join(_FORMATS[k].format(base[k]) for k in keys) + " |",
    ]
    for kind, cells in rows.items():
        values = " | ".join(f"{cells[k][0]} {_FORMATS[k].format(cells[k][1])}" for k in keys)
        lines.append(f"| {kind} | {values} |")
    return _markdown("\n".join(lines))
