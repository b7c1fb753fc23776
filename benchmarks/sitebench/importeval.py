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
import random
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


Counts = tuple[int, int, int, int]  # one page's (tp, fp, fn, tn)


@dataclass(frozen=True)
class PairedDifference:
    """ours − bare of one score over a set, with the interval that holds `level` of the
    differences over resamples of the set's pages."""

    difference: float
    low: float
    high: float
    level: float
    rounds: int


def paired_difference(
    ours: list[Counts],
    bare: list[Counts],
    score: Callable[[Confusion], float] = Confusion.f1,
    rounds: int = 2000,
    level: float = 0.95,
    seed: int = 0,
) -> PairedDifference:
    """How sure a difference between two extractors on one set is (paired bootstrap).

    The pages are drawn again, with replacement, as many times as the set has pages; on each
    draw both extractors are scored on the same pages, summed as the set is, and the
    difference taken. A small set or a few pages that weigh a lot give a wide interval: a
    target missed by less than the interval's width is within what another sample of pages
    would change. `seed` makes a run repeatable."""
    if len(ours) != len(bare):
        raise ValueError(f"{len(ours)} pages scored for the importer, {len(bare)} for bare")
    if not ours:
        raise ValueError("no pages to compare")

    def difference(indices) -> float:
        mine, theirs = Confusion(), Confusion()
        for index in indices:
            mine.add(ours[index])
            theirs.add(bare[index])
        return score(mine) - score(theirs)

    pages = range(len(ours))
    draw = random.Random(seed)
    differences = sorted(difference(draw.choices(pages, k=len(ours))) for _ in range(rounds))
    outside = int((1 - level) / 2 * rounds)  # differences left out at each end
    return PairedDifference(
        difference(pages), differences[outside], differences[rounds - 1 - outside], level, rounds
    )


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


# --- scrapinghub's article-extraction-benchmark and mozilla/readability's test pages -----------


@dataclass(frozen=True)
class ReferencePage:
    """A page of a set whose key is the story's text: its file, that text, its field keys."""

    name: str
    path: Path
    reference: str
    keys: dict[str, str | list[str] | None] = field(default_factory=dict)
    group: str = ""  # where the set sorts its pages (WCXB: the page type)


_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 figure figcaption blockquote pre table tr td th "
    "section article header footer dd dt".split()
)


def html_text(markup: str | bytes) -> str:
    """The visible text of an HTML document or fragment, a line break between blocks (so that
    words of two blocks never run together); scripts and styles left out. Bytes are read as
    UTF-8 when they are (readability's expected.html declares no charset), else as the
    document's own declaration says."""
    if isinstance(markup, bytes):
        try:
            markup = markup.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if isinstance(markup, str):
        markup = re.sub(r"^\s*<\?xml[^>]*\?>", "", markup)  # lxml refuses it in a str
    if not markup.strip():
        return ""
    tree = lxml_html.fromstring(markup)
    for element in tree.iter("script", "style", "noscript", "template"):
        element.drop_tree() if element.getparent() is not None else None
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    return "\n".join(norm(line) for line in tree.text_content().splitlines() if norm(line))


