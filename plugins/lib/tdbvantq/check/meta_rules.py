"""Rules over the metadata header of articles, pages and model files."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from places.finder import find_places
from strict_content.checks import ISO_DATE_RE, parse_content_date
from tdbvantq.check.context import Context
from tdbvantq.check.document import Document
from tdbvantq.check.placeholders import MARKER_PATTERN
from tdbvantq.check.problems import Problem, error, warning
from tdbvantq.markdown.header import END_RE, META_RE
from tdbvantq.text import slugify

_ANY_KEY = re.compile(r"^\s*(?P<key>[^\s:#>*\-\[!<][^:]{0,30}?)\s*:\s")
TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SUMMARY_MIN, SUMMARY_MAX = 40, 600  # characters of plain text; the seed's lede is 412

ARTICLE_REQUIRED = {
    "title": "tiêu đề bài",
    "date": "ngày giờ đăng, ví dụ 2023-08-03 08:57+07:00",
    "author": "tên tác giả",
    "category": "chuyên mục, ví dụ Tin tức",
    "slug": "đường dẫn, ví dụ bam-co-so-xay-dung-phong-trao",
    "summary": "sapo (tóm tắt 1–3 câu)",
}
ARTICLE_FIELDS = {
    *ARTICLE_REQUIRED,
    "modified",
    "authors",
    "source",
    "source_name",
    "image",
    "image_caption",
    "models",
    "tags",
    "locality",
    "imported",
    "import_hash",
    "status",
    "lang",
    "translation",
    "template",
    "save_as",
    "url",
}
REQUIRED_KEYS = {*ARTICLE_REQUIRED, "name"}  # reported as missing by required_fields/model_name
_EMPTY_HINTS = {
    "image": "Chép ảnh vào content/images/<slug>/ rồi ghi “Image: {static}/images/<slug>/<tên-ảnh>”; "
    "bài không có ảnh thì xóa dòng này (và dòng Image_Caption nếu không cần).",
}
MODEL_FIELDS = {"name", "slug", "aliases", "group"}
_DISPLAY = {
    "source_name": "Source_Name",
    "image_caption": "Image_Caption",
    "import_hash": "Import_Hash",
}


def display(key: str) -> str:
    return _DISPLAY.get(key, key.capitalize())


def _filled(doc: Document, key: str) -> bool:
    return bool(doc.value(key)) and not MARKER_PATTERN.search(doc.value(key))


# --- header shape -----------------------------------------------------------------------------


def _header_end(doc: Document) -> Iterator[Problem]:
    """The header must end with a blank line; a line that breaks it is named."""
    first_body = doc.body_start
    last_header = doc.lines[first_body - 2] if 2 <= first_body <= len(doc.lines) else ""
    if last_header.strip() and not END_RE.match(last_header):
        breaking = doc.lines[first_body - 1] if first_body <= len(doc.lines) else ""
        odd_key = _ANY_KEY.match(breaking)
        if odd_key:
            yield error(
                doc.path,
                first_body,
                "unknown-field",
                f"Dòng “{odd_key['key']}: …” không đọc được là trường thông tin "
                "(tên trường chỉ gồm chữ cái không dấu, số, “_”, “-”)",
                "Tệp mô hình chỉ có các trường Name, Slug, Aliases, Group."
                if doc.kind == "model"
                else "Sửa tên trường (ví dụ Title, Date, Summary), hoặc thêm một dòng trống "
                "trước dòng này nếu nó thuộc nội dung bài.",
            )
        else:
            yield (error if doc.kind == "model" else warning)(
                doc.path,
                first_body,
                "header-end",
                "Phần thông tin không kết thúc bằng một dòng trống",
                "Thêm một dòng trống giữa phần thông tin và nội dung.",
            )


def header_shape(doc: Document) -> Iterator[Problem]:
    """Repeated fields, and metadata lines that Pelican does not read as metadata."""
    for repeated in doc.repeated:
        yield error(
            doc.path,
            repeated.line,
            "repeated-field",
            f"Trường {repeated.key} xuất hiện lần thứ hai "
            f"(lần đầu ở dòng {doc.line_of(repeated.key.lower())})",
            "Giữ một dòng, xóa dòng còn lại.",
        )
    if not doc.meta:
        yield error(
            doc.path,
            1,
            "no-header",
            "Tệp không có phần thông tin ở đầu (các dòng “Tên: giá trị”)",
            "Mở đầu tệp bằng các dòng như “Title: …”, “Date: …”, rồi một dòng trống, rồi nội dung.",
        )
        return
    yield from _header_end(doc)
    known = ARTICLE_FIELDS if doc.kind != "model" else MODEL_FIELDS
    # Metadata lines after the blank line are body text to Pelican: the field is lost.
    for number, line in doc.body_lines()[:12]:
        match = META_RE.match(line)
        if match and match["key"].lower() in known and match["key"].lower() not in doc.meta:
            yield error(
                doc.path,
                number,
                "field-in-body",
                f"Dòng “{match['key']}: …” nằm sau dòng trống nên không được đọc là thông tin bài",
                "Đưa dòng này lên phần thông tin ở đầu tệp; giữa các dòng thông tin không để dòng trống.",
            )
    for fld in doc.meta.values():
        key = fld.key.lower()
        if not fld.value and key not in REQUIRED_KEYS:
            yield error(
                doc.path,
                fld.line,
                "empty-field",
                f"Trường {fld.key} để trống",
                _EMPTY_HINTS.get(key, "Điền giá trị, hoặc xóa cả dòng nếu bài không có mục này."),
            )
        if key in known:
            continue
        if doc.kind == "model":
            yield error(
                doc.path,
                fld.line,
                "unknown-field",
                f"Trường lạ trong tệp mô hình: {fld.key}",
                "Tệp mô hình chỉ có các trường Name, Slug, Aliases, Group.",
            )
            continue
        close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.8)
        if close:
            yield warning(
                doc.path,
                fld.line,
                "unknown-field",
                f"Trường lạ: {fld.key} — có phải {display(close[0])}?",
                f"Sửa tên trường thành {display(close[0])}.",
            )


# --- articles ---------------------------------------------------------------------------------


def required_fields(doc: Document) -> Iterator[Problem]:
    if not doc.meta:
        return
    for key, what in ARTICLE_REQUIRED.items():
        if doc.kind == "page" and key != "title":
            continue
        if key == "author" and "authors" in doc.meta:
            key = "authors"  # Pelican's multi-author form stands for Author
        if key not in doc.meta:
            yield error(
                doc.path,
                1,
                "missing-field",
                f"Thiếu trường bắt buộc {display(key)}",
                f"Thêm dòng “{display(key)}: …” ({what}) vào phần thông tin ở đầu tệp.",
            )
        elif not doc.value(key):
            yield error(
                doc.path,
                doc.line_of(key),
                "missing-field",
                f"Trường bắt buộc {display(key)} đang để trống",
                f"Điền {what}.",
            )


def parse_date(value: str) -> datetime | None:
    """The date as the build reads it (strict_content's rule), None when the build refuses it."""
    try:
        return parse_content_date(value)
    except ValueError:
        return None


def dates(doc: Document, context: Context) -> Iterator[Problem]:
    for key in ("date", "modified"):
        if not _filled(doc, key):
            continue
        line, value = doc.line_of(key), doc.value(key)
        when = parse_date(value)
        offset = ISO_DATE_RE.match(value.strip())
        if when is None and offset and offset["offset"]:
            yield error(
                doc.path,
                line,
                "bad-date",
                f"{display(key)} có múi giờ không có thật hoặc ngày giờ không có thật: “{value}”",
                "Múi giờ chỉ từ -12:00 đến +14:00 (Việt Nam: +07:00); tháng 1–12, giờ 0–23, "
                f"ví dụ “{display(key)}: 2023-08-03 08:57+07:00”.",
            )
            continue
        if when is None:
            yield error(
                doc.path,
                line,
                "bad-date",
                f"{display(key)} không đúng dạng NĂM-THÁNG-NGÀY GIỜ:PHÚT: “{value}”",
                f"Viết ví dụ “{display(key)}: 2023-08-03 08:57+07:00” (không dùng dạng 03/08/2023, "
                "dễ bị hiểu nhầm ngày và tháng).",
            )
            continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=TIMEZONE)
            if len(value.strip()) > 10:
                yield warning(
                    doc.path,
                    line,
                    "date-timezone",
                    f"{display(key)} thiếu múi giờ: “{value}”",
                    f"Thêm +07:00 vào cuối, ví dụ “{value.strip()}+07:00”.",
                )
        if when > context.now:
            local = when.astimezone(TIMEZONE).strftime("%d/%m/%Y %H:%M")
            if key == "date" and doc.kind == "article":
                # A scheduled story (plugins/schedule): published by the first build after it.
                yield warning(
                    doc.path,
                    line,
                    "future-date",
                    f"Bài hẹn giờ đăng: chỉ lên trang từ {local}",
                    "Nếu không định hẹn giờ, sửa Date thành thời điểm bài đã đăng.",
                )
                continue
            yield error(
                doc.path,
                line,
                "future-date",
                f"{display(key)} ở tương lai ({local}): trang sẽ hiện ngày chưa tới",
                "Sửa thành thời điểm bài đã đăng (hoặc đợi tới ngày đó mới đưa bài lên).",
            )
        if key == "date" and doc.kind == "article":
            folder = doc.path.parent.name
            year = when.astimezone(TIMEZONE).year
            if re.fullmatch(r"\d{4}", folder) and int(folder) != year:
                yield warning(
                    doc.path,
                    line,
                    "date-folder",
                    f"Bài đăng năm {year} nhưng nằm trong thư mục {folder}/",
                    f"Chuyển tệp sang thư mục articles/{year}/ (hoặc sửa lại Date).",
                )


