"""Start a submission's kernel inside its limits: ``python -m sepsislab.grading.sandbox SPEC -- CMD…``.

The grader's kernel spec runs this module in place of ``ipykernel`` directly.
It reads the limits from the JSON file ``SPEC``, applies them to its own process,
and ``exec``s the kernel command, which inherits them (as does anything the
student's code forks):

* a clean environment (nothing of the teacher's: no paths to the key, no tokens)
  with the scratch folder as home and temporary directory;
* CPU time (``RLIMIT_CPU``), address space (``RLIMIT_AS``), size of any file
  written (``RLIMIT_FSIZE``), no core dumps;
* the kernel dies with the process that started it (``PR_SET_PDEATHSIG``), so a
  grader stopped by its wall-clock timeout leaves no kernel behind.

Only the standard library is imported: this runs before every kernel.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import sys

#: Environment variables copied into the kernel (everything else is dropped).
KEEP_ENV = ("PATH", "LANG", "LC_ALL", "TZ")


def clean_env(scratch: str, extra: dict) -> dict:
    env = {k: os.environ[k] for k in KEEP_ENV if k in os.environ}
    env.update(HOME=scratch, TMPDIR=os.path.join(scratch, ".tmp"), IPYTHONDIR=os.path.join(scratch, ".ipython"),
               MPLCONFIGDIR=os.path.join(scratch, ".tmp"), PYTHONNOUSERSITE="1", PYTHONDONTWRITEBYTECODE="1",
               MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               MALLOC_ARENA_MAX="2", JUPYTER_PLATFORM_DIRS="1", SEPSISLAB_GRADING="1")
    env.update(extra)
    return env


def _set(limit: int, value: int | None) -> None:
    if value:
        resource.setrlimit(limit, (value, value))


def apply_limits(spec: dict) -> None:
    """Resource limits of the current process (inherited by the exec'd kernel and its children)."""
    _set(resource.RLIMIT_CPU, spec.get("cpu_seconds"))
    _set(resource.RLIMIT_AS, spec.get("memory_bytes"))
    _set(resource.RLIMIT_FSIZE, spec.get("file_bytes"))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:  # Linux: die with the parent (the grader's runner)
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def main(argv: list[str]) -> None:
    if "--" not in argv or len(argv) < 3:
        sys.exit("usage: python -m sepsislab.grading.sandbox SPEC.json -- KERNEL_COMMAND…")
    split = argv.index("--")
    with open(argv[0], encoding="utf-8") as fh:
        spec = json.load(fh)
    cmd = argv[split + 1:]
    scratch = spec["scratch"]
    os.makedirs(os.path.join(scratch, ".tmp"), exist_ok=True)
    os.chdir(scratch)
    # The kernel talks to the grader over ZeroMQ only; its raw stdout/stderr go nowhere.
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    apply_limits(spec)
    os.execve(cmd[0], cmd, clean_env(scratch, spec.get("env", {})))


if __name__ == "__main__":
    main(sys.argv[1:])
