"""The story pages written by two processes: the build's, and a copy of it forked when
Pelican starts writing them (README.md, "Two writers for the story pages").

A rebuild after one edit is serial: one core writes every page while the other waits
for the search's background process, which has little to do then. Story pages are
independent of each other (each is its template given the values it reads: the render
cache's own premise), so the build writes the first part of Pelican's loop and a copy of
it, forked at that moment, the rest. The copy sends back what the build needs afterwards:
the story digests it computed (the list pages that follow name every story), the cache
entries it used, the names it recorded. The build then counts the copy's files as written
(Pelican's overwrite checks) and sends `content_written` for each, in Pelican's order,
before it writes any list page. The list pages are split too: before it writes its own
story pages, the build makes its stories' digests and sends them to the copy
(`_digests_first`), with which the copy writes the list pages the cache holds
(`_copy_lists`) while the build writes its story pages; the build then goes over those
through Pelican's writer without rendering or writing them (`ListPages`), and writes the
others.

The copy's pages are keyed with the memo as it was at the fork; where the build cannot
fork (not Linux, another thread running) it writes them itself with that memo, so a page
has one key whether the copy ran or not. Pelican's own loop writes every page when fewer
than RENDER_CACHE_SPLIT stories, two stories with one output file (its overwrite rules
then decide, in order) or a template that cannot be loaded. When the copy fails (an error
in a template, killed), the build writes its part itself, and so raises the error as
Pelican's loop raises it.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable
from itertools import chain
from pathlib import Path
from typing import Any

from pelican.contents import Content
from pelican.generators import ArticlesGenerator
from pelican.plugins import signals
from pelican.utils import get_relative_path, path_to_url, sanitised_join

from tdbvantq.writes import write_atomically

from .fingerprint import _PLAIN, STORY_DEPTH, Fingerprints, Uncacheable

logger = logging.getLogger(__name__)

PELICANS_STORY_PAGES = ArticlesGenerator.generate_articles

# The copy's share of the story pages at a first split build. It is a little less than
# half: the search's background process indexes the edit on the second core while the
# first story pages are written (1,000 stories, quiet: with half each, the copy ended
# 0.05 s after the build). Each split build then measures both parts and keeps the share
# that would have ended them together (SHARE_FILE): the right share moves with the site's
# size, the machine and its load (on a loaded 2-core machine it settled at 0.47-0.51 at
# 1,000 and at 10,000 stories).
COPY_SHARE = 0.46
SHARE_LIMITS = (0.2, 0.8)
SHARE_FILE = "split-share"

_PR_SET_PDEATHSIG = 1

# What Pelican's ArticlesGenerator.generate_pages writes after the story pages, in its
# order: the list pages (and drafts). The copy goes on with them once its story pages
# are written, from the cache only (`_copy_lists`).
LIST_PAGES = (
    "generate_period_archives",
    "generate_direct_templates",
    "generate_tags",
    "generate_categories",
    "generate_authors",
    "generate_drafts",
)


class Miss(Exception):
    """A page the copy would have to render: the build renders it (`_Cache.hits_only`)."""


def fork_is_safe() -> bool:
    """Fork only on Linux and only while this is the process's one thread: a lock another
    thread held at the fork would stay locked in the copy for ever."""
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


def resident_megabytes() -> float:
    """This process's resident memory in MiB (Linux; 0 where /proc cannot tell)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def fork_fits(limit_mb: int) -> bool:
    """Fork only while the build is at most `limit_mb` resident (0: no limit). The copy's
    pages are shared at first, but reference counting writes to every object it touches,
    so at archive scale the copy could come to double the build's memory."""
    return not limit_mb or resident_megabytes() <= limit_mb


def copy_share(folder: Any) -> float:
    """The copy's share kept by the last split build in the render cache's `folder`
    (COPY_SHARE when there is none, or it cannot be read)."""
    try:
        with open(os.path.join(folder, SHARE_FILE), encoding="ascii") as kept:
            share = float(kept.read(32))
    except (OSError, ValueError, TypeError):
        return COPY_SHARE
    if not SHARE_LIMITS[0] <= share <= SHARE_LIMITS[1]:  # also NaN
        return COPY_SHARE
    return share


