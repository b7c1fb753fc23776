"""Build the site atomically: Pelican writes into a staging folder beside the
output folder, which replaces the output folder only when the build succeeds;
the search index generation written by the same build becomes current right
after that swap. One build of an output folder runs at a time (a lock file
beside it), and each build first removes what killed builds left behind.

    python scripts/build.py CONTENT -o OUTPUT -s SETTINGS [-e KEY=JSON ...]

Every argument except -o/--output goes to Pelican unchanged. A failed build
exits non-zero with Pelican's error message and leaves OUTPUT as it was.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import logging
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from tdbvantq.writes import exclusive_lock, remove_in_background, swap_directory

# Flags that turn Pelican into a long-running server; `make serve` does that.
SERVER_FLAGS = {"-r", "--autoreload", "-l", "--listen"}

log = logging.getLogger("build")


class BuildError(Exception):
    """The build failed; the message says why (Pelican has already logged details)."""


def parse_args(argv: Sequence[str] | None = None) -> tuple[Path, list[str]]:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="All other arguments (content path, -s, -e, -v, ...) are passed to pelican.",
        allow_abbrev=False,
    )
    parser.add_argument("-o", "--output", default="output", help="output folder (default: output)")
    args, pelican_args = parser.parse_known_args(argv)
    server_flags = SERVER_FLAGS.intersection(pelican_args)
    if server_flags:
        parser.error(f"{', '.join(sorted(server_flags))}: use `make serve` to serve the site")
    return Path(args.output), pelican_args


class _WithoutSpinner:
    """Pelican's console without its "Generating..." spinner. The spinner (rich's live
    display) runs a thread for the whole build, and a process with a second thread
    cannot be forked safely: render_cache writes the story pages in two processes
    only when the build's process has one thread (plugins/render_cache/split.py).
    The log lines are this script's plain ones either way."""

    def __init__(self, console: object) -> None:
        self._console = console

    def status(self, *args: object, **kwargs: object) -> contextlib.AbstractContextManager:
        return contextlib.nullcontext()

    def __getattr__(self, name: str) -> object:
        return getattr(self._console, name)


def run_pelican(pelican_args: Sequence[str]) -> int:
    """Run Pelican in this process and return its exit status."""
    import pelican

    if not isinstance(pelican.console, _WithoutSpinner):
        pelican.console = _WithoutSpinner(pelican.console)
    interrupted = False

    def on_sigint(signum: int, frame: object) -> None:
        nonlocal interrupted
        interrupted = True
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        pelican.main(list(pelican_args))
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else 1
    finally:
        signal.signal(signal.SIGINT, previous)
    # Pelican swallows KeyboardInterrupt and returns normally: treat as failure.
    return 130 if interrupted else 0


def log_level(pelican_args: Sequence[str]) -> int:
    """The level Pelican's -v/--verbose, -q/--quiet or -D/--debug asks for (the
    last one wins, as in Pelican); WARNING without any."""
    import pelican

    try:
        # Quietly: Pelican reports bad arguments itself when it runs.
        with contextlib.redirect_stderr(io.StringIO()):
            verbosity = pelican.parse_arguments(list(pelican_args)).verbosity
    except SystemExit:
        verbosity = None
    return verbosity or logging.WARNING


def lock_file(output: Path) -> Path:
    """What every build of `output` locks from start to swap: the folder holding it
    (never swapped, and no lock file is left beside the site)."""
    return output.parent


def remove_leftovers(output: Path) -> list[Path]:
    """Remove the staging and old folders of killed builds of `output`; return them.

    Called only while holding the lock on `lock_file(output)`: no other build of `output`
    is running, so every such folder belongs to a build that died. The replaced sites
    earlier builds handed to a background removal (`output.trash-*`), if still there
    (being removed, or their removal died), are handed to it again, without a word.
    """
    found = sorted(output.parent.glob(f"{output.name}.staging-*")) + sorted(
        output.parent.glob(f"{output.name}.old-*")
    )
    for folder in found:
        shutil.rmtree(folder, ignore_errors=True)
    for folder in sorted(output.parent.glob(f"{output.name}.trash-*")):
        remove_in_background(folder)
    return found


