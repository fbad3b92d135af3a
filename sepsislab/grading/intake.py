"""Reading what students hand in, as hostile data: files, folders and zips.

* A file is opened only if it is a regular file reached without a symbolic link
  (``lstat`` first, then ``O_NOFOLLOW | O_NONBLOCK`` and ``fstat``): a notebook that is a
  link to ``/dev/stdin``, ``/dev/zero`` or a classmate's file is refused, never read.
* Sizes are capped before reading (:data:`MAX_NOTEBOOK_BYTES`, :data:`MAX_CELLS`,
  :data:`.source.MAX_CELL_CHARS`, :data:`MAX_CODE_CHARS`); parsing is :func:`json.loads`,
  linear in the capped size, and the code that :mod:`.source` then parses is at most
  :data:`MAX_CODE_CHARS`.
* A class folder is listed without following links; a student folder that is a link is
  skipped and said so.
* :func:`collect` unpacks the students' zips into one folder per student: no absolute
  path, no ``..``, no link, only notebooks named as in ``exercises/``, sizes and
  compression ratios capped, nothing ever overwritten.
"""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path

from .source import MAX_CELL_CHARS

#: Largest notebook file read (bytes); outputs included, a course notebook is well under 1 MB.
MAX_NOTEBOOK_BYTES = 16 << 20
#: Most cells a notebook may have; a course notebook has about 40.
MAX_CELLS = 1000
#: Most code in a notebook, all cells together (characters); a course notebook has about 10,000.
MAX_CODE_CHARS = 512 * 1024
#: Most entries listed in a folder.
MAX_ENTRIES = 5000
#: Zips: most entries, largest total unpacked, highest compression ratio.
MAX_ZIP_ENTRIES = 200
MAX_ZIP_TOTAL = 64 << 20
MAX_ZIP_RATIO = 100


class Refused(ValueError):
    """A file that is not read: why, in words for the teacher, and the flag it earns (if any)."""

    def __init__(self, why: str, flag: str = ""):
        super().__init__(why)
        self.why, self.flag = why, flag


def read_regular(path, max_bytes: int, *, dir_fd: int | None = None) -> bytes:
    """The bytes of a regular file, never through a symlink, at most ``max_bytes`` (else :class:`Refused`)."""
    try:
        st = os.lstat(path, dir_fd=dir_fd)
    except FileNotFoundError:
        raise Refused("missing") from None
    except OSError as exc:
        raise Refused(f"could not be read ({exc.strerror})") from None
    _check_kind(st, path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dir_fd)
    except OSError as exc:
        raise Refused(f"could not be read ({exc.strerror})", "the notebook changed while it was read") from None
    try:
        st = os.fstat(fd)
        _check_kind(st, path)
        if st.st_size > max_bytes:
            raise Refused(f"too large ({st.st_size >> 20} MB; at most {max_bytes >> 20} MB)",
                          f"a notebook of {st.st_size >> 20} MB")
        chunks, left = [], max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > max_bytes:
            raise Refused(f"too large (more than {max_bytes >> 20} MB)", "a notebook that grew while it was read")
        return data
    finally:
        os.close(fd)


def _check_kind(st: os.stat_result, path) -> None:
    if stat.S_ISLNK(st.st_mode):
        raise Refused("a symbolic link, not a file: not followed", f"{os.path.basename(str(path))} is a symbolic link")
    if not stat.S_ISREG(st.st_mode):
        raise Refused("not a regular file (a device, pipe or folder): not read",
                      f"{os.path.basename(str(path))} is a special file")


def read_json(path: Path, max_bytes: int):
    """JSON from a file the grader itself wrote (bounded); ``None`` if absent or unreadable."""
    try:
        return json.loads(read_regular(path, max_bytes))
    except (Refused, ValueError, RecursionError):
        return None


def read_tail(path: Path, n: int) -> str:
    """The last ``n`` characters of a small file the grader wrote ('' if absent)."""
    try:
        return read_regular(path, 1 << 20)[-n:].decode(errors="replace")
    except Refused:
        return ""


def _open_folder(folder: Path) -> int:
    return os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)