def next_share(share: float, mine: int, theirs: int, my_time: float, their_time: float) -> float:
    """The share for the next build, from this one's: `mine` and `theirs` pages written
    here and by the copy in `my_time` and `their_time` seconds of wall time from the fork.
    Half-way to the share that would have ended both parts together (one noisy build
    moves it half as far), within SHARE_LIMITS."""
    if mine <= 0 or theirs <= 0 or my_time <= 0 or their_time <= 0:
        return share
    my_rate, their_rate = my_time / mine, their_time / theirs
    even = my_rate / (my_rate + their_rate)
    return min(max((share + even) / 2, SHARE_LIMITS[0]), SHARE_LIMITS[1])


def keep_share(folder: Any, share: float) -> None:
    """Keep `share` for the next build; only speed depends on it: not flushed to disk,
    and a failure to write it is ignored."""
    with contextlib.suppress(OSError):
        write_atomically(Path(folder) / SHARE_FILE, f"{share:.4f}\n", durable=False)


def stories_of(generator: ArticlesGenerator) -> list[Content]:
    """The stories whose pages Pelican's `generate_articles` writes, in its order."""
    return list(
        chain(
            generator.translations,
            generator.articles,
            generator.hidden_translations,
            generator.hidden_articles,
        )
    )


def _arguments(
    name: Any,
    template: Any,
    context: dict,
    relative_urls: bool = False,
    paginated: Any = None,
    template_name: Any = None,
    override_output: bool = False,
    url: Any = None,
    **kwargs: Any,
) -> tuple[Any, dict, bool, bool, dict]:
    """Pelican's `Writer.write_file` arguments, by name (`paginated`, `template_name`
    and `url` only paginate, which a story page does not)."""
    return name, context, relative_urls, override_output, kwargs


def _local_context(context: dict, name: str, relative_urls: bool, kwargs: dict) -> dict:
    """Pelican's `_get_localcontext`, and the one change `_write_file` makes to the
    shared context (a page's own `localsiteurl`, which stories' links read)."""
    localcontext = context.copy()
    localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
    if relative_urls:
        relative_url = path_to_url(get_relative_path(name))
        localcontext["SITEURL"] = relative_url
        localcontext["localsiteurl"] = relative_url
    localcontext["output_file"] = name
    localcontext.update(kwargs)
    if localcontext["localsiteurl"]:
        context["localsiteurl"] = localcontext["localsiteurl"]
    return localcontext


class _Page:
    """A page the other process writes: what writing it changes here, and what
    `content_written` is sent with once it is written."""

    __slots__ = ("args", "kwargs", "localcontext", "override", "path")

    def __init__(self, output_path: str, args: tuple, kwargs: dict) -> None:
        name, context, relative_urls, self.override, extra = _arguments(*args, **kwargs)
        self.args, self.kwargs = args, kwargs
        self.path = sanitised_join(output_path, name)
        self.localcontext = _local_context(context, name, relative_urls, extra)


def _plan(generator: ArticlesGenerator, write: Any, cache: Any, threshold: int) -> list | None:
    """The stories, when their pages can be split; None: Pelican's loop writes them."""
    if cache is None or not threshold:
        return None
    if not isinstance(write, functools.partial) or write.args:
        return None
    writer = getattr(write.func, "__self__", None)
    if getattr(writer, "render_cache", None) is not cache:
        return None
    stories = stories_of(generator)
    if len(stories) < max(threshold, 2):
        return None
    try:
        names = [story.save_as for story in stories]
        paths = {sanitised_join(writer.output_path, name) for name in names if name}
        # Loaded once here, not once in each process.
        templates = [generator.get_template(name) for name in {s.template for s in stories}]
    except Exception:  # noqa: BLE001 - Pelican's loop raises it, at its place
        return None
    if len(paths) < len([name for name in names if name]):
        return None  # two stories, one file: Pelican's overwrite rules, in order
    if paths & (writer._written_files | writer._overridden_files):
        return None
    for template in templates:
        cache.prepare(template, generator.context)
    return stories


