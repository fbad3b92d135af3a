"""What a submission's code says about itself, read in the grader's process — never in its kernel.

The flags a teacher sees come from here and from what the sandbox observed
(:mod:`.runner`), not from code that runs next to the student's: a notebook cannot
switch them off. Each code cell is parsed with :mod:`ast` (its size is capped first,
:data:`MAX_CELL_CHARS`, and parsing and walking the tree are linear in it; IPython
``%``/``!`` lines are found with a plain line scan, no regular expression). The
analysis reports:

* the ``STUDENT_ID`` written in the notebook (only a compared label: who a submission
  belongs to is decided by the folder or the roster, see :mod:`.grade`);
* which names each cell binds, to say which cell's error cost which answer;
* **flags**: importing the answer logic (the question bank, the grader), modules an
  exercise never needs (processes, sockets, ``ctypes``, ``importlib``…), reaching
  into the interpreter (``sys.modules``, ``__globals__``, frames, ``eval``/``exec``),
  rebinding builtins or the exercise API, patching a module's attributes, paths
  outside the notebook's folder, shell escapes, a function question written to catch
  whatever it is passed (``**kwargs``).

A flag marks a submission for the teacher's eyes; it changes no score — the sandbox
and the outside scoring are what keep the marks honest.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

#: Largest code cell accepted (characters); an exercise cell is a few hundred.
MAX_CELL_CHARS = 64 * 1024
#: Most flags reported per notebook.
MAX_FLAGS = 12

WATCHED_BUILTINS = frozenset({
    "abs", "float", "int", "round", "isinstance", "type", "len", "sum", "min", "max", "print", "repr", "str",
    "bool", "__import__", "getattr", "hasattr", "open", "callable", "object", "super"})
EXERCISE_API = frozenset({"check", "progress", "export", "start", "case"})
ANSWER_LOGIC = ("sepsislab.exercises.practices", "sepsislab.exercises.build", "sepsislab.grading")
#: Top-level modules no exercise needs: processes, sockets, the interpreter's internals, files in bulk.
SUSPECT_MODULES = frozenset({
    "builtins", "ctypes", "cffi", "socket", "socketserver", "ssl", "select", "selectors", "asyncio", "subprocess",
    "multiprocessing", "concurrent", "threading", "_thread", "signal", "resource", "pty", "tty", "termios",
    "fcntl", "mmap", "importlib", "imp", "pkgutil", "runpy", "zipimport", "gc", "inspect", "dis", "code", "codeop",
    "sysconfig", "site", "shutil", "glob", "tempfile", "pickle", "marshal", "shelve", "urllib", "http", "ftplib",
    "smtplib", "telnetlib", "requests", "psutil", "zmq", "ipykernel", "jupyter_client", "traitlets", "atexit",
    "faulthandler", "tracemalloc", "webbrowser", "platform", "pwd", "grp", "posix"})
SYS_INTERNALS = frozenset({"modules", "meta_path", "path_hooks", "path_importer_cache", "settrace", "setprofile",
                           "_getframe", "addaudithook", "setrecursionlimit", "stdout", "stderr", "exit", "path"})
OS_ACTIONS = frozenset({"fork", "forkpty", "system", "popen", "spawnl", "spawnle", "spawnlp", "spawnv", "spawnve",
                        "spawnvp", "posix_spawn", "posix_spawnp", "execv", "execve", "execl", "execle", "execlp",
                        "execvp", "execvpe", "kill", "killpg", "environ", "getenv", "putenv", "listdir", "scandir",
                        "walk", "open", "setsid", "unshare", "chroot", "chdir", "readlink", "symlink", "link",
                        "remove", "unlink", "rmdir", "setrlimit", "getpid", "getppid", "sched_setaffinity"})
INTERNAL_ATTRS = frozenset({
    "__subclasses__", "__globals__", "__builtins__", "__code__", "__closure__", "__dict__", "__class__", "__bases__",
    "__mro__", "__import__", "__loader__", "__spec__", "__self__", "__defaults__", "__kwdefaults__", "__getattribute__",
    "__setattr__", "f_back", "f_globals", "f_locals", "f_builtins", "gi_frame", "cr_frame", "tb_frame"})
DYNAMIC_CALLS = frozenset({"eval", "exec", "compile", "globals", "vars", "locals", "setattr", "delattr",
                           "__import__", "breakpoint", "memoryview"})
HARMLESS_MAGICS = frozenset({"matplotlib", "time", "timeit", "precision", "config", "pprint", "who", "whos"})


@dataclass
class SourceReport:
    """The notebook's code as the grader reads it."""

    student_id: str | None = None            # STUDENT_ID = "…" as written (None: not written as a text)
    defines: dict = field(default_factory=dict)   # cell index → set of names the cell binds
    flags: list = field(default_factory=list)
    paths: list = field(default_factory=list)     # paths outside the notebook's folder named in the code

    def flag(self, text: str) -> None:
        if text not in self.flags and len(self.flags) < MAX_FLAGS:
            self.flags.append(text)


