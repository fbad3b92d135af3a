"""Ruff, configured in pyproject.toml ([tool.ruff]), passes on the package, the tests and the book's
extension: lint (``ruff check``) and layout (``ruff format --check``). The pre-commit hooks
(.pre-commit-config.yaml) run the same checks before each commit."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUFF = Path(sys.executable).with_name("ruff")
CHECKED = ["sepsislab", "tests", "book/_ext"]

#: Files not yet formatted by ``ruff format`` (they were being changed on other branches when the
#: formatter came in). Run ``ruff check --fix sepsislab tests book/_ext && ruff format sepsislab
#: tests book/_ext`` and empty these lists; a test fails while a listed file already passes.
LINT_PENDING: list[str] = [
    "sepsislab/bench.py",
    "sepsislab/grading/cli.py",
    "sepsislab/grading/grade.py",
    "sepsislab/grading/isolation.py",
    "sepsislab/grading/lms.py",
    "sepsislab/grading/runner.py",
    "sepsislab/grading/sandbox.py",
    "sepsislab/interactive.py",
    "sepsislab/models/_ode.py",
    "sepsislab/models/nfkb.py",
    "tests/test_browser.py",
    "tests/test_build.py",
    "tests/test_ch2.py",
    "tests/test_claims_ch1.py",
    "tests/test_claims_ch3.py",
    "tests/test_exercises.py",
    "tests/test_grading.py",
    "tests/test_grading_security.py",
    "tests/test_inflammation.py",
    "tests/test_lms.py",
    "tests/test_notebooks.py",
    "tests/test_patient.py",
    "tests/test_report.py",
]
FORMAT_PENDING: list[str] = [
    "book/_ext/sepsislab_book.py",
    "sepsislab/bench.py",
    "sepsislab/clinical.py",
    "sepsislab/grading/bench.py",
    "sepsislab/grading/classdata.py",
    "sepsislab/grading/cli.py",
    "sepsislab/grading/extract.py",
    "sepsislab/grading/grade.py",
    "sepsislab/grading/isolation.py",
    "sepsislab/grading/lms.py",
    "sepsislab/grading/report.py",
    "sepsislab/grading/runner.py",
    "sepsislab/grading/sandbox.py",
    "sepsislab/interactive.py",
    "sepsislab/models/_ode.py",
    "sepsislab/models/barrier.py",
    "sepsislab/models/circulation.py",
    "sepsislab/models/coagulation.py",
    "sepsislab/models/cytokines.py",
    "sepsislab/models/immunoparalysis.py",
    "sepsislab/models/inflammation.py",
    "sepsislab/models/microcirculation.py",
    "sepsislab/models/nfkb.py",
    "sepsislab/models/oxygen.py",
    "sepsislab/models/sentry.py",
    "sepsislab/params.py",
    "sepsislab/precompute.py",
    "sepsislab/validation.py",
    "sepsislab/views/cascade.py",
    "sepsislab/views/outcomes.py",
    "sepsislab/views/oxygen.py",
    "sepsislab/views/sentry.py",
    "sepsislab/views/storm.py",
    "tests/conftest.py",
    "tests/test_accessibility.py",
    "tests/test_barrier.py",
    "tests/test_browser.py",
    "tests/test_ch2.py",
    "tests/test_circulation.py",
    "tests/test_claims_ch1.py",
    "tests/test_claims_ch3.py",
    "tests/test_clinical.py",
    "tests/test_coagulation.py",
    "tests/test_cytokines.py",
    "tests/test_exercises.py",
    "tests/test_grading.py",
    "tests/test_grading_security.py",
    "tests/test_immunoparalysis.py",
    "tests/test_inflammation.py",
    "tests/test_interactive.py",
    "tests/test_lms.py",
    "tests/test_microcirculation.py",
    "tests/test_nfkb.py",
    "tests/test_notebooks.py",
    "tests/test_oxygen.py",
    "tests/test_patient.py",
    "tests/test_report.py",
    "tests/test_sentry.py",
]


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(RUFF), *args], cwd=ROOT, capture_output=True, text=True)


def _excluding(pending: list[str]) -> list[str]:
    return ["--force-exclude", *(f"--extend-exclude={path}" for path in pending)] if pending else []


def test_ruff_lint_passes():
    proc = _ruff("check", "--no-cache", "--output-format=concise", *_excluding(LINT_PENDING), *CHECKED)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format_passes():
    proc = _ruff("format", "--check", "--no-cache", *_excluding(FORMAT_PENDING), *CHECKED)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("command", "path"), [("check", p) for p in LINT_PENDING] + [("format", p) for p in FORMAT_PENDING]
)
def test_pending_files_still_need_ruff(command, path):
    """Once a listed file passes, it must leave the list (so that the check covers it again)."""
    assert (ROOT / path).is_file(), f"{path} does not exist: drop it from the pending list"
    proc = _ruff(command, "--no-cache", *(["--check"] if command == "format" else []), path)
    assert proc.returncode != 0, f"{path} passes `ruff {command}` now: drop it from the pending list"
