"""Import news stories into content/articles/ as clean Markdown.

    python scripts/import_news.py [--content DIR] [--dry-run] [--force] [--publish] [--json]
                                  [--source-url URL] [--limit N] [--deadline SECONDS] SOURCE...

SOURCE: an article URL, a saved .html page, a .txt browser copy of a page, or an RSS/Atom
feed or sitemap (URL or file). The per-site rules are DIR/data/sites.toml of --content DIR
(none when it has no such file). Exit status: 0 all imported, 1 a source failed (or a feed
held more articles than --limit, or DIR/data/sites.toml is invalid), 2 usage error.
Stories are written as drafts (`Status: draft`) unless --publish is given.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tdbvantq.importer import Result, import_sources
from tdbvantq.importer.fetch import DEADLINE, Fetcher
from tdbvantq.importer.sites import SiteRulesError
from tdbvantq.importer.sources import FEED_LIMIT


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="import_news.py",
        add_help=False,
        description="Nhập bài báo (địa chỉ URL, trang .html đã lưu, bản sao .txt, nguồn tin "
        "RSS/Atom, sitemap) vào content/articles/ dưới dạng Markdown.",
    )
    parser.add_argument("-h", "--help", action="help", help="in hướng dẫn này rồi thoát")
    parser.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="địa chỉ bài báo, tệp .html/.txt, hoặc nguồn tin RSS/Atom, sitemap (URL hoặc tệp)",
    )
    parser.add_argument(
        "--content",
        default="content",
        type=Path,
        metavar="DIR",
        help="thư mục nội dung (mặc định: content/)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="không ghi gì, chỉ báo những gì sẽ thay đổi"
    )
    parser.add_argument("--force", action="store_true", help="ghi đè cả bài đã được sửa tay")
    parser.add_argument(
        "--publish",
        action="store_true",
        help="xuất bản ngay, không ghi dòng “Status: draft” (mặc định: bài mới là bản nháp)",
    )
    parser.add_argument(
        "--json", action="store_true", help="in mỗi bài một đối tượng JSON ra stdout"
    )
    parser.add_argument(
        "--source-url", metavar="URL", help="địa chỉ gốc của bài khi SOURCE là tệp .txt/.html"
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=FEED_LIMIT,
        metavar="N",
        help=f"số bài nhiều nhất lấy từ mỗi nguồn tin hay sitemap (mặc định {FEED_LIMIT})",
    )
    parser.add_argument(
        "--deadline",
        type=float,
        default=DEADLINE,
        metavar="GIÂY",
        help=f"thời gian tối đa cho mỗi địa chỉ, kể cả kết nối và thử lại (mặc định {DEADLINE:g})",
    )
    args = parser.parse_args(argv)
    if args.limit < 1:
        parser.error(f"--limit phải là số bài lớn hơn 0, không phải {args.limit}")
    if args.deadline <= 0:
        parser.error(f"--deadline phải là số giây lớn hơn 0, không phải {args.deadline:g}")
    if args.source_url and not args.source_url.startswith(("http://", "https://")):
        parser.error(f"--source-url phải là địa chỉ http(s), không phải {args.source_url!r}")
    if args.source_url and len(args.sources) != 1:
        parser.error("--source-url chỉ dùng được với đúng một SOURCE")
    return args


# Status words of the progress lines; --json keeps the English values (a machine contract).
STATUS_WORDS = {
    "created": "đã tạo",
    "updated": "đã cập nhật",
    "unchanged": "không đổi",
    "failed": "lỗi",
}


class Progress:
    """One line per article on stderr; a redrawn bar when stderr is a terminal."""

    def __init__(self, stream=sys.stderr) -> None:
        self.stream = stream
        self.tty = stream.isatty()

    def __call__(self, result: Result, done: int, total: int) -> None:
        where = result.path or ""
        if self.tty and total > 1:
            filled = round(20 * done / total)
            bar = "#" * filled + "." * (20 - filled)
            self.stream.write(f"\r[{bar}] {done}/{total} {STATUS_WORDS[result.status]:<12}")
            if done == total:
                self.stream.write("\n")
        else:
            status = STATUS_WORDS[result.status]
            self.stream.write(f"[{done}/{total}] {status}: {where or result.source}\n")
        if result.error:
            self._line(f"lỗi: {result.error}")
        for warning in result.warnings:
            self._line(f"cảnh báo: {result.source}: {warning}")
        for name in result.unknown_models:
            self._line(
                f"lưu ý: {result.source}: tên trong ngoặc kép không có trong danh mục mô hình: “{name}”"
                " — thêm vào content/models/ nếu đúng là một mô hình"
            )
        self.stream.flush()

    def _line(self, text: str) -> None:
        if self.tty:
            self.stream.write("\r\033[K")
        self.stream.write(text + "\n")


def summary_line(results: list[Result]) -> str:
    counts = {status: 0 for status in ("created", "updated", "unchanged", "failed")}
    for result in results:
        counts[result.status] += 1
    parts = ", ".join(f"{n} {STATUS_WORDS[status]}" for status, n in counts.items())
    return f"{len(results)} bài: {parts}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        results = import_sources(
            args.sources,
            args.content,
            dry_run=args.dry_run,
            force=args.force,
            source_url=args.source_url,
            fetcher=Fetcher(deadline=args.deadline),
            progress=Progress(),
            limit=args.limit,
            publish=args.publish,
        )
    except SiteRulesError as error:  # the content folder's data/sites.toml: nothing imported
        print(f"lỗi: {error}", file=sys.stderr)
        return 1
    if args.json:
        for result in results:
            print(json.dumps(result.as_json(), ensure_ascii=False))
    prefix = "chạy thử, không ghi gì: " if args.dry_run else ""
    drafts = [r for r in results if r.draft and r.status in ("created", "updated")]
    if drafts and not args.dry_run:
        print(
            f"{len(drafts)} bài lưu thành bản nháp (Status: draft): đọc lại từng bài, rồi xóa "
            "dòng Status để xuất bản",
            file=sys.stderr,
        )
    print(prefix + summary_line(results), file=sys.stderr)
    return 1 if any(result.status == "failed" for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
