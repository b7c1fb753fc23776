"""Model files: content/models/<slug>.md, one model type ("mô hình") each.

Format (the Markdown metadata header editors already know from articles)::

    Name: Dòng họ tự quản
    Aliases: Dòng họ tự quản về ANTT; Dòng họ 3 kỷ cương
    Group: tự quản cộng đồng

    Short description in Markdown, written only from what the stories say.

Name is required; Slug defaults to the file name; Aliases are separated by ";".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from strict_content.files import file_problem
from tdbvantq.text import SLUG_MAX_BYTES, normalize, shorten_slug, slugify

FIELDS = ("name", "slug", "aliases", "group")
DEFAULT_GROUP = "khác"
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A line of a description that Markdown keeps as text of a paragraph: no character of
# its inline syntax or of HTML, nothing that could open a block (a list, a heading, a
# quote, a rule, code: it starts with a letter, indented less than four spaces), no
# control character (Markdown's own placeholders are \x02 and \x03).
_PLAIN_LINE = re.compile(r"[ ]{0,3}[^\W\d_][^\\`*_\[\]<>&!\x00-\x1f\x7f]*")
_HEADER_LINE = re.compile(r"(?P<key>[A-Za-z_][A-Za-z_ -]*?)\s*:\s*(?P<value>.*)")


class ModelFileError(ValueError):
    """A model file that cannot be used; the message names the file (and line)."""


@dataclass(eq=False)
class Model:
    """One model type. Articles, localities and figures are filled by the plugin."""

    slug: str
    name: str
    aliases: list[str] = field(default_factory=list)
    group: str = DEFAULT_GROUP
    description: str = ""  # plain text
    description_markdown: str = ""
    source_path: str = ""
    url: str = ""
    save_as: str = ""
    description_html: str = ""
    articles: list[Any] = field(default_factory=list)  # newest first
    localities: list[str] = field(default_factory=list)
    figures: list[Any] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    @property
    def group_slug(self) -> str:
        return slugify(self.group)

    @property
    def count(self) -> int:
        return len(self.articles)

    @property
    def first_date(self):
        return self.articles[-1].date if self.articles else None

    @property
    def latest_date(self):
        return self.articles[0].date if self.articles else None

    def __repr__(self) -> str:
        return f"Model({self.slug!r}, {self.name!r})"


def split_names(value: str) -> list[str]:
    """ "A; B ;; C" -> ["A", "B", "C"] (normalized, empty parts dropped)."""
    return [normalize(part.strip()) for part in value.split(";") if part.strip()]


def parse_model_text(text: str, source: str, default_slug: str = "") -> Model:
    """Parse one model file's text; `source` names it in error messages."""
    lines = text.lstrip("\ufeff").splitlines()
    meta: dict[str, str] = {}
    body_start = len(lines)
    last_key = ""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            body_start = number
            break
        if raw[:1] in " \t" and last_key:  # continuation line of the previous value
            meta[last_key] += " " + raw.strip()
            continue
        match = _HEADER_LINE.fullmatch(raw.strip())
        if match is None:
            raise ModelFileError(
                f"{source}:{number}: expected a 'Key: value' header line, got {raw.strip()!r}"
            )
        key = match["key"].strip().lower()
        if key not in FIELDS:
            raise ModelFileError(
                f"{source}:{number}: unknown field {match['key']!r} "
                f"(known: Name, Slug, Aliases, Group)"
            )
        if key in meta:
            raise ModelFileError(f"{source}:{number}: field {match['key']!r} given twice")
        meta[key] = match["value"].strip()
        last_key = key
    name = normalize(meta.get("name", "")).strip()
    if not name:
        raise ModelFileError(f"{source}: the model has no name (add a 'Name: …' line at the top)")
    slug = meta.get("slug", "").strip() or default_slug or slugify(name)
    if not _SLUG.fullmatch(slug):
        raise ModelFileError(
            f"{source}: slug {slug!r} must be lowercase letters, digits and hyphens"
        )
    if len(slug) > SLUG_MAX_BYTES:  # a folder name every file system takes
        raise ModelFileError(
            f"{source}: slug {slug[:40]!r}… is {len(slug)} characters long, more than"
            f" {SLUG_MAX_BYTES}: shorten it (Slug: {shorten_slug(slug)})"
        )
    aliases = [alias for alias in split_names(meta.get("aliases", "")) if alias != name]
    description = normalize("\n".join(lines[body_start:]).strip())
    return Model(
        slug=slug,
        name=name,
        aliases=list(dict.fromkeys(aliases)),
        group=normalize(meta.get("group", "")).strip() or DEFAULT_GROUP,
        description_markdown=description,
        description=markdown_to_text(description),
        source_path=source,
    )


def load_model_file(path: Path) -> Model:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ModelFileError(f"{path}: not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise ModelFileError(f"{path}: cannot be read ({error.strerror})") from None
    return parse_model_text(text, str(path), default_slug=path.stem)


def load_models(directory: Path | str) -> list[Model]:
    """Every *.md model of `directory`, sorted by slug; duplicates are errors."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    models: list[Model] = []
    seen: dict[str, Model] = {}
    for path in sorted(directory.glob("*.md")):
        if file_problem(path, directory.parent):
            continue  # a FIFO or a link out of the content folder: strict_content reports it
        model = load_model_file(path)
        if model.slug in seen:
            raise ModelFileError(
                f"{path}: slug {model.slug!r} is already used by {seen[model.slug].source_path}"
            )
        seen[model.slug] = model
        models.append(model)
    return models


@lru_cache(maxsize=1)
def _markdown() -> Any:
    import markdown

    return markdown.Markdown(
        output_format="html"
    )  # built once: building costs more than converting


def markdown_to_html(text: str) -> str:
    return _markdown().reset().convert(text) if text else ""


def markdown_to_text(text: str) -> str:
    """The plain text of a short Markdown description (for search and meta tags)."""
    if not text:
        return ""
    if all(not line or _PLAIN_LINE.fullmatch(line) for line in text.split("\n")):
        # What the parse below gives for such text, without importing bs4: every build
        # reads the models, and bs4 compiled soupsieve's CSS patterns (~0.06 s of CPU).
        return " ".join(text.split())
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markdown_to_html(text), "html.parser")
    for block in soup.find_all(["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"]):
        block.append(" ")  # blocks apart, inline tags ("**ngắn**.") kept tight
    return " ".join(soup.get_text().split())
