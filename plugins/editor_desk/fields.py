"""The desk's form fields, generated from the site's own definitions of a content header.

Which keys an article, page or model file has comes from the content checker
(contentcheck.meta_rules: ARTICLE_FIELDS, ARTICLE_REQUIRED and its Vietnamese
hints, MODEL_FIELDS) and the model catalogue (model_catalog.catalog.FIELDS);
how each key is written (`Source_Name`) from meta_rules.display. What this module
adds, in one place, is what a form needs and the header does not say: the
Vietnamese label of each key, its widget, and how a list is separated.
"""

from __future__ import annotations

from typing import Any

from model_catalog.catalog import FIELDS as CATALOG_FIELDS
from tdbvantq.check.meta_rules import ARTICLE_FIELDS, ARTICLE_REQUIRED, MODEL_FIELDS, display

# key -> (label, widget kind, list separator or "", hint). Kinds: string, text, date,
# list, models, image, status, hidden. Separators are the ones the site splits on:
# Pelican splits Tags and Authors on "," (Decap's list widget splits what is typed on ","
# too); Models are split on ";". Locality and Aliases, also split on ";", stay text fields:
# a name may hold a comma ("cát, sạn"), which Decap's list widget would cut in two.
FIELD_SPECS: dict[str, tuple[str, str, str, str]] = {
    "title": ("Tiêu đề", "string", "", ""),
    "slug": (
        "Đường dẫn (slug)",
        "slug",
        "",
        "chỉ chữ thường không dấu, số và dấu gạch ngang; điền trước khi tải ảnh lên",
    ),
    "date": ("Ngày giờ đăng (giờ Việt Nam)", "date", "", "giờ Việt Nam; tệp ghi kèm +07:00"),
    "status": ("Trạng thái", "status", "", "Bản nháp không lên trang công khai"),
    "authors": ("Các tác giả", "list", ",", "mỗi tác giả cách nhau bằng dấu phẩy"),
    "author": ("Tác giả (một người)", "string", "", "bài nhiều tác giả thì dùng ô Các tác giả"),
    "category": ("Chuyên mục", "string", "", ""),
    "summary": ("Sapo", "text", "", ""),
    "image": ("Ảnh đại diện", "image", "", "ảnh được lưu vào content/images/<slug>/"),
    "image_caption": ("Chú thích ảnh", "string", "", "mô tả ảnh cho người đọc"),
    "models": ("Mô hình", "models", ";", "chọn trong danh mục mô hình"),
    "locality": (
        "Địa bàn",
        "string",
        "",
        "ví dụ xã Phú Mỹ; nhiều địa bàn cách nhau bằng dấu chấm phẩy",
    ),
    "tags": ("Chủ đề (thẻ)", "list", ",", "cách nhau bằng dấu phẩy"),
    "source": ("Nguồn (địa chỉ bài gốc)", "string", "", "https://…"),
    "source_name": ("Tên nguồn", "string", "", "ví dụ Báo Thừa Thiên Huế"),
    "modified": ("Ngày giờ cập nhật (giờ Việt Nam)", "date", "", ""),
    "lang": ("Ngôn ngữ", "string", "", "để trống: tiếng Việt"),
    "translation": ("Bản dịch", "string", "", ""),
    "template": ("Mẫu trang", "string", "", "để trống: mẫu mặc định"),
    "save_as": ("Lưu thành tệp", "string", "", "để trống: theo quy tắc của trang"),
    "url": ("Địa chỉ riêng", "string", "", "để trống: theo quy tắc của trang"),
    "imported": ("Thời điểm nhập", "hidden", "", ""),
    "import_hash": ("Mã nhập", "hidden", "", ""),
    # Model files
    "name": ("Tên mô hình", "string", "", "tên mô hình như báo chí gọi"),
    "aliases": (
        "Tên khác",
        "string",
        "",
        "các tên khác báo chí dùng, cách nhau bằng dấu chấm phẩy",
    ),
    "group": ("Nhóm", "string", "", "dùng một nhóm đã có nếu phù hợp"),
}
# The form's order; a key of ARTICLE_FIELDS missing here fails the tests.
ARTICLE_ORDER = [
    "title",
    "slug",
    "date",
    "status",
    "authors",
    "author",
    "category",
    "summary",
    "image",
    "image_caption",
    "models",
    "locality",
    "tags",
    "source",
    "source_name",
    "modified",
    "lang",
    "translation",
    "template",
    "save_as",
    "url",
    "imported",
    "import_hash",
]
PAGE_KEYS = [
    "title",
    "slug",
    "summary",
    "status",
    "modified",
    "lang",
    "translation",
    "template",
    "save_as",
    "url",
]
MODEL_ORDER = ["name", "slug", "aliases", "group"]
STATUS_OPTIONS = [{"label": "Bản nháp", "value": "draft"}, {"label": "Đăng", "value": "published"}]
BODY_LABEL = {"article": "Nội dung bài", "page": "Nội dung trang", "model": "Mô tả mô hình"}
SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_MESSAGE = (
    "Chỉ dùng chữ thường không dấu, số và dấu gạch ngang, ví dụ bam-co-so-xay-dung-phong-trao"
)
# Stored exactly so: Vietnam wall time with its offset, whatever the browser's time zone.
DATE_FORMAT = "YYYY-MM-DD HH:mm[+07:00]"


