"""Execute one submission's code cells in a fresh, sandboxed kernel; write what it answered as plain data.

``python -I -m sepsislab.grading.runner META`` reads ``META/job.json`` (written by
:mod:`.grade`: the student's code cells, already read and size-checked by the grader,
the case of the submission's owner as plain data, the answer variables, the inputs of
the function questions, the limits) and writes ``META/result.json``. The grader starts
one such process per notebook and kills it at its wall-clock budget; this process has
its own limits (address space, CPU, largest ZeroMQ message), so a notebook that prints
gigabytes cannot exhaust it, and whatever else the notebook displays is dropped as it
arrives.

The kernel is started through :mod:`.sandbox` (bubblewrap where it can run) and
reached over ZeroMQ *unix* sockets inside the sandbox's own ``/run/sepsislab``
(through ``/proc/<pid>/root``): the sandbox has no network at all. The student's cells
run in order, errors allowed; a cell still running at the deadline is interrupted and
the rest skipped. Then the grader's cells publish the answers
(:func:`sepsislab.exercises.core.emit_answers`): first the values, then each function
question on its public inputs, and last on its hidden inputs — so no text that can
leave the kernel (a public case's error message) is produced after a hidden input has
entered it. This process decides nothing: it records what ran, what the answers were,
and what the sandbox observed (memory and process limits hit, scratch space full,
processes left running); :mod:`.grade` scores and flags.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import time
from pathlib import Path

# jsonschema (imported by nbformat) loads rfc3987_syntax when it is installed, which builds a
# grammar for 2.5 s at import; nbformat never validates IRIs, so this process does without it.
sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402
import zmq  # noqa: E402
import zmq.asyncio  # noqa: E402
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import AsyncKernelManager  # noqa: E402
from jupyter_core.utils import run_sync  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellTimeoutError, DeadKernelError  # noqa: E402

from ..exercises.core import ANSWERS_MIME  # noqa: E402
from . import isolation  # noqa: E402

KERNEL_NAME = "sepsislab-sandbox"
#: Largest answers payload accepted from a kernel (bytes of JSON); honest ones are a few KB.
MAX_PAYLOAD = 256 * 1024
#: Largest single ZeroMQ message frame the runner accepts; a larger one drops the connection.
MAX_MESSAGE = 32 * 1024 * 1024
#: The runner's own address-space limit (bytes), above the kernel's.
RUNNER_MEMORY = 3 << 30


class _Client(NotebookClient):
    """Keeps errors and the grader's own outputs; drops everything else the notebook prints."""

    def output(self, outs, msg, display_id, cell_index):
        kind = msg["msg_type"]
        if kind == "error" or (kind == "display_data" and ANSWERS_MIME in msg["content"].get("data", {})):
            return super().output(outs, msg, display_id, cell_index)
        return None


class _SandboxKernelManager(AsyncKernelManager):
    """Connects to the kernel's unix sockets through the sandbox's ``/proc/<pid>/root``."""

    host_ip = ""   # set when the kernel runs under bubblewrap

    async def start_kernel(self, **kw):
        await super().start_kernel(**kw)
        if self.host_ip == "bwrap":
            self.ip = isolation.sandbox_root(self.provisioner.process.pid) + self.ip

    def client(self, **kw):   # share the context: its sockets carry the message-size cap
        return super().client(context=self.context, **kw)


def _kernel_spec(meta: Path, job: dict, cgroup) -> tuple[Path, dict]:
    """Write the kernel spec (our sandbox launcher in front of ipykernel); return it and the paths."""
    bwrap = job["mode"] == "bwrap"
    run_dir, empty, scratch = meta / "in", meta / "empty", meta / "work"
    for d in (run_dir, empty, scratch):
        d.mkdir(exist_ok=True)
    paths = {"connection_file": str(run_dir / "kernel.json"),
             "case_file": str((run_dir if bwrap else scratch) / "case.json"),
             "ip": f"{isolation.RUN_DIR}/kernel" if bwrap else str(scratch / ".kernel")}
    Path(paths["case_file"]).write_text(json.dumps(job["case"]))
    spec = {"mode": job["mode"], **job["limits"], "run_dir": str(run_dir), "empty_dir": str(empty),
            "scratch": str(scratch), "cgroup_procs": cgroup.procs_files() if cgroup else [], **paths}
    spec_file = meta / "sandbox.json"
    spec_file.write_text(json.dumps(spec))
    kdir = meta / "kernels" / KERNEL_NAME
    kdir.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    argv = [py, "-I", "-m", "sepsislab.grading.sandbox", str(spec_file), "--", py, "-I", "-m", "ipykernel_launcher",
            "-f", "{connection_file}", "--HistoryManager.enabled=False", "--IPKernelApp.capture_fd_output=False"]
    (kdir / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "sandbox", "language": "python"}))
    return meta / "kernels", paths


