"""Web app manifest and PNG icons, so the site can be added to a phone's home
screen with its name, colours and logo.

Writes `manifest.webmanifest` and the icons (drawn from the logo's geometry
by plugins/share_cards, on the brand colour) into the output folder, and puts
WEB_MANIFEST_URL, THEME_COLOR_LIGHT, THEME_COLOR_DARK and WEB_MANIFEST_ICONS into
the template context (base.html prints <link rel="manifest">, the icons and a
theme-color per colour scheme).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import zlib
from pathlib import Path
from typing import Any

import PIL
from pelican import signals
from pelican.generators import Generator

from tdbvantq.settings import PluginSettings, text
from tdbvantq.writes import write_atomically

SETTINGS = PluginSettings(
    "web_manifest",
    [
        text(
            "WEB_MANIFEST_URL",
            "manifest.webmanifest",
            "where the manifest is written; empty: no manifest links",
        ),
        text("WEB_MANIFEST_SHORT_NAME", "TDBVANTQ", "name under the home-screen icon"),
        text("WEB_MANIFEST_ICONS_DIR", "icons", "folder of the icons in the output"),
        # The header's --brand-bg in each colour scheme (theme/static/css/site.css).
        text("THEME_COLOR_LIGHT", "#8b1014", "theme-color of the light scheme"),
        text("THEME_COLOR_DARK", "#1e1e1e", "theme-color of the dark scheme"),
        text("WEB_MANIFEST_BACKGROUND", "#ffffff", "splash-screen background"),
    ],
)
# (file name, size, purpose, logo scale): maskable icons keep the logo inside the safe circle.
ICONS = [
    ("icon-192.png", 192, "any", 0.82),
    ("icon-512.png", 512, "any", 0.82),
    ("icon-maskable-512.png", 512, "maskable", 0.62),
]
# Bump when the icons change other than through share_cards/draw.py: every cached icon is redrawn.
ICONS_VERSION = "1"


def add_icon_urls(pelican: Any) -> None:
    """WEB_MANIFEST_ICONS for the templates ({192: "icons/icon-192.png", …}), unless the site sets it."""
    icons_dir = SETTINGS.read(pelican.settings, "WEB_MANIFEST_ICONS_DIR").strip("/")
    pelican.settings.setdefault(
        "WEB_MANIFEST_ICONS",
        {size: f"{icons_dir}/{name}" for name, size, purpose, _ in ICONS if purpose == "any"},
    )


def manifest(settings: dict) -> dict:
    """The manifest; its URLs are relative to the manifest itself (the site root)."""
    icons_dir = SETTINGS.read(settings, "WEB_MANIFEST_ICONS_DIR").strip("/")
    return {
        "name": settings.get("SITENAME", ""),
        "short_name": SETTINGS.read(settings, "WEB_MANIFEST_SHORT_NAME"),
        "description": settings.get("SITESUBTITLE", ""),
        "lang": settings.get("DEFAULT_LANG", "vi"),
        "dir": "ltr",
        "start_url": "./",
        "scope": "./",
        "display": "minimal-ui",
        "background_color": SETTINGS.read(settings, "WEB_MANIFEST_BACKGROUND"),
        "theme_color": SETTINGS.read(settings, "THEME_COLOR_LIGHT"),
        "icons": [
            {
                "src": f"{icons_dir}/{name}",
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": purpose,
            }
            for name, size, purpose, _ in ICONS
        ],
    }


def _drawing_digest() -> bytes:
    """What an icon's pixels and PNG bytes are made by: the drawing code (which holds
    the logo's geometry and BRAND), Pillow and zlib."""
    spec = importlib.util.find_spec("share_cards.draw")
    code = Path(spec.origin).read_bytes() if spec and spec.origin else b""
    made_by = f"{ICONS_VERSION}\x1f{PIL.__version__}\x1f{zlib.ZLIB_RUNTIME_VERSION}\x1f"
    return hashlib.sha256(made_by.encode() + code).digest()


def icon_path(cache: Path, drawing: bytes, size: int, scale: float) -> Path:
    """Where the build cache keeps the icon of these inputs (`drawing`: `_drawing_digest()`)."""
    key = hashlib.sha256(drawing + f"{size}\x1f{scale!r}".encode()).hexdigest()[:24]
    return cache / f"icon-{key}.png"


def icon_bytes(path: Path, size: int, scale: float) -> bytes:
    """The icon's PNG, read from `path` in the build cache when it was drawn before
    (drawing the three costs ~0.35 s of CPU at load ~7, a noticeable part of a rebuild after
    one edit), else drawn and kept there."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    from share_cards.draw import BRAND, draw_logo, png_bytes  # numpy and PIL: only when drawing

    data = png_bytes(draw_logo(size, background=BRAND, scale=scale))
    write_atomically(path, data)
    return data


class WebManifestGenerator(Generator):
    def generate_context(self) -> None:
        pass

    def generate_output(self, writer: Any) -> None:
        output = Path(self.output_path)
        text = json.dumps(manifest(self.settings), ensure_ascii=False, indent=1) + "\n"
        target = output / SETTINGS.read(self.settings, "WEB_MANIFEST_URL")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        icons = output / SETTINGS.read(self.settings, "WEB_MANIFEST_ICONS_DIR").strip("/")
        icons.mkdir(parents=True, exist_ok=True)
        cache = Path(self.settings["CACHE_PATH"]) / "web-manifest"
        drawing = _drawing_digest()
        used = set()
        for name, size, _, scale in ICONS:
            path = icon_path(cache, drawing, size, scale)
            (icons / name).write_bytes(icon_bytes(path, size, scale))
            used.add(path)
        for old in set(cache.glob("icon-*.png")) - used:  # drawn by older code: never used again
            old.unlink(missing_ok=True)


def get_generators(pelican: Any) -> type[Generator]:
    return WebManifestGenerator


def register() -> None:
    SETTINGS.register()
    signals.initialized.connect(add_icon_urls)
    signals.get_generators.connect(get_generators)
