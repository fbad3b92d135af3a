"""Questions, per-student cases and specific feedback for the exercise notebooks.

A *practice* (one notebook) draws a *case* — the patient's numbers — from a
seed derived from the student's identifier, and asks *questions* about it. The
expected answer of every question is computed from the reference
implementation (:mod:`sepsislab.clinical`, :mod:`sepsislab.models`) for that
case, so no literal answer is written in any file a student sees.

Grading is split in two steps that never share a namespace:

``collect``
    runs where the student's answers live (the notebook's kernel) and turns an
    answer into plain JSON data (:func:`to_plain`): numbers, strings, lists. An
    object of any other type — an ``AlwaysEqual`` object, a float subclass —
    is *rejected*, never compared.
``grade``
    a pure function of that plain data and the case. ``check()`` in the
    notebook calls it for instant feedback; ``sepsislab-grade`` calls the same
    function in its own clean process on the data extracted from a
    submission, so what a student sees and what the teacher gets agree.
"""

from __future__ import annotations

import hashlib
import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

__all__ = ["Case", "Practice", "Result", "Number", "Integer", "Choice", "Function", "Slip",
           "to_plain", "seed_for", "normalise_id", "DEMO_ID", "collect_function", "emit_answers"]

#: The identifier used when a student has not written theirs (and by the key).
DEMO_ID = "demo"

# Limits on what an answer may be: big enough for any honest answer.
_MAX_ITEMS = 1000
_MAX_TEXT = 2000
_MAX_DEPTH = 3


# -- per-student cases ---------------------------------------------------------

def normalise_id(student_id: Any) -> str:
    """The identifier as it seeds the case: trimmed, lower case, ``demo`` when empty."""
    text = student_id.strip().lower() if isinstance(student_id, str) else ""
    return text or DEMO_ID


def seed_for(practice: str, student_id: Any) -> int:
    """A stable 64-bit seed from the practice name and the student's identifier."""
    digest = hashlib.sha256(f"sepsislab:{practice}:{normalise_id(student_id)}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


@dataclass(frozen=True)
class Entry:
    """One line of the case card: attribute name, what it is, and its unit."""

    name: str
    label: str
    unit: str = ""


class Case(Mapping):
    """The numbers of one student's variant: ``case.sbp`` or ``case["sbp"]``.

    Displays as a *case card* (a table of label, value and unit) in a notebook.
    """

    def __init__(self, practice: str, student_id: str, values: dict, card: Sequence[Entry]):
        self._values = dict(values)
        self._card = tuple(card)
        self.practice = practice
        self.student_id = student_id

    def __getitem__(self, key):
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)

    def __getattr__(self, name):
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(f"the case has no {name!r}; it has: {', '.join(self._values)}") from None

    def _rows(self):
        for e in self._card:
            yield e.label, _fmt(self._values[e.name]), e.unit, e.name

    def __repr__(self) -> str:
        rows = list(self._rows())
        width = max(len(r[0]) for r in rows)
        lines = [f"Case card — {self.practice}, student {self.student_id!r}"]
        lines += [f"  {lab:<{width}}  {val} {unit}".rstrip() + f"   (case.{name})" for lab, val, unit, name in rows]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html
        body = "".join(f"<tr><td>{html.escape(lab)}</td><td style='text-align:right'><b>{html.escape(val)}</b></td>"
                       f"<td>{html.escape(unit)}</td><td><code>case.{name}</code></td></tr>"
                       for lab, val, unit, name in self._rows())
        return (f"<table class='sepsislab-case'><caption>Case card — {html.escape(self.practice)}, "
                f"student {html.escape(repr(self.student_id))}</caption>{body}</table>")


def _fmt(value) -> str:
    if isinstance(value, bool) or isinstance(value, str):
        return "yes" if value is True else "no" if value is False else value
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return f"{float(value):.4g}"
    return str(value)


# -- answers as plain data ------------------------------------------------------

