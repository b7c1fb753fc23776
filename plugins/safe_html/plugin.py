"""Sanitize every article and page as soon as Pelican has read it.

On `content_object_init` (drafts and hidden pages included, before any other
plugin, template, feed or search index sees the object) the body and the
formatted metadata (Summary) are replaced by their sanitized HTML, and a
Source or Image that is not an http(s) URL or a site path is dropped. Each
removal is logged as `file:line: problem — fix` and recorded with
strict_content's problems, so a strict build stops with exit status 1 once the
pages are read (STRICT_CONTENT = False: logged only, the clean HTML is published).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from pelican import signals
from pelican.contents import Article, Content, Page

from safe_html import known_clean
from safe_html.audit import Finding
from safe_html.sources import (
    LINK_FIELDS,
    audit_rendered,
    link_field_findings,
    link_field_problem,
    site_policy,
)

logger = logging.getLogger(__name__)


def record(content: Content, findings: list[Finding]) -> None:
    """Log each finding and add it to strict_content's problems (same format, same stop)."""
    from strict_content.checks import Problem, display_path
    from strict_content.plugin import PROBLEMS_KEY

    shown = display_path(content.source_path) if content.source_path else repr(content)
    problems = content._context.setdefault(PROBLEMS_KEY, [])
    for finding in findings:
        problem = Problem(shown, str(finding), finding.line)
        logger.error("%s", problem)
        problems.append(problem)


def sanitize_content(content: Content) -> None:
    """Replace an article's or page's HTML by its sanitized HTML; record what was removed."""
    if not isinstance(content, Article | Page):
        return
    settings = content.settings
    formatted = {
        key: value
        for key, value in content.metadata.items()
        if (key in settings.get("FORMATTED_FIELDS", ()) or key == "summary")
        and isinstance(value, str)
    }
    links = {key: content.metadata.get(key) for key in LINK_FIELDS}
    source_text: str | None = None

    def text() -> str:
        nonlocal source_text
        if source_text is None:
            try:  # lines are found in the source; a made-up object has none
                source_text = Path(content.source_path).read_text(encoding="utf-8")
            except (TypeError, OSError, UnicodeDecodeError):
                source_text = ""
        return source_text

    clean, clean_fields, findings = _sanitize(content, formatted, text)
    content._content = clean
    for key, value in clean_fields.items():
        content.metadata[key] = value
        if key == "summary":
            content._summary = value
        elif not isinstance(getattr(type(content), key, None), property):
            setattr(content, key, value)
    bad = {
        key: value
        for key, value in links.items()
        if isinstance(value, str) and link_field_problem(key, value)
    }
    if bad:
        findings = link_field_findings(text(), bad) + findings
        for key in bad:  # not published: the theme would make it a link or a photo
            content.metadata[key] = ""
            setattr(content, key, "")
    if findings:
        record(content, sorted(findings, key=lambda f: f.line))


def _sanitize(
    content: Content, formatted: dict[str, str], text: Callable[[], str]
) -> tuple[str, dict[str, str], list[Finding]]:
    """audit_rendered, reading the source file only when something was removed; HTML
    the last build's sanitizer gave back unchanged is not cleaned again (`known_clean`)."""
    policy = site_policy(content.settings)
    body = content._content or ""
    known = known_clean.for_site(content.settings, tuple(sorted(policy.iframe_hosts)))
    digest = known_clean.digest_of(body, formatted) if known is not None else b""
    if known is not None and digest in known.known:
        known.seen.add(digest)
        return body, dict(formatted), []
    clean = policy.clean(body)
    fields = {key: policy.clean(value) for key, value in formatted.items()}
    if clean == body and all(fields[key] == value for key, value in formatted.items()):
        if known is not None:
            known.seen.add(digest)
        return clean, fields, []
    return audit_rendered(text(), body, formatted, policy)


def register() -> None:
    signals.initialized.connect(known_clean.start_build)
    signals.content_object_init.connect(sanitize_content)
    signals.finalized.connect(known_clean.save_all)
