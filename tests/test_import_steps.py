"""The importer's steps on top of trafilatura as switches (newsimport.steps, issue 22):
each one can be switched off, or kept for Vietnamese pages only; pages come over real HTTP
from 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

try:  # main moved the test server into tests/support/ after this branch was made
    from support.import_server import ServerState, import_server
except ImportError:
    from import_server import ServerState, import_server
from tdbvantq.importer import Importer
from tdbvantq.importer.article import Article
from tdbvantq.importer.fetch import Fetcher
from tdbvantq.importer.steps import (
    ALL_STEPS,
    DEFAULT_STEPS,
    ImportSteps,
    is_vietnamese,
    step_names,
    summary_fits,
)


@pytest.fixture(scope="module")
def server():
    with import_server() as state:
        yield state


def imported(server: ServerState, page: str, steps: ImportSteps, tmp_path: Path) -> Article:
    fetcher = Fetcher(timeout=2, retries=1, backoff=0.01, delay=0.0)
    importer = Importer(tmp_path, dry_run=True, fetcher=fetcher, steps=steps)
    [(_label, article)] = list(importer.articles(f"{server.base}/site/{page}"))
    assert isinstance(article, Article), article
    return article


def body(article: Article) -> list[str]:
    return [block.plain for block in article.blocks]


def test_visible_byline_first_can_be_switched_off(server: ServerState, tmp_path: Path) -> None:
    on = imported(server, "byline-top.html", DEFAULT_STEPS, tmp_path)
    off = imported(server, "byline-top.html", ALL_STEPS.without("byline_first"), tmp_path)
    assert on.authors == ["Phương Anh"]
    assert not any("PHƯƠNG ANH" in text for text in body(on))
    # Off: the printed byline stays a paragraph and is not read as the author.
    assert any("PHƯƠNG ANH" in text for text in body(off))
    assert off.authors != on.authors


def test_press_clean_up_can_be_switched_off(server: ServerState, tmp_path: Path) -> None:
    on = imported(server, "cand.html", DEFAULT_STEPS, tmp_path)
    off = imported(server, "cand.html", ALL_STEPS.without("clean_blocks"), tmp_path)
    assert "Tin liên quan" not in body(on)
    assert "Tin liên quan" in body(off)


def test_a_step_for_vietnamese_pages_only(server: ServerState, tmp_path: Path) -> None:
    only_vietnamese = ImportSteps(
        vietnamese_only=frozenset({"images", "restore_dropped", "story_photos"})
    )
    english_all = imported(server, "steps-english.html", ALL_STEPS, tmp_path)
    english = imported(server, "steps-english.html", only_vietnamese, tmp_path)

    def photos(article: Article) -> list[str]:
        return [b.figure.src or "" for b in article.blocks if b.kind == "figure" and b.figure]

    assert [src.rsplit("/", 1)[-1] for src in photos(english_all)] == ["river-road.png"]
    assert photos(english) == []  # an English page: the step is skipped
    vietnamese = imported(server, "tuoitre.html", only_vietnamese, tmp_path)
    assert (
        vietnamese.plain_text()
        == imported(server, "tuoitre.html", ALL_STEPS, tmp_path).plain_text()
    )


def test_a_page_in_another_language_keeps_its_story_photos(
    server: ServerState, tmp_path: Path
) -> None:
    """By default a page that is not Vietnamese keeps the story's photos (restored from the
    page, with their captions), not its icons; the photo step can be switched off."""

    def photos(article: Article) -> list[str]:
        shown = [b.figure for b in article.blocks if b.kind == "figure" and b.figure]
        return [(f.src or "").rsplit("/", 1)[-1] for f in [article.image, *shown] if f]

    english = imported(server, "steps-english.html", DEFAULT_STEPS, tmp_path)
    assert photos(english) == ["river-road.png"]
    off = imported(server, "steps-english.html", DEFAULT_STEPS.without("story_photos"), tmp_path)
    assert photos(off) == []
    # Only the photos: the text is the same as without them.
    strip = [b.plain for b in english.blocks if b.kind != "figure"]
    assert strip == [b.plain for b in off.blocks if b.kind != "figure"]


def test_summary_of_a_foreign_page_only_when_printed(server: ServerState, tmp_path: Path) -> None:
    # The description is only in <meta>: not the summary of an English page.
    assert imported(server, "steps-english.html", ALL_STEPS, tmp_path).summary == ""
    assert imported(server, "byline-top.html", ALL_STEPS, tmp_path).summary != ""


def test_summary_fits() -> None:
    body = ["The river road was closed on Tuesday after two days of rain, and more."]
    printed = "Menu. A short lede printed above the story. " + body[0]
    assert summary_fits("A short lede printed above the story.", body, printed)
    assert not summary_fits("Only in the metadata, never printed.", body, printed)
    assert not summary_fits("The river road was closed on Tuesday…", body, printed)  # a cut copy
    assert not summary_fits("", body, printed)


def test_steps_are_values() -> None:
    assert all(getattr(ALL_STEPS, name) for name in step_names())
    off = ALL_STEPS.without("restore_dropped")
    assert not off.on("restore_dropped") and ALL_STEPS.on("restore_dropped")
    with pytest.raises(ValueError, match="unknown import step"):
        ALL_STEPS.without("no_such_step")
    with pytest.raises(ValueError, match="unknown import steps"):
        ImportSteps(vietnamese_only=frozenset({"typo"}))
    with pytest.raises(AttributeError):
        ALL_STEPS.captions = False  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Bộ Công an giám định xe khách sau vụ tai nạn ở Sa Pa", None, True),
        ("Les élèves sont allés à l'école près de la forêt", None, False),
        ("Zażółć gęślą jaźń, to polskie zdanie testowe", None, False),
        ("Η οικονομική κρίση στην Ελλάδα συνεχίζεται", None, False),
        ("Mua sắm cuối năm", "vi-VN", True),
        ("Bộ Công an giám định xe khách", "en", True),  # Vietnamese text wins over lang="en"
        ("Hello world", "vi", True),
        ("", None, False),
    ],
)
def test_is_vietnamese(text: str, lang: str | None, expected: bool) -> None:
    assert is_vietnamese(text, lang) is expected


def test_summary_fits_reads_the_page_text_only_when_the_body_does_not_settle_it() -> None:
    def unread() -> str:
        raise AssertionError("the page text was read")

    body = ["A short lede printed above the story, and then more."]
    assert not summary_fits("A short lede printed above the story", body, unread)
    assert summary_fits("Printed lede.", ["Other text."], lambda: "Intro. Printed lede. Story.")
