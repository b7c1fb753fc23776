"""Functions for spawned processes to run in tests (importable by name in the child,
which gets the parent's sys.path)."""

from __future__ import annotations

import sys


def loaded(*modules: str) -> list[bool]:
    """Whether each module is already imported in the process running this."""
    return [name in sys.modules for name in modules]
