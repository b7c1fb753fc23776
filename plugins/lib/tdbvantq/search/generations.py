"""Which index generation is current, and making the ones a build wrote current
(README.md, "Layout of SEARCH_INDEX_DIR"). Apart from the rest of the store: a rebuild's
own process needs only this (scripts/build.py commits the generation the background
process wrote), not Whoosh and numpy, ~0.1 s of CPU to import, which the background
process imports instead.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from tdbvantq.writes import exclusive_lock, write_atomically

# The store's logger, as before this module was split from it.
log = logging.getLogger("tdbvantq.search.store")

# vnsearch-3: one field of weighted syllables ("terms") and a stored adjacency
# text instead of per-field syllable and bigram fields.
# vnsearch-4: a place facet (place_slugs, place_names).
FORMAT = "vnsearch-4"
POINTER = "CURRENT"
LOCK = ".lock"
_GENERATION = re.compile(r"^gen-(\d{6})$")
_KEEP_GENERATIONS = 2  # the current one and the previous one (readers may still hold it)


class IndexMissing(Exception):
    """No usable index at the given directory.

    str(error) is the English text for build logs; `user_message` says the same in
    Vietnamese for editors (scripts/search.py prints it). Both name the file or folder.
    """

    def __init__(self, message: str, user_message: str) -> None:
        super().__init__(message)
        self.user_message = user_message

    def __reduce__(self):  # pickled back from search_index's background process
        return (type(self), (str(self), self.user_message))


def current_generation(index_dir: Path | str, pending: PendingGenerations | None = None) -> Path:
    """The generation CURRENT names; IndexMissing if there is none or it is not ours.

    With `pending` (the build's own PendingGenerations), a generation the build
    wrote but has not yet made current is the current one for it (the build
    that made it reads it, e.g. to export it); everyone else still sees CURRENT's.
    """
    index_dir = Path(index_dir)
    written = pending.generation(index_dir) if pending is not None else None
    if written is not None:
        return written
    pointer = index_dir / POINTER
    try:
        data = json.loads(pointer.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexMissing(
            f"{index_dir}: no search index", f"{index_dir}: chưa có chỉ mục tìm kiếm"
        ) from None
    except (OSError, ValueError) as error:
        raise IndexMissing(
            f"{pointer}: unreadable index pointer ({error})",
            f"{pointer}: không đọc được tệp trỏ tới chỉ mục ({error})",
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise IndexMissing(
            f"{pointer}: not a {FORMAT} index pointer",
            f"{pointer}: không phải tệp trỏ tới chỉ mục {FORMAT}",
        )
    name = str(data.get("generation", ""))
    if not _GENERATION.match(name) or not (index_dir / name).is_dir():
        raise IndexMissing(
            f"{pointer}: generation {name!r} is missing",
            f"{pointer}: không thấy bản chỉ mục {name!r} mà tệp này trỏ tới",
        )
    return index_dir / name


@contextlib.contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """One writer at a time; the kernel drops the lock if the writer dies."""
    with exclusive_lock(Path(index_dir) / LOCK):
        yield


class PendingGenerations:
    """Index generations a build wrote but has not made current yet.

    The build owns one (scripts/build.py) and passes it, as a value, to
    `build_index`: the generation is written aside and CURRENT left alone until
    the build calls `commit()`, right after the new output/ is swapped in. The
    index and the site change together, and a failed or killed build changes
    neither (uncommitted generations are never current; later builds remove them).
    It is plain data: search_index's background process fills its own and the
    build `adopt()`s it.
    """

    def __init__(self, names: dict[Path, str] | None = None) -> None:
        self.names: dict[Path, str] = dict(names or {})  # index folder (resolved) -> generation

    def add(self, index_dir: Path, name: str) -> None:
        self.names[Path(index_dir).resolve()] = name

    def generation(self, index_dir: Path) -> Path | None:
        """The generation written for `index_dir` and not yet current, if any."""
        name = self.names.get(Path(index_dir).resolve())
        return Path(index_dir) / name if name else None

    def adopt(self, other: PendingGenerations) -> None:
        """Take over the generations another process wrote for this build."""
        self.names.update(other.names)

    def commit(self) -> None:
        """Make every pending generation current (CURRENT is replaced atomically)."""
        for index_dir, name in list(self.names.items()):
            with writer_lock(index_dir):
                if not (index_dir / name).is_dir():
                    log.warning(
                        "search index %s: %s vanished before it became current", index_dir, name
                    )
                    continue
                _point_to(index_dir, name)
                _clean_stale(index_dir, keep={name})
            del self.names[index_dir]


def _point_to(index_dir: Path, name: str) -> None:
    write_atomically(index_dir / POINTER, json.dumps({"format": FORMAT, "generation": name}))


def _pointer_name(index_dir: Path) -> str:
    """The generation CURRENT names on disk ("" if none): never removed."""
    try:
        return str(
            json.loads((index_dir / POINTER).read_text(encoding="utf-8")).get("generation", "")
        )
    except (OSError, ValueError, AttributeError):
        return ""


def _generations(index_dir: Path) -> list[Path]:
    found = [p for p in index_dir.iterdir() if p.is_dir() and _GENERATION.match(p.name)]
    return sorted(found, key=lambda p: p.name)


def _clean_stale(index_dir: Path, keep: set[str]) -> None:
    """Drop interrupted builds (*.tmp) and generations older than the kept ones."""
    for entry in index_dir.iterdir():
        if entry.is_dir() and re.match(r"^gen-\d{6}\.tmp$", entry.name):
            shutil.rmtree(entry, ignore_errors=True)
    keep = keep | {_pointer_name(index_dir)}
    for old in _generations(index_dir)[:-_KEEP_GENERATIONS]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
