"""Run the search work in a second Python process while Pelican writes the pages.

Indexing and the static export are pure Python and need nothing of Pelican's
once the documents are taken out of it, while Pelican's own work after
`all_generators_finalized` (share cards, photos, writing every page) goes on
in the build's process. The process gets plain data, so on two cores the search
costs little wall time. It is forked when Pelican is set up (`WaitingProcess`), before
the site is read: a copy of a process holding only its imports (Pelican; the search
engine, Whoosh and numpy, which the build's own process leaves out, it imports while the
site is read), so it starts with no interpreter to start (a spawned one spent ~0.3 s of
CPU on its interpreter and imports, half of a rebuild's search work).
Where forking is not safe (another thread is running, or not Linux), it is spawned: a
fresh interpreter, nothing of the parent's threads or open files.

What the child logs is collected and logged again by the parent when it waits,
with the parent's handlers and levels. An exception is raised again in the
parent. The function's result comes back as a value: search_index's is the
index generation it wrote for the build, which the build adopts and makes
current with the site's output, exactly as when it writes the index itself.
"""

from __future__ import annotations

import contextlib
import importlib.machinery
import importlib.util
import io
import logging
import multiprocessing
import os
import pickle
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger(__name__)


class BackgroundError(RuntimeError):
    """The background process failed in a way that cannot be raised as it was."""


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        # Format now: arguments and exception objects need not be picklable.
        record.msg, record.args = record.getMessage(), None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        self.records.append(record)


def _exit_with_parent(parent: int) -> None:
    # A build killed outright (SIGKILL) cannot stop its children: stop on our own
    # rather than keep writing (and holding the index's writer lock).
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _load_plugins(plugins: list[str], plugin_paths: list[str]) -> None:
    """Load the plugins Pelican found in PLUGIN_PATHS the way Pelican does (they are
    not importable by name), so functions of theirs can be unpickled here."""
    for name in plugins:
        if "." in name or name in sys.modules:
            continue
        spec = importlib.machinery.PathFinder.find_spec(name, plugin_paths)
        if spec is not None and spec.loader is not None:
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)


class _PluginUnpickler(pickle.Unpickler):
    """Loads a plugin (as `_load_plugins` does) only when the work names it: the
    search's job needs two of the site's plugins, and loading every one of them
    first cost the process ~0.15 s of CPU (Pillow, Markdown, the gazetteer's code)."""

    def __init__(self, file: io.BytesIO, plugins: list[str], plugin_paths: list[str]) -> None:
        super().__init__(file)
        self.plugins, self.plugin_paths = set(plugins), plugin_paths

    def find_class(self, module: str, name: str) -> Any:
        top = module.partition(".")[0]
        if top in self.plugins:
            _load_plugins([top], self.plugin_paths)
        return super().find_class(module, name)


def _warm_up(modules: tuple[str, ...]) -> None:
    """Import what the work will need while the build still reads the site; a module
    that cannot be imported by name (a plugin only in PLUGIN_PATHS) is left to the
    unpickler, and any real error surfaces there, with the work."""
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S112 - only a head start: the work imports it again
            continue


def _child(
    conn,
    plugins: tuple[list[str], list[str]],
    level: int,
    warm: tuple[str, ...] = (),
    parent_end=None,
) -> None:
    if parent_end is not None:
        # Forked: the parent's end of the pipe came along; closed here, so that the
        # parent closing its own end is seen as the end of the work (EOF).
        parent_end.close()
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    collector = _Collector()
    root = logging.getLogger()
    root.handlers[:] = [collector]
    root.setLevel(level)
    _warm_up(warm)
    try:
        payload = conn.recv_bytes()
    except (EOFError, OSError):  # started early, and the build ended without work for it
        return
    try:
        # Inside: a plugin failing to load is reported like any error.
        function, args = _PluginUnpickler(io.BytesIO(payload), *plugins).load()
        result = function(*args)
        outcome: tuple = ("ok", result)
        log.info("search index process: %.1f s of CPU", time.process_time())
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent
        outcome = ("error", error, traceback.format_exc())
    try:
        conn.send((outcome, collector.records))
    except Exception as error:  # an unpicklable result or exception
        text = outcome[2] if outcome[0] == "error" else repr(error)
        conn.send((("error", BackgroundError(text), text), collector.records))
    finally:
        conn.close()


