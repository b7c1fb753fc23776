"""Search the site's index from the terminal.

    python scripts/search.py [--index DIR] [--limit N] [--model SLUG] [--year YYYY] [--json] QUERY

QUERY `-` reads one query per line from standard input and answers each with
one JSON line. The index is built by `make html`.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from vnsearch import IndexMissing, SearchEngine, SearchResponse  # noqa: E402

DEFAULT_INDEX = ROOT / "search-index"
_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def default_index_dir() -> Path:
    """SEARCH_INDEX_DIR from pelicanconf.py when it can be read, else search-index/."""
    try:
        sys.path.insert(0, str(ROOT))
        import pelicanconf  # noqa: PLC0415 - optional, the settings may not import

        return Path(getattr(pelicanconf, "SEARCH_INDEX_DIR", DEFAULT_INDEX))
    except Exception:
        return DEFAULT_INDEX
    finally:
        sys.path.remove(str(ROOT))


def snippet_for_terminal(snippet: str, tty: bool) -> str:
    """<mark> becomes bold yellow on a terminal, [brackets] elsewhere; entities unescaped."""
    start, end = ("\033[1;33m", "\033[0m") if tty else ("[", "]")
    marked = _MARK.sub(lambda m: "\0" + m.group(1) + "\1", snippet)
    return html.unescape(marked).replace("\0", start).replace("\1", end)


def format_human(response: SearchResponse, tty: bool) -> str:
    lines = [f"{response.total} kết quả cho «{response.query}»"]
    for result in response.results:
        date = result.date[:10] if result.date else "—"
        kind = " [mô hình]" if result.kind == "model" else ""
        lines.append(f"{result.rank}. {result.title}{kind} ({date})")
        lines.append(f"   {result.url}")
        if result.snippet:
            lines.append(f"   {snippet_for_terminal(result.snippet, tty)}")
    for label, key in (("Mô hình", "models"), ("Năm", "years")):
        counts = response.facets.get(key) or {}
        if counts:
            lines.append(f"{label}: " + ", ".join(f"{k} ({v})" for k, v in counts.items()))
    return "\n".join(lines)


def run_batch(engine: SearchEngine, stream: TextIO, out: TextIO, **options) -> None:
    for line in stream:
        query = line.rstrip("\r\n")
        out.write(json.dumps(engine.search(query, **options).to_json(), ensure_ascii=False) + "\n")
        out.flush()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--index", type=Path, default=None, help="index folder (default: SEARCH_INDEX_DIR)"
    )
    parser.add_argument("--limit", type=int, default=10, help="results to show (default 10)")
    parser.add_argument("--model", default=None, help="only documents about this model (slug)")
    parser.add_argument("--year", default=None, help="only documents from this year (YYYY)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("query", help="the query; '-' reads one query per line from stdin")
    args = parser.parse_args(argv)
    if args.limit < 0:
        parser.error("--limit must be 0 or more")
    if args.year is not None and not re.fullmatch(r"\d{4}", args.year):
        parser.error(f"--year must be four digits, got {args.year!r}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    index_dir = args.index or default_index_dir()
    try:
        engine = SearchEngine(index_dir)
    except IndexMissing as error:
        print(f"search: {error}. Build it with `make html`.", file=sys.stderr)
        return 1
    options = {"limit": args.limit, "model": args.model, "year": args.year}
    try:
        with engine:
            if args.query == "-":
                run_batch(engine, sys.stdin, sys.stdout, **options)
                return 0
            response = engine.search(args.query, **options)
    except Exception as error:  # a damaged index, not the user's query
        print(
            f"search: {index_dir}: unreadable index ({error}). Rebuild it with `make html`.",
            file=sys.stderr,
        )
        return 1
    if args.json:
        print(json.dumps(response.to_json(), ensure_ascii=False, indent=2))
    elif not args.query.strip():
        print("Hãy nhập từ khóa tìm kiếm.", file=sys.stderr)
        return 0
    else:
        print(format_human(response, sys.stdout.isatty()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
