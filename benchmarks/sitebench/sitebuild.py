"""Benchmarks' view of the site as users meet it: a copy of content/ with extra
articles written as Markdown, built by the real build (scripts/build.py with
pelicanconf.py), searched through the documented command (scripts/search.py's
batch mode) and read back page by page for judging.

Only public interfaces are used (the build command, its -e settings, the search
command's JSON), so the benchmarks keep working when the engine changes inside.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
SETTINGS = ROOT / "pelicanconf.py"

# The site's own plugins that make search (indexing, browser export).
SEARCH_PLUGINS = ("search_index", "static_search")
SEARCH_OFF = {"SEARCH_INDEX_ENABLED": False, "STATIC_SEARCH_ENABLED": False}


class BenchError(Exception):
    """A benchmark step failed; the message says which and why."""


def run_in_workdir(prog: str, workdir: Path | None, job: Callable[[Path], object]) -> int:
    """A benchmark's main body: `job` runs in `workdir` (kept; it must not exist yet) or in a
    temporary folder (removed afterwards). A BenchError is one line on stderr and exit 1."""
    if workdir and workdir.exists():
        print(f"{prog}: {workdir}: already exists", file=sys.stderr)
        return 1
    work = workdir or Path(tempfile.mkdtemp(prefix=prog.replace("_", "-") + "-"))
    try:
        job(work)
    except BenchError as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return 1
    finally:
        if not workdir:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def copy_site_content(target: Path) -> Path:
    """A copy of the site's content/ (seed story, model pages, pages, acronyms) at `target`."""
    shutil.copytree(CONTENT, target)
    return target


# -- writing articles -----------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]>#])")
_LINE_START_LIST = re.compile(r"^(\s*)(\d+)\.(\s)|^(\s*)([-+])(\s)")


def markdown_text(text: str) -> str:
    """Plain text as Markdown that renders to the same text (no emphasis, lists or HTML)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")
    return _LINE_START_LIST.sub(
        lambda m: f"{m[1]}{m[2]}\\.{m[3]}" if m[2] else f"{m[4]}\\{m[5]}{m[6]}", escaped
    )


def one_line(text: str) -> str:
    return " ".join(text.split())


def article_markdown(
    title: str, date: str, slug: str, paragraphs: Sequence[str], summary: str | None = None
) -> str:
    """A story file as editors write it: metadata header, blank line, Markdown body."""
    header = [f"Title: {one_line(title)}", f"Date: {date}", f"Slug: {slug}"]
    if summary:
        header.append(f"Summary: {markdown_text(one_line(summary))}")
    body = "\n\n".join(markdown_text(one_line(p)) for p in paragraphs if p.strip())
    return "\n".join(header) + "\n\n" + body + "\n"


def article_date(number: int, year: int = 2017) -> str:
    """A deterministic, valid date in the site's format for the `number`-th article."""
    day_of_year = (number * 7919) % 365
    month_lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    month = 0
    while day_of_year >= month_lengths[month]:
        day_of_year -= month_lengths[month]
        month += 1
    hour, minute = (number * 37) % 24, (number * 13) % 60
    return f"{year}-{month + 1:02d}-{day_of_year + 1:02d} {hour:02d}:{minute:02d}+07:00"


def article_url(date: str, slug: str) -> str:
    """ARTICLE_URL of pelicanconf.py: {date:%Y}/{slug}/."""
    return f"{date[:4]}/{slug}/"


