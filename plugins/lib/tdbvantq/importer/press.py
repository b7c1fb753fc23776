"""What Vietnamese press pages print around an article, as data and small text rules.

The tables are data (edit them to teach the importer a new site); the rules are general
shapes of a news page, never matches on one particular story.
"""

from __future__ import annotations

import re

from tdbvantq.importer.textkey import fold

# Dateline abbreviations opening a lede ("TTH - ...", "(Dân trí) - ...") -> the source's name.
DATELINE_SOURCES: dict[str, str] = {
    "TTH": "Báo Thừa Thiên Huế",
    "HNM": "Báo Hà Nội Mới",
    "SGGP": "Báo Sài Gòn Giải Phóng",
    "QĐND": "Báo Quân đội nhân dân",
    "CAND": "Báo Công an nhân dân",
    "ND": "Báo Nhân Dân",
    "NDO": "Báo Nhân Dân",
    "VOV": "Đài Tiếng nói Việt Nam",
    "TTXVN": "Thông tấn xã Việt Nam",
    "PLO": "Báo Pháp Luật TP.HCM",
    "TTO": "Báo Tuổi Trẻ",
    "TT": "Báo Tuổi Trẻ",  # Tuổi Trẻ's mobile pages ("TT - …")
    "Dân trí": "Báo Dân trí",
    "ANTĐ": "Báo An ninh Thủ đô",
    "Chinhphu.vn": "Cổng Thông tin điện tử Chính phủ",
}

# Lines that end the article: rating, comment and "more stories" widgets after the body.
END_MARKERS: tuple[str, ...] = (
    "đánh giá",
    "hãy trở thành người đầu tiên đánh giá cho bài viết này!",
    "ý kiến bình luận",
    "ý kiến bạn đọc",
    "bình luận",
    "gửi bình luận",
    "viết bình luận",
    "bạn có thể quan tâm",
    "có thể bạn quan tâm",
    "tin mới",
    "tin mới nhất",
    "tin cùng chuyên mục",
    "tin khác",
    "các tin khác",
    "xem thêm",
    "liên kết hữu ích",
    "return to top",
    "cùng chuyên mục",
    "tin cùng chuyên mục",
    "bài viết liên quan",
    "tin bài liên quan",
    "xem nhiều nhất",
    "đọc nhiều nhất",
    "tin nổi bật",
)
# Prefixes of lines that end the article.
END_PREFIXES: tuple[str, ...] = ("hãy trở thành người đầu tiên", "ý kiến bình luận")

# Notices printed around a story, not part of it: paywalls, subscription, app and newsletter
# banners, link/copy buttons. A short line holding one of these is dropped.
NOTICE_PHRASES: tuple[str, ...] = (
    "bạn vừa nạp",
    "nạp tiền",
    "gói thành viên",
    "đăng ký gói",
    "để đọc tiếp",
    "để đọc toàn bộ",
    "đăng nhập để",
    "vui lòng đăng nhập",
    "đăng ký tài khoản",
    "tải ứng dụng",
    "tải app",
    "tải về ứng dụng",
    "nhận bản tin",
    "đăng ký nhận tin",
    "lấy link",
    "cùng chuyên mục",
    "theo dõi chúng tôi",
    "theo dõi kênh",
    "quét mã qr",
    "bản quyền thuộc về",
    "ghi rõ nguồn",
    "subscribe to",
    "sign up for our",
    "newsletter",
    "download the app",
    "download our app",
    "get the app",
    "follow us on",
    "all rights reserved",
    "advertisement",
)
_NOTICE_MAX_WORDS = 30
# Lines that point to other stories: "Xem thêm: <link>", "Tin liên quan: <link>".
RELATED_PREFIXES: tuple[str, ...] = (
    "xem thêm",
    "xem tiếp",
    "đọc thêm",
    "đọc tiếp",
    "tin liên quan",
    "bài liên quan",
    "tin cùng chuyên mục",
    "cùng chuyên mục",
    "mời xem",
    "read more",
    "see also",
    "related",
    "more:",
)