def _objects_in(value: Any, into: list) -> None:
    """Add to `into` the objects (neither stories nor plain values) `value` is or holds in
    a list or tuple."""
    kind = value.__class__
    if kind in _PLAIN:  # most of a story's fields: tested first, at 50,000 fields a build
        return
    for item in value if kind is list or kind is tuple else (value,):
        if item.__class__ not in _PLAIN and hasattr(item, "__dict__"):
            if not isinstance(item, Content | type):
                into.append(item)


def _shared_objects(stories: list) -> list:
    """The objects two stories or more hold, in their fields or their fields' fields (a
    story's place holds the place's page), in the order the stories first reach them."""
    count: dict[int, list] = {}
    for story in stories:
        found: list = []
        for value in vars(story).values():
            _objects_in(value, found)
        for item in found[:]:
            for inner in vars(item).values():
                _objects_in(inner, found)
        for item in found:
            count.setdefault(id(item), [item, 0])[1] += 1
    return [item for item, times in count.values() if times > 1]


def _settle_shared(fingerprints: Fingerprints, stories: list) -> None:
    """Walk, before the fork and in the stories' order, the objects stories share (places,
    models), as a story's fields walk them. Such objects point to each other (a commune's
    page to its province's, whose communes point back), and a cycle's digest depends on
    where the walk entered it: walked here, each has one digest for the whole build, so no
    page's key depends on which process wrote which stories before it (the split point),
    and the copy does not walk them again. A story's own objects are walked with it."""
    for item in _shared_objects(stories):
        fingerprints.of(item, STORY_DEPTH)


def _share(
    write: Any,
    first: int,
    last: int,
    theirs: list[_Page] | None,
    each: Callable[[], None] | None = None,
) -> Callable:
    """`write` for the pages first..last-1 of Pelican's loop (numbered from 0); any
    other page is not written, but changes the context as writing it would, and is
    noted in `theirs`. `each`: called before each page."""
    output_path = write.func.__self__.output_path
    number = -1

    def share(*args: Any, **kwargs: Any) -> Any:
        nonlocal number
        number += 1
        if each is not None:
            each()
        if first <= number < last:
            return write(*args, **kwargs)
        kwargs = {**write.keywords, **kwargs}
        if _arguments(*args, **kwargs)[0]:  # Pelican's writer skips a page without a name
            page = _Page(output_path, args, kwargs)
            if theirs is not None:
                theirs.append(page)
        return None

    return share


def _story_digests(fingerprints: Fingerprints, stories: list) -> list[tuple[int, int, bytes]]:
    """The stories' digests `fingerprints` holds: (story's number, depth, digest)."""
    number = {id(story): index for index, story in enumerate(stories)}
    return [
        (number[ident], depth, digest)
        for (ident, depth), (_value, digest) in fingerprints._memo.items()
        if ident in number
    ]


def _add_digests(fingerprints: Fingerprints, stories: list, digests: list) -> None:
    """Stories' digests made by another memo, for those this one has not made."""
    memo = fingerprints._memo
    for index, depth, digest in digests:
        story = stories[index]
        memo.setdefault((id(story), depth), (story, digest))


def _copy(
    generator: ArticlesGenerator,
    write: Any,
    cache: Any,
    first: int,
    stories: list,
    build: int,
    digests_from: int,
) -> bytes:
    """The forked copy's work: the pages from `first` on, the list pages once the build's
    story digests have come (on `digests_from`), then its answer; `build`: the build's
    pid."""
    with contextlib.suppress(Exception):
        import ctypes

        # Dies with the build: a build killed outright leaves no copy holding its files.
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL))
    if os.getppid() != build:  # the build died before the line above
        os._exit(1)
    writer = write.func.__self__
    written, rendered, carried = len(writer._written_files), cache.rendered, cache.carried
    builds: list[_Page] = []
    inbox = _Inbox(digests_from)
    PELICANS_STORY_PAGES(generator, _share(write, first, len(stories), builds, inbox.take))
    written = len(writer._written_files) - written
    # The build's story pages, as written here: the list pages' overwrite checks are
    # then the build's.
    for page in builds:
        writer._written_files.add(page.path)
        if page.override:
            writer._overridden_files.add(page.path)
    stories_ended = time.perf_counter()
    # The list pages name every story: with the build's digests, the copy keys them as
    # the build does, without walking the build's stories again. The build sends them
    # before it writes its story pages (`_digests_first`): they are here by now, and
    # the list pages are written while the build writes its story pages.
    digests = inbox.rest()
    lists = []
    if digests:
        _add_digests(cache.fingerprints, stories, pickle.loads(digests))
        lists = _copy_lists(generator, write, cache)
    ended = time.perf_counter()
    logger.debug("render cache: the copy's list pages: %.3f s", ended - stories_ended)
    answer = {
        "digests": _story_digests(cache.fingerprints, stories),
        "used": cache.used,
        "names": cache.names.changed,
        "rendered": cache.rendered - rendered,
        "carried": cache.carried - carried,
        "written": written,
        "lists": lists,
        # Of its story and list pages; the system's monotonic clock: the build's too.
        "ended": ended,
    }
    return pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)


