"""Unit tests of the importer's parts: dates, URLs, sanitizer, press conventions, Markdown."""

from __future__ import annotations

from datetime import datetime

import markdown as python_markdown
import pytest

from tdbvantq.importer import bylines, press
from tdbvantq.importer.markdown import blocks_to_markdown, escape, html_to_blocks
from tdbvantq.importer.models import quoted_model_names
from tdbvantq.importer.sanitize import sanitize_html
from tdbvantq.importer.urls import canonical_url
from tdbvantq.importer.writer import content_hash, format_date
from tdbvantq.text.dates import VIETNAM, format_dateline, parse_vietnamese_datetime


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thứ Năm, 03/08/2023 08:57", (2023, 8, 3, 8, 57)),
        ("ClockThứ Năm, 03/08/2023 08:57", (2023, 8, 3, 8, 57)),
        ("03/08/2023 - 08:57", (2023, 8, 3, 8, 57)),
        ("08:57 03/08/2023", (2023, 8, 3, 8, 57)),
        ("3/8/2023", (2023, 8, 3, 0, 0)),
        ("Thứ Sáu, 20-10-2023 - 16:42", (2023, 10, 20, 16, 42)),
        ("Thứ tư, 22/10/2025, 19:25 (GMT+7)", (2025, 10, 22, 19, 25)),
        ("15/03/2024 06:05 GMT+7", (2024, 3, 15, 6, 5)),
        ("2023-08-03T08:57:00+07:00", (2023, 8, 3, 8, 57)),
        ("2023-08-03T01:57:00Z", (2023, 8, 3, 8, 57)),
        ("2023-08-03", (2023, 8, 3, 0, 0)),
        ("ngày 3 tháng 8 năm 2023", (2023, 8, 3, 0, 0)),
    ],
)
def test_parse_vietnamese_datetime(text: str, expected: tuple) -> None:
    moment = parse_vietnamese_datetime(text)
    assert moment is not None
    assert moment.utcoffset() == VIETNAM.utcoffset(moment)
    assert (moment.year, moment.month, moment.day, moment.hour, moment.minute) == expected


@pytest.mark.parametrize(
    "text", ["", "Thừa Thiên Huế", "31/02/2023", "ĐÁNH GIÁ", "1.064 thành viên"]
)
def test_parse_vietnamese_datetime_rejects_non_dates(text: str) -> None:
    assert parse_vietnamese_datetime(text) is None


def test_dateline_round_trip_with_the_formatter() -> None:
    moment = datetime(2023, 8, 3, 8, 57, tzinfo=VIETNAM)
    assert parse_vietnamese_datetime(format_dateline(moment)) == moment
    assert format_date(moment) == "2023-08-03 08:57+07:00"


def test_canonical_url_ignores_scheme_slash_tracking_and_fragment() -> None:
    plain = canonical_url("https://baothuathienhue.vn/chinh-tri/bai-viet-131245.html")
    for variant in (
        "http://www.baothuathienhue.vn/chinh-tri/bai-viet-131245.html/",
        "https://baothuathienhue.vn/chinh-tri/bai-viet-131245.html?utm_source=fb&utm_medium=x",
        "https://BAOTHUATHIENHUE.vn/chinh-tri/bai-viet-131245.html?fbclid=abc#comments",
        "https://baothuathienhue.vn/chinh-tri/bai-viet-131245.html?gclid=1&zarsrc=2",
    ):
        assert canonical_url(variant) == plain
    assert canonical_url("https://x.vn/a?id=2") != canonical_url("https://x.vn/a?id=3")


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert(1)</script>",
        "<style>p{color:red}</style>",
        '<iframe src="https://evil.example"></iframe>',
        '<img src="x.png" onerror="alert(1)">',
        '<p onclick="alert(1)">x</p>',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        '<object data="x.swf"></object><embed src="x.swf">',
        '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    ],
)
def test_sanitizer_removes_active_content(dangerous: str) -> None:
    cleaned = sanitize_html(f"<p>Nội dung</p>{dangerous}").lower()
    for marker in (
        "<script",
        "<style",
        "<iframe",
        "onerror",
        "onclick",
        "onload",
        "javascript:",
        "data:text",
        "<object",
        "<embed",
        "<svg",
    ):
        assert marker not in cleaned


def test_markdown_of_untrusted_text_renders_as_text() -> None:
    text = '<script>alert("x")</script> *không* [link](javascript:alert(1)) # 1. - > & &lt;'
    rendered = python_markdown.markdown(escape(text))
    assert "<script" not in rendered
    assert "<em>" not in rendered and "<a " not in rendered
    assert "&lt;script&gt;" in rendered or "&lt;script>" in rendered


