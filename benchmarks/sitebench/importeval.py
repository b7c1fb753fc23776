"""Scoring the importer on public test sets, the way each set's own project scores itself.

- trafilatura's evaluation set (adbar/trafilatura, tests/evaldata.json with eval/ and cache/):
  each page lists text chunks that must be in the extraction ("with") and chunks that
  must not ("without"); whitespace-normalised substring matching gives tp/fp/fn/tn
  (as tests/eval_common.py `count_item` does). A refused page extracts nothing.
- htmldate's evaluation sets (adbar/htmldate, tests/eval_default.json and
  eval_mediacloud_2020.json with test_set/, cache/, eval/): the published day must
  equal the reference ("YYYY-MM-DD"); tp/fp/tn/fn as tests/evaluation.py
  `evaluate_result` does; accuracy is (tp + tn) / all.
- The DAnIEL corpus (rundimeco/waddle, corpora/Corpus_daniel_v2.1: html/, reference/ and
  doc_lg.json; English, Chinese, Russian, Greek and Polish news pages): the reference text's
  words against the extraction's, counted with repeats as waddle's `occ_eval` does (a Chinese
  or Japanese character is a word); summed over pages into precision, recall and F1. A
  refused page extracts nothing.
- Fields (title, authors, date) wherever a set has a key for them: right or wrong per page.
- Vietnamese pages with an answer key (expected.json): field by field.

The importer is called through `newsimport.Importer.articles`, the path `import_news.py`
takes for a saved page (nothing is written).
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lxml import html as lxml_html

from tdbvantq.importer import Importer
from tdbvantq.importer.article import Article
from tdbvantq.importer.steps import DEFAULT_STEPS, ImportSteps

Extractor = Callable[[Path], "Article | str"]


# --- trafilatura's set ------------------------------------------------------------------------


def norm(text: str) -> str:
    """Whitespace-normalised, as trafilatura's evaluation compares chunks."""
    return re.sub(r"\s+", " ", text).strip()


def count_item(item: dict, result: str | None) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) of one page: "with" chunks found, "without" chunks found..."""
    if isinstance(result, str):
        text = norm(result)
        tp = sum(1 for chunk in item["with"] if norm(chunk) in text)
        fp = sum(1 for chunk in item["without"] if norm(chunk) in text)
    else:
        tp = fp = 0
    return tp, fp, len(item["with"]) - tp, len(item["without"]) - fp


@dataclass
class Confusion:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, counts: tuple[int, int, int, int]) -> None:
        tp, fp, fn, tn = counts
        self.tp, self.fp, self.fn, self.tn = self.tp + tp, self.fp + fp, self.fn + fn, self.tn + tn

    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def accuracy(self) -> float:
        total = self.tp + self.fp + self.fn + self.tn
        return (self.tp + self.tn) / total if total else 0.0

    def f1(self) -> float:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else 0.0


def article_text(article: Article) -> str:
    """What the imported story says: title, summary, body paragraphs and captions."""
    return article.plain_text()


def trafilatura_items(folder: Path) -> Iterator[tuple[str, dict, Path]]:
    """(url, annotation, page file) for every page of the set, in URL order."""
    data = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    for url in sorted(data):
        item = data[url]
        path = next(
            (
                folder / sub / item["file"]
                for sub in ("cache", "eval")
                if (folder / sub / item["file"]).is_file()
            ),
            None,
        )
        if path is None:
            raise FileNotFoundError(f"{url}: page file not found: {item['file']}")
        yield url, item, path


# --- htmldate's sets --------------------------------------------------------------------------


def date_outcome(result: str | None, reference: str | None) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) of one page, as htmldate's evaluate_result counts them (which
    counts a page without a reference date and without a result as both tn and fn)."""
    if result is None:
        return (0, 0, 1, 1) if reference is None else (0, 0, 1, 0)
    return (1, 0, 0, 0) if result == reference else (0, 1, 0, 0)


