"""Issue 11 at the level of the libraries: the one writer (safe_write), the
index's checksums and commit point (vnsearch.store), and `--fix` touching
prose only (contentcheck). Every test writes real files in a temporary folder."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import ROOT
from tdbvantq.check import FixRefused, check_paths, fix_text
from tdbvantq.check.fixer import write_fix
from tdbvantq.search import SearchDocument, build_index, current_generation, search
from tdbvantq.search.store import PendingGenerations
from tdbvantq.writes import (
    AtomicBatch,
    exclusive_lock,
    keep_cache,
    move_into_place,
    remove_in_background,
    swap_directory,
)

# --- one writer ------------------------------------------------------------------------


def test_only_safe_write_renames_files() -> None:
    """os.replace/os.rename/Path.rename appear in plugins/lib/tdbvantq/writes and nowhere else."""
    pattern = re.compile(r"os\.replace\(|os\.rename\(|\.rename\(|shutil\.move\(")
    offenders = []
    for folder in ("plugins", "scripts", "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            if "writes" in path.parts or path.name == "test_reliability_units.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_batch_puts_every_file_in_place_or_none(tmp_path: Path) -> None:
    old = tmp_path / "t" / "a.json"
    old.parent.mkdir()
    old.write_bytes(b"old")
    batch = AtomicBatch()
    for i in range(40):  # above the threshold: one syncfs for all
        batch.put(tmp_path / "t" / f"{i}.json", f"{i}".encode())
    batch.put(old, b"new")
    assert old.read_bytes() == b"old"  # nothing is in place before commit
    batch.commit()
    assert old.read_bytes() == b"new" and (tmp_path / "t" / "39.json").read_bytes() == b"39"
    assert not list(tmp_path.rglob("*.tmp"))

    with pytest.raises(RuntimeError), AtomicBatch() as failing:
        failing.put(old, b"half")
        raise RuntimeError("the export failed")
    assert old.read_bytes() == b"new" and not list(tmp_path.rglob("*.tmp"))


def test_swap_directory_replaces_a_tree_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target, new = tmp_path / "output", tmp_path / "output.staging-1"
    (target / "old").mkdir(parents=True)
    (new / "new").mkdir(parents=True)
    swap_directory(new, target)
    assert (target / "new").is_dir() and not (target / "old").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_swap_directory_hands_the_old_tree_to_a_background_removal(tmp_path: Path) -> None:
    """The new site is in place and the index committed before the old tree is handed
    over; the handed tree is no longer a killed build's `.old-*`, and is removed."""
    target, new = tmp_path / "output", tmp_path / "output.staging-1"
    (target / "old" / "deep").mkdir(parents=True)
    (target / "old" / "deep" / "page.html").write_text("old")
    (new / "new").mkdir(parents=True)
    seen: list[tuple[str, list[str]]] = []

    def commit() -> None:
        seen.append(("commit", sorted(p.name for p in tmp_path.iterdir())))

    def hand_over(folder: Path) -> None:
        assert (target / "new").is_dir() and (folder / "output" / "old" / "deep").is_dir()
        seen.append(("remove", [folder.name.split("-")[0]]))
        remove_in_background(folder)

    swap_directory(new, target, then=commit, remove_old=hand_over)
    assert seen[0][0] == "commit" and seen[1] == ("remove", ["output.trash"])
    deadline = time.monotonic() + 30
    while len(list(tmp_path.iterdir())) > 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]
    assert (target / "new").is_dir()