def test_html_to_blocks_keeps_structure_and_formatting() -> None:
    blocks = html_to_blocks(
        "<h2>Đề mục</h2><p>Đoạn <strong>đậm</strong> và <em>nghiêng</em>, "
        '<a href="https://x.vn/a">liên kết</a>.</p><ul><li>Một</li><li>Hai</li></ul>'
        '<figure><img src="https://x.vn/a.jpg" alt="Ảnh"><figcaption>Chú thích</figcaption></figure>'
        "<blockquote>Trích dẫn</blockquote>"
    )
    assert [b.kind for b in blocks] == ["h2", "p", "ul", "figure", "quote"]
    assert blocks[1].text == "Đoạn **đậm** và *nghiêng*, [liên kết](https://x.vn/a)."
    assert blocks[3].figure.caption == "Chú thích"
    markdown = blocks_to_markdown(blocks)
    assert "## Đề mục" in markdown and "- Một\n- Hai" in markdown and "> Trích dẫn" in markdown
    # The photo was not downloaded: it stays a link to its source, its caption under it.
    assert (
        "[Ảnh gốc: Ảnh](https://x.vn/a.jpg)\n*Chú thích*" in markdown and "{static}" not in markdown
    )
    assert "![" not in markdown  # a link, never an image loaded from another site


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("Bài, ảnh: PHONG ANH", "Phong Anh"),
        ("Bài và ảnh: Minh Văn", "Minh Văn"),
        ("Tin, ảnh: THANH HƯƠNG", "Thanh Hương"),
        ("Theo TTXVN", "TTXVN"),
        ("HOÀNG LAN", "Hoàng Lan"),
        ("Lê Phương", "Lê Phương"),
        ("Nhờ đó, trong 6 tháng đầu năm, trên địa bàn không xảy ra trọng án.", None),
        ("Theo bác sĩ Hồng, lymphoma đường ruột là u lympho ác tính ngoài hạch phát triển.", None),
    ],
)
def test_parse_byline(line: str, author: str | None) -> None:
    assert bylines.parse_byline(line) == author


@pytest.mark.parametrize(
    ("lede", "text", "name"),
    [
        ("TTH - Xác định công tác", "Xác định công tác", "Báo Thừa Thiên Huế"),
        ("(Dân trí) - Công trình Nhà ga T3", "Công trình Nhà ga T3", "Báo Dân trí"),
        ("(NDO) - Nhiều địa phương", "Nhiều địa phương", "Báo Nhân Dân"),
        ("TTO - Mỗi tối", "Mỗi tối", "Báo Tuổi Trẻ"),
        ("SGGP – Sáng nay", "Sáng nay", "Báo Sài Gòn Giải Phóng"),
        ("XYZ - Tin nhanh", "Tin nhanh", None),
        (
            "Người đàn ông 63 tuổi đau bụng - căn bệnh ít gặp",
            "Người đàn ông 63 tuổi đau bụng - căn bệnh ít gặp",
            None,
        ),
    ],
)
def test_split_dateline(lede: str, text: str, name: str | None) -> None:
    stripped, _abbr, source_name = press.split_dateline(lede)
    assert (stripped, source_name) == (text, name)


def test_glued_related_titles_are_recognised() -> None:
    assert press.glued_titles(
        "Nhiều mô hình thiết thực trong phong trào bảo vệ an ninh Tổ quốcPhát huy vai trò "
        "đoàn viên, người lao động bảo vệ an ninh Tổ quốc"
    )
    assert not press.glued_titles("Bài viết trên VnExpress về iPhone mới ra mắt hôm nay.")
    assert not press.glued_titles("Từ những mô hình điển hình")
    # Names in camel case are not glue points: Vietnamese headlines glue a marked syllable.
    assert not press.glued_titles("Người dùng TikTok tại Việt Nam tăng mạnh trong năm nay")
    assert press.glued_titles("Giá vàng hôm nay tăng mạnh tại Hà NộiNgười dân đổ xô đi mua")
    # A word of unaccented letters glues two titles only where the page prints its parts apart.
    line = "Street style seen in the old town this winterTokyo is the capital of fashion"
    assert not press.glued_titles(line)
    assert press.glued_titles(line, "… this winter Tokyo is the capital …")
    assert not press.glued_titles("Stand for the new MacBook Pro", "Stand for the new MacBook Pro")