def shingle_counts(reference: str, result: str | None) -> tuple[float, float, float]:
    """(tp, fp, fn) of one page as scrapinghub's evaluate.py counts them: 4-word shingles
    (words: `\\w+`) with repeats, normalised so that every page weighs the same."""

    def shingles(text: str) -> Counter[tuple[str, ...]]:
        tokens = re.findall(r"\w+", text or "")
        return Counter(
            tuple(tokens[i : i + 4]) for i in range(max(1, len(tokens) - 3)) if tokens[i : i + 4]
        )

    true, pred = shingles(reference), shingles(result or "")
    tp = sum((true & pred).values())
    fp, fn = sum((pred - true).values()), sum((true - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def shingle_scores(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Precision, recall and F1 over pages as evaluate.py gives them: the mean of each page's
    precision (pages that extracted something) and recall (pages with a reference)."""

    def score(part: float, other: float, tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == part == 0 else tp / (tp + part)

    precisions = [score(fp, fn, tp, fp, fn) for tp, fp, fn in counts if tp + fp > 0]
    recalls = [score(fn, fp, tp, fp, fn) for tp, fp, fn in counts if tp + fn > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def scrapinghub_items(folder: Path, unpacked: Path) -> Iterator[ReferencePage]:
    """Every page of scrapinghub/article-extraction-benchmark (html/<id>.html.gz and
    ground-truth.json: id -> articleBody, url), in id order; each page is unpacked into
    `unpacked` (the importer reads a saved page by its file name). No title or author keys."""
    import gzip

    truth_file = folder / "ground-truth.json"
    if not truth_file.is_file() or not (folder / "html").is_dir():
        raise FileNotFoundError(
            f"{folder}: no ground-truth.json and html/ (scrapinghub article-extraction-benchmark)"
        )
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    for name in sorted(truth):
        packed = folder / "html" / f"{name}.html.gz"
        if not packed.is_file():
            raise FileNotFoundError(f"{packed}: page file not found")
        path = unpacked / f"{name}.html"
        path.write_bytes(gzip.decompress(packed.read_bytes()))
        yield ReferencePage(name, path, truth[name].get("articleBody") or "")


_BYLINE_WORD = re.compile(r"^(?:(?:written|posted|edited)\s+)?(?:by|par|von|por|di)\b[\s:]*", re.I)
_MONTH = re.compile(
    r"^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d",
    re.IGNORECASE,
)
_DEGREE = re.compile(r"^[A-Za-z]{1,3}\.?$")  # "MA", "MD", "PhD" after a comma


def byline_names(byline: str | None) -> list[str] | None:
    """The author key of a page whose metadata gives a free-text byline (readability's
    `byline`): the names it lists, or None when it lists none.

    Cut to what names the authors, as trafilatura's eval_authors compares names: the first
    line that is not a byline word alone, without what it says in parentheses (an address,
    "avec …", a middle name); a leading byline word ("By", "Written by", "Par") taken off; cut
    at a digit (a date glued on: "Lucas Nolan22 Dec 2016") or a bar; the rest split into names
    at commas, semicolons, "and", "&" (a key's "A; B"), a degree after a comma ("MA") left out.
    A label with a colon ("Last Updated: …") or a date ("April 28, 2019 …") names nobody."""
    lines = [norm(re.sub(r"\([^)]*\)", " ", line)) for line in (byline or "").splitlines()]
    lines = [line for line in lines if line and _BYLINE_WORD.sub("", line)]
    if not lines or ":" in lines[0] or _MONTH.match(lines[0]):
        return None
    text = re.split(r"[\d|]", _BYLINE_WORD.sub("", lines[0]), maxsplit=1)[0]
    parts = [norm(n) for n in re.split(r"\s*(?:[,;&]|\band\b)\s*", text)]
    names = [n for i, n in enumerate(parts) if n and not (i and _DEGREE.match(n))]
    return names or None


def readability_items(folder: Path) -> Iterator[ReferencePage]:
    """Every page of mozilla/readability's test pages (test/test-pages/<name>/ with
    source.html, expected.html and expected-metadata.json), in name order: the reference is
    expected.html's text; the keys are the metadata's title and its byline's names."""
    pages = folder / "test-pages" if (folder / "test-pages").is_dir() else folder
    found = False
    for page in sorted(pages.iterdir()) if pages.is_dir() else []:
        source, expected = page / "source.html", page / "expected.html"
        if not (source.is_file() and expected.is_file()):
            continue
        found = True
        meta_file = page / "expected-metadata.json"
        meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {}
        keys = {"title": meta.get("title"), "authors": byline_names(meta.get("byline"))}
        yield ReferencePage(page.name, source, html_text(expected.read_bytes()), keys)
    if not found:
        raise FileNotFoundError(f"{folder}: no <name>/source.html and expected.html (readability)")


def wcxb_folder(folder: Path, split: str = "test") -> Path:
    """The split folder of WCXB (ground-truth/ and html/): `folder` itself, or its `split`
    folder (test/, the held-out one, by default; dev/, the development split) when given the
    benchmark's root."""
    for candidate in (folder, folder / split):
        if (candidate / "ground-truth").is_dir() and (candidate / "html").is_dir():
            return candidate
    raise FileNotFoundError(
        f"{folder}: no ground-truth/ and html/ (nor {split}/ holding them): not WCXB "
        "(Murrough-Foley/web-content-extraction-benchmark)"
    )


def wcxb_items(folder: Path, unpacked: Path, split: str = "test") -> Iterator[ReferencePage]:
    """Every page of a WCXB split (ground-truth/<id>.json, html/<id>.html.gz; `split` names
    the one read under the benchmark's root: test or dev), in id order:
    the reference is `main_content` (the story without its headline), the keys its title, its
    author read as names (`byline_names`: "A and B" is two) and its publish_date, the group its
    page type (article, forum, product…). Each page is unpacked into `unpacked`."""
    import gzip

    root = wcxb_folder(folder, split)
    for truth_file in sorted((root / "ground-truth").glob("*.json")):
        packed = root / "html" / f"{truth_file.stem}.html.gz"
        if not packed.is_file():
            raise FileNotFoundError(f"{packed}: page file not found")
        record = json.loads(truth_file.read_text(encoding="utf-8"))
        truth = record.get("ground_truth") or {}
        kind = ((record.get("_internal") or {}).get("page_type") or {}).get("primary") or "?"
        path = unpacked / f"wcxb-{truth_file.stem}.html"
        path.write_bytes(gzip.decompress(packed.read_bytes()))
        keys = {
            "title": truth.get("title"),
            "authors": byline_names(truth.get("author")),
            "date": truth.get("publish_date"),
        }
        yield ReferencePage(truth_file.stem, path, truth.get("main_content") or "", keys, kind)


def story_text(article: Article, page_text: str) -> str:
    """The imported story's text as a set keyed by the story's body counts it: the summary
    (only where the page prints it: a sapo, not a meta description) and the body; not the
    title, which these keys leave out as bare trafilatura does."""
    parts = [article.summary] if article.summary and norm(article.summary) in page_text else []
    return "\n".join([*parts, *(block.plain for block in article.blocks if block.plain)])
