"""Atomic file writes: a reader or a crash never sees a half-written file.

Shared by the importer, the content checker's --fix, the article scaffold and
the search exporters. A library, not a Pelican plugin (no ``register()``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes | str, *, exclusive: bool = False) -> None:
    """Write ``data`` to a temporary file beside ``path``, then move it into place.

    With ``exclusive``, an existing ``path`` is never replaced: FileExistsError
    is raised instead (the complete file is hard-linked into place).
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists() and not exclusive:
            os.chmod(temp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(temp, 0o644)
        if exclusive:
            os.link(temp, path)
        else:
            os.replace(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)
