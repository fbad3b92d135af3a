"""Grading that students cannot game and that cannot harm the teacher's machine (issue 10).

Exploit submissions are built from the real ``haemodynamics`` notebook. Each must earn nothing
and leave a note (and a FLAG, read from its code outside the kernel), while the honest key still
scores full marks and ``grades.csv`` comes out whole. The key, the output folder and the other
students' folders are copies in a temporary folder, so a failure of the sandbox cannot touch the
repository. The attacks of issue 15 are in ``test_grading_attacks.py``.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
import textwrap

import nbformat
import psutil
import pytest

from sepsislab.exercises import build as B
from sepsislab.exercises.practices import get
from sepsislab.grading import isolation
from sepsislab.grading.grade import Limits, grade_class

pytestmark = [pytest.mark.notebooks, pytest.mark.xdist_group("grading-security")]
NAME = "haemodynamics"
FENCED = isolation.bwrap_status()[0] or isolation.landlock_abi() > 0
WHY_NOT = "neither bubblewrap nor Landlock can run here: files are not fenced"
STUBS = ("map_mmhg", "svr", "shock_index", "svr_class", "shock_kind")


def _student(student_id: str, *cells: str, answers: dict | None = None):
    """The student notebook with ``cells`` added after the start cell and ``answers`` filled in."""
    nb = B.student_notebook(NAME)
    first = next(i for i, c in enumerate(nb.cells) if c.source.startswith("STUDENT_ID"))
    nb.cells[first].source = f"STUDENT_ID = {student_id!r}"
    start = next(i for i, c in enumerate(nb.cells) if "start(" in c.source)
    for k, code in enumerate(cells, 1):
        nb.cells.insert(start + k, nbformat.v4.new_code_cell(textwrap.dedent(code).strip()))
    for c in nb.cells:
        for var, value in (answers or {}).items():
            if c.source.strip() == f"{var} = ...":
                c.source = f"{var} = {value}"
    return nb


ALWAYS_EQUAL = """
class Sly:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return False
    def __gt__(self, other): return False
    def __le__(self, other): return True
    def __ge__(self, other): return True
    def __sub__(self, other): return 0.0
    __rsub__ = __sub__
    def __abs__(self): return 0.0
    def __float__(self): return 0.0
    def __round__(self, n=None): return self
class SlyFloat(float):
    def __eq__(self, other): return True
    def __sub__(self, other): return 0.0
    __rsub__ = __sub__
    def __abs__(self): return 0.0
class SlyStr(str):
    def __eq__(self, other): return True
    def lower(self): return self
    def strip(self): return self
"""

REBOUND = """
import builtins
builtins.abs = lambda x: 0
builtins.round = lambda x, n=None: 0
abs = lambda x: 0
float = lambda *a: 0.0
isinstance = lambda *a: True
"""

PATCHED_CHECK = """
import sepsislab.exercises as ex
import sepsislab.exercises.core as core
def check(question):
    print("✓ correct")
ex.check = check
grader = type("Grader", (), {"check": staticmethod(check)})()
always_right = lambda self, answer, case, hidden=(): core.Result(self.id, "correct", self.points, self.points, "ok")
core.Number.grade = core.Choice.grade = core.Integer.grade = always_right
core.to_plain = lambda value, depth=0: {"value": 0.0}
"""


def _reader(paths):
    return f"""
import os
from pathlib import Path
import sepsislab
repo = Path(sepsislab.__file__).resolve().parents[1]
targets = [repo / "exercises" / "source" / "{NAME}.md", Path.cwd().parent / "meta" / "job.json"] + {paths!r}
leaked = []
for target in targets:
    try:
        leaked.append(Path(target).read_text()[:20])
    except Exception:
        pass
for folder in [repo / "exercises"] + [Path(t).parent for t in {paths!r}]:   # the sandbox's own "/" is no leak
    try:
        leaked += os.listdir(folder)
    except Exception:
        pass
leaked += [k for k, v in os.environ.items() if "exercises" in v or "source" in v or "key" in k.lower()]
try:
    import exercises.source
    leaked.append("import")
except Exception:
    pass
"""


def _writer(paths):
    return f"""
from pathlib import Path
written = []
for target in {paths!r}:
    try:
        Path(target).write_text("pwned")
        written.append(target)
    except Exception:
        pass
"""


MEMORY_HOG = """
hog = [bytearray(8 * 1024 ** 3)]
"""

FORK_BOMB = """
import os, time
children = 0
for _ in range(300):          # bounded even without a sandbox
    pid = os.fork()
    if pid == 0:
        time.sleep(120)
        os._exit(0)
    children += 1
"""

CPU_HOG = """
x = 0
while True:
    x += 1