def slug_field(doc: Document) -> Iterator[Problem]:
    if not _filled(doc, "slug"):
        return
    slug, line = doc.value("slug"), doc.line_of("slug")
    suggestion = slugify(doc.value("title") or doc.value("name") or slug)
    if not SLUG.fullmatch(slug):
        yield error(
            doc.path,
            line,
            "bad-slug",
            f"Slug “{slug}” có chữ hoa, dấu, khoảng trắng hoặc ký tự lạ",
            f"Chỉ dùng chữ thường không dấu, số và dấu gạch ngang, ví dụ “{suggestion}”.",
        )
    elif doc.path.stem != slug:
        yield warning(
            doc.path,
            line,
            "slug-filename",
            f"Tên tệp “{doc.path.name}” khác Slug “{slug}”",
            f"Đổi tên tệp thành {slug}.md cho dễ tìm.",
        )


def summary_length(doc: Document) -> Iterator[Problem]:
    if not _filled(doc, "summary"):
        return
    text = re.sub(r"[*_`#>\[\]]|\(https?://[^)]*\)", "", doc.value("summary")).strip()
    line = doc.line_of("summary")
    if len(text) < SUMMARY_MIN:
        yield warning(
            doc.path,
            line,
            "summary-length",
            f"Sapo quá ngắn ({len(text)} ký tự)",
            f"Viết sapo 1–3 câu, từ {SUMMARY_MIN} đến {SUMMARY_MAX} ký tự, nêu ý chính của bài.",
        )
    elif len(text) > SUMMARY_MAX:
        yield warning(
            doc.path,
            line,
            "summary-length",
            f"Sapo quá dài ({len(text)} ký tự)",
            f"Rút sapo xuống dưới {SUMMARY_MAX} ký tự; phần còn lại đưa vào thân bài.",
        )


