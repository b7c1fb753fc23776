"""Which models (mô hình) a story names.

The seam with the model catalogue is `detect_models`: when the catalogue (content/models/)
exists and its matcher imports, Models come from it (catalogue names, in order of first
mention) and quoted names it does not know are reported; otherwise the quoted names that
look like model names are recorded as they appear.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from tdbvantq.text import fold

PROJECT_MODELS = Path(__file__).resolve().parents[4] / "content" / "models"
_QUOTED = re.compile(r"“([^“”]{2,90})”")
_SEPARATOR = re.compile(r"^[\s;,]*$")
# Quoted names of the movement itself, not of one of its models.
_MOVEMENT = ("tdbvantq", "bao ve an ninh to quoc")


def _looks_like_name(name: str) -> bool:
    words = name.split()
    return (
        1 <= len(words) <= 10
        and name[:1].isupper()
        and ":" not in name
        and name.rstrip()[-1:] not in ".!?…"
        and not any(marker in fold(name) for marker in _MOVEMENT)
    )


def quoted_model_names(text: str) -> list[str]:
    """Quoted names introduced as models: 'mô hình “X”', or in a list of quoted names."""
    matches = list(_QUOTED.finditer(text))
    names: list[str] = []
    for index, match in enumerate(matches):
        name = " ".join(match[1].split())
        if not _looks_like_name(name):
            continue
        before = fold(text[max(0, match.start() - 12) : match.start()])
        introduced = before.rstrip(" :").endswith("mo hinh")
        in_list = any(
            0 <= other < len(matches)
            and _SEPARATOR.match(
                text[
                    min(match.end(), matches[other].end()) : max(
                        match.start(), matches[other].start()
                    )
                ]
            )
            for other in (index - 1, index + 1)
        )
        if (introduced or in_list) and name not in names:
            names.append(name)
    return names


class CatalogueError(ValueError):
    """The model catalogue exists but cannot be read; the message names the file."""


@lru_cache(maxsize=4)
def _matcher(models_dir: Path):
    if not models_dir.is_dir():
        return None
    try:
        from model_catalog.matcher import ModelMatcher
    except ImportError:
        return None
    from tdbvantq.text import load_glossary

    glossary = load_glossary(models_dir.parent / "data" / "acronyms.txt")
    try:
        return ModelMatcher.from_dir(models_dir, glossary=glossary)
    except (ValueError, OSError) as error:
        raise CatalogueError(f"danh mục mô hình {models_dir} bị lỗi: {error}") from None


def models_dir_for(content_dir: Path) -> Path:
    """The catalogue to match against: DIR/models of the content folder imported into, else
    the project's own content/models (importing into a scratch folder still knows the
    project's models)."""
    own = Path(content_dir).resolve() / "models"
    return own if own.is_dir() else PROJECT_MODELS


def detect_models(text: str, models_dir: Path) -> tuple[list[str], list[str]]:
    """(model names for Models:, quoted names the catalogue does not know).

    The one seam with the model catalogue: catalogue names in order of first mention when
    `models_dir` exists and plugins/model_catalog imports, else quoted names as they appear.
    """
    quoted = quoted_model_names(text)
    matcher = _matcher(Path(models_dir).resolve())
    if matcher is None:
        return quoted, []
    names = list(dict.fromkeys(match.name for match in matcher.find(text)))
    unknown = [name for name in quoted if not matcher.resolve(name)]
    return names, unknown
