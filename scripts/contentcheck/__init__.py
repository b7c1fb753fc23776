"""Content checks for editors: each rule is a small function yielding Problems.

    from contentcheck import check_paths, fix_file
    report = check_paths([Path("content")])
    report.errors, report.warnings  # -> [Problem(path, line, code, message, hint, severity)]

Rules live in text_rules (any file's lines), meta_rules (metadata headers),
link_rules ({static}/{filename} links) and runner (which rules apply to which
kind of file, and the rules across files: unique slugs and model names).
"""

from contentcheck.fixer import Change, FixRefused, fix_file, fix_text
from contentcheck.problems import Problem, Severity
from contentcheck.runner import Report, UsageError, check_paths

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
