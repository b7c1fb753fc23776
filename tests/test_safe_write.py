"""Atomic writes: complete files or nothing, never a stray temporary file."""

import pytest

from tdbvantq.writes import write_atomically


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
