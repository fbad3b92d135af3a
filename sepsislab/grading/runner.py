"""Execute one submitted notebook in a fresh, limited kernel; write what it answered as plain data.

``python -m sepsislab.grading.runner META`` reads ``META/job.json`` and writes
``META/result.json``. The grader starts one such process per notebook (and
kills it at the wall-clock limit); the kernel it drives is started through
:mod:`sepsislab.grading.sandbox`, in the scratch folder that holds the copy of
the notebook and nothing else.

The student's code cells run in order, errors allowed. A cell still running
at the deadline is interrupted and the cells after it are skipped; then the
extraction cells (:mod:`sepsislab.grading.extract`) publish the answers. Only
their outputs and the errors are kept: whatever else the notebook prints is
dropped as it arrives, so a notebook printing gigabytes cannot exhaust the
grader's memory.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import nbformat  # noqa: E402
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import AsyncKernelManager  # noqa: E402
from jupyter_core.utils import run_sync  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellTimeoutError, DeadKernelError  # noqa: E402

from . import isolation  # noqa: E402
from .extract import MIME  # noqa: E402

KERNEL_NAME = "sepsislab-sandbox"


class _Client(NotebookClient):
    """Keeps errors and the grader's own outputs; drops everything else the notebook prints."""

    def output(self, outs, msg, display_id, cell_index):
        kind = msg["msg_type"]
        if kind == "error" or (kind == "display_data" and MIME in msg["content"].get("data", {})):
            return super().output(outs, msg, display_id, cell_index)
        return None


def _kernel_spec(meta: Path, job: dict, cgroup) -> Path:
    spec = {"scratch": job["scratch"], **job["limits"], "cgroup": str(cgroup.path) if cgroup else None}
    if job.get("landlock", True):
        package_dir = str(Path(__file__).resolve().parents[1])
        spec["landlock"] = {"read": isolation.readable_roots(package_dir)}
    spec_file = meta / "sandbox.json"
    spec_file.write_text(json.dumps(spec))
    kdir = meta / "kernels" / KERNEL_NAME
    kdir.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    argv = [py, "-m", "sepsislab.grading.sandbox", str(spec_file), "--", py, "-m", "ipykernel_launcher",
            "-f", "{connection_file}", "--HistoryManager.enabled=False", "--IPKernelApp.capture_fd_output=False"]
    (kdir / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "sandbox", "language": "python"}))
    return meta / "kernels"


def _extraction_cells(job: dict) -> list[tuple[str, str]]:
    nonce, name = job["nonce"], job["practice"]
    call = "__import__('sepsislab.grading.extract', fromlist=['_']).{}"
    cells = [("values", call.format(f"emit_values(globals(), {name!r}, {nonce!r})"))]
    for qid, hidden in job["functions"].items():
        cells.append((qid, call.format(f"emit_function(globals(), {name!r}, {qid!r}, {hidden!r}, {nonce!r})")))
    return cells


def _payloads(cell, nonce: str) -> list[dict]:
    found = []
    for out in cell.get("outputs", []):
        data = out.get("data", {}).get(MIME)
        if isinstance(data, dict) and data.get("nonce") == nonce:
            found.append(data)
    return found


