"""Search helpers: Whoosh's own postings, and the browser engine run under Node."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support.site import ROOT
from tdbvantq.search.schema import TERMS


def whoosh_matcher_postings(engine, term: str) -> list[tuple[int, int]]:
    """A term's (docnum, q) through Whoosh's own matcher API, one posting at a time
    (slow, obviously right): what the engine's fast postings reader must equal."""
    if (TERMS, term) not in engine.reader:
        return []
    matcher = engine.searcher.postings(TERMS, term)
    items = []
    while matcher.is_active():
        items.append((matcher.id(), int(matcher.weight())))
        matcher.next()
    return items


NODE_CLI = ROOT / "tests" / "js" / "search_cli.mjs"


def run_node(static_dir: Path, requests: list[dict]) -> list[dict]:
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in requests)
    done = subprocess.run(
        ["node", str(NODE_CLI), str(static_dir)],
        input=lines,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def assert_browser_equals_terminal(
    static_dir: Path, index_dir: Path, queries: list[str], *, snippets: bool = False
) -> list[dict]:
    """The browser engine (Node, over `static_dir`) and the terminal's (over `index_dir`)
    give the same total, top 5, scores and (with `snippets`) snippets for every query;
    returns the browser's answers."""
    from tdbvantq.search import SearchEngine

    browser = run_node(static_dir, [{"query": q, "limit": 5} for q in queries])
    with SearchEngine(index_dir) as engine:
        for query, answer in zip(queries, browser, strict=True):
            cli = engine.search(query, limit=5)
            assert answer["total"] == cli.total, query
            assert [r["url"] for r in answer["results"]] == [r.url for r in cli.results], query
            for mine, theirs in zip(answer["results"], cli.results, strict=True):
                assert abs(mine["score"] - theirs.score) <= 1e-4, query
                if snippets:
                    assert mine["snippet"] == theirs.snippet, query
    return browser


def search_cli(index_dir: Path, queries: list[str], *args: str, limit: int = 5) -> list[dict]:
    """`scripts/search.py`'s batch mode: one JSON answer per query."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "search.py"),
            "--index",
            str(index_dir),
            "--json",
            "--limit",
            str(limit),
            *args,
            "-",
        ],
        input="".join(q + "\n" for q in queries),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def search_urls(index_dir: Path, query: str) -> list[str]:
    """The URLs `scripts/search.py` answers for one query, as a reader sees them (10)."""
    return [hit["url"] for hit in search_cli(index_dir, [query], limit=10)[0]["results"]]
