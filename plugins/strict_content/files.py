"""Files of the content folder that must never be read or published as they are.

Shared by the build (strict_content's plugin) and the content checker
(`make check`), so both name the same files with the same words:

- an entry that is not a regular file (a FIFO, a device, a socket): reading a FIFO
  named `x.md` would hang the build, and a device is never content;
- a symbolic link that leads out of the content folder (`images/env.jpg ->
  /proc/self/environ` would publish the build's environment): symbolic links that
  stay inside the content folder are allowed, they only give a file a second name;
- a file type the browser runs on the site's origin (`.html`, `.xml`, `.js`… among
  the photos);
- an SVG that holds anything but plain shapes and text (`find_svg_problem`).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote
from xml.parsers import expat

from tdbvantq import paths

# Static files a browser would run as a page or a script of the site: never published.
ACTIVE_SUFFIXES = frozenset(
    {
        ".html",
        ".htm",
        ".xhtml",
        ".xht",
        ".shtml",
        ".mht",
        ".mhtml",
        ".xml",
        ".xsl",
        ".xslt",
        ".js",
        ".mjs",
        ".swf",
        ".svgz",
        ".hta",
    }
)


@dataclass(frozen=True)
class FileProblem:
    """A file of the content folder that is not read or published."""

    path: Path
    message: str  # Vietnamese, for editors; the build and `make check` print the same words
    line: int | None = None


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "một ống FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "một thiết bị"
    if stat.S_ISSOCK(mode):
        return "một socket"
    if stat.S_ISDIR(mode):
        return "một thư mục"
    return "không phải tệp thường"


# The real path of each folder met, for one build: `os.path.realpath` resolves every
# component of every path (an lstat each), and a build asks about each content file
# three times (0.1 s at 1,000 stories). Emptied when a build starts and when the
# content folder is scanned (`forget_folders`), so a link changed since is followed.
_REAL_FOLDERS: dict[str, str] = {}

# Each file's answer from `file_problem`, for one build: the guard asks about every
# content file once per generator after the scan has asked (3,069 calls for ~1,000
# files at 1,000 stories, ~30,000 at 10,000: 0.5 s of the build's critical path there).
# Emptied with the folders: a file changed between builds is looked at again.
_FILE_PROBLEMS: dict[tuple[str, str], str | None] = {}


def forget_folders(*_args: object) -> None:
    _REAL_FOLDERS.clear()
    _FILE_PROBLEMS.clear()


def real_path(path: str | Path) -> str:
    """`os.path.realpath(path)`, each folder resolved once per build."""
    return paths.real_path(path, _REAL_FOLDERS)


def inside(path: str | Path, root: str | Path) -> bool:
    """Whether `path`, every symbolic link followed, lies inside `root` (also resolved)."""
    real, base = real_path(path), real_path(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def file_problem(path: str | Path, root: str | Path) -> str | None:
    """Why the file `path` of the content folder `root` may not be read or copied, or None.

    Never opens the file (a FIFO would block): only lstat/stat and the link's target.
    Asked again in the same build (until `forget_folders`), answers as the first time.
    """
    key = (os.path.normpath(path), os.path.normpath(root))
    if key not in _FILE_PROBLEMS:
        _FILE_PROBLEMS[key] = _file_problem(Path(path), root)
    return _FILE_PROBLEMS[key]


def _file_problem(path: Path, root: str | Path) -> str | None:
    try:
        own = os.lstat(path)
    except OSError as error:
        return f"không đọc được ({error.strerror})"
    if not stat.S_ISLNK(own.st_mode) and not inside(path, root):
        # A {static} link climbing out with "..": Pelican would copy (and write) outside.
        return "nằm ngoài thư mục nội dung: không được đọc hay xuất bản"
    if stat.S_ISLNK(own.st_mode):
        target = os.readlink(path)
        if not inside(path, root):
            return (
                f"là liên kết tượng trưng trỏ ra ngoài thư mục nội dung (tới {target}):"
                " không được đọc hay xuất bản"
            )
        try:
            own = os.stat(path)
        except OSError:
            return f"là liên kết tượng trưng hỏng (tới {target})"
    if not stat.S_ISREG(own.st_mode):
        return f"là {_kind(own.st_mode)}, không phải tệp thường: không được đọc hay xuất bản"
    return None


def _walk(top: str) -> Iterator[tuple[str, list[os.DirEntry], list[os.DirEntry]]]:
    """`os.walk(top)` (top-down, links to folders listed but not walked, unreadable
    folders skipped) with each entry's `os.DirEntry`: its kind comes with the folder's
    listing, without an lstat a file. The caller may narrow the folders list."""
    dirs: list[os.DirEntry] = []
    files: list[os.DirEntry] = []
    try:
        with os.scandir(top) as listing:
            for entry in listing:
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                (dirs if is_dir else files).append(entry)
    except OSError:
        return
    yield top, dirs, files
    for entry in dirs:
        if not _is_link(entry):
            yield from _walk(entry.path)


def _is_link(entry: os.DirEntry) -> bool:
    """Whether the entry is a symbolic link (False when it cannot be told, as os.walk
    and pathlib say)."""
    try:
        return entry.is_symlink()
    except OSError:
        return False


def scan_content(root: str | Path, ignore_hidden: bool = True) -> Iterator[FileProblem]:
    """Every entry of the content folder `root` that must not be read or published:
    non-regular files and symbolic links (to files or folders) leading out of it.
    Folders are walked without following links (a link inside `root` to a folder
    inside `root` is walked at its own place); names starting with "." are skipped,
    as Pelican's IGNORE_FILES skips them.

    A regular file met by the walk (not a link, its kind read from the folder's
    listing) is inside `root` by construction: its answer, None, is noted for
    `file_problem` without an lstat or a path resolved (~1,000 files a build)."""
    root = Path(root)
    forget_folders()
    base = os.path.normpath(root)
    for folder, dirs, files in _walk(os.fspath(root)):
        if ignore_hidden:
            dirs[:] = [entry for entry in dirs if not entry.name.startswith(".")]
        for entry in sorted(dirs, key=lambda entry: entry.name):
            candidate = Path(folder) / entry.name
            if _is_link(entry) and not inside(candidate, root):
                yield FileProblem(
                    candidate,
                    f"là liên kết tượng trưng trỏ ra ngoài thư mục nội dung (tới "
                    f"{os.readlink(candidate)}): không được đọc hay xuất bản",
                )
        for entry in sorted(files, key=lambda entry: entry.name):
            if ignore_hidden and entry.name.startswith("."):
                continue
            if _plain_file(entry):
                _FILE_PROBLEMS[(os.path.normpath(entry.path), base)] = None
                continue
            reason = file_problem(Path(folder) / entry.name, root)
            if reason:
                yield FileProblem(Path(folder) / entry.name, reason)


def _plain_file(entry: os.DirEntry) -> bool:
    """A regular file, not a link (from the listing where the system gives kinds)."""
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False


def static_problem(path: str | Path, root: str | Path) -> FileProblem | None:
    """Why a static file (a photo, a document) may not be published as it is, or None."""
    path = Path(path)
    reason = file_problem(path, root)
    if reason:
        return FileProblem(path, reason)
    suffix = path.suffix.lower()
    if suffix in ACTIVE_SUFFIXES:
        return FileProblem(
            path,
            f"tệp {suffix} chạy được như một trang web hay mã của trang: không được xuất bản"
            " — xóa tệp này khỏi thư mục ảnh (muốn đăng văn bản thì viết thành bài)",
        )
    if suffix == ".svg":
        found = find_svg_problem(path.read_bytes())
        if found:
            line, what = found
            return FileProblem(
                path,
                f"ảnh SVG có {what}: không được xuất bản — chỉ dùng SVG gồm hình và chữ"
                " (xuất lại dưới dạng “Plain SVG”/“SVG tối ưu”), hoặc dùng ảnh PNG",
                line,
            )
    return None


# --- SVG -------------------------------------------------------------------------------------

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
# Plain drawing: shapes, text, gradients, clipping. No script, style sheet, foreignObject,
# image, animation (which can set href), filter (feImage loads URLs), or link.
SVG_ELEMENTS = frozenset(
    {
        "svg",
        "g",
        "defs",
        "title",
        "desc",
        "symbol",
        "use",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "textPath",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
        "mask",
        "pattern",
        "marker",
        "metadata",
    }
)
SVG_ATTRIBUTES = frozenset(
    {
        "id",
        "class",
        "version",
        "baseProfile",
        "viewBox",
        "preserveAspectRatio",
        "width",
        "height",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "fx",
        "fy",
        "d",
        "points",
        "pathLength",
        "transform",
        "dx",
        "dy",
        "rotate",
        "textLength",
        "lengthAdjust",
        "startOffset",
        "offset",
        "gradientUnits",
        "gradientTransform",
        "spreadMethod",
        "patternUnits",
        "patternContentUnits",
        "patternTransform",
        "clipPathUnits",
        "maskUnits",
        "maskContentUnits",
        "markerWidth",
        "markerHeight",
        "markerUnits",
        "refX",
        "refY",
        "orient",
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-opacity",
        "opacity",
        "color",
        "stop-color",
        "stop-opacity",
        "clip-path",
        "clip-rule",
        "mask",
        "marker-start",
        "marker-mid",
        "marker-end",
        "visibility",
        "display",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "font-variant",
        "font-stretch",
        "letter-spacing",
        "word-spacing",
        "text-anchor",
        "text-decoration",
        "dominant-baseline",
        "alignment-baseline",
        "baseline-shift",
        "writing-mode",
        "direction",
        "paint-order",
        "vector-effect",
        "shape-rendering",
        "text-rendering",
        "color-interpolation",
        "role",
        "focusable",
        "lang",
        "style",
        "href",
    }
)


class _SvgRefused(Exception):
    def __init__(self, line: int, what: str) -> None:
        super().__init__(what)
        self.line, self.what = line, what


def _local_reference(value: str) -> bool:
    return value.strip().startswith("#")


def _check_value(name: str, value: str, line: int) -> None:
    lowered = "".join(value.lower().split())
    if "javascript:" in lowered or "vbscript:" in lowered or "data:" in lowered:
        raise _SvgRefused(line, f"đường dẫn chạy mã hoặc nhúng dữ liệu trong thuộc tính {name}")
    # Only references to the drawing's own parts (url(#id)): nothing is fetched.
    rest = lowered
    while "url(" in rest:
        rest = rest.split("url(", 1)[1]
        if not rest.lstrip("'\"").startswith("#"):
            raise _SvgRefused(line, f"tham chiếu tới tệp bên ngoài trong thuộc tính {name}")
    if name == "style" and ("@import" in lowered or "expression(" in lowered or "\\" in lowered):
        raise _SvgRefused(line, "CSS không an toàn trong thuộc tính style")


def find_svg_problem(data: bytes) -> tuple[int, str] | None:
    """(line, what) for the first thing in an SVG that is not a plain drawing, or None.

    Parsed with the standard library's expat, allowlist only: no DOCTYPE or
    entities (nothing is expanded or fetched), no processing instruction, only the
    elements and attributes above, `href` only to `#id` inside the file.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def line() -> int:
        return parser.CurrentLineNumber

    def start(tag: str, attributes: dict[str, str]) -> None:
        namespace, _, name = tag.rpartition(" ")
        if namespace != _SVG_NS or name not in SVG_ELEMENTS:
            raise _SvgRefused(line(), f"thẻ <{name}> (chỉ được có hình và chữ)")
        for key, value in attributes.items():
            attr_ns, _, attr = key.rpartition(" ")
            if attr.lower().startswith("on"):
                raise _SvgRefused(line(), f"thuộc tính sự kiện {attr}=… (chạy mã JavaScript)")
            if attr_ns not in ("", _XLINK_NS, _XML_NS) or (
                attr_ns == "" and attr not in SVG_ATTRIBUTES
            ):
                raise _SvgRefused(line(), f"thuộc tính lạ {attr}=… trong thẻ <{name}>")
            if attr == "href" and not _local_reference(value):
                raise _SvgRefused(line(), f"liên kết {attr}=“{value[:60]}” ra ngoài tệp")
            _check_value(attr, value, line())

    def doctype(*_args: object) -> None:
        raise _SvgRefused(line(), "khai báo DOCTYPE/thực thể (có thể đọc tệp khác)")

    def instruction(target: str, _data: str) -> None:
        raise _SvgRefused(line(), f"chỉ thị xử lý <?{target} …?>")

    def no_external(*_args: object) -> int:
        raise _SvgRefused(line(), "tham chiếu tới thực thể bên ngoài")

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.ProcessingInstructionHandler = instruction
    parser.ExternalEntityRefHandler = no_external
    try:
        parser.Parse(data, True)
    except _SvgRefused as refused:
        return refused.line, refused.what
    except expat.ExpatError as error:
        return error.lineno, f"lỗi cú pháp XML ({expat.errors.messages[error.code]})"
    return None


