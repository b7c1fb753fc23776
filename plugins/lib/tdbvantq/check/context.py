"""What the rules share for one run: the content folder, the clock, the model catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass
class Context:
    content_root: Path
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    matcher: Any = None  # model_catalog.matcher.ModelMatcher, when the catalogue loads
    catalog_note: str = ""  # why model names were not checked, when they were not
    # The site's Pelican settings (pelicanconf.py over Pelican's defaults): Markdown is
    # rendered and sanitized with them, as in the build (MARKDOWN, STRICT_CONTENT_IFRAME_HOSTS).
    settings: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def for_content(cls, content_root: Path, now: datetime | None = None) -> Context:
        context = cls(content_root, now or datetime.now(UTC))
        context.matcher, context.catalog_note = load_matcher(content_root)
        context.settings = load_site_settings(content_root)
        return context


def load_matcher(content_root: Path) -> tuple[Any, str]:
    """The model catalogue of `content_root`/models, or None and the reason in Vietnamese."""
    try:
        from model_catalog.matcher import ModelMatcher
        from tdbvantq.text import load_glossary
    except ImportError:
        return None, "chưa kiểm tra tên mô hình: thiếu plugins/model_catalog"
    models = content_root / "models"
    if not models.is_dir():
        return None, f"chưa kiểm tra tên mô hình: không có thư mục {models}"
    glossary = None
    acronyms = content_root / "data" / "acronyms.txt"
    try:
        if acronyms.is_file():
            glossary = load_glossary(acronyms)
        return ModelMatcher.from_dir(models, glossary=glossary), ""
    except ImportError as problem:  # the catalogue renders descriptions with Markdown/bs4
        return None, f"chưa kiểm tra tên mô hình: thiếu thư viện {problem.name}"
    except (ValueError, OSError) as problem:
        # The model files' own problems are reported by the model rules.
        return None, f"chưa kiểm tra tên mô hình: danh mục mô hình lỗi ({problem})"


def load_site_settings(content_root: Path) -> dict[str, Any]:
    """The settings of the site's pelicanconf.py (beside content/, else in the working
    folder), so the checker renders and sanitizes as the build does; Pelican's
    defaults when there is none or it does not load (the build will say why)."""
    from safe_html.sources import site_settings

    for settings_file in (content_root.parent / "pelicanconf.py", Path.cwd() / "pelicanconf.py"):
        if settings_file.is_file():
            try:
                return site_settings(settings_file)
            except Exception:  # noqa: BLE001 - a settings file that does not load
                break
    return site_settings(None)
