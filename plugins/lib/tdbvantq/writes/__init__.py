"""The project's one writer: atomic, durable file writes and folder swaps.

A reader or a crash never sees a half-written file or folder: data goes to a
temporary name beside its target, reaches the disk (fsync), and is then
renamed into place; the folder holding it is synced so the rename survives a
power cut too. This is the only module that calls ``os.replace``/``rename``.
A library, not a Pelican plugin (no ``register()``).
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import itertools
import os
import shutil
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

# Above this many files, one syncfs() of the file system replaces one fsync() per file.
BATCH_SYNC_THRESHOLD = 16


def sync_directory(folder: Path | str) -> None:
    """Make renames and new entries in `folder` durable."""
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def sync_filesystem(path: Path | str) -> None:
    """Flush every written file of the file system holding `path`, in one call.

    Linux's syncfs(2); elsewhere (or if it fails) os.sync().
    """
    handle = os.open(path, os.O_RDONLY)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.syncfs(handle) == 0:
            return
    except (OSError, AttributeError):
        pass
    finally:
        os.close(handle)
    os.sync()


# Temporary names: the process id and a counter, created with O_EXCL as mkstemp does,
# but without its random names and path work (~7,000 files in a cold build). The pid
# tells processes apart (a forked child has its own); a name left by a killed process
# whose pid came back is skipped by the next number.
_TEMP_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_temp_numbers = itertools.count()


def _temp_beside(path: Path) -> tuple[int, str]:
    """A new file (mode 0600, open for writing) beside `path`, and its name; the
    folder is made when missing."""
    return _new_beside(path, lambda temp: os.open(temp, _TEMP_FLAGS, 0o600))


def _new_beside(path: Path, create: Callable[[str], T]) -> tuple[T, str]:
    """`create(name)` for a new temporary name beside `path` (it must fail with
    FileExistsError when the name is taken), the folder made when missing."""
    folder = os.fspath(path.parent)
    prefix = f"{folder}/.{path.name}.{os.getpid()}-"
    made = False
    while True:
        temp = f"{prefix}{next(_temp_numbers)}.tmp"
        try:
            return create(temp), temp
        except FileExistsError:
            continue
        except FileNotFoundError:
            if made:
                raise
            Path(folder).mkdir(parents=True, exist_ok=True)
            made = True


def write_atomically(
    path: Path, data: bytes | str, *, exclusive: bool = False, durable: bool = True
) -> None:
    """Write ``data`` to a temporary file beside ``path``, then move it into place.

    With ``exclusive``, an existing ``path`` is never replaced: FileExistsError
    is raised instead (the complete file is hard-linked into place). With
    ``durable=False`` nothing is flushed to disk: a running reader still never
    sees half a file, but after a power cut the file may be empty or garbled,
    which only a cache whose reader checks what it loads can accept.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    path = Path(path)
    handle, temp = _temp_beside(path)
    placed = False
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            os.fchmod(stream.fileno(), _mode_for(path, exclusive))
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        if exclusive:
            os.link(temp, path)
        else:
            os.replace(temp, path)
            placed = True  # the temporary name is gone
        if durable:
            sync_directory(path.parent)
    finally:
        if not placed:
            Path(temp).unlink(missing_ok=True)


def write_cache_file(path: str, data: bytes) -> None:
    """A new cache file (mode 0644) written beside ``path`` and moved into place,
    not flushed (as ``durable=False``), with plain os calls on a string path: for
    the thousands of small files of a cold export, where write_atomically's path
    and mode handling cost three times the file's creation. The folder must exist."""
    folder, name = os.path.split(path)
    while True:
        temp = f"{folder}/.{name}.{os.getpid()}-{next(_temp_numbers)}.tmp"
        try:
            handle = os.open(temp, _TEMP_FLAGS, 0o600)
            break
        except FileExistsError:  # left by a killed process whose pid came back
            continue
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            os.fchmod(stream.fileno(), 0o644)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def _mode_for(path: Path, exclusive: bool) -> int:
    """The mode of the file replaced (kept), else 0644."""
    if not exclusive:
        with contextlib.suppress(FileNotFoundError):
            return os.stat(path).st_mode & 0o7777
    return 0o644