def test_keep_cache_touches_and_scans_at_most_once_a_day(tmp_path: Path) -> None:
    """A used entry is marked as used only when it is a day old, the folder is scanned
    for unused entries once a day, and an entry in use is never removed."""
    now, day = time.time(), 86400
    ages = {"fresh": 3600, "day-old": 2 * day, "used-long-ago": 40 * day, "unused": 40 * day}
    for name, age in ages.items():
        (tmp_path / name).write_text(name)
        os.utime(tmp_path / name, (now - age, now - age))
    used = {tmp_path / n: now - ages[n] for n in ("fresh", "day-old", "used-long-ago")}
    assert keep_cache(tmp_path, used, 30) == [tmp_path / "unused"]  # first: scanned
    assert (tmp_path / "fresh").stat().st_mtime == pytest.approx(now - 3600)  # left as it was
    for name in ("day-old", "used-long-ago"):
        assert (tmp_path / name).stat().st_mtime > now - 600
    (tmp_path / "unused").write_text("again")
    os.utime(tmp_path / "unused", (now - 40 * day, now - 40 * day))
    assert keep_cache(tmp_path, {}, 30) == []  # scanned today already
    os.utime(tmp_path / "last-pruned", (now - 2 * day, now - 2 * day))
    assert keep_cache(tmp_path, {}, 30) == [tmp_path / "unused"]
    assert keep_cache(tmp_path / "missing", {}, 30) == []  # no folder: an empty cache


def test_move_into_place_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with pytest.raises(FileExistsError):
        move_into_place(tmp_path / "a", tmp_path / "b")
    move_into_place(tmp_path / "a", tmp_path / "c")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b", "c"]


def test_lock_is_exclusive_across_processes_and_dies_with_its_holder(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from tdbvantq.writes import exclusive_lock\n"
            f"with exclusive_lock(Path({str(tmp_path)!r})):\n print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with exclusive_lock(tmp_path, wait=False) as free:
            assert free is False
        holder.kill()
        holder.wait(timeout=10)
        with exclusive_lock(tmp_path, wait=False) as free:
            assert free is True
    finally:
        holder.kill()
        holder.stdout.close()


# --- index integrity and the commit point ---------------------------------------------------


def docs(words: str = "hồng hạc") -> list[SearchDocument]:
    return [
        SearchDocument(
            id=f"article:{i}/",
            kind="article",
            url=f"{i}/",
            title=f"Bài {i} về {words}",
            body=f"Nội dung {i}: tổ tự quản {words}.",
        )
        for i in range(5)
    ]


def test_manifest_holds_a_checksum_of_every_file(tmp_path: Path) -> None:
    build_index(tmp_path, docs())
    generation = current_generation(tmp_path)
    manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["checksums"]) == set(manifest["files"]) and manifest["files"]


