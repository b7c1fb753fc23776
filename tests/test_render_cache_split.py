"""plugins/render_cache/split.py: the story pages written by two processes (the build's
and a forked copy) give the same site, byte for byte, as one process writing them; the
pages are keyed the same whether the copy was forked or not; a copy that fails leaves
its pages to the build, which then raises the error Pelican's loop raises."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from render_cache import split
from support import ROOT, assert_same_pages, build_with_caches, run_pelican
from support.newsroom import NOW, edit_story, write_newsroom_content

SPLIT = "RENDER_CACHE_SPLIT=2"  # the fixture's ~20 stories are split (the default: 200)
ONE_WRITER = "RENDER_CACHE_SPLIT=0"
FORKED = re.compile(r"render cache: (\d+) story pages here, (\d+) by a copy")
LISTS = re.compile(r"render cache: (\d+) of (\d+) list pages by the copy")
COUNTS = re.compile(r"render cache: (\d+) rendered, (\d+) from the cache")

# Communes of one province: each commune's place page points to its province's, whose
# communes point back (a cycle the page keys walk).
PLACES = ("phường Phong Thái, thành phố Huế", "phường Thủy Xuân, thành phố Huế")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    content = write_newsroom_content(tmp_path / "content")
    for number, story in enumerate(sorted((content / "articles" / "2026").glob("*.md"))):
        text = story.read_text("utf-8")
        place = PLACES[number % len(PLACES)]
        story.write_text(text.replace("\n\n", f"\nLocality: {place}\n\n", 1), "utf-8")
    return tmp_path


def build(site: Path, name: str, cache: str, *extra: str) -> tuple[tuple[int, int], bool, Path]:
    """Build with scripts/build.py: ((pages rendered, from the cache), whether a copy
    was forked, output)."""
    result = build_with_caches(site, name, *extra, cache=cache, now=NOW)
    assert result.returncode == 0, result.stderr
    counts = COUNTS.search(result.stderr)
    assert counts, result.stderr
    return (int(counts[1]), int(counts[2])), bool(FORKED.search(result.stderr)), site / name


def test_split_builds_write_the_site_one_writer_writes(site: Path) -> None:
    (rendered, carried), forked, _ = build(site, "one", "cache", SPLIT)
    assert forked and rendered > 40 and carried == 0
    edit_story(
        site, "Title: Camera an ninh số 5 ở khu dân cư", "Title: Camera an ninh số năm, đã sửa"
    )
    (again, carried), forked, rebuilt = build(site, "two", "cache", SPLIT)
    assert forked and 0 < again < rendered / 2 and carried == rendered - again
    # One writer, cold: every page rendered by Pelican's own loop.
    _, forked, cold = build(site, "cold", "other-cache", ONE_WRITER)
    assert not forked
    assert_same_pages(rebuilt, cold)


def unforked(site: Path, name: str) -> tuple[int, int]:
    """Build with `python -m pelican`, whose spinner thread keeps the build from forking:
    (pages rendered, from the cache)."""
    settings = {
        "RENDER_CACHE_SPLIT": 2,
        "SEARCH_INDEX_DIR": str(site / "cache-index"),
        "CACHE_PATH": str(site / "cache"),
    }
    result = run_pelican(site / "content", site / name, extra=settings, verbose=True)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert not FORKED.search(log)
    counts = COUNTS.search(log)
    assert counts, log
    return int(counts[1]), int(counts[2])


def test_the_pages_have_the_same_keys_whether_the_copy_is_forked_or_not(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the build cannot fork, it writes both parts itself, keyed as a copy keys its
    part: a build finds every page the other kind stored, and writes the same bytes."""
    monkeypatch.setenv("SITE_BUILD_NOW", NOW)
    (rendered, _), forked, split = build(site, "one", "cache", SPLIT)
    assert forked
    assert unforked(site, "unsplit") == (0, rendered)
    assert_same_pages(site / "unsplit", split)
    edit_story(site, "Bài thứ 5 về mô hình", "Bài thứ năm, viết lại, về mô hình")
    again, carried = unforked(site, "unsplit-two")
    assert 0 < again < carried
    (again, carried), forked, rebuilt = build(site, "two", "cache", SPLIT)
    # Every page of the forked build was stored by the unforked one (same keys).
    assert forked and (again, carried) == (0, rendered)
    assert_same_pages(rebuilt, site / "unsplit-two")


