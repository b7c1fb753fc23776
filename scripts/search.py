"""Search the site's index from the terminal.

    python scripts/search.py [--index DIR] [--limit N] [--model SLUG|NAME] [--year YYYY] [--place SLUG] [--sort relevance|newest] [--json] QUERY

QUERY `-` reads one query per line from standard input and answers each with
one JSON line. The index is built by `make html`.
"""

from __future__ import annotations

import argparse
import difflib
import html
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from pelican.settings import get_settings_from_file

from tdbvantq import text as vntext
from tdbvantq.search import IndexMissing, SearchEngine, SearchResponse

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_INDEX = ROOT / "search-index"
_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)
# C0 controls (ESC starts a terminal escape sequence), DEL and the C1 controls (U+009B is
# a one-character CSI on some terminals). Text from the index or the command line may
# hold any of them; none may reach a terminal raw.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def escape_controls(text: str) -> str:
    """`text` with every control character written as a visible escape (`\\x1b`)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def json_line(data: object, **options) -> str:
    """JSON with non-ASCII letters kept readable; json escapes C0 controls itself, and
    DEL and the C1 controls, which it would leave raw, are escaped here."""
    text = json.dumps(data, ensure_ascii=False, **options)
    return re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)


def default_index_dir() -> Path:
    """SEARCH_INDEX_DIR from pelicanconf.py when it can be read, else search-index/."""
    try:
        settings = get_settings_from_file(str(ROOT / "pelicanconf.py"))
    except Exception:  # optional: the settings file may not load
        return DEFAULT_INDEX
    return Path(settings.get("SEARCH_INDEX_DIR", DEFAULT_INDEX))


def snippet_for_terminal(snippet: str, tty: bool) -> str:
    """<mark> becomes bold yellow on a terminal, [brackets] elsewhere; entities unescaped,
    control characters escaped (only the highlight's own codes reach the terminal)."""
    start, end = ("\033[1;33m", "\033[0m") if tty else ("[", "]")
    parts = _MARK.split(snippet)  # even indexes: outside <mark>, odd: inside
    shown = [escape_controls(html.unescape(part)) for part in parts]
    return "".join(part if i % 2 == 0 else start + part + end for i, part in enumerate(shown))


def format_human(response: SearchResponse, tty: bool) -> str:
    safe = escape_controls
    lines = [f"{response.total} kết quả cho «{safe(response.query)}»"]
    for result in response.results:
        date = result.date[:10] if result.date else "—"
        kind = " [mô hình]" if result.kind == "model" else ""
        lines.append(f"{result.rank}. {safe(result.title)}{kind} ({safe(date)})")
        lines.append(f"   {safe(result.url)}")
        if result.snippet:
            lines.append(f"   {snippet_for_terminal(result.snippet, tty)}")
    for label, key in (("Mô hình", "models"), ("Năm", "years"), ("Địa phương", "places")):
        counts = response.facets.get(key) or {}
        if counts:
            lines.append(
                f"{label}: " + ", ".join(f"{safe(str(k))} ({v})" for k, v in counts.items())
            )
    return "\n".join(lines)


def run_batch(engine: SearchEngine, stream: TextIO, out: TextIO, **options) -> None:
    for line in stream:
        query = line.rstrip("\r\n")
        out.write(json_line(engine.search(query, **options).to_json()) + "\n")
        out.flush()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="search.py",
        description="Tìm trong chỉ mục tìm kiếm của trang web, ngay trên dòng lệnh.",
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="in hướng dẫn này rồi thoát")
    parser.add_argument(
        "--index",
        type=Path,
        default=None,
        metavar="DIR",
        help="thư mục chỉ mục (mặc định: SEARCH_INDEX_DIR trong pelicanconf.py)",
    )
    parser.add_argument(
        "--limit", type=int, default=10, metavar="N", help="số kết quả hiển thị (mặc định: 10)"
    )
    parser.add_argument(
        "--model", default=None, metavar="SLUG", help="chỉ lấy bài về mô hình này (slug hoặc tên)"
    )
    parser.add_argument("--year", default=None, metavar="YYYY", help="chỉ lấy bài của năm này")
    parser.add_argument(
        "--place",
        default=None,
        metavar="SLUG",
        help="chỉ lấy bài về địa phương này (ví dụ hue hoặc hue/phuong-phong-thai, như trong /dia-phuong/…)",
    )
    parser.add_argument(
        "--sort",
        choices=("relevance", "newest"),
        default="relevance",
        help="thứ tự: relevance = liên quan nhất (mặc định), newest = mới nhất",
    )
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    parser.add_argument(
        "query",
        metavar="QUERY",
        help="từ khóa tìm kiếm; '-' đọc mỗi dòng của stdin là một truy vấn (trả lời bằng JSON)",
    )
    args = parser.parse_args(argv)
    if args.limit < 0:
        parser.error(f"--limit phải từ 0 trở lên, không phải {args.limit}")
    if args.year is not None and not re.fullmatch(r"\d{4}", args.year):
        parser.error(f"--year phải gồm bốn chữ số (ví dụ 2024), không phải {args.year!r}")
    return args