class _Missing:
    def __repr__(self):
        return "MISSING"


MISSING = _Missing()

_PLAIN_SCALARS = (bool, int, float, str, type(None))
_NUMPY_SCALARS = (np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
                  np.uint64, np.float16, np.float32, np.float64)


def to_plain(value, depth: int = 0) -> dict:
    """Wrap an answer as plain JSON data: ``{"value": …}``, ``{"unanswered": …}`` or ``{"rejected": …}``.

    Only exact built-in types are accepted (``type(x) is float``, not
    ``isinstance``), so a subclass or an object overriding ``__eq__``,
    ``__float__`` and friends is rejected with its type's name and compared with
    nothing.
    """
    if value is MISSING:
        return {"unanswered": "not defined"}
    if value is Ellipsis:
        return {"unanswered": "still ..."}
    kind = type(value)
    if kind in _NUMPY_SCALARS:
        value, kind = value.item(), type(value.item())
    if kind in _PLAIN_SCALARS:
        if kind is float and not math.isfinite(value):
            return {"nonfinite": repr(value)}
        if kind is int and abs(value) > 10**15:
            value = float(value)
        if kind is str and len(value) > _MAX_TEXT:
            value = value[:_MAX_TEXT]
        return {"value": value}
    if kind in (list, tuple) or (kind is np.ndarray and value.dtype.kind in "biuf"):
        items = value.tolist() if kind is np.ndarray else list(value)
        if depth >= _MAX_DEPTH or len(items) > _MAX_ITEMS:
            return {"rejected": f"{kind.__name__} too large or too deeply nested"}
        out = []
        for item in items:
            plain = to_plain(item, depth + 1)
            if "value" not in plain:
                return plain if "rejected" in plain else {"rejected": f"{kind.__name__} holding {plain}"}
            out.append(plain["value"])
        return {"value": out}
    name = getattr(kind, "__name__", "?")
    return {"rejected": name if isinstance(name, str) else "?"}


def _valid_plain(answer) -> bool:
    """Re-check, on the grading side, that data read back from JSON is plain (belt and braces)."""
    if not isinstance(answer, dict) or len(answer) != 1:
        return False
    (key, value), = answer.items()
    if key in ("unanswered", "rejected", "nonfinite", "error"):
        return type(value) is str
    if key != "value":
        return False

    def ok(v, depth=0):
        if type(v) in _PLAIN_SCALARS:
            return True
        return type(v) is list and depth < _MAX_DEPTH and all(ok(x, depth + 1) for x in v)
    return ok(value)


# -- results -----------------------------------------------------------------------

@dataclass
class Result:
    """Outcome of one question: points and a message that says what is wrong and how to fix it."""

    question: str
    status: str          # "correct", "wrong", "unanswered", "rejected"
    points: float
    max_points: float
    message: str
    title: str = ""

    @property
    def symbol(self) -> str:
        return {"correct": "✓", "wrong": "✗", "unanswered": "·", "rejected": "✗"}.get(self.status, "?")

    def __str__(self) -> str:
        pts = f"{_pts(self.points)}/{_pts(self.max_points)} point{'s' if self.max_points != 1 else ''}"
        head = f"{self.symbol} {self.question} · {self.title} — {pts}" if self.title else \
            f"{self.symbol} {self.question} — {pts}"
        return head + "\n" + "\n".join("  " + line for line in self.message.splitlines())


def _pts(x: float) -> str:
    return f"{x:g}"


# -- question kinds -----------------------------------------------------------------

@dataclass(frozen=True)
class Slip:
    """A typical mistake: the value it produces for a case, and what to say about it."""

    value: Callable[[Case], Any]
    message: str


