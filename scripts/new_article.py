"""Create a correctly shaped article for an editor to fill in.

    python scripts/new_article.py [--content DIR] [--models "A; B"] [--date "2024-05-01 08:30"]
                                  [--author NAME] [--category NAME] [--slug SLUG] [--publish]
                                  "Tiêu đề bài viết"

Writes content/articles/<yyyy>/<slug>.md with every metadata field either
filled or holding a "[CẦN ĐIỀN: …]" marker (Image is left empty instead: the
build stops on an Image naming no file). Markers are plain text, so the article
builds and previews, but the content checker reports each marker and each empty
field as an error until it is filled (or the optional line is deleted).
The article is a draft (`Status: draft`) until that line is deleted, unless --publish.
Never overwrites.
Exit status: 0 created, 1 refused (the article or its slug exists), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tdbvantq.check.scaffold import DEFAULT_CATEGORY, ScaffoldError, create_article


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="new_article.py", description="Tạo bài viết mới, đủ các trường thông tin để điền."
    )
    parser.add_argument("title", metavar="TIÊU_ĐỀ", help="tiêu đề bài viết, trong dấu ngoặc kép")
    parser.add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        metavar="DIR",
        help="thư mục nội dung (mặc định: content/)",
    )
    parser.add_argument(
        "--models",
        action="append",
        default=[],
        metavar="TÊN; TÊN",
        help="tên mô hình trong danh mục, cách nhau bằng dấu chấm phẩy",
    )
    parser.add_argument(
        "--date", metavar="NGÀY", help="ngày giờ đăng, ví dụ “2024-05-01 08:30” (mặc định: bây giờ)"
    )
    parser.add_argument("--author", metavar="TÊN", help="tác giả (mặc định: để điền)")
    parser.add_argument(
        "--category",
        default=DEFAULT_CATEGORY,
        metavar="TÊN",
        help=f"chuyên mục (mặc định: {DEFAULT_CATEGORY})",
    )
    parser.add_argument("--slug", metavar="SLUG", help="đường dẫn bài (mặc định: từ tiêu đề)")
    parser.add_argument(
        "--publish",
        action="store_true",
        help="xuất bản ngay, không ghi dòng “Status: draft” (mặc định: bản nháp)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        path = create_article(
            args.title,
            args.content,
            date=args.date,
            models=args.models,
            author=args.author,
            category=args.category,
            slug=args.slug,
            publish=args.publish,
        )
    except ScaffoldError as problem:
        print(f"new_article: {problem}", file=sys.stderr)
        return problem.status
    except OSError as problem:
        print(
            f"new_article: không ghi được “{problem.filename}”: {problem.strerror}", file=sys.stderr
        )
        return 1
    print(f"Đã tạo {path}")
    print(
        "Tiếp theo: mở tệp, thay mọi chỗ [CẦN ĐIỀN: …] bằng nội dung thật "
        "(dòng không dùng thì xóa), rồi chạy: make check"
    )
    if not args.publish:
        print(
            "Bài đang là bản nháp (dòng “Status: draft”): viết xong và kiểm tra xong "
            "thì xóa dòng đó để xuất bản"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
