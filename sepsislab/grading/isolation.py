"""What the operating system can do to fence in one submission's kernel (Linux), and how.

In force, best first (:func:`describe` prints which, as the grader's first line):

* **bubblewrap** (``bwrap``, Debian's ``bubblewrap``, the sandbox under Flatpak): the
  kernel runs in new user, mount, PID, IPC, UTS and network namespaces
  (:func:`bwrap_argv`). It sees a read-only copy of the Python installation and of the
  ``sepsislab`` package with the question bank (``sepsislab/exercises/practices``) and
  the grader (``sepsislab/grading``) replaced by empty folders, a private ``/tmp`` of
  capped size, a fresh ``/proc`` with only its own processes, a minimal ``/dev`` — and
  nothing else of the host: no home, no submissions, no exercise sources. Its network
  namespace has no interface but an isolated loopback, so nothing leaves it; the
  grader talks to it over ZeroMQ unix sockets inside its own ``/run/sepsislab``. It
  holds no capability and cannot create further namespaces.
* **A cgroup per notebook** (root; cgroup v2, or v1 ``memory`` and ``pids``
  hierarchies): one memory limit and one cap on processes and threads for the whole
  notebook, every process it forks included; the grader kills everything left in it.
* **Fallback without bubblewrap** (macOS, kernels without user namespaces):
  Landlock (Linux ≥ 5.13) restricts reads to Python and the package minus the question
  bank and the grader, writes to the scratch folder and (ABI ≥ 4) forbids TCP; the
  per-process limits (CPU, address space, file size, ``RLIMIT_NPROC``) hold. It does
  not stop UDP or unix sockets, nor show less of ``/proc``: :func:`describe` says so.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import time
from functools import lru_cache
from pathlib import Path

#: Where the sandboxed kernel finds its connection file, case file and sockets.
RUN_DIR = "/run/sepsislab"
#: The kernel's scratch folder (its home, working directory and ``/tmp``), a capped tmpfs.
SCRATCH = "/tmp"
#: The sandbox's user and group inside its user namespace.
SANDBOX_UID = 65534
#: Folders of the package a grading kernel must not see: the answer logic and the grader.
HIDDEN_PARTS = (("exercises", "practices"), ("grading",))

# -- Landlock (linux/landlock.h) ------------------------------------------------------

_SYS = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446), "arm64": (444, 445, 446)}
_FS_RIGHTS_BY_ABI = {1: 13, 2: 14, 3: 15, 4: 15, 5: 16}  # number of filesystem access bits
_EXECUTE, _WRITE_FILE, _READ_FILE, _READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_TRUNCATE, _IOCTL_DEV = 1 << 14, 1 << 15
_BIND_TCP, _CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX, _SCOPE_SIGNAL = 1 << 0, 1 << 1
_RULE_PATH_BENEATH, _RULE_NET_PORT = 1, 2


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


class _NetPort(ctypes.Structure):
    _fields_ = [("allowed_access", ctypes.c_uint64), ("port", ctypes.c_uint64)]


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def landlock_abi() -> int:
    """The Landlock ABI version of this kernel (0 when unavailable)."""
    import platform

    if sys.platform != "linux" or platform.machine() not in _SYS:
        return 0
    create = _SYS[platform.machine()][0]
    version = _libc().syscall(create, None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    return max(0, int(version))


def apply_landlock(
    *, read: list[str], write: list[str], devices: list[str], tcp_ports: list[int], list_only: list[str] = ()
) -> int:
    """Restrict this process and its future children; returns the ABI used (0: not applied)."""
    import platform

    abi = landlock_abi()
    if abi < 1:
        return 0
    create, add_rule, restrict = _SYS[platform.machine()]
    libc = _libc()
    n_fs = _FS_RIGHTS_BY_ABI.get(abi, 16)
    all_fs = (1 << n_fs) - 1
    file_rights = (
        _EXECUTE | _WRITE_FILE | _READ_FILE | (_TRUNCATE if n_fs > 14 else 0) | (_IOCTL_DEV if n_fs > 15 else 0)
    )
    attr = _RulesetAttr(
        all_fs, (_BIND_TCP | _CONNECT_TCP) if abi >= 4 else 0, (_SCOPE_ABSTRACT_UNIX | _SCOPE_SIGNAL) if abi >= 6 else 0
    )
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8
    fd = libc.syscall(create, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if fd < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")

    def allow(path: str, rights: int) -> None:
        try:
            pfd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            return  # a path that does not exist needs no rule
        try:
            if not os.path.isdir(path):
                rights &= file_rights
            rule = _PathBeneath(rights, pfd)
            if libc.syscall(add_rule, fd, _RULE_PATH_BENEATH, ctypes.byref(rule), ctypes.c_uint32(0)) < 0:
                raise OSError(ctypes.get_errno(), f"landlock_add_rule failed for {path}")
        finally:
            os.close(pfd)

    for path in read:
        allow(path, _EXECUTE | _READ_FILE | _READ_DIR)
    for path in list_only:  # folders whose entries may be listed but whose files are not all readable
        allow(path, _READ_DIR)
    for path in devices:
        allow(path, _READ_FILE | _WRITE_FILE | (_IOCTL_DEV if n_fs > 15 else 0))
    for path in write:
        allow(path, all_fs)
    if abi >= 4:
        for port in tcp_ports:
            rule = _NetPort(_BIND_TCP, port)
            if libc.syscall(add_rule, fd, _RULE_NET_PORT, ctypes.byref(rule), ctypes.c_uint32(0)) < 0:
                raise OSError(ctypes.get_errno(), "landlock_add_rule (port) failed")
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS, required by landlock_restrict_self
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.syscall(restrict, fd, ctypes.c_uint32(0)) < 0:
        raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    os.close(fd)
    return abi


def readable_roots(package: str | None = None) -> list[str]:
    """Fallback (Landlock): what a kernel may read — the system, Python and the package
    without its hidden parts (listed entry by entry, since Landlock only allows)."""
    package = package or package_dir()
    roots = {"/usr", "/lib", "/lib32", "/lib64", "/bin", "/sbin", "/etc", "/proc", "/sys", "/opt"}
    roots |= set(python_roots())
    roots |= set(_visible_entries(package, HIDDEN_PARTS))
    return sorted(r for r in roots if r)


def _visible_entries(folder: str, hidden: tuple) -> list[str]:
    out = []
    heads = {parts[0] for parts in hidden}
    for entry in sorted(os.listdir(folder)):
        path = os.path.join(folder, entry)
        if entry not in heads:
            out.append(path)
            continue
        deeper = tuple(parts[1:] for parts in hidden if parts[0] == entry and len(parts) > 1)
        if deeper and os.path.isdir(path):
            out += _visible_entries(path, deeper)
    return out


def listable_dirs(package: str | None = None) -> list[str]:
    """Fallback (Landlock): the package folders above a hidden part, which Python must list to import."""
    package = package or package_dir()
    return sorted({os.path.join(package, *parts[:k]) for parts in HIDDEN_PARTS for k in range(len(parts))})


DEVICES = ["/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"]

# -- bubblewrap ------------------------------------------------------------------------


def package_dir() -> str:
    """The ``sepsislab`` package folder (real path)."""
    return str(Path(__file__).resolve().parents[1])


def python_roots() -> list[str]:
    """The folders a Python kernel must read: the interpreter's installation(s) and the
    site-packages in use, but not the repository around an editable install."""
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    roots |= {os.path.dirname(os.path.dirname(os.path.realpath(sys.executable)))}
    repo = os.path.dirname(package_dir())
    for entry in sys.path:
        real = os.path.realpath(entry) if entry else ""
        if real and os.path.isdir(real) and real != repo and not real.startswith(os.path.join(repo, "")):
            roots.add(real)
    roots = sorted(os.path.realpath(r) for r in roots if r and os.path.isdir(r))
    # keep only the outermost of nested roots
    return [r for r in roots if not any(r != o and r.startswith(os.path.join(o, "")) for o in roots)]


_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "fonts", "alternatives", "mime.types")
_SYSTEM_LINKS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")


def bwrap_argv(*, run_dir: str, empty_dir: str, scratch_bytes: int, env: dict, command: list[str]) -> list[str]:
    """The ``bwrap`` command line that runs ``command`` in the grading sandbox.

    ``run_dir`` (host) is bound read-only at :data:`RUN_DIR`-``/in`` (the connection and
    case files); ``empty_dir`` (host, empty) is bound over the hidden parts of the package.
    """
    argv = [
        shutil.which("bwrap") or "bwrap",
        "--unshare-all",
        "--unshare-user",
        "--uid",
        str(SANDBOX_UID),
        "--gid",
        str(SANDBOX_UID),
        "--disable-userns",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--hostname",
        "sandbox",
        "--ro-bind",
        "/usr",
        "/usr",
        # The scratch tmpfs comes before the read-only binds: a Python environment that lives
        # under /tmp (a clone in a temporary folder) is then bound on top of it, not hidden by it.
        "--size",
        str(int(scratch_bytes)),
        "--tmpfs",
        SCRATCH,
    ]
    for link in _SYSTEM_LINKS:
        if os.path.islink(link):
            argv += ["--symlink", os.readlink(link), link]
        elif os.path.isdir(link):
            argv += ["--ro-bind", link, link]
    for name in _ETC:
        if os.path.exists(f"/etc/{name}"):
            argv += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    for root in python_roots():
        if not root.startswith("/usr/"):
            argv += ["--ro-bind", root, root]
    pkg = package_dir()
    argv += ["--ro-bind", pkg, pkg]
    for parts in HIDDEN_PARTS:
        argv += ["--ro-bind", empty_dir, os.path.join(pkg, *parts)]
    argv += [
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--remount-ro",
        "/dev",
        "--size",
        str(1 << 20),
        "--tmpfs",
        RUN_DIR,
        "--ro-bind",
        run_dir,
        f"{RUN_DIR}/in",
        "--chdir",
        SCRATCH,
        "--clearenv",
    ]
    for key, value in env.items():
        argv += ["--setenv", key, value]
    return argv + ["--"] + command


@lru_cache(maxsize=1)
def bwrap_status() -> tuple[bool, str]:
    """Whether the grading sandbox can start here (``bwrap`` present, namespaces allowed), and why not."""
    if sys.platform != "linux":
        return False, f"bubblewrap needs Linux (this is {sys.platform})"
    if not shutil.which("bwrap"):
        return False, "bwrap is not installed (apt-get install bubblewrap)"
    import tempfile

    with tempfile.TemporaryDirectory(prefix="sepsislab-probe-") as tmp:
        argv = bwrap_argv(
            run_dir=tmp,
            empty_dir=tmp,
            scratch_bytes=1 << 20,
            env={"PATH": "/usr/bin:/bin"},
            command=[sys.executable, "-I", "-c", "import os; print(os.getpid())"],
        )
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return False, f"bwrap could not run ({exc})"
    if proc.returncode != 0 or proc.stdout.strip() != "2":
        return False, "bwrap could not create the namespaces: " + (proc.stderr.strip()[-200:] or "unknown error")
    return True, ""


def sandbox_root(pid: int, timeout: float = 10.0) -> str:
    """``/proc/<child>/root`` of the sandbox started as process ``pid`` (bwrap): the host's view
    of the sandbox's own filesystem, through which the grader reaches the kernel's sockets."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            children = []
        for child in children:
            root = f"/proc/{child}/root"
            if os.path.isdir(root + RUN_DIR):
                return root
        time.sleep(0.02)
    raise RuntimeError("the sandbox did not start (no bwrap child process)")