def _extraction_cells(job: dict) -> list[tuple[str, str, str]]:
    """(label, question id, code) of the grader's cells: values, public inputs, then hidden inputs."""
    nonce = job["nonce"]
    call = "__import__('sepsislab.exercises.core', fromlist=['_']).emit_answers(globals(), {!r}, {!r}, {!r})"
    cells = [("values", "", call.format(job["variables"], {}, nonce))]
    for part in ("public", "hidden"):
        for qid, fn in job["functions"].items():
            if fn[part] or part == "public":
                cells.append((part, qid, call.format({}, {qid: (fn["var"], fn[part])}, nonce)))
    return cells


def _payload(cell, nonce: str) -> dict | None:
    """The first answers payload of a grader cell that carries the nonce and fits the size cap."""
    for out in cell.get("outputs", []):
        data = out.get("data", {}).get(ANSWERS_MIME)
        if isinstance(data, dict) and data.get("nonce") == nonce:
            return data if len(json.dumps(data)) <= MAX_PAYLOAD else {"oversized": True}
    return None


def _errors(cell) -> list[dict]:
    return [{"ename": str(o.get("ename", ""))[:100], "evalue": str(o.get("evalue", ""))[:300]}
            for o in cell.get("outputs", []) if o.get("output_type") == "error"][:5]


def _limit_self(job: dict) -> None:
    memory = max(RUNNER_MEMORY, int(job["limits"].get("memory_bytes", 0)) + (1 << 30))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run(meta: Path) -> dict:
    job = json.loads((meta / "job.json").read_text())
    _limit_self(job)
    code = [(int(i), src) for i, src in job["cells"]]
    extraction = _extraction_cells(job)
    cells = [nbformat.v4.new_code_cell(src) for _, src in code]
    cells += [nbformat.v4.new_code_cell(src) for _, _, src in extraction]
    run_nb = nbformat.v4.new_notebook(cells=cells)

    limits = job["limits"]
    cgroup = isolation.NotebookCgroup.create(f"sepsislab-grade-{meta.parent.name}", limits["memory_bytes"],
                                             limits["max_tasks"])
    if cgroup is not None:
        (meta / "cgroup.json").write_text(json.dumps({k: str(v) for k, v in cgroup.dirs.items()}))
    kernels, paths = _kernel_spec(meta, job, cgroup)
    # asynchronous: with a blocking client nbclient waits on output forever and never sees the timeout
    km = _SandboxKernelManager(kernel_name=KERNEL_NAME, transport="ipc", ip=paths["ip"],
                               kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]))
    km.host_ip = "bwrap" if job["mode"] == "bwrap" else ""
    km.connection_file = paths["connection_file"]
    km.context = zmq.asyncio.Context()
    km.context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE)   # a huge output drops the connection, not the runner
    client = _Client(run_nb, km=km, timeout=job["timeout"], interrupt_on_timeout=False, allow_errors=True,
                     kernel_name=KERNEL_NAME, startup_timeout=60, record_timing=False,
                     resources={"metadata": {"path": str(meta)}})
    result = {"status": "ok", "errors": [], "answers": None, "functions": {}, "stopped_at": None,
              "extract_timeout": [], "observed": {}}
    started = time.monotonic()
    pid = current = None
    try:
        with client.setup_kernel(cwd=str(meta)):
            pid = km.provisioner.process.pid if km.provisioner and km.provisioner.process else None
            (meta / "kernel.pid").write_text(str(pid or ""))
            current = _run_student_cells(client, km, run_nb, code, job, result)
            result["observed"].update(_observe(km, pid, job))
            current = None
            _run_extraction(client, km, run_nb, len(code), extraction, job, result)
    except DeadKernelError:
        result.update(status="died", stopped_at=current if current is not None else result["stopped_at"])
    except Exception as exc:  # a kernel that never started, a broken connection…
        result.update(status="error", detail=f"{type(exc).__name__}: {str(exc)[:300]}")
    finally:
        result["kernel_returncode"] = _returncode(km)
        isolation.kill(pid)
        if cgroup is not None:
            result["observed"].update(cgroup.events())
            cgroup.destroy()
            (meta / "cgroup.json").unlink(missing_ok=True)
        result["seconds"] = round(time.monotonic() - started, 2)
    return result


