"""A news page copied from a browser as plain text (boilerplate and all) -> Article.

The shape of such a copy: widget words and the dateline, the title, the lede, then the
body with short heading lines, photo captions after the editor's image toolbar (the copy
holds no photo, so a caption is left out), a byline,
then the page's rating/comment/"more stories" widgets, which end the article.
"""

from __future__ import annotations

from tdbvantq.importer import bylines, photos, press
from tdbvantq.importer.article import Article, Block, NotAnArticle
from tdbvantq.importer.markdown import escape
from tdbvantq.text import normalize
from tdbvantq.text.dates import parse_vietnamese_datetime

_MAX_HEADER_LINES = 8  # the dateline is looked for among the first lines only


def _date_line(line: str):
    """The datetime of a line that is only a dateline ("Thứ Năm, 03/08/2023 08:57")."""
    line = press.strip_widget_prefix(line)
    if len(line.split()) > 9:
        return None
    return parse_vietnamese_datetime(line)


def extract_text_copy(text: str, source: str) -> Article:
    lines = [press.clean_line(line) for line in normalize(text).splitlines()]
    # The page's widgets after the story end it.
    for index, line in enumerate(lines):
        if line and press.is_end_marker(line):
            lines = lines[:index]
            break
    content = [(i, line) for i, line in enumerate(lines) if line]
    if not content:
        raise NotAnArticle(
            f"{source}: tệp văn bản trống, không có bài nào — hãy sao chép lại cả trang"
        )

    date = None
    header = [line for _, line in content[:_MAX_HEADER_LINES]]
    for line in header:
        date = _date_line(line)
        if date:
            lines = [ln for ln in lines if ln != line]
            break

    # Title: the first line long enough to be a headline (breadcrumbs and menus are shorter).
    body = [line for line in lines if line]
    title_index = next(
        (
            i
            for i, line in enumerate(body[:_MAX_HEADER_LINES])
            if len(line.split()) >= 3 and not press.is_clutter(line) and not _date_line(line)
        ),
        None,
    )
    if title_index is None:
        raise NotAnArticle(f"{source}: không tìm thấy tiêu đề bài trong văn bản")
    title = body[title_index].strip()
    rest = body[title_index + 1 :]
    if not rest:
        raise NotAnArticle(f"{source}: có tiêu đề nhưng không có nội dung bài")

    # The byline closes the story.
    authors: list[str] = []
    while rest and press.is_clutter(rest[-1]):
        rest.pop()
    if rest:
        authors = bylines.parse_authors(rest[-1])
        if authors:
            rest.pop()

    # The lede: the first paragraph after the title, without its dateline prefix.
    lede_index = next((i for i, line in enumerate(rest) if press.paragraph_like(line)), None)
    summary, source_name = "", None
    if lede_index is not None and lede_index <= 2:
        summary, _abbr, source_name = press.split_dateline(rest[lede_index])
        rest = rest[lede_index + 1 :]

    blocks = _body_blocks(rest)
    if not any(block.kind == "p" for block in blocks):
        raise NotAnArticle(f"{source}: không tìm thấy đoạn văn nào của bài trong văn bản")
    article = Article(
        title=title,
        date=date,
        authors=authors,
        summary=summary,
        source_name=source_name,
        blocks=blocks,
    )
    return article


def _body_blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    caption_next = False
    for index, line in enumerate(lines):
        if press.key(line) in press.IMAGE_TOOLBARS:
            caption_next = True
            continue
        if caption_next:
            caption_next = False
            # A copy has no photo, only its caption: a caption never stands alone, so the
            # line is kept only when it is story text (a photo printed without a caption).
            if not photos.story_text(line):
                continue
        if press.is_clutter(line) or press.glued_titles(line):
            continue
        if press.paragraph_like(line):
            blocks.append(Block("p", escape(line)))
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if press.heading_like(line) and press.paragraph_like(following):
            blocks.append(Block("h2", escape(line)))
        # Otherwise a short line not followed by text: a related-story title or a widget label.
    return blocks
