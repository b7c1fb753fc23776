"""decap-server (the editors' desk's local backend) on 127.0.0.1, as `make edit` (scripts/edit.py) and the
desk's browser tests run it: files are read and written in `repo`, never elsewhere."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DECAP_SERVER = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"
# Saves replace the file instead of truncating and writing it (see the file).
ATOMIC_WRITES = Path(__file__).resolve().parent / "atomic_writes.cjs"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def decap_server_command(
    repo: Path, port: int, mode: str = "fs"
) -> tuple[list[str], dict[str, str]]:
    """The command and environment: decap-server reads its settings from the environment
    (PORT, BIND_HOST, GIT_REPO_DIRECTORY, MODE); BIND_HOST keeps it on the loopback."""
    env = {
        **os.environ,
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "MODE": mode,
        "GIT_REPO_DIRECTORY": str(repo),
        "LOG_LEVEL": "info",
    }
    return ["node", "--require", str(ATOMIC_WRITES), str(DECAP_SERVER)], env


@contextlib.contextmanager
def decap_server(
    repo: Path, port: int | None = None, mode: str = "fs", log: Path | None = None
) -> Iterator[str]:
    """Run decap-server over `repo`; yield its API URL (for DESK_LOCAL_BACKEND).

    Its log goes to `log` (a file), else to this process's output: never to a pipe
    nobody reads, which would stop the server once full."""
    port = port or free_port()
    command, env = decap_server_command(repo, port, mode)
    sink = log.open("ab") if log else None
    # cwd is the repo: decap-server also reads a .env file from its working directory.
    process = subprocess.Popen(command, env=env, cwd=repo, stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                shown = log.read_text(errors="replace") if log else ""
                raise RuntimeError(f"decap-server exited with status {process.returncode} {shown}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("decap-server did not start in 30 s")
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if sink:
            sink.close()
