"""A real HTTP server on 127.0.0.1 for the importer's tests (not a mock: the importer's
fetcher talks to it over sockets).

Routes:
  /site/NAME, /feeds/NAME   files of tests/fixtures/import/ ({BASE} in feeds -> server URL)
  /bench/NAME               the saved real pages in ../shared/benchmarks/pages/
  /bench-vn/NAME            the saved pages with an answer key in ../shared/benchmarks/pages-vn/
  /img/NAME.png             a 480x320 PNG photo; any other /img/ path is 404
  /status/CODE              an HTML error page with that status
  /files/NAME               a PDF document (a resource that is not a page)
  /slow/SECONDS/PATH        PATH served after a delay (concurrent waits counted per SECONDS)
  /flaky/N/KEY/PATH         PATH after N answers of 503 (counted per KEY)
  /drop                     the connection closed without an answer, every time
  /drop-once/KEY/PATH       dropped the first time (per KEY), then PATH
  /charset/header, /charset/meta   a windows-1258 page, declared in the header / only in <meta>
  /drip/SECONDS/PATH        PATH's headers at once, then its body one byte every SECONDS
  /story/NAME               a page made here from STORIES (no canonical URL, no og:url)
  /xml-declared/ENCODING    an XHTML story starting with <?xml … encoding="ENCODING"?>
  /on-host/HOST             a story whose canonical URL is on HOST (per-site names)
  /hostile/NAME             the attacker pages of tests/fixtures/hostile/pages/ (issue 20)
  /any-image/HOST/PATH      always a real image: .jpg/.jpeg/.webp an 800x533 JPEG, else a 16x16 GIF
  /every-image/SET/NAME     a page of SET (bench, bench-vn, site) with every http(s) image
                            address rewritten to /any-image/ (a server that answers every image)
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import re
import struct
import threading
import time
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from support.site import ROOT, SHARED
from tdbvantq.importer import import_sources
from tdbvantq.importer.fetch import Fetcher
from tdbvantq.importer.sites import PROJECT_SITES, site_rules_file

FIXTURES = ROOT / "tests" / "fixtures" / "import"
HOSTILE_PAGES = ROOT / "tests" / "fixtures" / "hostile" / "pages"
BENCH_PAGES = SHARED / "benchmarks" / "pages"
BENCH_VN_PAGES = BENCH_PAGES.with_name("pages-vn")
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def png_bytes(width: int = 480, height: int = 320) -> bytes:
    """A valid RGB PNG, by default of a story photo's size (the importer drops tiny images)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\xd0\x20\x20" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@functools.cache
def pillow_image(kind: str) -> bytes:
    """Real image files made with Pillow: "icon" a 16x16 GIF, "photo" an 800x533 JPEG."""
    from PIL import Image

    if kind == "icon":
        size, fmt, colour = (16, 16), "GIF", (40, 90, 200)
    else:
        size, fmt, colour = (800, 533), "JPEG", (120, 140, 90)
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return buffer.getvalue()


# Image addresses of a page served under /every-image/, rewritten to this server.
_IMAGE_ADDRESS = re.compile(
    r"""((?:src|data-src|data-original)\s*=\s*["'])https?://""", re.IGNORECASE
)