# Lines dropped wherever they appear: share bars, widget words, the editor's image toolbar.
CLUTTER_LINES: frozenset[str] = frozenset(
    {
        "leftcenterrightdel",
        "left center right del",
        "clock",
        "return to top",
        "chia sẻ",
        "chia sẻ bài viết",
        "share",
        "facebook",
        "zalo",
        "twitter",
        "email",
        "in bài viết",
        "in bài",
        "lưu bài viết",
        "copy link",
        "sao chép liên kết",
        "nghe bài viết",
        "theo dõi",
        "tin liên quan",
        "bài liên quan",
        "đọc thêm",
        "tags",
        "tag",
        "từ khóa",
        "trở lại đầu trang",
        "0 bình luận",
        "thích",
        "aa",
    }
)
# Toolbar lines that stand right before a photo's caption in a copied page.
IMAGE_TOOLBARS: frozenset[str] = frozenset({"leftcenterrightdel", "left center right del"})
# Widget words glued in front of a date when a page is copied ("ClockThứ Năm, 03/08/2023").
WIDGET_PREFIXES: tuple[str, ...] = (
    "Clock",
    "Calendar",
    "Time",
    "Cập nhật:",
    "Cập nhật lúc",
    "Đăng lúc",
)

# The dash stands apart on one side at least ("TTO - ", "TTO- ", "(Dân trí)-"): a hyphen glued
# on both sides joins a name ("TT-Huế: …" is the province, no dateline).
_DATELINE = re.compile(
    r"^\s*\(?(?P<abbr>[^\s()\-–—:][^()\-–—:]{0,14}?)(?:\)\s*[-–—]|\s+[-–—]|[-–—](?=\s))\s*(?=\S)"
)
# What ends a sentence (or a quote, a clause): no byline or label ends so.
# CJK scripts end their sentences with full-width marks ("。", "！", "？", "」").
TERMINAL = ".!?…:;,\"”»)’'。！？」』）"


def clean_line(line: str) -> str:
    return " ".join(line.split())


def key(line: str) -> str:
    """Lowercase, spaces collapsed, trailing colons dropped: the form the tables use."""
    return clean_line(line).lower().rstrip(" :")


def is_clutter(line: str) -> bool:
    return key(line) in CLUTTER_LINES


# A page's meta line, not the story's: how long it takes to read ("Oct 18, 2019 · 8 min
# read", "Lesezeit: 3 Min.", "Đọc trong 5 phút") or how many comments it has ("941 comments").
_READING_TIME = re.compile(
    r"\b\d+\s*(?:min(?:ute)?s?|phút)\.?\s+(?:read|de lecture|de lectura|di lettura)\b"
    r"|\b(?:reading time|read time|lesezeit|temps de lecture|tiempo de lectura|tempo di lettura"
    r"|czas czytania|время чтения|thời gian đọc|đọc trong)\s*:?\s*(?:ca\.\s*)?\d+",
    re.IGNORECASE,
)
_COUNTER = re.compile(
    r"^\d[\d.,]*\s*(?:comments?|kommentare?|commentaires?|comentarios?|commenti|bình luận)$",
    re.IGNORECASE,
)
_META_LINE_WORDS = 5  # besides the reading time: a date, a name, separators


def is_meta_line(line: str) -> bool:
    """A line that is only a reading time (with the date or author beside it) or a
    comment counter: the page's furniture above or below the story."""
    text = clean_line(line)
    if _COUNTER.match(text):
        return True
    found = _READING_TIME.search(text)
    if found is None:
        return False
    rest = (text[: found.start()] + " " + text[found.end() :]).split()
    return len(rest) <= _META_LINE_WORDS


# Any of the phrases, anywhere in the line: one search in C, not a test per phrase.
_NOTICE_PHRASE = re.compile("|".join(map(re.escape, NOTICE_PHRASES)))


def is_notice(line: str, subject: frozenset[str] = frozenset()) -> bool:
    """A paywall, subscription, app/newsletter or sharing notice (a short line). `subject`:
    notice phrases the headline says (`notice_phrases`), which make no notice."""
    k = key(line)
    if len(k.split()) > _NOTICE_MAX_WORDS:
        return False
    if not subject:
        return _NOTICE_PHRASE.search(k) is not None
    return any(phrase not in subject for phrase in _NOTICE_PHRASE.findall(k))


def notice_phrases(headline: str) -> frozenset[str]:
    """The notice phrases a story's headline says: its subject ("Who is reading your
    newsletter?"), so that its lines on that subject are no notices (`is_notice`)."""
    return frozenset(_NOTICE_PHRASE.findall(key(headline)))


def is_related_pointer(line: str) -> bool:
    """ "Xem thêm: ..." and the like: a line that sends the reader to another story."""
    k = key(line)
    # One test in C first: most lines start with none of the prefixes.
    if not k.startswith(RELATED_PREFIXES) or len(k.split()) > _NOTICE_MAX_WORDS:
        return False
    for prefix in RELATED_PREFIXES:
        if k.startswith(prefix):
            rest = k[len(prefix) :].lstrip(" ")
            if not rest or rest[0] in ":>»-–":
                return True
    return False


