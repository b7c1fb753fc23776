"""Editor-facing output: `path:line: problem — how to fix`, errors apart from warnings."""

from __future__ import annotations

import os
from pathlib import Path

from tdbvantq.check.fixer import Change
from tdbvantq.check.problems import Problem
from tdbvantq.check.runner import Report


def shown_path(path: Path) -> str:
    """Relative to the working directory when inside it: what an editor types."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


def format_problem(problem: Problem) -> str:
    where = (
        f"{shown_path(problem.path)}:{problem.line}" if problem.line else shown_path(problem.path)
    )
    return f"{where}: {problem.message} — {problem.hint}"


def format_report(report: Report) -> str:
    lines: list[str] = []
    if report.errors:
        lines.append(f"LỖI ({len(report.errors)}) — phải sửa trước khi xuất bản:")
        lines += [format_problem(p) for p in report.errors]
    if report.warnings:
        if lines:
            lines.append("")
        lines.append(f"CẢNH BÁO ({len(report.warnings)}) — nên sửa:")
        lines += [format_problem(p) for p in report.warnings]
    for note in report.notes:
        lines.append(f"Lưu ý: {note}.")
    if lines:
        lines.append("")
    files = len(report.checked)
    if report.problems:
        touched = len({p.path for p in report.problems})
        summary = (
            f"Kết quả: {len(report.errors)} lỗi, {len(report.warnings)} cảnh báo "
            f"trong {touched}/{files} tệp."
        )
        if any(p.fixable for p in report.problems):
            summary += " Lỗi ghi “--fix” tự sửa được: thêm --fix vào lệnh kiểm tra."
        lines.append(summary)
    else:
        lines.append(f"Kết quả: {files} tệp, không có lỗi nào.")
    return "\n".join(lines)


def format_changes(changes: list[Change]) -> str:
    return "\n".join(
        f"Đã sửa {shown_path(change.path)}:{change.line}: {change.description}"
        for change in changes
    )
