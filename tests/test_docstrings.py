"""Every public function of the bedside formulas, the models and the students' exercise API has a
numpydoc docstring with Parameters (each argument, by name) and Returns sections."""

import importlib
import inspect
import pkgutil
import re

import pytest

import sepsislab.models

MODULES = [
    "sepsislab.clinical",
    "sepsislab.exercises",
    "sepsislab.cohort",
    "sepsislab.scenarios",
    *(f"sepsislab.patient.{m}" for m in ("parameters", "simulation", "organs")),
    *(
        f"sepsislab.models.{m.name}"
        for m in pkgutil.iter_modules(sepsislab.models.__path__)
        if not m.name.startswith("_")
    ),
]


def _public_functions(module):
    """Functions defined in ``module`` and public methods of its classes, by qualified name."""
    for name, obj in vars(module).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj):
            yield name, obj
        elif inspect.isclass(obj):
            for method_name, method in vars(obj).items():
                function = getattr(method, "__func__", method)
                if not method_name.startswith("_") and inspect.isfunction(function):
                    yield f"{name}.{method_name}", function


def _section(doc: str, title: str) -> str | None:
    """The body of a numpydoc section (up to the next underlined title), or None."""
    match = re.search(rf"^{title}\n-{{{len(title)}}}\n(.*?)(?=^\w[\w ]*\n-+\n|\Z)", doc, re.M | re.S)
    return match.group(1) if match else None


def _documented_names(section: str) -> set[str]:
    names = set()
    for line in section.splitlines():
        if line and not line[0].isspace():
            names |= {n.strip().lstrip("*") for n in line.split(":")[0].split(",")}
    return names


FUNCTIONS = [(f"{m}.{name}", f) for m in MODULES for name, f in _public_functions(importlib.import_module(m))]


def test_the_public_api_is_found():
    assert len(FUNCTIONS) > 60
    assert {
        "sepsislab.clinical.sofa_score",
        "sepsislab.models.barrier.bolus_retention",
        "sepsislab.exercises.check",
    } <= {name for name, _ in FUNCTIONS}


@pytest.mark.parametrize(("name", "function"), FUNCTIONS, ids=[name for name, _ in FUNCTIONS])
def test_public_function_has_numpydoc_parameters_and_returns(name, function):
    doc = inspect.getdoc(function) or ""
    arguments = [p for p in inspect.signature(function).parameters if p not in ("self", "cls")]
    if arguments:
        section = _section(doc, "Parameters")
        assert section is not None, f"{name}: no Parameters section"
        missing = set(arguments) - _documented_names(section)
        assert not missing, f"{name}: Parameters does not describe {sorted(missing)}"
    returns = _section(doc, "Returns")
    assert returns and returns.strip(), f"{name}: no Returns section"