def encode_cp1258(text: str) -> bytes:
    """Vietnamese text in windows-1258: base letters precomposed, tone marks combining."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(m for m in decomposed[1:] if m in _TONES)
        others = "".join(m for m in decomposed[1:] if m not in _TONES)
        out += unicodedata.normalize("NFC", decomposed[0] + others).encode("cp1258")
        out += tones.encode("cp1258")
    return bytes(out)


_PARAGRAPHS = [
    "Tổ an ninh tự quản của khu phố họp mỗi tháng một lần để bàn việc giữ gìn trật tự, "
    "phân công người trực đêm và nhắc nhau khóa cửa, trông xe cho hàng xóm.",
    "Nhờ vậy, từ đầu năm đến nay khu phố không để xảy ra vụ trộm cắp nào; người dân yên tâm "
    "làm ăn và tin tưởng hơn vào lực lượng công an cơ sở.",
]


def story_page(title: str, paragraphs: list[str], head: str = "") -> str:
    """An article page with a headline and paragraphs, without canonical URL or og:url."""
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>{head}'
        f"</head><body><article><h1>{title}</h1>{body}</article></body></html>"
    )


STORIES = {
    # No date anywhere: not in metadata, not in the text, not in the URL.
    "no-date": story_page("Khu phố bình yên nhờ tổ tự quản", _PARAGRAPHS),
    # Two different stories under one headline.
    "same-title-1": story_page(
        "Tổ tự quản giữ bình yên khu phố",
        _PARAGRAPHS,
        '<meta property="article:published_time" content="2024-03-01T08:00:00+07:00">',
    ),
    "same-title-2": story_page(
        "Tổ tự quản giữ bình yên khu phố",
        [
            "Ở một xã miền núi, tổ tự quản gồm các già làng và trưởng bản cùng đi tuần mỗi tối, "
            "nhắc bà con cất giữ tài sản và báo tin cho công an xã khi có người lạ vào bản.",
            "Sau một năm, xã được công nhận đạt chuẩn an toàn về an ninh trật tự.",
        ],
        '<meta property="article:published_time" content="2024-05-20T09:30:00+07:00">',
    ),
    # Published in New York, and a story that gives only its day.
    "offset": story_page(
        "Kiều bào góp sức giữ an ninh khu phố",
        _PARAGRAPHS,
        '<meta property="article:published_time" content="2023-08-03T21:15:00-04:00">'
        '<meta property="og:type" content="website">',
    ),
    "day-only": story_page(
        "Một ngày với tổ tự quản khu phố",
        _PARAGRAPHS,
        '<meta property="article:published_time" content="2023-08-03">',
    ),
    # No headline anywhere: no <title>, no <h1>, no og:title.
    "no-title": story_page("", _PARAGRAPHS).replace("<title></title>", "").replace("<h1></h1>", ""),
    # A short story followed by a box of related stories, each a headline link and a teaser.
    "with-related": story_page("Tuần tra đêm ở khu phố 5", _PARAGRAPHS[:1]).replace(
        "</article>",
        "</article><ul class='related'>"
        + "".join(
            f"<li class='item'><a href='/tin-{n}.html'>Khu phố {n} ra mắt mô hình camera an ninh</a>"
            f"<p>Mô hình mới giúp người dân khu phố {n} yên tâm hơn mỗi khi ra khỏi nhà, "
            "nhất là vào ban đêm và những ngày nghỉ lễ dài.</p></li>"
            for n in range(1, 6)
        )
        + "</ul>",
    ),
    # Nothing at all: no headline, no date, no text (an empty application shell).
    "blank": '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"></head><body><div id="app"></div></body></html>',
    # Published half an hour after midnight; its address was made the evening before.
    "past-midnight": story_page(
        "Tổ tự quản trực Tết ở bến xe",
        _PARAGRAPHS,
        '<link rel="canonical" href="https://baomau.example/2023/08/02/to-tu-quan-truc-tet">'
        '<meta property="article:published_time" content="2023-08-03T00:30:00+07:00">',
    ),
    # Soft hyphens and zero-width spaces inside words, as some newsrooms' editors leave them.
    "invisibles": story_page(
        "Camera an ninh ở phư\u00adờng Hòa Khánh",
        [
            "\ufeffMô hình camera an ninh cũng nh\u00adư tổ tự quản đã giúp khu dân cư\u200b giữ bình yên "
            "suốt nhiều năm, người dân yên tâm làm ăn và tin tưởng lực lượng công an cơ sở.",
            *_PARAGRAPHS,
        ],
        '<meta property="article:published_time" content="2024-05-06T07:30:00+07:00">',
    ),
    # A real article that is short.
    "short": story_page(
        "Khen thưởng tổ tự quản khu phố 3",
        ["Ngày 2/8/2023, UBND phường khen thưởng tổ tự quản khu phố 3 vì thành tích giữ an ninh."],
    ),
}


def story_on_host(host: str) -> str:
    """A story whose canonical URL is on `host` and whose og:site_name is not the site's rule name."""
    head = (
        f'<link rel="canonical" href="https://{host}/to-tu-quan-giu-binh-yen-khu-pho-1234.html">'
        '<meta property="og:site_name" content="Trang tin điện tử">'
        '<meta property="article:published_time" content="2024-04-01T07:00:00+07:00">'
    )
    return story_page("Tổ tự quản giữ bình yên khu phố", _PARAGRAPHS, head)


