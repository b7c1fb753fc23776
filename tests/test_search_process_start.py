"""The search's background process is started when Pelican is set up, before the site
is read (search_index.start_process), and given its work once the site is read."""

from __future__ import annotations

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