def _errors(cell) -> list[dict]:
    return [{"ename": str(o.get("ename", ""))[:100], "evalue": str(o.get("evalue", ""))[:300]}
            for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def run(meta: Path) -> dict:
    job = json.loads((meta / "job.json").read_text())
    nb = nbformat.read(job["notebook"], as_version=4)
    code = [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]
    cells = [nbformat.v4.new_code_cell("__import__('sepsislab.grading.extract', fromlist=['_']).snapshot(globals())")]
    cells += [nbformat.v4.new_code_cell(src) for _, src in code]
    extraction = _extraction_cells(job)
    cells += [nbformat.v4.new_code_cell(src) for _, src in extraction]
    run_nb = nbformat.v4.new_notebook(cells=cells)

    cgroup = isolation.PidsCgroup.create(f"sepsislab-grade-{meta.parent.name}", job["limits"].get("max_tasks", 64))
    if cgroup is not None:
        (meta / "cgroup").write_text(str(cgroup.path))
    # asynchronous: with a blocking client nbclient waits on output forever and never sees the timeout
    km = AsyncKernelManager(kernel_name=KERNEL_NAME,
                            kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(_kernel_spec(meta, job, cgroup))]))
    km.connection_file = str(Path(job["scratch"]) / ".kernel-connection.json")
    client = _Client(run_nb, km=km, timeout=job["timeout"], interrupt_on_timeout=False, allow_errors=True,
                     kernel_name=KERNEL_NAME, startup_timeout=60, record_timing=False,
                     resources={"metadata": {"path": job["scratch"]}})
    result = {"status": "ok", "errors": [], "values": None, "functions": {}, "stopped_at": None}
    started = time.monotonic()
    deadline = started + job["timeout"]
    pid = current = None
    try:
        with client.setup_kernel(cwd=job["scratch"]):
            pid = km.provisioner.process.pid if km.provisioner and km.provisioner.process else None
            (meta / "kernel.pid").write_text(str(pid or ""))
            for index, cell in enumerate(run_nb.cells):
                is_student = 0 < index <= len(code)
                original = code[index - 1][0] if is_student else None
                current = original
                if index == len(code) + 1:  # extraction gets its own budget
                    deadline = time.monotonic() + job["extract_timeout"]
                client.timeout = max(1, int(deadline - time.monotonic()) + 1)
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    if is_student:
                        result.update(status="timeout", stopped_at=original)
                        _interrupt(km)
                        time.sleep(0.5)
                        # skip the remaining student cells, then extract
                        return _finish_with_extraction(client, run_nb, len(code), extraction, job, result)
                    result.setdefault("extract_timeout", []).append(extraction[index - len(code) - 1][0])
                    _interrupt(km)
                    time.sleep(0.5)
                    continue
                if is_student:
                    for err in _errors(cell):
                        result["errors"].append({"cell": original, **err})
                else:
                    _collect(cell, index, len(code), extraction, job, result)
    except DeadKernelError:
        result.update(status="died", stopped_at=current)
    except Exception as exc:  # a kernel that never started, a broken connection…
        result.update(status="error", detail=f"{type(exc).__name__}: {str(exc)[:300]}")
    finally:
        result["kernel_returncode"] = _returncode(km)
        _kill_group(pid)
        if cgroup is not None:
            result["process_limit_hit"] = cgroup.hit_limit()
            cgroup.destroy()
        result["seconds"] = round(time.monotonic() - started, 2)
    return result


def _collect(cell, index, n_code, extraction, job, result):
    if index == 0:
        return
    label = extraction[index - n_code - 1][0]
    payloads = _payloads(cell, job["nonce"])
    if label == "values":
        result["values"] = payloads[-1] if payloads else None
        if not payloads:
            result["extract_error"] = _errors(cell)
    elif payloads and "answer" in payloads[-1]:
        result["functions"][label] = payloads[-1]["answer"]


def _finish_with_extraction(client, run_nb, n_code, extraction, job, result):
    for k in range(len(extraction)):
        index = n_code + 1 + k
        client.timeout = job["extract_timeout"]
        try:
            client.execute_cell(run_nb.cells[index], index)
        except CellTimeoutError:
            result.setdefault("extract_timeout", []).append(extraction[k][0])
            _interrupt(client.km)
            continue
        _collect(run_nb.cells[index], index, n_code, extraction, job, result)
    return result


def _interrupt(km) -> None:
    try:
        run_sync(km.interrupt_kernel)()
    except Exception:
        pass


def _returncode(km) -> int | None:
    try:
        proc = km.provisioner.process if km.provisioner else None
        return proc.poll() if proc is not None else None
    except Exception:
        return None


def _kill_group(pid) -> None:
    """The kernel leads its own process group: kill it and whatever the student's code forked."""
    if pid:
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def main(argv=None) -> int:
    meta = Path((argv or sys.argv[1:])[0])
    result = run(meta)
    (meta / "result.json").write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