@dataclass
class Question:
    """Common fields: id (``"q3"``), the answer variable, points, a title and a hint."""

    id: str
    var: str
    points: float
    title: str
    hint: str = ""

    kind = "question"

    def describe(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def expected(self, case: Case):  # pragma: no cover - overridden
        raise NotImplementedError

    # Runs in the student's kernel: returns plain data only.
    def collect(self, namespace: Mapping, case: Case, hidden: Sequence[dict] = ()) -> dict:
        return to_plain(namespace.get(self.var, MISSING))

    # Pure: plain data in, Result out. Same code for check() and for the grader.
    def grade(self, answer: dict, case: Case, hidden: Sequence[dict] = ()) -> Result:
        if not _valid_plain(answer):
            return self._result("rejected", 0, "the answer could not be read as plain data")
        if "unanswered" in answer:
            return self._result("unanswered", 0, f"not answered yet: give `{self.var}` a value "
                                f"({self.describe()}) in place of the `...`")
        if "rejected" in answer:
            return self._result("rejected", 0, f"`{self.var}` is an object of type {answer['rejected']!s}, "
                                f"which is not accepted: give {self.describe()}")
        if "nonfinite" in answer:
            return self._result("wrong", 0, f"`{self.var}` is {answer['nonfinite']}, not a finite number; "
                                "look for a division by zero or a missing value")
        return self._grade_value(answer["value"], case, hidden)

    def _grade_value(self, value, case, hidden) -> Result:  # pragma: no cover - overridden
        raise NotImplementedError

    def _result(self, status: str, points: float, message: str, hint: bool = False) -> Result:
        if hint and self.hint:
            message += f"\nHint: {self.hint}"
        return Result(self.id, status, points, self.points, message, self.title)


def _as_number(value) -> float | None:
    if type(value) in (int, float):
        return float(value)
    return None


@dataclass
class Number(Question):
    """A numeric answer with a unit and a stated tolerance (absolute ``tol`` or relative ``rel``).

    Besides ``slips`` written for the question, the feedback recognises a
    fraction given as a percent (and the reverse), a factor of 10, 100 or 1000,
    and a wrong sign.
    """

    answer: Callable[[Case], float] = None
    unit: str = ""
    tol: float | None = None
    rel: float | None = None
    slips: Sequence[Slip] = ()
    fraction: bool = False        # the answer is a fraction 0–1 (percent given by mistake is named)
    percent: bool = False         # the answer is a percent (fraction given by mistake is named)

    kind = "number"

    def describe(self) -> str:
        what = "a fraction between 0 and 1" if self.fraction else "a number" + (f" in {self.unit}" if self.unit else "")
        return f"{what}, {self._tolerance_text()}"

    def _tolerance_text(self) -> str:
        if self.tol is not None:
            return f"within ±{self.tol:g}" + (f" {self.unit}" if self.unit and not self.fraction else "")
        return f"within ±{100 * self.rel:g} %"

    def expected(self, case: Case) -> float:
        return float(self.answer(case))

    def _close(self, value: float, target: float) -> bool:
        if self.tol is not None:
            return abs(value - target) <= self.tol + 1e-12
        return abs(value - target) <= self.rel * abs(target) + 1e-12

    def _grade_value(self, value, case, hidden) -> Result:
        x = _as_number(value)
        if x is None:
            shown = repr(value)[:60]
            if type(value) is str:
                try:
                    float(value.replace(",", "."))
                    return self._result("wrong", 0, f"`{self.var}` is the text {shown}: write the number "
                                        "without quotes (and without the unit)")
                except ValueError:
                    pass
            return self._result("wrong", 0, f"`{self.var}` should be {self.describe()}; got {shown}")
        target = self.expected(case)
        unit = f" {self.unit}" if self.unit and not self.fraction else ""
        if self._close(x, target):
            return self._result("correct", self.points, f"correct: {x:.4g}{unit} ({self._tolerance_text()})")
        for slip in self.slips:
            try:
                wrong = float(slip.value(case))
            except (ValueError, ZeroDivisionError):
                continue
            if self._close(x, wrong):
                return self._result("wrong", 0, f"{x:.4g}{unit} is not right: {slip.message}", hint=True)
        if target != 0:
            ratio = x / target
            if self.fraction and math.isclose(ratio, 100, rel_tol=0.02):
                return self._result("wrong", 0, f"{x:.4g} looks like a percent: give a fraction between "
                                    f"0 and 1 (e.g. {x / 100:.3g} for {x:.3g} %)", hint=True)
            if self.percent and math.isclose(ratio, 0.01, rel_tol=0.02):
                return self._result("wrong", 0, f"{x:.4g} looks like a fraction: give a percent "
                                    f"(e.g. {100 * x:.3g} for {x:.3g})", hint=True)
            for k in (1, 2, 3):
                for sign in (1, -1):
                    if math.isclose(abs(ratio), 10.0 ** (sign * k), rel_tol=0.02):
                        direction = "too large" if sign > 0 else "too small"
                        return self._result(
                            "wrong", 0, f"{x:.4g}{unit} is {direction} by a factor of {10 ** k:g}: "
                            "check the units you converted and the decimal point"
                            + (" (and the sign)" if ratio < 0 else ""), hint=True)
            if ratio < 0 and self._close(-x, target):
                return self._result("wrong", 0, f"{x:.4g}{unit} has the wrong sign; the size is right",
                                    hint=True)
        direction = "too high" if x > target else "too low"
        return self._result("wrong", 0, f"{x:.4g}{unit} is {direction} (needed {self._tolerance_text()} "
                            "of the reference)", hint=True)


@dataclass
class Integer(Question):
    """A whole-number answer such as a score; exact."""

    answer: Callable[[Case], int] = None
    unit: str = "points"
    slips: Sequence[Slip] = ()

    kind = "integer"

    def describe(self) -> str:
        return f"a whole number ({self.unit})"

    def expected(self, case: Case) -> int:
        return int(self.answer(case))

    def _grade_value(self, value, case, hidden) -> Result:
        if type(value) is float and value.is_integer():
            value = int(value)
        if type(value) is not int:
            return self._result("wrong", 0, f"`{self.var}` should be {self.describe()}; got {repr(value)[:60]}")
        target = self.expected(case)
        if value == target:
            return self._result("correct", self.points, f"correct: {value} {self.unit}")
        for slip in self.slips:
            try:
                wrong = int(slip.value(case))
            except (ValueError, ZeroDivisionError):
                continue
            if value == wrong:
                return self._result("wrong", 0, f"{value} is not right: {slip.message}", hint=True)
        off = value - target
        if abs(off) <= 2:
            return self._result("wrong", 0, f"{value} is close but {abs(off)} {self.unit} too "
                                f"{'high' if off > 0 else 'low'}: recheck each component", hint=True)
        return self._result("wrong", 0, f"{value} is {'too high' if off > 0 else 'too low'}", hint=True)


@dataclass
class Choice(Question):
    """One option out of a few; a wrong option gets the explanation written for it.

    ``options`` maps each option (lower case) to what to say when it is chosen
    wrongly. ``True``/``False`` are accepted for the options ``"yes"``/``"no"``.
    """

    answer: Callable[[Case], str] = None
    options: Mapping[str, str] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)   # other spellings accepted

    kind = "choice"

    def describe(self) -> str:
        return "one of " + ", ".join(f'"{o}"' for o in self.options)

    def expected(self, case: Case) -> str:
        return self.answer(case)

    def _grade_value(self, value, case, hidden) -> Result:
        if type(value) is bool and set(self.options) >= {"yes", "no"}:
            value = "yes" if value else "no"
        if type(value) is not str:
            return self._result("wrong", 0, f"`{self.var}` should be {self.describe()} (a text in quotes); "
                                f"got {repr(value)[:60]}")
        chosen = " ".join(value.strip().lower().split())
        chosen = self.aliases.get(chosen, chosen)
        if chosen not in self.options:
            return self._result("wrong", 0, f'"{value[:60]}" is not one of the options: {self.describe()}')
        target = self.expected(case)
        if chosen == target:
            return self._result("correct", self.points, f'correct: "{chosen}"')
        why = self.options[chosen]
        return self._result("wrong", 0, f'"{chosen}" is not right' + (f": {why}" if why else ""), hint=True)


