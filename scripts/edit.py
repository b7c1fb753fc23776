"""`make edit`: the site preview and the editors' desk's local backend, both on 127.0.0.1.

    python scripts/edit.py [--host 127.0.0.1] [--port 8000] [--desk-port 8081] [--git] CONTENT

Starts decap-server over this clone (files are written in the working tree; with --git
each save is also a commit on the current branch) and the preview server of `make serve`,
which rebuilds on change. An editor opens http://127.0.0.1:8000/admin/. Ctrl-C stops both.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

from editor_desk.localserver import decap_server

ROOT = Path(__file__).resolve().parents[1]
SERVE = ROOT / "scripts" / "serve.py"  # make serve's loop, when this checkout has it
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make edit", description=__doc__.split("\n\n")[0])
    parser.add_argument("content", type=Path, nargs="?", default=ROOT / "content")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--desk-port", type=int, default=8081)
    parser.add_argument("--output", type=Path, default=ROOT / "output")
    parser.add_argument(
        "--git", action="store_true", help="decap-server's git mode: a commit per save"
    )
    args = parser.parse_args(argv)
    if args.host not in LOOPBACK:
        # The desk writes files with no sign-in: it must never be reachable from the network.
        print(f"edit: --host {args.host}: bàn biên tập chỉ chạy trên 127.0.0.1", file=sys.stderr)
        return 2
    content = args.content.resolve()
    try:
        content_dir = content.relative_to(ROOT).as_posix()
    except ValueError:
        print(f"edit: {content}: thư mục nội dung phải nằm trong {ROOT}", file=sys.stderr)
        return 2
    api = f"http://127.0.0.1:{args.desk_port}/api/v1"
    # A plain `kill` stops both servers too: SystemExit unwinds through the cleanup below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with decap_server(ROOT, args.desk_port, "git" if args.git else "fs"):
        print(
            f"Bàn biên tập: mở http://{args.host}:{args.port}/admin/ (Ctrl-C để dừng)", flush=True
        )
        extra = ["-e", f'DESK_LOCAL_BACKEND="{api}"', f'DESK_CONTENT_DIR="{content_dir}"']
        if SERVE.is_file():  # make serve's own loop: one watcher, builds swapped in whole
            command = [
                sys.executable,
                str(SERVE),
                str(content),
                "-o",
                str(args.output),
                "-s",
                str(ROOT / "pelicanconf.py"),
                "--bind",
                args.host,
                "--port",
                str(args.port),
                *extra,
            ]
        else:
            command = [
                sys.executable,
                "-m",
                "pelican",
                str(content),
                "-o",
                str(args.output),
                "-s",
                str(ROOT / "pelicanconf.py"),
                "--autoreload",
                "--listen",
                "--bind",
                args.host,
                "--port",
                str(args.port),
                *extra,
            ]
        # Pelican serves from a child process of its own: it runs in its own process group,
        # and the whole group is stopped, so no server is left behind.
        preview = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
        try:
            return preview.wait()
        except (KeyboardInterrupt, SystemExit):
            return 0
        finally:
            try:
                os.killpg(
                    preview.pid, signal.SIGTERM
                )  # its server child too, even if it has exited
            except ProcessLookupError:
                pass
            preview.wait()


if __name__ == "__main__":
    sys.exit(main())
