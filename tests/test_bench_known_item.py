"""bench_known_item end to end on 20 stories of the news corpus (the real build,
scripts/search.py, plain Whoosh; Pagefind is a benchmark-only dependency)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.shared_data
def test_known_item_benchmark_runs_end_to_end_on_20_stories(tmp_path):
    scores = tmp_path / "scores.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_known_item.py"),
            "--articles",
            "20",
            "--queries",
            "5",
            "--no-pagefind",
            "--workdir",
            str(tmp_path / "work"),
            "--json",
            str(scores),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "20 news stories" in done.stdout
    engines = {e["engine"]: e for e in json.loads(scores.read_text(encoding="utf-8"))}
    assert set(engines) == {"project (scripts/search.py)", "plain Whoosh"}
    for engine in engines.values():
        columns = engine["columns"]
        assert list(columns) == [
            "titles, typed",
            "titles, no diacritics",
            "body phrases, no diacritics",
            "body phrases, typed",
        ]
        assert all(c["queries"] == 5 for c in columns.values())
    # Four words only one title holds, typed as in the title: the story is in the top 10.
    assert engines["project (scripts/search.py)"]["columns"]["titles, typed"]["recall10"] == 1
    assert engines["plain Whoosh"]["columns"]["titles, typed"]["recall10"] == 1
