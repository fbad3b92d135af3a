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
  grader stopped by its wall-clock timeout leaves no kernel behind;
* a cap on processes: the kernel joins its pids cgroup (root), or ``RLIMIT_NPROC``;
* last, Landlock (:mod:`sepsislab.grading.isolation`): reads limited to Python and the
  package, writes to the scratch folder, TCP to the kernel's own ports.

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
               JUPYTER_RUNTIME_DIR=os.path.join(scratch, ".tmp"), JUPYTER_DATA_DIR=os.path.join(scratch, ".tmp"),
               JUPYTER_CONFIG_DIR=os.path.join(scratch, ".tmp"),
               MPLCONFIGDIR=os.path.join(scratch, ".tmp"), PYTHONNOUSERSITE="1", PYTHONDONTWRITEBYTECODE="1",
               MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               MALLOC_ARENA_MAX="2", JUPYTER_PLATFORM_DIRS="1", SEPSISLAB_GRADING="1")
    env.update(extra)
    return env


def _user_processes() -> int:
    uid, n = os.getuid(), 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    n += 1
            except OSError:
                pass
    return n


def _set(limit: int, value: int | None) -> None:
    if value:
        resource.setrlimit(limit, (value, value))


def apply_limits(spec: dict) -> None:
    """Resource limits of the current process (inherited by the exec'd kernel and its children)."""
    if spec.get("cpu_seconds"):  # SIGXCPU at the soft limit, SIGKILL two seconds later
        cpu = int(spec["cpu_seconds"])
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
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
    if spec.get("cgroup"):
        with open(os.path.join(spec["cgroup"], "cgroup.procs"), "w") as fh:
            fh.write(str(os.getpid()))
    elif spec.get("max_tasks") and os.geteuid() != 0 and hasattr(resource, "RLIMIT_NPROC"):
        cap = _user_processes() + int(spec["max_tasks"])
        resource.setrlimit(resource.RLIMIT_NPROC, (cap, cap))
    apply_limits(spec)
    if spec.get("landlock"):
        from .isolation import DEVICES, apply_landlock

        ports = []
        if "-f" in cmd:
            with open(cmd[cmd.index("-f") + 1], encoding="utf-8") as fh:
                conn = json.load(fh)
            ports = [int(conn[k]) for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]
        apply_landlock(read=spec["landlock"]["read"], write=[scratch], devices=DEVICES, tcp_ports=ports)
    os.execve(cmd[0], cmd, clean_env(scratch, spec.get("env", {})))


if __name__ == "__main__":
    main(sys.argv[1:])