# -- a cgroup per notebook ---------------------------------------------------------------


class NotebookCgroup:
    """One memory limit and one task cap for every process of one notebook (cgroup v2 or v1).

    ``dirs`` maps a controller (``memory``, ``pids``) to the cgroup folder that carries it
    (the same folder for both under cgroup v2).
    """

    def __init__(self, dirs: dict):
        self.dirs = {k: Path(v) for k, v in dirs.items()}

    @property
    def paths(self) -> list[Path]:
        return sorted(set(self.dirs.values()))

    @classmethod
    def create(cls, name: str, memory_bytes: int, max_tasks: int) -> NotebookCgroup | None:
        """Make the cgroup(s) under this process's own; ``None`` when not possible here."""
        if sys.platform != "linux" or os.geteuid() != 0:
            return None  # a non-root teacher would need a delegated cgroup v2 subtree
        dirs = _create_v2(name) or _create_v1(name)
        if not dirs:
            return None
        group = cls(dirs)
        try:
            if "memory" in dirs:
                v2 = dirs["memory"].joinpath("memory.max").exists()
                (dirs["memory"] / ("memory.max" if v2 else "memory.limit_in_bytes")).write_text(str(int(memory_bytes)))
                if v2 and (dirs["memory"] / "memory.swap.max").exists():
                    (dirs["memory"] / "memory.swap.max").write_text("0")
            if "pids" in dirs:
                (dirs["pids"] / "pids.max").write_text(str(int(max_tasks)))
        except OSError:
            group.destroy()
            return None
        return group

    def controllers(self) -> list[str]:
        return sorted(self.dirs)

    def procs_files(self) -> list[str]:
        return [str(p / "cgroup.procs") for p in self.paths]

    def pids(self) -> list[int]:
        found: set[int] = set()
        for path in self.paths:
            found |= {int(x) for x in _read(path / "cgroup.procs").split()}
        return sorted(found)

    def events(self) -> dict:
        """What the limits stopped: ``oom_kills`` (memory), ``tasks_refused`` (process cap), ``peak_bytes``."""
        out = {"oom_kills": 0, "tasks_refused": 0, "peak_bytes": 0}
        mem = self.dirs.get("memory")
        if mem is not None:
            text = _read(mem / "memory.events") or _read(mem / "memory.oom_control")
            out["oom_kills"] = _field(text, "oom_kill")
            out["peak_bytes"] = int(
                _read(mem / "memory.peak").strip() or _read(mem / "memory.max_usage_in_bytes").strip() or 0
            )
        pids = self.dirs.get("pids")
        if pids is not None:
            out["tasks_refused"] = _field(_read(pids / "pids.events"), "max")
        return out

    def destroy(self) -> None:
        """Kill everything in the cgroup, then remove it."""
        for _ in range(100):
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                kill(pid, group=False)
            time.sleep(0.02)
        for path in self.paths:
            for _ in range(50):
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)


