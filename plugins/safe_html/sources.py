"""One content file, sanitized and explained: what the build and `make check` share.

The build sanitizes what Pelican's reader made of a file (`audit_rendered`, from
the plugin); the content checker renders the file with the same reader and the
site's settings (`render_markdown`), then calls the same function. Model files
are rendered by the model catalogue's own Markdown (`audit_model`). Every
finding is a line of the source with the words the editor sees in both.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from safe_html.audit import Finding, locate_in_body, locate_in_field, sanitize
from safe_html.policy import Policy, policy_for
from tdbvantq.markdown.header import parse_header

# Metadata the theme turns into a link or a photo.
LINK_FIELDS = ("source", "image")
_FIELD_NAMES = {"source": "Source", "image": "Image"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def site_policy(settings: Mapping[str, Any]) -> Policy:
    """The sanitizer for a site: trusted iframes from STRICT_CONTENT_IFRAME_HOSTS."""
    hosts = settings.get("STRICT_CONTENT_IFRAME_HOSTS") or ()
    return policy_for(tuple(sorted(str(host).lower() for host in hosts)))


def link_field_problem(key: str, value: str) -> str | None:
    """Why a Source/Image value may not be published as a link or photo, or None.

    Accepted: http(s) URLs, site-relative or relative paths and Pelican's
    `{static}`/`{attach}`/`{filename}` forms. Not `javascript:`, `data:`, `mailto:`…,
    nor `//host/…` (another site without saying which scheme)."""
    value = value.strip()
    # As a browser reads an address: controls and spaces around it and tabs or newlines
    # in it dropped; an absolute URL only when it starts with a well-formed scheme
    # (`[CẦN ĐIỀN: …]` of a scaffold is a relative path, reported as unfilled).
    compact = re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(0x21)))))
    scheme = _SCHEME.match(compact)
    if scheme is None or scheme.group(1).lower() in ("http", "https"):
        if not compact.startswith(("//", "\\\\", "/\\", "\\/")):
            return None
    shown = re.sub(r"[\x00-\x1f\x7f]", "\ufffd", value)
    shown = shown if len(shown) <= 60 else shown[:59] + "…"
    name = _FIELD_NAMES.get(key, key.capitalize())
    if key == "image":
        return (
            f"{name} “{shown}” không phải ảnh trong content/ hay địa chỉ https://… — "
            f"Ghi “{name}: {{static}}/images/<slug>/<tên-ảnh>” hoặc một địa chỉ https://…"
        )
    return (
        f"{name} “{shown}” không phải địa chỉ trang web http(s)://… — "
        f"Ghi địa chỉ trang gốc bắt đầu bằng https://, hoặc xóa dòng {name}."
    )


def link_field_findings(text: str, values: Mapping[str, Any]) -> list[Finding]:
    """Source/Image problems of one file, at their header lines."""
    fields = parse_header(text.removeprefix("\ufeff").splitlines()).first()
    findings = []
    for key in LINK_FIELDS:
        value = values.get(key)
        problem = link_field_problem(key, value) if isinstance(value, str) else None
        if problem:
            message, hint = problem.split(" — ", 1)
            findings.append(Finding(fields[key].line if key in fields else 1, message, hint))
    return findings


def audit_rendered(
    text: str, content: str, fields: Mapping[str, str], policy: Policy
) -> tuple[str, dict[str, str], list[Finding]]:
    """Sanitize a file's rendered body and formatted fields (Summary…); the clean HTML
    of each and every removal at its line of `text` (the file's source)."""
    clean, removed = sanitize(content, policy)
    findings = locate_in_body(removed, text) if removed else []
    clean_fields = {}
    for key, value in fields.items():
        clean_fields[key], removed = sanitize(value, policy)
        if removed:
            findings += [f for f in locate_in_field(removed, text, key) if f not in findings]
    return clean, clean_fields, findings


# --- rendering a file as the build does (for the content checker) ----------------------------


def site_settings(pelicanconf: Path | None) -> dict[str, Any]:
    """Pelican's defaults with the site's settings file over them (the defaults alone
    when there is none)."""
    from pelican.settings import DEFAULT_CONFIG, get_settings_from_file

    settings = copy.deepcopy(DEFAULT_CONFIG)
    if pelicanconf is not None:
        settings.update(get_settings_from_file(str(pelicanconf)))
    return settings


def render_markdown(
    text: str, settings: dict[str, Any], path: Path | str = "-"
) -> tuple[str, dict[str, Any]]:
    """Body HTML and metadata of a Markdown file's text, as Pelican's MarkdownReader makes
    them with `settings` (formatted fields such as Summary rendered; other values raw)."""
    from markdown import Markdown
    from pelican.readers import MarkdownReader

    class RenderOnly(MarkdownReader):
        def process_metadata(self, name: str, value: Any) -> Any:
            return value  # dates, tags…: the metadata checks judge them, not this one

    reader = RenderOnly(copy.deepcopy(settings))
    reader._source_path = str(path)
    reader._md = Markdown(**reader.settings["MARKDOWN"])
    content = reader._md.convert(text.removeprefix("\ufeff"))
    metadata = reader._parse_metadata(reader._md.Meta) if hasattr(reader._md, "Meta") else {}
    return content, metadata


def audit_markdown(text: str, settings: dict[str, Any], path: Path | str = "-") -> list[Finding]:
    """Everything the build's sanitizer would remove from this article or page, and
    its Source/Image problems, at their lines."""
    content, metadata = render_markdown(text, settings, path)
    formatted = {
        key: value
        for key, value in metadata.items()
        if key in settings.get("FORMATTED_FIELDS", ()) and isinstance(value, str)
    }
    _, _, findings = audit_rendered(text, content, formatted, site_policy(settings))
    raw = {key: str(value) for key, value in metadata.items() if key in LINK_FIELDS}
    return sorted(link_field_findings(text, raw) + findings, key=lambda f: f.line)


def audit_model(text: str, html: str, policy: Policy) -> tuple[str, list[Finding]]:
    """A model file's description HTML (model_catalog's rendering), sanitized and explained."""
    clean, removed = sanitize(html, policy)
    return clean, (locate_in_body(removed, text) if removed else [])


def audit_model_source(text: str, policy: Policy) -> list[Finding]:
    """A model file's text rendered as the model catalogue renders it, audited (a file the
    catalogue cannot read has no description to judge: its own checks say why)."""
    from model_catalog.catalog import ModelFileError, markdown_to_html, parse_model_text

    try:
        model = parse_model_text(text, "-")
    except ModelFileError:
        return []
    return audit_model(text, markdown_to_html(model.description_markdown), policy)[1]
