"""Rules over the raw lines of any content file: encoding, Unicode, tone marks,
whitespace, unsafe HTML, leftover clutter of imported pages, unfilled markers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from safe_html.sources import audit_markdown, audit_model_source, site_policy
from tdbvantq.check.context import Context
from tdbvantq.check.document import MODEL, Document
from tdbvantq.check.placeholders import MARKER_PATTERN
from tdbvantq.check.problems import Problem, error, warning
from tdbvantq.check.prose import fix_line, plan_lines
from tdbvantq.text import normalize

# Fields an article cannot do without (meta_rules.ARTICLE_REQUIRED) and a model's name.
REQUIRED = {"title", "date", "author", "category", "slug", "summary", "name"}

_WORD = re.compile(r"\S+")
_TRAILING = re.compile(r"[ \t\u00a0]+$")
_LOOKALIKE = re.compile("[\u00d0\u00f0]")


# Leftovers of news pages (widgets, toolbars, lists of other stories). Whole-line
# patterns only match a line that is nothing else, so prose that happens to
# contain "tin mới" or "đánh giá" is never reported.
_CLUTTER: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^\W*ĐÁNH GIÁ\W*$"), "ĐÁNH GIÁ"),
    (
        re.compile(r"Hãy trở thành người đầu tiên đánh giá", re.IGNORECASE),
        "Hãy trở thành người đầu tiên đánh giá…",
    ),
    (re.compile(r"^\W*Ý kiến bình luận\W*$", re.IGNORECASE), "Ý kiến bình luận"),
    (re.compile(r"^\W*BẠN CÓ THỂ QUAN TÂM\W*$", re.IGNORECASE), "BẠN CÓ THỂ QUAN TÂM"),
    (re.compile(r"^\W*TIN MỚI\W*$", re.IGNORECASE), "TIN MỚI"),
    (re.compile(r"^\W*(TIN )?LIÊN QUAN\W*$"), "TIN LIÊN QUAN"),
    (re.compile(r"^\W*Liên kết hữu ích\W*$", re.IGNORECASE), "Liên kết hữu ích"),
    (re.compile(r"Return to top", re.IGNORECASE), "Return to top"),
    (re.compile(r"leftcenterrightdel", re.IGNORECASE), "leftcenterrightdel"),
    (re.compile(r"^\W*Clock(?:\W*$|(?=Thứ|Chủ nhật))"), "Clock"),
    (re.compile(r"^\W*Chia sẻ(?: bài viết)?\W*$", re.IGNORECASE), "Chia sẻ"),
]


def encoding(doc: Document) -> Iterator[Problem]:
    if doc.decode_error:
        yield error(
            doc.path,
            doc.bad_byte_line,
            "encoding",
            f"Tệp không phải văn bản UTF-8 ({doc.decode_error})",
            "Lưu lại tệp với bảng mã UTF-8 (trong trình soạn thảo: Save with Encoding → UTF-8).",
        )


def unicode_form(doc: Document) -> Iterator[Problem]:
    """Prose in NFC, without look-alike letters, with the press's tone placement.

    Only what --fix would change is an error (contentcheck.prose: prose, not code,
    addresses or names); a name spelled the old way is a warning, never fixed.
    """
    for number, (line, plan) in enumerate(zip(doc.lines, plan_lines(doc.lines), strict=True), 1):
        result = fix_line(line, plan)
        if result.invisible:
            yield error(
                doc.path,
                number,
                "invisible-char",
                f"Có {result.invisible} ký tự ẩn (gạch nối mềm, khoảng trắng độ rộng 0…) chen vào chữ:"
                " tìm kiếm và đường dẫn đọc sai từ",
                "Chạy lệnh kiểm tra với --fix để xóa chúng (thường do chép từ trang web).",
                fixable=True,
            )
        if result.nfc:
            yield error(
                doc.path,
                number,
                "unicode-nfc",
                "Chữ có dấu gõ ở dạng tổ hợp (không phải Unicode dựng sẵn NFC): "
                + ", ".join(f"“{word}”" for word in list(dict.fromkeys(result.nfc))[:3]),
                "Chạy lệnh kiểm tra với --fix để tự sửa (hoặc gõ lại bằng bảng mã Unicode dựng sẵn).",
                fixable=True,
            )
        if any(_LOOKALIKE.search(old) for old, _ in result.fixed):
            yield error(
                doc.path,
                number,
                "lookalike-letter",
                "Có chữ “Ð/ð” (chữ Eth, mã khác) trông giống “Đ/đ” tiếng Việt",
                "Chạy lệnh kiểm tra với --fix để thay bằng “Đ/đ”.",
                fixable=True,
            )
        toned = [(old, new) for old, new in result.fixed if not _LOOKALIKE.search(old)]
        if toned:
            yield error(
                doc.path,
                number,
                "tone-placement",
                f"Bỏ dấu kiểu khác với kiểu của trang: {_shown(toned)}",
                "Trang dùng kiểu bỏ dấu của báo chí (hòa, thủy, khỏe, Ủy); "
                "chạy lệnh kiểm tra với --fix để tự sửa.",
                fixable=True,
            )
        if result.names:
            yield warning(
                doc.path,
                number,
                "name-spelling",
                f"Có thể là tên riêng viết kiểu bỏ dấu cũ: {_shown(result.names)}",
                "Tên người, tên báo giữ đúng cách viết của họ nên --fix không sửa; "
                "nếu không phải tên riêng thì sửa tay theo gợi ý.",
            )


def _shown(pairs: list[tuple[str, str]]) -> str:
    unique = list(dict.fromkeys(pairs))
    shown = ", ".join(f"“{unicodedata.normalize('NFC', old)}” → “{new}”" for old, new in unique[:3])
    return shown + (", …" if len(unique) > 3 else "")


def trailing_spaces(doc: Document) -> Iterator[Problem]:
    """White space ending a line, except a Markdown line break (two spaces) and code."""
    for number, (line, plan) in enumerate(zip(doc.lines, plan_lines(doc.lines), strict=True), 1):
        if not plan.code and not plan.hard_break and _TRAILING.search(line):
            yield warning(
                doc.path,
                number,
                "trailing-space",
                "Dòng có khoảng trắng thừa ở cuối",
                "Xóa khoảng trắng cuối dòng, hoặc chạy lệnh kiểm tra với --fix.",
                fixable=True,
            )


def unsafe_html(doc: Document, context: Context) -> Iterator[Problem]:
    """What the build's sanitizer would remove (active markup, unsafe URLs, attribute
    lists other than class/id) and Source/Image values that are not http(s) or site paths.

    The file is rendered as the build renders it and audited by the same code
    (safe_html.sources): same findings, same lines, same words.
    """
    text = "\n".join(doc.lines) + "\n"
    if doc.kind == MODEL:
        found_all = audit_model_source(text, site_policy(context.settings))
    else:
        found_all = audit_markdown(text, context.settings, doc.path)
    for found in found_all:
        yield error(doc.path, found.line, "unsafe-html", found.message, found.hint)


def clutter(doc: Document) -> Iterator[Problem]:
    for number, line in doc.body_lines():
        text = normalize(line)
        for pattern, label in _CLUTTER:
            if pattern.search(text):
                yield error(
                    doc.path,
                    number,
                    "clutter",
                    f"Còn sót chữ thừa của trang báo gốc: “{label}”",
                    "Xóa dòng này (phần giao diện của trang gốc, không thuộc bài viết).",
                )
                break


def unfilled_markers(doc: Document) -> Iterator[Problem]:
    header = {fld.line: fld.key for fld in [*doc.meta.values(), *doc.repeated]}
    for number, line in enumerate(doc.lines, 1):
        marker = MARKER_PATTERN.search(line)
        if not marker:
            continue
        if number not in header:
            where, hint = "nội dung", "Thay cả phần [CẦN ĐIỀN …] bằng nội dung của bài."
        elif header[number].lower() in REQUIRED:
            where = f"trường {header[number]}"
            hint = "Thay cả phần [CẦN ĐIỀN …] bằng nội dung thật (trường bắt buộc, không xóa được)."
        else:
            where = f"trường {header[number]}"
            hint = "Thay cả phần [CẦN ĐIỀN …] bằng nội dung thật, hoặc xóa cả dòng nếu bài không có mục này."
        yield error(doc.path, number, "unfilled", f"Chưa điền {where}: {marker.group()}", hint)
