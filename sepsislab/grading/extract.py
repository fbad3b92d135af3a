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
import sys

MIME = "application/vnd.sepsislab.answers+json"

#: Names that an honest notebook has no reason to rebind.
_WATCHED_BUILTINS = ("abs", "float", "int", "round", "isinstance", "type", "len", "sum", "min", "max",
                     "print", "repr", "str", "bool", "__import__", "getattr", "hasattr", "open")
_WATCHED_API = ("check", "progress", "export", "start", "grader")
_ORIGINAL = {name: getattr(builtins, name) for name in _WATCHED_BUILTINS}
_BEFORE: dict = {}


def snapshot(namespace: dict) -> None:
    """Called before the student's first cell: what the watched names are bound to in a fresh kernel."""
    _BEFORE.update({n: namespace.get(n) for n in _WATCHED_BUILTINS + _WATCHED_API})


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
        if name in namespace and (api is None or namespace[name] is not getattr(api, name, None)):
            flags.append(f"`{name}` redefined in the notebook")
    core = sys.modules.get("sepsislab.exercises.core")
    if core is not None and getattr(core.to_plain, "__module__", "") != "sepsislab.exercises.core":
        flags.append("sepsislab.exercises.core patched")
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