def test_an_error_in_the_copys_part_stops_the_build_as_with_one_writer(site: Path) -> None:
    theme = site / "theme"
    shutil.copytree(ROOT / "theme", theme)
    # Breaks at render time only: the template loads (the copy is forked), the page fails.
    (theme / "templates" / "broken.html").write_text(
        '{% extends "article.html" %}{% block content %}{{ 1 // (article.title|length - article.title|length) }}{% endblock %}',
        "utf-8",
    )
    # The oldest story: the last page of Pelican's loop (newest first), in the copy's part.
    stories = sorted((site / "content" / "articles").rglob("*.md"))
    oldest = min(stories, key=lambda path: re.search(r"Date: (.*)", path.read_text("utf-8"))[1])
    oldest.write_text(
        oldest.read_text("utf-8").replace("\n\n", "\nTemplate: broken\n\n", 1), "utf-8"
    )
    errors = []
    for name, setting in (("split", SPLIT), ("one", ONE_WRITER)):
        result = build_with_caches(
            site, name, f'THEME="{theme}"', setting, cache=f"{name}-cache", now=NOW
        )
        assert result.returncode != 0
        assert not (site / name).exists()  # nothing swapped in
        assert bool(FORKED.search(result.stderr)) == (setting == SPLIT)
        errors.append(re.findall(r"CRITICAL: .*", result.stderr))
    assert errors[0] == errors[1] and "ZeroDivisionError" in errors[0][0], errors


def test_a_build_over_the_memory_limit_writes_both_parts_itself(site: Path) -> None:
    """RENDER_CACHE_SPLIT_MEMORY: a build whose process is larger forks no copy (it could
    come to double the build's memory) and writes the pages a split build writes."""
    _, forked, split = build(site, "one", "cache", SPLIT)
    assert forked
    capped = "RENDER_CACHE_SPLIT_MEMORY=1"  # MiB: smaller than any Python process
    (rendered, carried), forked, whole = build(site, "two", "other-cache", SPLIT, capped)
    assert not forked and rendered > 40 and carried == 0
    assert_same_pages(whole, split)
    (again, carried), forked, _ = build(site, "three", "other-cache", SPLIT, capped)
    assert not forked and (again, carried) == (0, rendered)


def test_the_pages_have_the_same_keys_wherever_the_split_falls(site: Path) -> None:
    """The split point moves from build to build (each keeps the share that would have
    ended both parts together): a page's key must not depend on it, or every move would
    render again the pages whose key changed (the fixture's places point to each other:
    a cycle whose digest depends on where a walk enters it)."""
    (rendered, _), forked, first = build(site, "one", "cache", SPLIT)
    assert forked
    kept = site / "cache" / "pages" / split.SHARE_FILE
    assert split.SHARE_LIMITS[0] <= float(kept.read_text("ascii")) <= split.SHARE_LIMITS[1]
    splits = set()
    # Split points of both parities: the fixture's stories alternate between two communes,
    # so each process's first story enters the places' cycle through one or the other.
    for number, share in enumerate(("0.2", "0.8", "0.45", "0.55", "0.3")):
        kept.write_text(share, "ascii")
        result = build_with_caches(site, f"again-{number}", SPLIT, now=NOW)
        assert result.returncode == 0, result.stderr
        splits.add(FORKED.search(result.stderr)[1])
        counts = COUNTS.search(result.stderr)
        assert (int(counts[1]), int(counts[2])) == (0, rendered), (share, counts[0])
        assert_same_pages(site / f"again-{number}", first)
    assert len({int(first) % 2 for first in splits}) == 2  # the kept share was used