def is_end_marker(line: str) -> bool:
    k = key(line)
    return k in END_MARKERS or k.startswith(END_PREFIXES)


def strip_widget_prefix(line: str) -> str:
    for prefix in WIDGET_PREFIXES:
        if line.startswith(prefix):
            return line[len(prefix) :].lstrip()
    return line


def split_dateline(lede: str) -> tuple[str, str | None, str | None]:
    """("TTH - Xác định ...") -> ("Xác định ...", "TTH", "Báo Thừa Thiên Huế").

    A prefix is dropped when it is a known abbreviation or looks like one (short, capitalised,
    in parentheses or all capitals); only known ones give a source name.
    """
    match = _DATELINE.match(lede)
    if not match:
        return lede, None, None
    abbr = match["abbr"].strip()
    known = {fold(k): v for k, v in DATELINE_SOURCES.items()}
    name = known.get(fold(abbr))
    looks_like = (abbr.isupper() and len(abbr) <= 8) or (
        lede.lstrip().startswith("(") and len(abbr.split()) <= 3
    )
    if name is None and not looks_like:
        return lede, None, None
    return lede[match.end() :].strip(), abbr, name


# Footnote marks after a sentence's full stop ("….[39]", "…[12][13]", "[citation needed]",
# "… it. [MP3 / MP3 SP]").
_FOOTNOTES = re.compile(r"\s*(?:\[[^\[\]]{1,20}\]\s*)+$")


def has_terminal_punctuation(line: str) -> bool:
    line = line.rstrip()
    if line.endswith("]"):
        line = _FOOTNOTES.sub("", line)
    return bool(line) and line[-1] in TERMINAL


def glued_titles(line: str, printed: str | None = None) -> bool:
    """Several story titles copied without separators ("...Tổ quốcPhát huy ...").

    `printed`: the page's printed text with the texts of separate elements apart (an HTML
    page's), which tells a name in camel case from two titles glued by the extraction."""
    if has_terminal_punctuation(line):
        return False
    start = 0
    glued = 0
    for i in range(1, len(line) - 1):
        if line[i].isupper() and line[i - 1].islower() and line[i + 1].islower():
            if (
                len(line[start:i].split()) >= 3
                and not _label_at(line, i)
                and _glue_point(line, i, printed)
            ):
                glued += 1
            start = i
    return glued >= 1


_LABEL = re.compile(r"\w+:(?:\s|$)")


def _label_at(line: str, i: int) -> bool:
    """Whether the word at `i` is a field's label ("…and securityCons: Steep learning
    curve"): a card's fields glued by the extraction, not a new title."""
    return _LABEL.match(line, i) is not None


_WORD_END = re.compile(r"\w+$")
_WORD_START = re.compile(r"\w+")


def _glue_point(line: str, i: int, printed: str | None = None) -> bool:
    """Whether a capital inside a word at `i` can join two titles: not inside an address or
    a code ("amzn.to/2iJFhRj"), nor after a single letter ("iPhone", "eBay"). A word of
    unaccented letters is a name written in camel case ("MacBook", "TikTok", "DeLorean")
    unless the page prints its two parts apart ("Moda ulicznaTokio": two links), while
    Vietnamese headlines glue a marked syllable to the next ("Tổ quốcPhát huy")."""
    begin = max(line.rfind(" ", 0, i), 0)
    end = line.find(" ", i)
    token = line[begin : end if end >= 0 else len(line)].strip()
    if any(c.isdigit() or c in "/.@_" for c in token):
        return False
    left = line[begin:i].strip()
    if len(left) < 2:
        return False
    if not token.isascii():
        return True
    head, tail = _WORD_END.search(line, 0, i), _WORD_START.match(line, i)
    return bool(printed and head and tail and head[0] + tail[0] not in printed)


def heading_like(line: str) -> bool:
    """A short line that could be a section heading (not yet knowing what follows it)."""
    line = clean_line(line)
    return (
        2 <= len(line.split()) <= 14
        and len(line) <= 110
        and line[:1].isupper()
        and not has_terminal_punctuation(line)
    )


def paragraph_like(line: str) -> bool:
    line = clean_line(line)
    return len(line.split()) >= 8 or has_terminal_punctuation(line)