def _run_student_cells(client, km, run_nb, code, job, result):
    """Run the student's cells against one deadline; returns the index of the cell running at a crash."""
    deadline = time.monotonic() + job["timeout"]
    for index, (original, _src) in enumerate(code):
        client.timeout = max(1, int(deadline - time.monotonic()) + 1)
        try:
            client.execute_cell(run_nb.cells[index], index)
        except CellTimeoutError:
            result.update(status="timeout", stopped_at=original)
            _interrupt(km)
            return None
        except DeadKernelError:
            result["stopped_at"] = original
            raise
        for err in _errors(run_nb.cells[index]):
            result["errors"].append({"cell": original, **err})
    return None


def _run_extraction(client, km, run_nb, n_code, extraction, job, result):
    parts: dict = {}
    for k, (label, qid, _src) in enumerate(extraction):
        index = n_code + k
        client.timeout = job["extract_timeout"]
        try:
            client.execute_cell(run_nb.cells[index], index)
        except CellTimeoutError:
            result["extract_timeout"].append(qid or label)
            _interrupt(km)
            continue
        payload = _payload(run_nb.cells[index], job["nonce"])
        if payload is not None and payload.get("oversized"):
            result["oversized_payload"] = True
            continue
        if label == "values":
            result["answers"] = payload.get("answers") if payload else None
            if payload is None:   # the values cell runs before any hidden input entered the kernel
                result["extract_error"] = _errors(run_nb.cells[index])
        elif payload and isinstance(payload.get("functions"), dict):
            parts[(label, qid)] = payload["functions"].get(qid)
    for qid in job["functions"]:
        public, hidden = parts.get(("public", qid)), parts.get(("hidden", qid))
        if not job["functions"][qid]["hidden"]:
            hidden = {"calls": []}
        if isinstance(public, dict) and "calls" not in public:
            result["functions"][qid] = public            # not defined, still ..., not a function
        elif _calls(public) is not None and _calls(hidden) is not None:
            result["functions"][qid] = {"calls": _calls(public) + _calls(hidden)}


def _calls(part):
    return part["calls"] if isinstance(part, dict) and isinstance(part.get("calls"), list) else None


def _observe(km, pid, job) -> dict:
    """What the sandbox shows after the student's cells: scratch space used, processes still running."""
    seen = {"processes": len(_descendants(pid)) if pid else 0}
    if job["mode"] == "bwrap" and km.ip.startswith("/proc/"):
        root = km.ip[: km.ip.index(isolation.RUN_DIR)]
        try:
            st = os.statvfs(root + isolation.SCRATCH)
            seen["scratch_used_bytes"] = (st.f_blocks - st.f_bfree) * st.f_frsize
            seen["scratch_bytes"] = st.f_blocks * st.f_frsize
        except OSError:
            pass
    return seen


def _descendants(pid: int, cap: int = 10000) -> list[int]:
    """Every process below ``pid`` (through ``/proc/*/task/*/children``), bounded."""
    found, todo = [], [pid]
    while todo and len(found) < cap:
        p = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for t in tasks:
            try:
                kids = [int(x) for x in Path(f"/proc/{p}/task/{t}/children").read_text().split()]
            except (OSError, ValueError):
                continue
            found += kids
            todo += kids
    return found


def _interrupt(km) -> None:
    """SIGINT to the kernel process itself (under bubblewrap it leads its own session, so
    jupyter_client's signal to the launcher's process group would not reach it)."""
    pid = km.provisioner.process.pid if km.provisioner and km.provisioner.process else None
    kernel = _kernel_process(pid) if pid else None
    try:
        if not kernel:
            run_sync(km.interrupt_kernel)()
            return
        for _ in range(3):   # idle, ipykernel ignores SIGINT: the repeats only make sure one lands
            os.kill(kernel, signal.SIGINT)
            time.sleep(0.3)
    except Exception:
        pass


def _kernel_process(pid: int) -> int | None:
    """The kernel below the launcher ``pid``: bubblewrap → its init → the kernel (the first child)."""
    chain = pid
    for _ in range(2):
        kids = _children(chain)
        if not kids:
            return chain if chain != pid else None
        chain = min(kids)
    return chain


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (OSError, ValueError):
        return []


def _returncode(km) -> int | None:
    try:
        proc = km.provisioner.process if km.provisioner else None
        return proc.poll() if proc is not None else None
    except Exception:
        return None


def main(argv=None) -> int:
    meta = Path((argv or sys.argv[1:])[0])
    result = run(meta)
    (meta / "result.json").write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
