"""Where an article or page is written and linked: `Slug`, `Save_as` and `URL` metadata.

One set of rules for the build (strict_content) and the content checker (`make
check`), so both refuse the same values with the same words:

- a `Slug` is one folder name: no `/`, `\\`, `..`, control character, nor more than
  `vntext.SLUG_MAX_BYTES` bytes (`Slug: ../gioi-thieu` would write over the page
  "Giới thiệu");
- a `Save_as` or `URL` override stays inside the folder the item gets without it
  (`2023/<slug>/` for an article, `<slug>/` for a page): it may rename the file
  there, never write over a page another generator writes (`index.html`,
  `feeds/…`, `chu-de/…`) nor point somewhere else; an `URL` with a scheme
  (`https://other.example/…`) or starting with `//` is refused;
- a page's folder (`<slug>/`) is not one of the site's own folders or files
  (`chu-de`, `mo-hinh`, `feeds`, `search.html`…: `reserved_names`);
- two items written to one file, also when the names differ only in case (most
  hosts' and laptops' file systems ignore case) or in `.`/`..` steps, name each
  other (`output_key`).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping

from strict_content.controls import CONTROL
from tdbvantq.text import SLUG_MAX_BYTES, safe_slug, shorten_slug

_SCHEME = re.compile(r"^\s*[a-zA-Z][a-zA-Z0-9+.-]*:")
# Outputs of plugins whose place is not a *_SAVE_AS setting.
PLUGIN_OUTPUTS = ("sitemap.xml", "manifest.webmanifest", "icons", "search", "share", "drafts")
# Settings naming where the content kinds themselves go: pages may share them.
_CONTENT_KINDS = ("ARTICLE_", "PAGE_", "DRAFT_", "DRAFT_PAGE_")


def slug_problem(slug: str) -> str | None:
    """Why `slug` cannot be a folder name of the site, or None."""
    shown = slug if len(slug) <= 80 else slug[:77] + "…"
    if not slug.strip():
        return (
            "Slug trống: bài sẽ được ghi vào thư mục của năm — ghi slug của bài, hoặc xóa dòng Slug"
        )
    if "/" in slug or "\\" in slug or slug.strip(".") == "" or slug.startswith("."):
        return (
            f"Slug “{shown}” có dấu / hoặc .. nên bài sẽ được ghi ra ngoài thư mục của nó"
            f" — chỉ dùng chữ thường không dấu, số và dấu gạch ngang, ví dụ “{safe_slug(slug)}”"
        )
    if CONTROL.search(slug):
        return f"Slug “{shown}” có ký tự điều khiển — ví dụ “{safe_slug(slug)}”"
    size = len(slug.encode("utf-8"))
    if size > SLUG_MAX_BYTES:
        return (
            f"Slug dài {size} byte, quá giới hạn {SLUG_MAX_BYTES} byte (tên thư mục quá dài thì"
            f" không lưu được) — rút gọn, ví dụ “{shorten_slug(slug)}”"
        )
    return None


def output_key(path: str) -> str:
    """The file a site path really names on a case-insensitive host: `.`/`..` steps
    resolved, case folded."""
    return posixpath.normpath(path.lstrip("/") or ".").casefold()


def own_folder(default_save_as: str) -> str:
    """The folder an item is written to without overrides (`2023/slug`, `gioi-thieu`)."""
    return posixpath.dirname(posixpath.normpath(default_save_as))


def override_problem(key: str, value: str, default_save_as: str) -> str | None:
    """Why a `Save_as` (`key` "save_as") or `URL` ("url") override is refused, or None.

    An override must stay inside the item's own folder (that of
    `default_save_as`); an empty `Save_as` (the item is not written) is allowed.
    """
    name = {"save_as": "Save_as", "url": "URL"}[key]
    folder = own_folder(default_save_as)
    hint = f"bỏ dòng {name}, hoặc chỉ đổi tên tệp trong thư mục {folder}/ của bài"
    if key == "save_as" and value == "":
        return None
    if _SCHEME.match(value) or value.strip().startswith("//"):
        return f"{name} “{value}” trỏ sang trang web khác — {hint}"
    if CONTROL.search(value) or "\\" in value or any(ch.isspace() for ch in value):
        return f"{name} “{value}” có khoảng trắng, ký tự điều khiển hoặc dấu \\ — {hint}"
    path = value.split("#", 1)[0].split("?", 1)[0] if key == "url" else value
    parts = path.split("/")
    if path.startswith("/") or ".." in parts or not folder or folder == ".":
        return f"{name} “{value}” ra ngoài thư mục của bài ({folder}/) — {hint}"
    inside = posixpath.normpath(path) if path else ""
    if key == "save_as" and inside == folder:
        return f"{name} “{value}” là tên thư mục của bài, không phải tên tệp — {hint}"
    if not (inside == folder or inside.startswith(folder + "/")):
        return f"{name} “{value}” ra ngoài thư mục của bài ({folder}/) — {hint}"
    return None


def reserved_names(settings: Mapping[str, object]) -> set[str]:
    """First path segments (case folded) of what the site's other generators write:
    every literal `*_SAVE_AS`, `*_URL` and `FEED_*` setting, the direct templates, the
    home page's numbered pages (`PAGINATION_PATTERNS`), the static and theme folders, and
    the plugins' outputs. A page's folder may not
    be one of them."""
    found: set[str] = set(PLUGIN_OUTPUTS)
    for key, value in settings.items():
        if not isinstance(value, str) or not value or key.startswith(_CONTENT_KINDS):
            continue
        if key.endswith(("_SAVE_AS", "_URL")) or ("FEED_" in key and "/" in value):
            if key in ("FEED_DOMAIN", "SITEURL") or _SCHEME.match(value):
                continue
            first = value.lstrip("/").split("/", 1)[0]
            if first and "{" not in first:
                found.add(first.casefold())
    for name in settings.get("DIRECT_TEMPLATES", []) or []:
        save_as = settings.get(f"{str(name).upper()}_SAVE_AS") or f"{name}.html"
        found.add(str(save_as).split("/", 1)[0].casefold())
    # Numbered pages of the home page ("{base_name}/trang/{number}/" -> trang/2/).
    for pattern in settings.get("PAGINATION_PATTERNS") or []:
        try:
            save_as = str(pattern[2]).format(
                base_name="",
                name="index",
                number=2,
                url="",
                save_as="index.html",
                extension=".html",
            )
        except (IndexError, KeyError, ValueError):
            continue
        first = save_as.lstrip("/").split("/", 1)[0]
        if first:
            found.add(first.casefold())
    for path in [
        *(settings.get("STATIC_PATHS") or []),
        settings.get("THEME_STATIC_DIR") or "theme",
    ]:
        first = str(path).strip("/").split("/", 1)[0]
        if first:
            found.add(first.casefold())
    return found


def reserved_problem(default_save_as: str, reserved: Iterable[str]) -> str | None:
    """Why a page's own folder takes a place the site uses itself, or None."""
    first = posixpath.normpath(default_save_as).split("/", 1)[0]
    if first.casefold() in set(reserved):
        return (
            f"trang sẽ được ghi vào {first}/, chỗ của trang web dành cho mục khác"
            f" ({default_save_as}) — đặt Slug khác cho trang"
        )
    return None
