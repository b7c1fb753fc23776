"""The search's background process is started when Pelican is set up, before the site
is read (search_index.start_process), and given its work once the site is read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from search_index.background import BackgroundJob, WaitingProcess
from support.processes import loaded


def test_a_process_started_early_has_its_modules_loaded_when_the_work_comes() -> None:
    """The warm modules are imported before the work arrives; a process started with
    the work imports only what the work names."""
    # Modules nothing else here imports (the search's own are imported by tests/support).
    names = ("wave", "tabnanny")
    early = WaitingProcess(warm=names)
    assert BackgroundJob(loaded, *names, process=early).wait() == [True, True]
    assert not early.alive()
    assert BackgroundJob(loaded, *names).wait() == [False, False]


# Run in a fresh interpreter: the test session itself holds other threads (servers,
# browsers) left by earlier tests, and the choice depends on the thread count.
_FORK_OR_SPAWN = """
import importlib, json, threading
from search_index.background import BackgroundJob, WaitingProcess
from support.processes import loaded

importlib.import_module("netrc")  # a module the child would not import by itself
assert threading.active_count() == 1
alone = BackgroundJob(loaded, "netrc", process=WaitingProcess()).wait()
stop = threading.Event()
other = threading.Thread(target=stop.wait)
other.start()
try:
    beside_a_thread = BackgroundJob(loaded, "netrc", process=WaitingProcess()).wait()
finally:
    stop.set()
    other.join()
print(json.dumps([alone, beside_a_thread]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked on Linux only")
def test_a_process_started_by_a_lone_thread_is_forked_with_the_parents_modules() -> None:
    """Forked, the process starts with what the build imported (no interpreter start,
    no imports: ~0.3 s of CPU a build); with another thread running it is spawned, and
    imports only what it is asked to."""
    run = subprocess.run(
        [sys.executable, "-c", _FORK_OR_SPAWN],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent,  # `-c` puts it first on the path: `support`
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.splitlines()[-1]) == [[True], [False]]


def test_a_process_never_given_work_ends_by_itself() -> None:
    """A build that ends before the site is read closes its end of the pipe: the
    waiting process stops quietly instead of waiting for ever."""
    early = WaitingProcess(warm=["tdbvantq.search"])
    early.conn.close()
    early.process.join(timeout=60)
    assert early.process.exitcode == 0


def test_closing_a_waiting_process_stops_it() -> None:
    early = WaitingProcess()
    early.close()
    assert not early.alive()


def test_after_index_receivers_run_in_the_order_they_connected() -> None:
    """search_index no longer imports Pelican (which makes every later signal ordered)
    before making its signals: they keep Pelican's order on their own."""
    from search_index.plugin import after_index

    calls: list[int] = []
    receivers = [lambda settings, n=n: calls.append(n) for n in (5, 1, 4, 2, 3, 0, 6, 9, 7, 8)]
    for receiver in receivers:
        after_index.connect(receiver)
    try:
        after_index.send({})
    finally:
        for receiver in receivers:
            after_index.disconnect(receiver)
    assert calls == [5, 1, 4, 2, 3, 0, 6, 9, 7, 8]
