"""Atomic writes: complete files or nothing, never a stray temporary file."""

import itertools
import multiprocessing
import os
from pathlib import Path

import pytest

from tdbvantq import writes
from tdbvantq.writes import AtomicBatch, link_or_copy, write_atomically, write_cache_file


def test_replaces_content_and_keeps_mode(tmp_path):
    target = tmp_path / "a.md"
    target.write_text("cũ", encoding="utf-8")
    target.chmod(0o600)
    write_atomically(target, "mới")
    assert target.read_text(encoding="utf-8") == "mới"
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_exclusive_never_overwrites(tmp_path):
    target = tmp_path / "sub" / "b.md"
    write_atomically(target, b"first", exclusive=True)
    with pytest.raises(FileExistsError):
        write_atomically(target, b"second", exclusive=True)
    assert target.read_bytes() == b"first"
    assert sorted(p.name for p in target.parent.iterdir()) == ["b.md"]


def test_failed_write_leaves_the_old_file(tmp_path):
    target = tmp_path / "c.md"
    target.write_text("giữ nguyên", encoding="utf-8")
    with pytest.raises(TypeError):
        write_atomically(target, 12345)  # not bytes: the write itself fails
    assert target.read_text(encoding="utf-8") == "giữ nguyên"
    assert [p.name for p in tmp_path.iterdir()] == ["c.md"]


def test_a_temporary_name_left_by_a_killed_writer_is_skipped(tmp_path, monkeypatch):
    # Temporary names are the pid and a counter: a killed process whose pid came back
    # may have left the very name the next write would take.
    monkeypatch.setattr(writes, "_temp_numbers", itertools.count())
    stale = tmp_path / f".d.md.{os.getpid()}-0.tmp"
    stale.write_bytes(b"left by a killed writer")
    write_atomically(tmp_path / "d.md", b"new")
    assert (tmp_path / "d.md").read_bytes() == b"new"
    assert stale.read_bytes() == b"left by a killed writer"
    assert sorted(p.name for p in tmp_path.iterdir()) == [stale.name, "d.md"]


def test_new_files_are_0644_whatever_the_umask(tmp_path):
    old = os.umask(0o077)
    try:
        write_atomically(tmp_path / "deep" / "e.md", b"x")
        with AtomicBatch() as batch:
            batch.put(tmp_path / "other" / "f.md", b"y")
    finally:
        os.umask(old)
    assert (tmp_path / "deep" / "e.md").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "other" / "f.md").stat().st_mode & 0o777 == 0o644


def test_a_cache_file_replaces_skips_stale_names_and_is_0644(tmp_path, monkeypatch):
    monkeypatch.setattr(writes, "_temp_numbers", itertools.count())
    stale = tmp_path / f".g.bin.{os.getpid()}-0.tmp"
    stale.write_bytes(b"left by a killed writer")
    (tmp_path / "g.bin").write_bytes(b"old")
    old = os.umask(0o077)
    try:
        write_cache_file(f"{tmp_path}/g.bin", b"new")
    finally:
        os.umask(old)
    assert (tmp_path / "g.bin").read_bytes() == b"new"
    assert (tmp_path / "g.bin").stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == [stale.name, "g.bin"]


def test_a_failed_cache_file_leaves_the_old_file_and_no_temporary(tmp_path):
    (tmp_path / "h.bin").write_bytes(b"old")
    with pytest.raises(TypeError):
        write_cache_file(f"{tmp_path}/h.bin", 12345)  # not bytes: the write fails
    assert (tmp_path / "h.bin").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["h.bin"]


def test_a_failed_put_leaves_no_temporary_file(tmp_path):
    with pytest.raises(TypeError), AtomicBatch() as batch:
        batch.put(tmp_path / "g.md", b"complete")
        batch.put(tmp_path / "h.md", 12345)  # not bytes: the write itself fails
    assert list(tmp_path.iterdir()) == []


def _write_many(folder: str, tag: str) -> None:
    for i in range(200):
        write_atomically(Path(folder) / f"{i}.txt", f"{tag}{i}", durable=False)


def test_processes_writing_the_same_names_never_share_a_temporary_file(tmp_path):
    # Each process (spawned or forked) names its temporary files by its own pid.
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_write_many, args=(str(tmp_path), t)) for t in "ab"]
    for worker in workers:
        worker.start()
    _write_many(str(tmp_path), "c")
    for worker in workers:
        worker.join()
        assert worker.exitcode == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"{i}.txt" for i in range(200))
    for i in range(200):
        assert (tmp_path / f"{i}.txt").read_text() in {f"a{i}", f"b{i}", f"c{i}"}


