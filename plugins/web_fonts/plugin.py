"""Self-hosted web fonts: copy the theme's woff2 files from node_modules into the build.

The files come from the npm packages pinned in package.json/package-lock.json
(`@fontsource-variable/noto-serif` for story text, `@fontsource/be-vietnam-pro`
for headings), only the latin and vietnamese subsets the theme's `@font-face`
rules name (theme/static/css/site.css). They are written to
OUTPUT_PATH/THEME_STATIC_DIR/WEB_FONTS_OUTPUT_DIR, so the site loads no font
from a CDN. A missing file stops the build with one line naming it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import Generator

from tdbvantq.errors import ContentError, hide_tracebacks
from tdbvantq.settings import PluginSettings, folder, text
from tdbvantq.writes import write_atomically

log = logging.getLogger(__name__)
PROJECT_ROOT = Path(__file__).resolve().parents[2]

# (package folder under node_modules, file) for every face site.css declares.
FONT_FILES: list[tuple[str, str]] = [
    ("@fontsource-variable/noto-serif/files", "noto-serif-latin-wght-normal.woff2"),
    ("@fontsource-variable/noto-serif/files", "noto-serif-vietnamese-wght-normal.woff2"),
    ("@fontsource/be-vietnam-pro/files", "be-vietnam-pro-latin-700-normal.woff2"),
    ("@fontsource/be-vietnam-pro/files", "be-vietnam-pro-vietnamese-700-normal.woff2"),
]

SETTINGS = PluginSettings(
    "web_fonts",
    [
        folder(
            "WEB_FONTS_NODE_MODULES",
            str(PROJECT_ROOT / "node_modules"),
            "the node_modules folder holding the @fontsource packages (`npm ci`)",
        ),
        text(
            "WEB_FONTS_OUTPUT_DIR",
            "fonts",
            "folder of the fonts under THEME_STATIC_DIR in the output",
        ),
    ],
)


class FontMissingError(ContentError):
    """A font file the theme needs is not in node_modules; the message names it."""


def copy_fonts(node_modules: Path, target: Path) -> list[Path]:
    """Copy every FONT_FILES entry into `target`; check all exist before writing any."""
    sources = [node_modules / package / name for package, name in FONT_FILES]
    missing = [str(path) for path in sources if not path.is_file()]
    if missing:
        raise FontMissingError(
            f"web font not found: {', '.join(missing)}: run `npm ci` (or `make node`)"
        )
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sources:
        # Synced with the whole output before it goes live (scripts/build.py's swap).
        write_atomically(target / source.name, source.read_bytes(), durable=False)
        written.append(target / source.name)
    return written


class WebFontsGenerator(Generator):
    def generate_context(self) -> None:
        pass

    def generate_output(self, writer: Any) -> None:
        target = (
            Path(self.output_path)
            / self.settings.get("THEME_STATIC_DIR", "theme")
            / SETTINGS.read(self.settings, "WEB_FONTS_OUTPUT_DIR").strip("/")
        )
        written = copy_fonts(Path(SETTINGS.read(self.settings, "WEB_FONTS_NODE_MODULES")), target)
        log.info("web_fonts: copied %d font files to %s", len(written), target)


def get_generators(pelican: Any) -> type[Generator]:
    return WebFontsGenerator


def register() -> None:
    SETTINGS.register()
    hide_tracebacks()
    signals.get_generators.connect(get_generators)