def _call(write: Any, args: tuple, kwargs: dict) -> tuple[str, Any]:
    """What names one `write` call of the list pages: its file name and template."""
    kwargs = {**write.keywords, **kwargs}
    template = args[1] if len(args) > 1 else kwargs.get("template")
    return str(_arguments(*args, **kwargs)[0]), getattr(template, "name", None)


def _copy_lists(generator: ArticlesGenerator, write: Any, cache: Any) -> list:
    """The copy's list pages: Pelican's `generate_pages` after the story pages, each page
    written only when it is in the cache (a miss is left to the build, which renders it
    and stores it under the build's key). Returns, per `write` call in order (a list and
    its pagination), what names the call and its pages' names as written here (None: left
    to the build)."""
    writer = write.func.__self__
    calls: list[tuple[tuple[str, Any], list[str | None]]] = []

    def from_cache(*args: Any, **kwargs: Any) -> None:
        carried, writer.record = cache.carried, []
        cache.hits_only = True
        try:
            write(*args, **kwargs)
            calls.append((_call(write, args, kwargs), writer.record))
        except Exception:  # noqa: BLE001 - an error the build raises again, writing it all
            cache.carried = carried
            calls.append((_call(write, args, kwargs), []))
        finally:
            cache.hits_only, writer.record, writer.not_written = False, None, False

    try:
        for name in LIST_PAGES:
            getattr(ArticlesGenerator, name)(generator, from_cache)
    except Exception:  # noqa: BLE001, S110 - the calls after it are the build's
        pass
    return calls


