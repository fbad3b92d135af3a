"""The package's layers (DESIGN.md, CONTRIBUTING.md) hold: nothing imports upward.

The contracts live in ``pyproject.toml`` (``[tool.importlinter]``) and are checked by import-linter's
``lint-imports``, which follows every import, including those inside functions.
"""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

#: Private modules that pages still import, each to be replaced by a public module (empty since chapter
#: 2's scenario runner became public as ``sepsislab.scenarios``).
PENDING_PRIVATE: set[str] = set()


def test_import_contracts_are_kept():
    """Layers bottom to top — validation, params and the interactive helper; clinical; models;
    patient, then cohort, then scenarios; views and exercises; bench, precompute, registry, grading — and no
    IPython, plotly or widgets below the views."""
    proc = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout and re.search(r"Contracts: [1-9]\d* kept", proc.stdout)


def test_every_package_module_is_in_a_layer():
    """A new top-level module must be placed in the contract, or nothing checks what it imports."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = next(c["layers"] for c in config["contracts"] if c["type"] == "layers")
    layered = set(re.findall(r"\w+", " ".join(layers)))
    modules = {p.stem for p in (ROOT / "sepsislab").glob("*.py") if p.stem != "__init__"}
    modules |= {p.name for p in (ROOT / "sepsislab").iterdir() if (p / "__init__.py").exists()}
    modules -= {"precomputed"}
    assert modules <= layered, f"not in any layer of pyproject.toml: {sorted(modules - layered)}"


def _page_imports(page: Path) -> set[str]:
    """Modules imported by the code cells of a MyST page."""
    cells = re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```", page.read_text(encoding="utf-8"), re.S | re.M)
    found = set()
    for cell in cells:
        code = "\n".join(line for line in cell.splitlines() if not line.startswith(":"))
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.ImportFrom) and node.module:
                found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
    return found


@pytest.mark.parametrize("page", sorted((ROOT / "book").rglob("*.md")), ids=lambda p: str(p.relative_to(ROOT / "book")))
def test_pages_import_only_public_modules(page):
    private = set()
    for module in _page_imports(page):
        parts = module.split(".")
        first = next((i for i, part in enumerate(parts) if part.startswith("_")), None)
        if parts[0] == "sepsislab" and first is not None:
            private.add(".".join(parts[: first + 1]))
    assert private <= PENDING_PRIVATE, f"{page.name} imports private {sorted(private - PENDING_PRIVATE)}"


def test_pending_private_modules_still_exist():
    """The exception above goes away with the module it excuses."""
    for name in PENDING_PRIVATE:
        assert (ROOT / Path(*name.split("."))).with_suffix(".py").exists(), f"drop {name} from PENDING_PRIVATE"
