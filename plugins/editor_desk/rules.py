"""The rules the desk's form applies before a save, exported from the checker's own code.

Nothing here decides what an error says: the date pattern and offsets come from
strict_content.checks, the model names from the catalogue the checker loads
(contentcheck.context.load_matcher), and every message is produced by running the
checker's real rule on a probe and turning the probe's value back into a placeholder.
What a form cannot run is the build's sanitizer (it judges rendered HTML): the form finds
the same classes of active markup with the patterns below, and words them with the
messages the checker gives for them. The browser mirror (static/desk-rules.js) fills the
placeholders; tests/vectors/desk_rules.json holds cases both sides must agree on.
"""

from __future__ import annotations

import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from strict_content.checks import ISO_DATE_RE, MAX_OFFSET, MIN_OFFSET
from tdbvantq.check import link_rules, meta_rules, text_rules
from tdbvantq.check.context import Context, load_matcher
from tdbvantq.check.document import ARTICLE, read_document_text

# Probe values: strings no real content contains, replaced by {placeholders}.
_PROBE = "ZQXPROBEZQX"
_BAD_OFFSET = "2023-05-01 08:00+99:00"
# Active markup as the form finds it in the Markdown source, outside code: the tags that
# run code or embed another site, on…= attributes, script URLs, and {: …} attribute lists.
UNSAFE_TAG = re.compile(r"<(script|iframe|frame|object|embed)\b([^>]*)", re.IGNORECASE)
EVENT_ATTR = re.compile(r"<[a-zA-Z][^>]*?\s(on[a-zA-Z]+)\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(r"""(?:[(=]|["'])\s*(javascript|vbscript)\s*:""", re.IGNORECASE)
IFRAME_SRC = re.compile(r"""\ssrc\s*=\s*["']?https://([^/"'\s>:]+)[/"'\s>]""", re.IGNORECASE)
# The wording of the sanitizer (plugins/safe_html) for attribute lists, used only when the
# checker this runs with does not judge them yet.
ATTR_LIST_MESSAGE = "Thuộc tính {keys} trong {: …} không được phép; chỉ dùng class, id"
ATTR_LIST_HINT = "Xóa thuộc tính này; trong {: …} chỉ dùng .tên-lớp hoặc #mã."
_MARKUP_PROBES = {
    **{
        f"tag_{tag}": (f'<{tag} data-x="1"></{tag}>', None)
        for tag in ("script", "frame", "object", "embed")
    },
    "tag_iframe": ('<iframe src="https://example.com/"></iframe>', None),
    "event": (f'<img src="a.jpg" on{_PROBE.lower()}="x">', (f"on{_PROBE.lower()}", "{attr}")),
    "url_javascript": ("[a](javascript:x)", None),
    "url_vbscript": ("<a href='vbscript:x'>a</a>", None),
}


def js_pattern(pattern: re.Pattern[str]) -> dict[str, str]:
    """A Python pattern as JavaScript RegExp source and flags (the patterns used are
    written in the syntax both share; named groups are converted)."""
    source = pattern.pattern.replace("(?P<", "(?<")
    flags = "i" if pattern.flags & re.IGNORECASE else ""
    return {"source": source, "flags": flags}


def _problems(rule, doc, *args) -> list[Any]:
    return [p for p in rule(doc, *args) if p.is_error]


def _template(text: str, probe: str, placeholder: str) -> str:
    if probe not in text:
        raise ValueError(f"editor_desk: probe {probe!r} not in checker message {text!r}")
    return text.replace(probe, placeholder)


def _markup_templates() -> tuple[dict[str, Any], list[Any]]:
    """The checker's messages for active markup, and its findings for an attribute list."""
    markup: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="desk-markup-") as temp:
        root = Path(temp)
        (root / "articles").mkdir()
        path = root / "articles" / "probe.md"
        context = Context.for_content(root, datetime(2999, 1, 1, tzinfo=UTC))

        def findings(body: str) -> list[Any]:
            doc = read_document_text(path, f"Title: x\n\nĐoạn văn.\n\n{body}\n", root, ARTICLE)
            return [p for p in text_rules.unsafe_html(doc, context) if p.is_error]

        for key, (body, placeholder) in _MARKUP_PROBES.items():
            found = findings(body)
            if not found:
                raise ValueError(f"editor_desk: the checker reports nothing for {body!r}")
            message, hint = found[0].message, found[0].hint
            if placeholder:
                message, hint = (_template(text, *placeholder) for text in (message, hint))
            markup[key] = {"message": message, "hint": hint}
        attr_list = findings(f'Đoạn.\n{{: on{_PROBE.lower()}="x"}}')
    return markup, attr_list


def message_templates() -> dict[str, Any]:
    """Every message the form may show, produced by the checker's own rules."""
    messages: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="desk-rules-") as temp:
        root = Path(temp)
        (root / "articles").mkdir()
        path = root / "articles" / "probe.md"
        context = Context(root, datetime(2999, 1, 1, tzinfo=UTC))

        def doc(text: str):
            return read_document_text(path, text, root, ARTICLE)

        for key in ("date", "modified"):
            shown = meta_rules.display(key)
            bad = _problems(meta_rules.dates, doc(f"{shown}: {_PROBE}\n\nx\n"), context)[0]
            offset = _problems(meta_rules.dates, doc(f"{shown}: {_BAD_OFFSET}\n\nx\n"), context)[0]
            messages[f"{key}_format"] = {
                "message": _template(bad.message, _PROBE, "{value}"),
                "hint": bad.hint,
            }
            messages[f"{key}_unreal"] = {
                "message": _template(offset.message, _BAD_OFFSET, "{value}"),
                "hint": offset.hint,
            }
        missing = _problems(meta_rules.required_fields, doc("Title: x\n\nx\n"))
        for problem in missing:
            match = re.search(r"Thiếu trường bắt buộc (\w+)", problem.message)
            if match:
                messages[f"missing_{match[1].lower()}"] = {
                    "message": problem.message,
                    "hint": problem.hint,
                }
        context.matcher = _ProbeMatcher()
        unknown = _problems(meta_rules.model_names, doc(f"Models: {_PROBE}\n\nx\n"), context)[0]
        messages["unknown_model"] = {
            "message": _template(unknown.message, _PROBE, "{name}"),
            "hint": unknown.hint,
        }
        target = f"/images/{_PROBE}/a.jpg"
        link = _problems(link_rules.internal_links, doc(f"Title: x\n\n![a]({{static}}{target})\n"))[
            0
        ]
        messages["broken_link_static"] = {
            "message": _template(link.message, "{static}" + target, "{target}"),
            "hint": _template(link.hint, f"{{static}}/images/{_PROBE}/", "{folder}"),
        }
        page = _problems(
            link_rules.internal_links, doc(f"Title: x\n\n[a]({{filename}}/{_PROBE}.md)\n")
        )[0]
        messages["broken_link_filename"] = {
            "message": _template(page.message, "{filename}/" + _PROBE + ".md", "{target}"),
        }
    markup, attr_list = _markup_templates()
    messages["markup"] = markup
    if attr_list:
        probe = f"on{_PROBE.lower()}"
        messages["attr_list"] = {
            "message": _template(attr_list[0].message, probe, "{keys}"),
            "hint": attr_list[0].hint.replace(probe, "{keys}"),
            "source": "checker",
        }
    else:
        messages["attr_list"] = {
            "message": ATTR_LIST_MESSAGE,
            "hint": ATTR_LIST_HINT,
            "source": "desk",
        }
    return messages


class _ProbeMatcher:
    """A catalogue that knows no model and suggests none: the bare unknown-model message."""

    def resolve(self, name: str) -> None:
        return None

    def suggest(self, name: str, n: int = 3) -> list[str]:
        return []


def model_data(content_root: Path) -> dict[str, Any]:
    """Model names, aliases and the exact keys the checker resolves (its own matcher's)."""
    from model_catalog.catalog import load_models

    models_dir = content_root / "models"
    models = load_models(models_dir) if models_dir.is_dir() else []
    matcher, _note = load_matcher(content_root)
    # The matcher's token sequences of every name, alias and acronym variant; read from
    # the matcher itself so the form accepts exactly what `make check` accepts.
    exact = sorted(" ".join(tokens) for tokens in getattr(matcher, "_exact", {}))
    return {
        "models": [{"slug": m.slug, "name": m.name, "aliases": m.aliases} for m in models],
        "model_keys": exact,
        "model_slugs": sorted(m.slug for m in models),
    }


def content_files(content_root: Path) -> list[str]:
    """Content-relative paths of the files links may point to."""
    return sorted(
        p.relative_to(content_root).as_posix()
        for p in content_root.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    )


def site_iframe_hosts(content_root: Path) -> list[str]:
    """STRICT_CONTENT_IFRAME_HOSTS as the checker reads it for this content folder."""
    context = Context.for_content(content_root)
    hosts = getattr(context, "iframe_hosts", None)
    if hosts is None:
        hosts = (getattr(context, "settings", None) or {}).get("STRICT_CONTENT_IFRAME_HOSTS") or ()
    return [str(host) for host in hosts]


def rule_data(
    content_root: Path, iframe_hosts: list[str] | None = None, files: list[str] | None = None
) -> dict[str, Any]:
    """The JSON the desk loads (admin/rules.json). `files`: what links may point to (the
    build passes what it publishes); every file of `content_root` by default."""
    hosts = list(iframe_hosts) if iframe_hosts is not None else site_iframe_hosts(content_root)
    return {
        "date": js_pattern(ISO_DATE_RE),
        "offset_minutes": [
            int(MIN_OFFSET.total_seconds() // 60),
            int(MAX_OFFSET.total_seconds() // 60),
        ],
        "markup_patterns": {
            "tag": js_pattern(UNSAFE_TAG),
            "event": js_pattern(EVENT_ATTR),
            "url": js_pattern(SCRIPT_URL),
            "src": js_pattern(IFRAME_SRC),
        },
        "iframe_hosts": hosts,
        "files": content_files(content_root) if files is None else files,
        "messages": message_templates(),
        **model_data(content_root),
    }
