"""The index writer's bulk posting path (tdbvantq.search.bulkwrite) writes the
files Whoosh's own per-posting loops write, byte for byte."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from search_index.plugin import collect_documents
from sitebench.search_corpus import ACRONYMS, articles, models
from tdbvantq.search import build_index, current_generation, search, store
from tdbvantq.search._whoosh import index


def corpus():
    return [source.document() for source in collect_documents(articles(), models())]


def segment_files(index_dir: Path) -> dict[str, bytes]:
    """The files inside each segment of the current generation, by segment order and
    extension (segment names are random, so they are left out)."""
    ix = index.open_dir(str(current_generation(index_dir)))
    found = {}
    for number, segment in enumerate(ix._segments()):
        files = segment.open_compound_file(ix.storage)
        for name in files.list():
            handle = files.open_file(name)
            found[f"{number}:{name.split('.', 1)[1]}"] = handle.read()
            handle.close()
        files.close()
    ix.close()
    return found


def build_both(tmp_path: Path, monkeypatch, steps) -> tuple[Path, Path]:
    """Run `steps(index_dir)` with the bulk writer and with Whoosh's loops."""
    folders = []
    for bulk in (True, False):
        folder = tmp_path / f"bulk-{bulk}"
        folder.mkdir()
        monkeypatch.setattr(store, "_writer", functools.partial(_plain_writer, bulk=bulk))
        steps(folder)
        folders.append(folder)
    return folders[0], folders[1]


_plain_writer = store._writer


@pytest.mark.parametrize("block", [1024, 3])
def test_cold_index_is_the_same_bytes(tmp_path, monkeypatch, block):
    # A block of 3 postings: most terms span several blocks, and some end on a full one.
    monkeypatch.setattr(store, "POSTINGS_BLOCK", block)
    bulk, plain = build_both(tmp_path, monkeypatch, lambda d: build_index(d, corpus(), ACRONYMS))
    written = segment_files(bulk)
    assert any(name.endswith("pst") for name in written)
    assert written == segment_files(plain)


def test_update_is_the_same_bytes(tmp_path, monkeypatch):
    """An update deletes, adds and merges the old segment's postings through the pool."""
    monkeypatch.setattr(store, "POSTINGS_BLOCK", 3)

    def steps(folder: Path) -> None:
        docs = corpus()
        build_index(folder, docs[:-3], ACRONYMS)
        docs[0].body += " Bà con xã Phong Hiền góp công làm đường bê tông."
        build_index(folder, docs[1:], ACRONYMS)

    bulk, plain = build_both(tmp_path, monkeypatch, steps)
    assert segment_files(bulk) == segment_files(plain)
    found = search(bulk, "làm đường")
    assert found.total and found.to_json() == search(plain, "làm đường").to_json()


def test_pool_spills_sorted_runs(tmp_path, monkeypatch):
    """Past its limit the pool writes sorted runs to disk, merged when the segment is
    written: the index is the same as one sorted in memory."""
    monkeypatch.setattr(store, "POOL_MB", 1)
    monkeypatch.setattr("tdbvantq.search.bulkwrite.POSTING_BYTES", 1024 * 1024 // 50)
    spilled = []
    original = store.BulkPool.save

    def save(pool):
        spilled.append(len(pool.current))
        original(pool)

    monkeypatch.setattr(store.BulkPool, "save", save)
    bulk, plain = build_both(tmp_path, monkeypatch, lambda d: build_index(d, corpus(), ACRONYMS))
    assert spilled and max(spilled) <= 50
    assert segment_files(bulk) == segment_files(plain)