def image_caption(doc: Document) -> Iterator[Problem]:
    if _filled(doc, "image") and not doc.value("image_caption"):
        yield warning(
            doc.path,
            doc.line_of("image"),
            "image-caption",
            "Bài có ảnh đại diện nhưng chưa có chú thích",
            "Thêm dòng “Image_Caption: …” mô tả ảnh (người đọc dùng trình đọc màn hình cần nó).",
        )


def model_names(doc: Document, context: Context) -> Iterator[Problem]:
    if not _filled(doc, "models") or context.matcher is None:
        return
    line = doc.line_of("models")
    for name in (part.strip() for part in doc.value("models").split(";")):
        if not name or context.matcher.resolve(name):
            continue
        suggestions = context.matcher.suggest(name, n=3)
        if suggestions:
            hint = "Có phải: " + "; ".join(f"“{s}”" for s in suggestions) + "? "
        else:
            hint = ""
        hint += "Nếu là mô hình mới, thêm tệp content/models/<slug>.md (dòng “Name: …”)."
        yield error(
            doc.path,
            line,
            "unknown-model",
            f"Mô hình “{name}” không có trong danh mục mô hình",
            hint,
        )


def localities(doc: Document) -> Iterator[Problem]:
    """A `Locality:` name, or a commune/province named in the text, that the
    administrative list (before and after 2025, plugins/places) does not know:
    a warning with the closest names, the words the build logs."""
    if not _filled(doc, "locality") and not doc.body_lines():
        return
    line = doc.line_of("locality") if _filled(doc, "locality") else 0
    body = "\n".join(text for _, text in doc.body_lines())
    found = find_places(doc.value("locality") if line else "", body, lambda _: [], [], line or None)
    for problem in found.problems:
        where = problem.line or next(
            (n for n, text in doc.body_lines() if problem.written in text), line or 1
        )
        message, _, hint = problem.message.partition(" — ")
        yield warning(doc.path, where, "unknown-locality", message, hint)


# --- model files ------------------------------------------------------------------------------


def model_name(doc: Document) -> Iterator[Problem]:
    if not doc.meta:
        return
    if "name" not in doc.meta or not doc.value("name"):
        yield error(
            doc.path,
            doc.line_of("name"),
            "missing-field",
            "Tệp mô hình thiếu tên (trường Name)",
            "Thêm dòng “Name: …” (tên mô hình như báo chí gọi) ở đầu tệp.",
        )