def check_coverage() -> None:
    """Every key the site reads has a form field (ValueError otherwise)."""
    missing = sorted(
        (set(ARTICLE_FIELDS) - set(ARTICLE_ORDER))
        | (set(MODEL_FIELDS) - set(MODEL_ORDER))
        | (set(CATALOG_FIELDS) - set(MODEL_ORDER))
        | (set(ARTICLE_ORDER) - set(FIELD_SPECS))
    )
    if missing:
        raise ValueError(f"editor_desk: no form field for header key(s) {', '.join(missing)}")


def header_name(key: str) -> str:
    return "Slug" if key == "slug" else display(key)


def format_schema() -> dict[str, Any]:
    """What the header format (pelican-format.js) needs: key -> written name, kind, separator."""
    schema = {}
    for key, (_label, kind, sep, _hint) in FIELD_SPECS.items():
        schema[key] = {
            "name": header_name(key),
            "kind": {"date": "date"}.get(kind, "list" if sep else "string"),
            "sep": sep,
        }
    order = {
        "articles": ["__desk_error", *ARTICLE_ORDER, "body"],
        "pages": ["__desk_error", *PAGE_KEYS, "body"],
        "models": ["__desk_error", *MODEL_ORDER, "body"],
    }
    return {"fields": schema, "order": order, "content_dir": "content"}


def _hint(key: str, own: str, kind: str) -> str:
    required = ARTICLE_REQUIRED.get(key, "") if kind == "article" else ""
    return "; ".join(part for part in (required, own) if part)


def field_config(key: str, kind: str, model_options: list[dict[str, str]]) -> dict[str, Any]:
    label, widget, _sep, own = FIELD_SPECS[key]
    required = (
        (kind == "article" and key in ARTICLE_REQUIRED and key != "author")
        or (kind == "page" and key == "title")
        or (kind == "model" and key == "name")
    )
    field: dict[str, Any] = {"name": key, "label": label, "required": required}
    hint = _hint(key, own, kind)
    if hint:
        field["hint"] = hint
    if widget in ("string", "slug"):
        field["widget"] = "string"
    if widget == "slug":
        field["pattern"] = [SLUG_PATTERN, SLUG_MESSAGE]
    elif widget == "text":
        field["widget"] = "text"
    elif widget == "date":
        field.update(
            widget="datetime", format=DATE_FORMAT, date_format="DD/MM/YYYY", time_format="HH:mm"
        )
        if key == "date":
            field["default"] = "{{now}}"
    elif widget == "list":
        field.update(widget="list", allow_add=True)
    elif widget == "models":
        field.update(widget="select", multiple=True, options=model_options)
    elif widget == "image":
        field.update(widget="image", choose_url=False)
    elif widget == "status":
        field.update(widget="select", options=STATUS_OPTIONS, default="draft")
    elif widget == "hidden":
        field["widget"] = "hidden"
    return field


def collection_fields(kind: str, model_options: list[dict[str, str]]) -> list[dict[str, Any]]:
    keys = {"article": ARTICLE_ORDER, "page": PAGE_KEYS, "model": MODEL_ORDER}[kind]
    fields = [
        {
            "name": "__desk_error",
            "label": "Tình trạng tệp",
            "widget": "desk-notice",
            "required": False,
        }
    ]
    fields += [field_config(key, kind, model_options) for key in keys]
    # Decap's Markdown editor in plain-text mode (its rich-text mode rewrites the whole
    # Markdown at the first keystroke), with a button that inserts a photo and its caption.
    fields.append(
        {
            "name": "body",
            "label": BODY_LABEL[kind],
            "widget": "desk-body",
            "modes": ["raw"],
            "required": False,
        }
    )
    return fields
