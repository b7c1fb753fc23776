"""Import news stories into content/articles/ as clean Markdown.

    python scripts/import_news.py [--content DIR] [--dry-run] [--force] [--json]
                                  [--source-url URL] SOURCE...

SOURCE: an article URL, a saved .html page, a .txt browser copy of a page, or an RSS/Atom
feed or sitemap (URL or file). Exit status: 0 all imported, 1 a source failed, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from newsimport import Result, import_sources  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="import_news.py",
        description="Import news stories (URL, .html, .txt copy, RSS/Atom feed, sitemap) "
        "into content/articles/ as Markdown.",
    )
    parser.add_argument("sources", nargs="+", metavar="SOURCE")
    parser.add_argument("--content", default="content", type=Path, help="content folder (content/)")
    parser.add_argument("--dry-run", action="store_true", help="write nothing, report what would change")
    parser.add_argument("--force", action="store_true", help="overwrite articles edited by hand")
    parser.add_argument("--json", action="store_true", help="one JSON object per article on stdout")
    parser.add_argument("--source-url", metavar="URL", help="original URL of a .txt/.html source")
    args = parser.parse_args(argv)
    if args.source_url and not args.source_url.startswith(("http://", "https://")):
        parser.error(f"--source-url must be an http(s) URL, got {args.source_url!r}")
    if args.source_url and len(args.sources) != 1:
        parser.error("--source-url applies to exactly one SOURCE")
    return args


class Progress:
    """One line per article on stderr; a redrawn bar when stderr is a terminal."""

    def __init__(self, stream=sys.stderr) -> None:
        self.stream = stream
        self.tty = stream.isatty()

    def __call__(self, result: Result, done: int, total: int) -> None:
        where = result.path or ""
        if self.tty and total > 1:
            filled = round(20 * done / total)
            bar = "#" * filled + "." * (20 - filled)
            self.stream.write(f"\r[{bar}] {done}/{total} {result.status:<9}")
            if done == total:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{done}/{total}] {result.status}: {where or result.source}\n")
        if result.error:
            self._line(f"error: {result.error}")
        for warning in result.warnings:
            self._line(f"warning: {result.source}: {warning}")
        for name in result.unknown_models:
            self._line(f"note: {result.source}: quoted name not in the model catalogue: “{name}”")
        self.stream.flush()

    def _line(self, text: str) -> None:
        if self.tty:
            self.stream.write("\r\033[K")
        self.stream.write(text + "\n")


def summary_line(results: list[Result]) -> str:
    counts = {status: 0 for status in ("created", "updated", "unchanged", "failed")}
    for result in results:
        counts[result.status] += 1
    parts = ", ".join(f"{n} {status}" for status, n in counts.items())
    return f"{len(results)} article(s): {parts}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results = import_sources(
        args.sources,
        args.content,
        dry_run=args.dry_run,
        force=args.force,
        source_url=args.source_url,
        progress=Progress(),
    )
    if args.json:
        for result in results:
            print(json.dumps(result.as_json(), ensure_ascii=False))
    prefix = "dry run, nothing written: " if args.dry_run else ""
    print(prefix + summary_line(results), file=sys.stderr)
    return 1 if any(result.status == "failed" for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