def analyse(cells: list[tuple[int, str]], functions: dict | None = None) -> SourceReport:
    """Read the code cells ``(index, source)`` of a notebook; ``functions`` maps the name of each
    function a question asks for to its argument names."""
    report = SourceReport()
    functions = functions or {}
    for index, source in cells:
        if len(source) > MAX_CELL_CHARS:   # the grader refuses such a notebook before this; belt and braces
            report.flag(f"cell {index} holds {len(source) // 1024} KB of code")
            continue
        python, magics = _split_magics(source)
        for magic in magics:
            report.flag(f"cell {index} runs {magic!r} (a shell command or an IPython magic)")
        try:
            tree = ast.parse(python)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            report.defines[index] = set()
            continue
        try:
            report.defines[index] = _Visitor(report, index, functions).run(tree)
        except RecursionError:
            report.defines[index] = set()
            report.flag(f"cell {index}: code nested too deeply to read")
        if report.paths:
            more = f" (+{len(report.paths) - 3} more)" if len(report.paths) > 3 else ""
            report.flag(f"cell {index} names paths outside its folder: "
                        + ", ".join(repr(p) for p in report.paths[:3]) + more)
            report.paths = []
    return report


def _split_magics(source: str) -> tuple[str, list[str]]:
    """The cell with IPython's ``%``/``!`` lines blanked out, and those lines (a linear scan)."""
    lines, magics = source.split("\n"), []
    if lines and lines[0].startswith("%%"):
        return "", [lines[0][:40]]
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped[:1] in ("%", "!"):
            name = stripped[1:].split(" ", 1)[0].lstrip("%")
            if stripped[0] == "!" or name not in HARMLESS_MAGICS:
                magics.append(stripped[:40])
            lines[i] = line[: len(line) - len(stripped)] + "pass"
    return "\n".join(lines), magics