@dataclass
class Function(Question):
    """A short function the student writes; run on public cases in ``check()``, on hidden ones too
    when graded. Points are shared evenly between the cases passed.

    ``reference`` computes the expected value from keyword arguments;
    ``public_cases(case)`` gives the cases ``check()`` runs; a case that the
    reference refuses with ``ValueError`` must be refused by the student's
    function too.
    """

    reference: Callable[..., Any] = None
    args: Sequence[str] = ()
    public_cases: Callable[[Case], list] = None
    rel: float = 1e-3
    unit: str = ""

    kind = "function"

    def describe(self) -> str:
        return f"a function `{self.var}({', '.join(self.args)})`"

    def cases(self, case: Case, hidden: Sequence[dict] = ()) -> list[dict]:
        return list(self.public_cases(case)) + [dict(h) for h in hidden]

    def collect(self, namespace: Mapping, case: Case, hidden: Sequence[dict] = ()) -> dict:
        return collect_function(namespace.get(self.var, MISSING), self.cases(case, hidden))

    def expected_for(self, kwargs: dict):
        try:
            return float(self.reference(**kwargs))
        except ValueError:
            return ValueError

    def grade(self, answer: dict, case: Case, hidden: Sequence[dict] = ()) -> Result:
        if isinstance(answer, dict) and "calls" in answer and _valid_calls(answer["calls"]):
            return self._grade_calls(answer["calls"], case, hidden)
        if _valid_plain(answer) and "value" in answer:
            return self._result("rejected", 0, f"`{self.var}` is a value, not a function: write "
                                f"{self.describe()}")
        return super().grade(answer, case, hidden)

    def _grade_calls(self, calls, case, hidden) -> Result:
        cases = self.cases(case, hidden)
        if len(calls) != len(cases):
            return self._result("wrong", 0, f"`{self.var}` could not be run on the test cases")
        if all(c.get("value", 0) is None for c in calls):
            return self._result("unanswered", 0, f"not answered yet: `{self.var}` returns None — write its "
                                "body and `return` the result")
        n_public = len(cases) - len(hidden)
        failures = []
        for i, (kwargs, got) in enumerate(zip(cases, calls)):
            failure = (self._hidden_failure if i >= n_public else self._public_failure)(kwargs, got)
            if failure:
                failures.append(failure)
        passed = len(cases) - len(failures)
        if not failures:
            return self._result("correct", self.points, f"correct on all {len(cases)} test cases")
        points = round(self.points * passed / len(cases), 2)
        msg = f"{passed} of {len(cases)} test cases pass:\n" + "\n".join("- " + f for f in failures)
        return self._result("wrong", points, msg, hint=True)


    def _passes(self, kwargs: dict, got: dict) -> bool:
        want = self.expected_for(kwargs)
        if want is ValueError:
            return got.get("raised", "").startswith("ValueError")
        x = _as_number(got.get("value"))
        return x is not None and math.isclose(x, want, rel_tol=self.rel, abs_tol=1e-9)

    def _public_failure(self, kwargs: dict, got: dict) -> str:
        """What failed on a public case (its inputs and expected value are public: ``check`` shows them)."""
        if self._passes(kwargs, got):
            return ""
        label = "(" + ", ".join(f"{k}={v:g}" if type(v) in (int, float) else f"{k}={v!r}"
                                for k, v in kwargs.items()) + ")"
        want = self.expected_for(kwargs)
        if want is ValueError:
            return f"{label}: should raise ValueError (the input is impossible)"
        if "raised" in got:
            return f"{label}: raised {got['raised'][:160]}"
        x = _as_number(got.get("value"))
        if x is None:
            shown = got.get("value", next(iter(got.values())))
            return f"{label}: returned {str(shown)[:60]}, not a number"
        extra = ""
        if want and any(math.isclose(x / want, f, rel_tol=0.01) for f in (60, 1 / 60)):
            extra = " — a factor of 60: minutes and hours?"
        elif want and any(math.isclose(abs(x / want), 10.0 ** k, rel_tol=0.01) for k in (-3, -2, -1, 1, 2, 3)):
            extra = " — a power of ten: check the unit conversion"
        return f"{label}: returned {x:.4g}, should be {want:.4g}{extra}"

    def _hidden_failure(self, kwargs: dict, got: dict) -> str:
        """A hidden case says only that it failed: never its inputs, its expected value, what the
        function returned or the text (or type name) of what it raised — any of them could carry
        the hidden inputs out."""
        return "" if self._passes(kwargs, got) else "a hidden test fails"