class ListPages:
    """The build's side of the list pages: the pages the copy wrote (`_copy_lists`) go
    through Pelican's writer without rendering, keying or writing (`CachingWriter.replay`):
    its pagination, overwrite checks and `content_written` signals, in Pelican's order.
    The others are written here; so is every call after one that does not name what the
    copy's did."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[str, Any], list[str | None]]] = []
        self.number = -1

    def writing(self, write: Any) -> Callable:
        def write_or_replay(*args: Any, **kwargs: Any) -> Any:
            self.number += 1
            if self.number >= len(self.calls) or not any(self.calls[self.number][1]):
                return write(*args, **kwargs)
            if self.calls[self.number][0] != _call(write, args, kwargs):
                self.calls = []  # not the copy's order: every call after it written here
                return write(*args, **kwargs)
            writer = write.func.__self__
            writer.replay = iter(self.calls[self.number][1])
            try:
                return write(*args, **kwargs)
            finally:
                writer.replay, writer.not_written = None, False

        return write_or_replay


class _Inbox:
    """The copy's end of the pipe the build's story digests come on, read as they come
    while the copy writes its story pages (`take`, between two pages): the build sends
    them before its own story pages, and more than a pipe holds (64 KiB) would keep it
    waiting until the copy reads them."""

    def __init__(self, source: int) -> None:
        self.source = source
        self.chunks: list[bytes] = []
        self.closed = False
        os.set_blocking(source, False)

    def take(self) -> None:
        """What has come so far, without waiting."""
        while not self.closed:
            try:
                chunk = os.read(self.source, 1 << 20)
            except BlockingIOError:
                return
            if not chunk:
                self.closed = True
            else:
                self.chunks.append(chunk)

    def rest(self) -> bytes:
        """Everything, once the build has closed its end; closes this one."""
        try:
            if not self.closed:
                os.set_blocking(self.source, True)
                while chunk := os.read(self.source, 1 << 20):
                    self.chunks.append(chunk)
        finally:
            os.close(self.source)
        return b"".join(self.chunks)


def _read_all(source: int) -> bytes:
    """What comes on the pipe `source` until it is closed; closes it."""
    chunks = []
    try:
        while chunk := os.read(source, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(source)
    return b"".join(chunks)


def _write_all(sink: int, data: bytes) -> None:
    """Write all of `data` on the pipe `sink` (a pipe takes a part at a time)."""
    view = memoryview(data)
    while view:
        view = view[os.write(sink, view) :]


def _digests_first(fingerprints: Fingerprints, stories: list, first: int) -> bytes:
    """The digests of the build's stories (the first `first`), made before their pages
    are written, as each page's key makes its story's (`article`, at depth 0: the story
    and the stories it points to by their fields). The copy needs them for the list
    pages: sent now, they let it write those while the build writes its story pages,
    where it waited for the build to end them. The work is the same: each page's key
    then finds its story's digest made. A story whose digest cannot be made is left to
    its page (which is then rendered, as before)."""
    for story in stories[:first]:
        with contextlib.suppress(Uncacheable):
            fingerprints.of(story)
    return pickle.dumps(_story_digests(fingerprints, stories), protocol=pickle.HIGHEST_PROTOCOL)


def _send(sink: int, data: bytes) -> None:
    """Write `data` on the pipe `sink` and close it (the copy may have died: ignored)."""
    try:
        _write_all(sink, data)
    except OSError:
        pass
    finally:
        os.close(sink)


def _fork_copy(
    generator: ArticlesGenerator, write: Any, cache: Any, first: int, stories: list
) -> tuple[int, int, int]:
    """Fork the copy; its pid, the end of the pipe its answer comes on and the end of the
    pipe the build's story digests go on."""
    for stream in (sys.stdout, sys.stderr):  # what is buffered would be written twice
        with contextlib.suppress(Exception):
            stream.flush()
    source, sink = os.pipe()
    digests_from, digests_to = os.pipe()
    build = os.getpid()
    # The copy shares the build's memory until either process writes to a page: the
    # garbage collector of the copy, walking every object, would write to all of them
    # (and copy them). Frozen, what exists at the fork is left out of its walks. The
    # build unfreezes them again, unless its driver froze what it had already
    # (scripts/build.py freezes the site once it is read: full collections then skip it).
    frozen_already = gc.get_freeze_count() > 0
    gc.freeze()
    pid = os.fork()
    if pid:
        if not frozen_already:
            gc.unfreeze()
        os.close(sink)
        os.close(digests_from)
        return pid, source, digests_to
    code = 1
    try:  # the copy: its share, its answer, and out without Python's exit handlers
        os.close(source)
        os.close(digests_to)
        _write_all(sink, _copy(generator, write, cache, first, stories, build, digests_from))
        code = 0
    except BaseException:  # noqa: BLE001, S110 - the build writes these pages again
        pass
    finally:
        os._exit(code)


def _receive(pid: int, source: int, digests_to: int) -> dict | None:
    """The copy's answer, once it has ended; None when it failed."""
    if digests_to >= 0:  # not sent (-1: sent and closed): the copy writes no list page
        os.close(digests_to)
    try:
        data = _read_all(source)
    finally:
        _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return None
    try:
        return pickle.loads(data)
    except Exception:  # noqa: BLE001 - a garbled answer: the pages are written again
        return None


def _adopt(write: Any, cache: Any, stories: list, theirs: list[_Page], answer: dict) -> None:
    """The copy's pages, as if written here: what it computed and used, its files
    counted as written (Pelican's overwrite checks), `content_written` for each."""
    _add_digests(cache.fingerprints, stories, answer["digests"])
    cache.used.update(answer["used"])
    for page, names in answer["names"].items():
        cache.names.changed.setdefault(page, names)
    cache.rendered += answer["rendered"]
    cache.carried += answer["carried"]
    writer = write.func.__self__
    for page in theirs:
        writer._written_files.add(page.path)
        if page.override:
            writer._overridden_files.add(page.path)
        signals.content_written.send(page.path, context=page.localcontext)