class _Visitor(ast.NodeVisitor):
    def __init__(self, report: SourceReport, cell: int, functions: dict):
        self.report, self.cell, self.functions = report, cell, functions
        self.bound: set[str] = set()
        self.aliases: dict[str, str] = {}     # local name → module it stands for

    def run(self, tree: ast.AST) -> set[str]:
        for stmt in tree.body:   # STUDENT_ID = "…" at the top level of a cell
            if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "STUDENT_ID"
                                                    for t in stmt.targets):
                value = stmt.value
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    if self.report.student_id is None:
                        self.report.student_id = value.value[:100]
                else:
                    self.report.flag(f"cell {self.cell}: STUDENT_ID is computed, not written as a text")
        self.visit(tree)
        return self.bound

    # -- imports ---------------------------------------------------------------------
    def _module(self, name: str, where: str) -> None:
        if any(name == m or name.startswith(m + ".") for m in ANSWER_LOGIC):
            self.report.flag(f"imports the answer logic ({name}) {where}")
        elif name.split(".")[0] in SUSPECT_MODULES:
            self.report.flag(f"imports {name} {where} (no exercise needs it)")

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._module(alias.name, f"in cell {self.cell}")
            local = alias.asname or alias.name.split(".")[0]
            self.aliases[local] = alias.name if alias.asname else alias.name.split(".")[0]
            self._bind(local)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            self.report.flag(f"cell {self.cell}: a relative import")
        module = node.module or ""
        self._module(module, f"in cell {self.cell}")
        for alias in node.names:
            full = f"{module}.{alias.name}"
            self._module(full, f"in cell {self.cell}")
            if module == "os" and alias.name in OS_ACTIONS or module == "sys" and alias.name in SYS_INTERNALS:
                self.report.flag(f"cell {self.cell}: imports {full}")
            local = alias.asname or alias.name
            self.aliases[local] = full
            self._bind(local)

    # -- names and attributes -------------------------------------------------------------
    def _bind(self, name: str) -> None:
        self.bound.add(name)
        if name in WATCHED_BUILTINS or name in EXERCISE_API:
            kind = "the exercise API" if name in EXERCISE_API else "a builtin"
            if not (name in ("start", "check", "progress", "export", "case") and self._api_import_ok(name)):
                self.report.flag(f"cell {self.cell} rebinds `{name}` ({kind})")

    def _api_import_ok(self, name: str) -> bool:
        return self.aliases.get(name, "").startswith("sepsislab.exercises") or (name == "case" and self._case_ok)

    _case_ok = False

    def visit_Assign(self, node: ast.Assign) -> None:
        # ``case = start(...)`` is the notebook's own opening line
        self._case_ok = (isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
                         and node.value.func.id == "start")
        self.generic_visit(node)
        self._case_ok = False

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self._bind(node.id)
        elif node.id in DYNAMIC_CALLS:
            self.report.flag(f"cell {self.cell} uses {node.id}() (code or names built at run time)")
        elif node.id == "__builtins__":
            self.report.flag(f"cell {self.cell} reaches __builtins__")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        root = node.value
        module = self.aliases.get(root.id, root.id) if isinstance(root, ast.Name) else ""
        if node.attr in INTERNAL_ATTRS:
            self.report.flag(f"cell {self.cell} reaches into the interpreter (.{node.attr})")
        elif module == "sys" and node.attr in SYS_INTERNALS:
            self.report.flag(f"cell {self.cell} uses sys.{node.attr}")
        elif module == "os" and node.attr in OS_ACTIONS:
            self.report.flag(f"cell {self.cell} uses os.{node.attr}")
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            owner = _dotted(root)
            first = owner.split(".")[0]
            target = self.aliases.get(first, first)
            if target.startswith(("sepsislab", "builtins", "numpy", "math", "IPython")) or first in (
                    "__builtins__", "np", "math"):
                self.report.flag(f"cell {self.cell} patches {owner}.{node.attr}")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id == "getattr" and len(node.args) >= 2 \
                and not isinstance(node.args[1], ast.Constant):
            self.report.flag(f"cell {self.cell} uses getattr() with a name built at run time")
        if isinstance(node.func, ast.Name) and node.func.id == "type" and len(node.args) == 3:
            self.report.flag(f"cell {self.cell} creates a class at run time with type()")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, str) and 1 < len(value) < 300 and " " not in value and "\n" not in value:
            if value.startswith(("/", "~")) and not value.startswith("//") or value == ".." \
                    or value.startswith("../") or "/../" in value:
                self.report.paths.append(value[:60])

    def _function(self, node) -> None:
        self._bind(node.name)
        wanted = self.functions.get(node.name)
        if wanted is not None and (node.args.vararg or node.args.kwarg):
            self.report.flag(f"cell {self.cell}: `{node.name}` takes *args/**kwargs instead of "
                             f"({', '.join(wanted)}) — it catches whatever it is given")
        for arg in node.args.args + node.args.kwonlyargs + node.args.posonlyargs:
            if arg.arg in WATCHED_BUILTINS:
                self.report.flag(f"cell {self.cell}: an argument of `{node.name}` is named `{arg.arg}`")
        self.generic_visit(node)

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._bind(node.name)
        self.generic_visit(node)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.generic_visit(node)


def _dotted(node: ast.AST, depth: int = 0) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and depth < 10:
        return f"{_dotted(node.value, depth + 1)}.{node.attr}"
    return "…"