def unknown_model(model: str, known: list[str]) -> str:
    """The error for a --model the index does not know, with the slugs it may have meant."""
    slug = vntext.slugify(model)
    close = difflib.get_close_matches(slug, known, n=3, cutoff=0.5)
    close += [k for k in known if slug and slug in k and k not in close][: 3 - len(close)]
    hint = f"có phải: {', '.join(close)}?" if close else f"các mô hình: {', '.join(known)}"
    return escape_controls(f"--model {model!r}: không có mô hình này trong chỉ mục — {hint}")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    index_dir = args.index or default_index_dir()
    try:
        engine = SearchEngine(index_dir)
    except IndexMissing as error:
        print(
            escape_controls(
                f"search: {error.user_message} — hãy chạy `make html` để dựng chỉ mục."
            ),
            file=sys.stderr,
        )
        return 1
    options = {
        "limit": args.limit,
        "model": args.model,
        "year": args.year,
        "sort": args.sort,
        "place": args.place,
    }
    try:
        with engine:
            if args.model:
                known = engine.model_slugs()
                slug = args.model if args.model in known else vntext.slugify(args.model)
                if slug not in known:
                    print(f"search: {unknown_model(args.model, known)}", file=sys.stderr)
                    return 2
                options["model"] = slug
            if args.place and args.place not in engine.place_slugs():
                known = engine.place_slugs()
                close = difflib.get_close_matches(args.place, known, n=3, cutoff=0.5)
                hint = (
                    f"có phải: {', '.join(close)}?"
                    if close
                    else f"các địa phương: {', '.join(known)}"
                )
                print(
                    escape_controls(
                        f"search: --place {args.place!r}: không có địa phương này trong chỉ mục — {hint}"
                    ),
                    file=sys.stderr,
                )
                return 2
            if args.query == "-":
                run_batch(engine, sys.stdin, sys.stdout, **options)
                return 0
            response = engine.search(args.query, **options)
    except BrokenPipeError:
        raise
    except Exception as error:  # a damaged index, not the user's query
        reason = " ".join(str(error).split()) or type(error).__name__
        print(
            escape_controls(
                f"search: {index_dir}: chỉ mục tìm kiếm bị hỏng, không đọc được ({reason})"
                " — hãy chạy `make html` để dựng lại chỉ mục."
            ),
            file=sys.stderr,
        )
        return 1
    if args.json:
        print(json_line(response.to_json(), indent=2))
    elif not args.query.strip():
        print("Hãy nhập từ khóa tìm kiếm.", file=sys.stderr)
        return 0
    else:
        print(format_human(response, sys.stdout.isatty()))
    return 0


def run(argv: Sequence[str] | None = None) -> int:
    """main(), stopping quietly when the reader of stdout has gone (`search.py … | head`)."""
    try:
        status = main(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return status


if __name__ == "__main__":
    sys.exit(run())
