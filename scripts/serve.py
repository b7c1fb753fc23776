"""Serve the site and rebuild it when a file changes (`make serve`).

    python scripts/serve.py CONTENT -o OUTPUT -s SETTINGS [--bind HOST] [--port PORT] [-e KEY=JSON ...]

Each rebuild is `scripts/build.py` with the same arguments, in its own process: the site
is built aside and replaces OUTPUT only when the build succeeds, so a broken file leaves
the last good site on the server. A failed build is reported once (by the build) and the
server then waits, idle, for the next change; a file saved while a build runs triggers
one more build when it ends.

Why not `pelican --autoreload --listen`: Pelican's loop skips its wait for changes when a
build raises, so a broken file is rebuilt at once, again and again (80–94% CPU, ~120 log
lines a second), and it starts watching only after each build, so a save made during a
build is never seen. Here one watcher runs for the whole session and queues every change.
"""

from __future__ import annotations

import argparse
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "scripts" / "build.py"


def say(message: str) -> None:
    """A line for the editor watching the terminal (the build logs its own lines)."""
    print(f"serve: {message}", file=sys.stderr, flush=True)


def parse_args(argv: Sequence[str] | None) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(
        description="Serve the site and rebuild it when content, theme or settings change.",
        epilog="Other arguments (-e KEY=JSON, -v, ...) go to scripts/build.py and Pelican.",
        allow_abbrev=False,
    )
    parser.add_argument("content", type=Path, help="content folder")
    parser.add_argument("-o", "--output", type=Path, default=Path("output"))
    parser.add_argument("-s", "--settings", type=Path, default=Path("pelicanconf.py"))
    parser.add_argument("-b", "--bind", default="127.0.0.1", help="address (default 127.0.0.1)")
    parser.add_argument("-p", "--port", type=int, default=8000, help="port (0: any free one)")
    return parser.parse_known_args(argv)


def read_site_settings(settings_file: Path, content: Path, extra: Sequence[str]) -> dict:
    """The settings as the build reads them (-e overrides included), read quietly: the
    build logs their warnings itself."""
    import logging

    from pelican import parse_arguments
    from pelican.settings import read_settings

    overrides = parse_arguments([str(content), "-s", str(settings_file), *extra]).overrides
    quiet = logging.getLogger("pelican")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        return read_settings(
            str(settings_file), override={**(overrides or {}), "PATH": str(content)}
        )
    finally:
        quiet.setLevel(level)


def watched_paths(settings_file: Path, content: Path, settings: dict) -> list[Path]:
    """What Pelican's autoreload watches: the settings file, the theme, the content folder
    and its static paths."""
    candidates = [settings_file, Path(settings["THEME"]), content]
    candidates += [content / static for static in settings.get("STATIC_PATHS", [])]
    return sorted({path.resolve() for path in candidates if path.exists()})


class Watcher:
    """One watchfiles watcher for the whole session, in a thread: every change, even one
    made while a build runs, lands in `changes`."""

    def __init__(self, paths: Iterable[Path], ignore: Sequence[str]) -> None:
        import watchfiles
        from pelican.utils import FileChangeFilter

        self.changes: queue.Queue[set[str]] = queue.Queue()
        self.stop = threading.Event()
        self._watch = watchfiles.watch(
            *map(str, paths),
            watch_filter=FileChangeFilter(ignore_file_patterns=ignore),
            stop_event=self.stop,
            raise_interrupt=False,
        )
        self.thread = threading.Thread(target=self._run, name="watcher", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        for found in self._watch:
            self.changes.put({path for _, path in found})

    def wait(self) -> set[str]:
        """Block (no CPU) until something changed; everything queued since, at once."""
        changed = self.changes.get()
        while True:
            try:
                changed |= self.changes.get_nowait()
            except queue.Empty:
                return changed

    def close(self) -> None:
        self.stop.set()


def run_build(args: argparse.Namespace, extra: Sequence[str]) -> bool:
    """One build through scripts/build.py (atomic: OUTPUT changes only on success)."""
    cmd = [
        sys.executable,
        str(BUILD),
        str(args.content),
        "-o",
        str(args.output),
        "-s",
        str(args.settings),
        *extra,
    ]
    started = time.monotonic()
    done = subprocess.run(cmd, check=False)
    seconds = time.monotonic() - started
    if done.returncode == 0:
        say(f"đã dựng xong trang ({seconds:.1f} giây)")
        return True
    say(
        "dựng trang lỗi — sửa tệp được nêu ở trên rồi lưu lại; trang đang xem vẫn là bản"
        " dựng trước. Đang chờ thay đổi…"
    )
    return False


def start_server(output: Path, bind: str, port: int) -> int:
    """Serve `output` (by path: a build's swap is served at once); returns the port (a
    free one for port 0)."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    RootedHTTPServer.allow_reuse_address = True
    httpd = RootedHTTPServer(str(output.resolve()), (bind, port), ComplexHTTPRequestHandler)
    threading.Thread(target=httpd.serve_forever, name="http", daemon=True).start()
    return httpd.server_address[1]


def shown(paths: Iterable[str]) -> str:
    names = sorted(
        os.path.relpath(path) if path.startswith(str(Path.cwd())) else path for path in paths
    )
    return ", ".join(names[:5]) + (f" và {len(names) - 5} tệp khác" if len(names) > 5 else "")


def main(argv: Sequence[str] | None = None) -> int:
    args, extra = parse_args(argv)
    if "-o" in extra or "--output" in extra:
        say("-o/--output given twice")
        return 2
    try:
        settings = read_site_settings(args.settings, args.content, extra)
    except (Exception, SystemExit) as error:  # a settings file that does not load: one line
        say(f"cannot read {args.settings}: {error}")
        return 2
    paths = watched_paths(args.settings, args.content, settings)
    ignore = list(settings.get("IGNORE_FILES", []))
    args.output.mkdir(parents=True, exist_ok=True)
    try:
        port = start_server(args.output, args.bind, args.port)
    except OSError as error:
        say(f"không mở được cổng {args.bind}:{args.port}: {error.strerror}")
        return 1
    # `kill` stops the server as Ctrl-C does: the running build (a child) is stopped too.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    # Watch before the first build, so a save made during it is not missed either.
    watcher = Watcher(paths, ignore)
    try:
        run_build(args, extra)
        say(f"đang phục vụ http://{args.bind}:{port}/ — Ctrl-C để dừng")
        while True:
            changed = watcher.wait()
            say(f"có thay đổi ({shown(changed)}), đang dựng lại…")
            run_build(args, extra)
    except KeyboardInterrupt:
        return 0
    finally:
        watcher.close()


if __name__ == "__main__":
    sys.exit(main())