def discover(submissions: Path) -> tuple[list[tuple[str, Path]], list[str]]:
    """The student folders (real folders, not links, not hidden) and what was skipped, and why."""
    found, skipped = [], []
    with os.scandir(submissions) as it:
        for n, entry in enumerate(it):
            if n >= MAX_ENTRIES:
                skipped.append(f"{submissions}: more than {MAX_ENTRIES} entries; the rest were not listed")
                break
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                skipped.append(f"{entry.name}: a symbolic link, not a student folder")
            elif entry.is_dir(follow_symlinks=False):
                found.append((entry.name, Path(entry.path)))
    return sorted(found), skipped


def find_notebook(folder: Path, name: str) -> tuple[str | None, str, list[str]]:
    """``<name>.ipynb`` in the student's folder, or a near miss (``name (1).ipynb``): (file name,
    note, flags). A notebook that is a link or a special file is reported, never opened."""
    try:
        fd = _open_folder(folder)
    except FileNotFoundError:
        return None, "", []
    except OSError as exc:
        return None, f"the student's folder could not be read ({exc.strerror}; a link is not followed)", []
    try:
        exact, near = f"{name}.ipynb", []
        with os.scandir(fd) as it:
            for n, entry in enumerate(it):
                if n >= MAX_ENTRIES:
                    break
                if entry.name == exact:
                    return exact, "", []
                if entry.name.endswith(".ipynb") and entry.name[:-6].lower().replace(" ", "").startswith(name):
                    near.append(entry.name)
    finally:
        os.close(fd)
    if near:
        first = sorted(near)[0]
        return first, f"graded {first} (expected {exact})", []
    return None, "", []


def read_notebook(folder: Path, filename: str) -> tuple[list | None, str, list[str]]:
    """The cells ``(index, cell_type, source)`` of a notebook, or ``None``, why, and the flags earned."""
    try:
        fd = _open_folder(folder)
    except OSError as exc:
        return None, f"the folder could not be read ({exc.strerror})", []
    try:
        raw = read_regular(filename, MAX_NOTEBOOK_BYTES, dir_fd=fd)
    except Refused as exc:
        return None, exc.why, [exc.flag] if exc.flag else []
    finally:
        os.close(fd)
    if not raw.strip():
        return None, "empty file", []
    try:
        return parse_notebook(raw), "", []
    except Refused as exc:
        return None, exc.why, [exc.flag] if exc.flag else []


def parse_notebook(raw: bytes) -> list[tuple[int, str, str]]:
    """Notebook JSON → cells, with the number of cells and the size of code cells capped."""
    try:
        nb = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError, MemoryError):
        raise Refused("not a valid notebook (JSON could not be read)") from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list) or nb.get("nbformat") != 4:
        raise Refused("not a valid notebook (JSON could not be read)")
    if len(cells) > MAX_CELLS:
        raise Refused(f"too many cells ({len(cells)}; at most {MAX_CELLS})", f"a notebook of {len(cells)} cells")
    out = []
    for i, cell in enumerate(cells):
        kind = cell.get("cell_type") if isinstance(cell, dict) else None
        source = cell.get("source", "") if isinstance(cell, dict) else None
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if kind not in ("code", "markdown", "raw") or not isinstance(source, str):
            raise Refused("not a valid notebook (JSON could not be read)")
        if kind == "code" and len(source) > MAX_CELL_CHARS:
            raise Refused(f"cell {i} holds {len(source) // 1024} KB of code (at most {MAX_CELL_CHARS // 1024} KB)",
                          f"cell {i} holds {len(source) // 1024} KB of code")
        out.append((i, kind, source))
    code = sum(len(src) for _, kind, src in out if kind == "code")
    if code > MAX_CODE_CHARS:
        raise Refused(f"{code // 1024} KB of code (at most {MAX_CODE_CHARS // 1024} KB)",
                      f"a notebook with {code // 1024} KB of code")
    return out


# -- zips -----------------------------------------------------------------------------------

def _safe_name(text: str) -> bool:
    return 0 < len(text) <= 100 and not text.startswith(".") and all(c.isalnum() or c in "._-" for c in text)