def with_project_site_rules(content: Path) -> Path:
    """`content` (created if missing) holding a copy of the project's per-site rules, as the
    project's content/ does: the importer reads them from the content folder it writes to."""
    rules = site_rules_file(content)
    rules.parent.mkdir(parents=True, exist_ok=True)
    rules.write_bytes(PROJECT_SITES.read_bytes())
    return content


TEST_SITES = FIXTURES / "sites.toml"


def with_test_site_rules(content: Path) -> Path:
    """`content` (created if missing) whose own data/sites.toml holds the project's rules
    and those of tests/fixtures/import/sites.toml (the sites of the synthetic pages)."""
    rules = site_rules_file(content)
    rules.parent.mkdir(parents=True, exist_ok=True)
    rules.write_bytes(PROJECT_SITES.read_bytes() + b"\n" + TEST_SITES.read_bytes())
    return content


def xml_declared_page(encoding: str) -> bytes:
    page = story_page(
        "Tổ tự quản giữ gìn an ninh ở làng chài",
        _PARAGRAPHS,
        '<meta property="article:published_time" content="2024-01-05T07:30:00+07:00">',
    )
    page = page.replace(
        "<!DOCTYPE html>", f'<?xml version="1.0" encoding="{encoding}"?>\n<!DOCTYPE html>'
    )
    page = page.replace('<meta charset="utf-8">', "")
    return encode_cp1258(page) if encoding.lower() == "windows-1258" else page.encode(encoding)


