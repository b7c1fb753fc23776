"""The importer's own steps on top of trafilatura, as switches passed down the pipeline.

Each step can be switched off (the benchmark measures every step switched off, issue 22),
or made to apply only to Vietnamese pages when it helps there and costs precision on pages
of other languages. No global state: an `ImportSteps` value travels with the call.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache

from tdbvantq.text import fold
from tdbvantq.text.text import QUALITY_MARKS, TONE_MARKS

# Letters only Vietnamese writes: a vowel carrying a quality mark and a tone mark (ệ, ố,
# ữ…), or ơ, ư, ă, đ. French, Polish or Greek accents never give these.
_VIETNAMESE_ONLY = frozenset("đĐ")
_HORN_BREVE = frozenset("\u031b\u0306")  # ơ ư / ă
_MIN_SHARE = 0.3  # of the words: Vietnamese marks most of its syllables


@dataclass(frozen=True)
class ImportSteps:
    """Which of the importer's steps run. Default: all, on pages of every language.

    restore_dropped: put back photos and subheads that trafilatura left out;
    story_photos: where restore_dropped does not run, put back the story's photos only (no
      subheads): a page in another language keeps its photos;
    captions: give photos their printed caption and drop its copy as a paragraph;
    chrome_teasers: drop story teasers printed in the page's chrome;
    clutter_boxes: drop blocks printed inside related/widget boxes (and outside the site's
      body element);
    link_clutter: drop blocks that are mostly links;
    site_banner: drop lines that only name the site;
    site_rules: use the content folder's data/sites.toml;
    templates: drop text blocks a host prints in several stories (batch imports only);
    byline_first: the byline printed in the body before the author markup/metadata;
    clean_blocks: the press rules of finish (clutter lines, end markers, repeated title/sapo);
    summary: the sapo (lede) or page description as the story's summary; on a page that is
      not Vietnamese only one printed on the page and not repeated by the body;
    images: ask trafilatura for the body's photos (it then keeps more of the page's text).

    `vietnamese_only` names steps that run only on Vietnamese pages."""

    restore_dropped: bool = True
    story_photos: bool = True
    captions: bool = True
    chrome_teasers: bool = True
    clutter_boxes: bool = True
    link_clutter: bool = True
    site_banner: bool = True
    site_rules: bool = True
    templates: bool = True
    byline_first: bool = True
    clean_blocks: bool = True
    summary: bool = True
    images: bool = True
    vietnamese_only: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        unknown = set(self.vietnamese_only) - set(step_names())
        if unknown:
            raise ValueError(f"unknown import steps: {', '.join(sorted(unknown))}")

    def on(self, name: str, vietnamese: bool = True) -> bool:
        """Whether step `name` runs on a page (`vietnamese`: the page is in Vietnamese)."""
        return bool(getattr(self, name)) and (vietnamese or name not in self.vietnamese_only)

    def without(self, name: str) -> ImportSteps:
        """These steps with `name` switched off."""
        if name not in step_names():
            raise ValueError(f"unknown import step: {name}")
        return replace(self, **{name: False})


def step_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(ImportSteps) if f.type in ("bool", bool))


ALL_STEPS = ImportSteps()
# What the importer runs: steps that cost precision on pages of other languages run on
# Vietnamese pages only (measured with `bench_import.py --ablation`, see docs/benchmarks.md).
# Story photos and their captions run on every page: without include_images and the restored
# subheads they cost at most 0.1 point of precision (issue 22, docs/benchmarks.md).
# The dek as the Summary is Vietnamese-only: on pages of other languages it costs precision on
# every held-out set whose key leaves the dek out (readability's, WCXB, DAnIEL; issue 22).
DEFAULT_STEPS = ImportSteps(vietnamese_only=frozenset({"restore_dropped", "images", "summary"}))


def is_vietnamese(text: str, declared: str | None = None) -> bool:
    """Whether a page is in Vietnamese: it declares so (`<html lang="vi">`), or its text
    is (most words carry Vietnamese marks, some that only Vietnamese uses). A Vietnamese
    text wins over another declared language: site templates often keep lang="en"."""
    if declared and declared.strip().lower().replace("_", "-").split("-")[0] == "vi":
        return True
    words = text.split()
    if not words:
        return False
    marked = unique = 0
    for word in words:
        if word.isascii():  # no mark, no đ: most words of a page in another language
            continue
        word_marked, word_unique = _vietnamese_marks(word)
        marked += word_marked
        unique += word_unique
    return marked >= _MIN_SHARE * len(words) and unique >= 0.05 * len(words)


@lru_cache(maxsize=65536)  # a page's words repeat, and so do its pages'
def _vietnamese_marks(word: str) -> tuple[bool, bool]:
    """Whether a word carries Vietnamese marks, and marks that only Vietnamese uses."""
    letters = unicodedata.normalize("NFD", word)
    marks = {c for c in letters if unicodedata.combining(c)}
    if not (marks & (TONE_MARKS | QUALITY_MARKS) or _VIETNAMESE_ONLY & set(letters)):
        return False, False
    return True, bool(
        _VIETNAMESE_ONLY & set(letters)
        or marks & _HORN_BREVE
        or (marks & QUALITY_MARKS and marks & TONE_MARKS)
    )


_PAGE_SAMPLE_CHARS = 4000


def page_is_vietnamese(tree) -> bool:
    """`is_vietnamese` of a parsed page: its `lang` and the text of its title and paragraphs."""
    texts, size = [], 0
    for element in tree.iter("title", "h1", "p"):
        text = element.text_content()
        texts.append(text)
        size += len(text)
        if size > _PAGE_SAMPLE_CHARS:
            break
    return is_vietnamese(
        " ".join(texts), tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    )


def _key(text: str) -> str:
    return " ".join(fold(text).split()).strip(" .…")


def summary_fits(summary: str, body: list[str], printed: str | Callable[[], str]) -> bool:
    """Whether a summary adds to a story on a page that is not Vietnamese: it is printed on
    the page (not only in its metadata) and the body does not already say it (a description
    is often the first paragraph, cut short). `printed`: the page's text, or a function
    that reads it (only called when the body does not settle it)."""
    key = _key(summary)[:100]
    if not key:
        return False
    # Within a paragraph, or across paragraphs (a description that runs the byline line
    # and the first paragraph together: "Staff Reports Police arrested…").
    if any(key[:80] in _key(text) for text in body) or key[:80] in _key(" ".join(body[:5])):
        return False
    text = printed if isinstance(printed, str) else printed()
    return key[:80] in " ".join(fold(text).split())