# -- building ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """Wall time, and CPU time of the command and its children (steadier on a shared
    machine); peak_rss: the highest sum of the resident memory of the command and
    every process under it (the search's background process, share card workers,
    Pagefind's threads), sampled every RSS_INTERVAL seconds, in bytes."""

    wall: float
    cpu: float
    peak_rss: int = 0


RSS_INTERVAL = 0.2
_PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_pids(root: int) -> set[int]:
    """Process `root` and all its descendants (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
            parents[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier += children
    return tree


def tree_rss(root: int) -> int:
    """Resident bytes of process `root` and all its descendants (from /proc)."""
    total = 0
    for pid in tree_pids(root):
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


class MemoryCapError(BenchError):
    """A command's process tree went over its memory cap and was killed."""

    def __init__(self, what: str, peak: int, cap: int) -> None:
        super().__init__(
            f"{what} killed: its processes held {peak / 1024**3:.2f} GB, over the cap of "
            f"{cap / 1024**3:.2f} GB"
        )
        self.peak = peak
        self.cap = cap


def _kill_tree(root: int) -> None:
    for pid in tree_pids(root):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _sample_peak(process: subprocess.Popen, peak: list[int], cap: int | None) -> None:
    # The cap is checked at every sample, so a runaway process is killed within
    # RSS_INTERVAL of crossing it, before it takes a shared machine's memory.
    while process.poll() is None:
        peak[0] = max(peak[0], tree_rss(process.pid))
        if cap is not None and peak[0] > cap:
            _kill_tree(process.pid)
            return
        time.sleep(RSS_INTERVAL)


def run_timed(cmd: Sequence[str], what: str, nice: bool = False, cap: int | None = None) -> Timing:
    """Run a command from the project root; raise BenchError naming `what` when it fails,
    MemoryCapError when its process tree's resident memory goes over `cap` bytes."""
    if nice:
        cmd = ["nice", "-n", "10", *cmd]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = [0]
    sampler = threading.Thread(target=_sample_peak, args=(process, peak, cap), daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    done = subprocess.CompletedProcess(cmd, process.returncode, stdout, stderr)
    wall = time.perf_counter() - started
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cap is not None and peak[0] > cap:
        raise MemoryCapError(what, peak[0], cap)
    if done.returncode != 0:
        raise BenchError(
            f"{what} failed (exit {done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu, peak[0])


def timed_build(
    content: Path,
    output: Path,
    index_dir: Path,
    settings: dict | None = None,
    nice: bool = False,
    cap: int | None = None,
) -> Timing:
    """Run the site's build (scripts/build.py, pelicanconf.py) and time it.

    `settings` become Pelican `-e KEY=JSON` overrides (e.g. SEARCH_OFF or PLUGINS);
    `cap`: kill the build over this many resident bytes (run_timed).
    """
    # Each output folder gets its own cache (share cards, resized photos): a first build is
    # cold as on a fresh clone, and a rebuild into the same folder finds what it left.
    cache = output.with_name(output.name + ".cache")
    overrides = {"SEARCH_INDEX_DIR": str(index_dir), "CACHE_PATH": str(cache), **(settings or {})}
    cmd = [
        sys.executable,
        str(ROOT / "scripts" / "build.py"),
        str(content),
        "-o",
        str(output),
        "-s",
        str(SETTINGS),
        "-e",
        *(f"{key}={json.dumps(value)}" for key, value in overrides.items()),
    ]
    return run_timed(cmd, f"build of {content}", nice, cap)


def build_site(
    content: Path, output: Path, index_dir: Path, settings: dict | None = None, nice: bool = False
) -> float:
    """timed_build's wall time in seconds."""
    return timed_build(content, output, index_dir, settings, nice).wall


def site_plugins() -> list[str]:
    """PLUGINS of pelicanconf.py, as Pelican reads them."""
    from pelican.settings import get_settings_from_file

    return list(get_settings_from_file(str(SETTINGS))["PLUGINS"])


# -- searching through the command -------------------------------------------------------


class CliSearch:
    """scripts/search.py in batch mode (`-`, one JSON line per query): the CLI engine.

    One process answers every query, so a query's time is its round trip on the pipe.
    """

    def __init__(self, index_dir: Path, limit: int = 10) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "scripts" / "search.py"),
                "--index",
                str(index_dir),
                "--json",
                "--limit",
                str(limit),
                "-",
            ],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        self.last_ms = 0.0

    def search(self, query: str) -> list[str]:
        """URLs of the hits for one query, best first."""
        line = " ".join(query.split())  # one query per line
        started = time.perf_counter()
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        self.last_ms = (time.perf_counter() - started) * 1000
        if not answer:
            raise BenchError(f"scripts/search.py stopped: {self.process.stderr.read()[-2000:]}")
        return [hit["url"] for hit in json.loads(answer)["results"]]

    def cpu_seconds(self) -> float | None:
        """CPU time the search process has used so far (Linux /proc), None elsewhere."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        # utime and stime, fields 14 and 15 of stat(5), counted after the ")" of the name.
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=60)

    def __enter__(self) -> CliSearch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- the pages, read back for judging -------------------------------------------------------


@dataclass(frozen=True)
class Page:
    url: str
    title: str
    body: str  # summary (if any) and body text, or a model's aliases and description

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.body}"


def _markdown_plain(text: str) -> str:
    """Markdown source as near-plain text (backslash escapes and entities undone)."""
    return re.sub(r"\\(.)", r"\1", text).replace("&lt;", "<")


def site_pages(content: Path) -> dict[str, Page]:
    """URL -> Page for every article and model page of a content folder (the search's documents)."""
    from sitebench.search_corpus import read_source

    pages: dict[str, Page] = {}
    for path in sorted((content / "articles").rglob("*.md")):
        meta, body = read_source(path)
        url = article_url(meta["date"], meta.get("slug") or path.stem)
        text = _markdown_plain("\n".join(filter(None, [meta.get("summary", ""), body])))
        pages[url] = Page(url, meta.get("title", ""), text)
    for path in sorted((content / "models").glob("*.md")):
        meta, body = read_source(path)
        slug = meta.get("slug") or path.stem
        url = f"mo-hinh/{slug}/"
        pages[url] = Page(url, meta.get("name", ""), f"{meta.get('aliases', '')}\n{body}")
    return pages
