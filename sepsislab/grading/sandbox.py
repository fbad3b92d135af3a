"""Start a submission's kernel inside its sandbox: ``python -I -m sepsislab.grading.sandbox SPEC -- CMD…``.

The grader's kernel spec runs this module in place of ``ipykernel`` directly. It
reads ``SPEC`` (JSON, written by :mod:`.runner`), then, in its own process:

1. joins the notebook's cgroup(s) (memory and process limits for the notebook as a
   whole), so that nothing the kernel starts escapes them;
2. sets the per-process limits, inherited by everything after: CPU time
   (``RLIMIT_CPU``), address space (``RLIMIT_AS``), size of a file written
   (``RLIMIT_FSIZE``), no core dumps, ``RLIMIT_NPROC`` when there is no cgroup; the
   kernel dies with the runner that started it (``PR_SET_PDEATHSIG``);
3. points its standard streams at ``/dev/null`` and ``exec``s either
   **bubblewrap** with the kernel command inside (:func:`.isolation.bwrap_argv`:
   namespaces, no network, read-only Python and package without the question bank
   and the grader, a capped ``/tmp``, a clean environment), or — the fallback where
   bubblewrap cannot run — the kernel itself under Landlock with a clean environment.

Only the standard library and :mod:`.isolation` (standard library only) are imported:
this runs before every kernel, outside the sandbox.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import sys

#: Environment variables copied into the kernel (everything else is dropped).
KEEP_ENV = ("LANG", "LC_ALL", "TZ")


def kernel_env(home: str, case_file: str) -> dict:
    """The kernel's whole environment: nothing of the teacher's (no paths to the key, no tokens)."""
    tmp = os.path.join(home, ".tmp")
    env = {k: os.environ[k] for k in KEEP_ENV if k in os.environ}
    env.update(PATH=os.path.dirname(sys.executable) + ":/usr/bin:/bin", HOME=home, TMPDIR=tmp,
               IPYTHONDIR=os.path.join(home, ".ipython"), JUPYTER_RUNTIME_DIR=tmp, JUPYTER_DATA_DIR=tmp,
               JUPYTER_CONFIG_DIR=tmp, MPLCONFIGDIR=tmp, PYTHONNOUSERSITE="1", PYTHONDONTWRITEBYTECODE="1",
               MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               MALLOC_ARENA_MAX="2", JUPYTER_PLATFORM_DIRS="1", SEPSISLAB_GRADING="1", SEPSISLAB_CASE=case_file)
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


def apply_limits(spec: dict) -> None:
    """Per-process resource limits of the current process (inherited by the kernel and its children)."""
    if spec.get("cpu_seconds"):  # SIGXCPU at the soft limit, SIGKILL two seconds later
        cpu = int(spec["cpu_seconds"])
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
    for limit, key in ((resource.RLIMIT_AS, "memory_bytes"), (resource.RLIMIT_FSIZE, "file_bytes")):
        if spec.get(key):
            resource.setrlimit(limit, (int(spec[key]), int(spec[key])))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:  # Linux: die with the parent (the grader's runner)
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _join_cgroups(spec: dict) -> None:
    for procs in spec.get("cgroup_procs") or []:
        with open(procs, "w") as fh:
            fh.write(str(os.getpid()))
    if not spec.get("cgroup_procs") and spec.get("max_tasks") and os.geteuid() != 0 \
            and hasattr(resource, "RLIMIT_NPROC"):
        cap = _user_processes() + int(spec["max_tasks"])
        resource.setrlimit(resource.RLIMIT_NPROC, (cap, cap))


def _bwrap(spec: dict, cmd: list[str]) -> None:
    from .isolation import RUN_DIR, SCRATCH, bwrap_argv

    inside = f"{RUN_DIR}/in"
    cmd = [inside + "/" + os.path.basename(a) if a == spec["connection_file"] else a for a in cmd]
    env = kernel_env(SCRATCH, f"{inside}/{os.path.basename(spec['case_file'])}")
    argv = bwrap_argv(run_dir=spec["run_dir"], empty_dir=spec["empty_dir"], scratch_bytes=spec["scratch_bytes"],
                      env=env, command=cmd)
    os.execve(argv[0], argv, {"PATH": "/usr/bin:/bin"})


def _landlock(spec: dict, cmd: list[str]) -> None:
    from .isolation import DEVICES, apply_landlock, listable_dirs, readable_roots

    scratch = spec["scratch"]
    os.makedirs(os.path.join(scratch, ".tmp"), exist_ok=True)
    os.chdir(scratch)
    apply_landlock(read=readable_roots() + [spec["run_dir"]], write=[scratch], devices=DEVICES, tcp_ports=[],
                   list_only=listable_dirs())
    os.execve(cmd[0], cmd, kernel_env(scratch, spec["case_file"]))


def main(argv: list[str]) -> None:
    if "--" not in argv or len(argv) < 3:
        sys.exit("usage: python -m sepsislab.grading.sandbox SPEC.json -- KERNEL_COMMAND…")
    split = argv.index("--")
    with open(argv[0], encoding="utf-8") as fh:
        spec = json.load(fh)
    cmd = argv[split + 1:]
    devnull = os.open(os.devnull, os.O_RDWR)   # the kernel talks over ZeroMQ only
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    _join_cgroups(spec)
    apply_limits(spec)
    (_bwrap if spec.get("mode") == "bwrap" else _landlock)(spec, cmd)


if __name__ == "__main__":
    main(sys.argv[1:])