# --- links out of the content folder -----------------------------------------------------------

# Pelican's intra-site link syntax, old (|static|) and new ({static}) forms.
_LINK = re.compile(r"""(?:\{|\|)(static|filename|attach)(?:\}|\|)([^\s"'<>)\]]+)""")


def escaping_links(lines: list[str], source: Path, root: Path) -> Iterator[tuple[int, str]]:
    """(line, message) for each `{static}`/`{attach}`/`{filename}` link that climbs out of
    the content folder with `..` (Pelican would copy that file from outside, and write it
    outside the output folder), or a `{static}`/`{attach}` link to a file that may not be
    published (`static_problem`: an SVG with a script kept outside the photo folders is
    copied too when a story links to it)."""
    for number, line in enumerate(lines, 1):
        for match in _LINK.finditer(line):
            kind, written = match.group(1), match.group(2)
            target = unquote(written.split("#", 1)[0].split("?", 1)[0])
            base = root if target.startswith("/") else source.parent
            path = base / target.lstrip("/")
            if ".." in target and not inside(path, root):
                yield (
                    number,
                    (
                        f"Liên kết {{{kind}}}{written} trỏ ra ngoài thư mục nội dung"
                        " — chỉ dẫn tới tệp trong content/, ví dụ {static}/images/<slug>/<tên-ảnh>"
                    ),
                )
            elif kind != "filename" and os.path.lexists(path) and not os.path.isdir(path):
                found = static_problem(path, root)
                if found:
                    reason, _, hint = found.message.partition(" — ")
                    yield (
                        number,
                        (
                            f"Liên kết {{{kind}}}{written} dẫn tới tệp không được xuất bản: {reason}"
                            f" — {hint or 'xóa liên kết và tệp'}"
                        ),
                    )