def test_the_kept_share_is_read_with_care(tmp_path: Path) -> None:
    assert split.copy_share(tmp_path) == split.COPY_SHARE  # none kept yet
    for garbled in ("", "nan", "inf", "0.95", "-1", "half", "\x00\x01"):
        (tmp_path / split.SHARE_FILE).write_text(garbled, "latin-1")
        assert split.copy_share(tmp_path) == split.COPY_SHARE, garbled
    split.keep_share(tmp_path, 0.61234)
    assert split.copy_share(tmp_path) == pytest.approx(0.6123)
    split.keep_share(tmp_path / "missing" / "folder", 0.5)  # not kept, no error


def test_the_next_share_goes_half_way_to_the_even_one() -> None:
    # 500 pages each; the copy took twice as long a page: even is 1/3.
    assert split.next_share(0.5, 500, 500, 1.0, 2.0) == pytest.approx((0.5 + 1 / 3) / 2)
    # Ended together: the share stays.
    assert split.next_share(0.46, 540, 460, 0.5, 0.5) == pytest.approx(0.46)
    # Within the limits, however lopsided; nothing measured: unchanged.
    assert split.next_share(0.8, 900, 100, 9.0, 0.01) == split.SHARE_LIMITS[1]
    assert split.next_share(0.2, 100, 900, 0.01, 9.0) == split.SHARE_LIMITS[0]
    assert split.next_share(0.4, 10, 0, 1.0, 0.0) == 0.4


def test_objects_stories_share_are_found_through_their_own_objects() -> None:
    """A story's place is its own object, holding the place's page, which other stories'
    places hold too: the page is walked before the fork (on the 1,000-story site, leaving
    it to the stories' walks rendered 296 of 1,481 pages again when the split moved)."""

    class Page:
        pass

    class Place:
        def __init__(self, page: Page) -> None:
            self.page, self.written = page, "xã Phong Hiền"

    commune, province, alone = Page(), Page(), Page()
    stories = [
        SimpleNamespace(title="a", places=[Place(commune)], models=[province], tags=("x",)),
        SimpleNamespace(title="b", places=[Place(commune)], models=(province,), one=alone),
        SimpleNamespace(title="c", places=[], models=[], count=3),
    ]
    shared = split._shared_objects(stories)
    assert len(shared) == 2
    assert shared[0] is province and shared[1] is commune  # the order stories reach them