class AtomicBatch:
    """Many files written atomically, with the disk flushes batched.

    ``put`` writes each file to a temporary name; ``commit`` flushes them all
    (one ``syncfs`` above BATCH_SYNC_THRESHOLD files, else one fsync each),
    renames each into place and syncs each folder once. A batch that is never
    committed leaves no file changed and no temporary file behind.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[str, Path]] = []

    def put(self, path: Path, data: bytes) -> str:
        """Stage `data` for `path`; returns the temporary file holding it until the
        commit (another batch may `link` to it: the same bytes, written once)."""
        path = Path(path)
        handle, temp = _temp_beside(path)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                os.fchmod(stream.fileno(), 0o644)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        self._pending.append((temp, path))
        return temp

    def link(self, path: Path, source: Path) -> None:
        """Stage ``path`` as a hard link to ``source`` (a copy where the file system
        has no links): a file carried over unchanged is not written again."""
        self._pending.append((_link_beside(path, source), Path(path)))

    def commit(self) -> None:
        pending, self._pending = self._pending, []
        if len(pending) > BATCH_SYNC_THRESHOLD:
            sync_filesystem(pending[0][1].parent)
        else:
            for temp, _ in pending:
                _fsync_file(temp)
        for temp, path in pending:
            os.replace(temp, path)
        for folder in {path.parent for _, path in pending}:
            sync_directory(folder)

    def retain(self, paths: Collection[Path]) -> None:
        """Unstage every file but those of `paths`: their temporary files are removed."""
        keep = {Path(path) for path in paths}
        for temp, path in self._pending:
            if path not in keep:
                Path(temp).unlink(missing_ok=True)
        self._pending = [(temp, path) for temp, path in self._pending if path in keep]

    def discard(self) -> None:
        for temp, _ in self._pending:
            Path(temp).unlink(missing_ok=True)
        self._pending = []

    def __enter__(self) -> AtomicBatch:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


def _link_beside(path: Path, source: Path) -> str:
    try:
        return _new_beside(Path(path), lambda temp: os.link(source, temp))[1]
    except FileNotFoundError:
        raise
    except OSError:  # another file system, or one without links
        handle, temp = _temp_beside(Path(path))
        os.close(handle)
        try:
            shutil.copyfile(source, temp)
            os.chmod(temp, 0o644)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return temp


def link_or_copy(source: Path, path: Path) -> None:
    """Put ``path`` in place as a hard link to ``source`` (a copy where links are
    refused), replacing it atomically: a cached file published without writing
    its bytes again. Nothing is flushed (``source`` already is, or is a cache).

    Where ``path`` is a new name (a build's fresh staging folder: every name), the
    link is made there at once, one system call: a link appears whole, so there is
    nothing to rename into place. A name already taken is replaced through a
    temporary link beside it, as ever; any other failure (no folder yet, another
    file system) takes that way too, which makes the folder or copies."""
    try:
        os.link(source, path)
        return
    except OSError:
        pass
    _replace_with(_link_beside(path, source), path)


def _replace_with(temp: str, path: Path | str) -> None:
    """Rename `temp` to `path`. Where both already name the same file (`path` was
    linked from the same source before), rename(2) does nothing and leaves `temp`:
    it is removed."""
    os.replace(temp, path)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp)


def link_or_write(source: str, path: str, data: bytes) -> bool:
    """Put ``path`` in place as a hard link to ``source``, whose bytes the caller has
    read and checked (``data``); where the link is refused (another file system, one
    without links, too many links), ``data`` is written to a new file there instead.
    Returns whether ``path`` was linked. A name already taken is replaced (a temporary
    name beside it, then a rename), never opened and written in place: the file it
    names may itself be a link to a cache entry. Nothing is flushed."""
    try:
        os.link(source, path)
        return True
    except FileExistsError:
        pass
    except OSError:
        write_atomically(Path(path), data, durable=False)
        return False
    try:
        temp = _new_beside(Path(path), lambda temp: os.link(source, temp))[1]
    except OSError:
        write_atomically(Path(path), data, durable=False)
        return False
    _replace_with(temp, path)
    return True


def unshare(path: str) -> None:
    """Remove ``path`` when it is a regular file with other links (a page linked from a
    cache entry), so that a writer opening it next creates a new file instead of
    changing the entry, and every other name of it, in place."""
    try:
        status = os.lstat(path)
    except OSError:
        return
    if stat.S_ISREG(status.st_mode) and status.st_nlink > 1:
        os.unlink(path)


def _fsync_file(path: str) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def move_into_place(source: Path, target: Path) -> None:
    """Rename a complete file or folder to a name that does not exist yet, durably.

    The caller has written and flushed `source`; FileExistsError if `target` exists.
    """
    if target.exists():
        raise FileExistsError(target)
    os.replace(source, target)
    sync_directory(target.parent)


def swap_directory(
    new: Path,
    target: Path,
    then: Callable[[], None] | None = None,
    *,
    remove_old: Callable[[Path], None] | None = None,
) -> None:
    """Replace the folder `target` by the complete folder `new` (same parent).

    Everything under `new` is flushed to disk first. Two renames: `target` moves
    to `<name>.old-*` beside it, `new` takes its place; if the second rename
    fails the first is undone. `then()` runs right after the renames are synced,
    before the old tree is removed (the build commits the search index there, so
    the slow removal never sits between the new site and its index). The old tree
    is removed afterwards: here, or, with `remove_old`, renamed `<name>.trash-*`
    (no longer a killed build's leftover) and handed to `remove_old` (e.g.
    `remove_in_background`). A crash between the renames leaves `target` missing
    and the old tree in `<name>.old-*/`.
    """
    sync_filesystem(new)
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f"{target.name}.old-", dir=target.parent))
        os.replace(target, old / target.name)
    try:
        os.replace(new, target)
    except OSError:
        if old is not None:
            os.replace(old / target.name, target)
        raise
    sync_directory(target.parent)
    if then is not None:
        then()
    if old is None:
        return
    if remove_old is None:
        shutil.rmtree(old, ignore_errors=True)
        return
    trash = old.with_name(old.name.replace(".old-", ".trash-", 1))
    os.replace(old, trash)
    remove_old(trash)


def remove_in_background(folder: Path) -> None:
    """Remove `folder` in a process of its own, at low priority, that outlives the
    caller (`rm -rf`; here, at once, when it cannot be started). Removing a site's
    3,500 files took a build 0.15–0.4 s of CPU, and seconds of wall time when the
    disk was busy, after the new site was already in place."""
    try:
        subprocess.Popen(
            ["nice", "-n", "19", "rm", "-rf", "--", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not stopped by the terminal's Ctrl-C
        )
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def prune_cache(folder: Path, used: Iterable[Path], max_age_days: float) -> list[Path]:
    """Mark the `used` files of a cache folder as used now (their mtime) and
    remove the folder's files that no build has used for `max_age_days` days.

    By age, not by absence from `used`: sites and tests that share a cache
    folder keep each other's entries as long as any of them uses them, and a
    file another process is writing right now (new, hence young) is never
    touched. Returns the removed files; a missing folder is an empty cache.
    """
    folder = Path(folder)
    for path in used:
        with contextlib.suppress(FileNotFoundError):
            os.utime(path)
    cutoff = time.time() - max_age_days * 86400
    removed = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return removed
    for entry in entries:
        try:
            if (
                entry.is_file(follow_symlinks=False)
                and entry.stat(follow_symlinks=False).st_mtime < cutoff
            ):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except FileNotFoundError:  # removed meanwhile by another build
            continue
    return removed


# A cache's upkeep runs at most once a day: an entry in use has its mtime set again
# only when it is more than this old, and the folder is scanned for unused entries
# only when its `last-pruned` stamp is. Entries' ages are then known to within a
# day; a rebuild no longer makes a utime() per entry used and a stat() per entry.
UPKEEP_INTERVAL = 86400.0


def keep_cache(folder: Path, used: dict[Path, float], max_age_days: float) -> list[Path]:
    """`prune_cache`, once a day: `used` maps the entries this build loaded to the
    mtime they had (entries it wrote are young already). Sets the mtime of those
    more than a day old to now; when the folder was last scanned more than a day
    ago, removes its files no build used for `max_age_days` (0: none). Returns the
    removed files. Never removes an entry in use: after the touch, every used entry
    is at most a day old, and `max_age_days` is at least one."""
    now = time.time()
    stale = [path for path, modified in used.items() if modified < now - UPKEEP_INTERVAL]
    if max_age_days and _upkeep_due(Path(folder), now):
        return prune_cache(folder, stale, max(max_age_days, 1))
    for path in stale:
        with contextlib.suppress(OSError):
            os.utime(path)
    return []


def _upkeep_due(folder: Path, now: float) -> bool:
    """Whether `folder` was last scanned more than a day ago (its `last-pruned`
    stamp's mtime); marks it scanned now."""
    stamp = folder / "last-pruned"
    try:
        if stamp.stat().st_mtime > now - UPKEEP_INTERVAL:
            return False
    except OSError:
        pass
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    return True


@contextlib.contextmanager
def exclusive_lock(path: Path, *, wait: bool = True) -> Iterator[bool]:
    """Hold an flock() on `path` for the `with` block: a folder, or a lock file
    (created if missing).

    The kernel drops the lock when its holder dies, so a killed process never
    leaves it held. With ``wait=False`` the block runs at once and gets False
    when another process holds the lock (and the lock is then not held).
    """
    path = Path(path)
    if path.is_dir():
        handle = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)