def test_flipped_byte_in_a_segment_is_found_and_rebuilt(tmp_path: Path, caplog) -> None:
    build_index(tmp_path, docs())
    segment = next(current_generation(tmp_path).glob("*.seg"))
    data = bytearray(segment.read_bytes())
    data[len(data) // 2] ^= 0xFF
    segment.write_bytes(bytes(data))
    report = build_index(tmp_path, docs())
    assert report.written and report.added == 5
    assert segment.name in report.rebuilt_reason and "checksum" in report.rebuilt_reason
    assert any(segment.name in r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    assert search(tmp_path, "hong hac").total == 5


def test_deferred_generation_becomes_current_only_on_commit(tmp_path: Path) -> None:
    build_index(tmp_path, docs())
    before = current_generation(tmp_path).name
    pending = PendingGenerations()
    report = build_index(tmp_path, docs("chim cánh cụt"), pending=pending)
    # The build, holding `pending`, reads its new generation; CURRENT still names the old one.
    assert current_generation(tmp_path, pending).name == report.generation != before
    assert current_generation(tmp_path).name == before
    assert json.loads((tmp_path / "CURRENT").read_text())["generation"] == before
    # Never committed (a failed build): nothing changed for anyone else.
    assert search(tmp_path, "canh cut").total == 0

    pending = PendingGenerations()
    report = build_index(tmp_path, docs("chim cánh cụt"), pending=pending)
    pending.commit()
    assert current_generation(tmp_path).name == report.generation
    assert search(tmp_path, "canh cut").total == 5


# --- --fix touches prose only ------------------------------------------------------------------

ARTICLE = """\
Title: Hoà giải ở cơ sở
Date: 2023-08-03 08:57+07:00
Author: Nguyễn Thị Thuý
Source: https://vi.wikipedia.org/wiki/Hoà_Bình
Category: Tin tức
Summary: Tổ hoà giải của phường làm việc mỗi tuần với người dân ở cơ sở.

Chị Thuý kể: tổ hoà giải đã làm tốt.{br}
Dòng sau vẫn trong đoạn.

![ảnh hoà]({{static}}/images/hoa/ảnh-hoà.jpg)

Xem https://vi.wikipedia.org/wiki/Hoà_Bình và lệnh `hoà` <a href="/hoà/">hoà</a>.

    mã thuỷ lợi hoà

```
hoà
```

Ông Ðorđević đến thăm. Hoà bình ở khu phố.
"""


def make_article(tmp_path: Path) -> Path:
    (tmp_path / "images" / "hoa").mkdir(parents=True)
    (tmp_path / "images" / "hoa" / "ảnh-hoà.jpg").write_bytes(b"\xff\xd8")
    path = tmp_path / "articles" / "2023" / "hoa-giai.md"
    path.parent.mkdir(parents=True)
    path.write_text(ARTICLE.format(br="  "), encoding="utf-8")
    return path


def test_fix_changes_prose_and_nothing_else(tmp_path: Path) -> None:
    path = make_article(tmp_path)
    fixed, _ = fix_text(path.read_text(encoding="utf-8"), path)
    expected = (
        ARTICLE.format(br="  ")
        .replace("Title: Hoà", "Title: Hòa")
        .replace("Tổ hoà giải", "Tổ hòa giải")
        .replace("tổ hoà giải", "tổ hòa giải")
        .replace("![ảnh hoà]", "![ảnh hòa]")
        .replace(">hoà</a>", ">hòa</a>")
        .replace(". Hoà bình", ". Hòa bình")
    )
    assert fixed == expected
    # Kept: the Author, the Source URL, the photo's path, URLs, code, the name
    # inside a sentence, the foreign name's letter, the two spaces of a line break.
    for kept in (
        "Author: Nguyễn Thị Thuý",
        "wiki/Hoà_Bình",
        "ảnh-hoà.jpg",
        "`hoà`",
        'href="/hoà/"',
        "    mã thuỷ lợi hoà",
        "\nhoà\n",
        "Chị Thuý",
        "Ðorđević",
        "làm tốt.  \n",
    ):
        assert kept in fixed, kept


def test_names_are_warned_about_and_paths_not_reported(tmp_path: Path) -> None:
    path = make_article(tmp_path)
    report = check_paths([path], content_root=tmp_path)
    names = [p for p in report.problems if p.code == "name-spelling"]
    assert {p.line for p in names} == {3, 8, 21} and all(not p.is_error for p in names)
    tone = {p.line for p in report.problems if p.code == "tone-placement"}
    assert tone == {1, 6, 8, 11, 13, 21}  # prose on those lines; never the URL, path or code lines
    assert not [p for p in report.problems if p.code == "trailing-space"]  # a line break
    assert not [p for p in report.problems if p.code == "broken-link"]


def test_fix_command_keeps_every_link_resolving(tmp_path: Path) -> None:
    path = make_article(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "check_content.py"),
            "--fix",
            str(path),
            "--content",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr
    text = path.read_text(encoding="utf-8")
    assert "{static}/images/hoa/ảnh-hoà.jpg" in text and "Hòa bình" in text
    after = check_paths([path], content_root=tmp_path)
    assert not [p for p in after.problems if p.code in ("broken-link", "tone-placement")]


def test_a_fix_that_breaks_a_link_is_not_written(tmp_path: Path) -> None:
    """The guard behind every fix: the build's checks and the link check before and after."""
    path = make_article(tmp_path)
    before = path.read_text(encoding="utf-8")
    overeager = before.replace("ảnh-hoà.jpg", "ảnh-hòa.jpg")  # what the old --fix did
    with pytest.raises(FixRefused) as refused:
        write_fix(path, before, overeager, tmp_path)
    assert any("ảnh-hòa.jpg" in reason for reason in refused.value.reasons)
    assert path.read_text(encoding="utf-8") == before
    unreal = before.replace("+07:00", "+99:00")
    with pytest.raises(FixRefused):
        write_fix(path, before, unreal, tmp_path)
    assert sorted(os.listdir(path.parent)) == ["hoa-giai.md"]