def _entry_problem(info: zipfile.ZipInfo) -> str:
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    if "\\" in name or name.startswith("/") or "\x00" in name or ":" in parts[0] or ".." in parts:
        return "a path outside its folder"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a symbolic link"
    if info.file_size > MAX_NOTEBOOK_BYTES:
        return f"too large ({info.file_size >> 20} MB)"
    if info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1) and info.file_size > 1 << 20:
        return "compressed more than 100:1 (a zip bomb?)"
    return ""


def collect(zips_dir: Path, out_dir: Path, practices) -> list[str]:
    """Unpack every ``*.zip`` in ``zips_dir`` into ``out_dir/<student>/<practice>.ipynb``; return the report.

    The student is the sub-folder of ``zips_dir`` the zip sits in (how a learning platform
    files each submitter's download), or else the single top folder inside the zip (what
    ``export()`` writes). Only notebooks named as in ``exercises/`` are taken; every entry
    that points outside its folder, is a link, is too large or too compressed is refused
    and flagged; an existing file is never overwritten (the second zip is flagged).
    """
    report: list[str] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = {f"{p}.ipynb" for p in practices}
    for zip_path, owner in _zips(zips_dir, report):
        try:
            data = read_regular(zip_path, MAX_ZIP_TOTAL)
            import io

            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                _unpack(zf, zip_path.name, owner, out_dir, wanted, report)
        except Refused as exc:
            report.append(f"FLAG: {zip_path.name}: {exc.why}; not unpacked")
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            report.append(f"{zip_path.name}: not a readable zip ({type(exc).__name__}); not unpacked")
    return report


def _zips(zips_dir: Path, report: list) -> list[tuple[Path, str | None]]:
    found = []
    with os.scandir(zips_dir) as it:
        for entry in sorted(it, key=lambda e: e.name)[:MAX_ENTRIES]:
            if entry.is_symlink():
                report.append(f"FLAG: {entry.name}: a symbolic link; not followed")
            elif entry.is_file(follow_symlinks=False) and entry.name.endswith(".zip"):
                found.append((Path(entry.path), None))
            elif entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
                owner = "".join(c if c.isalnum() or c in "._-" else "_" for c in entry.name).strip("._")[:100]
                with os.scandir(entry.path) as inner:
                    for sub in sorted(inner, key=lambda e: e.name)[:MAX_ENTRIES]:
                        if sub.name.endswith(".zip") and sub.is_file(follow_symlinks=False):
                            found.append((Path(sub.path), owner or "student"))
    return found


def _unpack(zf: zipfile.ZipFile, label: str, owner: str | None, out_dir: Path, wanted: set, report: list) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        report.append(f"FLAG: {label}: {len(infos)} entries (at most {MAX_ZIP_ENTRIES}); not unpacked")
        return
    files = []
    for info in infos:
        problem = _entry_problem(info)
        if problem:
            report.append(f"FLAG: {label}: entry {info.filename[:80]!r} refused ({problem})")
            continue
        if info.is_dir():
            continue
        parts = info.filename.split("/")
        if parts[-1] not in wanted or len(parts) > 2:
            report.append(f"{label}: entry {info.filename[:80]!r} ignored (not an exercise notebook)")
            continue
        files.append((info, parts[0] if len(parts) == 2 else None))
    tops = {top for _, top in files}
    if owner is None:
        if len(tops) != 1 or None in tops or not _safe_name(next(iter(tops))):
            report.append(f"FLAG: {label}: not one student folder inside ({', '.join(sorted(map(str, tops)))[:80]}); "
                          "not unpacked")
            return
        owner = next(iter(tops))
    folder = out_dir / owner
    if folder.is_symlink():
        report.append(f"FLAG: {label}: {owner}/ is a symbolic link in the class folder; not unpacked")
        return
    folder.mkdir(exist_ok=True)
    for info, _top in files:
        target = folder / info.filename.split("/")[-1]
        content = _read_entry(zf, info)
        if content is None:
            report.append(f"FLAG: {label}: entry {info.filename[:80]!r} refused (larger than it says)")
            continue
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except FileExistsError:
            report.append(f"FLAG: {label}: {owner}/{target.name} exists already (another zip); not overwritten")
            continue
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        report.append(f"{label}: {owner}/{target.name}")


def _read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    with zf.open(info) as fh:
        data = fh.read(info.file_size + 1)
    return data if len(data) <= min(info.file_size, MAX_NOTEBOOK_BYTES) else None