def test_quoted_model_names_are_the_ones_introduced_as_models() -> None:
    text = (
        "phong trào “Toàn dân bảo vệ an ninh Tổ quốc (TDBVANTQ) trong tình hình mới”. "
        "Nhờ “mắt thần”, nhiều vụ việc giảm. Mô hình dòng họ “Dòng họ 3 kỷ cương” họ Hoàng Văn. "
        "“Các tiêu chí như: xây dựng dòng họ…”, ông nói. Mô hình “Tiếng kẻng an ninh” ở thôn. "
        "Các mô hình “Camera an ninh”; “Phòng, chống khai thác cát sạn trái phép”, "
        "“Xích lô, xe thồ tự quản”… phát huy hiệu quả."
    )
    assert quoted_model_names(text) == [
        "Tiếng kẻng an ninh",
        "Camera an ninh",
        "Phòng, chống khai thác cát sạn trái phép",
        "Xích lô, xe thồ tự quản",
    ]


def test_content_hash_ignores_only_the_import_lines() -> None:
    text = "Title: A\nImported: 2024-01-01T00:00:00+07:00\nImport_Hash: x\n\nBody\n"
    same = "Title: A\nImported: 2025-06-01T10:00:00+07:00\nImport_Hash: y\n\nBody\n"
    assert content_hash(text) == content_hash(same)
    assert content_hash(text) != content_hash(text.replace("Body", "Body!"))


def test_metadata_from_the_web_carries_no_markup() -> None:
    from tdbvantq.importer.article import Article, Block
    from tdbvantq.importer.writer import render

    article = Article(
        title="Tiêu đề &lt;script&gt; <script>alert(1)</script>",
        date=datetime(2024, 1, 2, 3, 4, tzinfo=VIETNAM),
        authors=["<b onmouseover=x()>Tên</b>"],
        summary='Tóm tắt <img src=x onerror="alert(1)"> [bấm](javascript:alert(1))',
        blocks=[Block("p", escape("Nội dung <iframe src=x></iframe>"))],
    )
    text = render(article, "tieu-de")
    assert (
        "<script" not in text and "<b " not in text and "<img" not in text and "<iframe" not in text
    )
    html = python_markdown.markdown(text.split("\n\n", 1)[1])
    summary_html = python_markdown.markdown(
        next(line for line in text.splitlines() if line.startswith("Summary: "))[9:]
    )
    for rendered in (html, summary_html):
        assert (
            "<img" not in rendered
            and "<iframe" not in rendered
            and 'href="javascript' not in rendered
        )


def test_malformed_link_addresses_do_not_stop_an_import() -> None:
    from tdbvantq.importer.htmlpage import extract_html_page

    story = "".join(
        f"<p>Đoạn văn thứ {n} của bài viết về tổ tự quản an ninh ở khu phố.</p>" for n in range(6)
    )
    links = "".join(f'<li><a href="http://[bad-{n}]/x">Liên kết {n}</a></li>' for n in range(4))
    page = (
        f"<html><head><title>Tổ tự quản an ninh khu phố</title></head><body><h1>Tổ tự quản an ninh khu phố</h1>"
        f"<article>{story}<p>Xem <a href='http://[ccpa-preferences]/'>cài đặt</a> tại đây.</p></article>"
        f"<ul>{links}</ul></body></html>"
    )
    article = extract_html_page(page, "https://vidu.example/a.html", "a.html")
    body = "\n".join(block.text for block in article.blocks)
    assert "Đoạn văn thứ 5" in body
    assert "[bad-" not in body and "ccpa-preferences" not in body


def test_a_layout_table_of_photos_gives_no_caption_to_all_of_them() -> None:
    from tdbvantq.importer.page_body import captions
    from tdbvantq.importer.page_parse import Page

    photos = "".join(
        f'<tr><td><img src="https://vidu.example/anh-{n}.jpg"></td></tr>' for n in range(3)
    )
    page = Page(
        "<html><body><table><tr><td>Các liên kết khách sạn mở trong cửa sổ mới</td></tr>"
        f"{photos}</table><table class='tplCaption'><tr><td><img src='https://vidu.example/mot.jpg'>"
        "</td></tr><tr><td><p class='Image'>Ảnh chụp tổ tự quản tuần tra.</p></td></tr></table></body></html>",
        "https://vidu.example/a.html",
    )
    # One photo with one text cell: that text is its caption; a table of many photos: none.
    assert captions(page) == {"mot.jpg": "Ảnh chụp tổ tự quản tuần tra."}