# Runs scripts/build.py (sys.argv[1]) in this process, noting each `content_written` the
# build's process sends (the page's name and what its context holds) in WRITTEN_REPORT;
# with KILL_COPY, the copy is killed once it has written its list pages, before it
# answers (the build must then write every page itself).
RECORD = """
import atexit, json, os, runpy, signal, sys
from pelican.plugins import signals
from render_cache import split
pid, sent = os.getpid(), []
def note(path, context=None):
    if os.getpid() == pid:
        sent.append([context["output_file"], sorted(context)])
signals.content_written.connect(note, weak=False)
if os.environ.get("KILL_COPY"):
    copy_lists = split._copy_lists
    def killed(*args):
        copy_lists(*args)
        os.kill(os.getpid(), signal.SIGKILL)
    split._copy_lists = killed
def done():
    if os.getpid() == pid:
        with open(os.environ["WRITTEN_REPORT"], "w") as f:
            json.dump(sent, f)
atexit.register(done)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def recorded(site: Path, name: str, cache: str, *extra: str, kill: bool = False) -> tuple:
    """A build through RECORD: (its log, (rendered, from the cache), the signals sent)."""
    report = site / f"{name}.json"
    env = {"WRITTEN_REPORT": str(report), **({"KILL_COPY": "1"} if kill else {})}
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        result = build_with_caches(
            site, name, *extra, cache=cache, now=NOW, python_args=["-c", RECORD]
        )
    assert result.returncode == 0, result.stderr
    counts = COUNTS.search(result.stderr)
    sent = json.loads(report.read_text("utf-8"))
    return result.stderr, (int(counts[1]), int(counts[2])), sent


def cache_state(folder: Path) -> tuple[list[str], dict]:
    """The entries of a render cache folder and its names index (pages and their names)."""
    pages = folder / "pages"
    index = (pages / "names-index.json").read_bytes()[32:]
    stored = json.loads(index)
    # Each page: its names and its entry's checksum.
    names = {page: (stored["lists"][found[0]], found[2]) for page, found in stored["pages"].items()}
    return sorted(path.name for path in pages.glob("*.html")), names


def test_the_copy_writes_the_list_pages_the_cache_holds_and_the_build_the_rest(
    site: Path,
) -> None:
    """After an edit, the copy writes the list pages whose entries are in the cache; the
    build renders the others, and sends `content_written` for every page, in Pelican's
    order. A copy killed after writing its list pages leaves every page to the build:
    the same bytes, signals, pages rendered, cache entries and names index."""
    _, forked, _ = build(site, "one", "cache", SPLIT)
    assert forked
    for folder in ("cache", "cache-index"):
        shutil.copytree(site / folder, site / folder.replace("cache", "spare"))
    edit_story(site, "Bài thứ 5 về mô hình", "Bài thứ năm, viết lại, về mô hình")
    log, counts, sent = recorded(site, "two", "cache", SPLIT)
    lists = LISTS.search(log)
    assert FORKED.search(log) and lists, log
    done, calls = int(lists[1]), int(lists[2])
    assert 0 < done < calls, log  # some list pages were rendered again: not the copy's
    assert "the copy failed" not in log
    # The same rebuild from the same caches (their folder is a setting: part of the keys).
    for folder in ("cache", "cache-index"):
        shutil.copytree(site / folder, site / folder.replace("cache", "answered"))
        shutil.rmtree(site / folder)
        shutil.copytree(site / folder.replace("cache", "spare"), site / folder)
    killed_log, killed_counts, killed_sent = recorded(site, "three", "cache", SPLIT, kill=True)
    assert "the copy failed" in killed_log and not LISTS.search(killed_log)
    # The story pages the copy rendered before it was killed are stored, but their
    # checksums went with the answer that never came: the build renders them again (no
    # more than the copy and the build did together); the same pages in all.
    assert killed_counts[0] <= counts[0] and sum(killed_counts) == sum(counts)
    assert killed_sent == sent
    assert_same_pages(site / "two", site / "three")
    assert cache_state(site / "cache") == cache_state(site / "answered")
    # One writer, cold: the same pages, bytes and signals.
    _, (rendered, carried), one_sent = recorded(site, "cold", "other-cache", ONE_WRITER)
    assert carried == 0 and one_sent == sent
    assert_same_pages(site / "two", site / "cold")
    # Nothing rendered again after, and the copy writes every list page: the keys the
    # build stored are those the copy looks up.
    log, (again, _), again_sent = recorded(site, "four", "cache", SPLIT)
    lists = LISTS.search(log)
    assert again == 0 and lists and lists[1] == lists[2] == str(calls), log
    # (Pages only: strict_content adds a name to the context of a build that read a story.)
    assert [page for page, _names in again_sent] == [page for page, _names in sent]
    assert_same_pages(site / "four", site / "cold")


def test_the_replay_ends_where_the_build_s_calls_differ_from_the_copy_s() -> None:
    """The build goes over a page without writing it only when the copy wrote it in the
    same call (file and template names); once a call differs from the copy's, every call
    after it is written by the build."""

    class Writer:  # Pelican's writer's part ListPages drives: which pages are replayed
        def __init__(self) -> None:
            self.replay, self.not_written, self.seen = None, False, []

        def write_file(self, name: str, template: object, context: dict, **kwargs: object):
            self.seen.append((name, None if self.replay is None else list(self.replay)))

    writer, tag = Writer(), SimpleNamespace(name="tag.html")
    write = functools.partial(writer.write_file, relative_urls=False)
    lists = split.ListPages()
    lists.calls = [
        (("a.html", "tag.html"), ["a.html", "a2.html"]),
        (("b.html", "tag.html"), [None]),
        (("c.html", "tag.html"), ["c.html"]),
        (("d.html", "tag.html"), ["d.html"]),
    ]
    writing = lists.writing(write)
    for name in ("a.html", "b.html", "x.html", "d.html"):
        writing(name, tag, {})
    assert writer.seen == [
        ("a.html", ["a.html", "a2.html"]),
        ("b.html", None),  # the copy wrote none of it
        ("x.html", None),  # not the copy's third call
        ("d.html", None),  # after it: the build's
    ]
    assert writer.replay is None


# Runs scripts/build.py (sys.argv[1]) in this process; the build's process, at its first
# story page, waits until the copy has written its list pages (the copy notes it in
# LISTS_DONE), for at most a minute. The copy can write them only once it has the
# build's story digests: sent before the build's story pages, it needs no more.
WAIT_FOR_LISTS = """
import os, runpy, sys, time
from pathlib import Path
from pelican.plugins import signals
from render_cache import split
pid, marker = os.getpid(), Path(os.environ["LISTS_DONE"])
copy_lists = split._copy_lists
def noted(*args):
    calls = copy_lists(*args)
    marker.write_text(str(sum(page is not None for _call, pages in calls for page in pages)))
    return calls
