"""Check articles, pages and model files before they are published.

    python scripts/check_content.py [--fix] [--content DIR] [PATH ...]

PATH is a content folder (default: content/) or single files (what the
pre-commit hook passes). Prints `path:line: problem — how to fix` for every
problem, errors first, then warnings. Exit status: 1 when there is an error,
0 otherwise (warnings alone do not fail), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tdbvantq.check import Change, FixRefused, UsageError, check_paths, fix_file
from tdbvantq.check.photo_fix import download_remote_photos
from tdbvantq.check.report import format_changes, format_report
from tdbvantq.check.runner import find_content_root
from tdbvantq.importer.fetch import Fetcher


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="check_content.py",
        description="Kiểm tra bài viết, trang và tệp mô hình trước khi xuất bản.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="thư mục nội dung hoặc từng tệp (mặc định: content/)",
    )
    parser.add_argument(
        "--fix",
        action="store_true",
        help="tự sửa lỗi an toàn: Unicode NFC, cách bỏ dấu, khoảng trắng cuối dòng; "
        "tải ảnh đang lấy từ trang khác về content/images/<slug>/",
    )
    parser.add_argument(
        "--content",
        type=Path,
        metavar="DIR",
        help="thư mục gốc của nội dung, để tìm {static}/… (mặc định: tự nhận ra)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    paths = args.paths or [Path("content")]
    if args.content is not None and not args.content.is_dir():
        print(f"check_content: không có thư mục nội dung “{args.content}”", file=sys.stderr)
        return 2
    refused = 0
    try:
        report = check_paths(paths, content_root=args.content)
        if args.fix:
            fixable = sorted({p.path for p in report.problems if p.fixable})
            changes, refused = fix_files(fixable, args.content)
            remote = sorted({p.path for p in report.problems if p.code == "remote-photo"})
            changes += fix_photos(remote, args.content)
            if changes:
                print(format_changes(changes))
                print()
                report = check_paths(paths, content_root=args.content)
            else:
                print("Không có gì cần tự sửa.")
    except UsageError as problem:
        print(f"check_content: {problem}", file=sys.stderr)
        return 2
    except OSError as problem:
        print(
            f"check_content: không đọc/ghi được “{problem.filename}”: {problem.strerror}",
            file=sys.stderr,
        )
        return 2
    print(format_report(report))
    return 1 if report.errors or refused else 0


def fix_files(paths: list[Path], content_root: Path | None) -> tuple[list[Change], int]:
    """Fix each file; a fix that would break the build is reported and not written."""
    changes: list[Change] = []
    refused = 0
    for path in paths:
        try:
            changes += fix_file(path, content_root)
        except FixRefused as refusal:
            refused += 1
            print(
                f"{path}: không tự sửa tệp này — sau khi sửa sẽ có lỗi mới: "
                + "; ".join(refusal.reasons),
                file=sys.stderr,
            )
    return changes, refused


def fix_photos(paths: list[Path], content_root: Path | None) -> list[Change]:
    """Download the photos shown from other sites' addresses; each one that cannot be
    downloaded keeps its link and is reported on stderr with the reason."""
    changes: list[Change] = []
    fetcher = Fetcher()
    for path in paths:
        fixes = download_remote_photos(path, content_root or find_content_root(path), fetcher)
        changes += fixes.changes
        for failure in fixes.failures:
            print(failure, file=sys.stderr)
    return changes


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into `head`: not an error
        sys.exit(0)
