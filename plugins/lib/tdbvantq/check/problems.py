"""What a check finds: one problem at one line of one file."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"  # blocks publishing: exit status 1
    WARNING = "warning"  # worth fixing, never blocks


@dataclass(frozen=True)
class Problem:
    """`message` says what is wrong and `hint` how to fix it, both for editors (Vietnamese)."""

    path: Path
    line: int  # 1-based; the line to open in an editor
    code: str  # stable rule id, for tests and for people who grep
    message: str
    hint: str
    severity: Severity = Severity.ERROR
    fixable: bool = False  # --fix repairs it

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(
    path: Path, line: int, code: str, message: str, hint: str, *, fixable: bool = False
) -> Problem:
    return Problem(path, line, code, message, hint, Severity.ERROR, fixable)


def warning(
    path: Path, line: int, code: str, message: str, hint: str, *, fixable: bool = False
) -> Problem:
    return Problem(path, line, code, message, hint, Severity.WARNING, fixable)