def test_retain_unstages_every_file_but_the_kept_ones(tmp_path):
    batch = AtomicBatch()
    for name in ("a", "b", "c"):
        batch.put(tmp_path / name, name.encode())
    batch.retain([tmp_path / "a", tmp_path / "c"])
    batch.commit()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a", "c"]
    assert (tmp_path / "c").read_bytes() == b"c"


def test_a_link_to_a_new_name_is_made_there_at_once(tmp_path):
    source = tmp_path / "cache" / "card.png"
    source.parent.mkdir()
    source.write_bytes(b"card")
    target = tmp_path / "out" / "share" / "card.png"  # no folder yet: made
    link_or_copy(source, target)
    assert target.read_bytes() == b"card"
    assert target.stat().st_ino == source.stat().st_ino
    link_or_copy(source, tmp_path / "out" / "share" / "again.png")  # the folder now exists
    assert sorted(p.name for p in (tmp_path / "out" / "share").iterdir()) == [
        "again.png",
        "card.png",
    ]


def test_a_link_over_a_taken_name_replaces_it_and_leaves_its_other_names(tmp_path):
    source = tmp_path / "new.png"
    source.write_bytes(b"new")
    old = tmp_path / "old.png"
    old.write_bytes(b"old")
    target = tmp_path / "out.png"
    os.link(old, target)  # the name is another file's link (a cache entry's)
    link_or_copy(source, target)
    assert target.read_bytes() == b"new"
    assert target.stat().st_ino == source.stat().st_ino
    assert old.read_bytes() == b"old"  # replaced, not written into
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.png", "old.png", "out.png"]


def test_a_link_to_a_missing_source_fails_and_leaves_nothing(tmp_path):
    with pytest.raises(FileNotFoundError):
        link_or_copy(tmp_path / "gone.png", tmp_path / "out" / "gone.png")
    assert list((tmp_path / "out").iterdir()) == []


def test_link_or_write_links_and_replaces_a_taken_name_never_in_place(tmp_path):
    source = tmp_path / "entry.html"
    source.write_bytes(b"<p>entry</p>")
    target = tmp_path / "out" / "index.html"
    target.parent.mkdir()
    assert writes.link_or_write(str(source), str(target), b"<p>entry</p>")
    assert target.stat().st_ino == source.stat().st_ino
    # Linked again over itself: nothing changes, no temporary link is left beside it.
    assert writes.link_or_write(str(source), str(target), b"<p>entry</p>")
    assert sorted(p.name for p in target.parent.iterdir()) == ["index.html"]
    # Over a name that is another file's link: the name is replaced, that file is left.
    other = tmp_path / "other.html"
    other.write_bytes(b"<p>other</p>")
    os.unlink(target)
    os.link(other, target)
    assert writes.link_or_write(str(source), str(target), b"<p>entry</p>")
    assert target.read_bytes() == b"<p>entry</p>" and other.read_bytes() == b"<p>other</p>"
    assert sorted(p.name for p in target.parent.iterdir()) == ["index.html"]


def test_link_or_write_writes_the_bytes_where_links_are_refused(tmp_path):
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("needs a second file system (/dev/shm)")
    folder = shm / f"links-{os.getpid()}"
    folder.mkdir()
    try:
        source = folder / "entry.html"
        source.write_bytes(b"<p>entry</p>")
        target = tmp_path / "index.html"
        target.write_bytes(b"old")
        os.link(target, tmp_path / "old-name")
        assert not writes.link_or_write(str(source), str(target), b"<p>entry</p>")
        assert target.read_bytes() == b"<p>entry</p>" and target.stat().st_nlink == 1
        assert (tmp_path / "old-name").read_bytes() == b"old"
    finally:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


def test_unshare_removes_only_a_regular_file_with_other_links(tmp_path):
    alone, shared, link = tmp_path / "alone", tmp_path / "shared", tmp_path / "link"
    alone.write_bytes(b"a")
    shared.write_bytes(b"s")
    os.link(shared, tmp_path / "shared-too")
    link.symlink_to(shared)
    for path in (alone, link, tmp_path / "missing"):
        writes.unshare(str(path))
    assert alone.exists() and link.is_symlink()
    writes.unshare(str(shared))
    assert not shared.exists() and (tmp_path / "shared-too").read_bytes() == b"s"
