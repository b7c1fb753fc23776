"""Folders and empty files for a new site, made ahead by a helper process while the
build reads its content (issue 24, `rebuild9`).

A build writes its site into a new, empty staging folder, so every page costs the
build's process a new inode: a folder (`2026/<slug>/`) and a file (`index.html`). On
this project's machines that is 0.2-0.4 ms of kernel time each (ext4 looks for a free
inode not deleted in the last minute, and every build deletes the last site), about
1,000 folders and 1,100 files a rebuild at 1,000 stories: 10-12 % of the rebuild's
critical path. While the site is read, the machine's second core is idle; a helper
process then makes, from the last site (`output/`):

- every folder it had, in the staging folder (`Premade.folders`: the ones it made);
- one empty file for each of its `.html` and `.xml` files, in a spare folder beside the
  staging folder (`<staging>-spares`). Pelican's writer (render_cache's) renames a spare
  to the name of each page it writes (`use_spare`), then opens it as before (`"w"`, an
  empty file truncated, `use_spare`): a rename allocates no inode. The bytes, the mode (0666 less the
  umask, as `open` gives) and the times are those of a new file.

Before the build writes any page the helper is told to stop (`stop`, on Pelican's
`get_writer`: the end of its standard input, which also stops it when the build dies): what it has made by then is used, the rest is made by the build as
before. After the build, `tidy` removes the premade folders no file went into (deepest
first, `rmdir`, which only removes an empty folder), so the site has the folders a
cold build gives, and hands the unused spares to a background removal. Run as a script
(`python -S premade.py OLD NEW SPARES`), this file is the helper: it imports nothing
but the standard library.
"""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import sys
from pathlib import Path

# Files of the last site that get a spare: the pages and feeds Pelican's writer writes.
SPARE_SUFFIXES = (".html", ".xml")


def _told_to_stop() -> bool:
    """Whether the build closed the helper's standard input (or died)."""
    return bool(select.select([0], [], [], 0)[0])


def _make(old: str, new: str, spares: str) -> tuple[list[str], int]:
    """The helper's work: `old`'s folders made in `new`, a spare in `spares` for each
    of its pages, until done or told to stop. The folders it made (relative, parents
    first) and the number of spares (named 0, 1, …)."""
    made: list[str] = []
    count = 0
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    pending = [""]
    while pending:
        relative = pending.pop()
        try:
            entries = list(os.scandir(os.path.join(old, relative)))
        except OSError:
            continue
        for entry in entries:
            if _told_to_stop():
                return made, count
            name = os.path.join(relative, entry.name)
            if entry.is_dir(follow_symlinks=False):
                with contextlib.suppress(FileExistsError):
                    os.mkdir(os.path.join(new, name))
                    made.append(name)
                pending.append(name)
            elif entry.name.endswith(SPARE_SUFFIXES):
                os.close(os.open(os.path.join(spares, str(count)), flags, 0o666))
                count += 1
    return made, count


def _helper(old: str, new: str, spares: str) -> int:
    made: list[str] = []
    count = 0
    try:
        os.mkdir(spares)
        made, count = _make(old, new, spares)
    except OSError:
        pass
    report = "\0".join([str(count), *made]).encode("utf-8", "surrogateescape")
    with contextlib.suppress(OSError):
        os.write(sys.stdout.fileno(), report)
    return 0