"""


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    root = tmp_path_factory.mktemp("attack")
    key = root / "key"
    shutil.copytree(B.exercises_dir() / "source", key)
    subs, out = root / "submissions", root / "out"
    out.mkdir()
    wrong = {"map_mmhg": "1e6", "svr": "1e6", "shock_index": "1e6", "svr_class": '"wrong"', "shock_kind": '"wrong"'}
    key_nb = B.key_notebook(NAME)
    next(c for c in key_nb.cells if c.source.startswith("STUDENT_ID")).source = 'STUDENT_ID = "alice_key"'
    honest = subs / "alice_key" / f"{NAME}.ipynb"
    targets = {
        "eve_always_equal": _student("eve", ALWAYS_EQUAL, answers={"map_mmhg": "Sly()", "svr": "SlyFloat(1.0)",
                                                                    "shock_index": "Sly()", "svr_class": 'SlyStr("x")',
                                                                    "shock_kind": 'SlyStr("x")'}),
        "mallory_builtins": _student("mallory", REBOUND, answers=wrong),
        "oscar_check": _student("oscar", PATCHED_CHECK, answers=wrong),
        "trudy_reads_key": _student("trudy", _reader([str(key / f"{NAME}.md"), str(key / "sofa.md")]),
                                    answers={**wrong, "svr_class": '"leaked" if leaked else "blocked"'}),
        "walter_writes": _student("walter", _writer([str(out / "grades.csv"), str(out / "hacked.txt"), str(honest),
                                                     str(key / f"{NAME}.md")]),
                                  answers={**wrong, "svr_class": '"wrote" if written else "blocked"'}),
        "hog_memory": _student("hog", MEMORY_HOG, answers={**wrong, "map_mmhg": "len(hog[0])"}),
        "fork_bomb": _student("forky", FORK_BOMB, answers={**wrong, "map_mmhg": "children"}),
        "cpu_hog": _student("cpu", CPU_HOG, answers=wrong),
    }
    honest.parent.mkdir(parents=True)
    nbformat.write(key_nb, honest)
    for student, nb in targets.items():
        (subs / student).mkdir(parents=True)
        nbformat.write(nb, subs / student / f"{NAME}.ipynb")
    before = {p: p.read_bytes() for p in [honest, *key.glob("*.md")]}
    grading_tmp = root / "tmp"
    grading_tmp.mkdir()
    old_tmp, tempfile.tempdir = tempfile.tempdir, str(grading_tmp)
    try:
        grade_class(subs, out / "grades.csv", limits=Limits(timeout=90, cpu_seconds=10), jobs=2, key=key,
                    practices=(NAME,), progress=lambda m: None)   # wall time generous: CI is loaded
    finally:
        tempfile.tempdir = old_tmp
    rows = list(csv.DictReader((out / "grades.csv").open()))
    return dict(rows=rows, out=out, before=before, grading_tmp=grading_tmp)


def _notes(attacked, student):
    rows = [r for r in attacked["rows"] if r["student"] == student]
    assert len(rows) == len(get(NAME).questions)
    return rows, " | ".join(r["note"] for r in rows)


def test_the_honest_key_still_scores_full_marks_without_flags(attacked):
    rows, notes = _notes(attacked, "alice_key")
    assert all(r["points"] == r["max_points"] for r in rows), notes
    assert "FLAG" not in notes


@pytest.mark.parametrize("student,words", [
    ("eve_always_equal", ["FLAG: q1: answer of a non-plain type rejected", "Sly", "SlyFloat", "SlyStr"]),
    ("mallory_builtins", ["FLAG: imports builtins", "FLAG: cell 3 patches builtins.abs", "rebinds `abs`",
                          "rebinds `float`", "rebinds `isinstance`"]),
    ("oscar_check", ["FLAG: cell 3 rebinds `check` (the exercise API)", "patches ex.check",
                     "patches core.Number.grade", "patches core.to_plain"]),
    ("hog_memory", ["memory limit"]),
    ("cpu_hog", ["CPU limit"]),
])
def test_each_exploit_earns_nothing_and_says_why(attacked, student, words):
    rows, notes = _notes(attacked, student)
    assert all(r["points"] == "0" for r in rows), notes
    for w in words:
        assert w in notes, notes


@pytest.mark.skipif(not FENCED, reason=WHY_NOT)
def test_the_key_cannot_be_read_from_the_notebook(attacked):
    rows, notes = _notes(attacked, "trudy_reads_key")
    assert all(r["points"] == "0" for r in rows)
    assert '"blocked" is not one of the options' in notes, notes   # what the notebook itself saw
    assert "FLAG: cell 3 names paths outside its folder" in notes


@pytest.mark.skipif(not FENCED, reason=WHY_NOT)
def test_nothing_outside_the_scratch_folder_can_be_written(attacked):
    rows, notes = _notes(attacked, "walter_writes")
    assert all(r["points"] == "0" for r in rows)
    assert '"blocked" is not one of the options' in notes, notes
    assert "FLAG: cell 3 names paths outside its folder" in notes
    assert not (attacked["out"] / "hacked.txt").exists()
    for path, content in attacked["before"].items():
        assert path.read_bytes() == content, f"{path} was modified"


def test_a_fork_bomb_is_capped_and_leaves_no_process_behind(attacked):
    rows, notes = _notes(attacked, "fork_bomb")
    assert all(r["points"] == "0" for r in rows)
    assert "FLAG: cell 3 uses os.fork" in notes and ("process limit" in notes or "BlockingIOError" in notes), notes
    marker = str(attacked["grading_tmp"])
    left = [p.pid for p in psutil.process_iter(["pid", "cmdline"])
            if any(marker in arg for arg in p.info["cmdline"] or [])]
    assert left == []
    assert list(attacked["grading_tmp"].iterdir()) == []


def test_grades_csv_is_intact(attacked):
    text = (attacked["out"] / "grades.csv").read_text()
    assert text.splitlines()[0] == "student,exercise,question,points,max_points,note"
    assert "pwned" not in text
    assert len(attacked["rows"]) == 9 * len(get(NAME).questions)
    assert len({r["student"] for r in attacked["rows"]}) == 9
