"""Content checks for editors: each rule is a small function yielding Problems.

    from tdbvantq.check import check_paths, fix_file
    report = check_paths([Path("content")])
    report.errors, report.warnings  # -> [Problem(path, line, code, message, hint, severity)]

Rules live in text_rules (any file's lines), meta_rules (metadata headers),
link_rules ({static}/{filename} links) and runner (which rules apply to which
kind of file, and the rules across files: unique slugs and model names).
"""

from tdbvantq.check.fixer import Change, FixRefused, fix_file, fix_text
from tdbvantq.check.problems import Problem, Severity
from tdbvantq.check.runner import Report, UsageError, check_paths

__all__ = [
    "Change",
    "FixRefused",
    "Problem",
    "Report",
    "Severity",
    "UsageError",
    "check_paths",
    "fix_file",
    "fix_text",
]
