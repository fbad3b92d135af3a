"""What the operating system can do to fence in one submission's kernel (Linux), and how.

* **Landlock** (Linux ≥ 5.13, unprivileged): the kernel process restricts itself,
  irreversibly and for all its children, to reading the Python installation and the
  ``sepsislab`` package and to writing in its scratch folder. Everything else — the
  exercise sources with the hidden tests, the other students' folders, the grader's
  output folder — is out of reach, even for root. From ABI 4 it may also neither open
  nor accept TCP connections other than its own Jupyter ports; from ABI 6 it cannot
  signal processes outside its sandbox.
* **A pids cgroup** (root, cgroup v1 ``pids`` or v2 with the pids controller): caps the
  number of processes and threads, so a fork bomb stops at the cap; the grader kills
  everything left in the cgroup at the end. Without it, ``RLIMIT_NPROC`` (not enforced
  for root) is the fallback.

:func:`describe` says which of these are in force, for the grader to print.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
from pathlib import Path

# -- Landlock (linux/landlock.h) ------------------------------------------------------

_SYS = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446), "arm64": (444, 445, 446)}
_FS_RIGHTS_BY_ABI = {1: 13, 2: 14, 3: 15, 4: 15, 5: 16}   # number of filesystem access bits
_EXECUTE, _WRITE_FILE, _READ_FILE, _READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_TRUNCATE, _IOCTL_DEV = 1 << 14, 1 << 15
_BIND_TCP, _CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX, _SCOPE_SIGNAL = 1 << 0, 1 << 1
_RULE_PATH_BENEATH, _RULE_NET_PORT = 1, 2


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


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


def apply_landlock(*, read: list[str], write: list[str], devices: list[str], tcp_ports: list[int]) -> int:
    """Restrict this process and its future children; returns the ABI used (0: not applied)."""
    import platform

    abi = landlock_abi()
    if abi < 1:
        return 0
    create, add_rule, restrict = _SYS[platform.machine()]
    libc = _libc()
    n_fs = _FS_RIGHTS_BY_ABI.get(abi, 16)
    all_fs = (1 << n_fs) - 1
    file_rights = (_EXECUTE | _WRITE_FILE | _READ_FILE | (_TRUNCATE if n_fs > 14 else 0)
                   | (_IOCTL_DEV if n_fs > 15 else 0))
    attr = _RulesetAttr(all_fs, (_BIND_TCP | _CONNECT_TCP) if abi >= 4 else 0,
                        (_SCOPE_ABSTRACT_UNIX | _SCOPE_SIGNAL) if abi >= 6 else 0)
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


def readable_roots(package_dir: str) -> list[str]:
    """What a kernel must read: the system, the Python installation(s) and the sepsislab package —
    not the repository around the package (where the exercise sources live)."""
    roots = {"/usr", "/lib", "/lib32", "/lib64", "/bin", "/sbin", "/etc", "/proc", "/sys", "/opt",
             sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             os.path.dirname(os.path.realpath(sys.executable)), package_dir}
    repo = os.path.dirname(package_dir)
    for entry in sys.path:
        if entry and os.path.isdir(entry) and os.path.realpath(entry) != os.path.realpath(repo):
            roots.add(entry)
    return sorted(r for r in roots if r)


DEVICES = ["/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"]


# -- a pids cgroup ------------------------------------------------------------------

class PidsCgroup:
    """A cgroup that caps the number of tasks (processes and threads) of one kernel."""

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def create(cls, name: str, max_tasks: int) -> "PidsCgroup | None":
        """Make the cgroup (None when cgroups cannot be used here: not root, read-only, no controller)."""
        if os.geteuid() != 0:
            return None
        for parent in (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")):
            if parent.name == "cgroup" and "pids" not in _read(parent / "cgroup.subtree_control"):
                try:
                    (parent / "cgroup.subtree_control").write_text("+pids")
                except OSError:
                    continue
            try:
                path = parent / name
                path.mkdir(exist_ok=True)
                (path / "pids.max").write_text(str(int(max_tasks)))
                return cls(path)
            except OSError:
                continue
        return None

    def add(self, pid: int) -> None:
        (self.path / "cgroup.procs").write_text(str(pid))

    def pids(self) -> list[int]:
        return [int(x) for x in _read(self.path / "cgroup.procs").split()]

    def hit_limit(self) -> bool:
        """True if a fork was refused by the cap."""
        events = _read(self.path / "pids.events")
        return any(line.startswith("max ") and line.split()[1] != "0" for line in events.splitlines())

    def destroy(self) -> None:
        """Kill everything in the cgroup, then remove it."""
        for _ in range(50):
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            time.sleep(0.02)
        try:
            self.path.rmdir()
        except OSError:
            pass


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def describe() -> str:
    """One line for the teacher: which isolation is in force on this machine."""
    parts = ["a fresh kernel per notebook in a scratch folder", "wall-clock, CPU and memory limits"]
    abi = landlock_abi()
    if abi:
        parts.append(f"Landlock ABI {abi}: no reading outside Python and sepsislab, no writing outside the "
                     "scratch folder" + (", no network" if abi >= 4 else ""))
    else:
        parts.append("NO filesystem sandbox (Landlock unavailable): student code can read and write what "
                     "your account can")
    probe = PidsCgroup.create(f"sepsislab-probe-{os.getpid()}", 64)
    if probe is not None:
        probe.destroy()
        parts.append("a pids cgroup per kernel")
    elif os.geteuid() != 0:
        parts.append("RLIMIT_NPROC per kernel")
    else:
        parts.append("no process cap (root without a writable pids cgroup)")
    return "sandbox: " + "; ".join(parts)
