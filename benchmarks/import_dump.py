"""Dump what the importer makes of every page of the public sets, to compare two trees' code.

    PYTHONPATH=$TREE/plugins/lib:$TREE/benchmarks python $TREE/benchmarks/import_dump.py OUT.jsonl \
        [--trafilatura-eval DIR] [--wcxb DIR [--wcxb-split dev]] [--daniel DIR] [--sample N]
    python benchmarks/import_dump.py --compare OLD.jsonl NEW.jsonl

One line a page: the set, the page's file name, and the file `import_news.py` would write
(front matter and Markdown: title, date, authors, summary, source, models, tags, body) or the
refusal. Run it once with each tree's code on its PYTHONPATH (speed work must change
nothing), then `--compare` lists every page whose line differs.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
from pathlib import Path

import bench_import
from sitebench import importeval
from tdbvantq.importer.writer import article_slug, render


def dump(args: argparse.Namespace) -> int:
    for name in ("trafilatura", "htmldate", "tdbvantq.importer"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    extract = importeval.importer_extractor(bench_import.ROOT / "content")
    pages = 0
    with tempfile.TemporaryDirectory(prefix="import-dump-") as unpacked:
        sets = bench_import.public_sets(args, Path(unpacked))
        if sets is None:
            return 2
        with args.out.open("w", encoding="utf-8") as out:
            for name, bench_pages in sets.items():
                for page in bench_pages:
                    article = extract(page.path)
                    text = (
                        article
                        if isinstance(article, str)
                        else render(article, article_slug(article))
                    )
                    # A refusal names the page's path, which differs between runs.
                    text = text.replace(str(page.path), page.path.name)
                    record = {"set": name, "page": page.path.name, "text": text}
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    pages += 1
    print(f"{pages} pages -> {args.out}")
    return 0


def compare(old: Path, new: Path) -> int:
    def read(path: Path) -> dict[tuple[str, str], str]:
        lines = path.read_text(encoding="utf-8").splitlines()
        return {(r["set"], r["page"]): r["text"] for r in map(json.loads, lines)}

    before, after = read(old), read(new)
    changed = sorted(
        key for key in before.keys() | after.keys() if before.get(key) != after.get(key)
    )
    for key in changed:
        print(f"differs: {key[0]} {key[1]}")
    print(f"{len(before)} pages before, {len(after)} after, {len(changed)} differ")
    return 1 if changed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("OLD", "NEW"))
    parser.add_argument("--trafilatura-eval", type=Path)
    parser.add_argument("--daniel", type=Path)
    parser.add_argument("--wcxb", type=Path)
    parser.add_argument("--wcxb-split", choices=("test", "dev"), default="dev")
    parser.add_argument("--sample", type=int, default=1)
    args = parser.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    if args.out is None:
        parser.error("OUT.jsonl or --compare OLD NEW")
    args.scrapinghub = args.readability = None
    return dump(args)


if __name__ == "__main__":
    sys.exit(main())