def _own_cgroup(controller: str) -> str | None:
    for line in _read(Path("/proc/self/cgroup")).splitlines():
        hid, ctrls, path = line.split(":", 2)
        if (controller == "" and hid == "0") or controller in ctrls.split(","):
            return path
    return None


def _create_v2(name: str) -> dict | None:
    root = Path("/sys/fs/cgroup")
    if not (root / "cgroup.controllers").exists():
        return None
    parent = root / (_own_cgroup("") or "/").lstrip("/")
    # a cgroup v2 parent must not hold processes once controllers are enabled below it:
    # work in a child of the root (as root) or of our own cgroup's parent
    for base in (root, parent.parent):
        control = _read(base / "cgroup.subtree_control").split()
        try:
            for ctrl in ("memory", "pids"):
                if ctrl not in control:
                    (base / "cgroup.subtree_control").write_text(f"+{ctrl}")
            path = base / name
            path.mkdir(exist_ok=True)
            return {"memory": path, "pids": path}
        except OSError:
            continue
    return None


def _create_v1(name: str) -> dict | None:
    dirs = {}
    for ctrl in ("memory", "pids"):
        mount = Path("/sys/fs/cgroup") / ctrl
        own = _own_cgroup(ctrl)
        if own is None or not (mount / "cgroup.procs").exists():
            continue
        path = mount / own.lstrip("/") / name
        try:
            path.mkdir(exist_ok=True)
        except OSError:
            continue
        dirs[ctrl] = path
    return dirs or None


