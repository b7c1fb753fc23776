"""The "to fill" marker that scaffolded articles carry until an editor fills them.

A marker is plain text, so an unfilled article still builds (a preview shows the
marker where the text is missing), but the checker reports each one as an error,
so an unfilled article can neither be committed (pre-commit) nor published (CI).
"""

from __future__ import annotations

import re

MARKER = "CẦN ĐIỀN"
MARKER_PATTERN = re.compile(r"\[\s*CẦN ĐIỀN[^\]]*\]", re.IGNORECASE)


def to_fill(what: str) -> str:
    """`to_fill("sapo")` -> "[CẦN ĐIỀN: sapo]"."""
    return f"[{MARKER}: {what}]"