HOSTILE_TEXT = [
    '{: onfocus="alert(1)" autofocus }',
    'Cuối câu {: .x onclick="alert(1)" }',
    "[r]: javascript:alert(1)",
    "[x][r] và [y](javascript:alert(1)) và ![ảnh](data:image/svg+xml,x)",
    "<javascript:alert(1)> <a@b.c> <https://x.vn> <!-- x",
    "&#106;avascript:alert(1) &lt;script&gt; &amp; &copy",
    "\\[ \\{ \\< \\\\ \\",
    "# tiêu đề",
    "## Đề mục ##",
    "> trích",
    "- mục",
    "+ mục",
    "* mục",
    "1. mục",
    "2024. Năm",
    "---",
    "***",
    "___",
    "===",
    "~~~",
    "```",
    ": định nghĩa",
    "| a | b |",
    "*[HTML]: x",
    "[^1]: x",
    "[TOC]",
    "*nghiêng* **đậm** _x_ __y__ `mã` ~~gạch~~",
    "{static}/images/x.png {filename}/a.md",
    "a\x0bb\x00c\x1bd",
]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_escaped_text_renders_as_exactly_that_text(text: str) -> None:
    """Through Python-Markdown with the extensions Pelican loads (`extra`: attribute lists,
    tables, footnotes, abbreviations, definition lists, fenced code): one paragraph holding
    the text, nothing else (control characters are dropped)."""
    from lxml import html as lxml_html

    rendered = python_markdown.markdown(escape(text), extensions=["extra", "meta", "toc"])
    tree = lxml_html.fragment_fromstring(rendered, create_parent="div")
    assert [element.tag for element in tree.iter()] == ["div", "p"], rendered
    assert not tree[0].attrib
    expected = "".join(c for c in text if c.isprintable() or c == " ").strip()
    assert tree.text_content() == expected


@pytest.mark.parametrize(
    ("href", "kept"),
    [
        ("https://x.vn/a?b=1&copy=2", "https://x.vn/a?b=1&copy=2"),
        ("/tin/a (1).html", "/tin/a%20%281%29.html"),
        ("mailto:toasoan@x.vn", "mailto:toasoan@x.vn"),
        ("tel:+84234000000", "tel:+84234000000"),
        ('https://x.vn/"><script>', "https://x.vn/%22%3E%3Cscript%3E"),
        ("https://x.vn/&#106;", "https://x.vn/%26#106;"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        (" javascript:x", None),
        ("java\tscript:alert(1)", None),
        ("java\nscript:alert(1)", None),
        ("&#106;avascript:alert(1)", None),
        ("&#x6A;avascript:x", None),
        ("javascript&colon;x", None),
        ("vbscript:msgbox(1)", None),
        ("data:text/html,<script>", None),
        ("ftp://x.vn/a", None),
    ],
)
def test_body_links_keep_only_safe_addresses(href: str, kept: str | None) -> None:
    from tdbvantq.importer.urls import link_href

    assert link_href(href) == kept


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://x.vn/a.html", True),
        ("HTTP://x.vn/a", True),
        ("javascript:alert(1)", False),
        ("data:image/png;base64,AAAA", False),
        ("vbscript:x", False),
        ("/a.html", False),
        ("https://", False),
        ("https://x.vn/a\nStatus: draft", False),
        ('https://x.vn/"x', False),
    ],
)
def test_source_and_photo_addresses_are_http_only(url: str, kept: bool) -> None:
    from tdbvantq.importer.urls import web_url

    assert (web_url(url) is not None) == kept


def test_long_slugs_are_cut_at_a_word_boundary() -> None:
    from tdbvantq.importer.writer import SLUG_MAX, short_slug

    slug = "-".join(["cong-an-phuong-phoi-hop"] * 30)
    cut = short_slug(slug)
    assert len(cut) <= SLUG_MAX and slug.startswith(cut + "-") and not cut.endswith("-")
    assert short_slug("ngan-gon") == "ngan-gon"
    assert short_slug("a" * 200) == "a" * SLUG_MAX  # one word longer than the limit


def test_content_hash_ignores_the_status_line() -> None:
    text = "Title: A\nStatus: draft\nImport_Hash: x\n\nBody\n"
    assert content_hash(text) == content_hash(text.replace("Status: draft\n", ""))


@pytest.mark.parametrize(
    ("line", "meta"),
    [
        ("Oct 18, 2019· 8 min read", True),
        ("Pippin Lee · 11 min read", True),
        ("Lesezeit: 3 Min.", True),
        ("Temps de lecture : 4 min", True),
        ("Đọc trong 5 phút", True),
        ("941 comments", True),
        ("12 bình luận", True),
        # Story sentences that mention minutes, reading or comments stay.
        ("It takes a 5 min read of the report to see that the budget was cut twice.", False),
        ("The mayor asked for 5 minutes to read the statement before the vote.", False),
        ("3 comments on the plan came from the opposition", False),
    ],
)
def test_a_reading_time_or_comment_counter_is_a_meta_line(line: str, meta: bool) -> None:
    assert press.is_meta_line(line) is meta