@contextlib.contextmanager
def site_frozen_once_read(thaw: bool = True) -> Iterator[None]:
    """While Pelican runs: what exists when a step of reading ends (the stories read,
    the article and page finalizers, every generator's) is frozen for the garbage
    collector (`gc.freeze`); with `thaw`, unfrozen when Pelican returns.

    The site read is ~1.5 million objects at 10,000 stories, alive until the build
    ends, and each full collection walked them all: 10 full collections, 1.4-1.7 s of
    a rebuild's 17-21 s of CPU there (0.05-0.07 s at 1,000), for a few thousand objects
    freed. Frozen objects are left out of those walks; young garbage is collected as
    before. A cycle among frozen objects that dies later is freed when they are thawed,
    or when the process ends. Without `thaw` (the command, whose process ends after the
    swap) they stay frozen: the interpreter's last full collection, at exit, then skips
    them too (0.24 s at 10,000 stories)."""
    from pelican.plugins import signals

    def freeze(*_args: object) -> None:
        gc.freeze()

    steps = (
        signals.article_generator_pretaxonomy,
        signals.page_generator_finalized,
        signals.all_generators_finalized,
    )
    try:
        with contextlib.ExitStack() as stack:
            for step in steps:
                stack.enter_context(step.connected_to(freeze))
            yield
    finally:
        if thaw:
            gc.unfreeze()


def build(
    output: Path,
    pelican_args: Sequence[str],
    runner: Callable[[Sequence[str]], int] = run_pelican,
    thaw: bool = True,
) -> None:
    """Build with `runner` into a staging folder, then swap it into `output`.

    The one commit point: the search index generation the build wrote becomes
    current right after the swap's renames, before the old tree is removed
    (vnsearch.PendingGenerations, owned by this build and handed to the
    search_index plugin through its `commit_owner` signal). Raises
    BuildError when the build fails; `output` and the index are then untouched.
    """
    # Imported here, not at the top: every process the build spawns (search's
    # background process, share card workers) runs this file's top level again,
    # and these imports (Pelican, Whoosh) cost each of them ~0.3 s of CPU.
    from search_index.plugin import commit_owner
    from tdbvantq.search import PendingGenerations

    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(lock_file(output), wait=False) as free:
        if not free:
            log.warning("another build of %s is running; waiting for it to finish", output)
    with exclusive_lock(lock_file(output)):
        for folder in remove_leftovers(output):
            log.warning("removed %s, left by a build that was killed", folder)
        staging = Path(tempfile.mkdtemp(prefix=f"{output.name}.staging-", dir=output.parent))
        try:
            # mkdtemp makes the folder private; the site must be readable by a web server.
            umask = os.umask(0)
            os.umask(umask)
            staging.chmod(0o777 & ~umask)
            pending = PendingGenerations()
            with commit_owner.connected_to(lambda settings: pending):
                with site_frozen_once_read(thaw):
                    status = runner([*pelican_args, "-o", str(staging)])
                if status != 0:
                    raise BuildError(
                        f"build failed (exit status {status}); {output} and the search index"
                        " were left unchanged"
                    )
                # The index becomes current as soon as the new site is in place, before
                # the old tree is removed (slow on a big site): a build killed while
                # removing it leaves the new site with its own index, never the new site
                # with the old index pointing at pages that are gone. The removal runs
                # in a process of its own: the build is done once the new site is in.
                swap_directory(
                    staging, output, then=pending.commit, remove_old=remove_in_background
                )
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    output, pelican_args = parse_args(argv)
    # Plain one-line log records on stderr (Pelican's rich handler wraps long paths).
    # Configuring the root logger here makes Pelican's own logging setup a no-op,
    # so its -v/-q/-D level is applied here, to every logger (plugins' included).
    logging.basicConfig(
        stream=sys.stderr, format="%(levelname)s: %(message)s", level=log_level(pelican_args)
    )
    try:
        # This process ends after the build: the site stays frozen (`site_frozen_once_read`).
        build(output, pelican_args, thaw=False)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