def _write_here(write: Any, cache: Any, stories: list, theirs: list[_Page], memo: Any) -> None:
    """The copy's pages written by this process, keyed as the copy keys them: with the
    memo as it was at the fork (a digest can depend on what the memo held before: a
    cycle between objects is named where the walk met it again). The keys are then the
    same whether the copy wrote the pages or not, and a build finds the entries the
    last one stored either way."""
    mine, cache.fingerprints = cache.fingerprints, memo
    try:
        for page in theirs:
            write.func(*page.args, **page.kwargs)
    finally:
        cache.fingerprints = mine
    _add_digests(mine, stories, _story_digests(memo, stories))


def write_story_pages(
    generator: ArticlesGenerator,
    write: Any,
    cache: Any,
    threshold: int,
    limit_mb: int = 0,
    lists: ListPages | None = None,
) -> None:
    """Pelican's `generate_articles(write)`, its pages split between this process and a
    forked copy (`_plan`); where forking is not safe or the build is larger than
    `limit_mb`, this process writes both parts, in the same way. The list pages the copy
    then wrote are noted in `lists`."""
    stories = _plan(generator, write, cache, threshold)
    if stories is None:
        PELICANS_STORY_PAGES(generator, write)
        return
    share = copy_share(cache.folder)
    first = len(stories) - int(len(stories) * share)
    _settle_shared(cache.fingerprints, stories)
    at_fork = cache.fingerprints.copy()
    can_fork = fork_is_safe() and fork_fits(limit_mb)
    started = time.perf_counter()
    forked = _fork_copy(generator, write, cache, first, stories) if can_fork else None
    if forked:
        logger.info("render cache: %d story pages here, %d by a copy", first, len(stories) - first)
    theirs: list[_Page] = []
    try:
        if forked:
            _send(forked[2], _digests_first(cache.fingerprints, stories, first))
            forked = (*forked[:2], -1)  # sent and closed
        PELICANS_STORY_PAGES(generator, _share(write, 0, first, theirs))
    except BaseException:
        if forked:
            with contextlib.suppress(OSError):
                os.kill(forked[0], signal.SIGKILL)
            _receive(*forked)
        raise
    waited = time.perf_counter()
    answer = None
    if forked:
        answer = _receive(*forked)
    if forked:
        logger.debug("render cache: waited %.3f s for the copy", time.perf_counter() - waited)
    if answer is not None and answer["written"] == len(theirs):
        _adopt(write, cache, stories, theirs, answer)
        if lists is not None:
            lists.calls = answer["lists"]
            pages = [page for _call, written in lists.calls for page in written]
            done = len([page for page in pages if page is not None])
            logger.info("render cache: %d of %d list pages by the copy", done, len(pages))
        times = (waited - started, answer["ended"] - started)
        keep_share(cache.folder, next_share(share, first, len(theirs), *times))
        return
    if forked:
        logger.info("render cache: the copy failed; its story pages are written here")
    _write_here(write, cache, stories, theirs, at_fork)


def split_story_pages(
    generators: list, threshold: int, cache_of: Callable[[], Any], limit_mb: int = 0
) -> None:
    """Give each ArticlesGenerator of this build a `generate_articles` that splits its
    story pages (`write_story_pages`); `cache_of()`: the running build's render cache."""
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            lists = ListPages()

            def generate_articles(
                write: Any, generator: ArticlesGenerator = generator, lists: ListPages = lists
            ) -> None:
                write_story_pages(generator, write, cache_of(), threshold, limit_mb, lists)

            generator.generate_articles = generate_articles
            for name in LIST_PAGES:
                setattr(generator, name, _list_pages(generator, name, lists))


def _list_pages(generator: ArticlesGenerator, name: str, lists: ListPages) -> Callable:
    """Pelican's list-page method `name`, writing through `lists`."""
    pelicans = getattr(ArticlesGenerator, name)

    def generate(write: Any) -> None:
        pelicans(generator, lists.writing(write))

    return generate