split._copy_lists = noted
waited = []
def wait(path, context=None):
    if os.getpid() == pid and not waited and "article" in context:
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        waited.append(marker.exists())
        print("lists written before the build's story pages:", waited[0], file=sys.stderr)
signals.content_written.connect(wait, weak=False)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_the_copy_writes_the_list_pages_while_the_build_writes_its_story_pages(
    site: Path,
) -> None:
    """The build sends its story digests before it writes its story pages, so the copy
    writes the list pages without waiting for them: a build that holds its first story
    page until the copy's list pages are written still ends, with the same pages."""
    _, forked, _ = build(site, "one", "cache", SPLIT)
    assert forked
    edit_story(site, "Bài thứ 5 về mô hình", "Bài thứ năm, viết lại, về mô hình")
    marker = site / "lists-done"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LISTS_DONE", str(marker))
        result = build_with_caches(
            site, "two", SPLIT, cache="cache", now=NOW, python_args=["-c", WAIT_FOR_LISTS]
        )
    assert result.returncode == 0, result.stderr
    assert "lists written before the build's story pages: True" in result.stderr
    lists = LISTS.search(result.stderr)
    assert lists and int(lists[1]) == int(marker.read_text()) > 0, result.stderr
    _, (rendered, carried), _ = recorded(site, "cold", "other-cache", ONE_WRITER)
    assert carried == 0
    assert_same_pages(site / "two", site / "cold")


def test_the_copy_reads_the_digests_while_it_writes_so_the_build_never_waits() -> None:
    """More digests than a pipe holds (64 KiB): the copy takes what has come between two
    pages, so the build's writes never block; the copy then has all of it."""
    source, sink = os.pipe()
    inbox = split._Inbox(source)
    data = os.urandom(1 << 20)  # 16 pipes' worth
    os.set_blocking(sink, False)  # a write that would wait fails instead
    view = memoryview(data)
    while view:
        view = view[os.write(sink, view[: 1 << 14]) :]
        inbox.take()  # the copy, between two of its pages
    os.close(sink)
    assert inbox.rest() == data
