"""Debian's headless Chromium and static servers on 127.0.0.1 (plain, or gzipping
text files as static hosts do), as the tests and the browser benchmarks use them."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialling out, and this
# machine's closed network refuses every attempt.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        pass


@contextlib.contextmanager
def serve_directory(
    directory: Path, handler_class: type[http.server.SimpleHTTPRequestHandler] = QuietHandler
) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (a free port) and yield its base URL."""
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class GzipHandler(QuietHandler):
    """A static server that gzips text files on the fly, as static hosts and CDNs do.

    Files already compressed by their engines (`.json.gz`, Pagefind's `.pf_*` and
    `.pagefind`) go out as they are, as a host sends them.
    """

    TEXT = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt")

    def send_head(self):  # noqa: ANN201 - stdlib signature
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in self.TEXT):
            return super().send_head()
        data = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


@contextlib.contextmanager
def serve(directory: Path, compress: bool) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1, gzipping text files when `compress`; yield the base URL."""
    with serve_directory(directory, GzipHandler if compress else QuietHandler) as url:
        yield url