def _field(text: str, key: str) -> int:
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == key and parts[1].isdigit():
            return int(parts[1])
    return 0


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def kill(pid: int | None, *, group: bool = True) -> None:
    """SIGKILL a process group (or one process); quiet if it is already gone."""
    if not pid:
        return
    try:
        (os.killpg if group else os.kill)(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def describe() -> str:
    """One line for the teacher: which isolation is in force on this machine."""
    ok, why = bwrap_status()
    probe = NotebookCgroup.create(f"sepsislab-probe-{os.getpid()}", 1 << 30, 64)
    if probe is not None:
        cgroup = "a cgroup per notebook (" + " + ".join(probe.controllers()) + " limit for all its processes)"
        probe.destroy()
    elif os.geteuid() != 0:
        cgroup = "no cgroup (not root): memory and process limits per process (RLIMIT_AS, RLIMIT_NPROC)"
    else:
        cgroup = "no cgroup (none writable): memory limit per process only (RLIMIT_AS), no process cap"
    if ok:
        return (
            "sandbox: bubblewrap — a kernel per notebook in new user/mount/PID/IPC/network namespaces, "
            "no network, read-only Python and sepsislab without the question bank and the grader, "
            f"a capped private /tmp, nothing else of this machine; {cgroup}; CPU and wall-clock limits"
        )
    abi = landlock_abi()
    fence = (
        f"Landlock ABI {abi}: reads limited to Python and sepsislab, writes to the scratch folder"
        + (", no TCP" if abi >= 4 else "")
        + " — but UDP and unix sockets, /proc and other processes "
        "remain reachable"
        if abi
        else "NO filesystem sandbox: student code can read and write what your account can — grade in a "
        "throw-away account or container"
    )
    return f"sandbox: FALLBACK, bubblewrap unavailable ({why}); {fence}; {cgroup}; CPU and wall-clock limits"
