"""Which files to check, which rules apply to each, and the rules across files."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tdbvantq.check import link_rules, meta_rules, path_rules, remote_photos, text_rules
from tdbvantq.check.context import Context
from tdbvantq.check.document import ARTICLE, MODEL, PAGE, Document, read_document
from tdbvantq.check.problems import Problem, error
from tdbvantq.text import SynonymError, load_synonyms, lower

MARKDOWN = {".md", ".markdown", ".mdown", ".mkd"}

Rule = Callable[[Document, Context], Iterable[Problem]]


def _plain(rule: Callable[[Document], Iterable[Problem]]) -> Rule:
    return lambda doc, _context: rule(doc)


TEXT_RULES: list[Rule] = [
    _plain(text_rules.unicode_form),
    _plain(text_rules.trailing_spaces),
    text_rules.unsafe_html,
    _plain(text_rules.unfilled_markers),
    _plain(link_rules.internal_links),
    _plain(meta_rules.header_shape),
    _plain(path_rules.control_characters),
    _plain(path_rules.links_out),
]


def _addresses(doc: Document, context: Context) -> Iterable[Problem]:
    return path_rules.address_rules(doc, path_rules.site_settings(context.content_root))


RULES: dict[str, list[Rule]] = {
    ARTICLE: [
        *TEXT_RULES,
        _plain(text_rules.clutter),
        _plain(meta_rules.required_fields),
        meta_rules.dates,
        _plain(meta_rules.slug_field),
        _plain(meta_rules.summary_length),
        _plain(meta_rules.image_caption),
        meta_rules.model_names,
        _plain(meta_rules.localities),
        link_rules.links_to_unpublished,
        _plain(remote_photos.remote_photos),
    ],
    PAGE: [
        *TEXT_RULES,
        _plain(text_rules.clutter),
        _plain(meta_rules.required_fields),
        link_rules.links_to_unpublished,
        _plain(remote_photos.remote_photos),
    ],
    MODEL: [*TEXT_RULES, _plain(meta_rules.model_name), _plain(meta_rules.slug_field)],
}

# Slug, Save_as/URL and a page's folder: the build's rules (strict_content.urls).
for _kind in (ARTICLE, PAGE):
    RULES[_kind].append(_addresses)


class UsageError(Exception):
    """A path that does not exist or cannot be read: exit status 2."""


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    checked: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def find_content_root(path: Path) -> Path:
    """The folder holding articles/ or models/ above `path`, else `path`'s own folder."""
    start = path if path.is_dir() else path.parent
    for folder in [start, *start.parents]:
        if (folder / "articles").is_dir() or (folder / "models").is_dir():
            return folder
    return start


def kind_of(path: Path, root: Path) -> str:
    try:
        first = path.relative_to(root).parts[0]
    except (ValueError, IndexError):
        return ARTICLE
    return {"models": MODEL, "pages": PAGE}.get(first, ARTICLE)


def content_files(root: Path) -> list[Path]:
    """Articles, pages and models of a content folder (or every Markdown file of any folder)."""
    if (root / "articles").is_dir() or (root / "models").is_dir():
        found = [
            *(root / "articles").rglob("*"),
            *(root / "pages").rglob("*"),
            *(root / "models").glob("*"),
        ]
    else:
        found = list(root.rglob("*"))
    # A FIFO would hang the read and a link out of the folder is never read: both are
    # reported by path_rules.unsafe_files instead.
    return sorted(
        p for p in found if p.suffix in MARKDOWN and path_rules.file_problem(p, root) is None
    )


def check_paths(
    paths: Sequence[Path], content_root: Path | None = None, now: datetime | None = None
) -> Report:
    """Check the given files and folders; only their problems are reported."""
    targets: dict[Path, list[Path]] = {}  # content root -> files to report on
    folders: dict[Path, list[Path]] = {}  # content root -> folders given (scanned for files)
    report = Report()
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"không tìm thấy “{path}”")
        root = (content_root or find_content_root(path)).resolve()
        if path.is_dir():
            files = content_files(path)
            folders.setdefault(root, []).append(path.resolve())
        else:
            refused = path_rules.given_file(path.absolute(), root)
            if refused:
                report.problems.append(refused)
                report.checked.append(refused.path)
                continue
            files = [path]
        chosen = [f.resolve() for f in files if f.suffix in MARKDOWN]
        targets.setdefault(root, []).extend(chosen)
    for root, files in targets.items():
        _check_root(root, list(dict.fromkeys(files)), now, report)
        for folder in folders.get(root, []):
            settings = path_rules.site_settings(root)
            unsafe = [
                p
                for p in path_rules.unsafe_files(root, settings)
                if p.path.absolute().is_relative_to(folder)
            ]
            report.problems.extend(unsafe)
            report.checked.extend(dict.fromkeys(p.path for p in unsafe))
            synonyms = root / "data" / SYNONYMS_FILE
            if synonyms.is_file() and synonyms.absolute().is_relative_to(folder):
                report.problems.extend(synonym_problems(synonyms))
                report.checked.append(synonyms)
    report.problems.sort(key=lambda p: (str(p.path), p.line, p.code))
    return report