def collect_function(fn, calls: Sequence[dict]) -> dict:
    """Run a student's function on each keyword-argument dict; plain data only comes back.

    Runs where the student's code lives (their kernel); an exception is reported as
    ``{"raised": "TypeName: message"}`` (the grader shows it for public cases only).
    """
    if fn is MISSING or fn is Ellipsis:
        return to_plain(fn)
    if not callable(fn):
        return {"rejected": f"{type(fn).__name__} (not a function)"}
    out = []
    for kwargs in calls:
        try:
            got = fn(**kwargs)
        except Exception as exc:  # the student's function may raise anything
            out.append({"raised": f"{type(exc).__name__}: {str(exc)[:200]}"[:300]})
        else:
            out.append(to_plain(got))
    return {"calls": out}


#: The MIME type of the one display output that carries a graded notebook's answers out.
ANSWERS_MIME = "application/vnd.sepsislab.answers+json"


def emit_answers(namespace: Mapping, variables: Mapping[str, str], functions: Mapping[str, tuple],
                 nonce: str) -> None:
    """Publish a graded notebook's answers as plain data (one display output, :data:`ANSWERS_MIME`).

    Called by the grader's cells after the student's cells, in the student's kernel:
    ``variables`` maps a question id to its answer variable, ``functions`` a question
    id to ``(function name, keyword-argument dicts)``. Nothing here knows an expected
    value or decides anything: the grader scores the data outside the kernel, so
    student code that tampers with this function can only change the data reported —
    no more than writing another answer.
    """
    from IPython.display import display

    answers = {qid: to_plain(namespace.get(var, MISSING)) for qid, var in variables.items()}
    calls = {qid: collect_function(namespace.get(var, MISSING), cases) for qid, (var, cases) in functions.items()}
    display({ANSWERS_MIME: {"nonce": nonce, "answers": answers, "functions": calls}}, raw=True)


def _valid_calls(calls) -> bool:
    if type(calls) is not list or len(calls) > _MAX_ITEMS:
        return False
    return all((isinstance(c, dict) and len(c) == 1 and type(c.get("raised")) is str) or _valid_plain(c)
               for c in calls)


# -- a practice = one notebook -------------------------------------------------------

@dataclass
class Practice:
    """One exercise notebook: its case generator, case card and questions."""

    name: str
    title: str
    draw: Callable[[np.random.Generator], dict]
    card: Sequence[Entry]
    questions: Sequence[Question]

    def __post_init__(self):
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise AssertionError(f"{self.name}: duplicate question ids {ids}")
        names = {e.name for e in self.card}
        missing = set(self.draw(np.random.default_rng(0))) ^ names
        if missing:
            raise AssertionError(f"{self.name}: case card and draw() disagree on {sorted(missing)}")

    @property
    def max_points(self) -> float:
        return sum(q.points for q in self.questions)

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def case_for(self, student_id: Any) -> Case:
        rng = np.random.default_rng(seed_for(self.name, student_id))
        return Case(self.name, normalise_id(student_id), self.draw(rng), self.card)