@dataclass
class ServerState:
    base: str = ""
    user_agents: list[str] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    in_flight: dict[str, int] = field(default_factory=dict)  # per /slow/ delay
    max_in_flight: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(http.server.BaseHTTPRequestHandler):
    state: ServerState  # set on the subclass made per server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        pass

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _drip(self, delay: float, path: str) -> None:
        """Answer PATH with its headers, then its body one byte every `delay` seconds."""
        file = FIXTURES / "site" / path.rsplit("/", 1)[-1]
        body = file.read_bytes() if file.is_file() else b"<html><body>" + b"x" * 5000
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for byte in body:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(delay)

    def _count(self, key: str) -> int:
        with self.state.lock:
            self.state.counters[key] = self.state.counters.get(key, 0) + 1
            return self.state.counters[key]

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        with self.state.lock:
            self.state.user_agents.append(self.headers.get("User-Agent", ""))
        try:
            self._route(self.path.split("?", 1)[0])
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _route(self, path: str) -> None:
        parts = path.strip("/").split("/")
        head = parts[0]
        if head == "slow":
            # Requests overlapping in this wait are requests the client runs at the same time.
            state, delay = self.state, parts[1]
            with state.lock:
                state.in_flight[delay] = state.in_flight.get(delay, 0) + 1
                state.max_in_flight[delay] = max(
                    state.max_in_flight.get(delay, 0), state.in_flight[delay]
                )
            time.sleep(float(delay))
            with state.lock:
                state.in_flight[delay] -= 1
            return self._route("/" + "/".join(parts[2:]))
        if head == "flaky":
            if self._count("flaky/" + parts[2]) <= int(parts[1]):
                return self._send(503, b"<h1>Service Unavailable</h1>", "text/html")
            return self._route("/" + "/".join(parts[3:]))
        if head == "drop":
            self.close_connection = True
            return None
        if head == "drop-once":
            if self._count("drop/" + parts[1]) == 1:
                self.close_connection = True
                return None
            return self._route("/" + "/".join(parts[2:]))
        if head == "status":
            return self._send(
                int(parts[1]), b"<html><body><h1>Error</h1></body></html>", "text/html"
            )
        if head == "img":
            if path.endswith(".png"):
                return self._send(200, png_bytes(), "image/png")
            return self._send(404, b"not found", "text/plain")
        if head == "any-image":
            # Every image answered, as a real site would: icons and buttons (.gif, .png) as
            # 16x16 GIFs, photos (.jpg, .jpeg, .webp) as large JPEGs.
            if path.lower().endswith((".jpg", ".jpeg", ".webp")):
                return self._send(200, pillow_image("photo"), "image/jpeg")
            return self._send(200, pillow_image("icon"), "image/gif")
        if head == "every-image" and len(parts) == 3:
            # A saved page whose <img> addresses (any host) all lead to /any-image/ here.
            folder = {"bench": BENCH_PAGES, "bench-vn": BENCH_VN_PAGES}.get(
                parts[1], FIXTURES / "site"
            )
            file = folder / parts[2]
            if file.is_file():
                page = file.read_bytes().decode("utf-8", "replace")
                page = _IMAGE_ADDRESS.sub(lambda m: m[1] + state_base(self) + "/any-image/", page)
                return self._send(200, page.encode("utf-8"), "text/html; charset=utf-8")
        if head == "files":
            return self._send(200, b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n", "application/pdf")
        if head == "drip":
            return self._drip(float(parts[1]), "/" + "/".join(parts[2:]))
        if head == "story" and len(parts) == 2 and parts[1] in STORIES:
            return self._send(200, STORIES[parts[1]].encode("utf-8"), "text/html; charset=utf-8")
        if head == "on-host" and len(parts) == 2:
            return self._send(
                200, story_on_host(parts[1]).encode("utf-8"), "text/html; charset=utf-8"
            )
        if head == "xml-declared":
            return self._send(200, xml_declared_page(parts[1]), "application/xhtml+xml")
        if head == "charset":
            page = (FIXTURES / "site" / "tuoitre.html").read_text(encoding="utf-8")
            page = page.replace('<meta charset="utf-8">', '<meta charset="windows-1258">')
            declared = "text/html; charset=windows-1258" if parts[1] == "header" else "text/html"
            return self._send(200, encode_cp1258(page), declared)
        if head in ("site", "feeds", "bench", "bench-vn", "hostile") and len(parts) == 2:
            folder = {
                "bench": BENCH_PAGES,
                "bench-vn": BENCH_VN_PAGES,
                "hostile": HOSTILE_PAGES,
            }.get(head, FIXTURES / head)
            file = folder / parts[1]
            if file.is_file():
                data = file.read_bytes()
                if head == "feeds":
                    data = data.replace(b"{BASE}", state_base(self).encode())
                    return self._send(200, data, "application/xml; charset=utf-8")
                return self._send(200, data, "text/html; charset=utf-8")
        return self._send(404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html")


def state_base(handler: _Handler) -> str:
    return handler.state.base


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # clients closing kept-alive connections are not errors here


@contextlib.contextmanager
def import_server() -> Iterator[ServerState]:
    """Start the server; yields its state (`.base` is the URL, e.g. http://127.0.0.1:PORT)."""
    state = ServerState()
    handler = type("Handler", (_Handler,), {"state": state})
    server = _Server(("127.0.0.1", 0), handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def import_site_pages(names: Iterable[str], folder_for: Callable[[str], Path]) -> dict[str, str]:
    """Each page `site/NAME.html` imported alone over HTTP into `folder_for(NAME)`, by the
    real importer: name -> the Markdown file it wrote."""
    fetcher = Fetcher(timeout=2, retries=1, backoff=0.01, delay=0)
    found = {}
    with import_server() as server:
        for name in names:
            url = f"{server.base}/site/{name}.html"
            [result] = import_sources([url], folder_for(name), fetcher=fetcher)
            assert result.status == "created", (name, result.error)
            found[name] = Path(result.path).read_text("utf-8")
    return found
