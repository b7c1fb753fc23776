"""Steps shared by every kind of source once the article is extracted: clean-up of the
body, the lead photo, models and tags."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tdbvantq.importer import photos, press
from tdbvantq.importer.article import Article, Block, NotAnArticle
from tdbvantq.importer.models import detect_models, models_dir_for
from tdbvantq.importer.steps import DEFAULT_STEPS, ImportSteps, is_vietnamese
from tdbvantq.importer.tags import story_tags
from tdbvantq.importer.textkey import fold
from tdbvantq.text import normalize

_TITLE_WORDS = 12  # of a stand-in title
SHORT_BODY_CHARS = 200  # a body shorter than this is imported with a warning to check it


def _same(a: str, b: str) -> bool:
    return fold(" ".join(a.split())) == fold(" ".join(b.split()))


def _headline_again(block: Block, title: str, text_seen: bool) -> bool:
    """A heading above the story's first paragraph that is its headline printed again, in
    other letter case or with a word or two changed (an e-magazine's display title: "THẾ
    TRẬN GIẰNG CO … GIAO TRANH KHỐC LIỆT" over og:title's "… xung đột khốc liệt")."""
    if text_seen or block.kind not in ("h2", "h3") or not title:
        return False
    words, title_words = fold(block.plain).split(), fold(title).split()
    shared = len(set(words) & set(title_words))
    return len(words) >= 4 and shared >= 0.8 * max(len(set(words)), len(set(title_words)))


def clean_blocks(article: Article) -> None:
    """Drop clutter and repeats of the title/lede; stop at the page's trailing widgets.
    When that would leave no text at all, the extracted text is kept as it is: a story
    is never lost to clean-up."""
    kept: list[Block] = []
    for block in article.blocks:
        plain = block.plain
        if block.kind != "figure" and press.is_end_marker(plain):
            break
        if block.kind != "figure" and (
            press.is_clutter(plain)
            or press.is_meta_line(plain)
            or (block.kind == "p" and press.glued_titles(plain))
        ):
            continue
        text_seen = any(b.kind == "p" for b in kept)
        if block.kind != "figure" and (
            _same(plain, article.title)
            or _headline_again(block, article.title, text_seen)
            or (
                article.summary
                and (
                    _same(plain, article.summary)
                    or _same(press.split_dateline(plain)[0], article.summary)
                )
            )
        ):
            continue
        kept.append(block)
    if not any(block.kind != "figure" for block in kept):
        kept = list(article.blocks)
    article.blocks = kept


def take_lead_photo(article: Article) -> None:
    """A photo before any text is the story's lead photo: Image/Image_Caption (the theme
    shows it on top). Photos within the text stay where they are."""
    article.blocks = photos.without_lone_captions(article.blocks)
    if article.image is None and article.blocks and article.blocks[0].kind == "figure":
        article.image = article.blocks.pop(0).figure


def _stand_in_title(article: Article) -> str:
    """The first words of the story, for a page without a headline."""
    first = next(
        block.plain for block in article.blocks if block.kind != "figure" and block.plain.strip()
    )
    words = first.split()
    return " ".join(words[:_TITLE_WORDS]) + ("…" if len(words) > _TITLE_WORDS else "")


def _draft_without_text(article: Article, source: str) -> None:
    """A page with a headline and a publication date but no story text in its HTML (a page
    that loads its text with JavaScript, a photo, video or file page) is still one story: it
    becomes a draft to complete by hand. Without both, there is no story to keep."""
    if not article.title or article.date is None:
        raise NotAnArticle(f"{source}: không tìm thấy nội dung bài trên trang")
    article.draft = True
    article.warnings.append(
        "không tìm thấy nội dung bài trên trang (trang có thể nạp bài bằng JavaScript, hoặc bài chỉ "
        "có ảnh, video hay tệp đính kèm): bài được lưu thành bản nháp (Status: draft) — chép nội "
        "dung từ trang gốc vào rồi xóa dòng Status"
    )


def finish(
    article: Article, content_dir: Path, source: str, *, steps: ImportSteps = DEFAULT_STEPS
) -> Article:
    article.title = normalize(" ".join(article.title.split()))
    article.summary = normalize(" ".join(article.summary.split()))
    if steps.on(
        "clean_blocks",
        "clean_blocks" not in steps.vietnamese_only or is_vietnamese(article.plain_text()),
    ):
        clean_blocks(article)
    take_lead_photo(article)
    body_chars = sum(len(block.plain) for block in article.blocks if block.kind != "figure")
    if body_chars == 0:
        _draft_without_text(article, source)
    if not article.title:
        article.title = _stand_in_title(article)
        article.warnings.append(
            f"trang không có tiêu đề: tạm lấy “{article.title}” từ đầu bài — sửa lại dòng Title"
        )
    if 0 < body_chars < SHORT_BODY_CHARS:
        article.warnings.append(
            f"bài rất ngắn ({body_chars} ký tự nội dung) — mở trang gốc kiểm tra xem có thiếu đoạn nào không"
        )
    if article.date is None:
        article.warnings.append(
            "không tìm thấy ngày đăng bài: bài được lưu thành bản nháp (Status: draft) — "
            "thêm dòng “Date: 2023-08-03 08:57+07:00” với ngày giờ đăng rồi xóa dòng Status"
        )
    elif not isinstance(article.date, datetime):
        article.warnings.append(
            "trang chỉ ghi ngày đăng, không có giờ: ghi là 00:00 — sửa dòng Date nếu biết giờ đăng"
        )
    text = article.plain_text()
    article.models, article.unknown_models = detect_models(text, models_dir_for(content_dir))
    article.tags = story_tags(article.title, text, article.source_name)
    return article
