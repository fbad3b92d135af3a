"""One content stamp of the package, for every cache that depends on it.

The book's execution cache (``book/_ext/sepsislab_book.py``) and the benchmark's warm-up
(``sepsislab/bench.py``) must both notice when the code or a shipped table changes. Both
ask :func:`package_stamp`, which hashes file contents: a checkout, a ``touch`` or a copy
changes file times but not what a page shows.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

#: The ``sepsislab`` package folder.
PACKAGE = Path(__file__).resolve().parents[1]


def package_stamp(package: Path = PACKAGE) -> str:
    """SHA-256 (hex) over the path and content of every ``.py`` file and shipped table.

    Parameters
    ----------
    package : Path
        The package folder (default: the installed ``sepsislab``).

    Returns
    -------
    str
        64 hex digits; equal exactly when the code and the tables are.
    """
    digest = hashlib.sha256()
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.json.gz")]):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()
