"""Ruff, configured in pyproject.toml ([tool.ruff]), passes on the package, the tests, the book's
extension and the scripts: lint (``ruff check``) and layout (``ruff format --check``). The
pre-commit hooks (.pre-commit-config.yaml) run the same checks before each commit; to fix what
they report, run ``ruff check --fix`` and ``ruff format`` on the same folders."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUFF = Path(sys.executable).with_name("ruff")
CHECKED = ["sepsislab", "tests", "book/_ext", "scripts"]


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(RUFF), *args, "--no-cache", *CHECKED], cwd=ROOT, capture_output=True, text=True)


def test_ruff_lint_passes():
    proc = _ruff("check", "--output-format=concise")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format_passes():
    proc = _ruff("format", "--check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