class Premade:
    """The helper process for one build: `start`, `stop` before writing, `tidy` after."""

    def __init__(self, old: Path, new: Path) -> None:
        self.old, self.new = Path(old), Path(new)
        self.spare_folder: Path | None = self.new.with_name(self.new.name + "-spares")
        self.folders: list[str] = []
        self.unknown = False  # the helper's report was lost: `tidy` looks for its folders
        self._process: subprocess.Popen | None = None
        self._next = self._end = 0
        self._paths: set[str] | None = None

    @classmethod
    def start(cls, old: Path, new: Path) -> Premade | None:
        """Start the helper, when `old` is a folder; None otherwise or when it cannot
        be started (the build makes everything itself, as before)."""
        premade = cls(old, new)
        if os.name != "posix" or not premade.old.is_dir():  # select() on a pipe: POSIX
            return None
        try:
            premade._process = subprocess.Popen(
                [
                    sys.executable,
                    "-S",
                    "-E",
                    __file__,
                    str(old),
                    str(new),
                    str(premade.spare_folder),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        except OSError:
            return None
        return premade

    def stop(self) -> None:
        """Stop the helper (what it made so far stays) and take its report: the folders
        it made and its spares. Before any page is written (Pelican's static copy
        checks that a folder exists before making it: a folder made meanwhile would
        fail it)."""
        process, self._process = self._process, None
        if process is None:
            return
        report, _ = process.communicate()  # closes its standard input: the stop
        if process.returncode != 0 or not report:
            self.unknown = True  # no spares; the folders it made are looked for by `tidy`
            return
        count, *folders = report.decode("utf-8", "surrogateescape").split("\0")
        self.folders = folders
        self._next, self._end = 0, int(count)

    def made(self) -> tuple[int, int]:
        """How many folders and spare files the helper made (after `stop`)."""
        return len(self.folders), self._end

    def spares_left(self) -> int:
        """How many spare files this process has not used yet."""
        return self._end - self._next

    def use_spare(self, path: str) -> bool:
        """Rename the next spare to `path`, a file about to be opened for writing (an
        existing file there is replaced by the empty spare; the writer truncates it
        anyway). False when no spare is left or the rename fails: the file is then
        created as before."""
        if self._next >= self._end:
            if self.folders and path in self._folder_paths():
                with contextlib.suppress(OSError):  # as below, without a spare
                    os.rmdir(path)
            return False
        self._next += 1
        spare = os.path.join(self.spare_folder, str(self._next - 1))
        try:
            os.rename(spare, path)
        except IsADirectoryError:
            # A folder of the last site, premade and so empty, where this site has a
            # file: the file takes its place, as in a build without the helper.
            try:
                os.rmdir(path)
                os.rename(spare, path)
            except OSError:
                return False
        except OSError:
            return False
        return True

    def _folder_paths(self) -> set[str]:
        if self._paths is None:
            self._paths = {os.path.join(self.new, folder) for folder in self.folders}
        return self._paths

    def give_last(self, count: int) -> None:
        """After a fork: this process keeps its spares but the last `count`."""
        self._end = max(self._next, self._end - count)

    def keep_last(self, count: int) -> None:
        """After a fork: this process takes only the last `count` spares."""
        self._next = max(self._next, self._end - count)

    def tidy(self, folders: bool = True) -> None:
        """After the build: the helper stopped, the premade folders no file went into
        removed (with `folders`: deepest first; `rmdir` removes only an empty folder),
        the spare folder handed to a background removal. Once; later calls do nothing."""
        self.stop()
        if folders and self.unknown:
            self.folders = sorted(
                os.path.relpath(os.path.join(top, name), self.old)
                for top, names, _ in os.walk(self.old)
                for name in names
            )
        for folder in reversed(self.folders if folders else []):
            with contextlib.suppress(OSError):
                os.rmdir(os.path.join(self.new, folder))
        self.folders, self.unknown, self._paths = [], False, None
        self._next = self._end = 0
        if self.spare_folder is not None and self.spare_folder.exists():
            from tdbvantq.writes import remove_in_background

            remove_in_background(self.spare_folder)
        self.spare_folder = None


_current: Premade | None = None


def current() -> Premade | None:
    """The running build's helper (set by `scripts/build.py`), if any."""
    return _current


def install(premade: Premade | None) -> None:
    global _current  # noqa: PLW0603 - one build per process at a time
    _current = premade


def tidy() -> None:
    """The running build's `Premade.tidy()`, when it has a helper."""
    if _current is not None:
        _current.tidy()


def use_spare(path: str) -> bool:
    """The running build's next spare renamed to `path` (`Premade.use_spare`)."""
    return _current is not None and _current.use_spare(path)


if __name__ == "__main__":
    sys.exit(_helper(*sys.argv[1:4]))
