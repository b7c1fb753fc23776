"""Share cards drawn by worker processes reach the cache as they are drawn (issue 24):
the build's process never holds every card's bytes until `finish`, and a failed
build leaves neither a card nor a temporary file in the cache."""

from __future__ import annotations

import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from share_cards import CardText
from share_cards.plugin import POOL_MIN_CARDS, CardJob, start_drawing
from share_cards.worker import draw_job
from support import ROOT

FONT = str(ROOT / "theme" / "fonts" / "BeVietnamPro-Bold.ttf")
CARDS = POOL_MIN_CARDS + 70  # ~2.5 MB of PNGs: through the pool, in 15 chunks


def jobs(count: int = CARDS) -> list[CardJob]:
    return [
        CardJob(CardText(f"Tin số {n}: tổ liên gia tự quản", "Tin tức", "Trang thử"), None, f"k{n}")
        for n in range(count)
    ]


def temp_files(cache: Path) -> list[Path]:
    return sorted(cache.glob(".*.tmp")) if cache.is_dir() else []


def wait_for(condition, seconds: float = 240) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_drawn_cards_are_staged_on_disk_not_held_in_memory(tmp_path: Path) -> None:
    cache, todo = tmp_path / "cache", jobs()
    tracemalloc.start()
    try:
        drawing = start_drawing(todo, FONT, cache, workers=2)
        baseline = tracemalloc.get_traced_memory()[0]
        # Every card drawn and staged beside its name before finish(), none committed.
        assert wait_for(lambda: len(temp_files(cache)) == len(todo)), len(temp_files(cache))
        held = tracemalloc.get_traced_memory()[0] - baseline
    finally:
        tracemalloc.stop()
    staged = sum(path.stat().st_size for path in temp_files(cache))
    assert not list(cache.glob("*.png"))
    # Before issue 24 the futures held every card (held ≈ staged); now a chunk at most.
    print(f"held {held} B of {staged} B staged")
    assert held < staged / 4, (held, staged)
    drawing.finish()
    assert temp_files(cache) == []
    for job in todo[:3] + todo[-3:]:
        assert (cache / job.file_name).read_bytes() == draw_job(job, FONT)
    assert len(list(cache.glob("*.png"))) == len(todo)


def test_a_failing_card_leaves_no_card_and_no_temporary_file(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    broken = CardJob(CardText(None, "Tin tức", "Trang thử"), None, "hong")  # type: ignore[arg-type]
    drawing = start_drawing([*jobs(), broken], FONT, cache, workers=2)
    with pytest.raises(Exception):  # noqa: B017 - whatever Pillow raises for a title of None
        drawing.finish()
    assert list(cache.iterdir()) == []


def test_a_build_abandoned_before_finish_removes_its_staged_cards(tmp_path: Path) -> None:
    """What publish() does when `make serve` starts the next build after a failed one."""
    cache = tmp_path / "cache"
    drawing = start_drawing(jobs(), FONT, cache, workers=2)
    assert wait_for(lambda: len(temp_files(cache)) >= 8)
    drawing.abort()
    assert list(cache.iterdir()) == []


def test_a_process_failing_before_finish_leaves_no_temporary_file(tmp_path: Path) -> None:
    """Pelican raised while writing the pages: finish() never runs, the process exits."""
    cache = tmp_path / "cache"
    script = f"""
import time
from pathlib import Path
from share_cards import CardText
from share_cards.plugin import CardJob, start_drawing
cache = Path({str(cache)!r})
jobs = [CardJob(CardText(f"Tin {{n}}", "Tin tức", "Trang thử"), None, f"k{{n}}") for n in range(120)]
drawing = start_drawing(jobs, {FONT!r}, cache, workers=2)
deadline = time.monotonic() + 120
while len(list(cache.glob(".*.tmp"))) < 8 and time.monotonic() < deadline:
    time.sleep(0.1)
raise RuntimeError("a page failed")
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "a page failed" in result.stderr and result.returncode != 0
    assert list(cache.iterdir()) == []


def test_few_cards_are_still_drawn_in_this_process(tmp_path: Path) -> None:
    cache, todo = tmp_path / "cache", jobs(3)
    drawing = start_drawing(todo, FONT, cache, workers=2)
    assert drawing.pool is None and not cache.exists()  # drawn by finish(), here
    drawing.finish()
    assert [path.name for path in sorted(cache.iterdir())] == ["k0.png", "k1.png", "k2.png"]