def _fork_is_safe() -> bool:
    """Fork only on Linux and only while this is the process's one thread: a lock
    another thread held at the fork would stay locked in the child for ever."""
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


class WaitingProcess:
    """A process waiting for the work of a `BackgroundJob`, started as soon as Pelican is
    set up. Forked (`_fork_is_safe`), it holds the parent's imports already; spawned, its
    interpreter start and `warm` imports (~0.3 s of CPU) run on the second core while
    the build reads the site, instead of after it. A forked process shares the build's
    open files: killed outright (SIGKILL), the build's lock on its output folder is
    held until the process sees it is gone (`_exit_with_parent`, half a second)."""

    def __init__(
        self,
        plugins: list[str] | None = None,
        plugin_paths: list[str] | None = None,
        warm: Iterable[str] = (),
    ) -> None:
        """`plugins` found in `plugin_paths` (Pelican's PLUGINS and PLUGIN_PATHS) are
        loaded in the process when the work names them; `warm` modules are imported
        at once."""
        forked = _fork_is_safe()
        context = multiprocessing.get_context("fork" if forked else "spawn")
        # Duplex: the work goes down the pipe, the answer comes back up.
        self.conn, child_conn = context.Pipe(duplex=True)
        level = logging.getLogger().getEffectiveLevel()
        if forked:
            # What the parent buffered would otherwise be written twice.
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):
                    stream.flush()
        self.process = context.Process(
            target=_child,
            args=(
                child_conn,
                ([str(p) for p in plugins or []], [str(p) for p in plugin_paths or []]),
                level,
                tuple(warm),
                self.conn if forked else None,
            ),
            name="search-index",
            daemon=True,  # a build that stops early takes it down
        )
        self.process.start()
        child_conn.close()

    def alive(self) -> bool:
        return self.process.is_alive()

    def close(self) -> None:
        """Stop the process (work it was given, if any, is left aside as by a killed build)."""
        self.process.terminate()
        self.process.join()
        self.conn.close()


class BackgroundJob:
    """`function(*args)` in a spawned process; `wait()` returns its result."""

    def __init__(
        self,
        function: Callable[..., Any],
        *args: Any,
        plugins: list[str] | None = None,
        plugin_paths: list[str] | None = None,
        process: WaitingProcess | None = None,
    ) -> None:
        """Run in `process`, started earlier, or in a new process where `plugins` found
        in `plugin_paths` (Pelican's PLUGINS and PLUGIN_PATHS) are loaded when the work
        names them: `function` and `args` may hold their functions."""
        payload = pickle.dumps((function, args), protocol=pickle.HIGHEST_PROTOCOL)
        self._worker = process if process is not None else WaitingProcess(plugins, plugin_paths)
        self._conn, self._process = self._worker.conn, self._worker.process
        # Sent by a thread once the child runs, the pickled documents (the text of every
        # story) are freed as soon as they are sent, instead of staying in the
        # Process object (and in the build's memory) until the build ends.
        threading.Thread(target=self._send, args=(payload,), daemon=True).start()

    def _send(self, payload: bytes) -> None:
        try:
            self._conn.send_bytes(payload)
        except OSError:
            pass  # the child is gone: wait() reports it

    def cancel(self) -> None:
        """Stop the process; what it was writing is left aside as by a killed build."""
        self._worker.close()

    def wait(self) -> Any:
        try:
            outcome, records = self._conn.recv()
        except EOFError:
            self._process.join()
            raise BackgroundError(
                f"the search index process ended without an answer (exit code {self._process.exitcode})"
            ) from None
        finally:
            self._conn.close()
        self._process.join()
        for record in records:
            logger = logging.getLogger(record.name)
            if logger.isEnabledFor(record.levelno):
                logger.handle(record)
        if outcome[0] == "error":
            error = outcome[1]
            error.add_note(f"in the search index process:\n{outcome[2]}")
            raise error
        return outcome[1]