def _check_root(root: Path, files: list[Path], now: datetime | None, report: Report) -> None:
    context = Context.for_content(root, now)
    docs = {path: read_document(path, kind_of(path, root), root) for path in files}
    # Uniqueness is judged against the whole content folder, even for one staged file.
    everyone = dict(docs)
    for path in content_files(root):
        if path not in everyone:
            everyone[path] = read_document(path, kind_of(path, root), root)
    for doc in docs.values():
        report.checked.append(doc.path)
        if doc.decode_error:
            report.problems.extend(text_rules.encoding(doc))
            continue
        for rule in RULES[doc.kind]:
            report.problems.extend(rule(doc, context))
    cross = [
        *unique_slugs(everyone.values()),
        *unique_model_names(everyone.values()),
        *path_rules.same_output(everyone.values(), path_rules.site_settings(root)),
    ]
    report.problems.extend(p for p in cross if p.path in docs)
    if context.catalog_note and any(doc.kind == ARTICLE for doc in docs.values()):
        report.notes.append(context.catalog_note)


SYNONYMS_FILE = "synonyms.txt"  # the site's SYNONYMS_FILE, in the content folder's data/


def synonym_problems(path: Path) -> list[Problem]:
    """The editors' synonyms file read as search reads it: its first malformed line."""
    try:
        load_synonyms(path)
    except SynonymError as problem:
        return [
            error(
                path,
                max(problem.line, 1),
                "synonym-line",
                problem.reason,
                "Mỗi dòng là một nhóm từ cùng nghĩa cách nhau bằng dấu phẩy "
                "(“chết, qua đời, tử vong”) hoặc một quy tắc một chiều “a => b”; "
                "dòng bắt đầu bằng # là ghi chú.",
            )
        ]
    return []


def unique_slugs(docs: Iterable[Document]) -> Iterator[Problem]:
    """Two articles with one slug would compete for one address and one search entry."""
    owners: dict[str, Document] = {}
    for doc in sorted(docs, key=lambda d: str(d.path)):
        if doc.kind != ARTICLE or doc.decode_error:
            continue
        slug = doc.value("slug") or doc.path.stem
        first = owners.setdefault(slug, doc)
        if first is not doc:
            yield error(
                doc.path,
                doc.line_of("slug"),
                "duplicate-slug",
                f"Slug “{slug}” đã được dùng cho bài {_short(first.path, doc.content_root)}",
                "Đặt slug khác (ví dụ thêm địa danh hoặc năm: "
                f"“{slug}-2”), và đổi tên tệp cho khớp.",
            )


def unique_model_names(docs: Iterable[Document]) -> Iterator[Problem]:
    """A name or alias naming two models would make every match ambiguous."""
    owners: dict[str, Document] = {}
    for doc in sorted(docs, key=lambda d: str(d.path)):
        if doc.kind != MODEL or doc.decode_error:
            continue
        names = [doc.value("name"), *doc.value("aliases").split(";")]
        keys = {
            " ".join(lower(name).split()): name.strip() for name in reversed(names) if name.strip()
        }
        for key, name in keys.items():
            first = owners.setdefault(key, doc)
            if first is not doc:
                line = doc.line_of("name") if name == doc.value("name") else doc.line_of("aliases")
                yield error(
                    doc.path,
                    line,
                    "duplicate-model-name",
                    f"Tên “{name}” đã là tên của mô hình {_short(first.path, doc.content_root)}",
                    "Mỗi tên hoặc tên khác chỉ thuộc một mô hình: xóa nó ở một trong hai tệp.",
                )


def _short(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
