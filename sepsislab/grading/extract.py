"""Runs inside the submission's kernel, after the student's cells: answers out, as plain data.

The grader appends cells that call :func:`emit_values` and :func:`emit_function`.
They turn every answer into plain JSON data with
:func:`sepsislab.exercises.core.to_plain` and publish it as one display output
of a private MIME type. Nothing here decides a grade: the data is scored by the
grader in its own process. Student code that tampers with this module can
therefore only change the *data* reported — which is no more than writing a
different answer — and the tampering it leaves behind is reported as a flag.
"""

from __future__ import annotations

import builtins
import os
import sys

MIME = "application/vnd.sepsislab.answers+json"

#: Names that an honest notebook has no reason to rebind.
_WATCHED_BUILTINS = ("abs", "float", "int", "round", "isinstance", "type", "len", "sum", "min", "max",
                     "print", "repr", "str", "bool", "__import__", "getattr", "hasattr", "open")
_WATCHED_API = ("check", "progress", "export", "start", "grader")
_ORIGINAL = {name: getattr(builtins, name) for name in _WATCHED_BUILTINS}
_BEFORE: dict = {}
_API: dict = {}
_EVENTS: dict = {"read": [], "write": [], "spawn": 0, "network": []}
_OUTSIDE_MAX = 5


def _allowed_read_roots() -> tuple:
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))   # the sepsislab package
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, here, "/usr", "/lib", "/lib64", "/etc", "/proc",
             "/sys", "/dev", "/opt", "/bin"}
    return tuple(os.path.join(os.path.realpath(r), "") for r in roots) + tuple(os.path.join(r, "") for r in roots)


def _audit(scratch: str, read_ok: tuple):
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    prefix = os.path.join(scratch, "")

    def inside(path):
        return path == scratch or path.startswith(prefix) or path == "/dev/null"

    def record(kind, path):
        if len(_EVENTS[kind]) < _OUTSIDE_MAX and path not in _EVENTS[kind]:
            _EVENTS[kind].append(path)

    def hook(event, args):
        if event == "open" and args and isinstance(args[0], (str, bytes)):
            path = os.path.abspath(os.fsdecode(args[0]))
            mode, flags = args[1] if len(args) > 1 else "r", args[2] if len(args) > 2 else 0
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool((flags or 0) & write_flags)
            if inside(path):
                return
            if writing:
                record("write", path)
            elif not path.startswith(read_ok):
                record("read", path)
        elif event in ("os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes)):
            path = os.path.abspath(os.fsdecode(args[0]))
            if not inside(path) and not path.startswith(read_ok):
                record("read", path)
        elif event in ("os.fork", "os.forkpty", "os.system", "subprocess.Popen", "os.posix_spawn", "os.exec",
                       "os.spawn"):
            _EVENTS["spawn"] += 1
        elif event == "socket.connect":
            record("network", repr(args[1])[:80] if len(args) > 1 else "?")
    return hook


def snapshot(namespace: dict) -> None:
    """Called before the student's first cell: what the watched names are bound to in a fresh kernel,
    and an audit hook (it cannot be removed) that notes file access outside the scratch folder,
    new processes and network connections."""
    _BEFORE.update({n: namespace.get(n) for n in _WATCHED_BUILTINS + _WATCHED_API})
    import sepsislab.exercises as api

    _API.update({n: getattr(api, n) for n in ("check", "progress", "export", "start")})
    sys.addaudithook(_audit(os.getcwd(), _allowed_read_roots()))


def _publish(payload: dict) -> None:
    from IPython.display import display

    display({MIME: payload}, raw=True)


def _flags(namespace: dict) -> list[str]:
    flags = []
    changed = [n for n in _WATCHED_BUILTINS if getattr(builtins, n, None) is not _ORIGINAL[n]]
    if changed:
        flags.append("builtins rebound: " + ", ".join(changed))
    shadowed = [n for n in _WATCHED_BUILTINS if namespace.get(n) is not _BEFORE.get(n)]
    if shadowed:
        flags.append("builtin names redefined in the notebook: " + ", ".join(shadowed))
    api = sys.modules.get("sepsislab.exercises")
    for name in _WATCHED_API:
        if name in namespace and namespace[name] is not _API.get(name, _BEFORE.get(name)):
            flags.append(f"`{name}` redefined in the notebook")
        elif name in _API and getattr(api, name, None) is not _API[name]:
            flags.append(f"sepsislab.exercises.{name} patched")
    core = sys.modules.get("sepsislab.exercises.core")
    if core is not None and getattr(core.to_plain, "__module__", "") != "sepsislab.exercises.core":
        flags.append("sepsislab.exercises.core patched")
    if _EVENTS["read"]:
        flags.append("tried to read outside its folder: " + ", ".join(_EVENTS["read"]))
    if _EVENTS["write"]:
        flags.append("tried to write outside its folder: " + ", ".join(_EVENTS["write"]))
    if _EVENTS["spawn"]:
        flags.append(f"started {_EVENTS['spawn']} process(es)")
    if _EVENTS["network"]:
        flags.append("opened network connections: " + ", ".join(_EVENTS["network"]))
    return flags


def _context(namespace: dict, practice_name: str):
    from sepsislab.exercises import _session
    from sepsislab.exercises.core import normalise_id
    from sepsislab.exercises.practices import get

    practice = get(practice_name)
    if _session is not None and _session.practice.name == practice_name:
        sid = _session.student_id
    else:
        sid = normalise_id(namespace.get("STUDENT_ID", ""))
    return practice, sid, practice.case_for(sid)


def emit_values(namespace: dict, practice_name: str, nonce: str) -> None:
    """Publish the student id used, every non-function answer and the tampering flags."""
    practice, sid, case = _context(namespace, practice_name)
    answers = {q.id: q.collect(namespace, case) for q in practice.questions if q.kind != "function"}
    _publish({"nonce": nonce, "student_id": sid if type(sid) is str else "?", "answers": answers,
              "flags": _flags(namespace)})


def emit_function(namespace: dict, practice_name: str, qid: str, hidden: list, nonce: str) -> None:
    """Run one function question on its public and hidden cases; publish the results."""
    practice, _sid, case = _context(namespace, practice_name)
    q = practice.question(qid)
    _publish({"nonce": nonce, "question": qid, "answer": q.collect(namespace, case, hidden)})
