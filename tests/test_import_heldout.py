"""Classes of failure found on held-out Vietnamese pages (benchmarks/heldout-vn/), each on a
short synthetic page imported over HTTP from a local server."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.import_server import import_server
from tdbvantq.importer import import_sources
from tdbvantq.importer.fetch import Fetcher


def imported(content: Path, url: str) -> tuple[dict[str, str], str]:
    fetcher = Fetcher(timeout=2, retries=1, backoff=0.01, delay=0)
    [result] = import_sources([url], content, fetcher=fetcher)
    assert result.status == "created", result.error
    head, _, body = Path(result.path).read_text("utf-8").partition("\n\n")
    return dict(line.split(": ", 1) for line in head.splitlines()), body


def test_a_lede_marked_only_by_its_dateline_is_the_summary(tmp_path: Path) -> None:
    """No sapo element and no description: the first paragraph, opened by the paper's
    dateline ("TTO - "), is the sapo (Tuổi Trẻ's mobile page of 2015)."""
    with import_server() as server:
        meta, body = imported(tmp_path, f"{server.base}/site/lede-dateline.html")
    assert meta["Summary"].startswith("Trao đổi với phóng viên, ông Trần Văn Nam")
    assert meta["Source_Name"] == "Báo Tuổi Trẻ"
    assert "Trao đổi với phóng viên" not in body and "TTO -" not in body
    paragraphs = [b for b in body.split("\n\n") if b.strip()]
    assert paragraphs[0].startswith("Ngày 22-3, chủ tịch thành phố")
    assert len(paragraphs) == 3


def test_another_storys_thumbnail_is_not_a_photo(tmp_path: Path) -> None:
    """A "most read" box after the story: its thumbnail links to another story of the site
    and is no photo of this one (Tuổi Trẻ's page of 2015). The story's photos stay, one of
    them linked to its own larger file."""
    with import_server() as server:
        meta, body = imported(tmp_path, f"{server.base}/site/teaser-thumbnail.html")
    photos = sorted(p.name for p in (tmp_path / "images").rglob("*") if p.is_file())
    assert len(photos) == 2 and "cay-xanh-1" in photos[0] and "cay-xanh-2" in photos[1], photos
    assert "quoc-lo-ket-cung" not in body and "Quốc lộ kẹt cứng" not in body
    assert "Tin đọc nhiều" not in body
    assert meta["Image_Caption"].startswith("Đoàn kiểm tra làm việc tại trụ sở")
    assert body.rstrip().endswith("tạm dừng để chờ kết luận.")


def test_an_emagazines_display_headline_is_not_repeated_in_the_body(tmp_path: Path) -> None:
    """A long-form page without <h1> prints its headline in capitals at the top of the body,
    worded a little differently from og:title (Dân trí's e-magazine): it is the title, not
    the story's first subheading. Later subheadings stay."""
    with import_server() as server:
        meta, body = imported(tmp_path, f"{server.base}/site/emagazine-headline.html")
    assert meta["Title"] == "Thế trận giằng co trên chiến trường sau mười tháng xung đột"
    assert "THẾ TRẬN GIẰNG CO" not in body
    assert body.lstrip().startswith("*Khi cuộc xung đột sắp bước sang năm thứ hai")
    assert "Bài học sau các trận đánh" in body


LAST_SENTENCE = "sẽ bắt đầu ngay trong tháng tới."


@pytest.mark.parametrize(
    ("name", "authors", "credit_lines"),
    [
        ("credit-one-word", ["Newsweek"], ["Newsweek"]),
        # printed in a <footer>, which trafilatura drops (only the markup tells the credit),
        # a <script> after it
        ("credit-acronym", ["RT"], ["RT"]),
        ("credit-two-sources", ["Forbes", "Newsweek"], ["Forbes", "Newsweek"]),
        ("credit-two-lines", ["Thanh Xuân"], ["Thanh Xuân", "VnEconomy"]),
    ],
)
def test_a_source_credited_after_the_story_is_the_author(
    tmp_path: Path, name: str, authors: list[str], credit_lines: list[str]
) -> None:
    """ "Theo <strong>X</strong>" ending the article (Dân trí's `singular-source`, or two
    right-aligned lines "Theo <strong>Thanh Xuân</strong>" / "<em>VnEconomy</em>" ending a
    republished story): the credited source is the author ("Theo TTXVN" -> TTXVN), and the
    bare name trafilatura keeps of it is no paragraph ending the body."""
    with import_server() as server:
        meta, body = imported(tmp_path, f"{server.base}/site/{name}.html")
    if len(authors) > 1:
        assert meta["Authors"] == ", ".join(authors) and "Author" not in meta, meta
    else:
        assert meta["Author"] == authors[0] and "Authors" not in meta, meta
    assert body.rstrip().endswith(LAST_SENTENCE), body[-200:]
    paragraphs = [b.strip(" *_") for b in body.split("\n\n") if b.strip()]
    assert len(paragraphs) == 3, paragraphs
    assert not any(line in p for line in credit_lines for p in paragraphs), paragraphs


def test_a_credit_inside_the_story_is_no_author(tmp_path: Path) -> None:
    """ "Theo <strong>Reuters</strong>" followed by more of the story does not end the
    article: it credits one part, not the story, and stays where it is printed."""
    with import_server() as server:
        meta, body = imported(tmp_path, f"{server.base}/site/credit-mid-story.html")
    assert "Author" not in meta and "Authors" not in meta, meta
    assert body.rstrip().endswith("tăng ngân sách quốc phòng cho năm tới.")


def test_the_papers_mobile_dateline_is_its_source(tmp_path: Path) -> None:
    """Tuổi Trẻ's mobile page opens its lede with "TT - " (its desktop page with "TTO - "):
    the dateline leaves the summary and names the source."""
    with import_server() as server:
        meta, body = imported(tmp_path, f"{server.base}/site/lede-dateline-mobile.html")
    assert meta["Source_Name"] == "Báo Tuổi Trẻ"
    assert meta["Summary"].startswith("Trao đổi với phóng viên, ông Trần Văn Nam")
    assert "TT -" not in body and "Trao đổi với phóng viên" not in body


@pytest.mark.parametrize(
    ("name", "author", "body_ends"),
    [
        # no byline, no author metadata: the photographer is not the story's author
        ("byline-photo-credit", None, "Ảnh: Hà Phong"),
        # a byline above the photo credit: the byline names the author, and both lines
        # leave the body
        ("byline-photo-credit-after-byline", "Thu Hà", "đều tăng."),
    ],
)
def test_a_photo_credit_names_no_author(
    tmp_path: Path, name: str, author: str | None, body_ends: str
) -> None:
    """ "Ảnh: Hà Phong" after the story credits the photos only ("Bài, ảnh: …" stays a
    byline: tests/test_import_bylines.py)."""
    with import_server() as server:
        meta, body = imported(tmp_path, f"{server.base}/site/{name}.html")
    assert meta.get("Author") == author and "Authors" not in meta
    assert body.rstrip().endswith(body_ends)


def test_a_province_name_is_no_dateline(tmp_path: Path) -> None:
    """ "TT-Huế: …" opens the story with the province's name (Thừa Thiên-Huế): a hyphen glued
    on both sides is no dateline's dash, so the words stay and no source is read from them."""
    with import_server() as server:
        meta, body = imported(tmp_path, f"{server.base}/site/lede-province-name.html")
    assert meta.get("Source_Name") != "Báo Tuổi Trẻ"
    assert "TT-Huế: Trao đổi với phóng viên" in body or meta.get("Summary", "").startswith(
        "TT-Huế: Trao đổi"
    )