def published_day(article: Article | str) -> str | None:
    """The day the imported story gives as its publication, "YYYY-MM-DD", or None."""
    if isinstance(article, str) or article.date is None:
        return None
    return f"{article.date:%Y-%m-%d}"


def htmldate_items(folder: Path, names: tuple[str, ...]) -> Iterator[tuple[str, dict, Path]]:
    for name in names:
        data = json.loads((folder / name).read_text(encoding="utf-8"))
        for url, item in data.items():
            path = next(
                (
                    folder / sub / item["file"]
                    for sub in ("test_set", "cache", "eval")
                    if (folder / sub / item["file"]).is_file()
                ),
                None,
            )
            if path is None:
                raise FileNotFoundError(f"{url}: page file not found: {item['file']}")
            yield url, item, path


def read_like_htmldate(path: Path) -> str | bytes:
    """The page as htmldate's evaluation reads it: UTF-8 text, else a detected encoding."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import detect

        encoding = detect(data)["encoding"]
        if encoding:
            try:
                return data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                pass
        return data


# --- the DAnIEL corpus ------------------------------------------------------------------------

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
_REFERENCE_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class DanielPage:
    name: str
    language: str
    path: Path
    reference: str  # the reference text, one paragraph a line


def words(text: str | None) -> Counter[str]:
    """The words of a text with their counts: letters and digits between separators, each
    Chinese or Japanese character on its own (those scripts do not separate words)."""
    return Counter(_WORD.findall(unicodedata.normalize("NFC", text or "").casefold()))


def count_words(reference: Counter[str], result: str | None) -> tuple[int, int, int, int]:
    """(tp, fp, fn, 0) of one page: words of the result that the reference has (as often as
    it has them), words it does not, reference words missing."""
    found = words(result) if result is not None else Counter()
    tp = sum((reference & found).values())
    return tp, sum(found.values()) - tp, sum(reference.values()) - tp, 0


def reference_text(raw: str) -> str:
    """A DAnIEL reference file (`<p>…</p>` lines) as plain text, one paragraph a line."""
    return "\n".join(norm(html.unescape(p)) for p in _REFERENCE_PARAGRAPH.findall(raw))


def daniel_items(folder: Path) -> Iterator[DanielPage]:
    """Every page of html/ that has a reference, in name order, with its language
    (doc_lg.json; "?" when it does not say)."""
    html_dir, reference_dir = folder / "html", folder / "reference"
    if not html_dir.is_dir() or not reference_dir.is_dir():
        raise FileNotFoundError(f"{folder}: no html/ and reference/ folders (DAnIEL corpus)")
    lg_file = folder / "doc_lg.json"
    languages = json.loads(lg_file.read_text(encoding="utf-8")) if lg_file.is_file() else {}
    for path in sorted(html_dir.iterdir()):
        reference = reference_dir / path.name
        if path.is_file() and reference.is_file():
            raw = reference.read_text(encoding="utf-8", errors="replace")
            yield DanielPage(
                path.name, str(languages.get(path.name, "?")), path, reference_text(raw)
            )


# --- fields ------------------------------------------------------------------------------------

FIELDS = ("title", "authors", "date")


def _key_names(value: str | list[str] | None) -> list[str]:
    names = value if isinstance(value, list) else re.split(r"\s*[;,]\s*", value or "")
    return sorted(norm(n).casefold() for n in names if norm(n))


def field_right(
    name: str, found: str | list[str] | None, key: str | list[str] | None
) -> bool | None:
    """Whether a field is right on one page; None when the set has no key for it there.

    title: the same text (whitespace and case aside); authors: the same names in any order
    (a key's "A; B" is two names); date: the same day ("YYYY-MM-DD")."""
    if not key:
        return None
    if name == "title":
        return norm(str(found or "")).casefold() == norm(str(key)).casefold()
    if name == "authors":
        return _key_names(found) == _key_names(key)
    return (str(found) if found else "")[:10] == str(key)[:10]


def article_fields(article: Article | str) -> dict[str, str | list[str] | None]:
    """Title, authors and publication day of an imported story (none for a refusal)."""
    if isinstance(article, str):
        return dict.fromkeys(FIELDS)
    return {
        "title": article.title,
        "authors": list(article.authors),
        "date": published_day(article),
    }


@dataclass
class FieldScore:
    """Per field: pages with a key and pages right."""

    right: Counter[str] = field(default_factory=Counter)
    keyed: Counter[str] = field(default_factory=Counter)

    def add(self, name: str, outcome: bool | None) -> None:
        if outcome is not None:
            self.keyed[name] += 1
            self.right[name] += outcome

    def share(self, name: str) -> float | None:
        return self.right[name] / self.keyed[name] if self.keyed[name] else None


# --- the importer -----------------------------------------------------------------------------


def importer_extractor(content_dir: Path, steps: ImportSteps = DEFAULT_STEPS) -> Extractor:
    """A saved page -> its Article as `import_news.py` would write it, or the refusal.
    `steps`: which of the importer's steps run (the ablation switches them off one by one)."""
    importer = Importer(content_dir, dry_run=True, steps=steps)

    def extract(path: Path) -> Article | str:
        results = list(importer.articles(str(path)))
        return results[0][1] if results else f"{path}: nothing imported"

    return extract


# --- Vietnamese pages with an answer key ------------------------------------------------------


def _starts(text: str | None, prefix: str) -> bool:
    return norm(text or "").startswith(norm(prefix))


def _authors(article: Article) -> list[str]:
    return list(article.authors)


def captions_printed_as_paragraphs(page: bytes, key: dict) -> int:
    """How many of the key's captions the page prints in a <p> (VnExpress's p.Image).

    The answer key counts those among the page's paragraphs; the importer rightly gives
    them as the photo's caption, so they are added back when counting paragraphs."""
    tree = lxml_html.fromstring(page)
    printed = [" ".join(p.text_content().split()) for p in tree.iter("p")]
    return sum(any(text.startswith(start) for text in printed) for start in key["captions"])


def score_page(article: Article | str, key: dict, captions_in_p: int = 0) -> dict[str, bool]:
    """Field -> right or wrong, for one page and its answer key (a refused page fails all).

    `captions_in_p`: captions the page printed as paragraphs (captions_printed_as_paragraphs)."""
    fields = [
        "title",
        "published",
        "authors",
        "summary",
        "first_paragraph",
        "last_paragraph",
        "paragraph_count",
        "captions",
        "no_clutter",
    ]
    if isinstance(article, str):
        return dict.fromkeys(fields, False)
    paragraphs = [block.plain for block in article.blocks if block.kind == "p"]
    captions = [
        block.figure.caption for block in article.blocks if block.kind == "figure" and block.figure
    ]
    if article.image:
        captions.insert(0, article.image.caption)
    text = norm(article_text(article))
    published = datetime.fromisoformat(key["published"])
    last = key.get("last_paragraph_starts")
    return {
        "title": norm(article.title) == norm(key["title"]),
        "published": isinstance(article.date, datetime)
        and article.date == published
        and article.date.utcoffset() == published.utcoffset(),
        "authors": _authors(article) == key["authors"],
        "summary": _starts(article.summary, key["summary_starts"]),
        "first_paragraph": bool(paragraphs)
        and _starts(paragraphs[0], key["first_paragraph_starts"]),
        "last_paragraph": last is None or (bool(paragraphs) and _starts(paragraphs[-1], last)),
        "paragraph_count": len(paragraphs) + captions_in_p == key["paragraph_count"],
        "captions": all(any(_starts(c, want) for c in captions) for want in key["captions"]),
        "no_clutter": not any(norm(junk) in text for junk in key["clutter"]),
    }
