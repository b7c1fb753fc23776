"""Authors on trafilatura's evaluation set: the importer against bare trafilatura.

    python benchmarks/sitebench/bylineeval.py DIR [--sample N] [--list]

DIR is adbar/trafilatura's tests/ folder (evaldata.json with eval/ and cache/). A page
with an author key counts as right when the authors, joined with "; " (as trafilatura
joins several), equal the key, as trafilatura's tests/eval_authors.py scores itself; and
again with letter case and spaces set aside (the importer writes "TANJA KARRASCH" as
"Tanja Karrasch").
Pages without a key are counted where an author was published anyway; --list prints
every published author that differs from the key (or that has no key), for reading.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import trafilatura

from sitebench import importeval

ROOT = Path(__file__).resolve().parents[2]


def _gold(item: dict) -> str:
    author = item.get("author") or ""
    return "; ".join(author) if isinstance(author, list) else author


def _same(found: str, gold: str) -> bool:
    """Equal but for letter case and spaces (keys keep "TANJA KARRASCH", "Sara Zinnecker ")."""
    return " ".join(found.casefold().split()) == " ".join(gold.casefold().split())


def _bare(path: Path) -> str:
    try:
        result = trafilatura.bare_extraction(
            path.read_bytes(), output_format="python", with_metadata=True
        )
    except Exception:  # noqa: BLE001 - a crash counts as a miss, as in eval_authors.py
        return ""
    return (result.author or "") if result is not None else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, metavar="DIR")
    parser.add_argument("--sample", type=int, default=1, metavar="N")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args(argv)
    if not (args.folder / "evaldata.json").is_file():
        print(f"error: {args.folder}: no evaldata.json", file=sys.stderr)
        return 2
    for name in ("trafilatura", "htmldate", "tdbvantq.importer"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    extract = importeval.importer_extractor(ROOT / "content")
    keyed = right = bare_right = same = bare_same = wrong = bare_wrong = unkeyed = (
        published_unkeyed
    ) = 0
    for url, item, path in list(importeval.trafilatura_items(args.folder))[:: args.sample]:
        article = extract(path)
        ours = "" if isinstance(article, str) else "; ".join(article.authors)
        gold = _gold(item)
        if gold:
            keyed += 1
            bare = _bare(path)
            right += ours == gold
            bare_right += bare == gold
            same += _same(ours, gold)
            bare_same += _same(bare, gold)
            wrong += bool(ours) and not _same(ours, gold)
            bare_wrong += bool(bare) and not _same(bare, gold)
        else:
            unkeyed += 1
            published_unkeyed += bool(ours)
        if args.list and not _same(ours, gold):
            bare = _bare(path)
            print(
                f"{url}\n    ours: {ours or '-'}\n    bare: {bare or '-'}\n    key:  {gold or '-'}"
            )
    print(f"== authors on trafilatura's set: {keyed} pages with an author key ({unkeyed} without)")
    print("                   exact   case/spaces aside   other names published")
    print(f"importer:          {right / keyed:.3f}   {same / keyed:.3f}               {wrong}")
    print(
        f"bare trafilatura:  {bare_right / keyed:.3f}   {bare_same / keyed:.3f}               {bare_wrong}"
    )
    print(f"pages without a key where the importer published an author: {published_unkeyed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
