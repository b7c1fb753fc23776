"""The content checker's own rules (plugins/lib/tdbvantq/check), run by the build: broken
{static}/{filename}/{attach} links (missing photos included) and unknown model names stop
`make html` and `make publish` with the very line `make check` prints for them; a date
`make check` cannot read is reported in its words too.

One implementation: the rule functions are contentcheck's (link_rules.internal_links,
meta_rules.model_names); this module only runs them on the files Pelican reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from strict_content.checks import Problem, display_path


@dataclass
class RuleContext:
    """What the rules need for one build: contentcheck's Context, loaded once."""

    content_root: Path
    checker: Any = None  # contentcheck.context.Context
    notes: list[str] = field(default_factory=list)


def load(content_root: Path) -> RuleContext:
    """The catalogue of `content_root`/models, as `make check` loads it."""
    from tdbvantq.check.context import Context, load_matcher

    matcher, note = load_matcher(content_root)
    # A catalogue that does not load is model_catalog's error, reported by it.
    checker = Context(content_root, matcher=matcher, catalog_note=note)
    return RuleContext(content_root, checker, [note] if note else [])


def check_file(source: Path, rules: RuleContext) -> list[Problem]:
    """contentcheck's link, bad-date and model-name problems of one Markdown file, worded as
    `make check` words them: `path:line: message — hint`."""
    from tdbvantq.check import link_rules, meta_rules
    from tdbvantq.check.document import ARTICLE, read_document
    from tdbvantq.check.runner import kind_of

    kind = kind_of(source, rules.content_root)
    doc = read_document(source, kind, rules.content_root)
    if doc.decode_error:
        return []  # strict_content reports the encoding
    found = list(link_rules.internal_links(doc))
    found += [
        problem for problem in meta_rules.dates(doc, rules.checker) if problem.code == "bad-date"
    ]
    if kind == ARTICLE:
        found += meta_rules.model_names(doc, rules.checker)
    return [as_build_problem(problem) for problem in found if problem.is_error]


def as_build_problem(problem: Any) -> Problem:
    """A contentcheck Problem as the build logs it: `make check`'s very line."""
    return Problem(display_path(problem.path), f"{problem.message} — {problem.hint}", problem.line)
